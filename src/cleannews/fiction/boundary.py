"""Character-exact boundaries of an inserted span, by how well the host joins up.

The decoder gives a rough span; the cut is then chosen among nearby start/end
pairs ``(s, t)`` by the log-likelihood ratio of the two hypotheses for the text
around it — "``x[s:t]`` was inserted into the news" versus "it is all news":

    G(s, t) = Σ_{s<=i<t} llr_i                    (span: fiction vs news)
            + Σ_{j<3} [log P_news(x[t+j] | host joined) - log P_news(x[t+j] | x as is)]
            + Σ_{j<3} [log P_fic(x[s+j] | after a stop) - log P_fic(x[s+j] | host before it)]
            - penalties(s, t)

The second line is the news LM reading the host text once the span is gone
(``展開以“`` + ``石榴花開別樣紅”``): beyond three characters the 4-gram context is
the same either way, so three characters suffice.  A cut that is a whole line takes
its line break along, so the host is then read from the next line's first character
(a novel sentence opening the page leaves the next line to start the text).  The third reads the span's
first characters as the start of a clause of its novel (spliced passages start
where a clause starts).  Penalties cover what a character model sees poorly:
doubled punctuation at the join (``扶植。。``); quotes: the host line left by a
cut is checked like a bracket sequence (:func:`quote_states`), and a cut leaving
more unmatched quotes than the best cut pays for each (``群众“没什么情况`` + span
``。”她的神情…`` leaves the host's ``“`` open); a span starting with a comma or
stop; a cut taking the stop that ends the host's line (``读懂中国[于石阶上遇到。]``).
Bonuses: a span ending with a sentence end of its own where the host keeps a
punctuation mark at the join, a span starting with an opening quote.

``G`` with these hand-set weights is what the decision reads (:attr:`Cut.gain`).  The
cut itself is picked by a score over the same terms plus a few more
(:data:`CUT_FEATURES`): punctuation ownership — a passage owns the mark that ends
its last clause, ``，`` included, and most often goes in at a host clause start, so
of ``A，[她看着他，]B`` and ``A[，她看着他]，B`` (the same text once cut) the first is
the splice —, the share of the span's bigrams the article repeats, and how far the
cut moved from the decoder's.  Its weights (``models/fiction_boundary.json``) are fitted by
``python -m cleannews.train.fiction_boundary``: a conditional logit choosing the
true cut among each search grid's pairs, on dev articles with spliced passages of
novels no model was trained on.  The LM-free terms are computed for every pair,
the join only for the most promising pairs, for all spans of a text in one LM call
(of the three characters read, not their context: :meth:`PairLM.logprobs_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from cleannews.fiction.lm import PairLM
from cleannews.script import code_points

#: how far (characters) each boundary may move outwards / inwards from the decoder's guess.
OUTWARD = 12
INWARD = 24
#: pairs (by the terms that need no LM call) whose join is read with the news LM.
JOIN_PAIRS = 48
#: characters read after the join (order - 1 of the LM).
JOIN = 3
#: penalty (nats) for doubled punctuation at the join.
DOUBLE_PUNCT = 12.0
#: penalty (nats) when the span holds an opening or closing quote its host needs.
QUOTE = 6.0

#: bonus (nats) for a span that ends with a sentence end of its own (``。``, ``！``, ``”``…).
END_BONUS = 5.0
#: penalty (nats) for a span that starts with a comma or a stop.
START_PUNCT = 4.0
#: penalty (nats) for a cut that takes the stop ending the host's line (``读懂中国[…]。``).
ORPHAN_LINE = 4.0
LINE_BREAK = frozenset("\n\r")
#: bonus (nats) for a span that starts with an opening quote.
START_QUOTE = 2.0
SENTENCE_END = set("。！？!?”」…")
#: flags per character of a text plus one entry past either end (:func:`_punct_classes`):
#: punctuation, opening quote, closing quote, sentence end, line end, same as the next character.
PunctClasses = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
#: the terms of a cut's score, in the column order of :func:`pair_features`.
CUT_FEATURES = ("span_llr", "opening", "join", "double_punct", "quote", "end_sentence", "orphan_line",
                "start_punct", "start_quote", "end_punct", "host_punct_after", "host_clause_start",
                "clause_into_clause", "repeated_bigrams", "moved")
#: the hand-set weights of the gain ``G`` (the module docstring); :attr:`Cut.gain` uses them.
HAND_WEIGHTS = np.array([1.0, 1.0, 1.0, -DOUBLE_PUNCT, -QUOTE, END_BONUS, -ORPHAN_LINE, -START_PUNCT,
                         START_QUOTE, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
#: the model card holding the weights of the score that picks the cut (one per :data:`CUT_FEATURES`),
#: written by ``python -m cleannews.train.fiction_boundary``.
CUT_MODEL = "fiction_boundary"


def read_cut_weights() -> np.ndarray:
    """The fitted cut weights of ``models/fiction_boundary.json`` (checked like every model card)."""
    from cleannews.modelfile import load_params

    weights = np.array(load_params(CUT_MODEL)["cut_weights"], dtype=np.float64)
    if weights.shape != (len(CUT_FEATURES),):
        raise ValueError(f"{CUT_MODEL}: {weights.shape[0]} cut weights for {len(CUT_FEATURES)} features")
    return weights

PUNCT = set("。，、；：！？,;:!?.")
OPEN_Q = set("“‘「『\"")
CLOSE_Q = set("”’」』\"")


@dataclass(frozen=True)
class Cut:
    start: int
    end: int
    gain: float  # G(s, t) in nats
    llr: float  # Σ llr over the span
    join: float  # news-LM change at the join
    penalty: float
    score: float = 0.0  # the learned cut score that chose this cut (``Scored.cut_weights``)


def join_penalty(view: str, s: int, t: int) -> float:
    """Nats charged to cutting ``view[s:t]`` for what the LM cannot see (one cut; the
    quote term is relative, see :func:`cut_penalties`, so it is 0 here)."""
    return float(cut_penalties(view, np.array([s]), np.array([t]))[0])


class Scored:
    """A text with what refinement reads from it, computed once and shared by all its spans.

    ``lp`` is the (news, fiction) log-probability array of the whole text,
    ``llr_prefix`` the prefix sums of the per-character LLR used by the decoder and
    ``repeated`` flags the characters whose bigram recurs in the text; the
    span-opening log-probs (:func:`_span_opening`) are computed in batches and kept;
    ``cut_weights`` are the fitted weights of the score that picks a cut (:func:`read_cut_weights`).
    """

    def __init__(self, lm: PairLM, ids: np.ndarray, lp: np.ndarray, llr_prefix: np.ndarray, view: str,
                 repeated: np.ndarray | None = None, *, cut_weights: np.ndarray):
        self.lm, self.ids, self.lp, self.llr_prefix, self.view = lm, ids, lp, llr_prefix, view
        self.cut_weights = cut_weights
        rep = np.zeros(len(ids)) if repeated is None else repeated
        self.rep_prefix = np.concatenate([[0.0], np.cumsum(rep)])
        pad = np.zeros(JOIN, dtype=ids.dtype)
        self.padded = np.concatenate([pad, ids, pad])
        self.lp_news = np.concatenate([lp[0], np.zeros(JOIN)])
        self.lp_fic = np.concatenate([lp[1], np.zeros(JOIN)])
        self._opening = np.full((len(ids) + 1, JOIN), np.nan)
        self._breaks: tuple[np.ndarray, np.ndarray] | None = None
        self._newlines: np.ndarray | None = None
        self._punct: tuple[np.ndarray, np.ndarray] | None = None
        self._quotes: np.ndarray | None = None
        self._marks: np.ndarray | None = None
        self._steps: np.ndarray | None = None

    def newlines(self) -> np.ndarray:
        """Line breaks (``\\n`` or ``\\r``) before each offset (``len(ids) + 1`` prefix counts)."""
        if self._newlines is None:
            self._newlines = np.concatenate([[0], np.cumsum(self._line_flags()[0][:-1])])
        return self._newlines

    def punct_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """:func:`punct_codes` of the whole text, computed once: offset ``-1`` (before the
        text) and ``len(view)`` read the same flags as the per-cut slices of :func:`cut_features`."""
        if self._punct is None:
            self._punct = punct_codes(self.view)
        return self._punct

    def _quote_steps(self) -> np.ndarray:
        """:func:`_quote_steps` of the text, computed once."""
        if self._steps is None:
            self._steps = _quote_steps(self.view)
        return self._steps

    def quote_depth(self) -> np.ndarray:
        """Closing minus opening quotes of every prefix of the text (the running sum of
        :func:`_quote_steps`), computed once."""
        if self._quotes is None:
            self._quotes = np.cumsum(self._quote_steps())
        return self._quotes

    def quotes_repaired(self, s: int, t: int) -> int:
        """Unmatched quotes of the line around ``[s, t)`` (up to :data:`QUOTE_REACH` characters
        either side) that cutting it leaves matched
        (negative: the cut leaves more unmatched than the line has).

        Spliced passages are cut out of novels full of dialogue at arbitrary points, so
        they often carry half a quotation (``好！”黄药师听了``, ``纳牙阿说：“``); a news
        line almost always has its quotes paired.  A span whose removal pairs the line's
        quotes is evidence of an insertion that a character LM cannot see.
        """
        lo, hi = self._quote_window(s, t)
        before, after = _unmatched_in_window(self.quote_depth(), lo, hi, np.array([s, s]), np.array([s, t]))
        return int(before - after)

    def quotes_repairable(self, s: int, t: int) -> int:
        """How many quotes a cut near ``[s, t)`` (moved at most :data:`OUTWARD` characters out)
        could pair: none without a quote mark there or with the line's quotes already paired.
        Used to skip spans no cut could lift to the bar, so it errs on the generous side."""
        a, b = max(0, s - OUTWARD), min(len(self.view), t + OUTWARD)
        if not self.quote_marks(a, b):
            return 0
        lo, hi = self._quote_window(a, b)
        return int(_unmatched_in_window(self.quote_depth(), lo, hi, np.array([a]), np.array([a]))[0])

    def _quote_window(self, s: int, t: int) -> tuple[int, int]:
        """The line around ``[s, t)``, at most :data:`QUOTE_REACH` characters either side (as
        the cut's quote term reads it)."""
        view = self.view
        lo = view.rfind("\n", max(0, s - QUOTE_REACH), s) + 1 or max(0, s - QUOTE_REACH)
        hi = view.find("\n", t, t + QUOTE_REACH)
        return lo, min(len(view), t + QUOTE_REACH) if hi < 0 else hi

    def quote_marks(self, s: int, t: int) -> int:
        """Quote marks (curly or corner, opening or closing) in ``view[s:t]``."""
        if self._marks is None:
            self._marks = np.concatenate([[0], np.cumsum(np.abs(self._quote_steps()[1:]))])
        return int(self._marks[t] - self._marks[s])

    def _line_flags(self) -> tuple[np.ndarray, np.ndarray]:
        if self._breaks is None:
            cps = code_points(self.view)
            # one False past the end (index n) so that a cut ending the text reads no break
            self._breaks = (np.append((cps == 10) | (cps == 13), False), np.append(cps == 13, False))
        return self._breaks

    def breaks(self) -> np.ndarray:
        """Line-break flag of every character, plus a False for the end of the text."""
        return self._line_flags()[0]

    def carriage(self) -> np.ndarray:
        """``\\r`` flag of every character, plus a False for the end of the text."""
        return self._line_flags()[1]

    def opening(self, starts: np.ndarray) -> np.ndarray:
        """(len(starts), JOIN) fiction log-probs of a span's first characters after a stop."""
        missing = starts[np.isnan(self._opening[starts, 0])]
        if len(missing):
            self._opening[missing] = _span_opening(self.lm, self.padded, missing)
        return self._opening[starts]

    def prefetch(self, spans: list[tuple[int, int]]) -> None:
        """Compute the opening log-probs of every start the first search of ``spans`` reads."""
        if not spans:
            return
        n = len(self.ids)
        starts = np.unique(np.concatenate([np.arange(max(0, s - OUTWARD), min(n, s + INWARD) + 1)
                                           for s, _ in spans]))
        self.opening(starts)


def refine(text: Scored, start: int, end: int, rounds: int = 3) -> Cut:
    """Best cut near ``[start, end)``; searched again around a boundary that hit the search edge."""
    return refine_many(text, [(start, end)], rounds)[0]


def refine_many(text: Scored, spans: list[tuple[int, int]], rounds: int = 3) -> list[Cut]:
    """:func:`refine` for several spans of one text, each round's joins read by one LM call."""
    cuts = _refine_batch(text, spans)
    n = len(text.ids)
    centre = list(spans)  # the span each cut's search was centred on
    active = list(range(len(spans)))
    for _ in range(rounds - 1):
        again = [i for i in active if np.isfinite(cuts[i].gain) and (
            (cuts[i].start == max(0, centre[i][0] - OUTWARD) and cuts[i].start > 0)
            or (cuts[i].end == min(n, centre[i][1] + OUTWARD) and cuts[i].end < n))]
        if not again:
            break
        moved = [(cuts[i].start, cuts[i].end) for i in again]
        text.prefetch(moved)
        active = []
        for i, cut in zip(again, _refine_batch(text, moved), strict=True):
            if cut.score > cuts[i].score:
                centre[i], cuts[i] = (cuts[i].start, cuts[i].end), cut
                active.append(i)
    return cuts


@dataclass
class _Grid:
    """The pairs of one search whose join the news LM reads, with their LM-free terms."""

    ss: np.ndarray
    tt: np.ndarray
    cheap: np.ndarray  # the hand-set gain without the join (for :attr:`Cut.gain`)
    score: np.ndarray  # the learned cut score without the join
    span_llr: np.ndarray
    pen: np.ndarray


def candidate_pairs(text: Scored, start: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Start/end pairs searched near ``[start, end)`` (and the starts), never across a line break."""
    n = len(text.ids)
    inward = min(INWARD, max(0, (end - start) // 2 - 1))
    s_all = np.arange(max(0, start - OUTWARD), min(n, start + inward) + 1)
    t_all = np.arange(max(0, end - inward), min(n, end + OUTWARD) + 1)
    ss = np.repeat(s_all, len(t_all))  # every start with every end, starts major
    tt = (np.zeros((len(s_all), 1), dtype=t_all.dtype) + t_all).ravel()
    newline = text.newlines()  # a span never crosses a line break
    ok = (tt - ss >= 2) & (newline[tt] == newline[ss])
    if not ok.any():
        return None
    return ss[ok], tt[ok], s_all


def pair_features(text: Scored, ss: np.ndarray, tt: np.ndarray, s_all: np.ndarray,
                  start: int, end: int) -> np.ndarray:
    """(len(ss), len(CUT_FEATURES)) terms of each cut, the join column left at 0 (it needs the LM)."""
    offs = np.arange(JOIN)
    opening = text.opening(s_all) - text.lp_fic[s_all[:, None] + offs]
    open_cum = np.concatenate([np.zeros((len(s_all), 1)), np.cumsum(opening, axis=1)], axis=1)
    x = np.zeros((len(ss), len(CUT_FEATURES)))
    x[:, 0] = text.llr_prefix[tt] - text.llr_prefix[ss]
    x[:, 1] = open_cum[ss - s_all[0], np.minimum(JOIN, tt - ss)]  # only characters inside the span
    x[:, 3:13] = cut_features(text.view, ss, tt, text)
    x[:, 13] = text.rep_prefix[tt] - text.rep_prefix[ss]
    x[:, 14] = (np.abs(ss - start) + np.abs(tt - end)) / 10.0
    return x


def _grid(text: Scored, start: int, end: int) -> _Grid | None:
    """Candidate pairs near ``[start, end)`` scored by the terms that need no LM call."""
    pairs = candidate_pairs(text, start, end)
    if pairs is None:
        return None
    ss, tt, s_all = pairs
    x = pair_features(text, ss, tt, s_all, start, end)
    span_llr = x[:, 0]
    pen = 0.0 - x[:, 3:9] @ HAND_WEIGHTS[3:9]
    cheap = span_llr + x[:, 1] - pen
    score = x @ text.cut_weights  # the join column is 0 here
    # the join needs the news LM per pair: read it for the most promising pairs only (the
    # join moves a cut's score by a few nats, which the LM-free terms of the others exceed)
    keep = np.argsort(-score)[:JOIN_PAIRS]
    return _Grid(ss[keep], tt[keep], cheap[keep], score[keep], span_llr[keep], pen[keep])


def join_gains(text: Scored, ss: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """News-LM change over the three characters after the join, for each cut (one LM call).

    A cut that takes a whole line takes its line break along (the filter removes the
    line, not its text only), so the host is read from the next line's first character:
    a span opening the text leaves the next line to start it, not a stray ``\\n``
    (which the news LM reads as a very unlikely document start).
    """
    offs = np.arange(JOIN)
    n = len(text.ids)
    tt = tt + _line_break_skip(text, ss, tt)
    # news LM over the join: x[s-3:s] + x[t:t+3]
    seqs = np.concatenate([text.padded[ss[:, None] + offs], text.padded[tt[:, None] + JOIN + offs]], axis=1)
    joined = text.lm.logprobs_rows(seqs, JOIN, model=0)[0]
    valid_t = (tt[:, None] + offs) < n
    return ((joined - text.lp_news[tt[:, None] + offs]) * valid_t).sum(axis=1)


def _line_break_skip(text: Scored, ss: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """Characters of line break after each cut that go with it: the cut starts a line
    and ends one (1 for ``\\n``, 2 for ``\\r\\n``, else 0)."""
    brk = text.breaks()
    cr = text.carriage()
    line_start = brk[ss - 1] | (ss == 0)
    skip = (line_start & brk[tt]).astype(np.int64)
    return skip + (skip.astype(bool) & cr[tt] & brk[np.minimum(tt + 1, len(brk) - 1)])


def _refine_batch(text: Scored, spans: list[tuple[int, int]]) -> list[Cut]:
    """Best cut near each span (see module docstring); one news-LM call for all joins."""
    grids = [_grid(text, s, t) for s, t in spans]
    live = [g for g in grids if g is not None]
    join_all = np.empty(0)
    if live:
        ss, tt = np.concatenate([g.ss for g in live]), np.concatenate([g.tt for g in live])
        join_all = join_gains(text, ss, tt)
    cuts, at = [], 0
    for (start, end), g in zip(spans, grids, strict=True):
        if g is None:
            cuts.append(Cut(start, end, float("-inf"), 0.0, 0.0, 0.0, float("-inf")))
            continue
        join = join_all[at : at + len(g.ss)]
        at += len(g.ss)
        gain = g.cheap + join
        score = g.score + text.cut_weights[2] * join
        k = int(np.argmax(score))
        cuts.append(Cut(int(g.ss[k]), int(g.tt[k]), float(gain[k]), float(g.span_llr[k]), float(join[k]),
                        float(g.pen[k]), float(score[k])))
    return cuts


def _span_opening(lm: PairLM, padded: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Fiction log-probs of the first characters of a span read as a clause start.

    A spliced passage starts where a clause of its novel starts; reading its first
    characters after a stop (rather than after the host's characters) rewards
    cuts at such starts (``这句话说出来`` rather than ``句话说出来``).
    """
    stop = lm.encode("。")[0]
    ctx = np.full((len(starts), JOIN), stop, dtype=padded.dtype)
    seqs = np.concatenate([ctx, padded[starts[:, None] + JOIN + np.arange(JOIN)]], axis=1)
    return lm.logprobs_rows(seqs, JOIN, model=1)[0]


#: characters of the line read on each side of the cuts to check quote balance.
QUOTE_REACH = 300


def quote_states(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Unmatched (closing, opening) quotes of every prefix ``text[:i]``, as two arrays.

    Quotes reduce like brackets: with ``d`` the running count of closers minus
    openers, a prefix has ``u = max(0, max d)`` unmatched closers and ``u - d``
    unmatched openers.  The ambiguous ASCII ``"`` is left out.
    """
    return _states(_quote_steps(text))


def _quote_steps(text: str) -> np.ndarray:
    """+1 for a closing quote, -1 for an opening one, 0 otherwise, after a leading 0."""
    step = np.zeros(len(text) + 1, dtype=np.int64)
    # code points past the table read its last entry, which no quote mark uses
    step[1:] = _quote_step_table()[np.minimum(code_points(text), 0xFFFF)]
    return step


@cache
def _quote_step_table() -> np.ndarray:
    """Code point → +1 closing quote, -1 opening quote, 0 otherwise (one lookup for both)."""
    table = np.zeros(0x10000, dtype=np.int64)
    table[[ord(ch) for ch in _CLOSE_STRICT]] = 1
    table[[ord(ch) for ch in _OPEN_STRICT]] = -1
    return table


def _states(step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`quote_states` from the steps of :func:`_quote_steps`."""
    d = np.cumsum(step)
    u = np.maximum.accumulate(d)
    return u, u - d


def _unmatched_after_cut(text: str, ss: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """Unmatched quotes left in ``text[:s] + text[t:]`` for each cut."""
    return _unmatched_from_steps(_quote_steps(text), ss, tt)


def _unmatched_in_window(depth: np.ndarray, lo: int, hi: int, ss: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """:func:`_unmatched_after_cut` of ``text[lo:hi]`` (cuts in text offsets), from the quote
    depth of the whole text (:meth:`Scored.quote_depth`): the window's running counts are
    differences of it, and those of the window read backwards their mirror image."""
    d = depth[lo : hi + 1] - depth[lo]
    u = np.maximum.accumulate(d)
    rev_d = d[::-1] - d[-1]  # the window read backwards with quotes mirrored
    rev_u = np.maximum.accumulate(rev_d)
    s, back = ss - lo, hi - tt
    uc, oc = rev_u[back] - rev_d[back], rev_u[back]
    return u[s] + oc + np.abs(u[s] - d[s] - uc)


def _unmatched_from_steps(step: np.ndarray, ss: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """:func:`_unmatched_after_cut` from the steps of :func:`_quote_steps` of the text."""
    ua, oa = _states(step)
    # the text read backwards with quotes mirrored (every closer an opener and back):
    # its steps are this text's, reversed and negated
    rev = np.zeros_like(step)
    rev[1:] = -step[:0:-1]
    rev_u, rev_o = _states(rev)
    n = len(step) - 1
    # the suffix text[t:] read backwards with quotes mirrored: its openers are our closers
    uc, oc = rev_o[n - tt], rev_u[n - tt]
    return ua[ss] + oc + np.abs(oa[ss] - uc)


_OPEN_STRICT = frozenset("“‘「『")
_CLOSE_STRICT = frozenset("”’」』")
_MIRROR = str.maketrans({"“": "”", "”": "“", "‘": "’", "’": "‘",
                         "「": "」", "」": "「", "『": "』", "』": "『"})


def cut_penalties(view: str, ss: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """Nats charged to each cut ``view[s:t]`` for what a character LM sees poorly (hand-set weights).

    The quote term compares the cuts with each other: a cut that leaves the host
    line with more unmatched quotes than the best of them pays :data:`QUOTE` per quote.
    """
    return 0.0 - cut_features(view, ss, tt)[:, :6] @ HAND_WEIGHTS[3:9]


def cut_features(view: str, ss: np.ndarray, tt: np.ndarray, scored: Scored | None = None) -> np.ndarray:
    """The punctuation and quote terms of each cut ``view[s:t]`` (columns 3–12 of :data:`CUT_FEATURES`).

    ``scored`` is the :class:`Scored` text of ``view``, if any: its per-character flags,
    computed once, then serve every search (the terms are the same either way).
    """
    ss, tt = np.asarray(ss), np.asarray(tt)
    lo = max(0, int(ss.min()) - QUOTE_REACH)
    hi = min(len(view), int(tt.max()) + QUOTE_REACH)
    nl = view.rfind("\n", lo, int(ss.min()))
    lo = nl + 1 if nl >= 0 else lo
    nl = view.find("\n", int(tt.max()), hi)
    hi = nl if nl >= 0 else hi
    if scored is None:
        unmatched = _unmatched_after_cut(view[lo:hi], ss - lo, tt - lo)
        near = max(0, int(ss.min()) - 2)
        x = _punct_features(view[near : int(tt.max()) + 2], ss - near, tt - near)
    else:
        unmatched = _unmatched_in_window(scored.quote_depth(), lo, hi, ss, tt)
        start_code, end_code = scored.punct_codes()
        x = _punct_table()[start_code[ss] | end_code[tt]]
    x[:, 1] = unmatched - unmatched.min()
    return x


@cache
def _classes() -> np.ndarray:
    """Code point → bits: 1 punctuation, 2 opening quote, 4 closing quote, 8 sentence end, 16 line break."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for bit, chars in ((1, PUNCT), (2, OPEN_Q), (4, CLOSE_Q), (8, SENTENCE_END), (16, LINE_BREAK)):
        for ch in chars:
            table[ord(ch)] |= bit
    return table


def _punct_classes(view: str) -> PunctClasses:
    """The flags of :data:`PunctClasses` for ``view + "\\n"`` plus a last entry (index -1:
    a line end only), one class lookup for all of them."""
    ext = view + "\n"
    cps = code_points(ext)
    cls = np.append(_classes()[np.minimum(cps, 0xFFFF)], 16)  # one lookup for every flag below
    same_next = np.append(cps == np.append(cps[1:], 10), False)
    return (cls & 1) > 0, (cls & 2) > 0, (cls & 4) > 0, (cls & 8) > 0, (cls & 16) > 0, same_next


def _punct_features(view: str, ss: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """Punctuation columns of :func:`cut_features` (``ss``, ``tt`` relative to ``view``; quote column 0)."""
    return _punct_terms(_punct_classes(view), ss, tt)


def _punct_terms(classes: PunctClasses, ss: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """:func:`_punct_features` from the classes of :func:`_punct_classes`."""
    punct, oq, cq, stop, brk, same_next = classes  # the entry past the end ends a line
    left = ss - 1  # -1 reads the appended class (no flag but a line end)
    return _punct_formula(punct[left], oq[left], cq[left], brk[left], stop[left], punct[ss], oq[ss],
                          (ss >= 2) & same_next[np.maximum(ss - 2, 0)],
                          punct[tt], oq[tt], cq[tt], brk[tt], stop[tt - 1], punct[tt - 1], same_next[tt])


def _punct_formula(pl: np.ndarray, oql: np.ndarray, cql: np.ndarray, brkl: np.ndarray, stopl: np.ndarray,
                   ps: np.ndarray, oqs: np.ndarray, doubled_left: np.ndarray,
                   pt: np.ndarray, oqt: np.ndarray, cqt: np.ndarray, brkt: np.ndarray, stopp: np.ndarray,
                   pp: np.ndarray, snt: np.ndarray) -> np.ndarray:
    """The punctuation columns from the flags of the characters around a cut: before its
    start (``l``), at its start (``s``), at its end (``t``: the first character kept) and
    its last one (``p``); ``doubled_left`` is the character two before the start repeating the
    next one, ``snt`` the one at the end."""
    x = np.zeros((len(pl), 10))
    # doubled punctuation or quotes at the join
    x[:, 0] = ((pl & pt).astype(int) + ((oql & oqt) | (cql & cqt)) + (pt & snt) + (pl & doubled_left))
    # spliced passages usually end with a sentence of their novel — where the host keeps
    # a punctuation mark of its own at the join; the host's only stop is not theirs
    x[:, 2] = stopp & (pl | pt | oqt | cql | brkl)
    x[:, 3] = stopp & brkt & ~pl & ~stopl & ~brkl
    # ... and start where a clause of their novel starts, not with a comma or a stop,
    # often with a line of dialogue
    x[:, 4] = ps
    x[:, 5] = oqs & ~oql
    # punctuation ownership: a passage owns the mark that ends its last clause (``，``
    # included), and a host clause start is where a passage most often goes in
    x[:, 6] = pp
    x[:, 7] = pt | brkt
    x[:, 8] = pl | brkl
    x[:, 9] = x[:, 6] * x[:, 8]
    return x


@cache
def _punct_table() -> np.ndarray:
    """:func:`_punct_formula` of every combination of flags, indexed by ``start code << 8 |
    end code`` (:func:`punct_codes`): start code = :func:`_classes` bits of the character
    before the start | punctuation and opening quote bits of the start's << 5 | doubled
    before the start << 7; end code = the end's bits | the last character's punctuation
    << 5 and sentence end << 6 | the end doubled << 7."""
    code = np.arange(1 << 16)
    st, en = code >> 8, code & 255

    def bit(x: np.ndarray, b: int) -> np.ndarray:
        return (x & b) > 0

    return _punct_formula(bit(st, 1), bit(st, 2), bit(st, 4), bit(st, 16), bit(st, 8), bit(st, 32),
                          bit(st, 64), bit(st, 128),
                          bit(en, 1), bit(en, 2), bit(en, 4), bit(en, 16), bit(en, 64), bit(en, 32),
                          bit(en, 128))


def punct_codes(view: str) -> tuple[np.ndarray, np.ndarray]:
    """Per offset ``0..len(view)`` of a text, its flags as a cut's start (``<< 8``) and as a
    cut's end, packed as codes of :func:`_punct_table`: the punctuation terms of any cut
    are then one table row.  Offset -1 reads a line end only, like :func:`_punct_terms`."""
    ext = view + "\n"
    cps = code_points(ext)
    n = len(view)
    cls = _classes()[np.minimum(cps, 0xFFFF)]  # n + 1 entries
    same = cps[:-1] == cps[1:]  # character i repeats character i + 1 (i < n)
    left = np.concatenate([np.array([16], dtype=np.uint8), cls[:n]])  # the character before offset i
    here = cls[: n + 1]
    doubled = np.zeros(n + 1, dtype=np.uint8)
    doubled[2:] = same[: n - 1]
    start = left | (here & 3) << 5 | doubled << 7
    same_here = np.zeros(n + 1, dtype=np.uint8)
    same_here[:n] = same
    end = here | (left & 1) << 5 | ((left >> 3) & 1) << 6 | same_here << 7
    return start.astype(np.int64) << 8, end.astype(np.int64)

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
the same either way, so three characters suffice.  The third reads the span's
first characters as the start of a clause of its novel (spliced passages start
where a clause starts).  Penalties cover what a character model sees poorly:
doubled punctuation at the join (``扶植。。``), quotes the cut leaves unbalanced,
a span starting with a comma or stop; a span ending with a sentence end of its
own gets a small bonus.  The LM-free terms are computed for every pair; the join
only for the most promising pairs and those keeping a decoder boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cleannews.fiction.lm import PairLM

#: how far (characters) each boundary may move outwards / inwards from the decoder's guess.
OUTWARD = 12
INWARD = 24
#: pairs (by the terms that need no LM call) whose join is read with the news LM.
JOIN_PAIRS = 96
#: characters read after the join (order - 1 of the LM).
JOIN = 3
#: penalty (nats) for doubled punctuation at the join.
DOUBLE_PUNCT = 12.0
#: penalty (nats) when the span holds an opening or closing quote its host needs.
QUOTE = 6.0

#: bonus (nats) for a span that ends with a sentence end of its own (``。``, ``！``, ``”``…).
END_BONUS = 2.0
#: penalty (nats) for a span that starts with a comma or a stop.
START_PUNCT = 4.0
SENTENCE_END = set("。！？!?”」…")
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


def join_penalty(view: str, s: int, t: int) -> float:
    """Nats charged to cutting ``view[s:t]`` for what the LM cannot see (one cut)."""
    return float(_penalties(view, np.array([s]), np.array([t]))[0])


def _char_flags(view: str, chars: set[str]) -> np.ndarray:
    return np.fromiter((ch in chars for ch in view), dtype=bool, count=len(view))


def refine(lm: PairLM, ids: np.ndarray, lp: np.ndarray, llr_prefix: np.ndarray, view: str,
           start: int, end: int, rounds: int = 3) -> Cut:
    """Best cut near ``[start, end)``; searched again around a boundary that hit the search edge."""
    cut = _refine_once(lm, ids, lp, llr_prefix, view, start, end)
    for _ in range(rounds - 1):
        at_edge = (cut.start == max(0, start - OUTWARD) and cut.start > 0) or (
            cut.end == min(len(ids), end + OUTWARD) and cut.end < len(ids))
        if not at_edge or not np.isfinite(cut.gain):
            break
        start, end = cut.start, cut.end
        again = _refine_once(lm, ids, lp, llr_prefix, view, start, end)
        if again.gain <= cut.gain:
            break
        cut = again
    return cut


def _refine_once(lm: PairLM, ids: np.ndarray, lp: np.ndarray, llr_prefix: np.ndarray, view: str,
                 start: int, end: int) -> Cut:
    """Best cut near ``[start, end)`` (see module docstring), pairs scored in two batches.

    ``lp`` is the (news, fiction) log-probability array of the whole text and
    ``llr_prefix`` the prefix sums of the per-character LLR used by the decoder.
    """
    n = len(ids)
    inward = min(INWARD, max(0, (end - start) // 2 - 1))
    s_all = np.arange(max(0, start - OUTWARD), min(n, start + inward) + 1)
    t_all = np.arange(max(0, end - inward), min(n, end + OUTWARD) + 1)
    ss, tt = np.meshgrid(s_all, t_all, indexing="ij")
    ss, tt = ss.ravel(), tt.ravel()
    lo_nl = int(s_all[0])
    cps = np.frombuffer(view[lo_nl : int(t_all[-1])].encode("utf-32-le"), dtype=np.uint32)
    window = (cps == 10) | (cps == 13)  # a span never crosses a line break
    newline = np.concatenate([[0], np.cumsum(window)])
    ok = (tt - ss >= 2) & (newline[tt - lo_nl] == newline[ss - lo_nl])
    ss, tt = ss[ok], tt[ok]
    if len(ss) == 0:
        return Cut(start, end, float("-inf"), 0.0, 0.0, 0.0)
    pad = np.zeros(JOIN, dtype=ids.dtype)
    padded = np.concatenate([pad, ids, pad])
    offs = np.arange(JOIN)
    lp_news = np.concatenate([lp[0], np.zeros(JOIN)])
    lp_fic = np.concatenate([lp[1], np.zeros(JOIN)])
    # the terms that need no LM call per pair, on the whole grid
    opening = _span_opening(lm, padded, s_all) - lp_fic[s_all[:, None] + offs]
    open_cum = np.concatenate([np.zeros((len(s_all), 1)), np.cumsum(opening, axis=1)], axis=1)
    open_gain = open_cum[ss - s_all[0], np.minimum(JOIN, tt - ss)]  # only characters inside the span
    span_llr = llr_prefix[tt] - llr_prefix[ss]
    lo = max(0, int(s_all[0]) - 2)
    hi = int(t_all[-1]) + 2
    pen = _penalties(view[lo:hi], ss - lo, tt - lo)
    cheap = span_llr + open_gain - pen
    # the join needs the news LM per pair: read it for the most promising pairs and for
    # every pair that keeps one of the decoder's boundaries
    keep = np.zeros(len(ss), dtype=bool)
    keep[np.argsort(-cheap)[:JOIN_PAIRS]] = True
    keep |= (ss == start) | (tt == end)
    ss, tt, cheap, span_llr, pen = ss[keep], tt[keep], cheap[keep], span_llr[keep], pen[keep]
    # news LM over the join: x[s-3:s] + x[t:t+3]
    seqs = np.concatenate([padded[ss[:, None] + offs], padded[tt[:, None] + JOIN + offs]], axis=1)
    joined = lm.logprobs(seqs.ravel())[0].reshape(len(ss), 2 * JOIN)[:, JOIN:]
    valid_t = (tt[:, None] + offs) < n
    join = ((joined - lp_news[tt[:, None] + offs]) * valid_t).sum(axis=1)
    gain = cheap + join
    k = int(np.argmax(gain))
    return Cut(int(ss[k]), int(tt[k]), float(gain[k]), float(span_llr[k]), float(join[k]), float(pen[k]))


def _span_opening(lm: PairLM, padded: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Fiction log-probs of the first characters of a span read as a clause start.

    A spliced passage starts where a clause of its novel starts; reading its first
    characters after a stop (rather than after the host's characters) rewards
    cuts at such starts (``这句话说出来`` rather than ``句话说出来``).
    """
    stop = lm.encode("。")[0]
    ctx = np.full((len(starts), JOIN), stop, dtype=padded.dtype)
    seqs = np.concatenate([ctx, padded[starts[:, None] + JOIN + np.arange(JOIN)]], axis=1)
    return lm.logprobs(seqs.ravel())[1].reshape(len(starts), 2 * JOIN)[:, JOIN:]


def _penalties(view: str, ss: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """:func:`join_penalty` for many cuts at once."""
    ext = view + "\n"
    punct = np.append(_char_flags(ext, PUNCT), False)
    oq = np.append(_char_flags(ext, OPEN_Q), False)
    cq = np.append(_char_flags(ext, CLOSE_Q), False)
    left = ss - 1  # -1 reads the appended False
    same_next = np.append(np.array([a == b for a, b in zip(ext, ext[1:] + "\n", strict=True)]), False)
    pen = np.zeros(len(ss))
    pen += DOUBLE_PUNCT * (punct[left] & punct[tt])
    pen += DOUBLE_PUNCT * ((oq[left] & oq[tt]) | (cq[left] & cq[tt]))
    pen += DOUBLE_PUNCT * (punct[tt] & same_next[tt])
    pen += DOUBLE_PUNCT * (punct[left] & (ss >= 2) & same_next[np.maximum(ss - 2, 0)])
    # quotes: a span with unequal numbers of opening and closing quotes, unless its
    # stray quote is the twin of the one right outside it
    o_pre = np.concatenate([[0], np.cumsum(oq[:-1])])
    c_pre = np.concatenate([[0], np.cumsum(cq[:-1])])
    unbalanced = (o_pre[tt] - o_pre[ss]) != (c_pre[tt] - c_pre[ss])
    restores = (oq[tt - 1] & oq[left]) | (cq[ss] & cq[tt])
    pen += QUOTE * (unbalanced & ~restores)
    # spliced passages usually end with a sentence of their novel
    stop = np.append(_char_flags(ext, SENTENCE_END), False)
    pen -= END_BONUS * stop[tt - 1]
    # ... and start where a clause of their novel starts, not with a comma or a stop
    pen += START_PUNCT * punct[ss]
    return pen

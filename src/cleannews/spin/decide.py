"""Decide which spun forms of a page to restore.

1. **Document evidence.**  A form is *unambiguous* when clean news (train split)
   practically never contains it while its original is common, and neither clean
   fiction nor a general dictionary has it as a word (``经由过程``, ``可以或许``,
   ``年夜会``; not ``晓得``, which novels use and news does not).  The number of
   distinct unambiguous substitutions in a page is its spin evidence; one alone
   can be a typing slip (可以获取 typed as 可以或许), so a page counts as spun from
   :data:`MIN_MARKERS` on.  A page with one marker less is spun only when its
   ordinary words say so too: many slots whose context clearly wants the original
   back (:func:`is_spun_by_context`; clean news and clean novels stay well below
   that density).  Pages that are not spun are never edited.
2. **Slot decision.**  In a spun page every candidate slot is a confusion set:
   keep the spun form, or restore one of its originals.  Each option is scored as
   ``log c(form) + log P(left context | form) + log P(right context | form)``
   from clean-news counts (:meth:`ContextModel.log_fit`), plus the prior that the
   spinner replaced the original (:data:`SPIN_RATE`).  A *news-rare* form (clean
   news practically never writes it: every unambiguous form, and literary words
   such as ``进献`` for ``贡献``, :func:`is_news_rare`) is judged by its junctions
   with the neighbours only (:meth:`ContextModel.log_junction`) and restored unless
   they argue against it (a look-alike such as ``套餐与加入`` or ``青年夜学``
   straddles a word boundary: ``套餐`` and ``青年`` join far better than ``套参`` and
   ``青大``); an ambiguous form (``任务``, ``运动``, ``主要``) needs the whole to
   favour the original by :data:`AMBIGUOUS_MARGIN` nats, and the context alone (not
   just the original's frequency) by :data:`CONTEXT_MIN`.
3. **Neighbours jointly, and the page's own dictionary.**  The page is decided in
   up to :data:`PASSES` passes, each reading the context as the previous one
   restored it; a side touching another spun form is also read with that form
   restored, so runs of spun words (``主要任务`` ← ``重要工作``, ``比赛运动`` ←
   ``竞赛活动``) are recognised together.  A spinner applies its dictionary
   throughout a page, so a pair restored at least :data:`CONFIRM_MIN` times is
   *confirmed*: its other occurrences get a higher prior
   (:data:`CONFIRMED_SPIN_RATE`) and only need a context that does not argue
   against the original.
4. **The wider context.**  Two characters either side cannot tell near-synonyms
   apart when both are ordinary words; the topic of the sentence can.  The
   Chinese bigrams within :data:`~cleannews.spin.context.WINDOW` characters beyond
   the near context, read in the text as restored, veto a context restoration they
   argue against (``全区涌现8.62万项创新成果`` keeps ``涌现``) and complete one the
   near context left undecided (:func:`_wider_context`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cleannews.resources import word_freq
from cleannews.spin.context import ContextModel
from cleannews.spin.lexicon import Candidate, Lexicon, Pair

#: distinct unambiguous forms from which a page counts as spun.
MIN_MARKERS = 2
#: a spun form counts as unambiguous when clean news has it at most this often...
UNAMBIGUOUS_MAX_COUNT = 3
#: ...and its original at least this often.
UNAMBIGUOUS_MIN_ORIGINAL = 20
#: ...and neither clean fiction (at most UNAMBIGUOUS_MAX_COUNT times) nor a general
#: dictionary (jieba's) knows it as a word: literary words that news happens not to use
#: (晓得, 破绽, 适才, 用饭) are not spinner artifacts.
UNAMBIGUOUS_MAX_WORD_FREQ = 30
#: prior probability, in a spun page, that a dictionary word was replaced.
SPIN_RATE = 0.5
#: a spinner applies its dictionary throughout a page: a pair restored this many times in
#: the first pass is *confirmed* for the page...
CONFIRM_MIN = 2
#: ...its other occurrences get this prior and only need a context that does not argue
#: against the original.
CONFIRMED_SPIN_RATE = 0.9
#: decision passes over the page (each reads the context as the previous one restored it).
PASSES = 2
#: nats by which the context must favour the original of an ambiguous form.
AMBIGUOUS_MARGIN = 1.5
#: nats the context alone (not the originals' frequency) must give an ambiguous restoration.
CONTEXT_MIN = 1.0
#: cap (nats) on the evidence one side of a slot can give.
SIDE_CAP = 6.0
#: nats for an unambiguous form (judged by its junctions with the neighbours only).
UNAMBIGUOUS_MARGIN = 3.0
#: nats by which the wider context (the sentence's topic) may argue against a context
#: restoration before it is dropped (:func:`_wider_context`).
WINDOW_VETO = 4.0
#: a slot the near context left nearly undecided (gain and context gain at least
#: WINDOW_NEAR_MIN nats) is restored when the wider context gives the original WINDOW_SUPPORT.
WINDOW_NEAR_MIN = -1.0
WINDOW_SUPPORT = 2.0
#: a page with one marker only is spun when its ambiguous forms say so: restorations of at
#: least STRONG_GAIN nats, STRONG_CONTEXT of them from the context...
STRONG_GAIN = 6.0
STRONG_CONTEXT = 3.0
#: ...of at least this many distinct pairs...
STRONG_MIN_PAIRS = 3
#: ...and at least this many per 1,000 characters (clean news and clean fiction stay below
#: 11; pages spun at a real spinner's rate have 12 to 100).
STRONG_PER_1000 = 12.0


@dataclass(frozen=True, slots=True)
class Decision:
    """A restoration: ``simplified[start:end]`` (= ``spun``) becomes ``original``."""

    start: int
    end: int
    spun: str
    original: str
    pair: Pair
    unambiguous: bool
    gain: float
    context_gain: float
    keep_score: float
    best_score: float
    left: str
    right: str
    runner_up: str | None
    #: log-odds the wider context gives the original (0 when not read: see :func:`_wider_context`).
    window_gain: float = 0.0

    @property
    def confidence(self) -> float:
        return 1.0 / (1.0 + math.exp(-self.gain))


_unambiguous: dict[tuple[int, Pair], bool] = {}


def is_unambiguous(model: ContextModel, pair: Pair) -> bool:
    """Clean news practically never has the spun form, and has the original often."""
    key = (id(model), pair)
    hit = _unambiguous.get(key)
    if hit is None:
        hit = _unambiguous[key] = (model.count(pair.spun) <= UNAMBIGUOUS_MAX_COUNT
                                   and model.count(pair.original) >= UNAMBIGUOUS_MIN_ORIGINAL
                                   and model.fiction_count(pair.spun) <= UNAMBIGUOUS_MAX_COUNT
                                   and word_freq().get(pair.spun, 0) < UNAMBIGUOUS_MAX_WORD_FREQ)
    return hit


_news_rare: dict[tuple[int, Pair], bool] = {}


def is_news_rare(model: ContextModel, pair: Pair) -> bool:
    """Clean news practically never has the spun form, and has the original often.

    Every unambiguous pair is news-rare; so are literary words news does not use
    (进献 for 贡献, 晓得 for 知道).  Those cannot tell a spun page from a clean novel,
    so they are no markers, but on a page already judged spun the original article
    (news) practically never had them: they are judged like unambiguous forms, by
    their junctions with the neighbours.
    """
    key = (id(model), pair)
    hit = _news_rare.get(key)
    if hit is None:
        hit = _news_rare[key] = (model.count(pair.spun) <= UNAMBIGUOUS_MAX_COUNT
                                 and model.count(pair.original) >= UNAMBIGUOUS_MIN_ORIGINAL)
    return hit


_marker_lexicons: dict[tuple[int, int], Lexicon] = {}


def marker_lexicon(model: ContextModel, lexicon: Lexicon) -> Lexicon:
    """The unambiguous pairs only: a small scanner that decides whether a page is spun.

    Clean pages are rejected by this scan alone, so the filter costs one fast regex
    pass on clean text.
    """
    key = (id(model), id(lexicon))
    found = _marker_lexicons.get(key)
    if found is None:
        found = _marker_lexicons[key] = Lexicon([p for p in lexicon.pairs if is_unambiguous(model, p)])
    return found


def core(spun: str, original: str) -> tuple[str, str]:
    """The part of a pair that differs: (年夜会, 大会) → (年夜, 大); (二十年夜, 二十大) → (年夜, 大)."""
    while spun and original and spun[0] == original[0]:
        spun, original = spun[1:], original[1:]
    while spun and original and spun[-1] == original[-1]:
        spun, original = spun[:-1], original[:-1]
    return spun, original


def markers(model: ContextModel, candidates: list[Candidate]) -> dict[str, int]:
    """Distinct unambiguous substitutions of the page → occurrences.

    Substitutions are told apart by the characters that differ (:func:`core`):
    ``年夜会``, ``二十年夜`` and ``年夜班`` all show the one substitution 大→年夜, so one
    look-alike (``二十年夜班``) matched by several mined pairs still counts once.
    """
    found: dict[str, set[int]] = {}
    for cand in candidates:
        for p in cand.pairs:
            if is_unambiguous(model, p):
                spun_core = core(p.spun, p.original)[0] or p.spun
                offset = cand.start + p.spun.find(spun_core)
                found.setdefault(spun_core, set()).add(offset)
                break
    return {k: len(v) for k, v in found.items()}


def spin_score(marker_forms: dict[str, int]) -> float:
    """0–1 document spin score: 1 − exp(−distinct unambiguous forms / 2).

    0 for a page with none; 0.39 for one (a slip is possible); 0.63 for two (the
    threshold for editing); 0.95 for six or more.
    """
    return 1.0 - math.exp(-len(marker_forms) / 2.0)


def context_evidence(decisions: list[Decision], length: int) -> tuple[int, float]:
    """(distinct pairs, occurrences per 1,000 characters) of the *strong* ambiguous restorations.

    The markers alone miss short pages a spinner rewrote mostly with ordinary words
    (任务, 主要, 推进): one typing slip looks the same as one marker.  A spun page also
    has many slots whose context clearly wants the original back; clean text has few
    (a clean article's words sit in their own contexts), see :data:`STRONG_PER_1000`.
    """
    strong = [d for d in decisions
              if not d.unambiguous and d.gain >= STRONG_GAIN and d.context_gain >= STRONG_CONTEXT]
    return len({(d.spun, d.original) for d in strong}), 1000.0 * len(strong) / max(1, length)


def is_spun_by_context(decisions: list[Decision], length: int) -> bool:
    """A one-marker page is spun when :func:`context_evidence` reaches both thresholds."""
    pairs, density = context_evidence(decisions, length)
    return pairs >= STRONG_MIN_PAIRS and density >= STRONG_PER_1000


def _gain(option: tuple[float, float, float], keep: tuple[float, float, float]) -> tuple[float, float]:
    """(log-odds of an option over keeping, the part of it the context gives).

    Each side's evidence is capped at :data:`SIDE_CAP`: contexts the corpus never
    shows with either form leave both estimates to sparse back-off counts, and the
    cap keeps one such side from outvoting the rest.
    """
    prior = option[0] - keep[0]
    left = max(-SIDE_CAP, min(SIDE_CAP, option[1] - keep[1]))
    right = max(-SIDE_CAP, min(SIDE_CAP, option[2] - keep[2]))
    return prior + left + right, left + right


@dataclass(frozen=True, slots=True)
class _Slot:
    """What a confusion set (one spun form and its originals) needs, worked out once.

    Every occurrence of a spun form on every page is the same confusion set, so the
    look-ups that do not depend on the context (priors, which pairs are
    unambiguous, how the sides are scored) are done once per process.
    """

    keep_is_original: bool
    junction: bool
    spun_prior: float
    original_priors: tuple[float, ...]
    pair_keys: tuple[tuple[str, str], ...]


_slots: dict[tuple[int, str, tuple[Pair, ...]], _Slot] = {}


def _slot(model: ContextModel, cand: Candidate, originals: frozenset[str]) -> _Slot:
    key = (id(model), cand.spun, cand.pairs)
    hit = _slots.get(key)
    if hit is None:
        if len(_slots) > 100_000:
            _slots.clear()
        hit = _slots[key] = _Slot(
            keep_is_original=cand.spun in originals,
            junction=any(is_news_rare(model, p) for p in cand.pairs),
            spun_prior=model.prior(cand.spun),
            original_priors=tuple(model.prior(p.original) for p in cand.pairs),
            pair_keys=tuple((p.original, p.spun) for p in cand.pairs),
        )
    return hit


def _score_options(model: ContextModel, cand: Candidate, slot: _Slot, lefts: list[str], rights: list[str],
                   rate: float = SPIN_RATE) -> tuple[float, list[tuple[float, float, float, Pair]]]:
    """(score of keeping, [(gain over keeping, context part of it, score, pair)] best first).

    ``lefts``/``rights`` are the readings of each side: the first is the text as it
    stands; others read a touching spun neighbour as restored.  Each form takes its
    best reading, so two adjacent spun words (``比赛运动`` ← ``竞赛活动``) can be
    recognised together.  The sides are scored independently
    (:meth:`ContextModel.left_fit` / :meth:`~ContextModel.right_fit`, or the
    junction terms for a slot with an unambiguous pair), each memoised.
    """
    if slot.junction:
        left_of, right_of = model.left_junction, model.right_junction
    else:
        left_of, right_of = model.left_fit, model.right_fit
    # most slots have one reading per side: skip building a list to take its max
    left0, right0 = lefts[0], rights[0]
    many_lefts, many_rights = len(lefts) > 1, len(rights) > 1
    form = cand.spun
    keep_prior = math.log(1.0 - rate) if slot.keep_is_original else 0.0
    keep_parts = (slot.spun_prior + keep_prior,
                  max([left_of(form, v) for v in lefts]) if many_lefts else left_of(form, left0),
                  max([right_of(form, v) for v in rights]) if many_rights else right_of(form, right0))
    restore_prior = math.log(rate / len(cand.pairs))
    options = []
    for p, log_count in zip(cand.pairs, slot.original_priors, strict=True):
        form = p.original
        option = (log_count + restore_prior,
                  max([left_of(form, v) for v in lefts]) if many_lefts else left_of(form, left0),
                  max([right_of(form, v) for v in rights]) if many_rights else right_of(form, right0))
        gain, context_gain = _gain(option, keep_parts)
        options.append((gain, context_gain, sum(option), p))
    if len(options) > 1:
        options.sort(key=lambda gsp: -gsp[0])
    return sum(keep_parts), options


def _decide_one(model: ContextModel, cand: Candidate, slot: _Slot, lefts: list[str], rights: list[str],
                is_confirmed: bool) -> tuple[Decision | None, tuple]:
    """(the restoration or None, (keep score, options) as scored)."""
    rate = CONFIRMED_SPIN_RATE if is_confirmed else SPIN_RATE
    keep, options = _score_options(model, cand, slot, lefts, rights, rate)
    gain, context_gain, best, pair = options[0]
    unambiguous = is_unambiguous(model, pair)
    if unambiguous or is_news_rare(model, pair):
        if gain <= UNAMBIGUOUS_MARGIN:
            return None, (keep, options)
    elif gain <= AMBIGUOUS_MARGIN or context_gain < (0.0 if is_confirmed else CONTEXT_MIN):
        return None, (keep, options)
    runner = options[1][3].original if len(options) > 1 else None
    decision = Decision(cand.start, cand.end, cand.spun, pair.original, pair, unambiguous, gain, context_gain,
                        keep, best, lefts[0], rights[0], runner)
    return decision, (keep, options)


def _non_overlapping(decisions: list[Decision]) -> list[Decision]:
    """The decisions to apply: the strongest first among overlapping ones, longest forms kept whole.

    A decision whose span lies strictly inside another accepted decision's is dropped
    first: the spinner writes whole dictionary entries, so when ``小我私家`` (个人) is
    itself a restoration, restoring only ``小我`` would leave ``私家`` behind as debris,
    however well ``个人`` happens to fit beside ``私家``.
    """
    spans = {(d.start, d.end) for d in decisions}
    whole = [d for d in decisions
             if not any(a <= d.start and d.end <= b and (a, b) != (d.start, d.end) for a, b in spans)]
    chosen: list[Decision] = []
    taken: set[int] = set()
    for d in sorted(whole, key=lambda d: -d.gain):
        span = range(d.start, d.end)
        if not any(i in taken for i in span):
            chosen.append(d)
            taken.update(span)
    chosen.sort(key=lambda d: d.start)
    return chosen


def _contexts(simplified: str, chosen: list[Decision]) -> tuple[str, list[int]]:
    """The text as restored by ``chosen`` and, per input offset, its offset there."""
    pieces: list[str] = []
    pos_map = [0] * (len(simplified) + 1)
    pos = 0
    out_len = 0
    for d in chosen:
        pos_map[pos : d.start + 1] = range(out_len, out_len + d.start + 1 - pos)
        pieces.append(simplified[pos : d.start])
        out_len += d.start - pos
        pieces.append(d.original)
        pos_map[d.start + 1 : d.end] = [-1] * (d.end - d.start - 1)
        out_len += len(d.original)
        pos = d.end
    pos_map[pos:] = range(out_len, out_len + len(simplified) + 1 - pos)
    pieces.append(simplified[pos:])
    return "".join(pieces), pos_map


def _confirmed_pairs(chosen: list[Decision]) -> frozenset[tuple[str, str]]:
    """Pairs this page's spinner evidently uses: restored at least :data:`CONFIRM_MIN` times."""
    seen: dict[tuple[str, str], int] = {}
    for d in chosen:
        key = (d.pair.original, d.pair.spun)
        seen[key] = seen.get(key, 0) + 1
    return frozenset(k for k, n in seen.items() if n >= CONFIRM_MIN)


def _prefetch(model: ContextModel, simplified: str, candidates: list[Candidate], slots: list[_Slot],
              ends: dict[int, list[Candidate]], starts: dict[int, list[Candidate]]) -> None:
    """Have the model score, in one vectorised batch, every side the first pass will read.

    The readings are those of the first pass (the text as it stands, and each touching
    spun neighbour read as restored); later passes ask few new questions.
    """
    lefts: set[tuple[str, str]] = set()
    rights: set[tuple[str, str]] = set()
    for cand, slot in zip(candidates, slots, strict=True):
        if slot.junction:
            continue
        a, b = cand.start, cand.end
        side_l = [simplified[max(0, a - 2) : a]]
        for n in ends.get(a, ()):
            side_l += [(simplified[max(0, n.start - 2) : n.start] + p.original)[-2:] for p in n.pairs]
        side_r = [simplified[b : b + 2]]
        for n in starts.get(b, ()):
            side_r += [(p.original + simplified[n.end : n.end + 2])[:2] for p in n.pairs]
        for form in (cand.spun, *(p.original for p in cand.pairs)):
            lefts.update((form, v) for v in side_l)
            rights.update((form, v) for v in side_r)
    model.prefetch_fits(lefts, rights)


def decide(model: ContextModel, lexicon: Lexicon, simplified: str, candidates: list[Candidate]
           ) -> list[Decision]:
    """Restorations for a page already judged spun (see the module docstring)."""
    originals = lexicon.originals
    chosen: list[Decision] = []
    confirmed: frozenset[tuple[str, str]] = frozenset()
    ends: dict[int, list[Candidate]] = {}
    starts: dict[int, list[Candidate]] = {}
    for cand in candidates:
        ends.setdefault(cand.end, []).append(cand)
        starts.setdefault(cand.start, []).append(cand)
    slots = [_slot(model, cand, originals) for cand in candidates]
    _prefetch(model, simplified, candidates, slots, ends, starts)
    memo: dict[tuple, tuple] = {}  # a slot whose readings did not change keeps its decision
    scored: list[tuple | None] = [None] * len(candidates)  # per slot, as last scored
    for _ in range(PASSES):
        restored, pos_map = _contexts(simplified, chosen)
        chosen_at = {(d.start, d.end): d for d in chosen}
        found = []
        for k, (cand, slot) in enumerate(zip(candidates, slots, strict=True)):
            a, b = pos_map[cand.start], pos_map[cand.end]
            if a < 0 or b < 0:
                continue
            previous = chosen_at.get((cand.start, cand.end))
            if previous is not None:
                b = a + len(previous.original)  # the slot reads as restored in `restored`
            lefts = [restored[max(0, a - 2) : a]]
            for n in ends.get(cand.start, ()):
                na = pos_map[n.start]
                if na >= 0 and (n.start, n.end) not in chosen_at:
                    lefts += [(restored[max(0, na - 2) : na] + p.original)[-2:] for p in n.pairs]
            rights = [restored[b : b + 2]]
            for n in starts.get(cand.end, ()):
                nb = pos_map[n.end]
                if nb >= 0 and (n.start, n.end) not in chosen_at:
                    rights += [(p.original + restored[nb : nb + 2])[:2] for p in n.pairs]
            is_confirmed = bool(confirmed) and any(k in confirmed for k in slot.pair_keys)
            key = (cand.start, cand.end, tuple(lefts), tuple(rights), is_confirmed)
            hit = memo.get(key)
            if hit is None:
                d, scores = _decide_one(model, cand, slot, lefts, rights, is_confirmed)
                hit = memo[key] = (d, scores, lefts[0], rights[0])
            scored[k] = hit
            if hit[0] is not None:
                found.append(hit[0])
        new = _non_overlapping(found)
        if new == chosen:
            break
        chosen = new
        confirmed = _confirmed_pairs(chosen)
    return _wider_context(model, simplified, candidates, slots, scored, chosen)


def _wider_context(model: ContextModel, simplified: str, candidates: list[Candidate], slots: list[_Slot],
                   scored: list[tuple | None], chosen: list[Decision]) -> list[Decision]:
    """Let the wider context (:meth:`ContextModel.window_gain`) veto and add context restorations.

    Two characters either side cannot tell near-synonyms apart when both are ordinary
    words (``全区涌现8.62万项创新成果``: ``出现`` follows ``区`` and precedes a number
    far more often than ``涌现`` does), but the topic of the sentence can (``涌现`` goes
    with ``创新``, ``成果``).  A context restoration the window argues against by
    :data:`WINDOW_VETO` nats is dropped; a slot the near context left nearly undecided
    (gain and context gain at least :data:`WINDOW_NEAR_MIN`, as scored in the last pass) is
    restored when the window gives the original :data:`WINDOW_SUPPORT` nats and the sum clears
    :data:`AMBIGUOUS_MARGIN`.  The window is read in the text as restored, since a
    spinner rewrote the topic words too (``立异结果`` for ``创新成果``).  Forms judged by
    their junctions (unambiguous and news-rare ones) and character rules are left as
    decided.
    """
    if not model.has_window:
        return chosen
    restored, pos_map = _contexts(simplified, chosen)
    judged: list[Decision] = []
    out: list[Decision] = []
    taken: set[int] = set()
    for d in chosen:
        taken.update(range(d.start, d.end))
        if d.unambiguous or d.pair.kind == "char" or is_news_rare(model, d.pair):
            out.append(d)  # judged by its junctions
        else:
            judged.append(d)
    near: list[tuple[Candidate, tuple, str, str]] = []
    for cand, slot, hit in zip(candidates, slots, scored, strict=True):
        if hit is None or hit[0] is not None or slot.junction:
            continue
        _, (keep, options), left, right = hit
        gain, context_gain, _, pair = options[0]
        if (gain < WINDOW_NEAR_MIN or context_gain < WINDOW_NEAR_MIN or pair.kind == "char"
                or any(i in taken for i in range(cand.start, cand.end))):
            continue
        near.append((cand, (keep, options), left, right))
    spans = [(pos_map[d.start], d.original, d.spun) for d in judged]
    spans += [(pos_map[c.start], opts[1][0][3].original, c.spun) for c, opts, _, _ in near]
    gains = model.window_gains_at(restored, spans).tolist()
    out += [Decision(d.start, d.end, d.spun, d.original, d.pair, d.unambiguous, d.gain, d.context_gain,
                     d.keep_score, d.best_score, d.left, d.right, d.runner_up, w)
            for d, w in zip(judged, gains, strict=False) if w >= -WINDOW_VETO]
    added = []
    for (cand, (keep, options), left, right), w in zip(near, gains[len(judged):], strict=True):
        gain, context_gain, best, pair = options[0]
        if w >= WINDOW_SUPPORT and gain + w > AMBIGUOUS_MARGIN:
            runner = options[1][3].original if len(options) > 1 else None
            added.append(Decision(cand.start, cand.end, cand.spun, pair.original, pair, False, gain + w,
                                  context_gain, keep, best, left, right, runner, w))
    out.sort(key=lambda d: d.start)
    if not added:
        return out
    return _non_overlapping(out + added)

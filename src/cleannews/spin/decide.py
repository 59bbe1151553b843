"""Decide which spun forms of a page to restore.

1. **Document evidence.**  A form is *unambiguous* when clean news (train split)
   practically never contains it while its original is common, and neither clean
   fiction nor a general dictionary has it as a word (``经由过程``, ``可以或许``,
   ``年夜会``; not ``晓得``, which novels use and news does not).  The number of
   distinct unambiguous substitutions in a page is its spin evidence; one alone
   can be a typing slip (可以获取 typed as 可以或许), so a page counts as spun from
   :data:`MIN_MARKERS` on.  Pages that are not spun are never edited.
2. **Slot decision.**  In a spun page every candidate slot is a confusion set:
   keep the spun form, or restore one of its originals.  Each option is scored as
   ``log c(form) + log P(left context | form) + log P(right context | form)``
   from clean-news counts (:meth:`ContextModel.log_fit`), plus the prior that the
   spinner replaced the original (:data:`SPIN_RATE`).  An unambiguous form is
   judged by its junctions with the neighbours only (:meth:`ContextModel.log_junction`)
   and restored unless they argue against it (a look-alike such as ``套餐与加入`` or
   ``青年夜学`` straddles a word boundary: ``套餐`` and ``青年`` join far better than
   ``套参`` and ``青大``); an ambiguous form (``任务``, ``运动``, ``主要``) needs the
   whole to favour the original by :data:`AMBIGUOUS_MARGIN` nats, and the context
   alone (not just the original's frequency) by :data:`CONTEXT_MIN`.
3. **Neighbours jointly, and the page's own dictionary.**  The page is decided in
   up to :data:`PASSES` passes, each reading the context as the previous one
   restored it; a side touching another spun form is also read with that form
   restored, so runs of spun words (``主要任务`` ← ``重要工作``, ``比赛运动`` ←
   ``竞赛活动``) are recognised together.  A spinner applies its dictionary
   throughout a page, so a pair restored at least :data:`CONFIRM_MIN` times is
   *confirmed*: its other occurrences get a higher prior
   (:data:`CONFIRMED_SPIN_RATE`) and only need a context that does not argue
   against the original.
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
    keep_score: float
    best_score: float
    left: str
    right: str
    runner_up: str | None

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
            junction=any(is_unambiguous(model, p) for p in cand.pairs),
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
                is_confirmed: bool) -> Decision | None:
    rate = CONFIRMED_SPIN_RATE if is_confirmed else SPIN_RATE
    keep, options = _score_options(model, cand, slot, lefts, rights, rate)
    gain, context_gain, best, pair = options[0]
    unambiguous = is_unambiguous(model, pair)
    if unambiguous:
        if gain <= UNAMBIGUOUS_MARGIN:
            return None
    elif gain <= AMBIGUOUS_MARGIN or context_gain < (0.0 if is_confirmed else CONTEXT_MIN):
        return None
    runner = options[1][3].original if len(options) > 1 else None
    return Decision(cand.start, cand.end, cand.spun, pair.original, pair, unambiguous, gain, keep, best,
                    lefts[0], rights[0], runner)


def _non_overlapping(decisions: list[Decision]) -> list[Decision]:
    chosen: list[Decision] = []
    taken: set[int] = set()
    for d in sorted(decisions, key=lambda d: -d.gain):
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
    memo: dict[tuple, Decision | None] = {}  # a slot whose readings did not change keeps its decision
    for _ in range(PASSES):
        restored, pos_map = _contexts(simplified, chosen)
        chosen_at = {(d.start, d.end): d for d in chosen}
        found = []
        for cand, slot in zip(candidates, slots, strict=True):
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
            if key in memo:
                d = memo[key]
            else:
                d = memo[key] = _decide_one(model, cand, slot, lefts, rights, is_confirmed)
            if d is not None:
                found.append(d)
        new = _non_overlapping(found)
        if new == chosen:
            break
        chosen = new
        confirmed = _confirmed_pairs(chosen)
    return chosen

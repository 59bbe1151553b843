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
   against the original by :data:`CONFIRMED_CONTEXT_MIN` nats or more.
4. **The wider context.**  Two characters either side cannot tell near-synonyms
   apart when both are ordinary words; the topic of the sentence can.  The
   Chinese bigrams within :data:`~cleannews.spin.context.WINDOW` characters beyond
   the near context, read in the text as restored, veto a context restoration they
   argue against (``全区涌现8.62万项创新成果`` keeps ``涌现``) and complete one the
   near context left undecided (:func:`_wider_context`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence, Sized
from dataclasses import dataclass
from itertools import pairwise

from cleannews.resources import word_freq
from cleannews.spin.context import ContextModel
from cleannews.spin.gate import SlotEvidence
from cleannews.spin.lexicon import Lexicon, Occurrence, Pair

#: distinct unambiguous forms from which a page counts as spun.
MIN_MARKERS = 2
#: on a spun page, an ambiguous restoration needs a marker within this many characters
#: (:func:`near_markers`).
MARKER_REACH = 1000
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
#: a pass is *confirmed* for the region (one restoration on a spun region is the spinner's
#: dictionary at work: 配置→设置装备摆设 restored in one place is restored in the next)...
CONFIRM_MIN = 1
#: ...its other occurrences get this prior...
CONFIRMED_SPIN_RATE = 0.9
#: ...and only need a context that does not argue against the original by this many nats.
CONFIRMED_CONTEXT_MIN = -1.0
#: decision passes over the page (each reads the context as the previous one restored it).
PASSES = 2
#: nats by which the context must favour the original of an ambiguous form.
AMBIGUOUS_MARGIN = 1.5
#: nats the context alone (not the originals' frequency) must give an ambiguous restoration.
CONTEXT_MIN = 1.0
#: cap (nats) on the evidence one side of a slot can give.
SIDE_CAP = 6.0
#: the page gate trusts a slot's context in proportion to c(form) / (c(form) + CONTEXT_SHRINK): the
#: contexts of a form the model has seen a few times are back-off guesses (:func:`slot_evidence`).
CONTEXT_SHRINK = 100.0
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


def is_unambiguous(model: ContextModel, pair: Pair) -> bool:
    """Clean news practically never has the spun form, and has the original often."""
    key = (pair.original, pair.spun)  # all the answer depends on besides the model
    hit = model.unambiguous_memo.get(key)
    if hit is None:
        hit = model.unambiguous_memo[key] = (is_news_rare(model, pair)
                                             and model.fiction_count(pair.spun) <= UNAMBIGUOUS_MAX_COUNT
                                             and word_freq().get(pair.spun, 0) < UNAMBIGUOUS_MAX_WORD_FREQ)
    return hit


def is_news_rare(model: ContextModel, pair: Pair) -> bool:
    """Clean news practically never has the spun form, and has the original often (the first
    half of :func:`is_unambiguous`).

    Every unambiguous pair is news-rare; so are literary words news does not use
    (进献 for 贡献, 晓得 for 知道).  Those cannot tell a spun page from a clean novel,
    so they are no markers, but on a page already judged spun the original article
    (news) practically never had them: they are judged like unambiguous forms, by
    their junctions with the neighbours.
    """
    key = (pair.original, pair.spun)
    hit = model.news_rare_memo.get(key)
    if hit is None:
        hit = model.news_rare_memo[key] = (model.count(pair.spun) <= UNAMBIGUOUS_MAX_COUNT
                                           and model.count(pair.original) >= UNAMBIGUOUS_MIN_ORIGINAL)
    return hit


def marker_lexicon(model: ContextModel, lexicon: Lexicon) -> Lexicon:
    """The unambiguous pairs only: a small scanner that decides whether a page is spun
    (built once per set-up by :meth:`cleannews.resources.Resources.spin_marker_lexicon`).

    Clean pages are rejected by this scan alone, so the filter costs one fast regex
    pass on clean text.  Held-out pairs of ``lexicon`` stay hidden.
    """
    return Lexicon([p for p in lexicon.pairs if is_unambiguous(model, p)]).without(lexicon.held_out)


def core(spun: str, original: str) -> tuple[str, str]:
    """The part of a pair that differs: (年夜会, 大会) → (年夜, 大); (二十年夜, 二十大) → (年夜, 大)."""
    while spun and original and spun[0] == original[0]:
        spun, original = spun[1:], original[1:]
    while spun and original and spun[-1] == original[-1]:
        spun, original = spun[:-1], original[:-1]
    return spun, original


#: (spun, original) → (the spun core, its offset in the spun form), for :func:`marker_occurrences`.
_cores: dict[tuple[str, str], tuple[str, int]] = {}


def marker_occurrences(model: ContextModel, candidates: list[Occurrence]) -> dict[str, set[int]]:
    """Distinct unambiguous substitutions of the page → the offsets of their spun cores.

    Substitutions are told apart by the characters that differ (:func:`core`):
    ``年夜会``, ``二十年夜`` and ``年夜班`` all show the one substitution 大→年夜, so one
    look-alike (``二十年夜班``) matched by several mined pairs still counts once.
    """
    found: dict[str, set[int]] = {}
    for cand in candidates:
        for p in cand.pairs:
            if is_unambiguous(model, p):
                where = _cores.get((p.spun, p.original))
                if where is None:
                    if len(_cores) > 100_000:
                        _cores.clear()
                    spun_core = core(p.spun, p.original)[0] or p.spun
                    where = _cores[(p.spun, p.original)] = (spun_core, p.spun.find(spun_core))
                spun_core = where[0]
                offset = cand.start + where[1]
                found.setdefault(spun_core, set()).add(offset)
                break
    return found


def near_markers(decisions: list[Decision], occurrences: dict[str, set[int]],
                 reach: int = MARKER_REACH) -> list[Decision]:
    """The decisions with a marker within ``reach`` characters (an unambiguous one is its own).

    Whether a page is spun is decided over the whole page, but a page can hold several
    articles, and a spammed one beside clean ones makes the page "spun" for all of
    them: an ordinary word (主要, 任务) is then restored only where spinning shows
    nearby.  A spun article is dense with markers, so this costs it next to nothing.
    """
    offsets = sorted(o for found in occurrences.values() for o in found)
    if not offsets:
        return decisions
    out = []
    for d in decisions:
        i = bisect.bisect_left(offsets, d.start - reach)
        if d.unambiguous or (i < len(offsets) and offsets[i] < d.end + reach):
            out.append(d)
    return out


def spin_score(marker_forms: Sized) -> float:
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

    junction: bool
    pair_keys: tuple[tuple[str, str], ...]
    #: the pairs themselves (kept so that the id keying ``ContextModel.slot_memo`` stays theirs)
    pairs: tuple[Pair, ...]
    #: per rate (:data:`SPIN_RATE`, :data:`CONFIRMED_SPIN_RATE`): (prior of keeping, priors of
    #: restoring each pair), as :func:`_score_options` adds them
    priors: dict[float, tuple[float, tuple[float, ...]]]
    #: per pair (by id): (unambiguous, news-rare)
    flags: dict[int, tuple[bool, bool]]
    #: the spun form, then each original
    forms: tuple[str, ...]


def _slot(model: ContextModel, cand: Occurrence, originals: frozenset[str]) -> _Slot:
    # keyed by the id of the pairs tuple (the slot holds the tuple, so the id stays its own):
    # hashing the tuple would hash every pair's fields again on every occurrence
    slots = model.slot_memo
    key = (cand.spun, id(cand.pairs))
    hit = slots.get(key)
    if hit is None or hit.pairs is not cand.pairs:
        if len(slots) > 100_000:
            slots.clear()
        keep_is_original = cand.spun in originals
        spun_prior = model.prior(cand.spun)
        original_priors = tuple(model.prior(p.original) for p in cand.pairs)
        priors = {}
        for rate in (SPIN_RATE, CONFIRMED_SPIN_RATE):
            keep_prior = math.log(1.0 - rate) if keep_is_original else 0.0
            restore_prior = math.log(rate / len(cand.pairs))
            priors[rate] = (spun_prior + keep_prior, tuple(c + restore_prior for c in original_priors))
        hit = slots[key] = _Slot(
            junction=any(is_news_rare(model, p) for p in cand.pairs),
            pair_keys=tuple((p.original, p.spun) for p in cand.pairs),
            pairs=cand.pairs,
            priors=priors,
            flags={id(p): (is_unambiguous(model, p), is_news_rare(model, p)) for p in cand.pairs},
            forms=(cand.spun, *(p.original for p in cand.pairs)),
        )
    return hit


def _score_options(model: ContextModel, cand: Occurrence, slot: _Slot, lefts: list[str], rights: list[str],
                   rate: float = SPIN_RATE) -> tuple[float, list[tuple[float, float, float, Pair]]]:
    """(score of keeping, [(gain over keeping, context part of it, score, pair)] best first).

    ``lefts``/``rights`` are the readings of each side: the first is the text as it
    stands; others read a touching spun neighbour as restored.  Each form takes its
    best reading, so two adjacent spun words (``比赛运动`` ← ``竞赛活动``) can be
    recognised together.  The sides are scored independently
    (:meth:`ContextModel.left_fit` / :meth:`~ContextModel.right_fit`, or the
    junction terms for a slot with an unambiguous pair), each memoised.  The gains are
    :func:`_gain`'s, written out (this runs for every slot of every pass).
    """
    left_of, right_of, left_memo, right_memo = model.side_scorers(slot.junction)
    # most slots have one reading per side: skip building a list to take its max, and read
    # the side's memo directly (the scorer computes and memoises what is not there yet)
    left0, right0 = lefts[0], rights[0]
    many_lefts, many_rights = len(lefts) > 1, len(rights) > 1
    form = cand.spun
    keep_first, option_firsts = slot.priors[rate]
    if many_lefts:
        keep_left = max([left_of(form, v) for v in lefts])
    else:
        keep_left = left_memo.get((form, left0))
        if keep_left is None:
            keep_left = left_of(form, left0)
    if many_rights:
        keep_right = max([right_of(form, v) for v in rights])
    else:
        keep_right = right_memo.get((form, right0))
        if keep_right is None:
            keep_right = right_of(form, right0)
    keep_parts = (keep_first, keep_left, keep_right)
    options = []
    cap = SIDE_CAP
    for p, first in zip(cand.pairs, option_firsts, strict=True):
        form = p.original
        if many_lefts:
            o_left = max([left_of(form, v) for v in lefts])
        else:
            o_left = left_memo.get((form, left0))
            if o_left is None:
                o_left = left_of(form, left0)
        if many_rights:
            o_right = max([right_of(form, v) for v in rights])
        else:
            o_right = right_memo.get((form, right0))
            if o_right is None:
                o_right = right_of(form, right0)
        prior = first - keep_first
        left = o_left - keep_left  # max(-cap, min(cap, left)), as _gain, NaN included
        left = left if left < cap else cap
        left = left if left > -cap else -cap
        right = o_right - keep_right
        right = right if right < cap else cap
        right = right if right > -cap else -cap
        options.append((prior + left + right, left + right, sum((first, o_left, o_right)), p))
    if len(options) > 1:
        options.sort(key=lambda gsp: -gsp[0])
    return sum(keep_parts), options


def _decide_one(model: ContextModel, cand: Occurrence, slot: _Slot, lefts: list[str], rights: list[str],
                is_confirmed: bool) -> tuple[Decision | None, tuple]:
    """(the restoration or None, (keep score, options) as scored)."""
    rate = CONFIRMED_SPIN_RATE if is_confirmed else SPIN_RATE
    keep, options = _score_options(model, cand, slot, lefts, rights, rate)
    gain, context_gain, best, pair = options[0]
    unambiguous, news_rare = slot.flags[id(pair)]
    if unambiguous or news_rare:
        if gain <= UNAMBIGUOUS_MARGIN:
            return None, (keep, options)
    elif gain <= AMBIGUOUS_MARGIN or context_gain < (CONFIRMED_CONTEXT_MIN if is_confirmed else CONTEXT_MIN):
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
    if not decisions:
        return []
    by_start = sorted(decisions, key=lambda d: d.start)
    if all(d.end <= e.start for d, e in pairwise(by_start)):  # disjoint: all of them, in order
        return by_start
    # a span lies strictly inside another when a span starting earlier ends at or after its end,
    # or one starting at the same place ends later: per start, the furthest end, and the
    # furthest end of all earlier starts (one sorted sweep instead of comparing every pair)
    end_at: dict[int, int] = {}
    for d in decisions:
        if end_at.get(d.start, -1) < d.end:
            end_at[d.start] = d.end
    end_before: dict[int, int] = {}
    furthest = -1
    for a in sorted(end_at):
        end_before[a] = furthest
        furthest = max(furthest, end_at[a])
    whole = [d for d in decisions if end_before[d.start] < d.end and end_at[d.start] <= d.end]
    chosen: list[Decision] = []
    taken = bytearray(max(d.end for d in whole) + 1) if whole else bytearray()
    for d in sorted(whole, key=lambda d: -d.gain):
        a, b = d.start, d.end
        if taken.find(1, a, b) < 0:
            chosen.append(d)
            taken[a:b] = b"\x01" * (b - a)
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


def _sides(text: str, pos_map: Sequence[int], chosen_at: dict[tuple[int, int], Decision], cand: Occurrence,
           ends: dict[int, list[Occurrence]], starts: dict[int, list[Occurrence]]
           ) -> tuple[list[str], list[str]] | None:
    """The readings of a slot's sides in ``text`` (the page as ``chosen_at`` restores it;
    ``pos_map`` maps page offsets there, -1 inside a restoration): the text as it stands,
    and each touching spun neighbour not restored yet read as restored.  None for a slot
    swallowed by another's restoration."""
    a, b = pos_map[cand.start], pos_map[cand.end]
    if a < 0 or b < 0:
        return None
    previous = chosen_at.get((cand.start, cand.end))
    if previous is not None:
        b = a + len(previous.original)  # the slot reads as restored in `text`
    lefts = [text[max(0, a - 2) : a]]
    for n in ends.get(cand.start, ()):
        na = pos_map[n.start]
        if na >= 0 and (n.start, n.end) not in chosen_at:
            lefts += [(text[max(0, na - 2) : na] + p.original)[-2:] for p in n.pairs]
    rights = [text[b : b + 2]]
    for n in starts.get(cand.end, ()):
        nb = pos_map[n.end]
        if nb >= 0 and (n.start, n.end) not in chosen_at:
            rights += [(p.original + text[nb : nb + 2])[:2] for p in n.pairs]
    return lefts, rights


def _first_sides(simplified: str, candidates: list[Occurrence], ends: dict[int, list[Occurrence]],
                 starts: dict[int, list[Occurrence]]) -> list[tuple[list[str], list[str]]]:
    """Per slot, :func:`_sides` in the first pass, when nothing is restored yet."""
    identity = range(len(simplified) + 1)
    return [_sides(simplified, identity, {}, cand, ends, starts) for cand in candidates]


def _prefetch(model: ContextModel, slots: list[_Slot],
              sides: list[tuple[list[str], list[str]]]) -> None:
    """Have the model score, in one vectorised batch, every side the first pass will read.

    The readings are those of the first pass (:func:`_first_sides`); later passes ask few
    new questions.
    """
    lefts: set[tuple[str, str]] = set()
    rights: set[tuple[str, str]] = set()
    for slot, (side_l, side_r) in zip(slots, sides, strict=True):
        if slot.junction:
            continue
        forms = slot.forms
        if len(side_l) == 1:
            v = side_l[0]
            lefts.update([(form, v) for form in forms])
        else:
            lefts.update([(form, v) for form in forms for v in side_l])
        if len(side_r) == 1:
            v = side_r[0]
            rights.update([(form, v) for form in forms])
        else:
            rights.update([(form, v) for form in forms for v in side_r])
    model.prefetch_fits(lefts, rights)


def slot_evidence(model: ContextModel, lexicon: Lexicon, simplified: str, candidates: list[Occurrence]
                  ) -> list[SlotEvidence]:
    """Per candidate slot, ``Σ_o P(o | context) / (k · P(spun | context))`` over its ``k`` originals
    (the page evidence of :mod:`cleannews.spin.gate`).

    Each ratio is the forms' frequency ratio in all clean text (:func:`_pooled_count`) times
    what the near context says (the context part of the first pass's scores, the slot read
    as it stands), shrunk when the model has seen the spun form rarely
    (:data:`CONTEXT_SHRINK`): those contexts are back-off guesses, and a novel's 忽然 or a
    forum's 咱们 must not look spun because news contexts do not know them.
    """
    originals = lexicon.originals
    ends: dict[int, list[Occurrence]] = {}
    starts: dict[int, list[Occurrence]] = {}
    for cand in candidates:
        ends.setdefault(cand.end, []).append(cand)
        starts.setdefault(cand.start, []).append(cand)
    slots = [_slot(model, cand, originals) for cand in candidates]
    sides = _first_sides(simplified, candidates, ends, starts)
    _prefetch(model, slots, sides)
    out = []
    for cand, slot, (lefts, rights) in zip(candidates, slots, sides, strict=True):
        _, options = _score_options(model, cand, slot, lefts[:1], rights[:1], SPIN_RATE)
        spun_count = _pooled_count(model, cand.spun)
        weight = model.count(cand.spun) / (model.count(cand.spun) + CONTEXT_SHRINK)
        ratio = sum(math.exp(min(50.0, math.log(_pooled_count(model, p.original) / spun_count)
                                 + weight * context_gain))
                    for _, context_gain, _, p in options) / len(cand.pairs)
        marker = any(unambiguous for unambiguous, _ in slot.flags.values())
        out.append(SlotEvidence(cand.start, cand.spun, cand.spun in originals, ratio, marker))
    return out


def _pooled_count(model: ContextModel, form: str) -> float:
    """Occurrences of ``form`` in all clean text the model knows (its counts and clean fiction), smoothed.

    A clean page can be of any kind: a novel writes 觉得, 可是 and 忽然 far more often than
    news does, and the page gate must not read a clean novel's own words as a spinner's.
    """
    return model.count(form) + model.fiction_count(form) + 0.5


def decide(model: ContextModel, lexicon: Lexicon, simplified: str, candidates: list[Occurrence]
           ) -> list[Decision]:
    """Restorations for a page already judged spun (see the module docstring)."""
    originals = lexicon.originals
    chosen: list[Decision] = []
    confirmed: frozenset[tuple[str, str]] = frozenset()
    ends: dict[int, list[Occurrence]] = {}
    starts: dict[int, list[Occurrence]] = {}
    for cand in candidates:
        ends.setdefault(cand.end, []).append(cand)
        starts.setdefault(cand.start, []).append(cand)
    slots = [_slot(model, cand, originals) for cand in candidates]
    sides = _first_sides(simplified, candidates, ends, starts)
    _prefetch(model, slots, sides)
    memo: dict[tuple, tuple] = {}  # a slot whose readings did not change keeps its decision
    scored: list[tuple | None] = [None] * len(candidates)  # per slot, as last scored
    read_for: list[Decision] | None = None  # the decisions the text was last read as restored by
    read_as: tuple[str, list[int]] | None = None
    for _ in range(PASSES):
        found = []
        if not chosen:  # nothing restored yet: the text as it stands, read as _first_sides did
            for k, (cand, slot, (lefts, rights)) in enumerate(zip(candidates, slots, sides, strict=True)):
                d, scores = _decide_one(model, cand, slot, lefts, rights, False)
                hit = memo[(cand.start, cand.end, tuple(lefts), tuple(rights), False)] = (
                    d, scores, lefts[0], rights[0])
                scored[k] = hit
                if d is not None:
                    found.append(d)
        else:
            restored, pos_map = read_as = _contexts(simplified, chosen)
            read_for = chosen
            chosen_at = {(d.start, d.end): d for d in chosen}
            for k, (cand, slot) in enumerate(zip(candidates, slots, strict=True)):
                read = _sides(restored, pos_map, chosen_at, cand, ends, starts)
                if read is None:
                    continue
                lefts, rights = read
                is_confirmed = bool(confirmed) and not confirmed.isdisjoint(slot.pair_keys)
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
    return _wider_context(model, simplified, candidates, slots, scored, chosen,
                          read_as if read_for is chosen else None)


def _same_window_gain(d: Decision, w: float) -> bool:
    """Whether ``d`` already carries the window gain ``w``, sign of zero included."""
    return d.window_gain == w and math.copysign(1.0, d.window_gain) == math.copysign(1.0, w)


def _wider_context(model: ContextModel, simplified: str, candidates: list[Occurrence], slots: list[_Slot],
                   scored: list[tuple | None], chosen: list[Decision],
                   read_as: tuple[str, list[int]] | None = None) -> list[Decision]:
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
    decided.  ``read_as`` is ``_contexts(simplified, chosen)`` when the caller has it already.
    """
    if not model.has_window:
        return chosen
    restored, pos_map = read_as if read_as is not None else _contexts(simplified, chosen)  # as decide read it
    judged: list[Decision] = []
    out: list[Decision] = []
    taken: set[int] = set()
    for d in chosen:
        taken.update(range(d.start, d.end))
        if d.unambiguous or d.pair.kind == "char" or is_news_rare(model, d.pair):
            out.append(d)  # judged by its junctions
        else:
            judged.append(d)
    near: list[tuple[Occurrence, tuple, str, str]] = []
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
    out += [d if _same_window_gain(d, w)  # nothing to record: the decision as it is
            else Decision(d.start, d.end, d.spun, d.original, d.pair, d.unambiguous, d.gain, d.context_gain,
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

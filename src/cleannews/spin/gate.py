"""Is a page, or a region of it, spun?  A likelihood ratio summed over every candidate slot.

Counting distinct *unambiguous* markers (forms clean text practically never has) throws
most of a page's evidence away: a technical page a spinner rewrote with ordinary words
(不合, 申明, 若是, 题目, 便是, each repeated) may carry one marker or none.  Every slot
where a spun form of the lexicon stands says something, and so does every original the
spinner would have rewritten but that stands as written.  Two hypotheses:

* **clean**: the form ``s`` at a slot was written by the author, with probability
  ``P(s | context)``;
* **spun at rate ρ**: either ``s`` was written and left alone (probability ``1 − ρ``
  when ``s`` is itself an original the spinner rewrites, else 1), or one of the ``k``
  originals ``o`` of ``s`` was written and rewritten (``ρ / k``).

So a slot's likelihood ratio is ``(1 − ρ)^[s is an original] + ρ/k · Σ_o P(o | ctx) / P(s | ctx)``,
with the ratio read off the context model's scores of the slot as it stands
(:func:`cleannews.spin.decide.slot_ratios`: the form's frequency and its one- and
two-character neighbours either side, from clean text).  A multi-character original
standing unspun where it is no spun form itself has ratio ``1 − ρ``: a page full of 通过,
工作 and 问题 argues against spinning however many look-alikes it has.  In expectation
over clean text the log ratio is not positive, so clean pages drift below zero as they
grow, while a spun page's evidence grows with it.

Caps keep one form from deciding (:class:`GateParams`): a slot gives at most ``slot_cap``
nats (``marker_cap`` for a marker, a form clean text practically never has: a typing slip
such as 可以或许 for 可以获取 is one slot), and all the occurrences of one spun form
together at most ``form_cap`` (a clean article about 平易近人 repeats its word).  Each
form's mean evidence over clean text of every kind (``bias``) is taken off its slots, so
a form that reads as spun in clean Taiwanese news or novels (当局, 十分) says only what
its slots say beyond that; and the bar rises with the square root of the number of terms
summed (``spread``), as the noise of a clean sum does.

**Regions.**  A file can hold several documents (a digest, an archive, one article per
line).  Evidence is summed per line; the spun *regions* are the maximal runs of lines
whose summed evidence cannot be raised by dropping lines at either end (maximal scoring
runs), and a region is spun when its evidence, with the caps applied within it, reaches
:meth:`GateParams.bar`.  Slots are
only restored inside spun regions, so a clean article beside a spun one keeps its words
and a region never borrows evidence from lines it does not contain.

The bias, spread and threshold are calibrated on clean text only (news, broad corpus and
fiction; ``python -m cleannews.train.spin_gate``): the threshold lies above every clean
dev document seen there by a margin.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

MODEL = "spin_gate"


@dataclass(frozen=True)
class GateParams:
    """The gate's calibrated parameters (``models/spin_gate.json``, written by
    ``python -m cleannews.train.spin_gate``)."""

    #: the spinner rate ρ the evidence is evaluated at.
    rate: float = 0.3
    #: nats one slot can give at most.
    slot_cap: float = 5.0
    #: nats all occurrences of one spun form can give together at most.
    form_cap: float = 8.0
    #: nats a *marker* slot (a form clean text practically never has:
    #: :func:`cleannews.spin.decide.is_unambiguous`) can give, and all occurrences of one
    #: marker together: one marker can be a typing slip, two distinct ones are not.
    marker_cap: float = 10.0
    #: nats from which a region counts as spun, plus ``spread · sqrt(terms)``...
    threshold: float = 20.0
    #: ...where ``terms`` counts the region's slots and unspun originals: clean evidence is a sum
    #: of that many noisy terms, so its spread grows with their square root.
    spread: float = 0.0
    #: per spun form, the mean (capped) log ratio of its occurrences in clean text, taken off
    #: each of its slots: a form whose clean occurrences read as spun on average says nothing.
    bias: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_params(cls, p: dict) -> GateParams:
        return cls(float(p["rate"]), float(p["slot_cap"]), float(p["form_cap"]), float(p["marker_cap"]),
                   float(p["threshold"]), float(p["spread"]), {k: float(v) for k, v in p["bias"].items()})

    def bar(self, terms: int) -> float:
        """The evidence a region of ``terms`` slots and unspun originals needs to count as spun."""
        return self.threshold + self.spread * math.sqrt(terms)


def read_gate_params() -> GateParams:
    """The calibrated gate (``models/spin_gate.json``, checked like every model card)."""
    from cleannews.modelfile import load_params

    return GateParams.from_params(load_params(MODEL))


@dataclass(frozen=True, slots=True)
class SlotEvidence:
    """One candidate slot: where it is, its spun form, and ``Σ_o P(o|ctx) / (k P(s|ctx))``."""

    start: int
    form: str
    is_original: bool
    ratio: float
    #: a form clean text practically never has (capped by ``marker_cap``, not ``slot_cap``)
    marker: bool = False


@dataclass(frozen=True, slots=True)
class Region:
    """A run of whole lines ``[start, end)`` of the page and its evidence (nats)."""

    start: int
    end: int
    llr: float
    #: slots and unspun originals the evidence sums over
    terms: int
    spun: bool


def raw_slot_llr(ev: SlotEvidence, params: GateParams) -> float:
    """A slot's log-likelihood ratio at the spinner rate, capped, before the form's clean bias."""
    rate = params.rate
    keep = 1.0 - rate if ev.is_original else 1.0
    return min(params.marker_cap if ev.marker else params.slot_cap, math.log(keep + rate * ev.ratio))


def evidence_llr(slots: Sequence[SlotEvidence], unspun_originals: int, params: GateParams) -> float:
    """Summed evidence: slots less their form's clean bias (capped per form), unspun originals."""
    per_form: dict[str, float] = {}
    markers: set[str] = set()
    negative = unspun_originals * math.log(1.0 - params.rate)
    bias = params.bias
    for ev in slots:
        v = raw_slot_llr(ev, params) - bias.get(ev.form, 0.0)
        if v > 0:
            per_form[ev.form] = per_form.get(ev.form, 0.0) + v
            if ev.marker:
                markers.add(ev.form)
        else:
            negative += v
    form_cap, marker_cap = params.form_cap, params.marker_cap
    return negative + sum(min(marker_cap if f in markers else form_cap, v) for f, v in per_form.items())


def line_bounds(text: str) -> list[int]:
    """Start offsets of the lines of ``text``, and ``len(text)`` last."""
    starts = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    if starts[-1] != len(text) or len(starts) == 1:
        starts.append(len(text))
    return starts


def maximal_segments(scores: Sequence[float]) -> list[tuple[int, int]]:
    """Maximal scoring runs of ``scores``: ``[(i, j)]``, half-open, in order.

    The best-scoring run (Kadane's scan), then recursively the best runs left and right of
    it: disjoint runs of positive total, none of which can be raised by growing or
    shrinking it at either end (cf. Ruzzo and Tompa's maximal scoring subsequences).
    """
    out: list[tuple[int, int]] = []
    stack = [(0, len(scores))]
    while stack:
        lo, hi = stack.pop()
        best, best_i, best_j = 0.0, lo, lo
        run, run_i = 0.0, lo
        for k in range(lo, hi):
            if run <= 0.0:
                run, run_i = 0.0, k
            run += scores[k]
            if run > best:
                best, best_i, best_j = run, run_i, k + 1
        if best <= 0.0:
            continue
        out.append((best_i, best_j))
        stack.append((lo, best_i))
        stack.append((best_j, hi))
    out.sort()
    return out


def regions(text: str, slots: Sequence[SlotEvidence], originals: Sequence[int],
            params: GateParams) -> list[Region]:
    """The candidate regions of ``text`` (see the module docstring), most evidence first.

    ``slots`` are the candidate slots (sorted by start); ``originals`` the offsets of the
    unspun originals.
    """
    if not slots:
        return []
    bounds = line_bounds(text)
    n_lines = len(bounds) - 1
    if n_lines == 1:
        llr = evidence_llr(slots, len(originals), params)
        terms = len(slots) + len(originals)
        return [Region(0, len(text), llr, terms, llr >= params.bar(terms))]
    by_line: list[list[SlotEvidence]] = [[] for _ in range(n_lines)]
    for ev in slots:
        by_line[bisect.bisect_right(bounds, ev.start) - 1].append(ev)
    unspun = [0] * n_lines
    for o in originals:
        unspun[bisect.bisect_right(bounds, o) - 1] += 1
    score = [evidence_llr(by_line[k], unspun[k], params) if by_line[k] or unspun[k] else 0.0
             for k in range(n_lines)]
    out = []
    for i, j in maximal_segments(score):
        inside = [ev for k in range(i, j) for ev in by_line[k]]
        terms = len(inside) + sum(unspun[i:j])
        llr = evidence_llr(inside, sum(unspun[i:j]), params)
        out.append(Region(bounds[i], bounds[j], llr, terms, llr >= params.bar(terms)))
    out.sort(key=lambda r: -r.llr)
    return out

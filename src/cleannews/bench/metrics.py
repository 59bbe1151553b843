"""Benchmark metrics, computed from the ground truth and ``Result.steps()``.

A *step* here is a plain dict ``{start, end, before, after, filter}`` in input
offsets (every edit, absorbed ones included).  Scoring rules:

* **spam** — a ground-truth occurrence is removed when a ``spam`` step covers its
  span and deletes it (the step's ``after`` equals its ``before`` without the term:
  the filter may also take a stray space or doubled punctuation with it).  A spam
  step is a true positive when it removes at least one ground-truth occurrence.
* **spinning** — a spun form is restored when a ``spinning`` step covers its span
  and yields the original: the step's ``after`` equals its ``before`` with every
  ground-truth spun form inside it replaced by its original (compared on the
  Simplified view, so the script the replacement is rendered in does not matter).
  A step is a true positive when it is correct and covers a ground-truth form.
  Steps inside spliced fiction are not scored (that text was never spun).
* **fiction** — character sets: characters inside ground-truth fiction spans vs.
  characters deleted by ``fiction`` steps; a span is *exact* when one step has both its
  boundaries, *found* when any step overlaps it (exact among found: boundary quality
  apart from detection).
* **CER** — exact Levenshtein distance / ``len(original)``, on the Simplified view
  of both texts (script rendering is not counted as an error).

"Simplified view" here is :func:`normalise`: cleannews' character table, then OpenCC's
phrase-level ``t2s``.  The second step matters for Traditional articles: the reference
was made by a naive character converter (了解 → 了解) while cleannews renders a
replacement with OpenCC's phrase converter (了解 → 瞭解); both are the same Simplified
text and neither is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cleannews.script import to_simplified

Step = dict[str, Any]


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalise(text: str, traditional: bool = True) -> str:
    """The Simplified text compared by the metrics (see the module docstring)."""
    simplified = to_simplified(text)
    return _t2s().convert(simplified) if traditional else simplified


# --------------------------------------------------------------------------- edit distance


def levenshtein(a: str, b: str) -> int:
    """Exact Levenshtein distance (unit costs).

    Common prefix and suffix are stripped, then Hyyrö's bit-parallel version of
    Myers' algorithm runs with Python integers as bit vectors: one pass over the
    longer string, O(len(a) * len(b) / word size) machine work.
    """
    if a == b:
        return 0
    i, n = 0, min(len(a), len(b))
    while i < n and a[i] == b[i]:
        i += 1
    a, b = a[i:], b[i:]
    j = 0
    n = min(len(a), len(b))
    while j < n and a[-1 - j] == b[-1 - j]:
        j += 1
    if j:
        a, b = a[:-j], b[:-j]
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for k, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << k)
    full = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score


def levenshtein_dp(a: str, b: str) -> int:
    """Plain dynamic-programming Levenshtein (reference for tests)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# --------------------------------------------------------------------------- counters


@dataclass
class PR:
    """Precision / recall counters."""

    tp_pred: int = 0  # predictions that are correct
    n_pred: int = 0
    tp_gold: int = 0  # gold items found
    n_gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp_pred / self.n_pred if self.n_pred else None

    @property
    def recall(self) -> float | None:
        return self.tp_gold / self.n_gold if self.n_gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)

    def add(self, other: PR) -> None:
        self.tp_pred += other.tp_pred
        self.n_pred += other.n_pred
        self.tp_gold += other.tp_gold
        self.n_gold += other.n_gold

    def to_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "correct_predictions": self.tp_pred, "predictions": self.n_pred,
                "found": self.tp_gold, "gold": self.n_gold}


def span_pr(gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> PR:
    """Character-level P/R of predicted spans against gold spans (half-open, any overlap allowed)."""
    g = _chars(gold)
    p = _chars(pred)
    inter = len(g & p)
    return PR(tp_pred=inter, n_pred=len(p), tp_gold=inter, n_gold=len(g))


def _chars(spans: Iterable[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for s, e in spans:
        out.update(range(s, e))
    return out


def _covers(step: Step, start: int, end: int) -> bool:
    return step["start"] <= start and end <= step["end"] and step["start"] < step["end"]


# --------------------------------------------------------------------------- per filter


def spam_scores(ops: Sequence[dict], steps: Sequence[Step]) -> PR:
    gold = [o for o in ops if o["type"] == "spam"]
    mine = [s for s in steps if s["filter"] == "spam"]
    pr = PR(n_pred=len(mine), n_gold=len(gold))
    used: set[int] = set()
    for st in mine:
        inside = [o for o in gold if _covers(st, o["start"], o["end"])]
        if inside and _without(st, inside) == st["after"]:
            used.update(id(o) for o in inside)
            pr.tp_pred += 1
    pr.tp_gold = sum(1 for o in gold if id(o) in used)
    return pr


def _without(step: Step, spans: Sequence[dict]) -> str:
    """The step's ``before`` with the given ground-truth spans deleted."""
    before, base = step["before"], step["start"]
    out, pos = [], 0
    for o in sorted(spans, key=lambda o: o["start"]):
        s = o["start"] - base
        if s < pos:
            continue
        out.append(before[pos:s])
        pos = o["end"] - base
    out.append(before[pos:])
    return "".join(out)


def _restored(step: Step, ops: Sequence[dict]) -> str:
    """The step's ``before`` with every ground-truth op inside it undone (spun forms put back,
    spam and fiction removed): what a correct step writes, even one merged with others."""
    before, base = step["before"], step["start"]
    inside = [o for o in ops if _covers(step, o["start"], o["end"])]
    fiction = [o for o in inside if o["type"] == "fiction"]
    nested = [o for o in inside if any(f is not o and _covers(f, o["start"], o["end"]) for f in fiction)]
    top = sorted((o for o in inside if not any(o is n for n in nested)), key=lambda o: o["start"])
    out, pos = [], 0
    for o in top:
        s = o["start"] - base
        if s < pos:
            continue
        out.append(before[pos:s])
        out.append(o["original"] if o["type"] == "spin" else "")
        pos = o["end"] - base
    out.append(before[pos:])
    return "".join(out)


SPIN_STRATA = ("all", "known", "held-out", "unambiguous", "ambiguous",
               "known+unambiguous", "known+ambiguous", "held-out+unambiguous", "held-out+ambiguous",
               "kind:char", "kind:word", "kind:boundary")


def spin_strata(op: dict) -> list[str]:
    known = "held-out" if op.get("held_out") else "known"
    amb = "ambiguous" if op.get("ambiguous") else "unambiguous"
    return ["all", known, amb, f"{known}+{amb}", "kind:" + op.get("kind", "word")]


def spin_scores(ops: Sequence[dict], steps: Sequence[Step], held_out: frozenset[tuple[str, str]],
                ambiguous: frozenset[str], spun_forms: frozenset[str] | None = None) -> dict[str, PR]:
    """P/R of restorations per stratum.

    A wrong step counts against the strata of the pair it wrote (held-out when
    (after, before) is a held-out pair; ambiguous/unambiguous only when its
    ``before`` is a spun form of the lexicon, ``spun_forms``); it never counts
    against a ``kind:`` stratum.
    """
    out = {k: PR() for k in SPIN_STRATA}
    gold = [o for o in ops if o["type"] == "spin"]
    # Spliced fiction was never spun and is removed anyway: edits inside it are not scored.
    fiction = [o for o in ops if o["type"] == "fiction"]
    mine = [s for s in steps if s["filter"] == "spinning"
            and not any(_covers(f, s["start"], s["end"]) for f in fiction)]
    restored: set[int] = set()
    for st in mine:
        inside = [o for o in gold if _covers(st, o["start"], o["end"])]
        ok = bool(inside) and normalise(_restored(st, ops)) == normalise(st["after"])
        if ok:
            restored.update(id(o) for o in inside)
            strata = set().union(*(spin_strata(o) for o in inside))
        else:
            before_s, after_s = normalise(st["before"]), normalise(st["after"])
            known = "held-out" if (after_s, before_s) in held_out else "known"
            strata = {"all", known}
            if spun_forms is None or before_s in spun_forms:
                amb = "ambiguous" if before_s in ambiguous else "unambiguous"
                strata |= {amb, f"{known}+{amb}"}
        for k in strata:
            if k.startswith("kind:"):
                continue  # a wrong edit has no ground-truth kind: precision is not defined per kind
            out[k].n_pred += 1
            out[k].tp_pred += ok
    for o in gold:
        for k in spin_strata(o):
            out[k].n_gold += 1
            out[k].tp_gold += id(o) in restored
    return out


LENGTH_BUCKETS = (("<=10", 0, 10), ("11-30", 11, 30), (">30", 31, 10**9))


@dataclass
class FictionScores:
    chars: PR = field(default_factory=PR)
    spans: int = 0
    exact: int = 0
    found: int = 0  # inserted spans a fiction step overlaps (found at all, whatever its boundaries)
    docs_without: int = 0  # corrupted articles with no inserted fiction ...
    docs_without_cut: int = 0  # ... of which the fiction filter still removed text
    bucket_found: dict[str, int] = field(default_factory=lambda: {b: 0 for b, _, _ in LENGTH_BUCKETS})
    bucket_total: dict[str, int] = field(default_factory=lambda: {b: 0 for b, _, _ in LENGTH_BUCKETS})

    def add(self, other: FictionScores) -> None:
        self.chars.add(other.chars)
        self.spans += other.spans
        self.exact += other.exact
        self.found += other.found
        self.docs_without += other.docs_without
        self.docs_without_cut += other.docs_without_cut
        for b in self.bucket_found:
            self.bucket_found[b] += other.bucket_found[b]
            self.bucket_total[b] += other.bucket_total[b]

    def to_dict(self) -> dict[str, Any]:
        return {"chars": self.chars.to_dict(), "spans": self.spans,
                "exact_boundaries": self.exact / self.spans if self.spans else None,
                "found_spans": self.found,
                # boundary quality apart from detection: of the spans found, the share cut exactly
                "exact_among_found": self.exact / self.found if self.found else None,
                # harm where the page is corrupted otherwise (spam, spinning) but holds no novel
                "docs_without_fiction": self.docs_without,
                "docs_without_fiction_cut": self.docs_without_cut,
                "recall_by_length": {b: (self.bucket_found[b] / self.bucket_total[b]
                                         if self.bucket_total[b] else None) for b in self.bucket_found},
                "chars_by_length": dict(self.bucket_total)}


def fiction_scores(ops: Sequence[dict], steps: Sequence[Step]) -> FictionScores:
    gold = [(o["start"], o["end"]) for o in ops if o["type"] == "fiction"]
    pred = [(s["start"], s["end"]) for s in steps if s["filter"] == "fiction"]
    out = FictionScores(chars=span_pr(gold, pred), spans=len(gold), docs_without=int(not gold),
                        docs_without_cut=int(not gold and bool(pred)))
    removed = _chars(pred)
    exact = set(pred)
    for s, e in gold:
        out.exact += (s, e) in exact
        out.found += any(ps < e and s < pe for ps, pe in pred)
        n = e - s
        for name, lo, hi in LENGTH_BUCKETS:
            if lo <= n <= hi:
                out.bucket_total[name] += n
                out.bucket_found[name] += sum(1 for c in range(s, e) if c in removed)
    return out


def cer_counts(original: str, corrupted: str, cleaned: str, traditional: bool = True) -> tuple[int, int, int]:
    """(len(original), distance corrupted→original, distance cleaned→original) on :func:`normalise`."""
    o = normalise(original, traditional)
    return (len(o), levenshtein(normalise(corrupted, traditional), o),
            levenshtein(normalise(cleaned, traditional), o))


def harm_counts(steps: Sequence[Step]) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in steps:
        out[s["filter"]] = out.get(s["filter"], 0) + 1
    return out

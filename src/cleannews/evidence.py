"""Typed evidence that one filter hands to later ones: :class:`PageEvidence`.

Corruptions come together: the network that injects spam terms also spins the text
and splices in novels.  So a later filter's decision may rest on what an earlier
one found (the fiction filter lowers its bar near spam terms and spin markers).
That dependency is declared, not implied: a filter lists the evidence kinds it
``produces`` and ``consumes`` (class attributes, names below); the pipeline orders
producers before consumers and, when no filter of the pipeline produces a kind
a filter consumes, computes it on the input with the producer's own rule
(:data:`PROVIDERS`), so a filter run alone decides on the same basis as in the
default pipeline.

Offsets are input offsets (the document as read), whatever earlier filters
removed, so evidence can be weighed near a span (a page may hold several articles).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleannews.pipeline import Context

#: spam terms judged injected (what the spam filter removes): :attr:`PageEvidence.spam_terms`.
SPAM_TERMS = "spam_terms"
#: spinner substitutions clean news practically never shows: :attr:`PageEvidence.spin_markers`.
SPIN_MARKERS = "spin_markers"

#: evidence kind → ``module:function(text, ctx) -> tuple[Mark, ...]`` computing it on ``text``
#: (the input) with the producing filter's own rule, for pipelines without that filter.
PROVIDERS: dict[str, str] = {
    SPAM_TERMS: "cleannews.spam.detect:spam_terms_evidence",
    SPIN_MARKERS: "cleannews.spin.restore:spin_markers_evidence",
}


class EvidenceOrderError(ValueError):
    """Filters whose evidence declarations cannot be satisfied in any order (a cycle)."""


@dataclass(frozen=True, slots=True)
class Mark:
    """One piece of evidence: where it lies (input offset) and what it is."""

    offset: int
    label: str


@dataclass
class PageEvidence:
    """What earlier filters found on the page, by kind; ``None``: not known (yet).

    * ``spam_terms``: one mark per spam term the spam filter removes — the offset of
      the removal, the removed text as label;
    * ``spin_markers``: one mark per occurrence of an *unambiguous* spinner substitution
      (a spun form clean news practically never has; :func:`cleannews.spin.decide.marker_occurrences`),
      the offset of its spun core, the core as label.  Occurrences of one substitution
      share a label; the page's marker count is the number of distinct labels.
    """

    spam_terms: tuple[Mark, ...] | None = None
    spin_markers: tuple[Mark, ...] | None = None

    def get(self, kind: str) -> tuple[Mark, ...]:
        """The marks of ``kind``; a filter must not read a kind it did not declare."""
        found = getattr(self, kind)
        if found is None:
            raise LookupError(f"evidence '{kind}' was not produced (declare it in the filter's consumes)")
        return found

    def spam_count(self, lo: float = float("-inf"), hi: float = float("inf")) -> int:
        """Spam terms removed at input offsets in ``[lo, hi)``."""
        return sum(1 for m in self.get(SPAM_TERMS) if lo <= m.offset < hi)

    def spin_marker_count(self, lo: float = float("-inf"), hi: float = float("inf")) -> int:
        """Distinct spinner substitutions with an occurrence at input offsets in ``[lo, hi)``."""
        return len({m.label for m in self.get(SPIN_MARKERS) if lo <= m.offset < hi})


@dataclass
class Declares:
    """A filter's evidence declarations (plugins that declare nothing produce and consume nothing)."""

    produces: frozenset[str] = field(default_factory=frozenset)
    consumes: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, filt: Any) -> Declares:
        return cls(frozenset(getattr(filt, "produces", ())), frozenset(getattr(filt, "consumes", ())))


def order_filters(filters: Sequence[Any]) -> list[Any]:
    """The filters with every producer before the consumers of its evidence, otherwise in
    the given order (a stable topological sort); raises :class:`EvidenceOrderError` on a cycle."""
    declared = [Declares.of(f) for f in filters]
    for d in declared:
        unknown = (d.produces | d.consumes) - set(PROVIDERS)
        if unknown:
            raise ValueError(f"unknown evidence kind(s): {', '.join(sorted(unknown))} "
                             f"(known: {', '.join(PROVIDERS)})")
    pending = list(range(len(filters)))
    out: list[Any] = []
    while pending:
        for i in pending:
            waits = any(declared[i].consumes & declared[j].produces for j in pending if j != i)
            if not waits:
                out.append(filters[i])
                pending.remove(i)
                break
        else:
            names = ", ".join(getattr(filters[i], "name", "?") for i in pending)
            raise EvidenceOrderError(f"filters {names} consume each other's evidence")
    return out


def missing_kinds(filters: Iterable[Any]) -> list[str]:
    """Kinds some filter consumes that no filter of ``filters`` produces (computed on the input)."""
    produced: set[str] = set()
    consumed: set[str] = set()
    for f in filters:
        d = Declares.of(f)
        produced |= d.produces
        consumed |= d.consumes
    return sorted(consumed - produced)


def provide(kind: str, text: str, ctx: Context) -> tuple[Mark, ...]:
    """Compute ``kind`` on ``text`` (the input) with its producer's rule."""
    module, _, attr = PROVIDERS[kind].partition(":")
    fn: Callable[[str, Context], tuple[Mark, ...]] = getattr(import_module(module), attr)
    return fn(text, ctx)

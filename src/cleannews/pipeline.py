"""The pipeline: run filters in order, map their edits back to the input.

Data flows one way: the input text goes through each filter; a filter only
*finds* edits (pure, no I/O), the pipeline applies them, hands the new text to the
next filter and keeps an :class:`~cleannews.offsets.Alignment` to the input so
that every edit of the :class:`Result` speaks of input offsets.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, runtime_checkable

from cleannews.edits import Edit, apply_edits, check_edits, line_starts
from cleannews.evidence import Mark, PageEvidence, missing_kinds, order_filters, provide
from cleannews.offsets import Alignment, Gap
from cleannews.options import validate_options
from cleannews.resources import Resources
from cleannews.script import Script, ScriptView, to_simplified


@runtime_checkable
class Filter(Protocol):
    """What a filter must provide.

    ``find`` receives the text left by the previous filters and a :class:`Context`;
    it returns edits in the coordinates of *that* text.  It must not do I/O or keep
    state between documents: heavy resources come from ``ctx.resources``.

    Optional class attributes: ``produces`` / ``consumes`` (evidence kinds of
    :mod:`cleannews.evidence`, written to / read from ``ctx.evidence``) and
    ``Options`` (a dataclass of the filter's options, read with ``ctx.option``).
    """

    name: str
    description: str

    def find(self, text: str, ctx: Context) -> list[Edit]: ...


@dataclass
class Context:
    """What a filter may know besides its text.

    ``scores`` holds document-level scores set by earlier filters (e.g. the spin
    score) for the report; ``evidence`` holds what earlier filters found and where
    (input offsets; :class:`~cleannews.evidence.PageEvidence`), so a later filter can
    weigh the evidence near a span rather than over the whole page (a page can hold
    several articles); ``input_text`` is the document as read, before any filter ran;
    ``resources`` loads and caches models and wordlists.
    ``to_input`` maps offsets of the text the current filter receives to input
    offsets (set by the pipeline; ``None``: that text is the input).
    """

    input_text: str
    scores: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    evidence: PageEvidence = field(default_factory=PageEvidence)
    resources: Resources = field(default_factory=Resources.default)
    to_input: Alignment | None = None
    _views: dict[str, ScriptView] = field(default_factory=dict, repr=False)
    _script: Script | None = field(default=None, repr=False)

    def input_offset(self, pos: int) -> int:
        """Where an offset of the text the current filter receives lies in the input."""
        return pos if self.to_input is None else self.to_input.to_src_start(pos)

    def record(self, kind: str, marks: list[Mark] | tuple[Mark, ...]) -> None:
        """Store evidence of ``kind`` (marks already in input offsets)."""
        setattr(self.evidence, kind, tuple(marks))

    def ensure(self, kinds: Iterable[str]) -> None:
        """Compute on the input, with the producer's rule, every evidence kind of ``kinds`` that
        no earlier filter produced (a filter run on its own decides on the same basis)."""
        for kind in kinds:
            if getattr(self.evidence, kind) is None:
                self.record(kind, provide(kind, self.input_text, self))

    def option(self, options_type: type[Any]) -> Any:
        """The filter's typed options (``options_type``: its ``Options`` dataclass) from ``options``."""
        names = options_type.__dataclass_fields__
        return options_type(**{k: v for k, v in self.options.items() if k in names})

    def view(self, text: str) -> ScriptView:
        """A Simplified, offset-preserving view of ``text`` (cached per text).

        The script is the input's, detected once: filters write in the script of the
        page they were given, so the texts they leave keep it.
        """
        cached = self._views.get(text)
        if cached is None:
            if self._script is None:
                first = ScriptView.of(self.input_text)
                self._script = first.script
                if text == self.input_text:
                    self._views[text] = first
                    return first
            self._views.clear()
            cached = self._views[text] = ScriptView(text, to_simplified(text), self._script)
        return cached


@dataclass
class Result:
    """What cleaning one document produced."""

    text: str
    cleaned: str
    edits: list[Edit]
    scores: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.cleaned != self.text

    @cached_property
    def line_starts(self) -> list[int]:
        return line_starts(self.text)

    def steps(self) -> list[Edit]:
        """Every edit, absorbed ones included, in input order (for counting and reports)."""
        out = [step for edit in self.edits for step in edit.all_steps()]
        out.sort(key=lambda e: (e.start, e.end))
        return out

    def counts(self) -> dict[str, int]:
        """Number of edits per filter, absorbed ones included."""
        out: dict[str, int] = {}
        for step in self.steps():
            out[step.filter] = out.get(step.filter, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        starts = self.line_starts
        return {
            "changed": self.changed,
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "counts": self.counts(),
            "edits": [e.to_dict(starts) for e in self.edits],
        }


class Pipeline:
    """An ordered list of filters with one contract: ``run(text) -> Result``."""

    def __init__(self, filters: Sequence[Filter], options: dict[str, Any] | None = None,
                 resources: Resources | None = None) -> None:
        """``options`` are checked against the filters' ``Options`` (unknown names raise
        :class:`TypeError`); filters are ordered so that every producer of evidence runs
        before its consumers; ``resources`` (default: the process-wide one) loads models."""
        self.filters = order_filters(list(filters))
        self.options = validate_options(dict(options or {}), self.filters)
        self.resources = resources or Resources.default()
        #: evidence some filter consumes but none produces: computed on the input per document
        self.computed_evidence = missing_kinds(self.filters)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.filters]

    def run(self, text: str, meta: dict[str, Any] | None = None) -> Result:
        ctx = Context(input_text=text, meta=dict(meta or {}), options=self.options,
                      resources=self.resources)
        ctx.ensure(self.computed_evidence)
        current = text
        to_input = Alignment.identity(len(text))
        mapped: list[tuple[int, Edit]] = []
        for stage, filt in enumerate(self.filters):
            ctx.to_input = to_input
            found = sorted_edits(current, filt.find(current, ctx))
            if not found:
                continue
            for edit in found:
                start = to_input.to_src_start(edit.start)
                end = max(start, to_input.to_src_end(edit.end))
                mapped.append((stage, edit.shifted(start, end, text[start:end])))
            to_input = to_input.then(Alignment.from_edits(len(current), found))
            current = apply_edits(current, found)
        edits = _resolve(text, current, to_input, mapped)
        return Result(text=text, cleaned=current, edits=edits, scores=dict(ctx.scores), meta=ctx.meta)

    def run_many(self, texts: Iterable[str]) -> Iterable[Result]:
        for text in texts:
            yield self.run(text)


def sorted_edits(text: str, edits: Iterable[Edit]) -> list[Edit]:
    """Sort a filter's edits, drop no-ops and reject overlaps (a filter bug)."""
    out = sorted((e for e in edits if e.before != e.after), key=lambda e: (e.start, e.end))
    check_edits(text, out)
    return out


def _resolve(text: str, cleaned: str, alignment: Alignment, mapped: list[tuple[int, Edit]]) -> list[Edit]:
    """Turn the per-filter edits into disjoint input edits, one group per changed region.

    Edits of different filters that touch the same input characters are merged into
    the latest filter's edit, which keeps the others in ``absorbs``.
    """
    gaps = alignment.gaps()
    groups: list[list[tuple[int, Edit]]] = [[] for _ in gaps]
    gap_starts = [g.src_start for g in gaps]
    for stage, edit in mapped:
        k = bisect_right(gap_starts, edit.start) - 1
        if k >= 0 and edit.end <= gaps[k].src_end:
            groups[k].append((stage, edit))
        elif k + 1 < len(gaps) and edit.start == edit.end == gaps[k + 1].src_start:
            groups[k + 1].append((stage, edit))
    out: list[Edit] = []
    for gap, group in zip(gaps, groups, strict=True):
        out.extend(_edits_for_gap(text, cleaned, gap, group))
    return out


def _edits_for_gap(text: str, cleaned: str, gap: Gap, group: list[tuple[int, Edit]]) -> list[Edit]:
    """The edits of one changed region, each overlapping cluster merged into one edit.

    Clusters that do not overlap keep their own edits.  When exactly one cluster
    needs merging, its ``after`` is what remains of the region's output once the
    other clusters' outputs are taken off both ends; otherwise the whole region
    becomes one merged edit (rare: several filters piling up in one spot).
    """
    before = text[gap.src_start : gap.src_end]
    after = cleaned[gap.dst_start : gap.dst_end]
    if not group:
        # A change no filter claims cannot happen; keep the report honest if it does.
        return [Edit(gap.src_start, gap.src_end, before, after, "pipeline", "pipeline.unattributed",
                     "change not attributed to a filter", 0.0)]
    if len(group) == 1 and group[0][1].after == after:
        return [group[0][1]]  # the common case, as the general path below would decide it
    clusters = _overlap_clusters(group)
    merged = [i for i, c in enumerate(clusters) if len(c) > 1]
    if not merged:
        edits = [c[0][1] for c in clusters]
        if "".join(e.after for e in edits) == after:
            return edits
    elif len(merged) == 1:
        k = merged[0]
        head = "".join(c[0][1].after for c in clusters[:k])
        tail = "".join(c[0][1].after for c in clusters[k + 1 :])
        if after.startswith(head) and after.endswith(tail) and len(head) + len(tail) <= len(after):
            a, b = min(e.start for _, e in clusters[k]), max(e.end for _, e in clusters[k])
            middle = after[len(head) : len(after) - len(tail)]
            out = [c[0][1] for c in clusters[:k]]
            out.append(_merge(text[a:b], middle, a, b, clusters[k]))
            out.extend(c[0][1] for c in clusters[k + 1 :])
            return out
    return [_merge(before, after, gap.src_start, gap.src_end, group)]


def _overlap_clusters(group: list[tuple[int, Edit]]) -> list[list[tuple[int, Edit]]]:
    """Group edits whose input spans overlap (touching spans stay apart)."""
    ordered = sorted(group, key=lambda se: (se[1].start, se[1].end, se[0]))
    clusters: list[list[tuple[int, Edit]]] = []
    end = -1
    for stage, edit in ordered:
        prev = clusters[-1][-1][1] if clusters else None
        overlaps = prev is not None and (
            edit.start < end or (edit.start == edit.end == prev.start == prev.end)
        )
        if overlaps:
            clusters[-1].append((stage, edit))
            end = max(end, edit.end)
        else:
            clusters.append([(stage, edit)])
            end = edit.end
    return clusters


def _merge(before: str, after: str, start: int, end: int, group: list[tuple[int, Edit]]) -> Edit:
    """One edit for overlapping edits: the latest filter's, absorbing the others."""
    _, primary = max(group, key=lambda se: (se[0], se[1].end - se[1].start))
    others = tuple(e for _, e in sorted(group, key=lambda se: (se[1].start, se[0])) if e is not primary)
    confidence = min(e.confidence for _, e in group)
    return Edit(start, end, before, after, primary.filter, primary.rule, primary.reason,
                confidence, primary.evidence, others)

"""Edits: the unit of everything cleannews does to a text.

Every change a filter makes is an :class:`Edit`.  The report, the JSON output and
the cleaned text itself are all derived from edits, never from a diff taken
afterwards, so that each change can be explained (filter, rule, reason,
confidence) and located in the *input* text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` (which equals ``before``) with ``after``.

    Offsets are character offsets (Python ``str`` indices).  A filter returns
    edits in the coordinates of the text *it* was given; the pipeline maps them
    back to the input text before they reach the caller.

    ``absorbs`` holds edits of earlier filters that this edit swallowed because
    the two touched the same input characters (e.g. spam removed inside a word
    that the spin filter then restored: ``文包養明`` → ``文化``).  They are kept
    so the report can still explain them and count them.
    """

    start: int
    end: int
    before: str
    after: str
    filter: str
    rule: str
    reason: str
    confidence: float
    evidence: dict[str, Any] = field(default_factory=dict, compare=False)
    absorbs: tuple[Edit, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad edit span [{self.start}, {self.end})")
        if len(self.before) != self.end - self.start:
            raise ValueError(
                f"edit before {self.before!r} does not fit span [{self.start}, {self.end})"
            )
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} outside [0, 1]")

    def shifted(self, start: int, end: int, before: str) -> Edit:
        """The same edit moved to another span (used when mapping to input offsets).

        Built directly rather than with :func:`dataclasses.replace`, which costs several
        times more and runs for every edit of every document.
        """
        return Edit(start, end, before, self.after, self.filter, self.rule, self.reason, self.confidence,
                    self.evidence, self.absorbs)

    def all_steps(self) -> tuple[Edit, ...]:
        """This edit followed by every edit it absorbed, depth first."""
        steps: list[Edit] = [self]
        for inner in self.absorbs:
            steps.extend(inner.all_steps())
        return tuple(steps)

    def to_dict(self, line_starts: Sequence[int] | None = None) -> dict[str, Any]:
        """A JSON-ready dict; with ``line_starts`` it also carries line/col (1-based)."""
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "filter": self.filter,
            "rule": self.rule,
            "reason": self.reason,
            "confidence": round(self.confidence, 4),
        }
        if line_starts is not None:
            out["line"], out["col"] = line_col(line_starts, self.start)
        if self.evidence:
            out["evidence"] = self.evidence
        if self.absorbs:
            out["absorbs"] = [e.to_dict(line_starts) for e in self.absorbs]
        return out


def check_edits(text: str, edits: Sequence[Edit]) -> None:
    """Raise ``ValueError`` unless ``edits`` are sorted, disjoint and match ``text``.

    Zero-width edits (insertions) may sit at the boundary of another edit, but two
    insertions at the same point are rejected: their order would be ambiguous.
    """
    prev_end = -1
    prev_start = -1
    for edit in edits:
        if edit.end > len(text):
            raise ValueError(f"edit [{edit.start}, {edit.end}) beyond text end {len(text)}")
        if text[edit.start : edit.end] != edit.before:
            raise ValueError(
                f"edit before {edit.before!r} != text {text[edit.start : edit.end]!r} "
                f"at [{edit.start}, {edit.end})"
            )
        if edit.start < prev_end or (edit.start == edit.end == prev_start):
            raise ValueError(f"edit at [{edit.start}, {edit.end}) overlaps the previous one")
        prev_end = edit.end
        prev_start = edit.start


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply sorted, non-overlapping edits to ``text`` and return the result."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    check_edits(text, ordered)
    parts: list[str] = []
    pos = 0
    for edit in ordered:
        parts.append(text[pos : edit.start])
        parts.append(edit.after)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of ``text`` starts (for line:col look-ups)."""
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


def line_col(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, columns counted in characters."""
    line = bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1

"""The document: the unit everything in a run is about.

A run reads :class:`Doc` records (:mod:`cleannews.readers`), cleans each one on
its own (:mod:`cleannews.runner`) and writes them back (:mod:`cleannews.writers`).
A document is the boundary of evidence: filters see one document's text and
nothing else, so two articles that share a file (one JSONL line each) never lend
each other spam terms or spin markers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Doc:
    """One document: an id, its text, and whatever came with it.

    ``metadata`` holds the other fields of a JSONL record (kept and written back) or,
    for a text file, its encoding.  ``source`` is the reader's note on where the
    document came from (which input, which line), used by writers only; it takes no
    part in comparisons and is never sent to worker processes.
    """

    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    source: Any = field(default=None, compare=False, repr=False)

    @property
    def size(self) -> int:
        """The document's size in UTF-8 bytes (for throughput figures)."""
        return len(self.text.encode("utf-8"))

"""Reports: what was changed and why, for people (``text``), programs (``json``) and tools (``diff``).

A report is built from :class:`Document` records — one per input, holding the
:class:`~cleannews.pipeline.Result` or the error that stopped it — and written to
a stream.  Reports never go to standard output: stdout carries cleaned text only.
Renderers import their heavy dependencies (rich) only when called.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from cleannews.pipeline import Result

FORMATS: tuple[str, ...] = ("text", "json", "diff")


@dataclass(frozen=True, slots=True)
class Document:
    """One input of a run: where it came from, and its result or its error."""

    path: str
    result: Result | None = None
    encoding: str | None = None
    bom: bool = False
    output: str | None = None
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.result is not None and self.result.changed


def summary(docs: Sequence[Document]) -> dict[str, Any]:
    """Totals over a run: documents, changed, failed, edits per filter."""
    counts: dict[str, int] = {}
    for doc in docs:
        if doc.result is not None:
            for name, n in doc.result.counts().items():
                counts[name] = counts.get(name, 0) + n
    return {
        "documents": len(docs),
        "changed": sum(doc.changed for doc in docs),
        "failed": sum(doc.error is not None for doc in docs),
        "edits": sum(counts.values()),
        "counts": counts,
    }


def summary_line(docs: Sequence[Document]) -> str:
    """One line for a terminal: ``3 documents, 1 changed, 27 edits (spam 27), 0 failed``."""
    s = summary(docs)
    per_filter = ", ".join(f"{k} {v}" for k, v in s["counts"].items())
    edits = f"{s['edits']} edits" + (f" ({per_filter})" if per_filter else "")
    noun = "document" if s["documents"] == 1 else "documents"
    return f"{s['documents']} {noun}, {s['changed']} changed, {edits}, {s['failed']} failed"


def render(fmt: str, docs: Sequence[Document], stream: TextIO, *, color: bool = False,
           filters: Sequence[str] = ()) -> None:
    """Write the report of ``docs`` in format ``fmt`` (one of :data:`FORMATS`) to ``stream``."""
    if fmt == "json":
        from cleannews.report.jsonreport import write_json

        write_json(docs, stream, filters=filters)
    elif fmt == "diff":
        from cleannews.report.diff import write_diff

        write_diff(docs, stream)
    elif fmt == "text":
        from cleannews.report.text import write_text

        write_text(docs, stream, color=color)
    else:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")

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

FORMATS: tuple[str, ...] = ("text", "json", "diff", "html")


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


def wants_color(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Colour only on a terminal that can show it: a TTY, ``NO_COLOR`` unset or empty
    (https://no-color.org), and ``TERM`` not ``dumb``."""
    import os

    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (ValueError, AttributeError):
        return False


def page_script(text: str) -> str:
    """``Hant`` or ``Hans``: the script a report quotes this page's words in."""
    from cleannews.script import ScriptView

    return ScriptView.of(text).script


def summary(docs: Sequence[Document]) -> dict[str, Any]:
    """Totals over a run: documents cleaned, changed, failed (not read or not written), edits per filter.

    ``documents`` counts the documents that were cleaned — exactly those a JSON report
    lists under ``documents`` — and ``failed`` those listed under ``errors``.
    """
    counts: dict[str, int] = {}
    for doc in docs:
        if doc.result is not None:
            for name, n in doc.result.counts().items():
                counts[name] = counts.get(name, 0) + n
    return {
        "documents": sum(doc.result is not None for doc in docs),
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
           filters: Sequence[str] = (), pretty: bool = False) -> None:
    """Write the report of ``docs`` in format ``fmt`` (one of :data:`FORMATS`) to ``stream``.

    ``pretty`` indents JSON (compact otherwise: a report can be many times its page's size).
    """
    if fmt == "json":
        from cleannews.report.jsonreport import write_json

        write_json(docs, stream, filters=filters, pretty=pretty)
    elif fmt == "html":
        from cleannews.report.html import write_html

        write_html(docs, stream, filters=filters)
    elif fmt == "diff":
        from cleannews.report.diff import write_diff

        write_diff(docs, stream)
    elif fmt == "text":
        from cleannews.report.text import write_text

        write_text(docs, stream, color=color)
    else:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")

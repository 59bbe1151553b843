"""The ``json`` report: a documented, versioned schema for programs.

Schema ``cleannews.report/1`` (documented in the README)::

    {"schema": "cleannews.report/1",
     "tool": {"name": "cleannews", "version": "0.1.0"},
     "filters": ["spam"],
     "documents": [{"path", "encoding", "bom", "output", "changed", "scores", "counts",
                    "edits": [{"start", "end", "line", "col", "before", "after", "filter",
                               "rule", "reason", "confidence", "evidence"?, "absorbs"?}]}],
     "errors": [{"path", "error"}],
     "summary": {"documents", "changed", "failed", "edits", "counts"}}

Each edit also carries ``explanation``: its reason in plain words, as the text and
HTML reports show it (``reason`` stays the filter's full record, scores included).

The report is compact JSON (``--pretty`` indents it).  A run over several documents
writes JSON Lines instead, one object per line, so a corpus report can be read
document by document: a header ``{"schema": "cleannews.report-lines/1", "tool",
"filters"}``, then one ``{"type": "document", ...}`` per cleaned document (the fields
above) or ``{"type": "error", "path", "error"}`` per failed one, and last
``{"type": "summary", "summary": {...}}``.

Offsets are character offsets (Unicode code points) into the decoded input,
``line``/``col`` are 1-based.  A new major number in ``schema`` means fields
were removed or changed meaning; new fields may appear without one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from cleannews.edits import Edit
from cleannews.report import Document, page_script, summary
from cleannews.report.wording import explain

SCHEMA = "cleannews.report/1"
LINES_SCHEMA = "cleannews.report-lines/1"


def document_dict(doc: Document) -> dict[str, Any]:
    """The JSON object of one successfully read document."""
    assert doc.result is not None
    out: dict[str, Any] = {"path": doc.path, "encoding": doc.encoding, "bom": doc.bom, "output": doc.output}
    out.update(doc.result.to_dict())
    script = page_script(doc.result.text)
    for edit, data in zip(doc.result.edits, out["edits"], strict=True):
        _explain(edit, data, script)
    return out


def _explain(edit: Edit, data: dict[str, Any], script: str) -> None:
    data["explanation"] = explain(edit, script)
    for inner, inner_data in zip(edit.absorbs, data.get("absorbs", ()), strict=True):
        _explain(inner, inner_data, script)


def report_dict(docs: Sequence[Document], filters: Sequence[str] = ()) -> dict[str, Any]:
    from cleannews import __version__

    return {
        "schema": SCHEMA,
        "tool": {"name": "cleannews", "version": __version__},
        "filters": list(filters),
        "documents": [document_dict(d) for d in docs if d.result is not None],
        "errors": [{"path": d.path, "error": d.error} for d in docs if d.error is not None],
        "summary": summary(docs),
    }


def _dump(obj: Any, stream: TextIO, pretty: bool) -> None:
    if pretty:
        json.dump(obj, stream, ensure_ascii=False, indent=2)
    else:
        json.dump(obj, stream, ensure_ascii=False, separators=(",", ":"))
    stream.write("\n")


def write_json(docs: Sequence[Document], stream: TextIO, filters: Sequence[str] = (),
               pretty: bool = False) -> None:
    """One JSON object for one document; JSON Lines (one object per document) for several."""
    if len(docs) <= 1:
        _dump(report_dict(docs, filters), stream, pretty)
        return
    from cleannews import __version__

    _dump({"schema": LINES_SCHEMA, "tool": {"name": "cleannews", "version": __version__},
           "filters": list(filters)}, stream, False)
    for doc in docs:
        if doc.result is not None:
            _dump({"type": "document", **document_dict(doc)}, stream, False)
        else:
            _dump({"type": "error", "path": doc.path, "error": doc.error}, stream, False)
    _dump({"type": "summary", "summary": summary(docs)}, stream, False)

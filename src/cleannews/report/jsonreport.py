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

Offsets are character offsets (Unicode code points) into the decoded input,
``line``/``col`` are 1-based.  A new major number in ``schema`` means fields
were removed or changed meaning; new fields may appear without one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from cleannews.report import Document, summary

SCHEMA = "cleannews.report/1"


def document_dict(doc: Document) -> dict[str, Any]:
    """The JSON object of one successfully read document."""
    assert doc.result is not None
    out: dict[str, Any] = {"path": doc.path, "encoding": doc.encoding, "bom": doc.bom, "output": doc.output}
    out.update(doc.result.to_dict())
    return out


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


def write_json(docs: Sequence[Document], stream: TextIO, filters: Sequence[str] = ()) -> None:
    json.dump(report_dict(docs, filters), stream, ensure_ascii=False, indent=2)
    stream.write("\n")

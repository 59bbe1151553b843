"""Writers: cleaned documents → files, shards or standard output.

One :class:`Sink` per input, opened by the run loop's caller when the first
document of that input comes back and committed after its last one:

* :class:`TextSink` — a text input's cleaned text, UTF-8 (a UTF-8 BOM kept), to its
  mirrored path (atomic) or to standard output; ``--in-place`` writes only changed files.
* :class:`JsonlSink` — a JSONL shard: one line per document, in input order, with the
  cleaned text under the input's text key, the other fields as read and a compact
  ``cleannews`` summary (changed flag, edit counts per filter, scores; the full edits
  with ``edits=True``).  A ``.gz`` target is gzip with a fixed header (no time stamp,
  no name), so the same documents always give the same bytes.  The shard is written
  to a temporary file and renamed into place when complete: an interrupted run leaves
  no partial shard.  Records that could not be read are written through unchanged.
"""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from cleannews import io
from cleannews.docs import Doc
from cleannews.pipeline import Result
from cleannews.runner import Outcome

SUMMARY_KEY = "cleannews"
_UTF8_BOM = b"\xef\xbb\xbf"


def doc_summary(result: Result | None, error: str | None = None, edits: bool = False) -> dict[str, Any]:
    """The compact per-document summary written beside the cleaned text."""
    if result is None:
        return {"changed": False, "error": error}
    out: dict[str, Any] = {
        "changed": result.changed,
        "counts": result.counts(),
        "scores": {k: round(v, 4) for k, v in result.scores.items()},
    }
    if edits:
        starts = result.line_starts
        out["edits"] = [e.to_dict(starts) for e in result.edits]
    return out


def jsonl_line(outcome: Outcome, text_key: str = "text", edits: bool = False) -> bytes:
    """One output line (with its newline) for one outcome."""
    doc = outcome.doc
    if not isinstance(doc, Doc):  # unreadable record: written through as read
        return getattr(getattr(doc, "source", None), "raw", b"") + b"\n"
    text = outcome.result.cleaned if outcome.result is not None else doc.text
    record = {text_key: text, **doc.metadata, SUMMARY_KEY: doc_summary(outcome.result, outcome.error, edits)}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def text_bytes(outcome: Outcome) -> bytes:
    """A text document's output bytes: the cleaned text (the input on failure), UTF-8, BOM kept."""
    doc = outcome.doc
    text = outcome.result.cleaned if outcome.result is not None else doc.text
    data = text.encode("utf-8")
    return _UTF8_BOM + data if doc.metadata.get("encoding") == "utf-8-sig" else data


class Sink:
    """Where the documents of one input go."""

    def write(self, outcome: Outcome) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        """All documents written: make the output visible."""

    def abort(self) -> None:
        """The run stopped: leave no partial output."""


class TextSink(Sink):
    """One text document → ``target`` (atomic) or ``stdout`` (``target is None``)."""

    def __init__(self, target: Path | None, stdout: Callable[[bytes], None], in_place: bool = False) -> None:
        self.target = target
        self.stdout = stdout
        self.in_place = in_place

    def write(self, outcome: Outcome) -> None:
        data = text_bytes(outcome)
        if self.target is None:
            self.stdout(data)
        elif not self.in_place or outcome.changed:
            io.write_atomic(self.target, data)  # looked up on the module: tests replace it


class JsonlSink(Sink):
    """The documents of one JSONL input → a shard at ``target`` (atomic) or ``stdout``."""

    def __init__(self, target: Path | None, stdout: Callable[[bytes], None], *, text_key: str = "text",
                 edits: bool = False, gz: bool | None = None, only_if_changed: bool = False) -> None:
        self.target = target
        self.stdout = stdout
        self.text_key = text_key
        self.edits = edits
        self.gz = (target is not None and target.name.endswith(".gz")) if gz is None else gz
        self.only_if_changed = only_if_changed
        self.changed = False
        self._stack = contextlib.ExitStack()
        self._fh: BinaryIO | None = None

    def _open(self) -> BinaryIO:
        if self._fh is None:
            assert self.target is not None
            fh: BinaryIO = self._stack.enter_context(io.atomic_writer(self.target))
            if self.gz:
                fh = self._stack.enter_context(
                    gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0))  # type: ignore[arg-type]
            self._fh = fh
        return self._fh

    def write(self, outcome: Outcome) -> None:
        line = jsonl_line(outcome, self.text_key, self.edits)
        self.changed |= outcome.changed
        if self.target is None:
            self.stdout(line)
        else:
            self._open().write(line)

    def commit(self) -> None:
        if self.target is None:
            return
        if self.only_if_changed and not self.changed:
            self.abort()
            return
        self._open()  # an input without documents still gets its (empty) shard
        self._stack.close()

    def abort(self) -> None:
        # discarding a shard whose disk is full: flushing the buffers fails again, and that is fine
        with contextlib.suppress(_Abort, OSError):
            self._stack.__exit__(_Abort, _Abort(), None)
        self._fh = None


class _Abort(Exception):
    """Raised into the atomic writer so it discards the temporary file."""

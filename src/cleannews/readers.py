"""Readers: inputs (text files, folders, stdin, JSONL and JSONL.gz shards) → :class:`~cleannews.docs.Doc`.

An :class:`Input` is one file (or standard input) and the format it is read in;
:func:`read_docs` streams its documents one at a time, so a shard of any size is
read in constant memory.

* **text**: the whole file is one document (decoded by :func:`cleannews.io.read_text`:
  BOM, UTF-8, GB18030/Big5); ``metadata`` keeps the encoding and BOM so the writer
  can give clean input back byte for byte.
* **jsonl**: one JSON object per line is one document.  ``text_key`` names the
  field to clean (default ``text``), ``id_key`` the document id (default ``id``;
  missing: ``FILE:LINE``); every other field is kept in ``metadata``.  A line that
  is not a JSON object with a string ``text_key`` is a :class:`Failed` record: it
  is reported, and written through unchanged so no data is lost.

Which format a file has is decided by its name (``.jsonl``, ``.ndjson``, either
with ``.gz``) unless the caller forces one.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cleannews.docs import Doc
from cleannews.io import STDIN, InputError, _stdin_buffer, read_text

FORMATS: tuple[str, ...] = ("auto", "text", "jsonl")
JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
#: the default ``--glob``: text files and JSONL shards.
DEFAULT_GLOB = "*.txt,*.jsonl,*.jsonl.gz"


@dataclass(frozen=True, slots=True)
class Input:
    """One input file (``path is None``: standard input), where its output goes, and its format."""

    path: Path | None
    rel: Path
    format: str  # "text" or "jsonl"

    @property
    def label(self) -> str:
        return STDIN if self.path is None else str(self.path)

    @property
    def gzipped(self) -> bool:
        return self.path is not None and self.path.name.endswith(".gz")


@dataclass(frozen=True, slots=True)
class Failed:
    """A record that could not be read as a document: why, and its raw bytes (written through)."""

    id: str
    reason: str
    raw: bytes = b""
    source: Any = None


@dataclass(frozen=True, slots=True)
class Source:
    """Where a document came from: its input and, for JSONL, its line (1-based)."""

    input: Input
    line: int = 0
    raw: bytes = b""  # the JSONL line as read (no newline), for records written through
    pos: int = 0  # bytes of the input file consumed once this document was read (for progress)


def format_of(path: Path | None, forced: str = "auto") -> str:
    """``text`` or ``jsonl``: ``forced`` unless it is ``auto``; then by file name (stdin: text)."""
    if forced not in FORMATS:
        raise ValueError(f"unknown input format {forced!r} (known: {', '.join(FORMATS)})")
    if forced != "auto":
        return forced
    if path is not None and path.name.lower().endswith(JSONL_SUFFIXES):
        return "jsonl"
    return "text"


def read_docs(item: Input, text_key: str = "text", id_key: str = "id") -> Iterator[Doc | Failed]:
    """The documents of one input, in order.  Raises :class:`InputError` when the input as a whole
    cannot be read (missing, binary, undecodable, corrupt gzip); a bad JSONL line is a
    :class:`Failed` record instead."""
    if item.format == "jsonl":
        yield from _read_jsonl(item, text_key, id_key)
        return
    decoded = read_text(item.label)
    meta = {"encoding": decoded.encoding, "bom": decoded.bom}
    yield Doc(item.label, decoded.text, meta, Source(item, pos=decoded.size))


def _open_binary(item: Input) -> tuple[BinaryIO, BinaryIO | None]:
    """The decompressed stream and the file under it (whose position says how far we are)."""
    if item.path is None:
        return _stdin_buffer(), None
    try:
        raw = open(item.path, "rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise InputError(item.label, "no such file") from None
    except PermissionError:
        raise InputError(item.label, "permission denied (cannot read it)") from None
    except OSError as exc:
        raise InputError(item.label, f"cannot be read ({exc.strerror or exc})") from None
    if item.gzipped:
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw  # type: ignore[return-value]
    return raw, raw


def _read_jsonl(item: Input, text_key: str, id_key: str) -> Iterator[Doc | Failed]:
    stream, under = _open_binary(item)
    try:
        lineno = 0
        while True:
            try:
                line = stream.readline()
            except (OSError, EOFError, zlib.error) as exc:
                raise InputError(item.label, f"cannot be read past line {lineno} ({exc})") from None
            if not line:
                return
            lineno += 1
            raw = line.rstrip(b"\r\n")
            if not raw.strip():
                continue
            pos = under.tell() if under is not None else 0
            yield _parse_line(item, lineno, raw, text_key, id_key, pos)
    finally:
        if under is not None:
            stream.close()
            under.close()


def _parse_line(item: Input, lineno: int, raw: bytes, text_key: str, id_key: str, pos: int = 0,
                ) -> Doc | Failed:
    where = f"{item.label}:{lineno}"
    source = Source(item, lineno, raw, pos)
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return Failed(where, f"line {lineno} is not UTF-8 (byte {exc.start})", raw, source)
    except json.JSONDecodeError as exc:
        return Failed(where, f"line {lineno} is not JSON ({exc.msg}, column {exc.colno})", raw, source)
    if not isinstance(record, dict):
        return Failed(where, f"line {lineno} is not a JSON object", raw, source)
    text = record.pop(text_key, None)
    if not isinstance(text, str):
        what = "has no" if text is None else "has a non-string"
        return Failed(where, f"line {lineno} {what} '{text_key}' field (choose it with --text-key)",
                      raw, source)
    doc_id = record.get(id_key)
    # the raw line is kept only for records written through; a document's is not needed again
    return Doc(where if doc_id is None else str(doc_id), text, record, Source(item, lineno, b"", pos))

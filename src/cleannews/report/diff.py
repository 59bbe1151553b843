"""The ``diff`` report: a unified diff per changed file (``difflib``), as ``patch`` reads it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import TextIO

from cleannews.report import Document

_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
NO_EOL = "\\ No newline at end of file\n"


def lines(text: str) -> list[str]:
    """Lines split on ``\\n`` only, each keeping its end (``str.splitlines`` also splits on U+2028 etc.)."""
    return _LINE.findall(text)


def unified_diff(before: str, after: str, path: str, context: int = 3) -> Iterator[str]:
    """Unified diff lines of one document; a last line without newline is marked as diff(1) does."""
    label = path if path != "-" else "stdin"
    for line in difflib.unified_diff(lines(before), lines(after), f"a/{label}", f"b/{label}", n=context):
        if line.endswith("\n"):
            yield line
        else:
            yield line + "\n"
            yield NO_EOL


def write_diff(docs: Sequence[Document], stream: TextIO) -> None:
    for doc in docs:
        if doc.result is not None and doc.result.changed:
            stream.writelines(unified_diff(doc.result.text, doc.result.cleaned, doc.path))

"""The ``text`` report: for a person at a terminal, one line per edit at 100 columns.

The run's summary comes first, then each document: a title line (``path: 336 edits
(spinning 307, spam 27, fiction 2)``) and a row per edit — ``line:col`` in the input,
filter, confidence, the change in a few characters of context, and the reason in
plain words (:mod:`cleannews.report.wording`), cut with ``…`` at the right margin
(the JSON report keeps every reason whole).  Edits an edit absorbed follow it,
marked ``↳``.  With colour, removed text is struck out in red and inserted text is
green; without colour (a file, a pipe, ``NO_COLOR``, ``TERM=dumb``) the same text
is marked ``[-removed-]`` / ``{+inserted+}`` and no ANSI code is written.  Widths
are counted in terminal cells (a Chinese character takes two).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from typing import TextIO

from cleannews.edits import Edit, line_col
from cleannews.report import Document, page_script, summary_line
from cleannews.report.wording import explain

#: the report's width in terminal cells.
WIDTH = 100
#: characters of unchanged context shown on each side of a change.
CONTEXT = 2
#: cells given to the change column (context + marked before/after).
CHANGE_CELLS = 26
#: cells of the position column.
POS_CELLS = 8

_RED_STRIKE = "\x1b[9;31m"
_GREEN = "\x1b[1;32m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(s: str) -> str:
    """``s`` safe for one terminal line: whitespace controls, other controls and lone surrogates escaped."""
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


def cells(s: str) -> int:
    """Terminal cells ``s`` takes: wide and full-width characters 2, combining marks 0."""
    n = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def cut(s: str, width: int) -> str:
    """``s`` cut to ``width`` cells, ending in ``…`` when something was cut."""
    if cells(s) <= width:
        return s
    out, used = [], 0
    for ch in s:
        w = cells(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def middle(s: str, width: int) -> str:
    """``s`` shortened to ``width`` cells by replacing its middle with ``…``."""
    if cells(s) <= width:
        return s
    half = max(1, (width - 1) // 2)
    head = cut(s, half + 1)[:-1]
    tail_chars: list[str] = []
    used = 0
    for ch in reversed(s):
        w = cells(ch)
        if used + w > width - 1 - cells(head):
            break
        tail_chars.append(ch)
        used += w
    return head + "…" + "".join(reversed(tail_chars))


def pad(s: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - cells(s))
    return gap + s if right else s + gap


def change_cell(text: str, edit: Edit, color: bool) -> tuple[str, int]:
    """The change in context, marked or coloured, and the cells it takes (ANSI codes take none)."""
    left = text[max(0, edit.start - CONTEXT) : edit.start]
    left = left[left.rfind("\n") + 1 :]
    right = text[edit.end : edit.end + CONTEXT]
    right = right.split("\n", 1)[0].split("\r", 1)[0]
    before, after = shown(edit.before), shown(edit.after)
    marks = (4 if before else 0) + (4 if after else 0)
    room = max(6, CHANGE_CELLS - marks - cells(shown(left)) - cells(shown(right)))
    if cells(before) + cells(after) > room:
        share = max(3, room // 2) if before and after else room
        before, after = middle(before, share), middle(after, share)
    plain_parts = [shown(left)]
    styled_parts = [shown(left)]
    if before:
        plain_parts.append(f"[-{before}-]")
        styled_parts.append(f"{_RED_STRIKE}{before}{_RESET}")
    if after:
        plain_parts.append(f"{{+{after}+}}")
        styled_parts.append(f"{_GREEN}{after}{_RESET}")
    plain_parts.append(shown(right))
    styled_parts.append(shown(right))
    width = cells("".join(plain_parts))
    if color:
        width -= marks
        return "".join(styled_parts), width
    return "".join(plain_parts), width


def walk(edit: Edit, depth: int = 0) -> Iterator[tuple[int, Edit]]:
    """An edit and, below it, every edit it absorbed (depth first)."""
    yield depth, edit
    for inner in edit.absorbs:
        yield from walk(inner, depth + 1)


def edit_rows(doc: Document, color: bool) -> Iterator[str]:
    """One line per edit step, each at most :data:`WIDTH` cells."""
    assert doc.result is not None
    result = doc.result
    starts = result.line_starts
    script = page_script(result.text)
    for edit in result.edits:
        for depth, step in walk(edit):
            line, col = line_col(starts, step.start)
            pos = pad(("↳ " * depth) + f"{line}:{col}", POS_CELLS, right=True)
            head = f"{pos} {pad(cut(step.filter, 8), 8)} {step.confidence:4.2f}  "
            change, width = change_cell(result.text, step, color)
            change += " " * max(0, CHANGE_CELLS - width)
            used = cells(head) + max(width, CHANGE_CELLS) + 2
            reason = cut(explain(step, script), max(10, WIDTH - used))
            yield f"{head}{change}  {reason}"


def header() -> str:
    return (f"{pad('line:col', POS_CELLS, right=True)} {pad('filter', 8)} conf  "
            f"{pad('change', CHANGE_CELLS)}  why")


def write_text(docs: Sequence[Document], stream: TextIO, *, color: bool = False) -> None:
    def styled(s: str, style: str) -> str:
        return f"{style}{s}{_RESET}" if color else s

    stream.write(styled(summary_line(docs), _BOLD) + "\n")
    for doc in docs:
        if doc.error is not None:
            stream.write(styled(f"{shown(doc.path)}: error: {shown(doc.error)}", _BOLD) + "\n")
            continue
        assert doc.result is not None
        result = doc.result
        if not result.changed:
            stream.write(f"{shown(doc.path)}: unchanged\n")
            continue
        counts = ", ".join(f"{k} {v}" for k, v in result.counts().items())
        title = f"{shown(doc.path)}: {len(result.steps())} edits ({counts})"
        stream.write("\n" + styled(title, _BOLD) + "\n")
        stream.write(styled(header(), _DIM) + "\n")
        for row in edit_rows(doc, color):
            stream.write(row + "\n")

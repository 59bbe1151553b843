"""The ``text`` report: for a person at a terminal.

For each changed document: the lines that changed, with removed text struck out
in red and inserted text in green (``[-removed-]`` / ``{+inserted+}`` when colour
is off), shortened to a window around each edit; then a table of every edit —
absorbed ones included — with line:col, filter, rule, before → after, reason and
confidence.  Without colour (a file, a pipe, ``NO_COLOR``) no ANSI code is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from cleannews.edits import Edit, line_col
from cleannews.report import Document, summary_line

#: characters of unchanged context shown on each side of an edit.
CONTEXT = 12
#: width used when the stream is not a terminal.
FILE_WIDTH = 120


def _shown(s: str) -> str:
    """Make whitespace edits visible in one-line cells."""
    return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def inline_lines(text: str, edits: Sequence[Edit], starts: Sequence[int], color: bool):
    """(line number, rich Text) for each line touched by ``edits``."""
    from rich.text import Text

    # group edits by the line they start on; an edit spanning lines pulls the next ones into its group
    blocks: list[tuple[int, int, list[Edit]]] = []  # (first line, last line, edits)
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        first = line_col(starts, edit.start)[0]
        last = line_col(starts, max(edit.start, edit.end - 1))[0]
        if blocks and first <= blocks[-1][1]:
            blocks[-1] = (blocks[-1][0], max(last, blocks[-1][1]), [*blocks[-1][2], edit])
        else:
            blocks.append((first, last, [edit]))
    out = []
    for lineno, _, group in blocks:
        line_start = starts[lineno - 1]
        line_end = text.find("\n", group[-1].end)
        line_end = len(text) if line_end == -1 else line_end
        rendered = Text()
        pos = line_start
        for k, edit in enumerate(group):
            gap = text[pos : edit.start]
            head = k == 0
            if len(gap) > 2 * CONTEXT + 1 or (head and len(gap) > CONTEXT):
                left = "" if head else gap[:CONTEXT]
                rendered.append(_shown(left) + "…" + _shown(gap[-CONTEXT:]))
            else:
                rendered.append(_shown(gap))
            if edit.before:
                if color:
                    rendered.append(_shown(edit.before), style="strike red")
                else:
                    rendered.append(f"[-{_shown(edit.before)}-]")
            if edit.after:
                if color:
                    rendered.append(_shown(edit.after), style="bold green")
                else:
                    rendered.append(f"{{+{_shown(edit.after)}+}}")
            pos = edit.end
        tail = text[pos:line_end].rstrip("\r")
        rendered.append(_shown(tail[:CONTEXT]) + ("…" if len(tail) > CONTEXT else ""))
        out.append((lineno, rendered))
    return out


def edit_table(doc: Document, color: bool):
    """A rich Table with one row per edit step (absorbed edits marked ``↳``)."""
    from rich.table import Table
    from rich.text import Text

    assert doc.result is not None
    starts = doc.result.line_starts
    table = Table(show_header=True, header_style="bold" if color else None, box=None, pad_edge=False)
    for col in ("line:col", "filter", "rule", "before → after", "reason", "conf"):
        table.add_column(col, overflow="fold", justify="right" if col == "conf" else "left")
    for edit in doc.result.edits:
        for depth, step in _walk(edit, 0):
            line, col = line_col(starts, step.start)
            mark = "↳ " * depth
            change = Text(f"'{_shown(step.before)}' → '{_shown(step.after)}'")
            table.add_row(f"{mark}{line}:{col}", step.filter, step.rule, change, Text(step.reason),
                          f"{step.confidence:.2f}")
    return table


def _walk(edit: Edit, depth: int):
    yield depth, edit
    for inner in edit.absorbs:
        yield from _walk(inner, depth + 1)


def make_console(stream: TextIO, color: bool):
    from rich.console import Console

    return Console(
        file=stream,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        width=None if color else FILE_WIDTH,
        soft_wrap=False,
    )


def write_text(docs: Sequence[Document], stream: TextIO, *, color: bool = False) -> None:
    from rich.text import Text

    console = make_console(stream, color)
    for doc in docs:
        if doc.error is not None:
            console.print(Text(f"{doc.path}: error: {doc.error}", style="bold red" if color else ""))
            continue
        assert doc.result is not None
        result = doc.result
        counts = ", ".join(f"{k} {v}" for k, v in result.counts().items())
        status = f"{len(result.steps())} edits ({counts})" if result.changed else "unchanged"
        title = f"{doc.path}: {status}"
        console.print(Text(title, style="bold" if color else ""))
        if not result.changed:
            continue
        for lineno, rendered in inline_lines(result.text, result.edits, result.line_starts, color):
            console.print(Text(f"{lineno:>5} │ ", style="dim" if color else "") + rendered, soft_wrap=True)
        console.print(edit_table(doc, color))
        console.print()
    if len(docs) > 1:
        console.print(Text(summary_line(docs), style="bold" if color else ""))

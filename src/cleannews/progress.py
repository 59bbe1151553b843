"""What a long run shows on a terminal: a progress bar while it runs, a summary table at the end.

Only on a terminal (stderr is a TTY) and never with ``--quiet``: pipes and files get
nothing, so logs stay clean.  The bar is refreshed by the run loop itself, at most
ten times a second, with no background thread (worker processes are forked while
it is shown, and a thread holding a lock at fork time is a hazard).  rich is
imported only when a display is actually made.
"""

from __future__ import annotations

import time
from typing import Any, TextIO

from cleannews.runner import Tally


class RunDisplay:
    """A transient progress bar: documents, MB/s, input done, ETA, changed, failed."""

    def __init__(self, stream: TextIO, total_bytes: int | None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self.console = Console(file=stream, stderr=True)
        self.progress = Progress(
            TextColumn("cleaning"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[docs]} docs · {task.fields[rate]} MB/s"),
            TimeRemainingColumn(),
            TextColumn("changed {task.fields[changed]} · failed {task.fields[failed]}"),
            console=self.console,
            auto_refresh=False,
            transient=True,
        )
        self.task = self.progress.add_task("clean", total=total_bytes or None, docs=0, rate="0.00",
                                           changed=0, failed=0)
        self._last = 0.0
        self.progress.start()

    def update(self, tally: Tally, done_bytes: int, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        seconds = max(tally.seconds, 1e-9)
        self.progress.update(self.task, completed=done_bytes, docs=f"{tally.documents:,}",
                             rate=f"{tally.bytes / 1e6 / seconds:.2f}", changed=f"{tally.changed:,}",
                             failed=f"{tally.failed:,}")
        self.progress.refresh()

    def close(self) -> None:
        self.progress.stop()


def summary_table(tally: Tally, skipped: int = 0, max_failures: int = 10) -> Any:
    """The closing table: documents, changed, edits per filter, failed (with reasons), time, throughput."""
    from rich.table import Table

    table = Table(title="cleannews", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    seconds = tally.seconds
    table.add_row("documents", f"{tally.documents:,}")
    table.add_row("changed", f"{tally.changed:,}")
    edits = sum(tally.counts.values())
    table.add_row("edits", f"{edits:,}")
    for name, n in tally.counts.items():
        table.add_row(f"  {name}", f"{n:,}")
    table.add_row("failed", f"{tally.failed:,}")
    for where, reason in tally.failures[:max_failures]:
        table.add_row(f"  {where}", reason)
    if tally.failed > max_failures:
        table.add_row("  …", f"{tally.failed - max_failures:,} more (use --report for all)")
    if skipped:
        table.add_row("skipped (--resume)", f"{skipped:,} inputs")
    table.add_row("time", f"{seconds:.1f} s")
    table.add_row("throughput", f"{tally.bytes / 1e6 / max(seconds, 1e-9):.2f} MB/s")
    return table


def print_summary(stream: TextIO, tally: Tally, skipped: int = 0) -> None:
    from rich.console import Console

    Console(file=stream, stderr=True).print(summary_table(tally, skipped))

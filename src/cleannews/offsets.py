"""Offset maps between the input text and the texts each filter saw.

Each filter sees the text left by the previous ones, so its offsets drift from the
input's.  An :class:`Alignment` records the stretches that stayed unchanged
("runs") between two texts; alignments compose, so the pipeline can always say
which input characters an edit touched.  Everything between two runs is a changed
region, and the final list of edits is read off those regions: applying the
edits to the input gives the cleaned text by construction.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from cleannews.edits import Edit


@dataclass(frozen=True, slots=True)
class Run:
    """``src[src_start:src_start+length] == dst[dst_start:dst_start+length]``."""

    src_start: int
    dst_start: int
    length: int

    @property
    def src_end(self) -> int:
        return self.src_start + self.length

    @property
    def dst_end(self) -> int:
        return self.dst_start + self.length


@dataclass(frozen=True, slots=True)
class Gap:
    """A changed region: ``src[src_start:src_end]`` became ``dst[dst_start:dst_end]``."""

    src_start: int
    src_end: int
    dst_start: int
    dst_end: int


class Alignment:
    """Unchanged runs from a source text to a destination text, sorted."""

    __slots__ = ("_dst_starts", "dst_len", "runs", "src_len")

    def __init__(self, runs: Sequence[Run], src_len: int, dst_len: int) -> None:
        self.runs = list(runs)
        self.src_len = src_len
        self.dst_len = dst_len
        self._dst_starts = [r.dst_start for r in self.runs]

    @classmethod
    def identity(cls, length: int) -> Alignment:
        runs = [Run(0, 0, length)] if length else []
        return cls(runs, length, length)

    @classmethod
    def from_edits(cls, src_len: int, edits: Sequence[Edit]) -> Alignment:
        """The alignment produced by applying sorted, disjoint ``edits``."""
        runs: list[Run] = []
        pos = shift = 0
        for edit in edits:
            if edit.start > pos:
                runs.append(Run(pos, pos + shift, edit.start - pos))
            shift += len(edit.after) - (edit.end - edit.start)
            pos = edit.end
        if src_len > pos:
            runs.append(Run(pos, pos + shift, src_len - pos))
        return cls(runs, src_len, src_len + shift)

    def then(self, nxt: Alignment) -> Alignment:
        """Compose: ``self`` maps A→B, ``nxt`` maps B→C; the result maps A→C."""
        # a merge of two sorted run lists on plain tuples: (src_start, dst_start, length) of
        # the composed runs, merged with the previous one when they continue it
        out: list[tuple[int, int, int]] = []
        a = [(r.src_start, r.dst_start, r.dst_start + r.length) for r in self.runs]
        b = [(r.src_start, r.dst_start, r.src_start + r.length) for r in nxt.runs]
        i = j = 0
        while i < len(a) and j < len(b):
            a_src, a_dst, a_dst_end = a[i]
            b_src, b_dst, b_src_end = b[j]
            lo = a_dst if a_dst > b_src else b_src
            hi = a_dst_end if a_dst_end < b_src_end else b_src_end
            if lo < hi:
                src, dst, length = a_src + lo - a_dst, b_dst + lo - b_src, hi - lo
                if out and out[-1][0] + out[-1][2] == src and out[-1][1] + out[-1][2] == dst:
                    prev = out.pop()
                    src, dst, length = prev[0], prev[1], prev[2] + length
                out.append((src, dst, length))
            if a_dst_end <= b_src_end:
                i += 1
            else:
                j += 1
        return Alignment([Run(*run) for run in out], self.src_len, nxt.dst_len)

    def to_src_start(self, pos: int) -> int:
        """Map a destination offset used as a span start back to the source.

        A start inside a changed region maps to the region's start (so the span
        swallows the earlier change); at a run start it maps just past any
        earlier deletion at that point.
        """
        k = bisect_right(self._dst_starts, pos) - 1
        if k >= 0 and pos < self.runs[k].dst_end:
            run = self.runs[k]
            return run.src_start + pos - run.dst_start
        return self.runs[k].src_end if k >= 0 else 0

    def to_src_end(self, pos: int) -> int:
        """Map a destination offset used as a span end back to the source."""
        k = bisect_right(self._dst_starts, pos - 1) - 1 if pos > 0 else -1
        if k >= 0 and pos <= self.runs[k].dst_end:
            run = self.runs[k]
            return run.src_start + pos - run.dst_start
        return self.runs[k + 1].src_start if k + 1 < len(self.runs) else self.src_len

    def gaps(self) -> list[Gap]:
        """The changed regions, in order."""
        out: list[Gap] = []
        src = dst = 0
        for run in self.runs:
            if run.src_start > src or run.dst_start > dst:
                out.append(Gap(src, run.src_start, dst, run.dst_start))
            src, dst = run.src_end, run.dst_end
        if self.src_len > src or self.dst_len > dst:
            out.append(Gap(src, self.src_len, dst, self.dst_len))
        return out

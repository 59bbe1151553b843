"""Offset alignment: building from edits, composing, mapping spans back, gaps."""

from __future__ import annotations

from cleannews.edits import Edit, apply_edits
from cleannews.offsets import Alignment, Gap, Run


def e(start: int, end: int, text: str, after: str) -> Edit:
    return Edit(start, end, text[start:end], after, "t", "t.r", "test", 1.0)


def test_identity_and_empty() -> None:
    assert Alignment.identity(5).runs == [Run(0, 0, 5)]
    assert Alignment.identity(0).runs == []
    assert Alignment.identity(5).gaps() == []


def test_from_edits_runs_and_gaps() -> None:
    text = "aaXXbbYcc"
    edits = [e(2, 4, text, ""), e(6, 7, text, "ZZ")]
    al = Alignment.from_edits(len(text), edits)
    assert al.runs == [Run(0, 0, 2), Run(4, 2, 2), Run(7, 6, 2)]
    assert al.dst_len == len(apply_edits(text, edits))
    assert al.gaps() == [Gap(2, 4, 2, 2), Gap(6, 7, 4, 6)]


def test_insertion_at_start_and_deletion_at_end() -> None:
    text = "abc"
    al = Alignment.from_edits(3, [e(0, 0, text, ">"), e(2, 3, text, "")])
    assert al.gaps() == [Gap(0, 0, 0, 1), Gap(2, 3, 3, 3)]


def test_compose_maps_back_to_first_text() -> None:
    a = "0123456789"
    first = [e(2, 4, a, "")]  # b = "01456789"
    b = apply_edits(a, first)
    second = [e(5, 6, b, "x")]  # b[5] = '7' -> a[7]
    c = apply_edits(b, second)
    al = Alignment.from_edits(len(a), first).then(Alignment.from_edits(len(b), second))
    assert al.src_len == len(a) and al.dst_len == len(c)
    assert al.gaps() == [Gap(2, 4, 2, 2), Gap(7, 8, 5, 6)]


def test_span_mapping_swallows_earlier_deletion_only_when_inside() -> None:
    a = "文包養明天"
    al = Alignment.from_edits(len(a), [e(1, 3, a, "")])  # -> "文明天"
    # a span covering "文明" in the new text covers the deletion in the input
    assert (al.to_src_start(0), al.to_src_end(2)) == (0, 4)
    # a span starting right after the deletion starts after it
    assert al.to_src_start(1) == 3
    # a span ending right before the deletion ends before it
    assert al.to_src_end(1) == 1
    # an insertion point at the deletion maps to its end (start) / start (end)
    assert al.to_src_end(0) == 0

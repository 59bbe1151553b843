"""Edits: validation, application, line/column look-up, serialisation."""

from __future__ import annotations

import pytest

from cleannews.edits import Edit, apply_edits, check_edits, line_col, line_starts


def edit(start: int, end: int, before: str, after: str, **kw) -> Edit:
    return Edit(start, end, before, after, kw.pop("filter", "t"), kw.pop("rule", "t.rule"),
                kw.pop("reason", "test"), kw.pop("confidence", 1.0), **kw)


def test_edit_rejects_inconsistent_spans() -> None:
    with pytest.raises(ValueError):
        edit(2, 1, "", "x")
    with pytest.raises(ValueError):
        edit(0, 2, "abc", "")
    with pytest.raises(ValueError):
        edit(0, 1, "a", "", confidence=1.5)


def test_apply_replacement_deletion_insertion() -> None:
    text = "0123456789"
    edits = [edit(8, 10, "89", "X"), edit(1, 3, "12", ""), edit(5, 5, "", "++")]
    assert apply_edits(text, edits) == "034++567X"


def test_apply_adjacent_edits_and_insertion_at_boundary() -> None:
    text = "abcdef"
    edits = [edit(0, 2, "ab", "A"), edit(2, 2, "", "-"), edit(2, 4, "cd", "C")]
    assert apply_edits(text, edits) == "A-Cef"


def test_apply_no_edits_is_identity() -> None:
    assert apply_edits("文\r\n字", []) == "文\r\n字"


def test_check_rejects_overlap_mismatch_and_double_insertion() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        check_edits("abcdef", [edit(0, 3, "abc", ""), edit(2, 4, "cd", "")])
    with pytest.raises(ValueError, match="before"):
        check_edits("abcdef", [edit(0, 1, "x", "")])
    with pytest.raises(ValueError, match="overlaps"):
        check_edits("abc", [edit(1, 1, "", "x"), edit(1, 1, "", "y")])
    with pytest.raises(ValueError, match="beyond"):
        check_edits("ab", [edit(1, 3, "bc", "")])


def test_line_col_is_one_based_and_counts_characters() -> None:
    text = "第一行\n第二行包養\r\nthird"
    starts = line_starts(text)
    assert starts == [0, 4, 11]
    assert line_col(starts, 0) == (1, 1)
    assert line_col(starts, text.index("包養")) == (2, 4)
    assert line_col(starts, text.index("third")) == (3, 1)


def test_to_dict_and_absorbed_steps() -> None:
    inner = edit(1, 3, "包養", "", filter="spam", rule="spam.split-word")
    outer = edit(0, 4, "文包養明", "文化", filter="spin", rule="spin.context", absorbs=(inner,),
                 evidence={"p": 0.9})
    assert outer.all_steps() == (outer, inner)
    d = outer.to_dict(line_starts("文包養明"))
    assert d["line"] == 1 and d["col"] == 1
    assert d["evidence"] == {"p": 0.9}
    assert d["absorbs"][0]["filter"] == "spam" and d["absorbs"][0]["col"] == 2
    assert "line" not in outer.to_dict()

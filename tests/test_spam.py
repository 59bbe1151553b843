"""The spam filter on hand-written cases and on real clean pages that must stay byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleannews import clean
from cleannews.edits import apply_edits


def spam(text: str):
    result = clean(text, filters=["spam"])
    assert apply_edits(result.text, result.edits) == result.cleaned
    return result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("連包養合引領職工聽黨話", "連合引領職工聽黨話"),  # splits a word (連合)
        ("累計1.4包養23萬項發現", "累計1.423萬項發現"),  # splits a number
        ("自治區包養網總工會", "自治區總工會"),  # longest match: 包養網, not 包養
        ("打造職工文包養包養網明特點", "打造職工文明特點"),  # adjacent terms
        ("今天我們 Sugar Daddy 去公園散步", "今天我們 去公園散步"),  # English with spaces: one space kept
        ("專心用情當好職工sugar  daddy信任的人", "專心用情當好職工信任的人"),  # case, doubled space
        ("內蒙古自治区包养网工会", "內蒙古自治区工会"),  # Simplified form
    ],
)
def test_injected_terms_are_removed(text: str, expected: str) -> None:
    result = spam(text)
    assert result.cleaned == expected
    assert result.edits and all(e.filter == "spam" and e.after == "" for e in result.edits)
    assert all(e.reason and 0 < e.confidence <= 1 for e in result.edits)


def test_removed_spans_point_at_the_terms() -> None:
    text = "連包養合引領"
    (edit,) = spam(text).edits
    assert (edit.start, edit.end, edit.before) == (1, 3, "包養")
    assert edit.rule == "spam.split-word"


@pytest.mark.parametrize(
    "text",
    [
        "內蒙古自治區工會牢牢繚繞中間、辦事年夜局。",
        "他承包養殖場多年,收入穩定。",  # 承包 + 養殖: the characters belong to real words
        "The sugar industry and its escort ships.",
        "",
        "\n\r\n",
    ],
)
def test_clean_text_is_untouched(text: str) -> None:
    result = spam(text)
    assert result.cleaned == text
    assert result.edits == []


@pytest.mark.parametrize("name", ["021.txt", "023.txt"])
def test_topical_pages_are_kept(shared_dir: Path, name: str) -> None:
    path = shared_dir / "dev" / "clean_tricky" / name
    if not path.is_file():
        pytest.skip(f"missing {path}")
    text = path.read_bytes().decode("utf-8")
    assert "包養" in text
    result = spam(text)
    assert result.cleaned == text
    assert result.edits == []
    assert result.scores.get("spam.topical") == 1.0


def test_every_clean_tricky_page_is_unchanged_by_spam(shared_dir: Path) -> None:
    folder = shared_dir / "dev" / "clean_tricky"
    files = sorted(folder.glob("*.txt"))
    if not files:
        pytest.skip(f"no pages in {folder}")
    changed = [f.name for f in files if spam(f.read_bytes().decode("utf-8")).changed]
    assert changed == []


def test_a_run_of_injected_terms_is_not_read_as_a_topical_phrase():
    """包養 followed by another injected term (甜心寶貝) is not 'attached to its topic' (包養情婦)."""
    text = "近年來，哈薩克斯坦國內交通包養甜心寶貝基礎設施建設加快，經由過程多方合作，物流可以或許更快抵達。"
    result = clean(text, filters=["spam"])
    assert result.cleaned == text.replace("包養甜心寶貝", "")

"""The spam filter on hand-written cases and on real clean pages that must stay byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# Hand-written in the style of Taiwanese and mainland reports about sugar-dating sites: the terms
# are words of their sentences (attached: 透過包養網站, 包養關係, 被包養, 包養了), with topic words near.
TOPICAL_REPORT = (
    "〔記者／專訪〕22歲的女大生小安透過包養網站認識一名乾爹，兩人進入包養關係半年。"
    "她說，對方每月給她車馬費，但後來爆發金錢糾紛，她才驚覺自己被包養的代價。"
)
TOPICAL_COMMENTARY = "有的官员长期包养情妇，有的包养了一个大学生，还有人通过包养平台寻找所谓的“甜心”。"


@pytest.mark.parametrize("text", [TOPICAL_REPORT, TOPICAL_COMMENTARY])
def test_reports_about_sugar_dating_keep_their_terms(text: str) -> None:
    result = spam(text)
    assert result.cleaned == text
    assert result.scores["spam.topical"] == 1.0


def test_attached_mention_is_kept_even_where_its_removal_would_join_a_word() -> None:
    # 進入包養關係: removing 包養 would join 入關, a word, by coincidence
    text = "她與乾爹約會三次後，才決定進入包養關係。"
    assert spam(text).cleaned == text


SPAM_PAGE = (
    "今年以來，全包養網國各地積極推進職工文包養明建設，連包養合引領職工聽黨話、跟黨走，"
    "在2024年歲末的北疆包養網中國工人大思政課包養中，一場閱讀經典好書活動隆重舉行。"
)


def test_a_spammed_region_with_a_topic_word_still_loses_its_injected_terms() -> None:
    # 交友 (a topic word) in a spammed article does not make its injected terms topical
    text = "社區舉辦青年交友活動，" + SPAM_PAGE
    cleaned = spam(text).cleaned
    assert "包養" not in cleaned
    assert cleaned.startswith("社區舉辦青年交友活動，今年以來，全國各地")


def test_topical_evidence_does_not_cross_articles_in_one_file() -> None:
    """A report about sugar dating beside a spammed article: neither lends the other its evidence."""
    filler = "\n".join(["國家統計局今天發布數據，前三季度國內生產總值同比增長百分之五點二。"] * 20)
    text = "\n".join([TOPICAL_REPORT, filler, SPAM_PAGE, filler, TOPICAL_COMMENTARY])
    result = spam(text)
    assert result.cleaned == "\n".join(
        [TOPICAL_REPORT, filler, spam(SPAM_PAGE).cleaned, filler, TOPICAL_COMMENTARY])
    assert spam(SPAM_PAGE).cleaned.count("包養") == 0


def test_ordinary_word_term_needs_spam_near_it_not_elsewhere_in_the_file() -> None:
    """九宮格 (a 3x3 grid) is removed only with other spam near it, not because a spam page
    was concatenated into the same file far away."""
    puzzle = "數獨是一種九宮格填數字的遊戲，規則簡單，老少咸宜。"
    filler = "\n".join(["國家統計局今天發布數據，前三季度國內生產總值同比增長百分之五點二。"] * 40)
    text = "\n".join([SPAM_PAGE, filler, puzzle])
    cleaned = spam(text).cleaned
    assert cleaned.endswith(puzzle)
    # beside the spam, in the same region, an injected 九宮格 goes (dev/pages/001: 進獻九宮格了)
    assert spam(SPAM_PAGE + "職工們為家鄉建設進獻九宮格了力量。").cleaned.endswith("進獻了力量。")


@pytest.mark.parametrize("text", [
    "民主派質問特首，是否打算繼續包養這名逃犯至終老，令全港市民為他埋單。",  # 包養 as 'keep, support'
    "有評論批評部分傳媒人甘願被包養，淪為權力的傳聲筒。",
])
def test_a_lone_mention_that_splits_no_word_is_kept(text: str) -> None:
    """No other spam term and no spinner form near it: a word used once in passing, not injection."""
    assert spam(text).cleaned == text


def test_a_lone_mention_that_splits_a_word_still_goes() -> None:
    assert spam("自治區總工包養會今天召開全體會議。").cleaned == "自治區總工會今天召開全體會議。"


def test_many_mentions_that_split_no_word_read_as_written() -> None:
    """A blog post about sugar babies names them again and again; not one mention splits a word
    (an injected term joins one about a third of the time when removed)."""
    sentences = [
        "很多朋友在分享一篇關於sugar baby的文章。", "被包養的女孩在英文裡叫sugar baby。",
        "一名記者冒充sugar baby開設帳戶近一個月。", "受訪的sugar baby說自己渴望奢侈的生活。",
        "不少sugar baby認識的sugar daddy是商人。", "統計出約有半數的sugar baby是學生。",
        "有人認為sugar baby不是妓女。", "她們說sugar baby只是開出金錢條件的伴侶。",
    ]
    text = "".join(sentences)
    assert spam(text).cleaned == text


@pytest.mark.parametrize("text", ["包養appSugar Daddy這是新聞", "九宮格包養網", "台灣包養網甜心寶貝"])
def test_a_run_of_adjacent_terms_goes_in_one_pass(text: str) -> None:
    """Cleaning the output again changes nothing: each term is judged on what the others leave."""
    first = clean(text).cleaned
    assert clean(first).cleaned == first
    assert not any(t in first for t in ("包養", "Sugar Daddy"))


def test_a_term_after_an_english_ending_term_is_its_own_edit() -> None:
    # 包養app ends in letters, so Sugar Daddy only stands at a word boundary once it is gone
    result = spam("包養appSugar Daddy這是新聞")
    assert result.cleaned == "這是新聞"
    assert [(e.start, e.end, e.before) for e in result.edits] == [(0, 5, "包養app"), (5, 16, "Sugar Daddy")]


def test_a_term_injected_inside_another_is_absorbed_by_it() -> None:
    result = spam(SPAM_PAGE + "今天我們去公園Su包養gar Daddy散步。")
    assert result.cleaned == spam(SPAM_PAGE).cleaned + "今天我們去公園散步。"
    edit = result.edits[-1]
    assert edit.before == "Su包養gar Daddy"
    assert [a.before for a in edit.absorbs] == ["包養"]


# Clean news sentences (hand-written in the corpus's style) and the wordlist's spam terms.
_NEWS = [
    "國家統計局今天發布數據，前三季度國內生產總值同比增長百分之五點二。",
    "內蒙古自治區總工會牢牢圍繞中心、服務大局，組織職工參加技能競賽。",
    "記者從交通運輸部獲悉，今年以來全國港口貨物吞吐量保持穩定增長。",
    "他說，這項工作關係到千家萬戶，必須認真做好。",
    "今天上午，第十屆中國國際進口博覽會在上海開幕。",
]


def _spam_terms() -> list[str]:
    from cleannews.resources import read_table

    return sorted({row[0] for row in read_table("spam_terms.txt")})


@st.composite
def _spammed_news(draw: st.DrawFn) -> str:
    text = "".join(draw(st.lists(st.sampled_from(_NEWS), min_size=1, max_size=3)))
    terms = _spam_terms()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        run = "".join(draw(st.lists(st.sampled_from(terms), min_size=1, max_size=3)))
        text = text[:at] + run + text[at:]
    return text


@settings(max_examples=40)
@given(_spammed_news())
def test_cleaning_twice_is_cleaning_once(text: str) -> None:
    once = clean(text).cleaned
    assert clean(once).cleaned == once

"""Property tests of the real filters on hostile text: both scripts, spam terms, spun forms, emoji,
combining marks, lone surrogates, control characters and NUL.

Whatever the text: ``clean`` never raises, returns the input unchanged as ``text``, and its edits are
sorted, disjoint, match the input and replay to the output; every report renders.  The number of
examples comes from the Hypothesis profile (``tests/conftest.py``): "ci" runs 2,600 in total
(fixed: derandomized), "long" 20,000 per test.
"""

from __future__ import annotations

import io
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from cleannews import clean
from cleannews.edits import apply_edits, check_edits, line_col
from cleannews.report import Document, render

PIECES = [
    "包養", "包養網", "包养网", "台灣包養", "Sugar Daddy", "甜心寶貝", "九宮格", "app",
    "經由過程", "经由过程", "年夜", "任務", "任务", "題目", "不雅眾", "餐與加入", "通過", "问题",
    "內蒙古自治區總工會", "内蒙古自治区总工会", "“", "”", "。", "，", ",", "?", "「", "」",
    "他忽然想起了她的眼睛，心中一阵刺痛。", "記者", "报道",
    "😀", "👍🏽", "🇹🇼", "\u0301", "e\u0301", "\u200b", "\ufeff",
    "\x00", "\x07", "\x1b[31m", "\r\n", "\r", "\n", "\t", "\u2028", "\ud800", "\udfff",
]
CHARS = st.one_of(
    st.sampled_from(PIECES),
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
    st.characters(max_codepoint=0x1F),  # control characters, NUL included
)
#: examples per test: fixed counts in CI, many more with HYPOTHESIS_PROFILE=long
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"


def examples(ci: int) -> int:
    return 20_000 if LONG else ci


TEXTS = st.lists(CHARS, max_size=40).map("".join)


def _check(text: str, filters: list[str] | None) -> None:
    result = clean(text, filters=filters)
    assert result.text == text
    check_edits(text, result.edits)
    assert apply_edits(text, result.edits) == result.cleaned
    for edit in result.edits:
        line, col = line_col(result.line_starts, edit.start)
        assert line >= 1 and col >= 1
        for step in edit.all_steps():
            assert 0.0 <= step.confidence <= 1.0 and step.reason
    for fmt in ("text", "json", "html", "diff"):
        render(fmt, [Document("x.txt", result, "utf-8")], io.StringIO(), filters=filters or [])
    text_report = io.StringIO()
    render("text", [Document("x.txt", result, "utf-8")], text_report)
    text_report.getvalue().encode("utf-8")  # controls and surrogates escaped: writable anywhere


@settings(max_examples=examples(1200))
@given(text=TEXTS)
def test_all_filters_never_raise_and_edits_replay(text: str) -> None:
    _check(text, None)


@settings(max_examples=examples(1200))
@given(text=TEXTS, which=st.sampled_from([["spam"], ["spinning"], ["fiction"], ["spam", "spinning"]]))
def test_each_filter_never_raises_and_edits_replay(text: str, which: list[str]) -> None:
    _check(text, which)


@settings(max_examples=examples(200))
@given(text=st.lists(st.sampled_from(["今天天氣很好。", "記者從內蒙古自治區總工會獲悉，", "\n", "😀",
                                      "工人們參加了活動。", "今天天气很好。"]), max_size=12).map("".join))
def test_plain_news_sentences_are_byte_identical(text: str) -> None:
    assert clean(text).cleaned == text

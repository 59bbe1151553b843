"""Golden test on the seed page: the spam filter removes exactly the 27 injected terms.

The expectation is written out here by hand — (line, text before, term, text after)
for each of the 27 spots — and applied independently of the filter.
"""

from __future__ import annotations

from pathlib import Path

import cleannews
from cleannews import clean
from cleannews.edits import apply_edits, line_col

SPOTS: list[tuple[int, str, str, str]] = [
    (2, "辦實事、", "包養", "解困難—"),
    (7, "主要構成", "包養", "部門。"),
    (8, "蒙古工人", "包養網", "活動的新"),
    (10, "連", "包養", "合引領職"),
    (11, "5月,自", "包養", "治區總工"),
    (11, "揚年夜會", "包養網", "……強化"),
    (11, "……強化", "包養", "職工思惟"),
    (12, "的北疆“", "包養", "中國工人"),
    (12, "思政課”", "包養網", "中,一場"),
    (12, "號職工文", "包養", "明特點b"),
    (13, "短錄像年", "包養", "夜賽等運"),
    (16, "”比賽運", "包養網", "動自包頭"),
    (18, "焦立異發", "包養", "明,自治"),
    (18, "、1.4", "包養", "23萬項"),
    (20, "程”主疆", "包養", "場,展開"),
    (20, "任務,鼓", "包養網", "勵寬大職"),
    (22, "出,各級", "包養", "工會要關"),
    (24, "來,自治", "包養網", "區各級工"),
    (24, "冀蒙跨區", "包養", "域促失業"),
    (25, "加入職工", "包養網", "補貼10"),
    (25, "7萬元,", "包養網", "發放補貼"),
    (26, "過程“熱", "包養網", "邊北疆行"),
    (26, "堡戶、黨", "包養網", "員中間戶"),
    (27, "會發布辦", "包養網", "事職工辦"),
    (28, "古自治區", "包養網", "總工會黨"),
    (28, "組織構造", "包養", "優化、任"),
    (29, "消息鏈接", "包養網", ""),
]


def expected_spans(seed: str) -> list[tuple[int, int]]:
    """Input spans of the 27 terms, located by their hand-written line and context."""
    lines = seed.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    spans = []
    for lineno, left, term, right in SPOTS:
        line = lines[lineno - 1]
        needle = left + term + right
        assert line.count(needle) == 1, f"spot {lineno}:{needle} not unique in its line"
        if not right:
            assert line.endswith(needle)
        start = offsets[lineno - 1] + line.index(needle) + len(left)
        spans.append((start, start + len(term)))
    return sorted(spans)


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in spans:
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return "".join(out)


def test_seed_has_27_spots() -> None:
    assert len(SPOTS) == 27


def test_spam_alone_removes_exactly_the_27_terms(seed_text: str) -> None:
    spans = expected_spans(seed_text)
    assert len(spans) == 27 and seed_text.count("包養") == 27
    result = clean(seed_text, filters=["spam"])
    assert result.cleaned == remove_spans(seed_text, spans)
    assert [(e.start, e.end) for e in result.edits] == spans
    assert result.counts() == {"spam": 27}
    assert "包養" not in result.cleaned
    assert apply_edits(result.text, result.edits) == result.cleaned


def test_seed_edits_report_the_written_lines(seed_text: str) -> None:
    result = clean(seed_text, filters=["spam"])
    assert [line_col(result.line_starts, e.start)[0] for e in result.edits] == [s[0] for s in SPOTS]


def test_seed_keeps_its_missing_final_newline(seed_text: str) -> None:
    assert not seed_text.endswith("\n")
    assert not clean(seed_text, filters=["spam"]).cleaned.endswith("\n")


def test_wordlists_are_packaged_with_the_installed_module() -> None:
    """A non-editable install must carry the wordlists inside the package."""
    from cleannews.resources import wordlists_dir

    package_dir = Path(cleannews.__file__).resolve().parent
    assert (wordlists_dir() / "spam_terms.txt").is_file()
    if "site-packages" in package_dir.parts:
        assert (package_dir / "wordlists" / "spam_terms.txt").is_file()

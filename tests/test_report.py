"""Reports: the text rendering, the JSON schema and the unified diff."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cleannews import Pipeline, clean
from cleannews.edits import Edit
from cleannews.pipeline import Context
from cleannews.report import Document, render, summary, summary_line
from cleannews.report.diff import NO_EOL, lines, unified_diff
from cleannews.report.jsonreport import LINES_SCHEMA, SCHEMA, report_dict

SPAMMY = "第一行沒有問題\n連包養合引領職工\n最後一行也沒有問題"


class Replace:
    """A tiny filter replacing one string (to get an absorbed edit with the real spam filter)."""

    def __init__(self, name: str, old: str, new: str) -> None:
        self.name, self.description, self.old, self.new = name, "test", old, new

    def find(self, text: str, ctx: Context) -> list[Edit]:
        pos = text.find(self.old)
        if pos < 0:
            return []
        return [Edit(pos, pos + len(self.old), self.old, self.new, self.name, f"{self.name}.word",
                     "test replacement", 0.7)]


def docs() -> list[Document]:
    return [
        Document("a.txt", clean(SPAMMY, filters=["spam"]), "utf-8"),
        Document("b.txt", clean("乾淨的文字\n", filters=["spam"]), "big5"),
        Document("c.txt", error="looks binary (contains NUL bytes)"),
    ]


def render_str(fmt: str, items: list[Document], color: bool = False) -> str:
    buf = io.StringIO()
    render(fmt, items, buf, color=color, filters=["spam"])
    return buf.getvalue()


def test_text_report_without_colour_marks_edits_in_plain_text() -> None:
    out = render_str("text", docs())
    assert "\x1b[" not in out
    assert "a.txt: 1 edits (spam 1)" in out
    assert "連[-包養-]合引" in out
    assert "    2:2 spam     0.98" in out and "'包養' splits '連合'" in out
    assert "b.txt: unchanged" in out
    assert "c.txt: error: looks binary" in out
    assert out.startswith(summary_line(docs()) + "\n")  # the summary comes first


def test_text_report_with_colour_uses_ansi_styles() -> None:
    out = render_str("text", docs()[:1], color=True)
    assert "\x1b[" in out
    assert "[-包養-]" not in out and "包養" in out


def test_text_report_shows_absorbed_edits() -> None:
    from cleannews.registry import create

    result = Pipeline([create("spam"), Replace("spin", "連合", "聯合")]).run(SPAMMY)
    assert result.cleaned == SPAMMY.replace("連包養合", "聯合")
    out = render_str("text", [Document("x.txt", result, "utf-8")])
    assert "{+聯合+}" in out and "[-連包養合-]" in out
    assert "↳ 2:2 spam" in out and "test replacement" in out
    data = report_dict([Document("x.txt", result, "utf-8")])
    (edit,) = data["documents"][0]["edits"]
    assert edit["filter"] == "spin" and edit["absorbs"][0]["filter"] == "spam"
    assert data["summary"]["counts"] == {"spam": 1, "spin": 1}


def test_json_report_is_valid_and_versioned() -> None:
    out = render_str("json", docs()[:1])
    assert out.count("\n") == 1 and ": " not in out  # compact by default
    data = json.loads(out)
    assert data["schema"] == SCHEMA == "cleannews.report/1"
    assert [d["path"] for d in data["documents"]] == ["a.txt"]
    (edit,) = data["documents"][0]["edits"]
    assert "包養" in edit["reason"]
    assert edit["explanation"] == "'包養' splits '連合'; removing it rejoins the text"
    assert data["summary"] == summary(docs()[:1]) and data["summary"]["documents"] == 1
    buf = io.StringIO()
    render("json", docs()[:1], buf, filters=["spam"], pretty=True)
    assert json.loads(buf.getvalue()) == data and '\n  "schema": ' in buf.getvalue()


def test_json_report_of_several_documents_is_one_object_per_line() -> None:
    rows = [json.loads(line) for line in render_str("json", docs()).splitlines()]
    assert rows[0]["schema"] == LINES_SCHEMA and rows[0]["filters"] == ["spam"]
    assert [r["type"] for r in rows[1:]] == ["document", "document", "error", "summary"]
    assert [r["path"] for r in rows[1:3]] == ["a.txt", "b.txt"]
    assert rows[2]["encoding"] == "big5" and rows[2]["edits"] == []
    assert rows[3] == {"type": "error", "path": "c.txt", "error": "looks binary (contains NUL bytes)"}
    assert rows[4]["summary"] == summary(docs())
    # summary.documents counts exactly the documents listed; failures are counted apart
    assert rows[4]["summary"]["documents"] == 2 and rows[4]["summary"]["failed"] == 1
    assert rows[4]["summary"]["changed"] == 1


def test_diff_lines_split_on_newline_only() -> None:
    assert lines("a\u2028b\nc\r\nd") == ["a\u2028b\n", "c\r\n", "d"]
    assert lines("") == []


def test_diff_marks_missing_final_newline() -> None:
    out = "".join(unified_diff("x\n連包養合", "x\n連合", "p.txt"))
    assert out.startswith("--- a/p.txt\n+++ b/p.txt\n")
    assert f"-連包養合\n{NO_EOL}+連合\n{NO_EOL}" in out


def test_diff_skips_unchanged_and_failed_documents() -> None:
    out = render_str("diff", docs())
    assert "a.txt" in out and "b.txt" not in out and "c.txt" not in out


@pytest.mark.skipif(shutil.which("patch") is None, reason="patch(1) not installed")
def test_diff_applies_with_patch(tmp_path: Path, seed_text: str) -> None:
    target = tmp_path / "page.txt"
    target.write_bytes(seed_text.encode())
    result = clean(seed_text, filters=["spam"])
    diff = "".join(unified_diff(result.text, result.cleaned, "page.txt"))
    proc = subprocess.run(["patch", "-p1", "--quiet"], input=diff.encode(), cwd=tmp_path,
                          capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode() + proc.stdout.decode()
    assert target.read_bytes() == result.cleaned.encode()


def test_unknown_format_raises() -> None:
    with pytest.raises(ValueError):
        render_str("pdf", docs())


def test_text_report_edit_spanning_lines_is_shown_once() -> None:
    result = Pipeline([Replace("join", "B\nC", "")]).run("line one A B\nC rest D end\nthird")
    out = render_str("text", [Document("x.txt", result)])
    assert out.count("[-B\\nC-]") == 1
    assert "1:12" in out and "A [-B\\nC-] r" in out


# --- readable text report ------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_report(seed_text: str) -> tuple[str, Document]:
    doc = Document("seed.txt", clean(seed_text), "utf-8")
    return render_str("text", [doc]), doc


def test_seed_text_report_is_one_line_per_edit_within_100_columns(seed_report) -> None:
    from cleannews.report.text import WIDTH, cells

    out, doc = seed_report
    assert doc.result is not None
    lines = out.splitlines()
    assert lines[0].startswith("1 document, 1 changed, ")  # summary first
    assert max(cells(line) for line in lines) <= WIDTH
    steps = len(doc.result.steps())
    assert len(lines) == steps + 4  # summary, blank, title, header, one row per edit step
    assert any(line.endswith("…") for line in lines)


def test_seed_text_report_speaks_plainly_in_the_page_script(seed_report) -> None:
    out, _ = seed_report
    for jargon in ("nats", "LLR", "log-odds", "logit"):
        assert jargon not in out
    # the seed is a Traditional page: its words are quoted in Traditional characters
    assert "'慶祝'" in out and "'庆祝'" not in out and "'通過'" in out and "'通过'" not in out


def test_plain_wording_drops_scores_and_converts_quotes() -> None:
    from cleannews.report.wording import plain

    assert plain("'立异' stands for '创新'\n(…x[立异]y…, 15.6 nats)", "Hant") == "'立異' stands for '創新'"
    assert plain("passage (LLR +2.15 nats/char, shares 2%, log-odds 15.3)") == "passage"
    assert plain("keep (plain aside) here") == "keep (plain aside) here"


def test_text_report_escapes_controls_and_surrogates() -> None:
    text = "a\x00b\ud800包養c\u2028"
    result = clean(text, filters=["spam"])
    out = render_str("text", [Document("x.txt", result)])
    out.encode("utf-8")  # writable to any UTF-8 stream
    assert "\x00" not in out and "\ud800" not in out


@pytest.mark.parametrize(("env", "tty", "expected"), [
    ({}, True, True),
    ({"NO_COLOR": "1"}, True, False),
    ({"NO_COLOR": ""}, True, True),
    ({"TERM": "dumb"}, True, False),
    ({"TERM": "xterm-256color"}, True, True),
    ({}, False, False),
])
def test_colour_decision(env: dict[str, str], tty: bool, expected: bool) -> None:
    from cleannews.report import wants_color

    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    assert wants_color(Stream(), env) is expected


def test_text_report_with_colour_has_no_plain_markers() -> None:
    out = render_str("text", docs()[:1], color=True)
    assert "\x1b[9;31m包養\x1b[0m" in out and "[-" not in out


# --- HTML review page -----------------------------------------------------------------


def test_html_report_is_self_contained_and_lists_every_edit(seed_text: str) -> None:
    import re

    result = clean(seed_text)
    page = render_str("html", [Document("seed.txt", result, "utf-8")])
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)  # nothing fetched from elsewhere
    for k in range(len(result.edits)):
        assert f'id="d0e{k}o"' in page and f'id="d0e{k}c"' in page
    assert "nats" not in page and "log-odds" not in page


def test_html_report_escapes_text() -> None:
    result = Pipeline([Replace("x", "<b>", "&")]).run("a<b>c</script>\ud800")
    page = render_str("html", [Document("x<.txt", result)])
    assert "<b>" not in page and "</script>\ud800" not in page and "&lt;b&gt;" in page

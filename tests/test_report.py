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
from cleannews.report.jsonreport import SCHEMA, report_dict

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
    assert "連[-包養-]合引領" in out
    assert "2:2" in out and "spam.split-word" in out and "'包養' → ''" in out
    assert "b.txt: unchanged" in out
    assert "c.txt: error: looks binary" in out
    assert summary_line(docs()) in out


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
    assert "↳ 2:2" in out and "spin.word" in out
    data = report_dict([Document("x.txt", result, "utf-8")])
    (edit,) = data["documents"][0]["edits"]
    assert edit["filter"] == "spin" and edit["absorbs"][0]["filter"] == "spam"
    assert data["summary"]["counts"] == {"spam": 1, "spin": 1}


def test_json_report_is_valid_and_versioned() -> None:
    data = json.loads(render_str("json", docs()))
    assert data["schema"] == SCHEMA == "cleannews.report/1"
    assert [d["path"] for d in data["documents"]] == ["a.txt", "b.txt"]
    assert data["documents"][1]["encoding"] == "big5" and data["documents"][1]["edits"] == []
    assert data["errors"] == [{"path": "c.txt", "error": "looks binary (contains NUL bytes)"}]
    assert data["summary"] == summary(docs())
    assert data["summary"]["failed"] == 1 and data["summary"]["changed"] == 1


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
        render_str("html", docs())


def test_text_report_edit_spanning_lines_is_shown_once() -> None:
    result = Pipeline([Replace("join", "B\nC", "")]).run("line one A B\nC rest D end\nthird")
    out = render_str("text", [Document("x.txt", result)])
    assert out.count("[-B\\nC-]") == 1
    assert "1:12" in out and "rest D end" in out

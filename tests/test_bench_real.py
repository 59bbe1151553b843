"""The real-data table: counting on small hand-made fixtures, folder formats, the CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleannews.bench import real as R


def _fake_cleaner(rules: dict[str, str]):
    """Replace every occurrence of each key (one spinning step each); no other change."""

    def run(text: str):
        steps = []
        for before, after in rules.items():
            start = text.find(before)
            while start >= 0:
                steps.append({"start": start, "end": start + len(before), "before": before, "after": after,
                              "filter": "spinning"})
                start = text.find(before, start + 1)
        steps.sort(key=lambda s: s["start"])
        out, pos = [], 0
        for s in steps:
            out.append(text[pos : s["start"]] + s["after"])
            pos = s["end"]
        return "".join(out) + text[pos:], steps

    return run


def test_spun_counts_follow_the_index(tmp_path: Path):
    spun = tmp_path / "spun"
    spun.mkdir()
    (spun / "001.txt").write_text("我们经由过程讨论，题目很多，经由过程了。任务完成。", encoding="utf-8")
    (spun / "index.tsv").write_text(
        "# header\n001.txt\tsrc\tpath\t经由过程(通过),题目(问题),不雅(观)\tsimplified\tno\tno\tt\tno\t\n",
        encoding="utf-8")
    # restores 经由过程 twice to the listed original, 题目 to the wrong word, and edits 任务 (unlisted)
    c = R.spun_counts(tmp_path, _fake_cleaner({"经由过程": "通过", "题目": "标题", "任务": "工作"}))
    assert c["occurrences"] == 3  # 不雅 is listed but absent
    assert c["restored"] == 3 and c["to_listed"] == 2
    assert c["unlisted_edits"] == 1
    none = R.spun_counts(tmp_path, _fake_cleaner({}))
    assert none["restored"] == 0 and none["occurrences"] == 3


def test_fragment_left_and_term_counts():
    fragment = "“你是什麼意思?”藍玉華不解。"
    page = "開頭。“你是什麼意思?”藍包養玉華不解。結尾。"
    assert R.fragment_left(fragment, page, ["包養"]) > 0.9
    assert R.fragment_left(fragment, "開頭。結尾。", ["包養"]) == 0.0
    assert R.count_terms("包養網包養九宮格", ["包養", "包養網", "九宮格"]) == 3  # longest first


def test_read_folder_formats(tmp_path: Path):
    with gzip.open(tmp_path / "topical-000.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a", "text": "甜心寶貝網站的新聞。"}, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"id": "b", "kind": "reviews", "text": "遊戲評測。"}, ensure_ascii=False) + "\n")
    (tmp_path / "pairs.jsonl").write_text(json.dumps({"id": "p", "spun": "经由过程", "original": "通过"},
                                                     ensure_ascii=False) + "\n", encoding="utf-8")
    sub = tmp_path / "pages"
    sub.mkdir()
    (sub / "x.txt").write_text("经由过程", encoding="utf-8")
    (sub / "x.orig.txt").write_text("通过", encoding="utf-8")
    (sub / "y.txt").write_text("干净的文章。", encoding="utf-8")
    docs = {d["id"]: d for d in R.read_folder(tmp_path)}
    assert docs["a"]["kind"] == "topical" and docs["b"]["kind"] == "reviews"
    assert docs["p"]["original"] == "通过" and docs["p"]["spun"] == "经由过程"
    assert docs["pages/x.txt"]["original"] == "通过"
    assert docs["pages/y.txt"]["text"] == "干净的文章。" and docs["pages/y.txt"]["kind"] == "pages"


def test_folder_rows_targets(tmp_path: Path):
    (tmp_path / "sugar-topical.jsonl").write_text(
        json.dumps({"id": "a", "text": "報導包養網站的新聞，任務很重。"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "b", "text": "另一篇乾淨的報導。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    pair = {"id": "p", "spun": "我们经由过程了", "original": "我们通过了"}
    (tmp_path / "pairs.jsonl").write_text(json.dumps(pair, ensure_ascii=False) + "\n", encoding="utf-8")
    rows = R.folder_rows("negatives", tmp_path, _fake_cleaner({"任務": "工作", "经由过程": "通过"}), True)
    pair = next(r for r in rows if r.measure.startswith("CER"))
    assert pair.detail["cer_before"] == 3 / 5 and pair.detail["cer_after"] == 0.0
    topical = next(r for r in rows if r.set.endswith("sugar-topical"))
    assert topical.met is False and topical.detail["changed"] == 1 and topical.target.startswith("0")


def test_wild_rows_count_listed_forms(tmp_path: Path):
    row = {"id": "w", "text": "设置装备摆设好了，若是可以，若是不行。", "strong_forms": {"设置装备摆设": 1},
           "weak_forms": {"若是": 2}}
    (tmp_path / "wild-000.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    (got,) = R.wild_rows(tmp_path, _fake_cleaner({"设置装备摆设": "配置"}))
    assert got.detail["forms"] == {"strong": [1, 1], "weak": [0, 2]} and got.detail["pages_edited"] == 1
    assert R.wild_rows(tmp_path / "absent", _fake_cleaner({})) == []


def test_concatenated_row_maps_edits_to_articles():
    clean = [{"id": f"c{k}", "text": f"第{k}篇文章。" + ("任务很重。" if k == 3 else "")} for k in range(6)]
    pages = [("spam/1", "经由过程讨论。"), ("spam/2", "餐与加入。")]
    cleaner = _fake_cleaner({"任务": "工作", "经由过程": "通过", "餐与加入": "参加"})
    alone = [cleaner(d["text"])[1] for d in clean]
    joined, one = R.concatenated_row(clean, pages, cleaner, alone)
    wrong = {"id": "c3", "filter": "spinning", "before": "任务", "after": "工作"}
    assert joined.detail["wrong_edits"] == [wrong]
    assert joined.result.startswith("1/6") and joined.met is False
    assert one.result.startswith("1/6")


def test_markdown_table_escapes_and_marks():
    rows = [R.Row("a|b", 3, "m", "1/3", "0", False).to_dict(), R.Row("c", 1, "m", "ok", "", None).to_dict()]
    table = R.markdown_table(rows)
    assert "a\\|b" in table and "**no**" in table
    assert table.count("\n") == 3


def test_real_command_runs_on_small_samples(tmp_path: Path, shared_dir: Path):
    if not (shared_dir / "dev" / "spun" / "index.tsv").is_file():
        pytest.skip("dev/spun missing")
    from cleannews.bench.cli import app

    out = tmp_path / "real.json"
    md = tmp_path / "real.md"
    result = CliRunner().invoke(app, ["real", "--broad", "3", "--fiction", "2", "--concat", "3",
                                      "--concat-pages", "1", "--no-golden", "--json", str(out),
                                      "--markdown", str(md)])
    assert result.exit_code == 0, result.output
    res = json.loads(out.read_text(encoding="utf-8"))
    sets = {r["set"] for r in res["rows"]}
    assert {"dev/spun", "dev/pages + seed", "dev/clean_tricky"} <= sets
    spun = next(r for r in res["rows"] if r["set"] == "dev/spun")
    assert spun["detail"]["occurrences"] == 816  # the listed occurrences of dev/spun/index.tsv
    assert md.read_text(encoding="utf-8").startswith("| set | n |")

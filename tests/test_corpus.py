"""Corpus runs: documents, JSONL(.gz) shards, --jobs, --resume, atomic outputs and Ctrl-C.

Through typer's CliRunner and a real ``cleannews`` process.  Filters are restricted to
``spam`` where the test is about plumbing, so the suite stays quick.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleannews import clean
from cleannews.cli import app
from cleannews.docs import Doc
from cleannews.readers import Failed, Input, read_docs
from cleannews.runner import PipelineSpec, Runner

SPAMMY = "連包養合引領職工聽黨話、跟黨走\n為職工辦實事、包養網解困難"
CLEAN = "內蒙古自治區工會召開代表大會。工人日報記者報道。"


def invoke(args: list[str], stdin: bytes | str | None = None):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(app, args, input=stdin, catch_exceptions=False)


def records(n: int, start: int = 0) -> list[dict]:
    return [{"id": f"d{k}", "text": SPAMMY if k % 2 else CLEAN, "url": f"https://example.org/{k}"}
            for k in range(start, start + n)]


def write_shard(path: Path, rows: list[dict]) -> None:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)


def read_shard(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return [json.loads(line) for line in data.decode().splitlines()]


def make_corpus(root: Path) -> Path:
    write_shard(root / "a.jsonl.gz", records(5))
    write_shard(root / "sub" / "b.jsonl", records(4, 5))
    (root / "sub" / "page.txt").write_text(SPAMMY, encoding="utf-8")
    return root


# --- readers ----------------------------------------------------------------------------


def test_jsonl_reader_keeps_metadata_and_reports_bad_lines(tmp_path: Path) -> None:
    shard = tmp_path / "s.jsonl"
    shard.write_bytes(b'{"body": "\xe6\x96\x87", "doc": 7, "lang": "zh"}\n\nnot json\n{"doc": 8}\n[1]\n')
    items = list(read_docs(Input(shard, Path("s.jsonl"), "jsonl"), text_key="body", id_key="doc"))
    first = items[0]
    assert isinstance(first, Doc) and first.id == "7" and first.text == "文"
    assert first.metadata == {"doc": 7, "lang": "zh"}
    assert [type(i) for i in items[1:]] == [Failed, Failed, Failed]
    assert "not JSON" in items[1].reason and "line 3" in items[1].reason
    assert "'body'" in items[2].reason and "not a JSON object" in items[3].reason
    assert items[1].raw == b"not json"


# --- the run loop -------------------------------------------------------------------------


def test_runner_pool_equals_one_process_and_keeps_order() -> None:
    docs = [Doc(f"d{k}", SPAMMY * (k % 3 + 1) if k % 2 else CLEAN) for k in range(30)]
    spec = PipelineSpec.of(["spam"])
    one = [(o.doc.id, o.result.cleaned, o.result.edits) for o in Runner(spec, 1).run(docs)]
    two = [(o.doc.id, o.result.cleaned, o.result.edits) for o in Runner(spec, 2, batch_docs=3).run(docs)]
    assert one == two
    assert [d for d, _, _ in two] == [d.id for d in docs]
    assert two[1][1] == clean(SPAMMY * 2, ["spam"]).cleaned


def test_no_evidence_crosses_documents() -> None:
    """A JSONL line is cleaned exactly as it would be alone."""
    spec = PipelineSpec.of(None)
    texts = [SPAMMY, CLEAN, "大會通過了決議。", SPAMMY + "\n" + CLEAN]
    together = [o.result.cleaned for o in Runner(spec, 1).run(Doc(str(k), t) for k, t in enumerate(texts))]
    assert together == [clean(t).cleaned for t in texts]


# --- command line -------------------------------------------------------------------------


def test_folder_of_shards_mirrors_and_jobs_are_byte_identical(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    outs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        result = invoke(["clean", str(corpus), "-o", str(out), "--filters", "spam", "--jobs", str(jobs)])
        assert result.exit_code == 0, result.stderr
        outs[jobs] = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert outs[1] == outs[2]
    assert sorted(outs[1]) == ["a.jsonl.gz", "sub/b.jsonl", "sub/page.txt"]
    rows = read_shard(tmp_path / "out1" / "a.jsonl.gz")
    assert [r["id"] for r in rows] == [f"d{k}" for k in range(5)]
    assert rows[1]["text"] == clean(SPAMMY, ["spam"]).cleaned and rows[0]["text"] == CLEAN
    assert rows[1]["url"] == "https://example.org/1"
    assert rows[1]["cleannews"]["changed"] is True and rows[1]["cleannews"]["counts"] == {"spam": 2}
    assert rows[0]["cleannews"] == {"changed": False, "counts": {}, "scores": rows[0]["cleannews"]["scores"]}
    assert "edits" not in rows[1]["cleannews"]


def test_jsonl_text_and_id_keys_edits_and_stdout(tmp_path: Path) -> None:
    shard = tmp_path / "x.jsonl"
    write_shard(shard, [{"key": "k1", "body": SPAMMY, "meta": {"a": 1}}])
    result = invoke(["clean", str(shard), "--text-key", "body", "--id-key", "key", "--edits",
                     "--filters", "spam", "--report", "-", "--report-format", "json"])
    assert result.exit_code == 0, result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["body"] == clean(SPAMMY, ["spam"]).cleaned and row["meta"] == {"a": 1} and row["key"] == "k1"
    assert [e["before"] for e in row["cleannews"]["edits"]] == ["包養", "包養網"]
    report = json.loads(result.stderr)
    assert report["documents"][0]["path"] == "k1"


def test_jsonl_from_stdin(tmp_path: Path) -> None:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(3))
    result = invoke(["clean", "--input-format", "jsonl", "--filters", "spam", "--jobs", "2"], stdin=data)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == [clean(r["text"], ["spam"]).cleaned for r in records(3)]


def test_bad_lines_are_written_through_and_fail_the_run(tmp_path: Path) -> None:
    shard = tmp_path / "in" / "s.jsonl"
    shard.parent.mkdir()
    shard.write_text('{"id": 1, "text": "好"}\n{broken\n{"id": 3, "text": "包養網好"}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(["clean", str(shard.parent), "-o", str(out), "--filters", "spam"])
    assert result.exit_code == 2 and "not JSON" in result.stderr
    lines = (out / "s.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "{broken" and json.loads(lines[2])["text"] == "好"


def test_resume_skips_written_outputs(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    assert invoke(["clean", str(corpus), "-o", str(out), "--filters", "spam", "--jobs", "1"]).exit_code == 0
    marker = b"written before\n"
    (out / "a.jsonl.gz").write_bytes(marker)
    (out / "sub" / "b.jsonl").unlink()
    result = invoke(["clean", str(corpus), "-o", str(out), "--filters", "spam", "--resume", "--jobs", "1"])
    assert result.exit_code == 0
    assert (out / "a.jsonl.gz").read_bytes() == marker  # skipped: its output existed
    assert len(read_shard(out / "sub" / "b.jsonl")) == 4  # redone
    assert invoke(["clean", str(corpus), "--resume"]).exit_code == 2  # nothing to resume into


def test_failed_shard_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    import cleannews.writers

    real = cleannews.writers.jsonl_line
    calls = []

    def flaky(outcome, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(outcome, *args, **kwargs)

    monkeypatch.setattr(cleannews.writers, "jsonl_line", flaky)
    out = tmp_path / "out"
    result = invoke(["clean", str(corpus), "-o", str(out), "--filters", "spam", "--jobs", "1"])
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert [p.name for p in out.rglob("*") if p.is_file()] == []


def test_subprocess_ctrl_c_exits_130_and_resume_completes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for k in range(12):
        write_shard(corpus / f"s{k:02d}.jsonl.gz", records(6, 6 * k))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleannews", "clean", str(corpus), "-o", str(out), "--filters", "spam",
           "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (out.is_dir() and any(out.glob("*.jsonl.gz"))) and time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.01)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the run finished before it could be interrupted")
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, timeout=120, check=False)
    assert resumed.returncode == 0, resumed.stderr.decode()
    fresh = tmp_path / "fresh"
    subprocess.run([*cmd[:4], str(corpus), "-o", str(fresh), "--filters", "spam", "--jobs", "1"],
                   check=True, capture_output=True, timeout=120)
    assert sorted(os.listdir(out)) == sorted(os.listdir(fresh))
    for shard in sorted(fresh.iterdir()):
        assert (out / shard.name).read_bytes() == shard.read_bytes()


def test_terminal_gets_summary_table_pipes_get_nothing(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "bad.jsonl").write_text("{broken\n", encoding="utf-8")
    piped = invoke(["clean", str(corpus), "-o", str(tmp_path / "p"), "--filters", "spam", "--jobs", "1"])
    assert piped.exit_code == 2
    assert piped.stderr.strip().splitlines() == [f"cleannews: error: {corpus / 'bad.jsonl'}:1: line 1 is not "
                                                 "JSON (Expecting property name enclosed in double quotes, "
                                                 "column 2)"]
    monkeypatch.setattr("cleannews.cli._isatty", lambda stream: True)
    tty = invoke(["clean", str(corpus), "-o", str(tmp_path / "t"), "--filters", "spam", "--jobs", "1"])
    assert tty.exit_code == 2
    table = tty.stderr
    for row in ("documents", "changed", "spam", "failed", "not JSON", "time", "throughput"):
        assert row in table
    assert "11" in table  # 5 + 4 JSONL lines, the text page and the bad line


def test_jieba_cache_is_per_user_not_shared_tmp(tmp_path: Path) -> None:
    """The parsed jieba dictionary is cached in this user's private cache folder, not /tmp."""
    from conftest import run_cleannews

    cache_home = tmp_path / "cache"
    proc = run_cleannews(["clean", "--filters", "spam"], stdin="包養網好".encode(),
                         env={"XDG_CACHE_HOME": str(cache_home)})
    assert proc.returncode == 0 and proc.stdout == "好".encode()
    folder = cache_home / "cleannews"
    assert folder.is_dir() and (folder.stat().st_mode & 0o777) == 0o700
    assert [p.name.startswith("jieba-") and p.name.endswith(".cache") for p in folder.iterdir()] == [True]

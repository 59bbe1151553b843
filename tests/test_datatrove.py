"""The datatrove step run by datatrove's own LocalPipelineExecutor gives what ``cleannews clean`` gives.

Needs the ``datatrove`` extra (``pip install '.[test,datatrove]'``, as CI does).
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleannews.cli import app

if not os.environ.get("CI"):  # CI installs the extra: there a missing datatrove fails, never skips
    pytest.importorskip("datatrove", reason="the datatrove extra is not installed")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from cleannews.datatrove import CleanNews

TEXTS = [
    "連包養合引領職工聽黨話、跟黨走\n為職工辦實事、包養網解困難",
    "內蒙古自治區工會召開代表大會。工人日報記者報道。",
    "在2024年事末的北疆“包養中國工人年夜思政課”包養網中,一場主題活動經由過程網絡直播。",
    "大會通過了決議,代表們參加了討論。",
]


def make_shards(root: Path) -> list[dict]:
    rows = []
    root.mkdir(parents=True)
    for shard in range(2):
        part = [{"id": f"s{shard}-{k}", "text": TEXTS[(shard + k) % len(TEXTS)], "source": "test"}
                for k in range(5)]
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part).encode()
        (root / f"part{shard}.jsonl.gz").write_bytes(gzip.compress(data))
        rows.extend(part)
    return rows


def read_jsonl(folder: Path) -> list[dict]:
    out = []
    for path in sorted(folder.rglob("*.jsonl*")):
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        out.extend(json.loads(line) for line in data.decode().splitlines())
    return out


def test_local_executor_output_equals_cli(tmp_path: Path) -> None:
    rows = make_shards(tmp_path / "shards")
    cli_out = tmp_path / "cli"
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    result = runner.invoke(app, ["clean", str(tmp_path / "shards"), "-o", str(cli_out), "--jobs", "1"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    by_cli = {r["id"]: r for r in read_jsonl(cli_out)}

    dt_out = tmp_path / "dt"
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "shards")),
            CleanNews(),
            JsonlWriter(str(dt_out), output_filename="${rank}.jsonl", compression=None),
        ],
        tasks=2,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    by_dt = {r["id"]: r for r in read_jsonl(dt_out)}

    assert sorted(by_dt) == sorted(r["id"] for r in rows) == sorted(by_cli)
    changed = 0
    for doc_id, cli_row in by_cli.items():
        dt_row = by_dt[doc_id]
        assert dt_row["text"] == cli_row["text"]
        assert dt_row["metadata"]["cleannews"] == cli_row["cleannews"]
        assert dt_row["metadata"]["source"] == cli_row["source"] == "test"
        changed += cli_row["cleannews"]["changed"]
    assert 0 < changed < len(rows)  # the fixture has both corrupted and clean documents

    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s for s in stats if "cleannews" in s["name"])["stats"]

    def total(name: str) -> int:  # plain counters are stored as ints, valued ones as metrics
        value = step[name]
        return value if isinstance(value, int) else value["total"]

    assert total("total") == len(rows)
    assert total("changed") == changed
    assert total("edits_spam") == sum(r["cleannews"]["counts"].get("spam", 0)
                                                       for r in by_cli.values())

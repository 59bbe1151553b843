"""Whole-process figures of ``cleannews clean`` on corpus-shaped input (``python -m cleannews.bench.whole``).

Builds, in a scratch folder: ``one.txt`` (one line), ``news3/`` (the first 3 MB of clean news of
``news-zh.jsonl.gz`` as 4 JSONL.gz shards), ``news1/`` (its first third, 2 shards), ``news3.txt``
(the same text joined), and with ``--worst`` 2 MB files of repeated ``年夜``, repeated ``包養網`` and
news on one line.  Runs each ``cleannews clean`` command as a separate process and prints one JSON
line per command: wall seconds, CPU seconds (user + system of the child) and peak RSS (the largest
child so far: runs go from small to large);
then ``jieba.lcut`` and OpenCC ``t2s`` on ``news3.txt`` in this process (initialised before timing).
``--jobs 1`` and ``--jobs 2`` outputs are compared byte for byte.
"""

from __future__ import annotations

import argparse
import filecmp
import gzip
import json
import resource
import shutil
import subprocess
import time
from pathlib import Path

from cleannews import corpora
from cleannews.bench.speed import cleannews_command


def measure(cmd: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {"command": " ".join(cmd[-5:]), "exit": proc.returncode, "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2), "peak_rss_mb": round(after.ru_maxrss / 1024)}


def build(work: Path, mb: float = 3.0) -> list[str]:
    rows, size = [], 0
    with gzip.open(corpora.corpora_dir() / "news-zh.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            rows.append(row)
            size += len(row["text"].encode("utf-8"))
            if size > mb * 1e6:
                break
    for name, part, shards in (("news3", rows, 4), ("news1", rows[: len(rows) // 3], 2)):
        folder = work / name
        folder.mkdir(parents=True, exist_ok=True)
        per = -(-len(part) // shards)
        for k in range(shards):
            data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part[k * per : (k + 1) * per])
            (folder / f"s{k}.jsonl.gz").write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))
    texts = [r["text"] for r in rows]
    (work / "news3.txt").write_text("\n".join(texts), encoding="utf-8")
    (work / "one.txt").write_text("內蒙古自治區工會召開代表大會,經由過程決議。\n", encoding="utf-8")
    (work / "nianye.txt").write_text("年夜" * 333_333, encoding="utf-8")
    (work / "spam.txt").write_text("包養網" * 222_222, encoding="utf-8")
    (work / "hugeline.txt").write_text("".join(texts).replace("\n", "")[:700_000], encoding="utf-8")
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path(".cache/whole"))
    ap.add_argument("--worst", action="store_true", help="also the 2 MB worst cases (minutes)")
    args = ap.parse_args()
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    texts = build(work)
    cn = [*cleannews_command(), "clean"]
    runs = [[*cn, str(work / "one.txt")]] * 3
    # peak RSS of children is the largest child so far (getrusage), so the runs go from small to large
    runs += [[*cn, str(work / "news1"), "-o", str(work / "o3"), "--jobs", "1"],
             [*cn, str(work / "news3"), "-o", str(work / "o1"), "--jobs", "1"],
             [*cn, str(work / "news3"), "-o", str(work / "o2"), "--jobs", "2"]]
    if args.worst:
        runs += [[*cn, str(work / f"{name}.txt")] for name in ("nianye", "spam", "hugeline")]
    for cmd in runs:
        print(json.dumps(measure(cmd), ensure_ascii=False), flush=True)
    same = all(filecmp.cmp(p, work / "o2" / p.name, shallow=False) for p in (work / "o1").iterdir())
    print(json.dumps({"jobs 1 == jobs 2 (bytes)": same}))
    import jieba
    import opencc

    whole = "\n".join(texts)
    jieba.setLogLevel(60)
    jieba.initialize()
    conv = opencc.OpenCC("t2s")
    conv.convert("測試")
    for name, fn in (("jieba.lcut", jieba.lcut), ("opencc t2s", conv.convert)):
        c0 = time.process_time()
        fn(whole)
        print(json.dumps({"baseline": name, "mb": round(len(whole.encode("utf-8")) / 1e6, 2),
                          "cpu_s": round(time.process_time() - c0, 2)}), flush=True)


if __name__ == "__main__":
    main()

"""Speed: the cleaner beside jieba and OpenCC on the same text, in the same run.

* one process: documents cleaned one after the other after a warm-up document
  (resources already loaded);
* ``--jobs N``: a real ``multiprocessing`` pool; each worker builds the pipeline and
  loads its resources once in its initializer, a short warm-up waits for the
  workers, then the same documents are timed through ``imap``;
* baselines on the concatenation of the same documents: ``jieba.lcut`` (default
  mode) and ``opencc.OpenCC('t2s').convert``, each initialised before timing;
* start-up: wall time of ``cleannews clean FILE`` on one small article (a fresh
  interpreter, median of three);
* memory: peak RSS (``getrusage``) of this process (which also holds the benchmark)
  and of the largest pool worker (spawned, so its figure is the cleaner's own).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleannews.bench import evaluate


def mb(texts: Sequence[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def rate(texts: Sequence[str], seconds: float) -> dict[str, float]:
    return {"seconds": seconds, "mb_per_s": mb(texts) / seconds if seconds else float("nan"),
            "docs_per_s": len(texts) / seconds if seconds else float("nan")}


def run_pool(texts: Sequence[str], filters: Sequence[str], spin_exclude: frozenset[tuple[str, str]],
             jobs: int) -> tuple[list[tuple[str, list[dict]]], float]:
    # spawn, not fork: each worker loads its own resources (as a batch run does) and its peak
    # RSS is its own, not pages inherited from this process and its loaded benchmark.
    ctx = mp.get_context("spawn")
    with ctx.Pool(jobs, initializer=evaluate.init_worker,
                  initargs=(list(filters), spin_exclude, texts[0] if texts else "")) as pool:
        pool.map(evaluate.warm, range(jobs * 2), chunksize=1)
        t0 = time.perf_counter()
        outputs = list(pool.imap(evaluate.clean_one, texts, chunksize=16))
        seconds = time.perf_counter() - t0
        pool.close()
        pool.join()
    return outputs, seconds


def baselines(texts: Sequence[str]) -> dict[str, Any]:
    import jieba
    import opencc

    whole = "\n".join(texts)
    out: dict[str, Any] = {}
    jieba.setLogLevel(60)
    jieba.initialize()
    t0 = time.perf_counter()
    jieba.lcut(whole)
    out["jieba.lcut"] = rate(texts, time.perf_counter() - t0)
    conv = opencc.OpenCC("t2s")
    conv.convert("測試")
    t0 = time.perf_counter()
    conv.convert(whole)
    out["opencc t2s"] = rate(texts, time.perf_counter() - t0)
    return out


def cleannews_command() -> list[str]:
    exe = Path(sys.executable).parent / "cleannews"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("cleannews")
    return [found] if found else [sys.executable, "-m", "cleannews"]


def startup(sample: str, repeats: int = 3) -> dict[str, Any]:
    """Wall time of ``cleannews clean FILE`` on a small article (fresh process each time)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "article.txt")
        Path(path).write_text(sample, encoding="utf-8")
        cmd = [*cleannews_command(), "clean", path]
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
            times.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                err = (proc.stderr or proc.stdout).strip().splitlines()
                return {"command": " ".join(cmd[-3:]), "seconds": None,
                        "error": f"exit {proc.returncode}: {err[-1] if err else ''}"[:200]}
    return {"command": "cleannews clean FILE", "seconds": statistics.median(times), "chars": len(sample)}


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes

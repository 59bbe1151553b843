"""``python -m cleannews.bench`` / ``cleannews bench``: build the benchmark, run it, print the tables.

Without a subcommand: build the benchmark if it is missing, then run it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Measure cleannews: quality on a seeded corrupted benchmark, harm on clean text, "
                       "speed.", no_args_is_help=False, add_completion=False)
#: wide enough for the tables when the output is a file or a pipe (BENCHMARKS.md pastes them).
console = Console(width=None if sys.stdout.isatty() else 130)

DEFAULT_FILTERS = "spam,spinning,fiction"


def _out_dir(out: Path | None) -> Path:
    from cleannews.bench.build import default_out_dir

    return out or default_out_dir()


@app.callback(invoke_without_command=True)
def _default(ctx: typer.Context) -> None:
    """Build the benchmark if it is missing, then run it (all filters, --jobs 2)."""
    if ctx.invoked_subcommand is None:
        out = _out_dir(None)
        if not (out / "bench.jsonl").is_file() or _stale(out):
            build()
        run()


def _stale(bench_dir: Path) -> bool:
    """Whether the built benchmark no longer matches the lexicon / spam terms / generator code."""
    from cleannews.bench.build import current_version

    try:
        meta = json.loads((bench_dir / "meta.json").read_text(encoding="utf-8"))
        return current_version(meta) != meta["version"]
    except (OSError, KeyError, TypeError, ValueError):
        return True


@app.command()
def build(
    out: Annotated[Path | None, typer.Option(help="Output directory (default: $CLEANNEWS_BENCH_DIR or "
                                                  ".cache/bench).")] = None,
    corpora: Annotated[Path | None, typer.Option(help="Corpora directory (default: $CLEANNEWS_CORPORA or "
                                                      "../shared/corpora).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the generator.")] = 20261125,
    n_corrupted: Annotated[int, typer.Option(help="Corrupted articles (news test split).")] = 1200,
    n_clean: Annotated[int, typer.Option(help="Clean articles left untouched.")] = 300,
    n_tricky: Annotated[int, typer.Option(help="Clean articles with look-alikes, quotes or "
                                               "sugar-dating words.")] = 150,
    spam: Annotated[bool, typer.Option(help="Inject spam terms.")] = True,
    spin: Annotated[bool, typer.Option(help="Spin words.")] = True,
    fiction: Annotated[bool, typer.Option(help="Splice fiction passages.")] = True,
    traditional: Annotated[bool, typer.Option(help="Convert a share of articles to Traditional.")] = True,
) -> None:
    """Make the dataset (JSONL + meta) from the fixed test splits."""
    from cleannews.bench.build import BuildConfig
    from cleannews.bench.build import build as do_build

    switches = {"spin": spin, "traditional": traditional, "fiction": fiction, "spam": spam}
    config = BuildConfig(seed=seed, n_corrupted=n_corrupted, n_clean=n_clean, n_tricky=n_tricky,
                         switches=switches)
    t0 = time.perf_counter()
    do_build(config, _out_dir(out), str(corpora) if corpora else None, log=console.print)
    console.print(f"built in {time.perf_counter() - t0:.1f} s")


@app.command()
def run(
    out: Annotated[Path | None, typer.Option(help="Benchmark directory (default: $CLEANNEWS_BENCH_DIR or "
                                                  ".cache/bench).")] = None,
    filters: Annotated[str, typer.Option(help="Comma-separated filters to run.")] = DEFAULT_FILTERS,
    limit: Annotated[int, typer.Option(help="Evaluate only N documents (kinds kept in proportion); "
                                            "0 = all.")] = 0,
    jobs: Annotated[int, typer.Option(help="Also time a multiprocessing pool of this many workers "
                                           "(1 = skip).")] = 2,
    json_path: Annotated[Path | None, typer.Option(
        "--json", help="Write results as JSON here (default: results.json beside the benchmark).")] = None,
    speed: Annotated[bool, typer.Option(help="Measure the pool, baselines, start-up time, memory.")] = True,
    errors: Annotated[Path | None, typer.Option(help="Write each document's misses and unsupported edits "
                                                     "here (JSONL).")] = None,
    long_pages: Annotated[bool, typer.Option(help="Also score pages of ten corrupted articles each "
                                                  "(recall must not fall with page length) and pages of "
                                                  "one corrupted and nine clean articles (harm).")] = True,
) -> None:
    """Evaluate the cleaner on the built benchmark and print the tables."""
    from cleannews.bench import evaluate
    from cleannews.bench import speed as sp
    from cleannews.bench.build import load

    bench_dir = _out_dir(out)
    if not (bench_dir / "bench.jsonl").is_file():
        console.print(f"[red]no benchmark in {bench_dir}[/red]: run `python -m cleannews.bench build` first")
        raise typer.Exit(2)
    t_start = time.perf_counter()
    if _stale(bench_dir):
        console.print("[yellow]warning:[/yellow] the spin lexicon, the spam terms or the generator changed "
                      "since this benchmark was built; `python -m cleannews.bench build` makes a current one")
    meta, records_iter = load(bench_dir)
    records = _limit(list(records_iter), limit)
    requested = [f.strip() for f in filters.split(",") if f.strip()]
    ran, missing = evaluate.available_filters(requested)
    spin_exclude = frozenset(tuple(p) for p in meta["lexicon"]["held_out"])
    texts = [r["corrupted"] for r in records]
    ran, failed = evaluate.probe_filters(ran, spin_exclude, texts[:3])
    console.print(f"benchmark {meta['version']}: {len(records)} documents, "
                  f"filters run: {', '.join(ran) or 'none'}"
                  + (f"; not available: {', '.join(missing)}" if missing else "")
                  + "".join(f"; [red]{n} failed[/red] ({e})" for n, e in failed.items()))

    if ran:
        per_doc: list[float] = []
        outputs, seconds = evaluate.run_single(texts, ran, spin_exclude, per_doc=per_doc)
    else:
        outputs, seconds, per_doc = [(t, [], None) for t in texts], 0.0, []
    rss_self = sp.peak_rss_mb()
    results: dict[str, Any] = {
        "benchmark": meta["version"],
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "docs": _kinds(records),
        "generator": _generator(meta),
        "quality": evaluate.score(records, outputs, meta, ran, missing, failed),
        "speed": {"cleannews, 1 process": sp.rate(texts, seconds) if ran else None},
    }
    if ran:
        results["speed"].update(_speed_by_kind(records, per_doc))
    for name, secs in evaluate.filter_seconds().items():
        results["speed"][f"filter {name} (time in find, 1 process)"] = sp.rate(texts, secs)
    if ran and long_pages:
        pages = evaluate.long_pages(records)
        page_out, _ = evaluate.run_single([p["corrupted"] for p in pages], ran, spin_exclude)
        results["quality"]["long_pages"] = evaluate.score_long_pages(pages, page_out, meta, ran)
        mixed = evaluate.mixed_pages(records)
        mixed_out, _ = evaluate.run_single([p["corrupted"] for p in mixed], ran, spin_exclude)
        results["quality"]["mixed_pages"] = evaluate.score_mixed_pages(mixed, mixed_out)
    if speed and ran:
        if jobs > 1:
            pool_out, pool_s = sp.run_pool(texts, ran, spin_exclude, jobs)
            results["speed"][f"cleannews, --jobs {jobs}"] = sp.rate(texts, pool_s)
            results["speed_checks"] = {"pool_output_identical": pool_out == outputs}
        results["memory_mb"] = {"benchmark process (peak RSS, includes the loaded benchmark)": rss_self,
                                "largest pool worker (peak RSS)": sp.peak_rss_mb(sp.resource.RUSAGE_CHILDREN)
                                if jobs > 1 else None}
        results["speed"].update(sp.baselines(texts))
        small = (r["corrupted"] for r in records if r["kind"] == "corrupted" and len(r["corrupted"]) < 800)
        sample = next(small, texts[0])
        results["startup"] = sp.startup(sample)
    results["mb"] = sp.mb(texts)
    results["wall_seconds"] = time.perf_counter() - t_start
    print_tables(results)
    if errors:
        errors.parent.mkdir(parents=True, exist_ok=True)
        with open(errors, "w", encoding="utf-8") as fh:
            for rec, (_, steps, error) in zip(records, outputs, strict=True):
                row = evaluate.document_errors(rec, steps, ran)
                if error:
                    row = {**(row or {"id": rec["id"], "kind": rec["kind"]}), "error": error}
                if row:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        console.print(f"per-document errors written to {errors}")
    json_path = json_path or bench_dir / "results.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(f"results written to {json_path}")


@app.command("real")
def real_cmd(
    shared: Annotated[Path | None, typer.Option(help="Folder holding dev/, seeds/ and corpora/ (default: "
                                                     "beside the corpora folder).")] = None,
    broad: Annotated[int, typer.Option(help="Clean broad-corpus test articles to clean.")] = 1000,
    fiction: Annotated[int, typer.Option(help="Clean fiction test chunks to clean.")] = 300,
    concat: Annotated[int, typer.Option(help="Clean articles in the concatenated text (0 = skip).")] = 300,
    concat_pages: Annotated[int, typer.Option(help="Real spam pages in the concatenated text.")] = 10,
    filters: Annotated[str, typer.Option(help="Comma-separated filters (default: the default "
                                              "pipeline).")] = "",
    extra: Annotated[list[Path] | None, typer.Option(
        help="Further folder of real documents (repeatable; also $CLEANNEWS_BENCH_EXTRA, "
             "':'-separated).")] = None,
    golden: Annotated[bool, typer.Option(help="Run the seed golden tests (needs tests/ and pytest).")] = True,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the results here (default: "
                                                   "real.json beside the benchmark).")] = None,
    markdown: Annotated[Path | None, typer.Option(help="Also write the markdown table here.")] = None,
) -> None:
    """Real-data table: dev/spun, dev/pages, clean_tricky, seed golden, negatives, real pairs, clean
    fiction, clean broad articles, concatenated pages."""
    from cleannews import corpora
    from cleannews.bench import real

    t0 = time.perf_counter()
    repo = real.repo_dir()
    cfg = real.RealConfig(shared=shared or corpora.corpora_dir().parent, repo=repo, n_broad=broad,
                          n_fiction=fiction, n_concat=concat, n_concat_pages=concat_pages,
                          filters=[f.strip() for f in filters.split(",") if f.strip()] or None,
                          extra=real.extra_dirs(extra or []), golden=golden)
    res = real.run_real(cfg, log=lambda line: console.print(line, markup=False, highlight=False))
    res.update(date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               commit=real.git_commit(repo), machine=machine(),
               wall_seconds=round(time.perf_counter() - t0, 1))
    table = real.markdown_table(res["rows"])
    print()
    print(table)
    print(f"\n{res['date']}, commit {res['commit']}, {res['wall_seconds']:.0f} s on "
          f"{res['machine']['nproc']} cores")
    json_path = json_path or _out_dir(None) / "real.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    if markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(table + "\n", encoding="utf-8")
    console.print(f"results written to {json_path}")


@app.command("honest")
def honest_cmd(
    per_domain: Annotated[int, typer.Option(help="Spun articles per domain (families alternate, rates "
                                                 "cycle).")] = 40,
    clean_per_domain: Annotated[int, typer.Option(help="Clean articles per domain (false edits).")] = 20,
    held_out: Annotated[float, typer.Option(help="Share of word-level classic pairs held out by "
                                                 "family.")] = 0.35,
    seed: Annotated[int, typer.Option(help="Random seed of the spinners.")] = 20261204,
    max_chars: Annotated[int, typer.Option(help="Articles are cut at a paragraph end before this.")] = 3000,
    filters: Annotated[str, typer.Option(help="Comma-separated filters (default: the default "
                                              "pipeline).")] = "",
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the results here (default: "
                                                   "honest.json beside the benchmark).")] = None,
    markdown: Annotated[Path | None, typer.Option(help="Also write the markdown tables here.")] = None,
    errors: Annotated[Path | None, typer.Option(help="Write each article's missed spun words and wrong "
                                                     "edits here (JSONL), for work on the filters.")] = None,
) -> None:
    """Honest synthetic benchmark: every domain of the broad corpus spun by held-out classic word
    families and by a thesaurus (同义词词林) spinner, at 5-35% of words."""
    from cleannews.bench import honest, real
    from cleannews.bench import thesaurus as th
    from cleannews.spin.lexicon import read_lexicon

    t0 = time.perf_counter()
    cfg = honest.HonestConfig(per_domain=per_domain, clean_per_domain=clean_per_domain,
                              held_out_share=held_out, seed=seed, limit_chars=max_chars,
                              filters=[f.strip() for f in filters.split(",") if f.strip()] or None)
    lexicon = read_lexicon()
    pairs = honest.classic_pairs(lexicon.pairs)
    cilin = th.cilin_path()
    synonyms = th.load_cilin(cilin)
    if synonyms is None:
        console.print("[yellow]thesaurus family skipped[/yellow]: no 同义词词林 file "
                      "(pip install '.[bench]' or set CLEANNEWS_CILIN)")
    built = honest.build(cfg, pairs, synonyms, known={(p.original, p.spun) for p in lexicon.pairs})
    console.print(f"built {len(built.records)} articles in {time.perf_counter() - t0:.0f} s; cleaning …")
    outputs = list(honest.clean_all(built.records, built.held_out, cfg.filters))
    res = honest.score(built, outputs)
    pages = honest.mixed_pages(built.records)
    res["mixed_pages"] = honest.score_mixed(pages, list(honest.clean_all(
        [{"corrupted": p["text"]} for p in pages], built.held_out, cfg.filters)))
    meta = {"held_out_pairs": len(built.held_out), "eligible_pairs": built.eligible_pairs,
            "held_out_families": len(honest.word_families(sorted(built.held_out))),
            "thesaurus": f"{'/'.join(cilin.parts[-3:])} ({len(synonyms):,} words)" if synonyms else None,
            "config": {k: v for k, v in vars(cfg).items() if k != "filters"},
            "filters": cfg.filters or "default",
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": real.git_commit(real.repo_dir()), "machine": machine(),
            "wall_seconds": round(time.perf_counter() - t0, 1)}
    text = honest.markdown(res, meta)
    print(text)
    print(f"\n{meta['date']}, commit {meta['commit']}, {meta['wall_seconds']:.0f} s on "
          f"{meta['machine']['nproc']} cores")
    json_path = json_path or _out_dir(None) / "honest.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps({"meta": meta, "targets": honest.targets(res), "groups": res},
                                    ensure_ascii=False, indent=1), encoding="utf-8")
    if markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(text + "\n", encoding="utf-8")
    if errors:
        errors.parent.mkdir(parents=True, exist_ok=True)
        with open(errors, "w", encoding="utf-8") as fh:
            for rec, (cleaned, steps) in zip(built.records, outputs, strict=True):
                row = honest.document_errors(rec, cleaned, steps)
                if row:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        console.print(f"per-article errors written to {errors}")
    console.print(f"results written to {json_path}")


@app.command("hash")
def hash_outputs(
    out: Annotated[Path | None, typer.Option(help="Benchmark directory (default: $CLEANNEWS_BENCH_DIR or "
                                                  ".cache/bench).")] = None,
    shared: Annotated[Path | None, typer.Option(help="Folder holding dev/ and seeds/ (default: beside the "
                                                     "corpora folder).")] = None,
    clean: Annotated[int, typer.Option(help="Clean articles of the news dev split to include.")] = 1000,
    limit: Annotated[int, typer.Option(help="Only the first N documents of each set (0 = all).")] = 0,
) -> None:
    """Print one sha256 per document set over the pipeline's outputs (regression check for refactors)."""
    from itertools import islice

    from cleannews import corpora
    from cleannews.bench import evaluate, regress
    from cleannews.bench.build import load
    from cleannews.pipeline import Pipeline
    from cleannews.registry import create_many

    def cap(texts):
        return islice(texts, limit) if limit else texts

    default = Pipeline(create_many(None))
    shared_dir = shared or corpora.corpora_dir().parent
    sets: list[tuple[str, Any, Any]] = []
    bench_dir = _out_dir(out)
    if (bench_dir / "bench.jsonl").is_file():
        meta, records = load(bench_dir)
        texts = [r["corrupted"] for r in records]
        held_out = frozenset(tuple(p) for p in meta["lexicon"]["held_out"])
        sets.append(("bench", default.run, texts))
        sets.append(("bench-heldout", evaluate.make_pipeline(evaluate.SCORED, held_out).run, texts))
    else:
        console.print(f"[yellow]no benchmark in {bench_dir}[/yellow]: bench sets skipped")
    sets.append(("dev", default.run, list(regress.shared_files(shared_dir))))
    if clean:
        sets.append((f"clean{clean}", default.run, list(regress.clean_articles(clean))))
    for name, run_one, texts in sets:
        t0 = time.perf_counter()
        digest, n = regress.digest(run_one, cap(texts))
        print(f"{name:14} {n:5d} docs  {digest}  ({time.perf_counter() - t0:.0f} s)", flush=True)


def _speed_by_kind(records: list[dict[str, Any]], per_doc: list[float]) -> dict[str, Any]:
    """The single-process rate on corrupted articles and on clean ones (clean + clean-tricky) apart.

    A corpus is mostly clean text, which costs far less than a spun, spammed page: the
    overall figure depends on the benchmark's mix, these two do not.
    """
    from cleannews.bench import speed as sp

    out: dict[str, Any] = {}
    groups = (("corrupted articles", {"corrupted"}), ("clean articles", {"clean", "clean-tricky"}))
    for label, kinds in groups:
        picked = [(r["corrupted"], s) for r, s in zip(records, per_doc, strict=True) if r["kind"] in kinds]
        if picked:
            out[f"cleannews, 1 process, {label} only"] = sp.rate([t for t, _ in picked],
                                                                 sum(s for _, s in picked))
    return out


def _generator(meta: dict[str, Any]) -> dict[str, Any]:
    lex = meta["lexicon"]
    return {"spin_replaced_char_share": meta["counts"].get("spin_replaced_char_share"),
            "spin_lexicon": f"{Path(lex['path']).name} ({lex['pairs']} pairs, "
                            f"{len(lex['held_out'])} held out, "
                            f"{len(lex['ambiguous_forms'])} ambiguous spun forms)"}


def _limit(records: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    if not limit or limit >= len(records):
        return records
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_kind.setdefault(r["kind"], []).append(r)
    out = []
    for rows in by_kind.values():
        out.extend(rows[: max(1, math.ceil(limit * len(rows) / len(records)))])
    return out


def _kinds(records: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in records:
        out[r["kind"]] = out.get(r["kind"], 0) + 1
    return out


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu or platform.processor(), "python": platform.python_version()}


# --------------------------------------------------------------------------- tables


def _pct(x: float | None, digits: int = 1) -> str:
    return "n/a" if x is None else f"{100 * x:.{digits}f}%"


def _num(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:,.{digits}f}"


NOT_AVAILABLE = "filter not available"


def _absent(q: dict[str, Any], name: str) -> str:
    """Why a filter has no figures: not installed, or failed to run."""
    err = (q.get("filters_failed") or {}).get(name)
    if err:
        return f"filter failed: {err}"
    return NOT_AVAILABLE if name in q.get("filters_not_available", ()) else "not run (--filters)"


def print_tables(res: dict[str, Any], con: Console | None = None) -> None:
    con = con or console
    q = res["quality"]
    docs = ", ".join(f"{k} {v}" for k, v in res["docs"].items())
    con.print(f"[bold]cleannews benchmark[/bold] {res['benchmark']} — {res['date']} — {docs}; "
              f"{res.get('mb', 0):.2f} MB")
    gen = res.get("generator")
    if gen:
        con.print(f"spin lexicon: {gen['spin_lexicon']}")
        share = _pct(gen["spin_replaced_char_share"])
        con.print(f"the spinner replaced {share} of the characters of spun articles")

    t = Table(title="spam: removed occurrences")
    for c in ("precision", "recall", "correct edits / edits", "found / injected"):
        t.add_column(c, justify="right")
    if q["spam"] is None:
        t.add_row(_absent(q, "spam"), "", "", "")
    else:
        s = q["spam"]
        t.add_row(_pct(s["precision"]), _pct(s["recall"]), f"{s['correct_predictions']}/{s['predictions']}",
                  f"{s['found']}/{s['gold']}")
    con.print(t)

    t = Table(title="spinning: restored words (held-out = pairs hidden from the cleaner)")
    for c in ("stratum", "precision", "recall", "correct edits / edits", "restored / spun"):
        t.add_column(c, justify="right")
    if q["spinning"] is None:
        t.add_row("all", _absent(q, "spinning"), "", "", "")
    else:
        for k, s in q["spinning"].items():
            edits = "" if k.startswith("kind:") else f"{s['correct_predictions']}/{s['predictions']}"
            t.add_row(k, _pct(s["precision"]) if edits else "", _pct(s["recall"]), edits,
                      f"{s['found']}/{s['gold']}")
    con.print(t)

    t = Table(title="fiction: removed spans (character level)")
    for c in ("precision", "recall", "F1", "exact both ends", "exact among found", "recall ≤10",
              "recall 11–30", "recall >30", "spans"):
        t.add_column(c, justify="right")
    if q["fiction"] is None:
        t.add_row(_absent(q, "fiction"), *[""] * 8)
    else:
        f = q["fiction"]
        rb = f["recall_by_length"]
        t.add_row(_pct(f["chars"]["precision"]), _pct(f["chars"]["recall"]), _pct(f["chars"]["f1"]),
                  _pct(f["exact_boundaries"]), _pct(f.get("exact_among_found")), _pct(rb["<=10"]),
                  _pct(rb["11-30"]), _pct(rb[">30"]), str(f["spans"]))
    con.print(t)
    if q["fiction"] is not None and q["fiction"].get("docs_without_fiction"):
        f = q["fiction"]
        con.print(f"corrupted articles without inserted fiction that lost text to it: "
                  f"{_share(f['docs_without_fiction_cut'], f['docs_without_fiction'])}")
    lp = q.get("long_pages")
    if lp:
        parts = []
        if lp["fiction"]:
            f = lp["fiction"]
            parts.append(f"fiction P {_pct(f['chars']['precision'])} R {_pct(f['chars']['recall'])} "
                         f"F1 {_pct(f['chars']['f1'])}, exact both ends {_pct(f['exact_boundaries'])}")
        if lp.get("spinning"):
            known = lp["spinning"]["known"]
            parts.append(f"spinning P {_pct(known['precision'])} R {_pct(known['recall'])} (known pairs)")
        if lp["spam"]:
            parts.append(f"spam P {_pct(lp['spam']['precision'])} R {_pct(lp['spam']['recall'])}")
        con.print(f"long pages ({lp['articles_per_page']} corrupted articles a page, one a line; "
                  f"{lp['pages']} pages): " + "; ".join(parts))
    mp = q.get("mixed_pages")
    if mp and mp["pages"]:
        per_filter = ", ".join(f"{f} {k}" for f, k in sorted(mp["edits"].items())) or "none"
        changed = _share(mp["clean_articles_changed"], mp["clean_articles"])
        con.print(f"mixed pages (1 corrupted + {mp['clean_per_page']} clean articles a page; "
                  f"{mp['pages']} pages): clean articles changed {changed}; "
                  f"edits inside them: {per_filter} (over {mp['clean_chars']:,} characters)")

    t = Table(title="end to end: CER vs. the original")
    for c in ("documents", "n", "CER corrupted", "CER cleaned", "reduction"):
        t.add_column(c, justify="right")
    for k, c in q["cer"].items():
        if c["docs"]:
            t.add_row(k, str(c["docs"]), _pct(c["corrupted"], 2), _pct(c["cleaned"], 2), _pct(c["reduction"]))
    con.print(t)

    t = Table(title="harm on clean articles")
    for c in ("documents", "n", "filter", "edits / 10k chars", "articles changed"):
        t.add_column(c, justify="right")
    for kind, h in q["harm"].items():
        t.add_row(kind, str(h["docs"]), "total", _num(h["edits_per_10k_chars_total"]),
                  _pct(h["changed_share"]))
        for f in q["filters_run"]:
            t.add_row("", "", f, _num(h["edits_per_10k_chars"].get(f, 0.0)),
                      _pct(h["changed_share_by_filter"].get(f, 0.0)))
        for f in [*q["filters_not_available"], *(q.get("filters_failed") or {})]:
            t.add_row("", "", f, _absent(q, f), "")
    con.print(t)

    d = q["drop_vs_repair"]
    t = Table(title="drop instead of repair")
    for c in ("", "corrupted articles", "clean articles"):
        t.add_column(c, justify="right")
    t.add_row("documents", str(d["corrupted_docs"]), str(d["clean_docs"]))
    t.add_row("dropped by a keyword filter (any spam term or spin marker)",
              _share(d["dropped_by_keyword_filter"], d["corrupted_docs"]),
              _share(d["clean_dropped_by_keyword_filter"], d["clean_docs"]))
    t.add_row("restored by cleannews to CER ≤ 2%",
              _share(d["restored_by_cleannews"], d["corrupted_docs"]), "")
    con.print(t)

    if res.get("speed"):
        t = Table(title="speed (same documents, same run)")
        for c in ("what", "MB/s", "docs/s", "seconds"):
            t.add_column(c, justify="right")
        for k, s in res["speed"].items():
            if s is None:
                continue
            t.add_row(k, _num(s["mb_per_s"], 3), _num(s["docs_per_s"], 1), _num(s["seconds"], 2))
        st = res.get("startup")
        if st:
            t.add_row("start-up: cleannews clean FILE", "", "",
                      _num(st["seconds"], 2) if st.get("seconds") is not None else st.get("error", "n/a"))
        for k, v in (res.get("memory_mb") or {}).items():
            t.add_row(f"memory: {k}", "", "", "n/a" if v is None else f"{v:.0f} MB")
        con.print(t)
    if q.get("documents_with_errors"):
        con.print(f"[red]the pipeline raised on {q['documents_with_errors']} documents[/red] "
                  f"(kept unchanged), e.g. {q['errors'][0]}")
    checks = res.get("speed_checks")
    if checks:
        con.print(f"pool output identical to the single process: {checks['pool_output_identical']}")
    con.print(f"wall time of this run: {res['wall_seconds']:.1f} s on {res['machine']['nproc']} cores "
              f"({res['machine']['cpu']}, Python {res['machine']['python']})")


def _share(k: int, n: int) -> str:
    return f"{k} ({100 * k / n:.1f}%)" if n else "n/a"


def main(argv: list[str] | None = None) -> None:
    app(args=argv if argv is not None else sys.argv[1:], prog_name="python -m cleannews.bench")

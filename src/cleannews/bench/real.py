"""Real-data figures: how the cleaner does on text nobody generated.

``python -m cleannews.bench real`` runs the default pipeline over every real set it
can find and prints one markdown table (plus JSON).  The sets:

* **dev/spun** — 22 real spun passages; ``spun/index.tsv`` lists the spun forms read
  in each.  Every occurrence of a listed form (on the Simplified view) counts once; it
  is *restored* when a ``spinning`` step overlaps it, *to the listed original* when the
  step's output contains one of the originals the index gives.  This is the counting
  of ``cleannews.train.spin_eval`` (the figure 525/816 was measured with it, spinning
  filter alone), kept so figures stay comparable; the table gives the filter alone and
  the default pipeline.
* **dev/pages** + **seed** — real spam pages: spam terms (包養, 九宮格 …, from
  ``wordlists/spam_terms.txt``) left, listed novel fragments (``dev/novel_sentences.tsv``)
  left, unambiguous spinner markers (``wordlists/spin_markers.txt``) left, spinning edits.
* **seed golden** — the golden tests of the repository (``tests/test_seed.py``, the
  seed tests of ``tests/test_spinning.py`` and ``tests/test_fiction.py``) run with pytest;
  they pin the 27 spam terms, the two novel passages, the restorations and that no clean
  word changes.  Skipped when the tests folder or pytest is absent.
* **dev/clean_tricky** — 21 real clean look-alike passages: documents changed (0 wanted).
* **negatives** (``corpora/negatives``) — real clean topical articles about sugar dating
  and clean fiction-like news: documents changed, per ``kind``.
* **real pairs** (``corpora/real_pairs``) — real spun pages with their originals: CER
  before and after.
* **wild spun** (``corpora/wild_spun``) — unlabelled real spun pages: occurrences of the
  forms each page lists (spinner-only and ordinary-word forms apart) touched by spinning.
* **clean fiction** — 300 chunks of the fiction *test* split: chunks changed.
* **clean broad** — 1,000 articles of the broad corpus' *test* split (not CCTV):
  documents changed, edits, per domain.
* **concatenated** — 300 of those articles and 10 real spam pages (seed, dev/pages,
  dev/spun) in one text: clean articles that got an edit; the same articles cleaned
  one by one.
* **extra** (``--extra DIR`` / ``CLEANNEWS_BENCH_EXTRA``) — any further folder in the same
  formats.

Folder formats (negatives, real pairs, extra): ``*.jsonl`` / ``*.jsonl.gz`` rows with
``text`` (a clean document) or ``spun``/``corrupted`` + ``original`` (a pair), optional
``kind`` (else the file name); or ``*.txt`` files, a ``NAME.orig.txt`` beside ``NAME.txt``
making a pair.  Everything is read in sorted order and sampled by hashes of ids, so two
runs on the same code and data print the same figures.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleannews import corpora
from cleannews.bench import metrics as M
from cleannews.script import to_simplified

Steps = list[dict[str, Any]]
Cleaner = Callable[[str], tuple[str, Steps]]

#: the golden tests on the seed page (run as they are; they say "no clean word changed").
SEED_GOLDEN_TESTS = ("tests/test_seed.py", "tests/test_spinning.py::test_seed_golden_restorations",
                     "tests/test_fiction.py::test_seed_passages_removed_exactly")
SEED_NAME = "000_6bc4e7bd4ee97ca6.txt"


@dataclass
class Row:
    """One line of the real-data table."""

    set: str
    n: int | str
    measure: str
    result: str
    target: str = ""
    met: bool | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"set": self.set, "n": self.n, "measure": self.measure, "result": self.result,
                "target": self.target, "met": self.met, "detail": self.detail}


# --------------------------------------------------------------------------- the cleaner


def make_cleaner(filters: Sequence[str] | None = None) -> Cleaner:
    """The default pipeline (or ``filters``) as ``text → (cleaned, steps as dicts)``."""
    from cleannews.resources import Resources

    pipeline = Resources.default().pipeline(list(filters) if filters else None)

    def run(text: str) -> tuple[str, Steps]:
        result = pipeline.run(text)
        return result.cleaned, [{"start": s.start, "end": s.end, "before": s.before, "after": s.after,
                                 "filter": s.filter} for s in result.steps()]

    return run


# --------------------------------------------------------------------------- helpers


def share(k: int, n: int, digits: int = 1) -> str:
    """``k/n (p%)``."""
    return f"{k}/{n} ({100 * k / n:.{digits}f}%)" if n else f"{k}/0"


def order_key(doc_id: str, salt: str = "real") -> str:
    """Stable sampling order: md5 of a salt and the id."""
    return hashlib.md5(f"{salt}:{doc_id}".encode()).hexdigest()


def by_filter(steps: Iterable[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in steps:
        out[s["filter"]] = out.get(s["filter"], 0) + 1
    return dict(sorted(out.items()))


def _read_rows(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def read_folder(folder: Path) -> list[dict[str, Any]]:
    """Documents of a folder in the formats of the module docstring, sorted by path and line.

    Each is ``{"id", "kind", "text"}`` (clean) or ``{"id", "kind", "spun", "original"}`` (pair).
    """
    docs: list[dict[str, Any]] = []
    if not folder.is_dir():
        return docs
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.name
        if name.endswith((".jsonl", ".jsonl.gz")):
            stem = re.sub(r"(-\d+)?\.jsonl(\.gz)?$", "", name)
            for k, row in enumerate(_read_rows(path)):
                doc = {"id": str(row.get("id", f"{name}:{k}")), "kind": str(row.get("kind") or stem)}
                spun = row.get("spun") or row.get("corrupted")
                if spun is not None and row.get("original") is not None:
                    doc.update(spun=spun, original=row["original"])
                elif isinstance(row.get("text"), str):
                    doc["text"] = row["text"]
                else:
                    continue
                docs.append(doc)
        elif name.endswith(".txt") and not name.endswith(".orig.txt"):
            text = path.read_text(encoding="utf-8")
            orig = path.with_name(name[: -len(".txt")] + ".orig.txt")
            kind = path.parent.name if path.parent != folder else "txt"
            doc = {"id": str(path.relative_to(folder)), "kind": kind}
            if orig.is_file():
                doc.update(spun=text, original=orig.read_text(encoding="utf-8"))
            else:
                doc["text"] = text
            docs.append(doc)
    return docs


# --------------------------------------------------------------------------- dev/spun


def spun_counts(dev: Path, cleaner: Cleaner) -> dict[str, Any]:
    """Listed spun occurrences restored (the counting of ``cleannews.train.spin_eval``)."""
    from cleannews.train.spin_eval import parse_artifacts

    totals = dict(docs=0, forms=0, occurrences=0, restored=0, to_listed=0, unlisted_edits=0)
    per_doc = {}
    index = dev / "spun" / "index.tsv"
    for line in index.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        text = (dev / "spun" / cols[0]).read_text(encoding="utf-8")
        simplified = to_simplified(text)
        _, steps = cleaner(text)
        edits = [s for s in steps if s["filter"] == "spinning"]
        covered: set[int] = set()
        occ = restored = to_listed = 0
        for spun, originals in parse_artifacts(cols[3]):
            totals["forms"] += 1
            for m in re.finditer(re.escape(spun), simplified):
                occ += 1
                hit = [k for k, e in enumerate(edits) if e["start"] < m.end() and e["end"] > m.start()]
                if hit:
                    restored += 1
                    covered.update(hit)
                    after = to_simplified("".join(edits[k]["after"] for k in hit))
                    to_listed += any(o in after for o in originals)
        totals["docs"] += 1
        totals["occurrences"] += occ
        totals["restored"] += restored
        totals["to_listed"] += to_listed
        totals["unlisted_edits"] += len(edits) - len(covered)
        per_doc[cols[0]] = {"occurrences": occ, "restored": restored, "to_listed": to_listed,
                            "unlisted_edits": len(edits) - len(covered)}
    return {**totals, "per_doc": per_doc}


def spun_rows(dev: Path, cleaner: Cleaner, spinning_alone: Cleaner) -> list[Row]:
    rows = []
    for label, run in (("spinning filter alone", spinning_alone), ("default pipeline", cleaner)):
        c = spun_counts(dev, run)
        pct = c["restored"] / c["occurrences"] if c["occurrences"] else 0.0
        rows.append(Row("dev/spun", c["docs"], f"listed spun occurrences restored ({label})",
                        f"{share(c['restored'], c['occurrences'])}; to the listed original "
                        f"{c['to_listed']}; edits on unlisted forms {c['unlisted_edits']}",
                        "≥ 85%", pct >= 0.85, c))
    return rows


# --------------------------------------------------------------------------- dev/pages + seed


def _terms(name: str) -> list[str]:
    from cleannews.resources import read_table

    return sorted({r[0] for r in read_table(name) if r and r[0].strip()}, key=len, reverse=True)


def count_terms(text: str, terms: Sequence[str]) -> int:
    """Non-overlapping occurrences of any term (longest first; case-insensitive; Simplified view)."""
    if not terms:
        return 0
    pattern = re.compile("|".join(re.escape(to_simplified(t)) for t in terms), re.IGNORECASE)
    return len(pattern.findall(to_simplified(text)))


_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def _cjk(text: str) -> str:
    return "".join(_CJK_RUN.findall(to_simplified(text)))


def fragment_left(fragment: str, cleaned: str, spam: Sequence[str]) -> float:
    """Share of a novel fragment's CJK 4-grams still found in the cleaned text (0 = removed)."""
    frag, body = _cjk(fragment), _cjk(cleaned)
    for t in spam:  # spam left inside a fragment must not hide it
        frag = frag.replace(to_simplified(t), "")
        body = body.replace(to_simplified(t), "")
    grams = {frag[i : i + 4] for i in range(len(frag) - 3)}
    if not grams:
        return 0.0
    return sum(g in body for g in grams) / len(grams)


def novel_fragments(dev: Path) -> dict[str, list[str]]:
    """``dev/novel_sentences.tsv``: page name (``pages/001``, ``seed``) → fragments."""
    out: dict[str, list[str]] = {}
    path = dev / "novel_sentences.tsv"
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) >= 3:
            where = "seed" if cols[2].startswith("seed") else cols[2].strip()
            out.setdefault(where, []).append(cols[0])
    return out


def pages_rows(dev: Path, seed: Path | None, cleaner: Cleaner) -> list[Row]:
    spam = _terms("spam_terms.txt")
    markers = [r for r in _terms("spin_markers.txt")]
    fragments = novel_fragments(dev)
    pages = [(f"pages/{p.stem}", p) for p in sorted((dev / "pages").glob("[0-9]*.txt"))]
    if seed is not None and seed.is_file():
        pages.append(("seed", seed))
    detail: dict[str, Any] = {}
    tot = dict(spam_before=0, spam_after=0, fragments=0, fragments_removed=0, markers_before=0,
               markers_after=0, spinning_edits=0)
    for name, path in pages:
        text = path.read_text(encoding="utf-8")
        cleaned, steps = cleaner(text)
        frags = fragments.get(name, [])
        removed = sum(fragment_left(f, cleaned, spam) < 0.2 for f in frags)
        d = {"spam_before": count_terms(text, spam), "spam_after": count_terms(cleaned, spam),
             "fragments": len(frags), "fragments_removed": removed,
             "markers_before": count_terms(text, markers), "markers_after": count_terms(cleaned, markers),
             "spinning_edits": sum(s["filter"] == "spinning" for s in steps), "edits": by_filter(steps)}
        detail[name] = d
        for k in tot:
            tot[k] += d[k]
    n = len(pages)
    return [
        Row("dev/pages + seed", n, "spam terms removed",
            share(tot["spam_before"] - tot["spam_after"], tot["spam_before"]), "all",
            tot["spam_after"] == 0, detail),
        Row("dev/pages + seed", n, "listed novel fragments removed",
            share(tot["fragments_removed"], tot["fragments"]), "all",
            tot["fragments_removed"] == tot["fragments"]),
        Row("dev/pages + seed", n, "unambiguous spinner markers restored (spin_markers.txt)",
            share(tot["markers_before"] - tot["markers_after"], tot["markers_before"])
            + f"; spinning edits {tot['spinning_edits']}", "all",
            tot["markers_after"] == 0),
    ]


def seed_golden_row(repo: Path | None) -> Row:
    """Run the seed golden tests with pytest (they pin that no clean word of the seed changes)."""
    tests = [t for t in SEED_GOLDEN_TESTS if repo is not None and (repo / t.split("::")[0]).is_file()]
    if not tests:
        return Row("seed golden", 1, "golden tests (no clean word changed)", "not run: tests/ not found",
                   "pass", None)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *tests],
                          cwd=repo, capture_output=True, text=True, check=False)
    summary = [ln for ln in proc.stdout.splitlines() if re.search(r"\d+ (passed|failed|error)", ln)]
    last = (summary or proc.stdout.strip().splitlines() or ["(no output)"])[-1].strip(" =")
    last = re.sub(r" in [\d.]+s.*$", "", last)  # the time varies from run to run
    ok = proc.returncode == 0
    return Row("seed golden", 1, "golden tests (27 spam terms, 2 novel passages, restorations, "
               "no clean word changed)", ("pass: " if ok else "FAIL: ") + last, "pass", ok,
               {"tests": tests, "returncode": proc.returncode})


# --------------------------------------------------------------------------- clean sets


def clean_docs_row(set_name: str, docs: Sequence[dict[str, Any]], cleaner: Cleaner, target: str,
                   allowed_share: float | None, group: str | None = None) -> tuple[Row, list[Steps]]:
    """Documents changed among clean ``docs``; ``allowed_share`` None = no target."""
    changed, steps_all = 0, []
    edits: dict[str, int] = {}
    groups: dict[str, dict[str, int]] = {}
    chars = 0
    examples = []
    for doc in docs:
        text = doc["text"]
        cleaned, steps = cleaner(text)
        steps_all.append(steps)
        chars += len(text)
        hit = cleaned != text or bool(steps)
        changed += hit
        for f, k in by_filter(steps).items():
            edits[f] = edits.get(f, 0) + k
        if group:
            g = groups.setdefault(str(doc.get(group, "")), {"docs": 0, "changed": 0, "edits": 0})
            g["docs"] += 1
            g["changed"] += hit
            g["edits"] += len(steps)
        if hit and len(examples) < 10:
            examples.append({"id": doc.get("id"), "edits": [(s["filter"], s["before"][:40], s["after"][:40])
                                                            for s in steps[:5]]})
    n = len(docs)
    n_edits = sum(edits.values())
    met = None if allowed_share is None or not n else changed <= allowed_share * n
    result = (f"{share(changed, n)} changed; {n_edits} edits"
              + (f" ({', '.join(f'{f} {k}' for f, k in edits.items())})" if edits else "")
              + f"; {chars:,} chars")
    row = Row(set_name, n, "documents changed", result, target, met,
              {"changed": changed, "edits": edits, "chars": chars, "groups": groups, "examples": examples})
    return row, steps_all


def broad_test_docs(root: str | None = None) -> Iterator[dict[str, Any]]:
    """Whole articles (parts ``-pN`` skipped) of the test split of ``corpora/broad`` and of its
    sports/entertainment/lifestyle supplement ``corpora/broad_more`` when present."""
    folder = corpora.broad_dir(root)
    for sub in (folder, folder.parent / "broad_more"):
        if sub.is_dir():
            for d in corpora.broad("test", sub):
                if not re.search(r"-p\d+$", d["id"]):
                    yield d


def broad_sample(n: int, root: str | None = None) -> list[dict[str, Any]]:
    """``n`` articles of :func:`broad_test_docs`, by md5 of id."""
    docs = list(broad_test_docs(root))
    docs.sort(key=lambda d: order_key(d["id"], "broad"))
    return docs[:n]


def fiction_sample(n: int, root: str | None = None) -> list[dict[str, Any]]:
    """``n`` chunks of the fiction test split (novels no model was trained on), by md5 of id."""
    docs = list(corpora.fiction("test", root))
    docs.sort(key=lambda d: order_key(d["id"], "fiction"))
    return docs[:n]


# --------------------------------------------------------------------------- pairs


def pairs_row(set_name: str, docs: Sequence[dict[str, Any]], cleaner: Cleaner) -> Row:
    """CER before/after on real (spun, original) pairs."""
    n_chars = d_before = d_after = 0
    per = []
    for doc in docs:
        cleaned, steps = cleaner(doc["spun"])
        length, before, after = M.cer_counts(doc["original"], doc["spun"], cleaned)
        n_chars += length
        d_before += before
        d_after += after
        per.append({"id": doc["id"], "chars": length, "cer_before": before / max(1, length),
                    "cer_after": after / max(1, length), "edits": by_filter(steps)})
    cer_b = d_before / n_chars if n_chars else 0.0
    cer_a = d_after / n_chars if n_chars else 0.0
    red = (1 - cer_a / cer_b) if cer_b else None
    worse = sum(p["cer_after"] > p["cer_before"] for p in per)
    return Row(set_name, len(docs), "CER before → after (reduction)",
               f"{100 * cer_b:.2f}% → {100 * cer_a:.2f}% ({'n/a' if red is None else f'{100 * red:.1f}%'}); "
               f"{worse} pages made worse", "", None,
               {"cer_before": cer_b, "cer_after": cer_a, "reduction": red, "pages": per})


def folder_rows(set_name: str, folder: Path, cleaner: Cleaner, topical_target: bool) -> list[Row]:
    """Rows for a folder of clean documents and/or pairs, one per kind."""
    docs = read_folder(folder)
    if not docs:
        return [Row(set_name, 0, "documents", f"none found in {folder.parent.name}/{folder.name}", "", None)]
    rows = []
    pairs = [d for d in docs if "spun" in d]
    if pairs:
        rows.append(pairs_row(set_name, pairs, cleaner))
    kinds = sorted({d["kind"] for d in docs if "text" in d})
    for kind in kinds:
        group = [d for d in docs if "text" in d and d["kind"] == kind]
        topical = topical_target and re.search(r"topic|sugar|baoyang|包养|包養|escort", kind, re.I)
        row, _ = clean_docs_row(f"{set_name}: {kind}", group, cleaner,
                                "0 (byte-identical)" if topical else "0 wanted", 0.0 if topical else None)
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- wild spun pages


def wild_rows(folder: Path, cleaner: Cleaner) -> list[Row]:
    """Unlabelled real spun pages (``corpora/wild_spun``): occurrences of the forms each row lists
    (``strong_forms``: spinner-only forms, ``weak_forms``: forms that are also ordinary words)
    touched by a spinning step, counted like dev/spun."""
    docs = [row for path in sorted(folder.glob("*.jsonl*")) for row in _read_rows(path)] \
        if folder.is_dir() else []
    if not docs:
        return []
    tot = {"strong": [0, 0], "weak": [0, 0]}
    pages_edited = 0
    for doc in docs:
        text = doc["text"]
        simplified = to_simplified(text)
        _, steps = cleaner(text)
        edits = [s for s in steps if s["filter"] == "spinning"]
        pages_edited += bool(edits)
        for kind in ("strong", "weak"):
            for form in doc.get(f"{kind}_forms") or {}:
                for m in re.finditer(re.escape(to_simplified(form)), simplified):
                    tot[kind][1] += 1
                    tot[kind][0] += any(e["start"] < m.end() and e["end"] > m.start() for e in edits)
    return [Row("wild spun (unlabelled)", len(docs),
                "listed forms restored: spinner-only / also ordinary words",
                f"{share(*tot['strong'])} / {share(*tot['weak'])}; pages with spinning edits "
                f"{share(pages_edited, len(docs))}", "", None, {"forms": tot, "pages_edited": pages_edited})]


# --------------------------------------------------------------------------- concatenated


def spam_pages(dev: Path, seed: Path | None, n: int) -> list[tuple[str, str]]:
    """``n`` real spam pages: the seed, dev/pages, then dev/spun (sorted)."""
    paths = [seed] if seed is not None and seed.is_file() else []
    paths += sorted((dev / "pages").glob("[0-9]*.txt")) + sorted((dev / "spun").glob("[0-9]*.txt"))
    return [(f"{p.parent.name}/{p.name}", p.read_text(encoding="utf-8").strip("\n")) for p in paths[:n]]


def concatenated_row(clean: Sequence[dict[str, Any]], pages: Sequence[tuple[str, str]],
                     cleaner: Cleaner, one_by_one: Sequence[Steps]) -> list[Row]:
    """Clean articles and spam pages in one text (a page after every len/n articles)."""
    every = max(1, len(clean) // max(1, len(pages)))
    parts: list[tuple[str, str, str]] = []  # (kind, id, text)
    queue = list(pages)
    for k, doc in enumerate(clean):
        if k % every == every // 2 and queue:
            name, text = queue.pop(0)
            parts.append(("spam", name, text))
        parts.append(("clean", doc["id"], doc["text"].strip("\n")))
    parts += [("spam", name, text) for name, text in queue]
    text = "\n".join(p[2] for p in parts)
    _, steps = cleaner(text)
    spans, pos = [], 0
    for kind, doc_id, part in parts:
        spans.append((kind, doc_id, pos, pos + len(part)))
        pos += len(part) + 1
    changed, wrong = 0, []
    for kind, doc_id, s, e in spans:
        if kind != "clean":
            continue
        inside = [st for st in steps if st["start"] < e and st["end"] > s]
        if inside:
            changed += 1
            wrong.extend({"id": doc_id, "filter": st["filter"], "before": st["before"][:40],
                          "after": st["after"][:40]} for st in inside)
    n = len(clean)
    alone = sum(bool(s) for s in one_by_one)
    kinds = ", ".join(f"{f} {k}" for f, k in by_filter(wrong).items()) or "none"
    return [
        Row("concatenated", f"{n} + {len(pages)} pages", "clean articles changed (one text)",
            f"{share(changed, n)}; {len(wrong)} edits inside them ({kinds})",
            "≤ 1%", changed <= 0.01 * n, {"chars": len(text), "wrong_edits": wrong[:50]}),
        Row("concatenated", n, "same clean articles changed (one by one)", share(alone, n), "≤ 1%",
            alone <= 0.01 * n),
    ]


# --------------------------------------------------------------------------- the whole table


@dataclass
class RealConfig:
    shared: Path
    repo: Path | None
    n_broad: int = 1000
    n_fiction: int = 300
    n_concat: int = 300
    n_concat_pages: int = 10
    filters: Sequence[str] | None = None
    extra: Sequence[Path] = ()
    golden: bool = True


def repo_dir() -> Path | None:
    """The source checkout (for corpora/ and tests/), or the current directory if it is one."""
    for cand in (Path(__file__).resolve().parents[3], Path.cwd()):
        if (cand / "pyproject.toml").is_file() and (cand / "src" / "cleannews").is_dir():
            return cand
    return None


def run_real(cfg: RealConfig, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Every real set: a list of rows (and details) as a JSON-able dict."""
    import time

    dev = cfg.shared / "dev"
    seed = None
    for cand in ([cfg.repo / "seeds" / SEED_NAME] if cfg.repo else []) + [cfg.shared / "seeds" / SEED_NAME]:
        if cand.is_file():
            seed = cand
            break
    cleaner = make_cleaner(cfg.filters)
    rows: list[Row] = []
    timings: dict[str, float] = {}

    def step(name: str, make: Callable[[], list[Row]]) -> None:
        t0 = time.perf_counter()
        got = make()
        timings[name] = round(time.perf_counter() - t0, 1)
        rows.extend(got)
        for r in got:
            log(f"{r.set}: {r.measure}: {r.result}")

    if (dev / "spun" / "index.tsv").is_file():
        step("dev/spun", lambda: spun_rows(dev, cleaner, make_cleaner(["spinning"])))
        step("dev/pages", lambda: pages_rows(dev, seed, cleaner))
        step("dev/clean_tricky", lambda: [clean_docs_row(
            "dev/clean_tricky", [{"id": p.name, "text": p.read_text(encoding="utf-8")}
                                 for p in sorted((dev / "clean_tricky").glob("[0-9]*.txt"))],
            cleaner, "0 (byte-identical)", 0.0)[0]])
    if cfg.golden:
        step("seed golden", lambda: [seed_golden_row(cfg.repo)])
    corpora_root = cfg.repo / "corpora" if cfg.repo else None
    if corpora_root is not None:
        step("negatives", lambda: folder_rows("negatives", corpora_root / "negatives", cleaner, True))
        step("real pairs", lambda: folder_rows("real pairs", corpora_root / "real_pairs", cleaner, False))
        step("wild spun", lambda: wild_rows(corpora_root / "wild_spun", cleaner))
    for extra in cfg.extra:
        step(f"extra {extra}", lambda e=extra: folder_rows(f"extra {e.name}", e, cleaner, True))
    if cfg.n_fiction:
        step("clean fiction", lambda: [clean_docs_row(
            "clean fiction (test novels)", fiction_sample(cfg.n_fiction, str(cfg.shared / "corpora")),
            cleaner, "≤ 1%", 0.01)[0]])
    broad = broad_sample(max(cfg.n_broad, cfg.n_concat)) if cfg.n_broad or cfg.n_concat else []
    broad_steps: list[Steps] = []
    if cfg.n_broad and broad:
        def broad_rows() -> list[Row]:
            row, steps = clean_docs_row("clean broad (test split, not CCTV)", broad[: cfg.n_broad], cleaner,
                                        "0 edits", 0.0, group="domain")
            broad_steps.extend(steps)
            return [row]
        step("clean broad", broad_rows)
    if cfg.n_concat and broad:
        def concat() -> list[Row]:
            clean = broad[: cfg.n_concat]
            alone = broad_steps[: cfg.n_concat] if len(broad_steps) >= cfg.n_concat else \
                [cleaner(d["text"])[1] for d in clean]
            return concatenated_row(clean, spam_pages(dev, seed, cfg.n_concat_pages), cleaner, alone)
        step("concatenated", concat)
    return {"rows": [r.to_dict() for r in rows], "seconds": timings,
            "filters": list(cfg.filters) if cfg.filters else "default"}


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as a GitHub markdown table."""
    out = ["| set | n | measure | result | target | met |", "| --- | ---: | --- | --- | --- | --- |"]
    for r in rows:
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        cells = [str(r["set"]), str(r["n"]), r["measure"], r["result"], r["target"], met]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out)


def git_commit(repo: Path | None) -> str:
    if repo is None:
        return "unknown"
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True, check=True).stdout.strip()
        return out + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def extra_dirs(given: Sequence[Path]) -> list[Path]:
    env = os.environ.get("CLEANNEWS_BENCH_EXTRA")
    return [*given, *(Path(p) for p in env.split(os.pathsep) if p)] if env else list(given)

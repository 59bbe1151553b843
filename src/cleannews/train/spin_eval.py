"""Measure the ``spinning`` filter on real text.

    python -m cleannews.train.spin_eval [--clean-docs 500] [--list]

* **real spun passages** (``../shared/dev/spun``): for every spun form the index
  lists, how many of its occurrences the filter restores (and how many to the
  listed original) or misses; plus edits on forms the index does not list;
* **real spam pages** (``../shared/dev/pages``) and the **seed**: restorations made;
* **clean harm**: edits on clean ``dev`` news articles, the filter alone and the
  full default pipeline;
* **speed**: MB/s of the filter on clean text and on spun text.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from cleannews import corpora
from cleannews.filters.spam import SpamFilter
from cleannews.filters.spinning import SpinningFilter
from cleannews.pipeline import Pipeline
from cleannews.registry import DEFAULT_FILTERS, create_many
from cleannews.script import to_simplified


def parse_artifacts(field: str) -> list[tuple[str, list[str]]]:
    """``spun(orig1/orig2; note),spun2`` → [(spun, [originals])], CJK-only forms."""
    out = []
    depth = 0
    item = ""
    items = []
    for ch in field:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(item)
            item = ""
        else:
            item += ch
    items.append(item)
    for raw in items:
        raw = raw.strip()
        m = re.fullmatch(r"([\u4e00-\u9fff]{1,8})(?:\((.*)\))?", raw)
        if not m:
            continue
        spun = m.group(1)
        originals = []
        if m.group(2):
            for part in re.split(r"[/;]", m.group(2)):
                part = part.strip().rstrip("?")
                if re.fullmatch(r"[\u4e00-\u9fff]{1,8}", part):
                    originals.append(part)
        out.append((spun, originals))
    return out


def eval_spun(dev: Path, show: bool) -> None:
    filt = Pipeline([SpinningFilter()])
    totals = dict(forms=0, occurrences=0, restored=0, to_listed=0, missed=0, unlisted_edits=0)
    for line in (dev / "spun" / "index.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        text = (dev / "spun" / cols[0]).read_text(encoding="utf-8")
        simplified = to_simplified(text)
        result = filt.run(text)
        edits = result.edits
        covered: set[int] = set()
        restored = to_listed = missed = occ = 0
        for spun, originals in parse_artifacts(cols[3]):
            totals["forms"] += 1
            for m in re.finditer(re.escape(spun), simplified):
                occ += 1
                hit = [e for e in edits if e.start < m.end() and e.end > m.start()]
                if hit:
                    restored += 1
                    covered.update(id(e) for e in hit)
                    after = to_simplified("".join(e.after for e in hit))
                    if any(o in after for o in originals):
                        to_listed += 1
                else:
                    missed += 1
        unlisted = [e for e in edits if id(e) not in covered]
        totals["occurrences"] += occ
        totals["restored"] += restored
        totals["to_listed"] += to_listed
        totals["missed"] += missed
        totals["unlisted_edits"] += len(unlisted)
        print(f"spun/{cols[0]}: markers={result.scores.get('spin.markers', 0):.0f} listed occurrences={occ} "
              f"restored={restored} (to listed original {to_listed}) missed={missed} "
              f"edits on unlisted forms={len(unlisted)}")
        if show:
            print("   ", " ".join(f"{e.before}→{e.after}" for e in edits))
    print("spun/ total:", totals)


def eval_pages(dev: Path, seed: Path, show: bool) -> None:
    pipe = Pipeline([SpamFilter(), SpinningFilter()])
    paths = [*sorted((dev / "pages").glob("[0-9]*.txt")), seed]
    for path in paths:
        result = pipe.run(path.read_text(encoding="utf-8"))
        steps = [e for e in result.steps() if e.filter == "spinning"]
        print(f"{path.parent.name}/{path.name}: spin.score={result.scores.get('spin.score', 0):.2f} "
              f"markers={result.scores.get('spin.markers', 0):.0f} restorations={len(steps)}")
        if show:
            print("   ", " ".join(f"{e.before}→{e.after}" for e in steps))


def eval_clean(n_docs: int) -> None:
    docs = [d["text"] for _, d in zip(range(n_docs), corpora.news("dev"), strict=False)]
    chars = sum(map(len, docs))
    for name, pipe in (("spinning alone", Pipeline([SpinningFilter()])),
                       ("default pipeline", Pipeline(create_many(DEFAULT_FILTERS)))):
        changed = edits = 0
        for text in docs:
            result = pipe.run(text)
            n = sum(1 for e in result.steps() if e.filter == "spinning")
            edits += n
            changed += n > 0
        print(f"clean dev news, {name} ({', '.join(pipe.names)}): {len(docs)} articles, {chars} chars, "
              f"spinning edits={edits} ({edits / chars * 1e4:.3f} per 10k chars), "
              f"articles changed by spinning={changed}")


def eval_speed(dev: Path, n_docs: int) -> None:
    filt = SpinningFilter()
    pipe = Pipeline([filt])
    clean_docs = [d["text"] for _, d in zip(range(n_docs), corpora.news("dev"), strict=False)]
    spun_docs = [p.read_text(encoding="utf-8") for p in sorted((dev / "spun").glob("[0-9]*.txt"))]
    pipe.run(spun_docs[0])  # load resources
    for name, docs, rounds in (("clean dev news", clean_docs, 1), ("real spun passages", spun_docs, 5)):
        size = sum(len(t.encode("utf-8")) for t in docs) * rounds
        start = time.perf_counter()
        for _ in range(rounds):
            for text in docs:
                pipe.run(text)
        dt = time.perf_counter() - start
        print(f"speed, spinning alone on {name}: {size / 1e6 / dt:.1f} MB/s "
              f"({size / 1e6:.2f} MB in {dt:.2f}s)")
    full = Pipeline(create_many(DEFAULT_FILTERS))
    size = sum(len(t.encode("utf-8")) for t in clean_docs)
    start = time.perf_counter()
    for text in clean_docs:
        full.run(text)
    dt = time.perf_counter() - start
    print(f"speed, default pipeline ({', '.join(full.names)}) on clean dev news: {size / 1e6 / dt:.1f} MB/s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean-docs", type=int, default=500)
    parser.add_argument("--list", action="store_true", help="list every restoration")
    args = parser.parse_args(argv)
    dev = corpora.corpora_dir().parent / "dev"
    seed = Path(__file__).resolve().parents[3] / "seeds" / "000_6bc4e7bd4ee97ca6.txt"
    eval_spun(dev, args.list)
    eval_pages(dev, seed, args.list)
    eval_clean(args.clean_docs)
    eval_speed(dev, args.clean_docs)


if __name__ == "__main__":
    main()

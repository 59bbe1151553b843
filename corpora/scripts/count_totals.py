"""Count and check what is in corpora/: the figures in corpora/README.md come from here.

    python corpora/scripts/count_totals.py [corpora/broad]   # one broad-format folder
    python corpora/scripts/count_totals.py --all            # broad/, broad_more/, negatives/,
                                                            # wild_spun/, real_pairs/

Prints per group (site/outlet), per domain and per script: documents and characters
(``len(text)``), and re-checks every document against the corpus rules: no spam/spinner
marker, ≥ 150 CJK characters, no duplicate (CJK-only MD5), the declared script, no CCTV
source (the 《新闻联播》 repository or a cctv.com page), every shard < 25 MB.
Exits non-zero if a rule is broken.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from textclean import cjk_count, dedupe_key, script_counts, spam_reason  # noqa: E402

MAX_BYTES = 25 * 1000 * 1000


def main(folder: str) -> int:
    docs: Counter = Counter()
    chars: Counter = Counter()
    by_domain: dict[str, Counter] = defaultdict(Counter)
    by_script: Counter = Counter()
    domain_script: Counter = Counter()
    group_domain: Counter = Counter()
    seen: set[str] = set()
    problems: list[str] = []
    files = sorted(f for f in os.listdir(folder) if f.endswith(".jsonl.gz"))
    for fn in files:
        path = os.path.join(folder, fn)
        size = os.path.getsize(path)
        if size >= MAX_BYTES:
            problems.append(f"{fn}: {size} bytes")
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                group = d["id"].split("-", 1)[0]
                n = len(d["text"])
                docs[group] += 1
                chars[group] += n
                by_domain[d["domain"]][d["script"]] += n
                by_script[d["script"]] += n
                domain_script[(group, d["script"])] += n
                group_domain[(group, d["domain"])] += n
                if spam_reason(d["title"] + "\n" + d["text"]):
                    problems.append(f"{d['id']}: spam marker")
                if cjk_count(d["text"]) < 150:
                    problems.append(f"{d['id']}: short")
                key = dedupe_key(d["text"])
                if key in seen:
                    problems.append(f"{d['id']}: duplicate")
                seen.add(key)
                hant, hans = script_counts(d["text"])
                if (d["script"] == "hant") != (hant > hans):
                    problems.append(f"{d['id']}: script")
                if d["source"].startswith("china-data/xwlb") or "cctv.com" in d["source"].lower():
                    problems.append(f"{d['id']}: CCTV source")
    total = sum(chars.values())
    print(f"{'group':<12}{'docs':>9}{'chars':>13}{'share':>8}  script")
    for g, n in chars.most_common():
        scripts = ", ".join(f"{s} {domain_script[(g, s)]:,}" for s in ("hans", "hant")
                            if domain_script[(g, s)])
        print(f"{g:<12}{docs[g]:>9,}{n:>13,}{n / total:>8.1%}  {scripts}")
    print(f"{'TOTAL':<12}{sum(docs.values()):>9,}{total:>13,}")
    print(f"\nnot from CCTV: {total:,} chars; natively Traditional (hant): {by_script['hant']:,}; "
          f"Simplified (hans): {by_script['hans']:,}")
    print("\ndomain mix per group (share of the group's chars):")
    for g, _n in chars.most_common():
        mix = sorted(((c, d) for (gg, d), c in group_domain.items() if gg == g), reverse=True)
        print(f"  {g:<12}" + ", ".join(f"{d} {c / chars[g]:.0%}" for c, d in mix[:5]))
    print("\nper domain (chars): hans / hant")
    for dom, c in sorted(by_domain.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {dom:<14}{sum(c.values()):>12,}   {c['hans']:>11,} / {c['hant']:>11,}")
    largest = max(os.path.getsize(os.path.join(folder, f)) for f in files)
    print(f"\nshards: {len(files)}, largest {largest:,} bytes")
    if problems:
        print(f"\n{len(problems)} PROBLEMS, first 20:", *problems[:20], sep="\n  ")
        return 1
    print("all checks passed")
    return 0


def _records(folder: str) -> list[tuple[str, dict]]:
    out = []
    for fn in sorted(os.listdir(folder)):
        if fn.endswith(".jsonl.gz"):
            with gzip.open(os.path.join(folder, fn), "rt", encoding="utf-8") as f:
                out.extend((fn, json.loads(line)) for line in f)
    return out


def _shards_ok(folder: str, problems: list[str]) -> None:
    for fn in os.listdir(folder):
        if fn.endswith(".jsonl.gz") and os.path.getsize(os.path.join(folder, fn)) >= MAX_BYTES:
            problems.append(f"{folder}/{fn}: >= 25 MB")


def negatives(folder: str) -> int:
    """Topical negatives must contain a topical term; fiction-like negatives no spam/spinner marker."""
    import re

    topical_re = re.compile(r"包養|包养|甜心寶貝|甜心宝贝|[Ss]ugar ?(?:[Dd]addy|[Bb]aby)|援交")
    problems: list[str] = []
    _shards_ok(folder, problems)
    per: Counter = Counter()
    chars: Counter = Counter()
    sub: Counter = Counter()
    for _fn, d in _records(folder):
        key = (d["kind"], d["script"])
        per[key] += 1
        chars[key] += len(d["text"])
        if d["kind"] == "topical":
            sub[d["subtopic"]] += 1
            if not topical_re.search(d["title"] + d["text"]):
                problems.append(f"{d['id']}: topical without a topical term")
        elif spam_reason(d["title"] + "\n" + d["text"]):
            problems.append(f"{d['id']}: fiction-like with a spam/spinner marker")
    print("negatives (kind, script): docs, chars")
    for k in sorted(per):
        print(f"  {k[0]:<12}{k[1]:<6}{per[k]:>6,}{chars[k]:>12,}")
    print("  topical subtopics:", dict(sub))
    return _report(problems)


def wild_spun(folder: str) -> int:
    problems: list[str] = []
    _shards_ok(folder, problems)
    recs = [d for _fn, d in _records(folder)]
    fam = Counter(d["family"] for d in recs)
    scr = Counter(d["script"] for d in recs)
    strict = sum(1 for d in recs if d["n_strong_distinct"] >= 2)
    for d in recs:
        if d["n_strong_distinct"] < 1 or (d["n_strong_distinct"] == 1 and d["n_weak_distinct"] < 4):
            problems.append(f"{d['id']}: evidence below the rule")
        if d["dev_max_overlap"]["shared_8grams"] >= 0.3:
            problems.append(f"{d['id']}: overlaps dev")
    print(f"wild_spun: {len(recs)} documents ({strict} with >= 2 distinct unambiguous forms), "
          f"{sum(len(d['text']) for d in recs):,} chars; families {dict(fam)}; scripts {dict(scr)}")
    return _report(problems)


def real_pairs(folder: str) -> int:
    problems: list[str] = []
    _shards_ok(folder, problems)
    recs = [d for _fn, d in _records(folder)]
    cer = [d["cer_spun_vs_original"] for d in recs]
    print(f"real_pairs: {len(recs)} pairs, {sum(len(d['original']) for d in recs):,} original chars, "
          f"mean CER spun vs original {sum(cer) / max(1, len(cer)):.3f}")
    return _report(problems)


def _report(problems: list[str]) -> int:
    if problems:
        print(f"  {len(problems)} PROBLEMS, first 20:", *problems[:20], sep="\n    ")
        return 1
    print("  all checks passed")
    return 0


if __name__ == "__main__":
    top = os.path.dirname(HERE)
    if len(sys.argv) > 1 and sys.argv[1] == "--all":
        rc = 0
        for name, fn in (("broad", main), ("broad_more", main), ("negatives", negatives),
                         ("wild_spun", wild_spun), ("real_pairs", real_pairs)):
            path = os.path.join(top, name)
            if os.path.isdir(path):
                print(f"\n===== corpora/{name} =====")
                rc |= fn(path)
        sys.exit(rc)
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "broad")))

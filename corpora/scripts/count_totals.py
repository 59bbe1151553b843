"""Count and check what is in corpora/broad/: the figures in corpora/README.md come from here.

    python corpora/scripts/count_totals.py [corpora/broad]

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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(HERE), "broad")))

"""Summarise ``wordlists/spin_mined.tsv``: pairs per family, status, origin and direction.

    python -m cleannews.train.spin_mined_report [--file NAME] [--examples N]

Counts only what the table holds (the miner's own run prints what it dropped).  An
origin is counted once per pair that names it, so a pair listed by two dictionaries
counts for both; ``reverse risk`` counts pairs whose spun form clean text uses more
often than the original (restoring them blindly would change more clean text than it
repairs).
"""

from __future__ import annotations

import argparse
from collections import Counter

from cleannews.spin.mined import MINED_FILE, MinedLexicon, read_mined


def origin_source(origin: str) -> str:
    """``robin_replace:L17`` → ``robin_replace``; ``wild-context:3/5frames`` → ``wild-context``."""
    return origin.split(":", 1)[0]


def summary(mined: MinedLexicon) -> dict[str, Counter]:
    """The tallies the report prints (also used by the tests)."""
    out: dict[str, Counter] = {name: Counter() for name in
                               ("family", "status", "family/status", "origin", "direction", "flags")}
    for p in mined.pairs:
        out["family"][p.family] += 1
        out["status"][p.status] += 1
        out["family/status"][f"{p.family}/{p.status}"] += 1
        out["direction"][p.direction] += 1
        for source in dict.fromkeys(origin_source(o) for o in p.origins):
            out["origin"][source] += 1
        if p.clean_spun > p.clean_original:
            out["flags"]["reverse risk (clean_spun > clean_original)"] += 1
        if p.in_lexicon:
            out["flags"]["also in spin_lexicon.tsv"] += 1
        if p.wild_spun:
            out["flags"]["spun form seen in wild spun text"] += 1
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default=MINED_FILE, help="wordlist name under wordlists/")
    parser.add_argument("--examples", type=int, default=3, help="example pairs per family/status")
    args = parser.parse_args(argv)
    mined = read_mined(args.file)
    print(f"{args.file}: {len(mined)} pairs")
    for name, tally in summary(mined).items():
        print(f"\nby {name}:")
        for key, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {key:<48} {n:>7}")
    if args.examples:
        print("\nexamples (original → spun, clean counts original/spun, wild spun):")
        shown: Counter = Counter()
        for p in mined.pairs:
            key = f"{p.family}/{p.status}"
            if shown[key] < args.examples:
                shown[key] += 1
                print(f"  {key:<22} {p.original} → {p.spun}  ({p.clean_original}/{p.clean_spun}, "
                      f"wild {p.wild_spun})  {','.join(p.origins)[:60]}")


if __name__ == "__main__":
    main()

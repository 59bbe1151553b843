"""Build corpora/broad/*.jsonl.gz from the raw repository snapshots listed in sources.py.

Two stages, so one source can be re-extracted without redoing the others:

    python corpora/scripts/build_broad.py extract [NAME ...]   # -> $STAGE/<name>.jsonl + stats
    python corpora/scripts/build_broad.py assemble             # caps, dedupe, shards, stats.json

``extract`` applies, per document: markdown/HTML → text, whitespace normalisation (as
../shared/corpora), the spam/spinning drop rule (textclean.spam_reason), the script check
(a document whose minority script exceeds 20% of its script-specific characters is dropped
as mixed; a document not in the source's native script is dropped), and the < 150 CJK
characters drop.  ``assemble`` removes exact and near-exact duplicates across all sources
(MD5 of the CJK characters only; first occurrence kept in SOURCES order), caps every source
group (one site or outlet: the
``id`` prefix) at 25% of the corpus (a deterministic subset: documents ordered by MD5 of their id) and
writes gzip JSONL shards of at most ~20 MB.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
from collections import Counter

from sources import SOURCES, Source, polish_nbw
from textclean import cjk_count, dedupe_key, normalise, script_counts, spam_reason

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "broad")
STAGE = os.environ.get("STAGE", "/tmp/broad/stage")
MIN_CJK = 150
MAX_DOC_CHARS = 30_000  # longer documents are split at paragraph ends into parts
CAP_SHARE = 0.25
EXTRACT_ORDER = ["weekly", "tidbdocs", "terminus", "cdt", "nbw", "hkcnews", "oped", "jsinfo", "reactdocs"]
SHARD_BYTES = 20_000_000
# Cantonese-colloquial particles: a Hong Kong article dense with them is written in
# Cantonese, not standard written Chinese, and is dropped (quotes of speech are fine).
CANTONESE = set("嘅喺哋咗冇嚟啲嘢嗰")
CANTONESE_MAX = 0.004


def cantonese(text: str) -> int:
    return sum(text.count(c) for c in CANTONESE)


def split_long(text: str) -> list[str]:
    if len(text) <= MAX_DOC_CHARS:
        return [text]
    parts, cur, size = [], [], 0
    for para in text.split("\n"):
        if size + len(para) > MAX_DOC_CHARS and cur:
            parts.append("\n".join(cur))
            cur, size = [], 0
        cur.append(para)
        size += len(para) + 1
    if cur:
        parts.append("\n".join(cur))
    return parts


def extract(src: Source) -> dict:
    commit = src.commit()
    os.makedirs(STAGE, exist_ok=True)
    stats: Counter = Counter()
    spam: Counter = Counter()
    with open(os.path.join(STAGE, f"{src.name}.jsonl"), "w", encoding="utf-8") as out:
        for path, raw in src.files():
            stats["files"] += 1
            for doc in src.parse(src, path, raw):
                text = normalise(doc.text)
                title = normalise(doc.title).replace("\n", " ")
                reason = spam_reason(title + "\n" + text)
                if reason:
                    stats["dropped_spam"] += 1
                    spam[reason] += 1
                    continue
                for k, part in enumerate(split_long(text)):
                    n_cjk = cjk_count(part)
                    if n_cjk < MIN_CJK:
                        stats["dropped_short"] += 1
                        continue
                    hant, hans = script_counts(part)
                    script = "hant" if hant > hans else "hans"
                    if min(hant, hans) > 0.2 * (hant + hans):
                        stats["dropped_mixed_script"] += 1
                        continue
                    expect = doc.expect or src.expect
                    if expect in ("hans", "hant") and script != expect:
                        stats["dropped_wrong_script"] += 1
                        continue
                    if src.name == "hkcnews" and cantonese(part) > CANTONESE_MAX * n_cjk:
                        stats["dropped_cantonese"] += 1
                        continue
                    rec = {
                        "id": doc.id + (f"-p{k}" if k else ""),
                        "source": f"{src.repo}@{commit}:{doc.path}",
                        "domain": doc.domain,
                        "script": script,
                        "title": title,
                        "text": part,
                    }
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    stats["kept"] += 1
                    stats["chars"] += len(part)
    result = {"name": src.name, "repo": src.repo, "commit": commit, **stats, "spam_markers": dict(spam)}
    with open(os.path.join(STAGE, f"{src.name}.stats.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    return result


def _caps(chars: dict[str, int]) -> dict[str, int]:
    """Largest per-source budgets such that no source exceeds CAP_SHARE of the capped total."""
    caps = dict(chars)
    for _ in range(50):
        total = sum(caps.values())
        limit = int(CAP_SHARE * total)
        over = {k for k, v in caps.items() if v > limit + 1}
        if not over:
            return caps
        rest = sum(v for k, v in caps.items() if k not in over)
        # x = share * (rest + n_over * x)  =>  x = share * rest / (1 - share * n_over)
        denom = 1 - CAP_SHARE * len(over)
        x = int(CAP_SHARE * rest / denom) if denom > 0 else min(caps.values())
        for k in over:
            caps[k] = min(chars[k], x)
    return caps


def assemble() -> None:
    seen: set[str] = set()
    kept: dict[str, list[dict]] = {}
    dup: Counter = Counter()
    for src in SOURCES:
        path = os.path.join(STAGE, f"{src.name}.jsonl")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                group = rec["id"].split("-", 1)[0]  # one outlet/site = one group (capped alone)
                if src.name == "nbw":  # same polish as parse_nbw (idempotent); re-check length
                    rec["title"], rec["text"] = polish_nbw(rec["title"], rec["text"])
                    if cjk_count(rec["text"]) < MIN_CJK:
                        continue
                key = dedupe_key(rec["text"])
                if key in seen:
                    dup[group] += 1
                    continue
                seen.add(key)
                kept.setdefault(group, []).append(rec)
    chars = {k: sum(len(d["text"]) for d in v) for k, v in kept.items()}
    caps = _caps(chars)
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".jsonl.gz"):
            os.remove(os.path.join(OUT, old))
    summary = {}
    for name, docs in kept.items():
        budget = caps[name]
        if chars[name] > budget:
            docs = sorted(docs, key=lambda d: hashlib.md5(d["id"].encode()).hexdigest())
            chosen, size = [], 0
            for d in docs:
                if size + len(d["text"]) > budget:
                    continue
                chosen.append(d)
                size += len(d["text"])
            chosen_ids = {d["id"] for d in chosen}
            docs = [d for d in kept[name] if d["id"] in chosen_ids]
        files = write_shards(name, docs)
        summary[name] = {"docs": len(docs), "chars": sum(len(d["text"]) for d in docs),
                         "duplicates_dropped": dup[name], "chars_before_cap": chars[name],
                         "files": files}
    extract_stats = {}
    for src in SOURCES:
        path = os.path.join(STAGE, f"{src.name}.stats.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                extract_stats[src.name] = json.load(f)
    with open(os.path.join(OUT, "stats.json"), "w", encoding="utf-8") as f:
        json.dump({"groups": summary, "extract": extract_stats}, f, ensure_ascii=False, indent=1)
    print(json.dumps(summary, ensure_ascii=False, indent=1))


def write_shards(name: str, docs: list[dict]) -> list[str]:
    files: list[str] = []
    i, buf, size = 0, [], 0

    def flush() -> None:
        nonlocal i, buf, size
        fn = f"{name}-{i:03d}.jsonl.gz"
        with gzip.open(os.path.join(OUT, fn), "wb", compresslevel=6) as f:
            f.write("".join(buf).encode("utf-8"))
        files.append(fn)
        i, buf, size = i + 1, [], 0

    for d in docs:
        line = json.dumps(d, ensure_ascii=False) + "\n"
        buf.append(line)
        size += len(line.encode("utf-8"))
        if size >= SHARD_BYTES * 2:  # gzip shrinks UTF-8 Chinese JSON >= 2x: shards stay < 25 MB
            flush()
    if buf:
        flush()
    return files


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in ("extract", "assemble"):
        sys.exit(__doc__)
    if argv[0] == "extract":
        names = set(argv[1:])
        for src in sorted(SOURCES, key=lambda s: EXTRACT_ORDER.index(s.name)):
            if not names or src.name in names:
                print(json.dumps(extract(src), ensure_ascii=False))
    else:
        assemble()


if __name__ == "__main__":
    main(sys.argv[1:])

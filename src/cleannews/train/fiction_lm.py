"""Train the news and fiction character LMs used by the ``fiction`` filter.

    python -m cleannews.train.fiction_lm [--corpora DIR] [--out DIR]

Reads only the TRAIN splits (``cleannews.corpora.news("train")`` and
``cleannews.corpora.fiction("train")``; test novels never reach a model; the
train novels picked by :func:`tune_book` are kept out too, to tune on), adds
spun copies of half the news (``wordlists/spin_lexicon.tsv`` applied) so that
spun news is not mistaken for fiction, builds
one shared vocabulary, counts hashed n-grams with numpy and writes
``fiction_lm.npz`` (no pickle) to ``cleannews/models``.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np

from cleannews import corpora
from cleannews.fiction.lm import (
    PairLM,
    build_code_table,
    build_tables,
    encode,
    fold_char,
    ngram_keys,
    save_pair,
)
from cleannews.resources import models_dir, read_table

ORDER = 4
#: table size (log2 slots) and the minimum count an n-gram needs to be kept, per order.
BITS = {2: 21, 3: 22, 4: 23}
MIN_COUNT = {2: 2, 3: 3, 4: 3}
MIN_CHAR_COUNT = 3
ARTIFACT = "fiction_lm.npz"
#: spin lexicon used to add spun copies of news to the news model's training text.
SPIN_LEXICON = "spin_lexicon.tsv"
#: share of news train documents added again in spun form.
SPUN_SHARE = 0.5


def _benchmark_held_out(original: str, spun: str) -> bool:
    """Word pairs the benchmark hides from the cleaner (its documented md5 rule): left out
    here too, so that benchmark figures do not profit from them."""
    digest = hashlib.md5(f"holdout:{original}\t{spun}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < 15


def spin_rules() -> dict[str, str]:
    """original → spun pairs of the spin lexicon (empty when the wordlist is absent)."""
    rules: dict[str, str] = {}
    try:
        for row in read_table(SPIN_LEXICON):
            if len(row) < 2 or not row[0] or not row[1] or row[0] == row[1]:
                continue
            kind = row[2] if len(row) > 2 else "word"
            if kind != "char" and len(row[0]) > 1 and _benchmark_held_out(row[0], row[1]):
                continue
            rules.setdefault(row[0], row[1])
    except FileNotFoundError:
        return {}
    return rules


def spun_copies(texts: list[str], rules: dict[str, str], share: float, seed: int = 0) -> list[str]:
    """Spun copies of a share of ``texts``, every lexicon word replaced (as a spinner does).

    Pages reach the fiction filter spun when no spinning filter ran before it; a
    news model that has seen spun news does not mistake 经由过程 or 年夜会 for prose.
    """
    if not rules:
        return []
    regex = re.compile("|".join(re.escape(k) for k in sorted(rules, key=len, reverse=True)))
    rng = random.Random(seed)
    picked = [t for t in texts if rng.random() < share]
    return [regex.sub(lambda m: rules[m.group(0)], t) for t in picked]


def tune_book(title: str) -> bool:
    """Train-split novels held out of the LMs to tune the filter's thresholds on (about 1/7)."""
    digest = hashlib.md5(("fiction-tune:" + title).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 10 == 0


def _texts(kind: str, root: str | None) -> list[str]:
    if kind == "news":
        return [d["text"] for d in corpora.news("train", root)]
    return [d["text"] for d in corpora.fiction("train", root) if not tune_book(d["title"])]


def build_vocab(corpus_texts: list[list[str]]) -> np.ndarray:
    """Code points (folded) seen at least ``MIN_CHAR_COUNT`` times, most frequent first."""
    counts: Counter[str] = Counter()
    for texts in corpus_texts:
        for t in texts:
            counts.update(t)
    folded: Counter[str] = Counter()
    for ch, c in counts.items():
        folded[fold_char(ch)] += c
    chars = [ch for ch, c in folded.most_common() if c >= MIN_CHAR_COUNT and len(ch) == 1]
    return np.array([ord(ch) for ch in chars], dtype=np.uint32)


def corpus_ids(texts: list[str], table: np.ndarray) -> np.ndarray:
    """All texts encoded back to back, each preceded by ``ORDER - 1`` padding ids."""
    pad = np.zeros(ORDER - 1, dtype=np.uint16)
    parts = []
    for t in texts:
        parts.append(pad)
        parts.append(encode(t, table))
    return np.concatenate(parts)


def kept_ngrams(ids: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    keys, counts = np.unique(ngram_keys(ids, n), return_counts=True)
    keep = counts >= MIN_COUNT[n]
    return keys[keep], counts[keep]


def followers(ids: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys of n-grams and how many distinct characters follow each (unpruned)."""
    nxt = np.unique(ngram_keys(ids, n + 1))
    return np.unique(nxt >> np.uint64(16), return_counts=True)


def follower_types(ids: np.ndarray, n: int, size: int) -> np.ndarray:
    keys, counts = followers(ids, n)
    out = np.zeros(size, dtype=np.int64)
    out[keys.astype(np.int64)] = counts
    return out


def train(news: list[str], fiction: list[str]) -> PairLM:
    vocab = build_vocab([news, fiction])
    table = build_code_table(vocab)
    print(f"vocabulary: {len(vocab):,} characters")
    ids = [corpus_ids(news, table), corpus_ids(fiction, table)]
    unigram = np.stack([np.bincount(x, minlength=len(vocab) + 2) for x in ids]).astype(np.float32)
    unitypes = np.stack([follower_types(x, 1, len(vocab) + 2) for x in ids]).astype(np.float32)
    fps, qs, ts = [], [], []
    for n in range(2, ORDER + 1):
        kc = [kept_ngrams(x, n) for x in ids]
        fol = [followers(x, n) for x in ids] if n < ORDER else None
        fp, q, t = build_tables(kc, n, BITS[n], fol)
        if t is not None:
            ts.append(t)
        union = len(np.unique(np.concatenate([k for k, _ in kc])))
        print(f"  order {n}: kept news {len(kc[0][0]):,} fiction {len(kc[1][0]):,} union {union:,}; "
              f"placed {np.count_nonzero(fp):,} in {1 << BITS[n]:,} slots")
        fps.append(fp)
        qs.append(q)
    return PairLM(vocab, unigram, unitypes, fps, qs, ts, [BITS[n] for n in range(2, ORDER + 1)])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", default=None, help="corpora directory (default: cleannews.corpora)")
    ap.add_argument("--out", default=str(models_dir()), help="output directory")
    args = ap.parse_args(argv)
    t0 = time.time()
    news = _texts("news", args.corpora)
    fiction = _texts("fiction", args.corpora)
    print(f"train texts: news {len(news):,} docs {sum(map(len, news)):,} chars; "
          f"fiction {len(fiction):,} chunks {sum(map(len, fiction)):,} chars")
    spun = spun_copies(news, spin_rules(), SPUN_SHARE)
    print(f"spun news copies: {len(spun):,} docs")
    lm = train(news + spun, fiction)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / ARTIFACT
    save_pair(path, lm)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"done in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()

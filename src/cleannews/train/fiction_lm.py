"""Train the news and fiction character LMs used by the ``fiction`` filter.

    python -m cleannews.train.fiction_lm [--corpora DIR] [--out DIR]

Reads only the TRAIN splits (``cleannews.corpora.news("train")``, the broad
corpus ``cleannews.corpora.broad("train")`` — web news of every section, Taiwanese and
Hong Kong news, features, technical text, read on the Simplified view the filter
reads — and ``cleannews.corpora.fiction("train")``; test novels never reach a model; the
train novels picked by :func:`tune_book` are kept out too, to tune on), adds
spun copies of half the news (``wordlists/spin_lexicon.tsv`` applied) so that
spun news is not mistaken for fiction, builds
one shared vocabulary, counts n-grams with numpy, keeps per order the n-grams
that change the models most (:func:`pruning_scores`) and writes
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
from cleannews.modelfile import git_commit, write_card
from cleannews.resources import models_dir, read_table
from cleannews.script import to_simplified

ORDER = 4
#: table size (log2 slots) and the minimum count an n-gram needs to be considered, per order.
BITS = {2: 21, 3: 22, 4: 22}
MIN_COUNT = {2: 2, 3: 3, 4: 3}
#: n-grams kept per order (both models together), those with the highest
#: :func:`pruning_scores`; this sets the artifact's size (about 2.5 bytes an n-gram).
KEEP = {2: 1_240_000, 3: 2_300_000, 4: 2_300_000}
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


def _texts(kind: str, root: str | None, broad_root: str | None = None) -> list[str]:
    """Training texts of one side.  News is the CCTV-heavy news corpus plus the broad one:
    trained on broadcast news alone, the news model read features, opinion, sports and
    entertainment writing as fiction (13 of 1,000 broad test articles lost a passage)."""
    if kind == "news":
        news = [d["text"] for d in corpora.news("train", root)]
        return news + [to_simplified(d["text"]) for d in corpora.broad("train", broad_root)]
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


def backoff_logprob(lm: PairLM, keys: np.ndarray, n: int, chunk: int = 1 << 21) -> np.ndarray:
    """(2, len(keys)) log-probabilities of each n-gram's last character under ``lm``
    (the models of order n-1 built so far), i.e. what the models say without it."""
    out = np.empty((2, len(keys)), dtype=np.float64)
    shifts = np.array([16 * (n - 2 - j) for j in range(n - 1)], dtype=np.uint64)
    for a in range(0, len(keys), chunk):
        part = keys[a : a + chunk]
        seqs = ((part[:, None] >> shifts[None, :]) & np.uint64(0xFFFF)).astype(np.uint16)
        lp = lm.logprobs(seqs.ravel()).reshape(2, len(part), n - 1)
        out[:, a : a + chunk] = lp[:, :, -1]
    return out


def with_context(lower: PairLM, kc: tuple[np.ndarray, np.ndarray], n: int, row: int,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The n-grams whose context (first n-1 characters) the kept lower order still holds.

    The scorer caps ``c(hw)`` by ``c(h)`` (a guard against hash collisions), so an
    n-gram whose context was pruned could never be read: it would only take room.
    """
    keys, counts = kc
    if n == 2:
        return keys, counts
    ctx, _ = lower.lookup(keys >> np.uint64(16), n - 1)
    keep = ctx[row] > 0
    return keys[keep], counts[keep]


def pruning_scores(lm: PairLM, kc: list[tuple[np.ndarray, np.ndarray]],
                   ctx_types: list[tuple[np.ndarray, np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Union of both models' n-gram keys and, per key, how much it is worth keeping.

    In interpolated Witten–Bell, dropping ``hw`` (count ``c``) leaves its context's
    count and follower types ``T(h)`` as they are, so ``p(w|h)`` falls from
    ``(c + T·p_lo)/(C + T)`` to ``T·p_lo/(C + T)``; over the training text that costs
    ``c · log(1 + c / (T·p_lo))`` nats (the weighted-difference criterion of
    entropy pruning).  N-grams that the shorter context already predicts are cheap
    to drop; a key's worth is the larger of its two models' costs.  (Dividing each
    cost by its corpus size, to give the smaller fiction corpus more room, measured
    worse: more false removals on clean dev articles.)
    """
    keys = np.unique(np.concatenate([k for k, _ in kc]))
    p_lo = np.exp(backoff_logprob(lm, keys, n))
    score = np.zeros(len(keys))
    for row, ((k, c), (hk, ht)) in enumerate(zip(kc, ctx_types, strict=True)):
        at = np.searchsorted(keys, k)
        pos = np.minimum(np.searchsorted(hk, k >> np.uint64(16)), len(hk) - 1)
        types = np.where(hk[pos] == (k >> np.uint64(16)), ht[pos], 1).astype(np.float64)
        cost = c * np.log1p(c / (np.maximum(types, 1.0) * p_lo[row, at]))
        score[at] = np.maximum(score[at], cost)
    return keys, score


def train(news: list[str], fiction: list[str]) -> PairLM:
    vocab = build_vocab([news, fiction])
    table = build_code_table(vocab)
    print(f"vocabulary: {len(vocab):,} characters")
    ids = [corpus_ids(news, table), corpus_ids(fiction, table)]
    unigram = np.stack([np.bincount(x, minlength=len(vocab) + 2) for x in ids]).astype(np.float32)
    unitypes = np.stack([follower_types(x, 1, len(vocab) + 2) for x in ids]).astype(np.float32)
    fps: list[np.ndarray] = []
    qs: list[np.ndarray] = []
    ts: list[np.ndarray] = []
    ctx_types = [followers(x, 1) for x in ids]
    for n in range(2, ORDER + 1):
        lower = PairLM(vocab, unigram, unitypes, fps, qs, ts, [BITS[k] for k in range(2, n)])
        kc = [with_context(lower, kept_ngrams(x, n), n, row) for row, x in enumerate(ids)]
        keys, score = pruning_scores(lower, kc, ctx_types, n)
        candidates = len(keys)
        if len(keys) > KEEP[n]:
            top = np.argsort(-score, kind="stable")[: KEEP[n]]
            print(f"  order {n}: worth of the last key kept {score[top[-1]]:.3g} nats")
            keys, score = keys[np.sort(top)], score[np.sort(top)]
            kc = [(k[np.isin(k, keys, assume_unique=True)], c[np.isin(k, keys, assume_unique=True)])
                  for k, c in kc]
        fol = [followers(x, n) for x in ids] if n < ORDER else None
        # the union of the kept keys is ``keys`` itself: place the most useful first
        fp, q, t = build_tables(kc, n, BITS[n], fol, priority=score)
        if t is not None:
            ts.append(t)
        print(f"  order {n}: candidates {candidates:,}, kept news {len(kc[0][0]):,} "
              f"fiction {len(kc[1][0]):,}; "
              f"placed {np.count_nonzero(fp):,} in {1 << BITS[n]:,} slots")
        fps.append(fp)
        qs.append(q)
        if fol is not None:
            ctx_types = fol
    return PairLM(vocab, unigram, unitypes, fps, qs, ts, [BITS[n] for n in range(2, ORDER + 1)])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", default=None, help="corpora directory (default: cleannews.corpora)")
    ap.add_argument("--broad", default=None, help="broad corpus directory (default: corpora/broad)")
    ap.add_argument("--out", default=str(models_dir()), help="output directory")
    args = ap.parse_args(argv)
    t0 = time.time()
    # the code that trains is the code at the start: a run takes half an hour, and the tree may move
    commit = git_commit()
    news = _texts("news", args.corpora, args.broad)
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
    root = corpora.corpora_dir(args.corpora)
    card = write_card(path, trainer="python -m cleannews.train.fiction_lm", seed=0,
                      corpus=[root / "news-zh.jsonl.gz", root / "fiction-zh.jsonl.gz",
                              *sorted(corpora.broad_dir(args.broad).glob("*.jsonl.gz"))],
                      notes=f"spun news copies: share {SPUN_SHARE}, seed 0 (spun_copies)", commit=commit)
    print(f"wrote {card}")
    print(f"done in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()

"""Train the spin context model from the clean news corpus (train split only).

    python -m cleannews.train.spin_context [--corpora DIR] [--out PATH]

Counts, over every train article, each lexicon form (original and spun forms of
``wordlists/spin_lexicon.tsv``) with its one- and two-character left and right
neighbours, plus all character unigrams and bigrams, and each form's occurrences in
the clean fiction corpus (train books); keeps the context counts
seen at least twice.  It also counts, for every form, the Chinese character bigrams of
its *wider* context (:data:`~cleannews.spin.context.WINDOW` characters beyond the two
next to it on either side: the topic of the sentence, 涌现…创新成果 vs. 出现…问题),
kept from :data:`MIN_WINDOW_COUNT` on.  Writes ``cleannews/models/spin_context.npz``
(see :mod:`cleannews.spin.context`).  Retrain after adding forms to the lexicon.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np

from cleannews import corpora
from cleannews.modelfile import write_card
from cleannews.resources import models_dir
from cleannews.script import cjk_mask, code_points, to_simplified
from cleannews.spin.context import LEFT_WINDOW, MODEL_FILE, RIGHT_WINDOW, fold_for_context, form_key
from cleannews.spin.lexicon import load_lexicon, trie_regex

MIN_CONTEXT_COUNT = 2
MIN_BIGRAM_COUNT = 2
#: (form, wider-context bigram) counts are kept from this count on...
MIN_WINDOW_COUNT = 3
#: ...raised until at most this many remain (keeps the model file well under 25 MB).
MAX_WINDOW_KEYS = 1_200_000


def count_forms(texts: list[str], forms: set[str], contexts: bool = True, kind: str = "F") -> Counter:
    """(type, context, form) → count over the texts, every occurrence of every form."""
    regex = trie_regex(sorted(forms))
    counts: Counter = Counter()
    for text in texts:
        for m in regex.finditer(text):
            i = m.start()
            longest = m.group(1)
            for length in range(len(longest), 0, -1):
                form = longest[:length]
                if form not in forms:
                    continue
                j = i + length
                counts[kind, "", form] += 1
                if not contexts:
                    continue
                if i >= 1:
                    counts["L1", text[i - 1], form] += 1
                    if i >= 2:
                        counts["L2", text[i - 2 : i], form] += 1
                if j < len(text):
                    counts["R1", text[j], form] += 1
                    if j + 1 < len(text):
                        counts["R2", text[j : j + 2], form] += 1
    return counts


def count_chars(texts: list[str]) -> tuple[np.ndarray, np.ndarray, int]:
    """Sorted keys and counts of character unigrams and bigrams (see ``char_key``)."""
    keys_parts = []
    total = 0
    for start in range(0, len(texts), 5000):
        blob = "\n".join(texts[start : start + 5000]) + "\n"
        codes = code_points(blob).astype(np.uint64)
        total += len(codes)
        keys_parts.append(codes << np.uint64(21))
        keys_parts.append((codes[:-1] << np.uint64(21)) | codes[1:])
    keys, counts = np.unique(np.concatenate(keys_parts), return_counts=True)
    is_unigram = (keys & np.uint64((1 << 21) - 1)) == 0
    keep = is_unigram | (counts >= MIN_BIGRAM_COUNT)
    return keys[keep], np.minimum(counts[keep], 2**32 - 1).astype(np.uint32), total


def _cjk(codes: np.ndarray) -> np.ndarray:
    """The characters whose bigrams the model counts (see :func:`cleannews.spin.context.is_unified`)."""
    return cjk_mask(codes, extension_a=False, compatibility=False)


def window_counts(texts: list[str], forms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted :func:`window_key` keys and counts: for every occurrence of every form, the
    Chinese bigrams lying wholly within :data:`~cleannews.spin.context.WINDOW` characters beyond
    the two next to it, on each side (a bigram seen twice in one window counts twice)."""
    form_id = {f: i for i, f in enumerate(forms)}
    regex = trie_regex(forms)
    left, right = LEFT_WINDOW, RIGHT_WINDOW  # bigram starts relative to a form's start / end
    parts_k: list[np.ndarray] = []
    parts_c: list[np.ndarray] = []
    pending: list[np.ndarray] = []

    def flush() -> None:
        if pending:
            k, c = np.unique(np.concatenate(pending), return_counts=True)
            parts_k.append(k)
            parts_c.append(c.astype(np.uint32))
            pending.clear()

    for n, text in enumerate(texts):
        starts, ends, fids = [], [], []
        for m in regex.finditer(text):
            i, longest = m.start(), m.group(1)
            for length in range(len(longest), 0, -1):
                fid = form_id.get(longest[:length])
                if fid is not None:
                    starts.append(i)
                    ends.append(i + length)
                    fids.append(fid)
        if not starts or len(text) < 2:
            continue
        codes = code_points(text).astype(np.int64)
        ok = _cjk(codes)
        big = (codes[:-1] << 21) | codes[1:]
        big_ok = ok[:-1] & ok[1:]
        pos = np.concatenate([np.asarray(starts)[:, None] + left, np.asarray(ends)[:, None] + right], axis=1)
        fid = np.broadcast_to(np.asarray(fids, dtype=np.int64)[:, None], pos.shape)
        valid = (pos >= 0) & (pos < len(big))
        pos, fid = pos[valid], fid[valid]
        keep = big_ok[pos]
        pending.append(((fid[keep] << 42) | big[pos[keep]]).astype(np.uint64))
        if n % 2000 == 1999:
            flush()
    flush()
    keys = np.concatenate(parts_k)
    counts = np.concatenate(parts_c).astype(np.int64)
    keys, inverse = np.unique(keys, return_inverse=True)
    counts = np.bincount(inverse, weights=counts).astype(np.int64)
    floor = MIN_WINDOW_COUNT
    while np.count_nonzero(counts >= floor) > MAX_WINDOW_KEYS:
        floor += 1
    keep = counts >= floor
    print(f"wider context: {len(keys)} (form, bigram) pairs, {np.count_nonzero(keep)} kept (from {floor})")
    return keys[keep], np.minimum(counts[keep], 2**16 - 1).astype(np.uint16)


def training_texts(corpora_root: str | None = None, broad_root: str | None = None,
                   use_broad: bool = False) -> tuple[list[str], list[Path]]:
    """The clean text the counts are taken from, folded as pages are read, and its files.

    The news train split (97% broadcast news) and, unless ``use_broad`` is false, the
    train split of the repository's broad corpus (``corpora/broad``: web news of every
    section, Taiwanese and Hong Kong news, technical docs, features).  Pages are decided on
    their Simplified view, so Traditional documents are counted through the same
    character-level conversion (:func:`cleannews.script.to_simplified`).
    """
    texts = [fold_for_context(doc["text"]) for doc in corpora.news("train", corpora_root)]
    root = corpora.corpora_dir(corpora_root)
    files = [root / "news-zh.jsonl.gz", root / "fiction-zh.jsonl.gz"]
    if use_broad:
        folder = corpora.broad_dir(broad_root)
        broad = [fold_for_context(to_simplified(doc["text"]))
                 for doc in corpora.broad("train", broad_root)]
        size = sum(map(len, broad)) / 1e6
        print(f"broad corpus {folder}: {len(broad)} train documents, {size:.1f} M chars")
        texts += broad
        files += sorted(folder.glob("*.jsonl.gz"))
    return texts, files


def train(corpora_root: str | None = None, out: Path | None = None, broad_root: str | None = None,
          use_broad: bool = False) -> Path:
    t0 = time.time()
    texts, files = training_texts(corpora_root, broad_root, use_broad)
    print(f"{len(texts)} train documents, {sum(map(len, texts)) / 1e6:.1f} M chars ({time.time() - t0:.1f}s)")
    forms = load_lexicon().forms()
    counts = count_forms(texts, forms)
    print(f"{len(forms)} forms, {len(counts)} form contexts ({time.time() - t0:.1f}s)")
    # how often each form occurs in clean *fiction* (train books): a form novels use is a
    # real word even when news never has it (晓得, 用饭), so it cannot be a spin marker
    fiction = [fold_for_context(doc["text"]) for doc in corpora.fiction("train", corpora_root)]
    counts.update(count_forms(fiction, forms, contexts=False, kind="FF"))
    print(f"{len(fiction)} fiction train chunks counted ({time.time() - t0:.1f}s)")
    items = [(form_key(*k), v) for k, v in counts.items() if k[0] in ("F", "FF") or v >= MIN_CONTEXT_COUNT]
    items.sort()
    form_keys = np.array([k for k, _ in items], dtype=np.uint64)
    form_counts = np.array([min(v, 2**32 - 1) for _, v in items], dtype=np.uint32)
    char_keys, char_counts, total = count_chars(texts)
    print(f"{len(form_keys)} form keys, {len(char_keys)} char keys ({time.time() - t0:.1f}s)")
    window_forms = sorted(forms)
    w_keys, w_counts = window_counts(texts, window_forms)
    print(f"{len(w_keys)} wider-context keys ({time.time() - t0:.1f}s)")
    out = out or models_dir() / MODEL_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, form_keys=form_keys, form_counts=form_counts, char_keys=char_keys,
                        char_counts=char_counts, total_chars=np.int64(total),
                        window_forms=np.array(window_forms), window_keys=w_keys, window_counts=w_counts)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {time.time() - t0:.1f}s)")
    card = write_card(out, trainer="python -m cleannews.train.spin_context", seed=None, corpus=files,
                      params={"broad": use_broad, "train_chars": int(sum(map(len, texts)))},
                      notes="counts over the train splits of news"
                      + (" and the broad corpus" if use_broad else "")
                      + ", fiction counted for forms only (no sampling, no seed)")
    print(f"wrote {card}")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", help="directory holding news-zh.jsonl.gz (default: ../shared/corpora)")
    parser.add_argument("--broad", help="broad corpus folder (default: corpora/broad)")
    parser.add_argument("--with-broad", action="store_true",
                        help="also count the broad corpus's train split (the shipped model does not yet: "
                             "with it the file is 33 MB, over the 25 MB limit, until the counts are pruned)")
    parser.add_argument("--out", type=Path, help=f"output file (default: cleannews/models/{MODEL_FILE})")
    args = parser.parse_args(argv)
    train(args.corpora, args.out, args.broad, args.with_broad)


if __name__ == "__main__":
    main()

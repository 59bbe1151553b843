"""Fit the weights of the cut score of :mod:`cleannews.fiction.boundary`.

    python -m cleannews.train.fiction_boundary [--docs 800] [--held-out 300] [--skip 0] [--seed 11]

Where exactly a spliced passage ends is decided among a grid of nearby start/end
pairs by a score that adds up evidence terms (:data:`~cleannews.fiction.boundary.CUT_FEATURES`):
the span's likelihood ratio, the news LM reading the rejoined host, punctuation
ownership, quote balance...  How much each term is worth is learned here rather
than set by hand: passages of *tune* novels (train-split books kept out of the
LMs) are spliced into *dev* news articles — one passage per article as
``cleannews.train.fiction_eval`` does, and whole corrupted pages as
``cleannews.train.fiction_pages`` makes them — the filter decodes them, and for
every decoder span whose search grid holds the true cut, a conditional logit
(softmax over the grid's pairs) is fitted to pick the true pair.  The weights are
shrunk towards the hand-set ones (:data:`~cleannews.fiction.boundary.HAND_WEIGHTS`),
so a term the data says little about keeps its reasoned value.  Writes the weights into
the model card ``models/fiction_boundary.json`` and prints the share of exact cuts
before/after on the fitting grids and on held-out grids.
"""

from __future__ import annotations

import argparse

import numpy as np

from cleannews.corpora import corpora_dir
from cleannews.fiction import boundary as B
from cleannews.fiction.passages import fiction_lm
from cleannews.filters.fiction import FictionFilter
from cleannews.modelfile import write_card
from cleannews.resources import Resources
from cleannews.script import to_simplified
from cleannews.train.fiction_eval import build_cases
from cleannews.train.fiction_pages import dev_pages


def grids(items: list[tuple[str, list[tuple[int, int]]]]) -> list[tuple[np.ndarray, int]]:
    """(features of every pair of a search grid, index of the true cut) per decoder span.

    ``items`` are texts with their inserted spans; a decoder span counts when the
    true cut of a span it overlaps lies in its first search grid.
    """
    filt = FictionFilter()
    out: list[tuple[np.ndarray, int]] = []
    for text, gold in items:
        found = filt.decode(to_simplified(text))
        if found is None:
            continue
        scored, rough, _, _ = found
        for start, end in gold:
            for s0, t0 in rough:
                if not (s0 < end and start < t0):
                    continue
                pairs = B.candidate_pairs(scored, s0, t0)
                if pairs is None:
                    continue
                ss, tt, s_all = pairs
                hit = np.flatnonzero((ss == start) & (tt == end))
                if not len(hit):
                    continue
                x = B.pair_features(scored, ss, tt, s_all, s0, t0)
                x[:, 2] = B.join_gains(scored, ss, tt)
                out.append((x, int(hit[0])))
    return out


def items(n_eval: int, n_pages: int, skip: int, seed: int) -> list[tuple[str, list[tuple[int, int]]]]:
    """Spliced dev texts of both generators: single passages (``fiction_eval``), whole corrupted pages."""
    cases = [(c.text, [(c.start, c.end)]) for c in build_cases(n_eval, "tune", seed=seed, skip=skip)]
    pages = [(p.text, p.gold) for p in dev_pages(n_pages, skip=skip, seed=seed) if p.gold]
    return cases + pages


def fit(data: list[tuple[np.ndarray, int]], prior: np.ndarray, l2: float = 0.02, steps: int = 3000,
        lr: float = 0.03) -> np.ndarray:
    """Conditional logit (one softmax per grid) by Adam, with an L2 pull towards ``prior``.

    Scores are divided by the hand-set scale so that each weight starts at 1 (or 0
    for the terms without a hand-set value) and the pull is comparable across terms.
    """
    x = np.concatenate([g for g, _ in data])
    sizes = np.array([len(g) for g, _ in data])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    truth = starts + np.array([k for _, k in data])
    group = np.repeat(np.arange(len(data)), sizes)
    scale = np.where(prior != 0, np.abs(prior), 1.0)
    xs = x * scale
    w = np.sign(prior).astype(float)  # prior / scale
    w0 = w.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, steps + 1):
        z = xs @ w
        zmax = np.maximum.reduceat(z, starts)
        e = np.exp(z - zmax[group])
        p = e / np.add.reduceat(e, starts)[group]
        grad = (xs.T @ p - xs[truth].sum(axis=0)) / len(data) + l2 * (w - w0)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        w -= lr * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return w * scale


def exact_share(data: list[tuple[np.ndarray, int]], w: np.ndarray) -> float:
    return float(np.mean([int(np.argmax(x @ w)) == k for x, k in data])) if data else 0.0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=800, help="dev articles of each kind (fitting)")
    ap.add_argument("--held-out", type=int, default=300, help="further dev articles of each kind (check)")
    ap.add_argument("--skip", type=int, default=0, help="dev articles to skip first")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--l2", type=float, default=0.02)
    args = ap.parse_args(argv)
    fiction_lm()
    train = grids(items(args.docs, args.docs, args.skip, args.seed))
    check = grids(items(args.held_out, args.held_out, args.skip + args.docs, args.seed + 1))
    w = fit(train, B.HAND_WEIGHTS, l2=args.l2)
    w = np.round(w / w[0], 3)  # the span's LLR keeps weight 1: the score reads in nats
    current = Resources.default().cut_weights()
    print(f"grids: {len(train)} fitting, {len(check)} held out")
    for name, data in (("fitting", train), ("held out", check)):
        print(f"  {name}: exact cut hand-set {exact_share(data, B.HAND_WEIGHTS):.3f}, "
              f"current {exact_share(data, current):.3f}, fitted {exact_share(data, w):.3f}")
    for name, hand, val in zip(B.CUT_FEATURES, B.HAND_WEIGHTS, w, strict=True):
        print(f"  {name:20s} {hand:7.2f} -> {val:7.3f}")
    path = write_card(B.CUT_MODEL, trainer="python -m cleannews.train.fiction_boundary", seed=args.seed,
                      corpus=sorted(corpora_dir().glob("*.jsonl.gz")),
                      params={"features": list(B.CUT_FEATURES), "cut_weights": [float(v) for v in w]},
                      notes=f"--docs {args.docs} --held-out {args.held_out} --skip {args.skip} "
                            f"--l2 {args.l2}")
    print(f"written to {path}")


if __name__ == "__main__":
    main()

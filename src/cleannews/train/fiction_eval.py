"""Quick evaluation of the ``fiction`` filter on synthetic insertions.

    python -m cleannews.train.fiction_eval [--docs 400] [--clean 1000] [--threshold T]

Builds cases from held-out data only: passages of 8–200 characters from TEST
novels (``cleannews.corpora.fiction("test")``) spliced into DEV news articles
(``cleannews.corpora.news("dev")``) at a clause start, mid-clause or just before a
sentence end; some cases use half-width punctuation (as spam pages do), some are
converted to Traditional, some hosts are spun with the spin lexicon.  Reports
removed-span character P/R/F1, the share of spans whose cut restores the host
exactly, recall by span length, false removals on clean dev articles and speed.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import time
from dataclasses import dataclass

import numpy as np

from cleannews import corpora
from cleannews.fiction.passages import DECISION_MODEL, THRESHOLD, fiction_lm
from cleannews.filters.fiction import FictionFilter
from cleannews.modelfile import write_card
from cleannews.pipeline import Context
from cleannews.resources import Resources
from cleannews.script import is_cjk
from cleannews.train.fiction_lm import spin_rules, tune_book

_CLAUSE_END = "，。；：！？、"
_HALF = str.maketrans({"，": ",", "？": "?", "！": "!", "：": ":", "；": ";"})


@dataclass
class Case:
    text: str
    host: str
    start: int
    end: int
    mode: str


def _passage(rng: random.Random, chunks: list[str]) -> str:
    """A fiction passage starting at a clause start, 8–200 characters, within one line."""
    while True:
        chunk = rng.choice(chunks)
        lines = [ln for ln in chunk.split("\n") if len(ln) >= 12]
        if not lines:
            continue
        line = rng.choice(lines)
        starts = [0] + [i + 1 for i, ch in enumerate(line[:-8]) if ch in _CLAUSE_END]
        a = rng.choice(starts)
        r = rng.random()
        length = rng.randint(8, 20) if r < 0.35 else rng.randint(20, 60) if r < 0.7 else rng.randint(60, 200)
        b = min(len(line), a + length)
        if rng.random() < 0.5:  # end at a punctuation mark when one is near
            m = re.search(f"[{_CLAUSE_END}”」]", line[b - 1 :])
            if m and m.start() < 20:
                b = b - 1 + m.end()
        passage = line[a:b]
        if len(passage) >= 8:
            return passage


def _cjk(ch: str) -> bool:
    return is_cjk(ch, extension_a=False, compatibility=False)


def _insertion_point(rng: random.Random, host: str, mode: str) -> int | None:
    if mode == "clause":
        cands = [i + 1 for i, ch in enumerate(host) if ch in "，。；！？\n" and i + 1 < len(host)]
    elif mode == "sentence_end":
        cands = [i for i, ch in enumerate(host) if ch == "。" and i > 0]
    else:
        cands = [i for i in range(1, len(host)) if _cjk(host[i - 1]) and _cjk(host[i])]
    return rng.choice(cands) if cands else None


def novel_chunks(novels: str) -> list[str]:
    """``test``: the benchmark's held-out novels; ``tune``: train novels kept out of the LMs."""
    if novels == "test":
        return [d["text"] for d in corpora.fiction("test")]
    return [d["text"] for d in corpora.fiction("train") if tune_book(d["title"])]


def build_cases(n_docs: int, novels: str = "test", seed: int = 1, skip: int = 0) -> list[Case]:
    rng = random.Random(seed)
    chunks = novel_chunks(novels)
    hosts = [d["text"] for d in itertools.islice(corpora.news("dev"), skip, skip + n_docs)]
    rules = spin_rules()
    alternatives = "|".join(re.escape(k) for k in sorted(rules, key=len, reverse=True))
    regex = re.compile(alternatives) if rules else None
    import opencc

    s2t = opencc.OpenCC("s2t")
    cases = []
    for host in hosts:
        mode = rng.choice(["clause", "mid", "sentence_end"])
        passage = _passage(rng, chunks)
        if regex is not None and rng.random() < 0.3:
            host = regex.sub(lambda m: rules[m.group(0)], host)
        if rng.random() < 0.4:
            host, passage = host.translate(_HALF), passage.translate(_HALF)
        if rng.random() < 0.5:
            host, passage = s2t.convert(host), s2t.convert(passage)
        pos = _insertion_point(rng, host, mode)
        if pos is None:
            continue
        cases.append(Case(host[:pos] + passage + host[pos:], host, pos, pos + len(passage), mode))
    return cases


def run(filt: FictionFilter, text: str, options: dict, spam_page: bool = False) -> list[tuple[int, int]]:
    ctx = Context(input_text=text, options=options)
    if spam_page:  # as if the spam filter had removed injected terms from this page
        ctx.scores["spam.removed"] = 1.0
    return [(e.start, e.end) for e in filt.find(text, ctx)]


def candidate_rows(filt: FictionFilter, cases: list[Case], clean: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Features of every candidate span and its label (1: half or more of it inserted)."""
    from cleannews.script import to_simplified

    xs, ys = [], []
    items = [(c.text, c.start, c.end) for c in cases] + [(t, 0, 0) for t in clean]
    for text, a, b in items:
        for cand in filt.candidates(to_simplified(text)):
            c = cand.cut
            if not np.isfinite(c.gain):
                continue
            inter = max(0, min(b, c.end) - max(a, c.start))
            xs.append(cand.features())
            ys.append(float(inter >= (c.end - c.start) / 2))
    return np.array(xs), np.array(ys)


def fit_weights(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 20000) -> np.ndarray:
    """L2-regularised logistic regression by gradient descent (the last column is the bias)."""
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0.0]
        w -= 0.5 * grad
    return w


def fit(filt: FictionFilter, args: argparse.Namespace) -> None:
    """Fit the decision weights on tune novels spliced into the first dev articles."""
    cases = build_cases(args.docs, "tune", skip=0)
    clean = [d["text"] for d in itertools.islice(corpora.news("dev"), args.docs, args.docs + args.clean)]
    x, y = candidate_rows(filt, cases, clean)
    w = np.round(fit_weights(x, y), 3)
    print(f"candidates: {int(y.sum())} inserted, {int(len(y) - y.sum())} not")
    print("weights: [" + ", ".join(f"{v:.3f}" for v in w) + "]")
    if args.write:
        _write_weights(w, "python -m cleannews.train.fiction_eval --fit", args)
    s = x @ w
    for th in (0.0, 1.0, 2.0, 3.0):
        kept_pos, kept_neg = (s[y == 1] > th).mean(), int((s[y == 0] > th).sum())
        print(f"  logit > {th}: inserted kept {kept_pos:.3f}, others kept {kept_neg}")


def fit_quotes(filt: FictionFilter, args: argparse.Namespace) -> None:
    """Choose the weight of the quote term (:attr:`Candidate.quotes`) with the others fixed.

    The other weights stay as they are (``weights`` of ``models/fiction_decision.json``);
    on the fit data, the chosen weight is the one keeping the most inserted candidates
    at the threshold among those that keep no more of the others than without the term.
    """
    weights = Resources.default().fiction_params().weights
    cases = build_cases(args.docs, "tune", skip=0)
    clean = [d["text"] for d in itertools.islice(corpora.news("dev"), args.docs, args.docs + args.clean)]
    x, y = candidate_rows(filt, cases, clean)
    col = len(weights) - 2  # the quote term comes just before the bias
    base = x @ weights - x[:, col] * weights[col]
    allowed = int((base[y == 0] >= THRESHOLD).sum())
    best = (0.0, int((base[y == 1] >= THRESHOLD).sum()))
    for c in np.arange(0.0, 10.01, 0.5):
        s = base + c * x[:, col]
        kept, others = int((s[y == 1] >= THRESHOLD).sum()), int((s[y == 0] >= THRESHOLD).sum())
        print(f"  quote weight {c:4.1f}: inserted kept {kept}, others kept {others}")
        if others <= allowed and kept > best[1]:
            best = (float(c), kept)
    print(f"candidates: {int(y.sum())} inserted, {int(len(y) - y.sum())} not; others allowed: {allowed}")
    print(f"quote weight = {best[0]} (inserted kept: {best[1]})")
    if args.write:
        chosen = weights.copy()
        chosen[col] = best[0]
        _write_weights(chosen, "python -m cleannews.train.fiction_eval --fit-quotes", args)


def _write_weights(weights: np.ndarray, trainer: str, args: argparse.Namespace) -> None:
    """Store the strict model's weights in the decision's model card (its other parameters kept)."""
    import dataclasses

    params = dataclasses.replace(Resources.default().fiction_params(), weights=np.asarray(weights))
    path = write_card(DECISION_MODEL, trainer=trainer, seed=None,
                      corpus=sorted(corpora.corpora_dir().glob("*.jsonl.gz")), params=params.to_card(),
                      notes=f"weights from {trainer} --docs {args.docs} --clean {args.clean}; "
                            "page_weights, page_bar, page_gate kept from the previous card")
    print(f"written to {path}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=400, help="synthetic cases (one per dev article)")
    ap.add_argument("--clean", type=int, default=1000, help="clean dev articles for false removals")
    ap.add_argument("--threshold", type=float, default=None, help="fiction_threshold option")
    ap.add_argument("--show", type=int, default=0, help="print this many wrong cases")
    ap.add_argument("--novels", choices=["test", "tune"], default="test",
                    help="test: held-out benchmark novels; tune: train novels kept out of the LMs")
    ap.add_argument("--skip", type=int, default=1200,
                    help="dev articles to skip first (the first 1200 are used to fit the decision)")
    ap.add_argument("--spam-page", action="store_true",
                    help="score every text as a page with spam evidence (the page prior applies)")
    ap.add_argument("--fit", action="store_true",
                    help="fit the decision weights (tune novels, dev articles before --skip) and exit")
    ap.add_argument("--fit-quotes", action="store_true",
                    help="choose the quote term's weight with the other weights fixed, and exit")
    ap.add_argument("--write", action="store_true",
                    help="with --fit / --fit-quotes: write the weights into models/fiction_decision.json")
    args = ap.parse_args(argv)
    options = {} if args.threshold is None else {"fiction_threshold": args.threshold}
    filt = FictionFilter()
    fiction_lm()
    if args.fit:
        fit(filt, args)
        return
    if args.fit_quotes:
        fit_quotes(filt, args)
        return
    cases = build_cases(args.docs, args.novels, skip=args.skip)

    tp = fp = fn = 0
    exact = 0
    by_len: dict[str, list[int]] = {}
    by_mode: dict[str, list[int]] = {}
    shown = 0
    for case in cases:
        spans = run(filt, case.text, options, args.spam_page)
        removed = set()
        for s, t in spans:
            removed.update(range(s, t))
        truth = set(range(case.start, case.end))
        tp += len(removed & truth)
        fp += len(removed - truth)
        fn += len(truth - removed)
        cleaned = "".join(ch for i, ch in enumerate(case.text) if i not in removed)
        ok = cleaned == case.host
        exact += ok
        n = case.end - case.start
        bucket = "8-12" if n <= 12 else "13-20" if n <= 20 else "21-60" if n <= 60 else "61-200"
        found = len(removed & truth) >= n / 2
        by_len.setdefault(bucket, []).append(found)
        by_mode.setdefault(case.mode, []).append(ok)
        if not ok and shown < args.show:
            shown += 1
            a, b = case.start, case.end
            t = case.text
            print(f"--- {case.mode} truth={t[max(0, a - 10):a]}[{t[a:b]}]{t[b:b + 10]}")
            for s, t in spans:
                print(f"    got {case.text[max(0, s - 10):s]}[{case.text[s:t]}]{case.text[t:t + 10]}")
    prec = tp / max(1, tp + fp)
    rec = tp / max(1, tp + fn)
    f1 = 2 * prec * rec / max(1e-9, prec + rec)
    print(f"cases {len(cases)}: char P {prec:.3f} R {rec:.3f} F1 {f1:.3f}; "
          f"exact (host restored) {exact / max(1, len(cases)):.3f}")
    def rates(groups: dict[str, list[int]]) -> str:
        return ", ".join(f"{k} {sum(v) / len(v):.2f} (n={len(v)})" for k, v in groups.items())

    ordered = dict(sorted(by_len.items(), key=lambda kv: int(kv[0].split("-")[0])))
    print("  found (>=50% removed) by length: " + rates(ordered))
    print("  exact by insertion point: " + rates(by_mode))
    # false removals and speed on clean articles (skipping the hosts used above)
    clean = [d["text"] for d in itertools.islice(corpora.news("dev"), args.skip + args.docs,
                                                    args.skip + args.docs + args.clean)]
    flagged = 0
    t0 = time.perf_counter()
    for text in clean:
        spans = run(filt, text, options, args.spam_page)
        if spans:
            flagged += 1
            if args.show:
                for s, t in spans:
                    print(f"FALSE: {text[max(0, s - 15):s]}[{text[s:t]}]{text[t:t + 15]}")
    dt = time.perf_counter() - t0
    mb = sum(len(t.encode("utf-8")) for t in clean) / 1e6
    print(f"clean dev articles: {flagged} of {len(clean)} with a removal; "
          f"speed {mb / dt:.1f} MB/s ({mb:.1f} MB UTF-8 in {dt:.2f}s)")


if __name__ == "__main__":
    main()

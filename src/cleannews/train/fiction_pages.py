"""Corrupted dev pages with known fiction spans, as the ``fiction`` filter receives them.

    python -m cleannews.train.fiction_pages [--pages 700] [--skip 1700] [--seed 9]

evaluates the filter on such pages (removed-character P/R/F1, spans cut exactly, short
spans found, pages without fiction that lost text); the first 1600 dev articles are
those the decision is fitted and its bar chosen on (``fiction_decision``).

Real spam pages carry spam terms and spun text along with the spliced novel
passages, and the filter's decision leans on that (the page prior).  To fit its
weights on such pages without touching the benchmark's test split, this module
corrupts *dev* news articles (``cleannews.corpora.news("dev")``) with passages of
*tune* novels (train-split books kept out of the LMs, ``fiction_lm.tune_book``)
using the benchmark's own generator (:mod:`cleannews.bench.corrupt`), then runs the
filters that precede ``fiction`` (spam, spinning) and maps each inserted span to
the text ``fiction`` reads.
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from dataclasses import dataclass, field

from cleannews import corpora
from cleannews.bench import build as bench_build
from cleannews.bench import corrupt as C
from cleannews.edits import Edit, apply_edits
from cleannews.evidence import PageEvidence
from cleannews.fiction.passages import DecisionParams
from cleannews.offsets import Alignment
from cleannews.pipeline import Context, sorted_edits
from cleannews.registry import create_many
from cleannews.resources import Resources
from cleannews.train.fiction_lm import tune_book


@dataclass
class Page:
    text: str  # what the fiction filter reads
    input_text: str  # the corrupted page
    scores: dict[str, float]  # what the earlier filters left in ``ctx.scores``
    gold: list[tuple[int, int]] = field(default_factory=list)  # fiction spans in ``text``
    evidence: PageEvidence = field(default_factory=PageEvidence)  # what they left in ``ctx.evidence``
    to_input: Alignment | None = None  # offsets of ``text`` → ``input_text``

    def context(self, options: dict | None = None) -> Context:
        ctx = Context(input_text=self.input_text, options=dict(options or {}),
                      evidence=PageEvidence(self.evidence.spam_terms, self.evidence.spin_markers),
                      to_input=self.to_input)
        ctx.scores.update(self.scores)
        return ctx


def _shift(pos: int, edits: list[Edit]) -> int:
    """Where input position ``pos`` lands once ``edits`` are applied (edits ending at or before it)."""
    return pos + sum(len(e.after) - (e.end - e.start) for e in edits if e.end <= pos)


def dev_pages(n_docs: int, skip: int = 0, seed: int = 5, join: int = 1) -> list[Page]:
    """``n_docs`` corrupted dev articles (after ``skip``), as the fiction filter would see them.

    ``join`` > 1 makes long pages: that many consecutive corrupted articles, one a line
    (the filter must not lose passages because a page is long).
    """
    lex_path = bench_build.spin_lexicon_source()
    pairs = bench_build.read_spin_pairs(lex_path)
    table: dict[str, list[str]] = {}
    for o, s, _ in pairs:
        table.setdefault(o, []).append(s)
    held_out = frozenset((o, s) for o, s, k in pairs
                         if k != "char" and len(o) > 1 and bench_build.is_held_out(o, s, 15))
    lexicon = C.SpinDictionary({k: tuple(v) for k, v in table.items()}, held_out, frozenset(),
                               frozenset((o, s) for o, s, k in pairs if k == "char"))
    fiction = C.Fiction([(d["title"], d["text"]) for d in corpora.fiction("train") if tune_book(d["title"])])
    spam = bench_build.spam_terms()
    filters = create_many(["spam", "spinning"])
    resources = Resources.default().holding_out(held_out)
    pages = []
    switches = {"spin": True, "traditional": True, "fiction": True, "spam": True}
    articles = (d for d in corpora.news("dev") if len(d["text"]) >= 80)
    corrupted_docs = []
    for doc in itertools.islice(articles, skip, skip + n_docs):
        rng = random.Random(f"{seed}:{doc['id']}")
        plan = C.draw_plan(rng, switches, (0.6, 1.0))
        _, corrupted, ops = C.corrupt(doc["text"], plan, rng, lexicon=lexicon, fiction=fiction, spam=spam,
                                      bounds=frozenset())
        corrupted_docs.append((corrupted, [[o.start, o.end] for o in ops if o.type == "fiction"]))
    for i in range(0, len(corrupted_docs), join):
        corrupted, gold = "", []
        for text, spans in corrupted_docs[i : i + join]:
            corrupted += ("\n" if corrupted else "") + text
            at = len(corrupted) - len(text)
            gold += [[s + at, t + at] for s, t in spans]
        ctx = Context(input_text=corrupted, resources=resources)
        cur = corrupted
        to_input = Alignment.identity(len(cur))
        for filt in filters:
            ctx.to_input = to_input
            found = sorted_edits(cur, filt.find(cur, ctx))
            gold = [[_shift(s, found), _shift(t, found)] for s, t in gold]
            to_input = to_input.then(Alignment.from_edits(len(cur), found))
            cur = apply_edits(cur, found)
        spans = [(s, t) for s, t in gold]
        pages.append(Page(cur, corrupted, dict(ctx.scores), spans, ctx.evidence, to_input))
    return pages


def evaluate(pages: list[Page], params: DecisionParams | None = None) -> dict[str, float]:
    """The ``fiction`` filter on corrupted pages: character P/R/F1 of what it removes, the
    share of inserted spans cut exactly, short spans (at most 10 characters) at least half
    removed, and pages without inserted fiction that lost text.  ``params``: the decision's
    parameters (default: the shipped ones)."""
    from cleannews.filters.fiction import FictionFilter

    filt = FictionFilter(params)
    tp = fp = gold = exact = spans = short = short_found = harmed = 0
    for page in pages:
        truth = {i for s, t in page.gold for i in range(s, t)}
        cuts = {(e.start, e.end) for e in filt.find(page.text, page.context())}
        removed = {i for s, t in cuts for i in range(s, t)}
        tp, fp, gold = tp + len(removed & truth), fp + len(removed - truth), gold + len(truth)
        exact, spans = exact + len(cuts & set(page.gold)), spans + len(page.gold)
        for s, t in page.gold:
            if t - s <= 10:
                short += 1
                short_found += len(removed.intersection(range(s, t))) >= (t - s) / 2
        harmed += bool(cuts) and not page.gold
    p, r = tp / max(1, tp + fp), tp / max(1, gold)
    return {"pages": len(pages), "spans": spans, "precision": p, "recall": r,
            "f1": 2 * p * r / max(1e-9, p + r), "exact": exact / max(1, spans),
            "short_found": short_found / max(1, short), "short": short,
            "pages_without_fiction_changed": harmed}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=700, help="corrupted dev pages")
    ap.add_argument("--skip", type=int, default=1700, help="dev articles (of at least 80 characters) to skip")
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--join", type=int, default=1,
                    help="articles per page, one a line (long pages: the same articles, fewer pages)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    pages = dev_pages(args.pages, skip=args.skip, seed=args.seed, join=args.join)
    m = evaluate(pages)
    print(f"pages {m['pages']}, inserted spans {m['spans']}: char P {m['precision']:.4f} R {m['recall']:.4f} "
          f"F1 {m['f1']:.4f}; cut exactly {m['exact']:.4f}; spans <=10 chars found "
          f"{m['short_found']:.3f} (n={m['short']}); pages without fiction changed "
          f"{m['pages_without_fiction_changed']} ({time.perf_counter() - t0:.0f}s)")


if __name__ == "__main__":
    main()

"""Calibrate the spin page gate (``models/spin_gate.json``) on clean text only.

    python -m cleannews.train.spin_gate [--bias-docs 3000] [--docs 1000] [--margin 6]

Two steps, both on clean text, none on spun text:

1. **Bias per spun form.**  Over clean *train* documents of every kind the tool meets
   (the news train split, the broad corpus's train split — Taiwanese and Hong Kong news,
   technical docs, features — and clean fiction from train books), the mean capped log
   ratio of each spun form's slots (:func:`cleannews.spin.gate.raw_slot_llr`), shrunk
   towards zero by :data:`SHRINK` pseudo-occurrences and never below zero.  A form whose
   clean occurrences read as spun on average (任务 beside 工作 in a novel, 当局 in Taiwanese
   news) gives a spun page only what its slots say beyond that.
2. **Threshold.**  Over clean *dev* documents (news dev split, broad dev split, fiction
   chunks of other books than step 1 saw, and ``../shared/dev/clean_tricky``), the
   evidence of each document's best region; the threshold is the highest of them plus
   ``--margin`` nats, and never below ``--floor``.

Then the evidence of real spun text (``../shared/dev/spun``, ``dev/pages``, the seed) is
printed for information: it is not used to set anything.
"""

from __future__ import annotations

import argparse
import time
from itertools import islice
from pathlib import Path

from cleannews import corpora
from cleannews.modelfile import write_card
from cleannews.resources import Resources, models_dir
from cleannews.spin.gate import MODEL, GateParams
from cleannews.spin.restore import page_regions, slot_llrs

#: pseudo-occurrences (of log ratio 0) a form's clean mean is shrunk with.
SHRINK = 5.0
#: standard deviations of clean evidence per √term the bar rises by (``spread``).
Z = 2.0


class _Fixed(Resources):
    """A set-up whose gate parameters are the ones being calibrated (not the shipped file)."""

    def __init__(self, params: GateParams) -> None:
        super().__init__()
        self._files["spin_gate"] = params


def form_bias(docs: list[str], resources: Resources) -> tuple[dict[str, float], float]:
    """(per spun form: its clean slots' mean log ratio, shrunk by :data:`SHRINK`, when above 0;
    the standard deviation of a clean slot's log ratio once its form's bias is taken off)."""
    values: dict[str, list[float]] = {}
    for text in docs:
        for form, v in slot_llrs(text, resources):
            values.setdefault(form, []).append(v)
    bias = {f: round(sum(v) / (len(v) + SHRINK), 3) for f, v in sorted(values.items()) if sum(v) > 0}
    residual = [x - bias.get(f, 0.0) for f, v in values.items() for x in v]
    sd = (sum(x * x for x in residual) / max(1, len(residual))) ** 0.5
    return bias, sd


def best_excess(text: str, resources: Resources) -> float:
    """The most evidence a region of ``text`` has beyond its spread term (``llr − spread·√terms``)."""
    params = resources.spin_gate()
    found = page_regions(text, resources)
    return max((r.llr - params.bar(r.terms) + params.threshold for r in found), default=0.0)


def report(name: str, docs: list[str], resources: Resources, threshold: float, show: int,
           explain: int = 0) -> list[float]:
    scored = sorted(((best_excess(t, resources), len(t), t[:40].replace("\n", " ")) for t in docs),
                    reverse=True)
    over = sum(1 for s, _, _ in scored if s >= threshold)
    print(f"{name}: {len(docs)} documents, {over} at or over the threshold ({threshold:.1f})")
    for s, n, head in scored[:show]:
        print(f"   {s:7.1f}  {n:6d} chars  {head}")
    if explain:
        params = resources.spin_gate()
        for text in sorted(docs, key=lambda t: -best_excess(t, resources))[:explain]:
            parts = [f"{f}:{v - params.bias.get(f, 0.0):+.1f}" for f, v in slot_llrs(text, resources)]
            print("     slots:", " ".join(p for p in parts if not p.split(":")[1].startswith("-")))
    return [s for s, _, _ in scored]


def _fiction_halves(n: int) -> tuple[list[str], list[str]]:
    """Clean fiction of train books: chunks of alternate books for the bias and for the threshold."""
    first: list[str] = []
    second: list[str] = []
    titles: dict[str, int] = {}
    for doc in corpora.fiction("train"):
        side = titles.setdefault(doc["title"], len(titles) % 2)
        target = first if side == 0 else second
        if len(target) < n:
            target.append(doc["text"])
        if len(first) >= n and len(second) >= n:
            break
    return first, second


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bias-docs", type=int, default=3000, help="clean train documents per corpus (bias)")
    parser.add_argument("--docs", type=int, default=1000, help="clean dev documents per set (threshold)")
    parser.add_argument("--rate", type=float, default=GateParams.rate, help="spinner rate ρ of the evidence")
    parser.add_argument("--slot-cap", type=float, default=GateParams.slot_cap,
                        help="nats a slot gives at most")
    parser.add_argument("--form-cap", type=float, default=GateParams.form_cap,
                        help="nats a form gives at most")
    parser.add_argument("--marker-cap", type=float, default=GateParams.marker_cap,
                        help="nats a marker gives at most")
    parser.add_argument("--z", type=float, default=Z, help="standard deviations per √term of the bar")
    parser.add_argument("--margin", type=float, default=6.0, help="nats above the highest clean document")
    parser.add_argument("--floor", type=float, default=10.0, help="lowest threshold allowed")
    parser.add_argument("--show", type=int, default=5, help="highest documents shown per set")
    parser.add_argument("--explain", type=int, default=0,
                        help="list the slots of the highest clean documents")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the model file")
    args = parser.parse_args(argv)
    t0 = time.time()
    base = GateParams(rate=args.rate, slot_cap=args.slot_cap, form_cap=args.form_cap,
                      marker_cap=args.marker_cap)
    fiction_bias, fiction_dev = _fiction_halves(max(args.bias_docs // 5, args.docs))
    bias_docs = ([d["text"] for d in islice(corpora.news("train"), args.bias_docs)]
                 + [d["text"] for d in islice(corpora.broad("train"), args.bias_docs)]
                 + fiction_bias[: args.bias_docs // 5])
    bias, sd = form_bias(bias_docs, _Fixed(base))
    spread = round(args.z * sd, 3)
    print(f"bias: {len(bias)} spun forms from {len(bias_docs)} clean train documents, "
          f"residual sd {sd:.3f} nats -> spread {spread} ({time.time() - t0:.0f}s)")
    shown = sorted(bias.items(), key=lambda kv: -kv[1])[:15]
    print("   highest:", " ".join(f"{f}={v:.2f}" for f, v in shown))
    biased = GateParams(base.rate, base.slot_cap, base.form_cap, base.marker_cap, 0.0, spread, bias)
    resources = _Fixed(biased)
    dev = corpora.corpora_dir().parent / "dev"
    clean_sets = {
        "news dev": [d["text"] for d in islice(corpora.news("dev"), args.docs)],
        "broad dev": [d["text"] for d in islice(corpora.broad("dev"), args.docs)],
        "fiction (other train books)": fiction_dev[: args.docs],
        "dev/clean_tricky": [p.read_text(encoding="utf-8")
                             for p in sorted((dev / "clean_tricky").glob("[0-9]*.txt"))],
    }
    top = 0.0
    for name, docs in clean_sets.items():
        if docs:
            top = max(top, max(report(name, docs, resources, base.threshold, args.show, args.explain)))
    threshold = round(max(args.floor, top + args.margin), 1)
    print(f"highest clean document: {top:.1f} nats -> threshold {threshold} ({time.time() - t0:.0f}s)")
    params = GateParams(base.rate, base.slot_cap, base.form_cap, base.marker_cap, threshold, spread, bias)
    resources = _Fixed(params)
    for sub in ("spun", "pages"):
        paths = sorted((dev / sub).glob("[0-9]*.txt"))
        if paths:
            report(f"dev/{sub} (not used for calibration)", [p.read_text(encoding="utf-8") for p in paths],
                   resources, threshold, len(paths))
    seed = Path(__file__).resolve().parents[3] / "seeds" / "000_6bc4e7bd4ee97ca6.txt"
    if seed.is_file():
        report("seed (not used for calibration)", [seed.read_text(encoding="utf-8")], resources, threshold, 1)
    if args.dry_run:
        return
    root = corpora.corpora_dir()
    files = [root / "news-zh.jsonl.gz", root / "fiction-zh.jsonl.gz",
             *sorted(corpora.broad_dir().glob("*.jsonl.gz"))]
    card = write_card(MODEL, trainer="python -m cleannews.train.spin_gate", seed=None, corpus=files,
                      params={"rate": params.rate, "slot_cap": params.slot_cap, "form_cap": params.form_cap,
                              "marker_cap": params.marker_cap,
                              "threshold": threshold, "spread": spread, "z": args.z, "margin": args.margin,
                              "shrink": SHRINK, "bias_docs": len(bias_docs),
                              "dev_docs": {k: len(v) for k, v in clean_sets.items()},
                              "highest_clean": round(top, 2), "bias": bias},
                      notes="bias: clean train documents (news, broad corpus, fiction of alternate "
                            "train books); threshold: highest clean dev document + margin; no spun text used")
    print(f"wrote {card} ({models_dir()})")


if __name__ == "__main__":
    main()

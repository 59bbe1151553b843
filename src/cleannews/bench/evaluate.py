"""Run the cleaner over a built benchmark and aggregate the metrics.

The cleaner runs as ``Pipeline(filters, resources=Resources.default().holding_out(held_out_pairs))``
so the held-out lexicon pairs stay unknown to it.  Filters that are not installed
(``cleannews.registry.available()``) are reported as "filter not available" and
simply not run.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from cleannews.bench import metrics as M
from cleannews.resources import read_table
from cleannews.script import to_simplified

#: the filters the benchmark knows how to score, in pipeline order.
SCORED = ("spam", "spinning", "fiction")
#: a repaired article counts as "restored" when its CER is at most this.
RESTORED_CER = 0.02

# --------------------------------------------------------------------------- the cleaner, per process

_PIPELINE = None


class TimedFilter:
    """A filter wrapper that adds up the time spent in ``find`` (to show where time goes)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.description = inner.description
        # the wrapped filter's declarations, so the pipeline orders and feeds it the same way
        self.produces = getattr(inner, "produces", frozenset())
        self.consumes = getattr(inner, "consumes", frozenset())
        if hasattr(inner, "Options"):
            self.Options = inner.Options
        self.seconds = 0.0

    def find(self, text: str, ctx: Any) -> list:
        t0 = time.perf_counter()
        try:
            return self.inner.find(text, ctx)
        finally:
            self.seconds += time.perf_counter() - t0


def make_pipeline(filters: Sequence[str], spin_exclude: frozenset[tuple[str, str]]):
    from cleannews.pipeline import Pipeline
    from cleannews.registry import create_many
    from cleannews.resources import Resources

    timed = [TimedFilter(f) for f in create_many(list(filters))]
    return Pipeline(timed, resources=Resources.default().holding_out(spin_exclude))


def filter_seconds() -> dict[str, float]:
    """Seconds spent in each filter's ``find`` by this process's pipeline so far."""
    return {f.name: f.seconds for f in _PIPELINE.filters} if _PIPELINE is not None else {}


def init_worker(filters: Sequence[str], spin_exclude: frozenset[tuple[str, str]], warm_text: str) -> None:
    """Pool initializer: build the pipeline and load its resources once per worker."""
    global _PIPELINE
    _PIPELINE = make_pipeline(filters, spin_exclude)
    _PIPELINE.run(warm_text)


def clean_one(text: str) -> tuple[str, list[dict[str, Any]], str | None]:
    """Clean one text with this process's pipeline: (cleaned, steps as plain dicts, error).

    A document on which the pipeline raises is kept unchanged and its error is
    reported (and counted) instead of stopping the whole benchmark.
    """
    assert _PIPELINE is not None, "init_worker was not called"
    try:
        result = _PIPELINE.run(text)
    except Exception as exc:  # a filter bug must show up in the figures, not abort them
        return text, [], f"{type(exc).__name__}: {exc}"[:300]
    steps = [{"start": s.start, "end": s.end, "before": s.before, "after": s.after, "filter": s.filter}
             for s in result.steps()]
    return result.cleaned, steps, None


def probe_filters(names: Sequence[str], spin_exclude: frozenset[tuple[str, str]],
                  samples: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """Split filters into those that run and those that fail to load or to clean ``samples``."""
    ok: list[str] = []
    failed: dict[str, str] = {}
    for name in names:
        try:
            pipeline = make_pipeline([name], spin_exclude)
            for text in samples:
                pipeline.run(text)
        except Exception as exc:  # reported as "filter failed" in the tables
            failed[name] = f"{type(exc).__name__}: {exc}"[:200]
        else:
            ok.append(name)
    return ok, failed


def warm(_: Any) -> None:
    time.sleep(0.2)


# --------------------------------------------------------------------------- baselines


@cache
def _drop_regex() -> re.Pattern[str]:
    """Keyword document filter: any spam term or unambiguous spin marker (Simplified view)."""
    words = {to_simplified(r[0]) for r in read_table("spam_terms.txt")}
    words |= {r[0] for r in read_table("spin_markers.txt")}
    alts = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in alts), re.IGNORECASE)


def keyword_drop(text: str) -> bool:
    return _drop_regex().search(to_simplified(text)) is not None


# --------------------------------------------------------------------------- aggregation


def available_filters(requested: Sequence[str]) -> tuple[list[str], list[str]]:
    from cleannews.registry import available

    have = available()
    return [f for f in requested if f in have], [f for f in requested if f not in have]


def score(records: Sequence[dict[str, Any]], outputs: Sequence[tuple], meta: dict[str, Any],
          ran: Sequence[str], missing: Sequence[str], failed: dict[str, str] | None = None) -> dict[str, Any]:
    """All quality metrics for one run.

    ``outputs[i]`` is ``(cleaned, steps[, error])`` for ``records[i]``; ``missing`` filters
    are not installed, ``failed`` ones could not run (name → error).
    """
    held_out = frozenset(tuple(p) for p in meta["lexicon"]["held_out"])
    ambiguous = frozenset(meta["lexicon"]["ambiguous_forms"])
    spun_forms = frozenset(meta["lexicon"]["form_counts"])
    spam = M.PR()
    spin = {k: M.PR() for k in M.SPIN_STRATA}
    fiction = M.FictionScores()
    cer = {kind: [0, 0, 0, 0] for kind in ("corrupted", "corrupted Hans", "corrupted Hant", "clean",
                                           "clean-tricky")}  # chars, d0, d1, docs
    harm: dict[str, dict[str, Any]] = {}
    drop = {"corrupted_docs": 0, "dropped_by_keyword_filter": 0, "restored_by_cleannews": 0,
            "clean_docs": 0, "clean_dropped_by_keyword_filter": 0}
    errors: list[str] = []
    for rec, out in zip(records, outputs, strict=True):
        cleaned, steps = out[0], out[1]
        if len(out) > 2 and out[2]:
            errors.append(f"{rec['id']}: {out[2]}")
        ops = rec["ops"]
        kind = rec["kind"]
        n, d0, d1 = M.cer_counts(rec["original"], rec["corrupted"], cleaned, rec.get("script") == "Hant")
        for key in (kind, f"{kind} {rec['script']}") if kind == "corrupted" else (kind,):
            c = cer[key]
            c[0] += n
            c[1] += d0
            c[2] += d1
            c[3] += 1
        if kind == "corrupted":
            spam.add(M.spam_scores(ops, steps))
            for k, pr in M.spin_scores(ops, steps, held_out, ambiguous, spun_forms).items():
                spin[k].add(pr)
            fiction.add(M.fiction_scores(ops, steps))
            drop["corrupted_docs"] += 1
            drop["dropped_by_keyword_filter"] += keyword_drop(rec["corrupted"])
            drop["restored_by_cleannews"] += n > 0 and d1 / n <= RESTORED_CER
        else:
            drop["clean_docs"] += 1
            drop["clean_dropped_by_keyword_filter"] += keyword_drop(rec["corrupted"])
            h = harm.setdefault(kind, {"docs": 0, "chars": 0, "changed_docs": 0,
                                       "edits": {}, "changed_docs_by_filter": {}})
            h["docs"] += 1
            h["chars"] += len(rec["corrupted"])
            h["changed_docs"] += cleaned != rec["corrupted"]
            counts = M.harm_counts(steps)
            for f, k in counts.items():
                h["edits"][f] = h["edits"].get(f, 0) + k
                h["changed_docs_by_filter"][f] = h["changed_docs_by_filter"].get(f, 0) + 1
    out: dict[str, Any] = {
        "filters_run": list(ran),
        "filters_not_available": list(missing),
        "filters_failed": dict(failed or {}),
        "documents_with_errors": len(errors),
        "errors": errors[:20],
        "spam": spam.to_dict() if "spam" in ran else None,
        "spinning": {k: v.to_dict() for k, v in spin.items()} if "spinning" in ran else None,
        "fiction": fiction.to_dict() if "fiction" in ran else None,
        "cer": {k: {"docs": v[3], "chars": v[0],
                    "corrupted": v[1] / v[0] if v[0] else None,
                    "cleaned": v[2] / v[0] if v[0] else None,
                    "reduction": (1 - v[2] / v[1]) if v[1] else None} for k, v in cer.items()},
        "harm": {},
        "drop_vs_repair": drop,
    }
    for kind, h in harm.items():
        per10k = {f: k * 10000 / h["chars"] for f, k in h["edits"].items()} if h["chars"] else {}
        out["harm"][kind] = {
            "docs": h["docs"], "chars": h["chars"],
            "changed_share": h["changed_docs"] / h["docs"] if h["docs"] else None,
            "edits_per_10k_chars": per10k,
            "edits_per_10k_chars_total": sum(per10k.values()),
            "changed_share_by_filter": {f: k / h["docs"] for f, k in h["changed_docs_by_filter"].items()},
            "edits": h["edits"],
        }
    return out


#: corrupted articles per page for the long-page check (:func:`long_pages`).
LONG_PAGE = 10


def long_pages(records: Sequence[dict[str, Any]], per_page: int = LONG_PAGE) -> list[dict[str, Any]]:
    """The corrupted articles joined ``per_page`` at a time, one a line, ground truth shifted.

    Scraped pages are not always one article: digests, listings and archive pages hold
    many.  A filter whose page-level evidence grows with length (a count where a rate
    belongs) loses recall there, which single articles never show.
    """
    corrupted = [r for r in records if r["kind"] == "corrupted"]
    pages = []
    for i in range(0, len(corrupted), per_page):
        text, ops = "", []
        for rec in corrupted[i : i + per_page]:
            at = len(text) + 1 if text else 0
            text = f"{text}\n{rec['corrupted']}" if text else rec["corrupted"]
            ops += [dict(o, start=o["start"] + at, end=o["end"] + at) for o in rec["ops"]]
        pages.append({"id": f"page-{i // per_page}", "corrupted": text, "ops": ops})
    return pages


def score_long_pages(pages: Sequence[dict[str, Any]], outputs: Sequence[tuple], meta: dict[str, Any],
                     ran: Sequence[str], per_page: int = LONG_PAGE) -> dict[str, Any]:
    """Spam, spinning (all strata) and fiction scores of the cleaner on :func:`long_pages`."""
    held_out = frozenset(tuple(p) for p in meta["lexicon"]["held_out"])
    ambiguous = frozenset(meta["lexicon"]["ambiguous_forms"])
    spun_forms = frozenset(meta["lexicon"]["form_counts"])
    spam, fiction, spin = M.PR(), M.FictionScores(), {k: M.PR() for k in M.SPIN_STRATA}
    for page, out in zip(pages, outputs, strict=True):
        spam.add(M.spam_scores(page["ops"], out[1]))
        fiction.add(M.fiction_scores(page["ops"], out[1]))
        for k, pr in M.spin_scores(page["ops"], out[1], held_out, ambiguous, spun_forms).items():
            spin[k].add(pr)
    return {"articles_per_page": per_page, "pages": len(pages),
            "chars": sum(len(p["corrupted"]) for p in pages),
            "spam": spam.to_dict() if "spam" in ran else None,
            "spinning": {k: v.to_dict() for k, v in spin.items()} if "spinning" in ran else None,
            "fiction": fiction.to_dict() if "fiction" in ran else None}


#: clean articles that share a page with one corrupted article in :func:`mixed_pages`.
MIXED_CLEAN = 9


def mixed_pages(records: Sequence[dict[str, Any]], n_clean: int = MIXED_CLEAN) -> list[dict[str, Any]]:
    """Pages of one corrupted article followed by ``n_clean`` clean ones, one a line.

    A listing or archive page can hold a spammed article beside clean ones.  Evidence
    a filter gathers over the whole page (spam terms, spin markers) then speaks for
    articles it has nothing to do with; edits inside the clean articles are harm.
    ``clean`` holds the (start, end) of each clean article in the page.
    """
    corrupted = [r for r in records if r["kind"] == "corrupted"]
    clean = [r for r in records if r["kind"] == "clean"]
    pages = []
    for i in range(len(clean) // n_clean):
        text, spans = corrupted[i]["corrupted"], []
        for rec in clean[i * n_clean : (i + 1) * n_clean]:
            spans.append((len(text) + 1, len(text) + 1 + len(rec["corrupted"])))
            text = f"{text}\n{rec['corrupted']}"
        pages.append({"id": f"mixed-{i}", "corrupted": text, "clean": spans})
    return pages


def score_mixed_pages(pages: Sequence[dict[str, Any]], outputs: Sequence[tuple],
                      n_clean: int = MIXED_CLEAN) -> dict[str, Any]:
    """Harm inside the clean articles of :func:`mixed_pages`: edits per filter, and the
    share of clean articles changed."""
    edits: dict[str, int] = {}
    changed = articles = chars = 0
    for page, out in zip(pages, outputs, strict=True):
        for s, t in page["clean"]:
            inside = [st for st in out[1] if s <= st["start"] and st["end"] <= t and st["start"] < t]
            articles += 1
            chars += t - s
            changed += bool(inside)
            for st in inside:
                edits[st["filter"]] = edits.get(st["filter"], 0) + 1
    return {"clean_per_page": n_clean, "pages": len(pages), "clean_articles": articles, "clean_chars": chars,
            "clean_articles_changed": changed, "edits": edits}


def run_single(texts: Sequence[str], filters: Sequence[str], spin_exclude: frozenset[tuple[str, str]],
               progress: Callable[[int], None] | None = None,
               per_doc: list[float] | None = None) -> tuple[list[tuple[str, list[dict]]], float]:
    """Clean every text in this process; return outputs and the timed seconds (after warm-up).

    ``per_doc``, when given, receives each document's seconds, so speed can be shown
    separately for corrupted and for clean articles (a corpus is mostly the latter).
    """
    init_worker(filters, spin_exclude, texts[0] if texts else "")
    for f in _PIPELINE.filters:
        f.seconds = 0.0
    outputs = []
    t0 = time.perf_counter()
    for k, text in enumerate(texts):
        t_doc = time.perf_counter()
        outputs.append(clean_one(text))
        if per_doc is not None:
            per_doc.append(time.perf_counter() - t_doc)
        if progress and k % 50 == 0:
            progress(k)
    return outputs, time.perf_counter() - t0


def document_errors(rec: dict[str, Any], steps: Sequence[dict[str, Any]],
                    ran: Sequence[str]) -> dict[str, Any] | None:
    """What went wrong on one document (for ``run --errors``): misses and unsupported edits, with context.

    Only filters in ``ran`` are reported on (a filter that did not run has no misses).
    """
    text = rec["corrupted"]

    def ctx(start: int, end: int) -> str:
        return text[max(0, start - 8) : start] + "【" + text[start:end] + "】" + text[end : end + 8]

    out: dict[str, Any] = {}
    if rec["kind"] != "corrupted":
        if steps:
            out["harm"] = [dict(s, context=ctx(s["start"], s["end"])) for s in steps]
    else:
        for kind, flt in (("spam", "spam"), ("spin", "spinning"), ("fiction", "fiction")):
            if flt not in ran:
                continue
            gold = [o for o in rec["ops"] if o["type"] == kind]
            mine = [s for s in steps if s["filter"] == flt]
            missed = [o for o in gold if not any(M._covers(s, o["start"], o["end"]) for s in mine)]
            fiction = [o for o in rec["ops"] if o["type"] == "fiction"] if flt == "spinning" else []
            wrong = [s for s in mine
                     if not any(M._covers(s, o["start"], o["end"]) or M._covers(o, s["start"], s["end"])
                                for o in gold)
                     and not any(M._covers(f, s["start"], s["end"]) for f in fiction)]
            if missed:
                out[f"{kind}_missed"] = [
                    {"start": o["start"], "end": o["end"], "context": ctx(o["start"], o["end"]),
                     **({"original": o["original"]} if kind == "spin" else {})}
                    for o in missed]
            if wrong:
                out[f"{flt}_unsupported_edits"] = [dict(s, context=ctx(s["start"], s["end"])) for s in wrong]
    if not out:
        return None
    return {"id": rec["id"], "kind": rec["kind"], **out}

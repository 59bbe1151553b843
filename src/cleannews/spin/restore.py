"""Restore words swapped by a "pseudo-original" (伪原创) spinner: the page gate and the edits.

The ``spinning`` filter (:mod:`cleannews.filters.spinning`) is :class:`Restorer` with its
declarations.

Spun pages have about a third of their words replaced from a fixed synonym
dictionary (通过→经由过程, 工作→任务, 大会→年夜会, and cross-word artifacts such as
争当时代→争那时代).  The filter:

* scans the Simplified view once for every spun form of the lexicon
  (``wordlists/spin_lexicon.tsv``);
* counts the *unambiguous* forms (never in clean news) as the page's spin
  evidence — a page without enough of it is left untouched, so clean text with a
  stray look-alike (``年夜饭``, ``平易近人``, an IME slip) stays byte-identical; a page
  with a single marker is spun only when many of its ordinary words also read as spun
  (:func:`cleannews.spin.decide.is_spun_by_context`);
* in a spun page, decides each slot with the context model trained on clean
  news (:mod:`cleannews.spin.decide`) and renders the restored word in the
  page's script, the way the page writes its other characters.

Rules: ``spin.unambiguous`` (a form clean news practically never has),
``spin.context`` (an ordinary word the context shows to be spun, with the wider
context's say in the evidence as ``window_gain``, or a literary word clean news does
not use), ``spin.boundary`` (an artifact across a word boundary).  Scores: ``spin.score`` (0–1, see
:func:`cleannews.spin.decide.spin_score`), ``spin.markers`` (distinct unambiguous
forms), ``spin.restored`` (restorations made).

Evidence: produces ``spin_markers`` (:class:`cleannews.evidence.PageEvidence`), the
occurrences of the unambiguous forms, for the fiction filter.  The lexicon, its
marker subset and the context model come from ``ctx.resources`` (the benchmark
builds one with its held-out pairs hidden).
"""

from __future__ import annotations

from collections.abc import Callable

from cleannews.edits import Edit
from cleannews.evidence import SPIN_MARKERS, Mark
from cleannews.pipeline import Context
from cleannews.spin.context import fold_for_context
from cleannews.spin.decide import (
    MIN_MARKERS,
    Decision,
    decide,
    is_news_rare,
    is_spun_by_context,
    marker_occurrences,
    near_markers,
    spin_score,
)
from cleannews.spin.render import page_char_map, render_like_page


def _markers(simplified: str, ctx: Context) -> dict[str, set[int]]:
    """Distinct unambiguous substitutions of ``simplified`` → offsets of their spun cores."""
    scanned = list(ctx.resources.spin_marker_lexicon().scan_leftmost(simplified))
    return marker_occurrences(ctx.resources.spin_model(), scanned)


def _marks(found: dict[str, set[int]], to_input: Callable[[int], int]) -> list[Mark]:
    return [Mark(o, form) for o, form in sorted((to_input(o), form)
                                                for form, offsets in found.items() for o in offsets)]


def spin_markers_evidence(text: str, ctx: Context) -> tuple[Mark, ...]:
    """The ``spin_markers`` evidence of ``text`` (the input), for pipelines without this filter."""
    return tuple(_marks(_markers(ctx.view(text).simplified, ctx), int)) if text else ()


class Restorer:
    """Decide whether a page is spun and restore its spun words (``find``: the filter's rule)."""

    name = "spinning"

    def find(self, text: str, ctx: Context) -> list[Edit]:
        if not text:
            ctx.record(SPIN_MARKERS, [])
            return []
        model = ctx.resources.spin_model()
        lexicon = ctx.resources.spin_lexicon()
        view = ctx.view(text)
        simplified = view.simplified
        found = _markers(simplified, ctx)  # distinct marker forms → their offsets
        ctx.record(SPIN_MARKERS, _marks(found, ctx.input_offset))
        score = spin_score(found)
        ctx.scores["spin.score"] = score
        ctx.scores["spin.markers"] = float(len(found))
        ctx.scores["spin.restored"] = 0.0
        if len(found) < MIN_MARKERS - 1:
            return []
        candidates = list(lexicon.scan(simplified))
        decisions = decide(model, lexicon, fold_for_context(simplified), candidates)
        if len(found) < MIN_MARKERS and not is_spun_by_context(decisions, len(simplified)):
            return []
        decisions = near_markers(decisions, found)
        page_map = page_char_map(view) if view.script == "Hant" else {}  # a Simplified page renders as is
        rendered: dict[str, str] = {}  # a page restores the same words many times
        for d in decisions:
            if d.original not in rendered:
                rendered[d.original] = render_like_page(d.original, view, page_map)
        edits = [_edit(d, text, simplified, rendered[d.original], score, is_news_rare(model, d.pair))
                 for d in decisions]
        edits = [e for e in edits if e.before != e.after]
        ctx.scores["spin.restored"] = float(len(edits))
        return edits


def _edit(d: Decision, text: str, simplified: str, after: str, score: float, news_rare: bool) -> Edit:
    before = text[d.start : d.end]
    shown = f"…{simplified[max(0, d.start - 2) : d.start]}[{d.spun}]{simplified[d.end : d.end + 2]}…"
    if d.pair.kind == "boundary":
        rule = "spin.boundary"
        what = f"spinner artifact across a word boundary: {d.pair.original}→{d.pair.spun}"
    elif d.unambiguous:
        rule = "spin.unambiguous"
        what = f"'{d.spun}' is a spinner form of '{d.original}' that clean news practically never uses"
    elif news_rare:
        rule = "spin.context"
        what = (f"in this spun page '{d.spun}' (a word clean news practically never uses) stands for "
                f"'{d.original}'")
    else:
        rule = "spin.context"
        what = f"in this spun page the context fits '{d.original}' better than '{d.spun}'"
        if d.window_gain:
            what += f" (wider context {d.window_gain:+.1f} nats)"
    reason = f"{what} ({shown}, {d.gain:.1f} nats)"
    evidence = {
        "spun": d.spun,
        "original": d.original,
        "kind": d.pair.kind,
        "origin": d.pair.origin,
        "context": f"{d.left}[]{d.right}",  # as decided: digits as 0, neighbours as restored
        "score_original": round(d.best_score, 3),
        "score_spun": round(d.keep_score, 3),
        "gain": round(d.gain, 3),
        "doc_spin_score": round(score, 3),
        "window_gain": round(d.window_gain, 3),
    }
    if d.runner_up:
        evidence["runner_up"] = d.runner_up
    return Edit(d.start, d.end, before, after, "spinning", rule, reason, round(d.confidence, 4), evidence)

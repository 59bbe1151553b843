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
* in a spun region, decides each slot with the context model trained on clean
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
from cleannews.script import ScriptView, to_simplified
from cleannews.spin.context import fold_for_context
from cleannews.spin.decide import (
    MIN_MARKERS,
    Decision,
    decide,
    is_news_rare,
    is_spun_by_context,
    marker_occurrences,
    slot_evidence,
    spin_score,
)
from cleannews.spin.gate import Region, raw_slot_llr, regions
from cleannews.spin.lexicon import Occurrence
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
    """Decide which regions of a page are spun and restore their spun words (``find``: the rule)."""

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
        ctx.scores["spin.llr"] = 0.0
        candidates = list(lexicon.scan(simplified))
        if not candidates:
            return []
        folded = fold_for_context(simplified)
        spun_regions = _spun_regions(model, lexicon, simplified, folded, candidates, found, ctx)
        if not spun_regions:
            return []
        decided: list[tuple[Decision, ScriptView]] = []
        page_map = page_char_map(view) if view.script == "Hant" else {}  # a Simplified page renders as is
        maps = {id(view): page_map}
        for region, sure in spun_regions:  # decided apart: a region never borrows another's dictionary
            inside = [c for c in candidates if region.start <= c.start and c.end <= region.end]
            found_here = decide(model, lexicon, folded, inside)
            if sure or is_spun_by_context(found_here, region.end - region.start):
                written_in = _region_view(view, region.start, region.end)
                if id(written_in) not in maps:
                    maps[id(written_in)] = page_char_map(written_in) if written_in.script == "Hant" else {}
                decided += [(d, written_in) for d in found_here]
        decided.sort(key=lambda dv: dv[0].start)
        rendered: dict[tuple[str, int], str] = {}  # a page restores the same words many times
        for d, written_in in decided:
            key = (d.original, id(written_in))
            if key not in rendered:
                rendered[key] = render_like_page(d.original, written_in, maps[id(written_in)])
        edits = [_edit(d, text, simplified, rendered[(d.original, id(w))], score, is_news_rare(model, d.pair))
                 for d, w in decided]
        edits = [e for e in edits if e.before != e.after]
        ctx.scores["spin.restored"] = float(len(edits))
        return edits


def _region_view(view: ScriptView, start: int, end: int) -> ScriptView:
    """The script a restored word is written in: the region's own when it differs from the page's.

    One file can hold a Traditional article beside a Simplified spam page; a word restored in
    the article must come out Traditional (處置, not 处置) whatever most of the file is written in.
    A region with no character that tells the scripts apart, or written like the page, uses the
    page's view (and its character map, counted over the whole page).
    """
    part, simp = view.text[start:end], view.simplified[start:end]
    if part == simp:
        return view
    own = ScriptView.of(part)
    return view if own.script == view.script else own


def _spun_regions(model, lexicon, simplified: str, folded: str, candidates: list[Occurrence],
                  markers: dict[str, set[int]], ctx: Context) -> list[tuple[Region, bool]]:
    """The regions of the page that may be spun (:mod:`cleannews.spin.gate`), in text order, each
    with whether it is spun for sure.

    Sure: a region whose evidence reaches the calibrated bar and that holds a marker, or one
    holding :data:`MIN_MARKERS` distinct markers (two substitutions clean text practically
    never shows are not slips; the sum caps each marker, so a short page with two of them
    and little else can fall below the bar).  A region with one marker and evidence below the
    bar is spun when its ordinary words say so (:func:`cleannews.spin.decide.is_spun_by_context`).
    A region without any marker is left alone however its ordinary words read: clean
    Taiwanese news writes 核准, 取得, 認可 and 包含 many times over, and the context model
    (clean news) cannot yet tell that from a spinner's rewrite."""
    slots = _evidence_slots(candidates)
    evidence = slot_evidence(model, lexicon, folded, slots)
    originals = _unspun(lexicon, simplified, candidates)
    found = regions(simplified, evidence, originals, ctx.resources.spin_gate())
    ctx.scores["spin.llr"] = round(found[0].llr, 3) if found else 0.0
    out = []
    for r in found:
        n = _distinct_markers(markers, r)
        if n >= MIN_MARKERS or (n >= 1 and r.spun):
            out.append((r, True))
        elif n == 1:
            out.append((r, False))  # spun only if its ordinary words say so (is_spun_by_context)
    return sorted(out, key=lambda rs: rs[0].start)


def _distinct_markers(markers: dict[str, set[int]], region: Region) -> int:
    """Distinct unambiguous substitutions inside ``region`` (its own evidence only)."""
    return sum(1 for where in markers.values() if any(region.start <= o < region.end for o in where))


def page_regions(text: str, resources) -> list[Region]:
    """Every candidate region of ``text`` with its evidence, most first (for calibration and reports)."""
    model, lexicon = resources.spin_model(), resources.spin_lexicon()
    simplified = to_simplified(text)
    candidates = list(lexicon.scan(simplified))
    if not candidates:
        return []
    evidence = slot_evidence(model, lexicon, fold_for_context(simplified), _evidence_slots(candidates))
    return regions(simplified, evidence, _unspun(lexicon, simplified, candidates), resources.spin_gate())


def slot_llrs(text: str, resources) -> list[tuple[str, float]]:
    """(spun form, raw log ratio) of every evidence slot of ``text`` (the gate's calibration)."""
    model, lexicon = resources.spin_model(), resources.spin_lexicon()
    simplified = to_simplified(text)
    candidates = list(lexicon.scan(simplified))
    if not candidates:
        return []
    params = resources.spin_gate()
    evidence = slot_evidence(model, lexicon, fold_for_context(simplified), _evidence_slots(candidates))
    return [(ev.form, raw_slot_llr(ev, params)) for ev in evidence]


def _unspun(lexicon, simplified: str, candidates: list[Occurrence]) -> list[int]:
    taken = bytearray(len(simplified))
    for c in candidates:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    return lexicon.unspun_originals(simplified, taken)


def _evidence_slots(candidates: list[Occurrence]) -> list[Occurrence]:
    """One candidate per place (leftmost, then longest, none overlapping): a slot read as
    ``年夜会`` is not read again as ``年夜``."""
    out = []
    end = -1
    for c in candidates:  # by start, longest first
        if c.start >= end:
            out.append(c)
            end = c.end
    return out


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

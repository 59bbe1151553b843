"""Plain sentences for people: an edit's reason without model jargon, in the page's own script.

Filters write their ``reason`` for the record (JSON keeps it whole, with the scores
behind it: nats, likelihood ratios, log-odds).  A person reading the text or HTML
report needs the same decision in plain words, quoting the page's own characters —
a Traditional page quotes 慶祝, not 庆祝 — and on one line.  :func:`explain` builds
that sentence from the edit's rule, its before/after (which are the page's own text)
and its evidence; rules it does not know (plugins, new rules) get their reason with
the scores in brackets dropped, whitespace folded and Simplified quotes rendered
in the page's script.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cleannews.edits import Edit

#: a bracketed aside that carries model scores (dropped from reasons shown to people).
_JARGON_ASIDE = re.compile(r"\s*\((?:[^()]|\([^()]*\))*?(?:nats|LLR|log-odds|logit)(?:[^()]|\([^()]*\))*\)")
_JARGON_TAIL = re.compile(
    r",?\s*(?:[+-]?\d+(?:\.\d+)?\s*nats(?:/char)?|LLR\s*[+-]?[\d.]+|log-odds\s*[+-]?[\d.]+)")
_QUOTED = re.compile(r"'([^'\n]{1,40})'")
_SPACE = re.compile(r"\s+")


def strength(gain: float) -> str:
    """How much better one reading is, in words (``gain`` in nats, natural-log likelihood)."""
    if gain >= 10:
        return "far"
    if gain >= 4:
        return "clearly"
    return "somewhat"


def _spin_context(edit: Edit, ev: dict) -> str:
    if "practically never uses" in edit.reason:
        return f"'{edit.before}' is rare in real news; on this spun page it stands for '{edit.after}'"
    return (f"'{edit.after}' fits the context {strength(float(ev.get('gain', 0)))} better than "
            f"'{edit.before}' on this spun page")


def _spin_unambiguous(edit: Edit, ev: dict) -> str:
    return f"a spinner's form of '{edit.after}', rare in real news"


def _spin_boundary(edit: Edit, ev: dict) -> str:
    return f"spinner's rewrite of '{edit.after}' across two words"


def _fiction_span(edit: Edit, ev: dict) -> str:
    n = len(edit.before)
    per_char = float(ev.get("llr_per_char", 0.0))
    how = "far more" if per_char >= 1.5 else "more" if per_char >= 0.5 else "somewhat more"
    out = f"{n}-character passage reads as a novel, not news ({how} typical of fiction"
    if "shared_bigrams" in ev:
        out += f", shares {float(ev['shared_bigrams']):.0%} of its character pairs with the article"
    quotes = int(ev.get("quotes_repaired", 0) or 0)
    if quotes > 0:
        out += f", cutting it pairs {quotes} quote mark(s)"
    return out + ")"


def _spam_injected(edit: Edit, ev: dict) -> str:
    if "not about its topic" not in edit.reason:
        raise ValueError("another kind of injected spam")
    return f"off-topic spam term ({int(ev['page_support'])} other spam/spin signs near it)"


_RULES: dict[str, Callable[[Edit, dict], str]] = {
    "spin.context": _spin_context,
    "spin.unambiguous": _spin_unambiguous,
    "spin.boundary": _spin_boundary,
    "fiction.span": _fiction_span,
    "spam.injected": _spam_injected,
}


def explain(edit: Edit, script: str = "Hans") -> str:
    """One plain line saying why ``edit`` was made, quoting text in the page's ``script``."""
    rule = _RULES.get(edit.rule)
    if rule is not None:
        try:
            return one_line(rule(edit, edit.evidence or {}))
        except (KeyError, TypeError, ValueError):
            pass  # evidence of an unexpected shape: fall back to the filter's own words
    return plain(edit.reason, script)


def plain(reason: str, script: str = "Hans") -> str:
    """A filter's reason with score asides removed, on one line, quotes in the page's script."""
    text = _JARGON_ASIDE.sub("", reason)
    text = _JARGON_TAIL.sub("", text)
    text = one_line(text)
    if script == "Hant":
        from cleannews.script import render

        text = _QUOTED.sub(lambda m: f"'{render(m.group(1), 'Hant')}'", text)
    return text


def one_line(text: str) -> str:
    """Whitespace (newlines included) folded to single spaces."""
    return _SPACE.sub(" ", text).strip()

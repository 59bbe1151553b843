"""Page support for spam terms that are also ordinary words (九宮格, Escort).

Such a term is removed only when the page carries other signs of a spam network:
other spam terms, and the spinner forms listed in ``wordlists/spin_markers.txt``
(经由过程, 可以或许…), counted as *occurrences* with one regex over the Simplified view.

This is deliberately not the spin markers of :class:`cleannews.evidence.PageEvidence`
(distinct unambiguous substitutions derived from the spin lexicon and the context
model): counting those instead changes the spam filter's decisions on the benchmark
and on the real dev pages (measured with ``python -m cleannews.bench hash``), and it
would load the 15 MB spin model for ``--filters spam``.  The short hand-checked list
keeps the spam filter's decision rule cheap and self-contained.
"""

from __future__ import annotations

import re
from functools import cache

from cleannews.resources import read_table


@cache
def _listed_forms_regex() -> re.Pattern[str]:
    forms = sorted({row[0] for row in read_table("spin_markers.txt")}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms)))


def listed_spinner_forms(simplified: str) -> int:
    """How many occurrences of the listed spinner forms (``经由过程``, ``可以或许``…) the text has."""
    return sum(1 for _ in _listed_forms_regex().finditer(simplified))


def listed_spinner_positions(simplified: str) -> list[int]:
    """Start offsets of the listed spinner forms in the text, in order (for region-local counts)."""
    return [m.start() for m in _listed_forms_regex().finditer(simplified)]

"""Cheap page-level signals shared by several filters.

A signal is computed from the Simplified view with a single regex scan, so any
filter may ask for it without slowing the pipeline down.
"""

from __future__ import annotations

import re
from functools import cache

from cleannews.resources import read_table


@cache
def _spin_marker_regex() -> re.Pattern[str]:
    forms = sorted({row[0] for row in read_table("spin_markers.txt")}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms)))


def spin_marker_count(simplified: str) -> int:
    """How many unambiguous spinner artifacts (``经由过程``, ``可以或许``…) the text has."""
    return sum(1 for _ in _spin_marker_regex().finditer(simplified))

"""``spinning``: restore words swapped by a "pseudo-original" (伪原创) spinner.

The rule lives in :mod:`cleannews.spin.restore` (page gate, edits and reasons) and
:mod:`cleannews.spin.decide` (each slot); this adapter declares the filter (name,
description, the evidence it produces).
"""

from __future__ import annotations

from cleannews.evidence import SPIN_MARKERS
from cleannews.spin.restore import Restorer


class SpinningFilter(Restorer):
    """Restore words a spinner swapped; leave clean text as is."""

    name = "spinning"
    description = "Restore words a spinner swapped (经由过程→通过, 年夜会→大会); leave clean text as is."
    produces = frozenset({SPIN_MARKERS})

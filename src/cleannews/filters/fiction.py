"""``fiction``: find web-novel passages spliced into an article and cut them out.

The decision rule lives in :mod:`cleannews.fiction.passages` (its fitted weights in
``models/fiction_decision.json``); this adapter declares the filter (name,
description, the evidence it consumes, its options).
"""

from __future__ import annotations

from cleannews.fiction.passages import NEEDS, FictionOptions, PassageFinder


class FictionFilter(PassageFinder):
    """Remove web-novel passages inserted into news."""

    name = "fiction"
    description = "Remove inserted web-novel passages (character LMs + HMM, exact boundaries)."
    consumes = NEEDS
    Options = FictionOptions

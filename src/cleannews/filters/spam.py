"""``spam``: remove spam terms injected into an article, keep topical mentions.

The decision rule lives in :mod:`cleannews.spam.detect`; this adapter declares the
filter (name, description, the evidence it produces).
"""

from __future__ import annotations

from cleannews.evidence import SPAM_TERMS
from cleannews.spam.detect import SpamDetector


class SpamFilter(SpamDetector):
    """Remove injected spam terms (包養, 包養網, Sugar Daddy, 九宮格…)."""

    name = "spam"
    description = "Remove injected spam terms (包養網, Sugar Daddy, 九宮格…); keep topical mentions."
    produces = frozenset({SPAM_TERMS})

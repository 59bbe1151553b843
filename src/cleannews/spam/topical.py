"""Is a spam-family term used as content here?  Region-local evidence of topical mentions.

An article *about* sugar-dating sites (a Taiwanese report on 甜心寶貝 and 包養網站, a
commentary on officials who 包養情婦) uses the terms as words of its sentences: the
term takes an object or a particle (``包養了一個``, ``包養關係``), is the object of a
verb or preposition (``被包養``, ``透過包養網站``), is quoted or listed (``「包養」``,
``包養網|甜心``), and the text around it speaks of the topic (乾爹, 約會, 援交…).  An
injected term lands at a random character position: beside such a collocate only by
chance, often splitting a word, and in text about something else.

The evidence is read per *region*, the :data:`REGION` characters either side of a
mention, never over the whole page: a page (or a file of concatenated articles) can
hold an article about sugar dating beside a spammed one, and neither may lend its
evidence to the other.

* :func:`attachment` — how a single mention joins its sentence (left / right
  collocate, delimited on both sides), from ``wordlists/spam_collocates.txt``;
* :class:`Regions` — per mention, the distinct topic words
  (``wordlists/spam_topic_words.txt``) within reach outside the spam matches, and the
  other mentions within reach that are attached, that clearly split a word, or that
  split any word at all (an injected term splits one about a third of the time: of the
  benchmark's 8,996 injections 35% join a dictionary word when removed, so a region of
  eight or more mentions none of which splits anything, 0.65^8 = 3% by chance, is written).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from cleannews.resources import read_table

#: characters either side of a mention that count as its region (an article's paragraph or few).
REGION = 500
#: longest collocate looked up on either side (characters).
MAX_COLLOCATE = 4
#: characters that delimit a mention on both sides (quotes, brackets, list separators).
_OPENERS = set("「『“‘《〈(（[【|｜/、,，;；:：")
_CLOSERS = set("」』”’》〉)）]】|｜/、,，;；:：")


@cache
def _collocates() -> tuple[frozenset[str], frozenset[str]]:
    left: set[str] = set()
    right: set[str] = set()
    for row in read_table("spam_collocates.txt"):
        (left if row[1] == "left" else right).add(row[0])
    return frozenset(left), frozenset(right)


@cache
def topic_regex() -> re.Pattern[str]:
    words = sorted({row[0] for row in read_table("spam_topic_words.txt")}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attachment:
    """How a mention joins its sentence (see :func:`attachment`)."""

    left: str = ""  # the left collocate just before it ('' if none)
    right: str = ""  # the right collocate just after it
    delimited: bool = False  # quoted, bracketed or listed on both sides

    def __bool__(self) -> bool:
        return bool(self.left or self.right or self.delimited)

    def describe(self) -> str:
        parts = []
        if self.left:
            parts.append(f"after '{self.left}'")
        if self.right:
            parts.append(f"before '{self.right}'")
        if self.delimited:
            parts.append("quoted or listed")
        return ", ".join(parts)


def attachment(view: str, start: int, end: int, spam_starts: frozenset[int] = frozenset()) -> Attachment:
    """How ``view[start:end]`` (a spam-family term) joins the text around it.

    What follows is not read when it is itself a spam match: injected terms come in
    runs (``包養甜心寶貝``), and the second says nothing about the first.
    """
    left_words, right_words = _collocates()
    left = next((view[start - n : start] for n in range(MAX_COLLOCATE, 0, -1)
                 if start - n >= 0 and view[start - n : start] in left_words), "")
    right = ""
    if end not in spam_starts:
        right = next((view[end : end + n] for n in range(MAX_COLLOCATE, 0, -1)
                      if end + n <= len(view) and view[end : end + n] in right_words), "")
    before = view[start - 1] if start else "\n"
    after = view[end] if end < len(view) else "\n"
    delimited = (before in _OPENERS or before == "\n") and (after in _CLOSERS or after == "\n") and not (
        before == "\n" and after == "\n")
    return Attachment(left, right, delimited)


class Regions:
    """Region-local evidence around each spam match of one text (Simplified view).

    ``spans`` are the matches (sorted by start), ``attached`` and ``injected`` one flag
    per match: attached to its sentence, or clearly injected (splits a common word and
    not attached).
    """

    def __init__(self, view: str, spans: list[tuple[int, int]], attached: list[bool],
                 injected: list[bool], splits: list[bool]) -> None:
        self._starts = [s for s, _ in spans]
        self._attached = attached
        self._injected = injected
        self._splits = splits
        topics = []
        for t in topic_regex().finditer(view):
            if not _overlaps_any(spans, t.start(), t.end()):
                topics.append((t.start(), t.group().lower()))
        self._topic_at = [p for p, _ in topics]
        self._topic_word = [w for _, w in topics]

    def topic_words(self, start: int, end: int) -> set[str]:
        """Distinct topic words within :data:`REGION` characters of ``[start, end)``."""
        lo = bisect.bisect_left(self._topic_at, start - REGION)
        hi = bisect.bisect_right(self._topic_at, end + REGION)
        return set(self._topic_word[lo:hi])

    def others(self, index: int) -> tuple[int, int, int, int]:
        """(all, attached, injected, splitting) counts of the other matches within :data:`REGION`
        of match ``index``."""
        at = self._starts[index]
        lo = bisect.bisect_left(self._starts, at - REGION)
        hi = bisect.bisect_right(self._starts, at + REGION)
        att = sum(self._attached[i] for i in range(lo, hi) if i != index)
        inj = sum(self._injected[i] for i in range(lo, hi) if i != index)
        split = sum(self._splits[i] for i in range(lo, hi) if i != index)
        return hi - lo - 1, att, inj, split


def _overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(spans, (start, float("inf")))
    return (i > 0 and spans[i - 1][1] > start) or (i < len(spans) and spans[i][0] < end)

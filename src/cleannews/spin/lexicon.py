"""The spin lexicon (``wordlists/spin_lexicon.tsv``) and the candidate scanner.

Matching happens on the Simplified view of a page.  One regex, built as a
character trie so that Python's engine never tries thousands of alternatives at a
position, finds at every position the longest spun form starting there; shorter
forms starting at the same position are looked up in a dict (a page may carry a
word pair and a char pair at the same place: 年夜会 / 年夜).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from cleannews.resources import read_table

KINDS = ("char", "word", "boundary")


@dataclass(frozen=True, slots=True)
class Pair:
    """One substitution the spinner makes: ``original`` is written as ``spun``."""

    original: str
    spun: str
    kind: str
    status: str
    origin: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A spun form found in a text: ``simplified[start:end] == spun``."""

    start: int
    end: int
    spun: str
    pairs: tuple[Pair, ...]


class Lexicon:
    """All pairs, indexed by spun form, with a scanner over Simplified text."""

    def __init__(self, pairs: list[Pair]) -> None:
        self.pairs = pairs
        by_spun: dict[str, list[Pair]] = {}
        for pair in pairs:
            by_spun.setdefault(pair.spun, []).append(pair)
        self.by_spun = {k: tuple(v) for k, v in by_spun.items()}
        self.max_len = max((len(s) for s in self.by_spun), default=0)
        self._regex = _trie_regex(list(self.by_spun)) if self.by_spun else None
        self._consuming = re.compile(self._regex.pattern[4:-2]) if self._regex else None

    @property
    def originals(self) -> frozenset[str]:
        return frozenset(p.original for p in self.pairs)

    def forms(self) -> set[str]:
        """Every original and spun form (what the context model keeps counts for)."""
        return {p.original for p in self.pairs} | {p.spun for p in self.pairs}

    def scan_leftmost(self, simplified: str, exclude: frozenset[tuple[str, str]] = frozenset()
                      ) -> Iterator[Candidate]:
        """Non-overlapping occurrences, leftmost then longest: three times faster than
        :meth:`scan`, enough to tell whether a page carries spinner forms at all."""
        if self._consuming is None:
            return
        by_spun = self.by_spun
        for m in self._consuming.finditer(simplified):
            start, longest = m.start(), m.group()
            for length in range(len(longest), 0, -1):
                pairs = by_spun.get(longest[:length])
                if pairs and exclude:
                    pairs = tuple(p for p in pairs if (p.original, p.spun) not in exclude)
                if pairs:
                    yield Candidate(start, start + length, longest[:length], pairs)
                    break

    def scan(self, simplified: str, exclude: frozenset[tuple[str, str]] = frozenset()) -> Iterator[Candidate]:
        """Every occurrence of every spun form, overlapping ones included, in text order.

        The consuming regex finds the leftmost-longest forms; only inside those spans
        can another form start, so the regex is re-anchored there alone (much faster
        than a lookahead tried at every position of the page).
        """
        if self._consuming is None:
            return
        regex = self._consuming
        for m in regex.finditer(simplified):
            yield from self._at(m.start(), m.group(), exclude)
            for pos in range(m.start() + 1, m.end()):
                inner = regex.match(simplified, pos)
                if inner is not None:
                    yield from self._at(pos, inner.group(), exclude)

    def _at(self, start: int, longest: str, exclude: frozenset[tuple[str, str]]) -> Iterator[Candidate]:
        """The longest form at ``start``, then every shorter one that is also a form."""
        by_spun = self.by_spun
        for length in range(len(longest), 0, -1):
            form = longest if length == len(longest) else longest[:length]
            pairs = by_spun.get(form)
            if not pairs:
                continue
            if exclude:
                pairs = tuple(p for p in pairs if (p.original, p.spun) not in exclude)
                if not pairs:
                    continue
            yield Candidate(start, start + length, form, pairs)


def _trie_regex(words: list[str]) -> re.Pattern[str]:
    """A lookahead regex finding, at each position, the longest word starting there.

    The alternation is nested as a trie (``年(?:夜(?:会|局)?)``…): one character test
    per trie level instead of one per word, which keeps the scan at tens of MB/s.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        single = len(branches) == 1 and len(branches[0]) == 1
        body = branches[0] if single else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if ends else body

    return re.compile("(?=(" + build(trie) + "))")


def _pairs_from_table(name: str) -> list[Pair]:
    seen: set[tuple[str, str]] = set()
    out: list[Pair] = []
    for row in read_table(name):
        if len(row) < 5:
            continue
        original, spun, kind, status, origin = (c.strip() for c in row[:5])
        if not original or not spun or original == spun or (original, spun) in seen:
            continue
        seen.add((original, spun))
        out.append(Pair(original, spun, kind if kind in KINDS else "word", status, origin))
    return out


@cache
def load_lexicon(name: str = "spin_lexicon.tsv") -> Lexicon:
    """The spin lexicon, loaded once per process."""
    return Lexicon(_pairs_from_table(name))

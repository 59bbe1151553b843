"""The spin lexicon (``wordlists/spin_lexicon.tsv``) and the candidate scanner.

Matching happens on the Simplified view of a page.  One regex, built as a
character trie so that Python's engine never tries thousands of alternatives at a
position, finds at every position the longest spun form starting there; shorter
forms starting at the same position are looked up in a dict (a page may carry a
word pair and a char pair at the same place: 年夜会 / 年夜).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cleannews.resources import read_table
from cleannews.script import code_points

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
class Occurrence:
    """A spun form found in a text: ``simplified[start:end] == spun``."""

    start: int
    end: int
    spun: str
    pairs: tuple[Pair, ...]


class Lexicon:
    """All pairs, indexed by spun form, with a scanner over Simplified text.

    ``held_out`` pairs (see :meth:`without`) are skipped by the scans.
    """

    held_out: frozenset[tuple[str, str]] = frozenset()

    def __init__(self, pairs: list[Pair]) -> None:
        self.pairs = pairs
        by_spun: dict[str, list[Pair]] = {}
        for pair in pairs:
            by_spun.setdefault(pair.spun, []).append(pair)
        self.by_spun = {k: tuple(v) for k, v in by_spun.items()}
        self.max_len = max((len(s) for s in self.by_spun), default=0)
        self._regex = trie_regex(list(self.by_spun)) if self.by_spun else None
        self._consuming = (re.compile(_head_guard(self.by_spun) + self._regex.pattern[4:-2])
                           if self._regex else None)
        self.originals = frozenset(p.original for p in pairs)
        # spun forms of two characters or more by their first two characters: the lengths
        # (longest first) and, per length, the set of forms (see :meth:`scan`)
        by_head: dict[str, dict[int, set[str]]] = {}
        for form in self.by_spun:
            if len(form) > 1:
                by_head.setdefault(form[:2], {}).setdefault(len(form), set()).add(form)
        self._by_head = {head: tuple((n, frozenset(by_len[n])) for n in sorted(by_len, reverse=True))
                         for head, by_len in by_head.items()}
        self._single = frozenset(form for form in self.by_spun if len(form) == 1)
        self._restricted: dict[frozenset[tuple[str, str]], dict[str, tuple[Pair, ...]]] = {}
        self._head_codes = None  # built on first scan (see _positions)
        self._single_codes = None

    def restricted(self, exclude: frozenset[tuple[str, str]]) -> dict[str, tuple[Pair, ...]]:
        """``by_spun`` without the excluded pairs (forms left with none dropped), once per ``exclude``.

        The same pairs tuple then stands for a form on every page, so per-form work
        downstream can be keyed on it.
        """
        if not exclude:
            return self.by_spun
        hit = self._restricted.get(exclude)
        if hit is None:
            if len(self._restricted) > 16:
                self._restricted.clear()
            kept = {form: tuple(p for p in pairs if (p.original, p.spun) not in exclude)
                    for form, pairs in self.by_spun.items()}
            hit = self._restricted[exclude] = {form: pairs for form, pairs in kept.items() if pairs}
        return hit

    def without(self, held_out: frozenset[tuple[str, str]]) -> Lexicon:
        """This lexicon with ``held_out`` ``(original, spun)`` pairs hidden from its scans.

        Only the scans skip them: :attr:`pairs`, :attr:`originals` and the scanning
        regex stay the full table's (a held-out form still takes its characters in
        :meth:`scan_leftmost`), which is how the benchmark has always measured pairs
        the cleaner has not seen, so its figures stay comparable.
        """
        if not held_out:
            return self
        out = copy.copy(self)
        out.held_out = frozenset(held_out)
        return out

    def unspun_originals(self, simplified: str, taken: bytearray) -> list[int]:
        """Offsets of the multi-character originals standing in ``simplified`` where no spun form
        stands (``taken[i]`` is 1 at the characters of spun forms): the words a spinner would have
        rewritten and did not (held-out pairs stay unknown)."""
        scanners = self.__dict__.setdefault("_original_scanners", {})  # shared by copies: by held_out
        scanner = scanners.get(self.held_out)
        if scanner is None:
            reversed_pairs = [Pair(p.spun, p.original, p.kind, p.status, p.origin) for p in self.pairs
                              if len(p.original) >= 2 and (p.original, p.spun) not in self.held_out]
            scanner = scanners[self.held_out] = Lexicon(reversed_pairs)
        return [o.start for o in scanner.scan_leftmost(simplified) if taken.find(1, o.start, o.end) < 0]

    def forms(self) -> set[str]:
        """Every original and spun form (what the context model keeps counts for)."""
        return {p.original for p in self.pairs} | {p.spun for p in self.pairs}

    def scan_leftmost(self, simplified: str) -> Iterator[Occurrence]:
        """Non-overlapping occurrences, leftmost then longest: three times faster than
        :meth:`scan`, enough to tell whether a page carries spinner forms at all."""
        if self._consuming is None:
            return
        by_spun = self.restricted(self.held_out)
        for m in self._consuming.finditer(simplified):
            start, longest = m.start(), m.group()
            for length in range(len(longest), 0, -1):
                pairs = by_spun.get(longest[:length])
                if pairs:
                    yield Occurrence(start, start + length, longest[:length], pairs)
                    break

    def scan(self, simplified: str) -> Iterator[Occurrence]:
        """Every occurrence of every spun form, overlapping ones included, in text order
        (by start, then longest first).

        One pass over the text: the two characters at each position select the few
        lengths and forms that can start there (Python's regex engine tries the thousands of
        first characters of a full-lexicon alternation one by one, which made a
        regex scan of spun pages four times slower than this).
        """
        by_spun = self.restricted(self.held_out)
        heads, single = self._by_head, self._single
        for i in self._positions(simplified):
            by_len = heads.get(simplified[i : i + 2])
            if by_len is not None:
                for n, forms in by_len:
                    form = simplified[i : i + n]
                    if form in forms:
                        pairs = by_spun.get(form)
                        if pairs:
                            yield Occurrence(i, i + n, form, pairs)
            if single and simplified[i] in single:
                pairs = by_spun.get(simplified[i])
                if pairs:
                    yield Occurrence(i, i + 1, simplified[i], pairs)

    def _positions(self, simplified: str) -> list[int]:
        """The positions where a spun form can start: its first two characters are the head
        of a longer form, or its first is a one-character form.

        Found for the whole text at once (each position's character pair as one integer,
        searched in the sorted heads), so the scan's Python loop visits those positions only.
        """
        import numpy as np

        if self._head_codes is None:
            self._head_codes = np.array(sorted((ord(h[0]) << 21) | ord(h[1]) for h in self._by_head),
                                        dtype=np.uint64)
            self._single_codes = np.array(sorted(ord(c) for c in self._single), dtype=np.uint64)
        if not simplified:
            return []
        chars = code_points(simplified).astype(np.uint64)
        hit = np.zeros(len(chars), dtype=bool)
        for codes, wanted in ((((chars[:-1] << np.uint64(21)) | chars[1:]), self._head_codes),
                              (chars, self._single_codes)):
            if len(wanted) and len(codes):
                idx = np.minimum(np.searchsorted(wanted, codes), len(wanted) - 1)
                hit[: len(codes)] |= wanted[idx] == codes
        return np.flatnonzero(hit).tolist()


def _head_guard(words: Iterable[str]) -> str:
    """A lookahead on the first (and, when no word is shorter, second) characters of ``words``.

    It changes no match, but lets the regex engine reject most positions with two
    character-class tests instead of walking the trie's top-level alternatives one by
    one: the marker scan every page goes through runs about 2.5 times faster.
    """
    words = list(words)
    if not words:
        return ""

    def charset(chars: set[str]) -> str:
        return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"

    guard = charset({w[0] for w in words})
    if min(map(len, words)) >= 2:
        guard += charset({w[1] for w in words})
    return "(?=" + guard + ")"


def trie_regex(words: list[str]) -> re.Pattern[str]:
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


LEXICON_FILE = "spin_lexicon.tsv"


def read_lexicon(name: str = LEXICON_FILE) -> Lexicon:
    """Read the spin lexicon (``Resources.spin_lexicon`` keeps it once per set-up)."""
    return Lexicon(_pairs_from_table(name))


def load_lexicon() -> Lexicon:
    """The spin lexicon of the process-wide :class:`~cleannews.resources.Resources`."""
    from cleannews.resources import Resources

    return Resources.default().spin_lexicon()

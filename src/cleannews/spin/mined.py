"""The mined spin pairs (``wordlists/spin_mined.tsv``): a second tier beside the hand lexicon.

Why a separate tier: the hand lexicon (``spin_lexicon.tsv``) is what the context model
and the benchmark's held-out families were built from, and model cards carry its
digest; the mined pairs come from real spinner dictionaries, 同义词词林 and real spun
pages (``cleannews.train.spin_mine_dicts``) and are far more numerous and far less
certain.  They are read here, never merged into :class:`~cleannews.spin.lexicon.Lexicon`
on disk, so every model stays valid while page detection and restoration can opt in.

How to use them:

* :func:`load_mined` — the table, once per process (lazy; nothing loads on import).
* :meth:`MinedLexicon.lexicon` — a scanner (:class:`~cleannews.spin.lexicon.Lexicon`)
  over a chosen part of the table, e.g. ``families=("classic",)``,
  ``statuses=("distinctive",)``: spun forms clean text (almost) never uses, each
  evidence of spinning by itself, for page detection.
* :meth:`MinedLexicon.originals_for` — every candidate original of a spun form with
  its counts, for a context decision.  ``ambiguous`` pairs (事情←工作, 发明←发现) are
  ordinary words: use them only on a page already known to be spun, and only where
  the context prefers the original.

Each :class:`MinedPair` keeps its evidence: the dictionaries it came from (``origins``),
its family and the counts in clean and in wild spun text, so a caller can set its own
thresholds (e.g. ``clean_spun * 100 < clean_original``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from cleannews.resources import read_table
from cleannews.spin.lexicon import Lexicon, Pair

MINED_FILE = "spin_mined.tsv"
FAMILIES = ("classic", "thesaurus", "wild")
STATUSES = ("distinctive", "supported", "ambiguous")


@dataclass(frozen=True, slots=True)
class MinedPair:
    """One mined substitution: ``original`` was written as ``spun`` by some spinner.

    ``origins`` names every source that lists it (``robin_replace:L1754``,
    ``cilin-ext:Aa01A05=``, ``wild-context:4/6frames``); ``clean_*`` and ``wild_*`` are
    occurrences of each form in the clean corpora and in the wild spun corpus.
    """

    original: str
    spun: str
    family: str
    status: str
    origins: tuple[str, ...]
    direction: str
    clean_original: int
    clean_spun: int
    wild_original: int
    wild_spun: int
    in_lexicon: bool


def parse_row(row: list[str]) -> MinedPair | None:
    """A table row as a pair, or ``None`` for a malformed or degenerate row."""
    if len(row) < 11:
        return None
    original, spun, family, status, origin, direction = (c.strip() for c in row[:6])
    if not original or not spun or original == spun or family not in FAMILIES or status not in STATUSES:
        return None
    try:
        counts = [int(c) for c in row[6:10]]
    except ValueError:
        return None
    return MinedPair(original, spun, family, status, tuple(o for o in origin.split(",") if o),
                     direction, *counts, row[10].strip() == "yes")


class MinedLexicon:
    """The mined pairs, indexed by spun form and by original."""

    def __init__(self, pairs: Iterable[MinedPair]) -> None:
        self.pairs: list[MinedPair] = list(pairs)
        by_spun: dict[str, list[MinedPair]] = {}
        by_original: dict[str, list[MinedPair]] = {}
        for p in self.pairs:
            by_spun.setdefault(p.spun, []).append(p)
            by_original.setdefault(p.original, []).append(p)
        self.by_spun = {k: tuple(v) for k, v in by_spun.items()}
        self.by_original = {k: tuple(v) for k, v in by_original.items()}

    def __len__(self) -> int:
        return len(self.pairs)

    def select(self, families: Iterable[str] | None = None,
               statuses: Iterable[str] | None = None) -> list[MinedPair]:
        """The pairs of the given families and statuses (``None``: all)."""
        fams = set(families) if families is not None else None
        stats = set(statuses) if statuses is not None else None
        return [p for p in self.pairs
                if (fams is None or p.family in fams) and (stats is None or p.status in stats)]

    def originals_for(self, spun: str) -> tuple[MinedPair, ...]:
        """Every pair whose spun form is ``spun`` (its candidate originals with their evidence)."""
        return self.by_spun.get(spun, ())

    def lexicon(self, families: Iterable[str] | None = ("classic", "wild"),
                statuses: Iterable[str] | None = ("distinctive", "supported"),
                exclude: frozenset[tuple[str, str]] = frozenset()) -> Lexicon:
        """A :class:`Lexicon` scanner over the selected pairs (``kind`` ``word``).

        ``Pair.status`` is ``mined-<status>`` and ``Pair.origin`` ``mined-<family>``, so
        an occurrence found by this scanner is never mistaken for a hand-lexicon pair.
        ``exclude`` drops ``(original, spun)`` pairs (e.g. the hand lexicon's, or a
        benchmark's held-out ones).
        """
        chosen = [Pair(p.original, p.spun, "word", f"mined-{p.status}", f"mined-{p.family}")
                  for p in self.select(families, statuses) if (p.original, p.spun) not in exclude]
        return Lexicon(chosen)

    def counts(self) -> dict[str, dict[str, int]]:
        """Pairs per family, per status and per family+status (for reports and tests)."""
        out: dict[str, dict[str, int]] = {"family": {}, "status": {}, "family/status": {}}
        for p in self.pairs:
            for key, value in (("family", p.family), ("status", p.status),
                               ("family/status", f"{p.family}/{p.status}")):
                out[key][value] = out[key].get(value, 0) + 1
        return out


def read_mined(name: str = MINED_FILE) -> MinedLexicon:
    """Read a mined-pairs table from the wordlists folder."""
    pairs = (parse_row(row) for row in read_table(name))
    return MinedLexicon(p for p in pairs if p is not None)


@cache
def load_mined() -> MinedLexicon:
    """The shipped mined pairs, read once per process."""
    return read_mined()

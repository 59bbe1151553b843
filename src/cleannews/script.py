"""Scripts: a Simplified view of any text with the same offsets, and rendering back.

Spam pages are usually Traditional, produced from mainland Simplified originals by
a naive character converter.  Wordlists and models speak Simplified, so filters
match against a Simplified *view* built with a one-character-to-one-character
table (``str.translate``: tens of MB/s, and offsets stay valid).  Replacements
are rendered back in the input's script; cleannews never changes the script of
a text on its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Literal

Script = Literal["Hans", "Hant"]


def _opencc_dictionary(name: str) -> str:
    import opencc

    return os.path.join(os.path.dirname(opencc.__file__), "dictionary", name)


@cache
def char_candidates(name: str) -> dict[str, tuple[str, ...]]:
    """Single-character entries of an OpenCC dictionary with all their candidates, in order."""
    table: dict[str, tuple[str, ...]] = {}
    with open(_opencc_dictionary(name), encoding="utf-8") as fh:
        for line in fh:
            key, _, values = line.rstrip("\n").partition("\t")
            if len(key) == 1 and values:
                table[key] = tuple(values.split(" "))
    return table


def _single_char_table(name: str) -> dict[str, str]:
    """First candidate of each single-character entry, where it is another single character."""
    return {key: forms[0] for key, forms in char_candidates(name).items()
            if len(forms[0]) == 1 and forms[0] != key}


@cache
def t2s_table() -> dict[int, str]:
    """Traditional→Simplified character table for ``str.translate``."""
    return {ord(k): v for k, v in _single_char_table("TSCharacters.txt").items()}


@cache
def s2t_chars() -> frozenset[str]:
    """Characters that only occur in Simplified text (they change under S→T)."""
    return frozenset(_single_char_table("STCharacters.txt"))


def to_simplified(text: str) -> str:
    """Character-level Traditional→Simplified; ``len`` is preserved."""
    return text.translate(t2s_table())


def detect_script(text: str) -> Script:
    """``Hant`` when Traditional-only characters outnumber Simplified-only ones."""
    table = t2s_table()
    simp = s2t_chars()
    trad_count = simp_count = 0
    for ch in text:
        if ord(ch) in table:
            trad_count += 1
        elif ch in simp:
            simp_count += 1
    return "Hant" if trad_count > simp_count else "Hans"


@cache
def _s2t_converter():  # pragma: no cover - trivial
    import opencc

    return opencc.OpenCC("s2t")


def render(simplified: str, script: Script) -> str:
    """Write a Simplified replacement in the script of the text it goes into."""
    if script == "Hans" or not simplified:
        return simplified
    return _s2t_converter().convert(simplified)


@dataclass(frozen=True, slots=True)
class ScriptView:
    """A text, its script, and its Simplified character-for-character view."""

    text: str
    simplified: str
    script: Script

    @classmethod
    def of(cls, text: str) -> ScriptView:
        simplified = to_simplified(text)
        script: Script = "Hant" if _has_enough_traditional(text, simplified) else "Hans"
        return cls(text, simplified, script)

    def render(self, simplified: str) -> str:
        return render(simplified, self.script)


def _has_enough_traditional(text: str, simplified: str) -> bool:
    """Fast script check: only count when the view differs from the text at all."""
    if text == simplified:
        return False
    return detect_script(text) == "Hant"

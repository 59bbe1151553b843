"""Scripts: a Simplified view of any text with the same offsets, and rendering back.

Spam pages are usually Traditional, produced from mainland Simplified originals by
a naive character converter.  Wordlists and models speak Simplified, so filters
match against a Simplified *view* built with a one-character-to-one-character
table (a code-point array indexed by the UTF-32 form of the text: hundreds of
MB/s, and offsets stay valid).  Replacements
are rendered back in the input's script; cleannews never changes the script of
a text on its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # numpy is imported on first use: `cleannews --help` must not pay for it
    import numpy as np

Script = Literal["Hans", "Hant"]

#: CJK Unified Ideographs: the Chinese characters of ordinary text.
UNIFIED = (0x4E00, 0x9FFF)
#: CJK Unified Ideographs Extension A (rare characters; some names and variants).
EXTENSION_A = (0x3400, 0x4DBF)
#: CJK Compatibility Ideographs (duplicates of unified characters that some converters emit).
COMPATIBILITY = (0xF900, 0xFAFF)


def is_cjk(ch: str, *, extension_a: bool = True, compatibility: bool = True) -> bool:
    """Whether ``ch`` is a Chinese character: the unified block, plus (by default) Extension A
    and the compatibility block.

    The one definition for every filter; the narrower choices are part of what a model
    counted (the spin context model's bigrams cover the unified block only, the fiction
    filter's topic bigrams the unified block and Extension A), so they stay as trained.
    """
    o = ord(ch)
    return (UNIFIED[0] <= o <= UNIFIED[1] or (extension_a and EXTENSION_A[0] <= o <= EXTENSION_A[1])
            or (compatibility and COMPATIBILITY[0] <= o <= COMPATIBILITY[1]))


def cjk_mask(codes: np.ndarray, *, extension_a: bool = True, compatibility: bool = True) -> np.ndarray:
    """:func:`is_cjk` over an array of code points."""
    mask = (codes >= UNIFIED[0]) & (codes <= UNIFIED[1])
    if extension_a:
        mask |= (codes >= EXTENSION_A[0]) & (codes <= EXTENSION_A[1])
    if compatibility:
        mask |= (codes >= COMPATIBILITY[0]) & (codes <= COMPATIBILITY[1])
    return mask


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


@cache
def _t2s_array() -> np.ndarray:
    """Code point → Simplified code point, for every code point (identity where unchanged)."""
    import numpy as np

    table = np.arange(0x110000, dtype=np.uint32)
    mapping = t2s_table()
    table[np.fromiter(mapping, dtype=np.int64)] = [ord(v) for v in mapping.values()]
    return table


@cache
def _script_array() -> np.ndarray:
    """Code point → +1 Traditional-only, −1 Simplified-only, 0 either (for :func:`detect_script`)."""
    import numpy as np

    table = np.zeros(0x110000, dtype=np.int8)
    table[[ord(c) for c in s2t_chars()]] = -1
    table[np.fromiter(t2s_table(), dtype=np.int64)] = 1  # a character in both lists counts as Traditional
    return table


def code_points(text: str) -> np.ndarray:
    """Code points of ``text`` as ``uint32``, one per character (offsets unchanged).

    ``surrogatepass``: a ``str`` may hold lone surrogates (from JSON ``\\ud800`` escapes);
    they become their own code points (unknown to every table and model) instead of raising.
    """
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def to_simplified(text: str) -> str:
    """Character-level Traditional→Simplified; ``len`` is preserved."""
    if not text:
        return text
    return _t2s_array()[code_points(text)].tobytes().decode("utf-32-le", "surrogatepass")


def detect_script(text: str) -> Script:
    """``Hant`` when Traditional-only characters outnumber Simplified-only ones."""
    if not text:
        return "Hans"
    marks = _script_array()[code_points(text)]
    return "Hant" if int((marks > 0).sum()) > int((marks < 0).sum()) else "Hans"


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

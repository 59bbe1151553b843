"""Context statistics from clean news, for deciding one spun slot at a time.

The model answers two kinds of questions with counts taken from the clean news
corpus (train split only):

* how often a lexicon form (original or spun) occurs, and how often with given
  one- or two-character neighbours on its left and right (``c(L1 + f)``,
  ``c(L2 + f)``, ``c(f + R1)``, ``c(f + R2)``);
* character unigram and bigram counts, to back off to when a form is rare;
* how often a form occurs in clean fiction (a novel's word is not a spinner's).

Everything is stored as two sorted ``uint64`` key arrays with ``uint32`` counts
(``models/spin_context.npz``, no pickle); a look-up is a binary search.  String
keys are hashed with BLAKE2b (64 bits): collisions among a few million keys are
negligible.  Counts exist only for forms of the lexicon the model was trained
with; forms added later fall back to the character statistics until the model
is retrained (``python -m cleannews.train.spin_context``).
"""

from __future__ import annotations

import hashlib
import math
from functools import cache
from pathlib import Path

import numpy as np

from cleannews.resources import models_dir

MODEL_FILE = "spin_context.npz"

#: ASCII punctuation written full-width before counting or looking up contexts (pages
#: written by converters often use ``,`` where news uses ``，``), and every digit written
#: ``0`` (``出现8`` and ``出现3`` are the same context).
_PUNCT = str.maketrans({",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）",
                        **{d: "0" for d in "123456789０１２３４５６７８９"}})


def normalise(text: str) -> str:
    """Length-preserving normalisation applied to training text and to page contexts."""
    return text.translate(_PUNCT)
CONTEXT_TYPES = ("F", "L1", "L2", "R1", "R2")


def form_key(kind: str, context: str, form: str) -> int:
    """64-bit key of a (context type, context string, form) triple."""
    data = f"{kind}\x1f{context}\x1f{form}".encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def char_key(a: str, b: str = "") -> int:
    """Key of a character bigram ``ab`` (or unigram ``a`` when ``b`` is empty)."""
    return (ord(a) << 21) | (ord(b) if b else 0)


class ContextModel:
    """Counts of lexicon forms in context, and character n-gram counts."""

    def __init__(self, form_keys: np.ndarray, form_counts: np.ndarray, char_keys: np.ndarray,
                 char_counts: np.ndarray, total_chars: int) -> None:
        self.form_keys = form_keys
        self.form_counts = form_counts
        self.char_keys = char_keys
        self.char_counts = char_counts
        self.total_chars = max(1, total_chars)
        self._cache: dict[int, int] = {}
        self._fits: dict[tuple[str, str, str, str], tuple[float, float, float]] = {}

    @staticmethod
    def _find(keys: np.ndarray, counts: np.ndarray, key: int) -> int:
        i = int(np.searchsorted(keys, np.uint64(key)))
        if i < len(keys) and int(keys[i]) == key:
            return int(counts[i])
        return 0

    def form(self, kind: str, context: str, form: str) -> int:
        """``c(context + form)`` (L types) / ``c(form + context)`` (R types) / ``c(form)`` (``F``)."""
        key = form_key(kind, context, form)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._find(self.form_keys, self.form_counts, key)
            if len(self._cache) > 200_000:
                self._cache.clear()
        return hit

    def count(self, form: str) -> int:
        """Occurrences of ``form`` in clean news (train split)."""
        return self.form("F", "", form)

    def fiction_count(self, form: str) -> int:
        """Occurrences of ``form`` in clean fiction (train books)."""
        return self.form("FF", "", form)

    def char(self, a: str, b: str = "") -> int:
        key = -1 - char_key(a, b)  # negative: never collides with a 64-bit form key
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._find(self.char_keys, self.char_counts, -1 - key)
        return hit

    def p_left_char(self, left: str, first: str) -> float:
        """P(the character before ``first`` is ``left``), from bigrams, smoothed by unigrams."""
        c_first = self.char(first)
        p_uni = (self.char(left) + 0.5) / self.total_chars
        if c_first == 0:
            return p_uni
        return (self.char(left, first) + 2.0 * p_uni) / (c_first + 2.0)

    def p_right_char(self, last: str, right: str) -> float:
        """P(the character after ``last`` is ``right``)."""
        c_last = self.char(last)
        p_uni = (self.char(right) + 0.5) / self.total_chars
        if c_last == 0:
            return p_uni
        return (self.char(last, right) + 2.0 * p_uni) / (c_last + 2.0)

    def cached_fit(self, form: str, left: str, right: str) -> tuple[float, float, float]:
        """:meth:`log_fit`, memoised (a page is decided in several passes)."""
        key = ("fit", form, left, right)
        hit = self._fits.get(key)
        if hit is None:
            if len(self._fits) > 100_000:
                self._fits.clear()
            hit = self._fits[key] = self.log_fit(form, left, right)
        return hit

    def cached_junction(self, form: str, left: str, right: str) -> tuple[float, float, float]:
        """:meth:`log_junction`, memoised."""
        key = ("junction", form, left, right)
        hit = self._fits.get(key)
        if hit is None:
            if len(self._fits) > 100_000:
                self._fits.clear()
            hit = self._fits[key] = self.log_junction(form, left, right)
        return hit

    def log_junction(self, form: str, left: str, right: str) -> tuple[float, float, float]:
        """(log c(form), left, right): character-bigram log-probabilities at the junctions.

        Used when one of the forms is (practically) absent from clean news, so that
        its lexical context counts are empty: both options are then judged the same
        way, by how their edge characters join the neighbours (a look-alike such as
        ``套餐与加入`` joins ``套`` + ``餐`` far better than ``套`` + ``参``).
        """
        prior = math.log(self.count(form) + 0.5)
        lp = math.log(self.p_left_char(left[-1], form[0])) if left else 0.0
        rp = math.log(self.p_right_char(form[-1], right[0])) if right else 0.0
        return prior, lp, rp

    def log_fit(self, form: str, left: str, right: str, alpha: float = 0.2) -> tuple[float, float, float]:
        """(log c(form), log P(left context | form), log P(right context | form)).

        ``left``/``right`` are the (up to) two characters before/after the slot as
        they would read with ``form`` in it.  Each side is a two-level chain: the
        one-character context given the form, then the second character given the
        first and the form; each level interpolates (weight ``alpha``) with the
        character bigram at that junction.  Fixed-weight interpolation gives an
        unseen context the same probability whatever the form's frequency, so a
        rare form is not favoured merely because its counts are sparse.
        """
        c_f = self.count(form)
        prior = math.log(c_f + 0.5)
        keep = 1.0 - alpha
        lp = rp = 0.0
        if left:
            l1 = left[-1]
            c_l1 = self.form("L1", l1, form)
            p = self.p_left_char(l1, form[0])
            lp += math.log(keep * c_l1 / c_f + alpha * p if c_f else p)
            if len(left) >= 2:
                c_l2 = self.form("L2", left[-2:], form)
                p = self.p_left_char(left[-2], l1)
                lp += math.log(keep * c_l2 / c_l1 + alpha * p if c_l1 else p)
        if right:
            r1 = right[0]
            c_r1 = self.form("R1", r1, form)
            p = self.p_right_char(form[-1], r1)
            rp += math.log(keep * c_r1 / c_f + alpha * p if c_f else p)
            if len(right) >= 2:
                c_r2 = self.form("R2", right[:2], form)
                p = self.p_right_char(r1, right[1])
                rp += math.log(keep * c_r2 / c_r1 + alpha * p if c_r1 else p)
        return prior, lp, rp


def load_npz(path: Path) -> ContextModel:
    with np.load(path, allow_pickle=False) as data:
        return ContextModel(
            data["form_keys"], data["form_counts"], data["char_keys"], data["char_counts"],
            int(data["total_chars"]),
        )


@cache
def load_context_model() -> ContextModel | None:
    """The shipped context model, or ``None`` when it has not been trained yet."""
    path = models_dir() / MODEL_FILE
    if not path.exists():
        return None
    return load_npz(path)

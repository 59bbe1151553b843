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
from array import array
from bisect import bisect_left
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
    """Counts of lexicon forms in context, and character n-gram counts.

    A page asks the same few questions many times (one slot is read in several
    passes, with each neighbour's readings), and pages share most of their
    contexts, so every answer is memoised by its *strings*: a repeated question
    costs one dict look-up, with no hashing into the 64-bit key space and no
    binary search (a miss goes to :class:`_CountTable`).  The side scores of
    :meth:`log_fit` / :meth:`log_junction` are memoised per side: the left side
    depends on the form and the left context only, so it is shared by every
    right context the slot is read with.  Every memoised value is computed with
    the same arithmetic, in the same order, as the unmemoised methods, so results
    are bit-identical.
    """

    #: memo sizes from which a memo is emptied (bounds memory on endless streams).
    MAX_MEMO = 300_000

    def __init__(self, form_keys: np.ndarray, form_counts: np.ndarray, char_keys: np.ndarray,
                 char_counts: np.ndarray, total_chars: int) -> None:
        self.form_keys = form_keys
        self.form_counts = form_counts
        self.char_keys = char_keys
        self.char_counts = char_counts
        self.total_chars = max(1, total_chars)
        self._form_table = _CountTable(form_keys, form_counts)
        self._char_table = _CountTable(char_keys, char_counts)
        self._forms: dict[tuple[str, str, str], int] = {}
        self._chars: dict[str, int] = {}
        self._lefts: dict[tuple[str, str], float] = {}
        self._rights: dict[tuple[str, str], float] = {}
        self._left_junctions: dict[tuple[str, str], float] = {}
        self._right_junctions: dict[tuple[str, str], float] = {}
        self._priors: dict[str, float] = {}
        self._levels: dict[tuple[str, str, str], tuple[float, int]] = {}
        self._p_lefts: dict[str, float] = {}
        self._p_rights: dict[str, float] = {}
        self._log_p_lefts: dict[str, float] = {}
        self._log_p_rights: dict[str, float] = {}

    def form(self, kind: str, context: str, form: str) -> int:
        """``c(context + form)`` (L types) / ``c(form + context)`` (R types) / ``c(form)`` (``F``)."""
        key = (kind, context, form)
        hit = self._forms.get(key)
        if hit is None:
            if len(self._forms) >= self.MAX_MEMO:
                self._forms.clear()
            hit = self._forms[key] = self._form_table.get(form_key(kind, context, form))
        return hit

    def count(self, form: str) -> int:
        """Occurrences of ``form`` in clean news (train split)."""
        return self.form("F", "", form)

    def fiction_count(self, form: str) -> int:
        """Occurrences of ``form`` in clean fiction (train books)."""
        return self.form("FF", "", form)

    def char(self, a: str, b: str = "") -> int:
        """Count of the character ``a`` (``b`` empty) or of the bigram ``ab``."""
        key = a + b
        hit = self._chars.get(key)
        if hit is None:
            if len(self._chars) >= self.MAX_MEMO:
                self._chars.clear()
            hit = self._chars[key] = self._char_table.get(char_key(a, b))
        return hit

    def p_left_char(self, left: str, first: str) -> float:
        """P(the character before ``first`` is ``left``), from bigrams, smoothed by unigrams."""
        hit = self._p_lefts.get(left + first)
        if hit is None:
            hit = self._p_neighbour(self._p_lefts, left, first, neighbour=left, anchor=first)
        return hit

    def p_right_char(self, last: str, right: str) -> float:
        """P(the character after ``last`` is ``right``)."""
        hit = self._p_rights.get(last + right)
        if hit is None:
            hit = self._p_neighbour(self._p_rights, last, right, neighbour=right, anchor=last)
        return hit

    def _p_neighbour(self, memo: dict[str, float], a: str, b: str, *, neighbour: str, anchor: str) -> float:
        """P(``neighbour`` beside ``anchor`` in the bigram ``ab``), smoothed by unigrams; memoised."""
        c_anchor = self.char(anchor)
        p_uni = (self.char(neighbour) + 0.5) / self.total_chars
        value = p_uni if c_anchor == 0 else (self.char(a, b) + 2.0 * p_uni) / (c_anchor + 2.0)
        return self._remember(memo, a + b, value)

    def prior(self, form: str) -> float:
        """``log c(form)`` (smoothed): the first term of :meth:`log_fit` and :meth:`log_junction`."""
        hit = self._priors.get(form)
        if hit is None:
            hit = self._remember(self._priors, form, math.log(self.count(form) + 0.5))
        return hit

    def left_fit(self, form: str, left: str) -> float:
        """``log P(left context | form)`` of :meth:`log_fit`, memoised."""
        key = (form, left)
        hit = self._lefts.get(key)
        if hit is None:
            if not left:
                value = 0.0
            else:
                # the chain's first level depends on one character only, and its second level
                # needs no form count when the first found none: both memoised on their own
                l1 = left[-1]
                lp, c_l1 = self._first_level("L1", form, l1)
                if len(left) >= 2:
                    if c_l1:
                        p = self.p_left_char(left[-2], l1)
                        lp += math.log(0.8 * self.form("L2", left[-2:], form) / c_l1 + 0.2 * p)
                    else:
                        lp += self._log_p_left(left[-2], l1)
                value = lp
            hit = self._remember(self._lefts, key, value)
        return hit

    def right_fit(self, form: str, right: str) -> float:
        """``log P(right context | form)`` of :meth:`log_fit`, memoised."""
        key = (form, right)
        hit = self._rights.get(key)
        if hit is None:
            if not right:
                value = 0.0
            else:
                r1 = right[0]
                rp, c_r1 = self._first_level("R1", form, r1)
                if len(right) >= 2:
                    if c_r1:
                        p = self.p_right_char(r1, right[1])
                        rp += math.log(0.8 * self.form("R2", right[:2], form) / c_r1 + 0.2 * p)
                    else:
                        rp += self._log_p_right(r1, right[1])
                value = rp
            hit = self._remember(self._rights, key, value)
        return hit

    def _first_level(self, kind: str, form: str, near: str) -> tuple[float, int]:
        """(first-level log-probability of the neighbour ``near`` given ``form``, c(neighbour + form)).

        The same arithmetic as :meth:`_left_fit` / :meth:`_right_fit` with ``alpha`` 0.2.
        """
        key = (kind, form, near)
        hit = self._levels.get(key)
        if hit is None:
            c_f = self.count(form)
            c_near = self.form(kind, near, form)
            p = self.p_left_char(near, form[0]) if kind == "L1" else self.p_right_char(form[-1], near)
            value = math.log(0.8 * c_near / c_f + 0.2 * p if c_f else p)
            if len(self._levels) >= self.MAX_MEMO:
                self._levels.clear()
            hit = self._levels[key] = (value, c_near)
        return hit

    def _log_p_left(self, left: str, first: str) -> float:
        key = left + first
        hit = self._log_p_lefts.get(key)
        if hit is None:
            hit = self._remember(self._log_p_lefts, key, math.log(self.p_left_char(left, first)))
        return hit

    def _log_p_right(self, last: str, right: str) -> float:
        key = last + right
        hit = self._log_p_rights.get(key)
        if hit is None:
            hit = self._remember(self._log_p_rights, key, math.log(self.p_right_char(last, right)))
        return hit

    def left_junction(self, form: str, left: str) -> float:
        """The left junction term of :meth:`log_junction`, memoised."""
        key = (form, left)
        hit = self._left_junctions.get(key)
        if hit is None:
            value = math.log(self.p_left_char(left[-1], form[0])) if left else 0.0
            hit = self._remember(self._left_junctions, key, value)
        return hit

    def right_junction(self, form: str, right: str) -> float:
        """The right junction term of :meth:`log_junction`, memoised."""
        key = (form, right)
        hit = self._right_junctions.get(key)
        if hit is None:
            value = math.log(self.p_right_char(form[-1], right[0])) if right else 0.0
            hit = self._remember(self._right_junctions, key, value)
        return hit

    def _remember(self, memo: dict, key: object, value: float) -> float:
        if len(memo) >= self.MAX_MEMO:
            memo.clear()
        memo[key] = value
        return value

    def cached_fit(self, form: str, left: str, right: str) -> tuple[float, float, float]:
        """:meth:`log_fit` from the memoised parts (a page is decided in several passes)."""
        return self.prior(form), self.left_fit(form, left), self.right_fit(form, right)

    def cached_junction(self, form: str, left: str, right: str) -> tuple[float, float, float]:
        """:meth:`log_junction` from the memoised parts."""
        return self.prior(form), self.left_junction(form, left), self.right_junction(form, right)

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
        return self.prior(form), self._left_fit(form, left, alpha), self._right_fit(form, right, alpha)

    def _left_fit(self, form: str, left: str, alpha: float) -> float:
        if not left:
            return 0.0
        c_f = self.count(form)
        keep = 1.0 - alpha
        l1 = left[-1]
        c_l1 = self.form("L1", l1, form)
        p = self.p_left_char(l1, form[0])
        lp = math.log(keep * c_l1 / c_f + alpha * p if c_f else p)
        if len(left) >= 2:
            p = self.p_left_char(left[-2], l1)
            # c(L2 + form) only matters when c(L1 + form) is not zero: skip the look-up otherwise
            lp += math.log(keep * self.form("L2", left[-2:], form) / c_l1 + alpha * p if c_l1 else p)
        return lp

    def _right_fit(self, form: str, right: str, alpha: float) -> float:
        if not right:
            return 0.0
        c_f = self.count(form)
        keep = 1.0 - alpha
        r1 = right[0]
        c_r1 = self.form("R1", r1, form)
        p = self.p_right_char(form[-1], r1)
        rp = math.log(keep * c_r1 / c_f + alpha * p if c_f else p)
        if len(right) >= 2:
            p = self.p_right_char(r1, right[1])
            rp += math.log(keep * self.form("R2", right[:2], form) / c_r1 + alpha * p if c_r1 else p)
        return rp


class _CountTable:
    """A sorted ``uint64`` key column with its counts, for scalar look-ups from Python.

    The columns are plain :class:`array.array` copies (a scalar ``numpy.searchsorted``
    costs more in call overhead than the search itself), and a bucket index on the
    top 16 bits of the keys narrows each binary search to a few neighbouring entries
    instead of some twenty cache-missing steps over the whole column.
    """

    BUCKET_BITS = 16

    def __init__(self, keys: np.ndarray, counts: np.ndarray) -> None:
        keys = np.ascontiguousarray(keys, dtype=np.uint64)
        self.keys = array("Q", keys.tobytes())
        self.counts = array("I", np.ascontiguousarray(counts, dtype=np.uint32).tobytes())
        top = int(keys[-1]) if len(keys) else 0
        self.shift = max(0, top.bit_length() - self.BUCKET_BITS)
        # index[b] = first position of a key in bucket b; the last entry closes the last bucket
        bounds = np.arange((top >> self.shift) + 1, dtype=np.uint64) << np.uint64(self.shift)
        self.index = array("Q", np.searchsorted(keys, bounds).astype(np.uint64).tobytes())
        self.index.append(len(keys))

    def get(self, key: int) -> int:
        """The count stored for ``key``, 0 when it is absent."""
        bucket = key >> self.shift
        if bucket + 1 >= len(self.index):
            return 0
        lo, hi = self.index[bucket], self.index[bucket + 1]
        i = bisect_left(self.keys, key, lo, hi)
        return self.counts[i] if i < hi and self.keys[i] == key else 0


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

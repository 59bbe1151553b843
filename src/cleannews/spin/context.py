"""Context statistics from clean news, for deciding one spun slot at a time.

The model answers two kinds of questions with counts taken from the clean news
corpus (train split only):

* how often a lexicon form (original or spun) occurs, and how often with given
  one- or two-character neighbours on its left and right (``c(L1 + f)``,
  ``c(L2 + f)``, ``c(f + R1)``, ``c(f + R2)``);
* character unigram and bigram counts, to back off to when a form is rare;
* how often a form occurs in clean fiction (a novel's word is not a spinner's);
* the *wider context*: per form, how often each Chinese character bigram occurs
  within :data:`WINDOW` characters beyond the two next to it (``涌现`` goes with
  ``创新``, ``成果``; ``出现`` with ``降雨``, ``灾害``), kept from a floor count on
  (the model stores how far it pruned, so an absent count is read as "below the
  floor", not as zero: :meth:`ContextModel.window_gains`).

Everything is stored as two sorted ``uint64`` key arrays with ``uint32`` counts
(``models/spin_context.npz``, no pickle); a look-up is a binary search.  String
keys are hashed with BLAKE2b (64 bits): collisions among a few million keys are
negligible.  Wider-context keys are exact: the form's index in ``window_forms``
above the bigram's two code points (:func:`window_key`), looked up for a whole
page at once with :func:`numpy.searchsorted`.  Counts exist only for forms of the
lexicon the model was trained with; forms added later fall back to the character
statistics (and get no wider context) until the model is retrained
(``python -m cleannews.train.spin_context``).
"""

from __future__ import annotations

import hashlib
import math
from array import array
from bisect import bisect_left
from pathlib import Path
from typing import Any

import numpy as np

from cleannews.resources import models_dir
from cleannews.script import cjk_mask, code_points, is_cjk

MODEL_FILE = "spin_context.npz"

#: ASCII punctuation written full-width before counting or looking up contexts (pages
#: written by converters often use ``,`` where news uses ``，``), and every digit written
#: ``0`` (``出现8`` and ``出现3`` are the same context).
_PUNCT = str.maketrans({",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）",
                        **{d: "0" for d in "123456789０１２３４５６７８９"}})


def fold_for_context(text: str) -> str:
    """Length-preserving normalisation applied to training text and to page contexts."""
    return text.translate(_PUNCT)
CONTEXT_TYPES = ("F", "L1", "L2", "R1", "R2")
#: characters next to a form read by the near context (``L1``/``L2``, ``R1``/``R2``).
NEAR = 2
#: characters beyond those, on each side, whose Chinese bigrams make the wider context.
WINDOW = 8
#: weight of a bigram's background rate in the wider-context rates (keeps the ratios of
#: rates that are both tiny near 1).
WINDOW_SMOOTH = 1.0
#: cap (nats) on what one wider-context bigram can say.
WINDOW_BIGRAM_CAP = 1.5


def window_key(form_id: int, bigram: str) -> int:
    """Key of (form, Chinese bigram of its wider context): form id above the bigram's code points."""
    return (form_id << 42) | (ord(bigram[0]) << 21) | ord(bigram[1])


#: bigram starts of the wider context, relative to a form's start (left) and end (right).
LEFT_WINDOW = np.arange(-NEAR - WINDOW, -NEAR - 1)
RIGHT_WINDOW = np.arange(NEAR, NEAR + WINDOW - 1)


def is_unified(ch: str) -> bool:
    """The characters whose bigrams the model counts (the unified block: :func:`cleannews.script.is_cjk`)."""
    return is_cjk(ch, extension_a=False, compatibility=False)


def window_bigrams(text: str, start: int, end: int) -> list[str]:
    """The Chinese bigrams of the wider context of ``text[start:end]`` (as counted in training)."""
    out = []
    for a, b in ((max(0, start - NEAR - WINDOW), max(0, start - NEAR)), (end + NEAR, end + NEAR + WINDOW)):
        w = text[a:b]
        for k in range(len(w) - 1):
            if is_unified(w[k]) and is_unified(w[k + 1]):
                out.append(w[k : k + 2])
    return out


def form_key(kind: str, context: str, form: str) -> int:
    """64-bit key of a (context type, context string, form) triple."""
    data = f"{kind}\x1f{context}\x1f{form}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def form_keys(joined: list[str]) -> np.ndarray:
    """:func:`form_key` of many ``f"{kind}\\x1f{context}\\x1f{form}"`` strings, as a ``uint64`` array.

    The digests are concatenated and read as little-endian words in one go, instead of
    each being turned into a Python integer and back.
    """
    blake2b = hashlib.blake2b
    data = b"".join([blake2b(j.encode("utf-8", "surrogatepass"), digest_size=8).digest() for j in joined])
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


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
        self._form_keys_np = np.ascontiguousarray(form_keys, dtype=np.uint64)
        self._form_counts_np = np.asarray(form_counts, dtype=np.float64)
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
        #: memos of :mod:`cleannews.spin.decide` (answers that depend on this model and a pair
        #: or a confusion set only), owned here so they live and die with the model
        self.unambiguous_memo: dict[tuple[str, str], bool] = {}
        self.news_rare_memo: dict[tuple[str, str], bool] = {}
        self.slot_memo: dict[tuple[str, int], Any] = {}
        self._window_keys: np.ndarray | None = None
        self._window_counts: np.ndarray | None = None
        self._window_ids: dict[str, int] = {}
        self._window_stats: dict[tuple[str, str], tuple[int, int, int, int]] = {}
        self.window_floor = 1
        self._char_keys_np = np.ascontiguousarray(char_keys, dtype=np.uint64)
        self._char_counts_np = np.asarray(char_counts, dtype=np.float64)
        self._dense_unigrams: np.ndarray | None = None

    def _unigrams(self, codes: np.ndarray) -> np.ndarray:
        """Counts of the characters ``codes`` (code points), as a binary search of
        ``char_key(c)`` would find them, from a dense column built on first use."""
        dense = self._dense_unigrams
        if dense is None:
            keys = self._char_keys_np
            uni = (keys & np.uint64((1 << 21) - 1)) == 0
            codes_known = (keys[uni] >> np.uint64(21)).astype(np.int64)
            dense = np.zeros(int(codes_known.max()) + 1 if len(codes_known) else 0)
            dense[codes_known] = self._char_counts_np[uni]
            self._dense_unigrams = dense
        idx = codes.astype(np.int64)
        inside = idx < len(dense)
        return np.where(inside, dense[np.where(inside, idx, 0)] if len(dense) else 0.0, 0.0)

    def set_window(self, forms: np.ndarray, keys: np.ndarray, counts: np.ndarray) -> None:
        """Attach the wider-context counts (:func:`window_key` keys over ``forms``)."""
        self._window_ids = {str(f): i for i, f in enumerate(forms.tolist())}
        self._window_stats.clear()
        self._window_keys = np.ascontiguousarray(keys, dtype=np.uint64)
        self._window_counts = np.asarray(counts, dtype=np.float64)
        self.window_floor = int(counts.min()) if len(counts) else 1  # the trainer's pruning floor

    @property
    def has_window(self) -> bool:
        return self._window_keys is not None

    def window_gain(self, original: str, spun: str, bigrams: list[str]) -> float:
        """Log-odds the wider context gives ``original`` over ``spun`` (see :meth:`window_gains`)."""
        return self.window_gains([(original, spun, bigrams)])[0]

    def window_gains(self, jobs: list[tuple[str, str, list[str]]]) -> list[float]:
        """For each ``(original, spun, bigrams)``: the log-odds the wider context gives the original.

        0 when a form was not counted; else the sum over the window's bigrams of the
        *smallest* log rate ratio the counts allow.  A stored count gives a form's rate
        itself; an absent one only says the count was below the training floor, so the
        rate lies anywhere in ``[0, (floor - 1) / c(form)]`` (a rare form's absent bigram
        proves little).  Rates are smoothed by :data:`WINDOW_SMOOTH` times the bigram's
        expected count in a window of text, and each bigram's say is capped at
        :data:`WINDOW_BIGRAM_CAP` nats: the window is a bag of topic clues, none of which
        may decide alone.
        """
        job_of: list[int] = []
        codes: list[int] = []
        for j, (_, _, bigrams) in enumerate(jobs):
            for b in bigrams:
                job_of.append(j)
                codes.append(ord(b[0]) << 21 | ord(b[1]))
        return self._window_sums([(o, s) for o, s, _ in jobs], np.array(job_of, dtype=np.int64),
                                 np.array(codes, dtype=np.uint64)).tolist()

    def window_gains_at(self, text: str, slots: list[tuple[int, str, str]]) -> np.ndarray:
        """:meth:`window_gains` for ``(start, original, spun)`` slots of ``text`` (the original
        written at ``start``), the windows cut and looked up for the whole page at once."""
        n = len(slots)
        if self._window_keys is None or not n or len(text) < 2:
            return np.zeros(n)
        chars = code_points(text).astype(np.uint64)
        cjk = cjk_mask(chars, extension_a=False, compatibility=False)
        big = (chars[:-1] << np.uint64(21)) | chars[1:]
        big_ok = cjk[:-1] & cjk[1:]
        starts = np.array([a for a, _, _ in slots], dtype=np.int64)
        ends = starts + np.array([len(o) for _, o, _ in slots], dtype=np.int64)
        pos = np.concatenate([starts[:, None] + LEFT_WINDOW, ends[:, None] + RIGHT_WINDOW], axis=1)
        job = np.broadcast_to(np.arange(n)[:, None], pos.shape)
        inside = (pos >= 0) & (pos < len(big))
        pos, job = pos[inside], job[inside]
        keep = big_ok[pos]
        return self._window_sums([(o, s) for _, o, s in slots], job[keep], big[pos[keep]])

    def _window_sums(self, pairs: list[tuple[str, str]], job: np.ndarray, code: np.ndarray) -> np.ndarray:
        """Per (original, spun) pair, the summed capped log rate ratios of its bigrams ``code[job == i]``."""
        out = np.zeros(len(pairs))
        if self._window_keys is None or not len(job):
            return out
        ids, stats = self._window_ids, self._window_stats
        rows = []
        for pair in pairs:  # (form ids, form counts) of each pair, worked out once per process
            row = stats.get(pair)
            if row is None:
                original, spun = pair
                row = (ids.get(original, -1), ids.get(spun, -1), self.count(original), self.count(spun))
                if len(stats) >= self.MAX_MEMO:
                    stats.clear()
                stats[pair] = row
            rows.append(row)
        f_o = np.array([r[0] for r in rows], dtype=np.int64)
        f_s = np.array([r[1] for r in rows], dtype=np.int64)
        n_o = np.array([r[2] for r in rows], dtype=np.float64)
        n_s = np.array([r[3] for r in rows], dtype=np.float64)
        known = (f_o >= 0) & (f_s >= 0)
        sel = known[job]
        job, code = job[sel], code[sel]
        if not len(job):
            return out
        fo, fs = f_o[job].astype(np.uint64), f_s[job].astype(np.uint64)
        both = _lookup(self._window_keys, self._window_counts,
                       np.concatenate([(fo << np.uint64(42)) | code, (fs << np.uint64(42)) | code]))
        c_o, c_s = both[: len(code)], both[len(code) :]
        c_b = _lookup(self._char_keys_np, self._char_counts_np, code)
        q = WINDOW_SMOOTH * 2 * (WINDOW - 1) * (c_b + 0.5) / self.total_chars
        no, ns = n_o[job], n_s[job]
        gap = float(self.window_floor - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            o_lo = np.where(no > 0, c_o / no, 0.0)
            o_hi = np.where(c_o > 0, o_lo, np.where(no > 0, gap / no, 1.0))
            s_lo = np.where(ns > 0, c_s / ns, 0.0)
            s_hi = np.where(c_s > 0, s_lo, np.where(ns > 0, gap / ns, 1.0))
            up = np.minimum(WINDOW_BIGRAM_CAP, np.log((o_lo + q) / (s_hi + q)))
            down = np.minimum(WINDOW_BIGRAM_CAP, np.log((s_lo + q) / (o_hi + q)))
        contrib = np.where(o_lo > s_hi, up, np.where(s_lo > o_hi, -down, 0.0))
        return np.bincount(job, weights=contrib, minlength=len(pairs))

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

    def prefetch_fits(self, lefts: set[tuple[str, str]], rights: set[tuple[str, str]]) -> None:
        """Compute the not yet memoised :meth:`left_fit` / :meth:`right_fit` values of a page at once.

        A page asks thousands of (form, context) questions seen nowhere before; one
        by one, each costs a few hashed look-ups with a binary search apiece.  Here
        all their counts are looked up with one :func:`numpy.searchsorted` per
        column, the arithmetic is done in the same order as the scalar methods
        (IEEE operations round the same in numpy as in Python) and the logarithms
        with :func:`math.log`, so the memoised values are bit-identical to what the
        scalar methods would compute.
        """
        memo_l, memo_r = self._lefts, self._rights
        todo_l = [fc for fc in lefts if fc[1] and fc not in memo_l]
        todo_r = [fc for fc in rights if fc[1] and fc not in memo_r]
        if len(todo_l) + len(todo_r) < 16:
            return
        if len(self._lefts) + len(todo_l) >= self.MAX_MEMO:
            self._lefts.clear()
        if len(self._rights) + len(todo_r) >= self.MAX_MEMO:
            self._rights.clear()
        self._lefts.update(zip(todo_l, self._fits(todo_l, left=True), strict=True))
        self._rights.update(zip(todo_r, self._fits(todo_r, left=False), strict=True))

    def _fits(self, todo: list[tuple[str, str]], *, left: bool) -> list[float]:
        """Vectorised :meth:`left_fit` (``left``) or :meth:`right_fit` for ``(form, context)`` pairs."""
        if not todo:
            return []
        forms = [f for f, _ in todo]
        if left:  # the near context character, the far one ("" if none), the form's edge character
            near, far, edge = [c[-1] for _, c in todo], [c[-2:-1] for _, c in todo], [f[0] for f in forms]
            k1, k2, ctx2 = "L1", "L2", [c[-2:] for _, c in todo]
        else:
            near, far, edge = [c[0] for _, c in todo], [c[1:2] for _, c in todo], [f[-1] for f in forms]
            k1, k2, ctx2 = "R1", "R2", [c[:2] for _, c in todo]
        count_of = {f: self.count(f) for f in set(forms)}  # a page has few distinct forms
        c_f = np.array([count_of[f] for f in forms], dtype=np.float64)
        keys = form_keys([f"{k1}\x1f{a}\x1f{f}" for a, f in zip(near, forms, strict=True)])
        c_near = _lookup(self._form_keys_np, self._form_counts_np, keys)
        # the far level needs c(far + near + form) only where c(near + form) is not zero (as left_fit)
        two = [i for i, (b, c) in enumerate(zip(far, c_near.tolist(), strict=True)) if b and c]
        c_far_form = np.zeros(len(todo))
        if two:
            keys = form_keys([f"{k2}\x1f{ctx2[i]}\x1f{forms[i]}" for i in two])
            c_far_form[two] = _lookup(self._form_keys_np, self._form_counts_np, keys)
        # character statistics: P(neighbour beside anchor) as _p_neighbour (p_uni if the anchor is unseen)
        o_near, o_far, o_edge = (code_points("".join(chars)).astype(np.uint64) for chars in
                                 (near, [b or "\x00" for b in far], edge))  # no far character: 0
        shift = np.uint64(21)
        big1 = (o_near << shift) | o_edge if left else (o_edge << shift) | o_near
        big2 = (o_far << shift) | o_near if left else (o_near << shift) | o_far
        # bigrams by binary search; unigrams (keys with an empty second character) from a dense column
        cc_big = _lookup(self._char_keys_np, self._char_counts_np, np.concatenate([big1, big2]))
        cc_uni = self._unigrams(np.concatenate([o_edge, o_near, o_far]))
        n = len(todo)
        cc = (cc_big[:n], cc_uni[:n], cc_uni[n : 2 * n], cc_big[n:], cc_uni[2 * n :])
        total = self.total_chars
        with np.errstate(divide="ignore", invalid="ignore"):
            p_uni1 = (cc[2] + 0.5) / total
            p1 = np.where(cc[1] == 0, p_uni1, (cc[0] + 2.0 * p_uni1) / (cc[1] + 2.0))
            level1 = np.where(c_f > 0, 0.8 * c_near / c_f + 0.2 * p1, p1)
            p_uni2 = (cc[4] + 0.5) / total
            p2 = np.where(cc[2] == 0, p_uni2, (cc[3] + 2.0 * p_uni2) / (cc[2] + 2.0))
            level2 = np.where(c_near > 0, 0.8 * c_far_form / c_near + 0.2 * p2, p2)
        log = math.log
        return [log(v1) + log(v2) if b else log(v1)
                for v1, v2, b in zip(level1.tolist(), level2.tolist(), far, strict=True)]

    def side_scorers(self, junction: bool) -> tuple:
        """(left scorer, right scorer, left memo, right memo): :meth:`left_junction` /
        :meth:`right_junction` when ``junction``, else :meth:`left_fit` / :meth:`right_fit`,
        with the dicts they memoise ``(form, context)`` into (a hit there is the scorer's
        answer, read without a method call)."""
        if junction:
            return self.left_junction, self.right_junction, self._left_junctions, self._right_junctions
        return self.left_fit, self.right_fit, self._lefts, self._rights

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


def _lookup(keys: np.ndarray, counts: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Counts of ``queries`` in a sorted key column (0 for absent keys), vectorised."""
    if not len(keys):
        return np.zeros(len(queries))
    order = np.argsort(queries)  # sorted queries search a large column far faster (cache locality)
    ordered = queries[order]
    idx = np.minimum(np.searchsorted(keys, ordered), len(keys) - 1)
    out = np.empty(len(queries))
    out[order] = np.where(keys[idx] == ordered, counts[idx], 0.0)
    return out


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
        model = ContextModel(
            data["form_keys"], data["form_counts"], data["char_keys"], data["char_counts"],
            int(data["total_chars"]),
        )
        if "window_keys" in data:
            model.set_window(data["window_forms"], data["window_keys"], data["window_counts"])
        return model


def read_context_model() -> ContextModel:
    """Read the shipped context model, after checking its model card (:mod:`cleannews.modelfile`):
    a missing file or one trained on another lexicon raises :class:`~cleannews.modelfile.ModelError`."""
    from cleannews.modelfile import check_card

    path = models_dir() / MODEL_FILE
    check_card(path)
    return load_npz(path)


def load_context_model() -> ContextModel:
    """The context model of the process-wide :class:`~cleannews.resources.Resources`."""
    from cleannews.resources import Resources

    return Resources.default().spin_model()

"""Hashed character n-gram language models, scored with numpy.

Why this shape: the fiction filter must read every character of every page at
several MB/s, so a model is a handful of flat arrays and scoring a text is a few
vectorised gathers — no Python loop per character.

* **Encoding** — characters map to small integer ids through one array indexed
  by code point (``str`` → UTF-32 → ``take``).  Variants that carry no signal
  about *genre* are folded together: half- and full-width punctuation (spam pages
  use ``,`` and ``?`` where the corpora use ``，`` and ``？``), 「」 and “”, all
  digits, all Latin letters.  Id 0 is "before the text" (padding), id 1 unknown.
* **Counts** — n-grams of order 2..N are hashed (Fibonacci hashing of the packed
  ids) into a table per order; a bucket holds an 8-bit fingerprint and the
  log-quantised counts (``uint8``: ``1 + round(log(c) * Q)``, ``Q`` = 3 steps per
  nat: a count is known to ±18%, far finer than the models' own uncertainty).
* **Storage** — the artifact holds only the occupied buckets (a bit per bucket
  saying which, then fingerprints and values of those in slot order), so its size
  is set by the number of n-grams kept, not by the table size; the trainer keeps
  the n-grams that change the model most (see ``cleannews.train.fiction_lm``).
* **Probabilities** — interpolated Witten–Bell smoothing:
  ``p_n(w|h) = (c(hw) + T(h)·p_{n-1}(w|h')) / (c(h) + T(h))`` with ``T(h)`` the
  number of distinct characters seen after ``h`` (stored in ``h``'s slot), down to
  add-½ unigrams.  ``c(h)`` and ``T(h)`` come from the (n-1)-gram lookup at the
  previous position, so each order costs one lookup.  N-grams seen fewer than a
  few times are pruned; ``T(h)`` still counts them, so their mass goes to back-off.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from cleannews.script import code_points

#: highest code point with its own id (CJK Extension B and below).
MAX_CP = 0x30000
#: log-count quantisation steps per nat.
Q = 3.0
PAD, UNK = 0, 1
_MULT = np.uint64(0x9E3779B97F4A7C15)

#: code point folds applied before id lookup (genre-neutral variants).
_FOLD = {
    ",": "，", "?": "？", "!": "！", ":": "：", ";": "；", "(": "（", ")": "）",
    "「": "“", "」": "”", "『": "‘", "』": "’", '"': "“", "﹁": "“", "﹂": "”",
    "．": "。", "～": "~", "—": "-", "–": "-", "\u3000": " ", "\t": " ",
}


def fold_char(ch: str) -> str:
    """The class a character is counted under (digits → 0, Latin letters → a)."""
    if (ch.isdigit() and ch.isascii()) or "０" <= ch <= "９":
        return "0"
    if (ch.isascii() and ch.isalpha()) or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ":
        return "a"
    return _FOLD.get(ch, ch)


def build_code_table(vocab: np.ndarray) -> np.ndarray:
    """Code point → id array for a vocabulary (array of code points, id = index + 2)."""
    table = np.full(MAX_CP, UNK, dtype=np.uint16)
    index = {int(cp): i + 2 for i, cp in enumerate(vocab)}
    for cp, idx in index.items():
        if cp < MAX_CP:
            table[cp] = idx
    # folded variants share their class's id
    extra = [chr(c) for c in range(0x21, 0x7F)] + [chr(c) for c in range(0xFF01, 0xFF5F)] + list(_FOLD)
    for ch in extra:
        folded = fold_char(ch)
        if ord(folded) in index and ord(ch) < MAX_CP:
            table[ord(ch)] = index[ord(folded)]
    return table


def encode(text: str, table: np.ndarray) -> np.ndarray:
    """Ids of ``text`` (one per character, same offsets)."""
    cps = code_points(text)
    ids = np.full(len(cps), UNK, dtype=np.uint16)
    ok = cps < MAX_CP
    ids[ok] = table[cps[ok]]
    return ids


def ngram_keys(ids: np.ndarray, order: int) -> np.ndarray:
    """Packed keys of the n-grams *ending* at each position (``ids`` must be padded)."""
    n = len(ids)
    a = ids.astype(np.uint64, copy=False)
    key = a[order - 1 :].copy()
    for back in range(1, order):
        key |= a[order - 1 - back : n - back] << np.uint64(16 * back)
    return key


_MULT2 = np.uint64(0xC2B2AE3D27D4EB4F)


def order_salt(order: int) -> int:
    """Added to a key before hashing, so that each order hashes differently."""
    return order


def slots_of(keys: np.ndarray, order: int, bits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two candidate slots and a non-zero 8-bit fingerprint per key (as :meth:`PairLM.lookup` reads them)."""
    k = keys + np.uint64(order_salt(order))
    m1 = k * _MULT
    m2 = k * _MULT2
    shift = np.uint64(64 - bits)
    fp = (((m1 >> np.uint64(24)) & np.uint64(0xFFFF)) % np.uint64(255) + np.uint64(1)).astype(np.uint8)
    return (m1 >> shift).astype(np.int64), (m2 >> shift).astype(np.int64), fp


def quantise(counts: np.ndarray, scale: float = Q) -> np.ndarray:
    """``1 + round(log(c) * scale)`` per count (0 for a zero count)."""
    out = np.zeros(len(counts), dtype=np.uint8)
    nz = counts > 0
    out[nz] = np.minimum(255, 1 + np.rint(np.log(counts[nz]) * scale)).astype(np.uint8)
    return out


@cache
def _fingerprints() -> np.ndarray:
    """The fingerprint of every 16-bit hash field (``field % 255 + 1``, as :func:`slots_of`
    computes it), looked up rather than computed per key."""
    return (np.arange(1 << 16) % 255 + 1).astype(np.uint8)


@cache
def dequant_table(scale: float = Q) -> np.ndarray:
    """Quantised value → count (the inverse of :func:`quantise`, on the grid)."""
    t = np.exp((np.arange(256) - 1) / scale).astype(np.float32)
    t[0] = 0.0
    return t


@dataclass
class PairLM:
    """Two character n-gram models (news, fiction) sharing one vocabulary and key tables.

    Per order a table of ``2**bits`` slots holds a fingerprint (``fp``, 0 = empty)
    and, for each model, a quantised count (``q[0]`` news, ``q[1]`` fiction) and a
    quantised number of distinct continuations (``t``; absent for the top order).
    A key lives in the first of its two candidate slots that was free at training.
    """

    vocab: np.ndarray  # code points, id = index + 2
    unigram: np.ndarray  # float32 (2, V+2) counts
    unitypes: np.ndarray  # float32 (2, V+2) distinct followers
    fps: list[np.ndarray]  # per order 2..N: uint8 (2**bits,)
    qs: list[np.ndarray]  # per order 2..N: uint8 (2, 2**bits)
    ts: list[np.ndarray]  # per order 2..N-1: uint8 (2, 2**bits)
    bits: list[int]
    scale: float = Q  # quantisation steps per nat of the stored counts
    code_table: np.ndarray | None = None
    merged: tuple[np.ndarray, np.ndarray] | None = None
    plain: np.ndarray | None = None
    uni_denominator: np.ndarray | None = None

    @property
    def order(self) -> int:
        return 1 + len(self.fps)

    def encode(self, text: str) -> np.ndarray:
        if self.code_table is None:
            self.code_table = build_code_table(self.vocab)
        return encode(text, self.code_table)

    def is_plain(self, ids: np.ndarray) -> np.ndarray:
        """False for the folded Latin-letter and digit classes and unknown characters."""
        if self.plain is None:
            if self.code_table is None:
                self.code_table = build_code_table(self.vocab)
            self.plain = np.ones(len(self.vocab) + 2, dtype=bool)
            self.plain[[UNK, self.code_table[ord("a")], self.code_table[ord("0")]]] = False
        return self.plain[ids]

    def _merged(self) -> tuple[np.ndarray, np.ndarray]:
        """Every order's slots in one array, and the first slot of each order.

        A slot is one word: fingerprint | news count << 8 | fiction count << 16 | types
        << 24, 32 (the top order has no types).  One array for all orders lets a text's
        n-grams of every order be looked up with one gather, which matters for the many
        short texts refinement reads (joins, span openings).
        """
        if self.merged is None:
            sizes = [len(fp) for fp in self.fps]
            offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
            table = np.zeros(sum(sizes), dtype=np.uint64)
            raw = table.view(np.uint8).reshape(len(table), 8)  # little-endian bytes of each word
            for k, (fp, q) in enumerate(zip(self.fps, self.qs, strict=True)):
                part = raw[offsets[k] : offsets[k] + sizes[k]]
                part[:, 0], part[:, 1], part[:, 2] = fp, q[0], q[1]
                if k < len(self.ts):
                    part[:, 3], part[:, 4] = self.ts[k][0], self.ts[k][1]
            self.merged = (table, offsets)
        return self.merged

    def _gather(self, keys: np.ndarray, shift: np.ndarray | np.uint64, base: np.ndarray | int,
                models: slice = slice(0, 2)) -> tuple[np.ndarray, np.ndarray]:
        """Looked-up counts and follower types (each (2, len(keys))) of salted keys
        (of the ``models`` rows only, when a caller reads one model)."""
        table, _ = self._merged()
        m1 = keys * _MULT
        fp = _fingerprints()[((m1 >> np.uint64(24)) & np.uint64(0xFFFF)).astype(np.intp)]
        word = table[(m1 >> shift).astype(np.int64) + base]
        raw = word.view(np.uint8).reshape(len(word), 8)  # little-endian bytes of each slot
        miss = np.flatnonzero(raw[:, 0] != fp)
        if len(miss):  # the second candidate slot, read only where the first did not match
            sh = shift[miss] if isinstance(shift, np.ndarray) else shift
            bs = base[miss] if isinstance(base, np.ndarray) else base
            second = table[((keys[miss] * _MULT2) >> sh).astype(np.int64) + bs]
            word[miss] = np.where((second & np.uint64(0xFF)) == fp[miss], second, 0)
        deq = dequant_table(self.scale)
        counts = raw[:, 1 + models.start : 1 + models.stop]
        types = raw[:, 3 + models.start : 3 + models.stop]
        return deq[counts.T], deq[types.T]

    def lookup(self, keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray | None]:
        """(2, len(keys)) counts (and follower types) of n-gram keys in both models."""
        _, offsets = self._merged()
        counts, types = self._gather(keys + np.uint64(order_salt(n)), np.uint64(64 - self.bits[n - 2]),
                                     int(offsets[n - 2]))
        return counts, (types if n - 2 < len(self.ts) else None)

    def _lookup_all(self, padded64: np.ndarray) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """:meth:`lookup` of the n-grams ending at each position, for every order at once."""
        if self.order < 2:  # a unigram model (the trainer builds its models order by order)
            return []
        _, offsets = self._merged()
        orders = range(2, self.order + 1)
        keys = np.concatenate([ngram_keys(padded64, n) + np.uint64(order_salt(n)) for n in orders])
        sizes = [len(padded64) - n + 1 for n in orders]
        shift = np.repeat(np.array([64 - b for b in self.bits], dtype=np.uint64), sizes)
        base = np.repeat(offsets, sizes)
        counts, types = self._gather(keys, shift, base)
        out: list[tuple[np.ndarray, np.ndarray | None]] = []
        at = 0
        for k, size in enumerate(sizes):
            out.append((counts[:, at : at + size], types[:, at : at + size] if k < len(self.ts) else None))
            at += size
        return out

    def _uni_denominator(self) -> np.ndarray:
        """(2, 1) add-½ unigram denominators, computed once (the unigram counts never change)."""
        if self.uni_denominator is None:
            uni = self.unigram
            self.uni_denominator = uni.sum(axis=1, keepdims=True) + 0.5 * uni.shape[1]
        return self.uni_denominator

    def logprobs(self, ids: np.ndarray) -> np.ndarray:
        """(2, len(ids)) natural-log probabilities of each id given the preceding ones.

        Row 0 is the news model, row 1 the fiction model; ``ids`` are unpadded (the
        text is taken to start a document).
        """
        n_pad = self.order - 1
        padded = np.concatenate([np.zeros(n_pad, dtype=ids.dtype), ids])
        uni = self.unigram
        cur = uni[:, padded]  # counts of the 1-gram ending at each padded position
        cur_t = self.unitypes[:, padded]
        p = (cur[:, n_pad:] + 0.5) / self._uni_denominator()
        looked_up = self._lookup_all(padded.astype(np.uint64))
        for n in range(2, self.order + 1):
            counts, types = looked_up[n - 2]  # n-grams ending at padded n-1..
            ctx = cur[:, n_pad - 1 : -1]
            t = np.maximum(cur_t[:, n_pad - 1 : -1], 1.0)
            c = np.minimum(counts[:, n_pad - (n - 1) :], ctx)
            p = (c + t * p) / (ctx + t)
            if types is not None:
                lead = np.zeros((2, n - 1), dtype=np.float32)
                cur = np.concatenate([lead, counts], axis=1)
                cur_t = np.concatenate([lead, types], axis=1)
        return np.log(p)

    def logprobs_rows(self, seqs: np.ndarray, first: int, model: int | None = None) -> np.ndarray:
        """(2, rows, L - first) log-probs of positions ``first..L-1`` of each row of ``seqs`` (rows, L).

        With ``model`` (0 news, 1 fiction) only that model's row is computed, shape (1, rows,
        L - first): the same values for half the work, for callers that read one model.

        Each row is read on its own and ``first >= order - 1``, so every position read
        has its full context inside its row: the same values as :meth:`logprobs` of the
        rows laid end to end, without looking up the n-grams of the context positions
        (refinement reads three characters after three of context, thousands of times).
        """
        rows, width = seqs.shape
        lo = first - 1  # the context counts of the first position are those of n-grams ending here
        a = seqs.astype(np.uint64)
        top = self.order
        keys, sizes = [], []
        key = a[:, lo:]  # each order's keys extend the order below's by one older character
        for n in range(2, top + 1):
            back = n - 1
            if n == top:  # the top order is never a context: from ``first`` on
                key = key[:, first - lo :] | a[:, first - back : width - back] << np.uint64(16 * back)
            else:
                key = key | a[:, lo - back : width - back] << np.uint64(16 * back)
            keys.append(key.ravel() + np.uint64(order_salt(n)))
            sizes.append(key.size)
        _, offsets = self._merged()
        shift = np.repeat(np.array([64 - b for b in self.bits], dtype=np.uint64), sizes)
        models = slice(0, 2) if model is None else slice(model, model + 1)
        counts_all, types_all = self._gather(np.concatenate(keys), shift, np.repeat(offsets, sizes), models)
        uni = self.unigram[models]
        cur = uni[:, seqs[:, lo:]]  # (2, rows, width - lo): 1-gram counts at lo..L-1
        cur_t = self.unitypes[models][:, seqs[:, lo:]]
        p = (cur[:, :, 1:] + 0.5) / self._uni_denominator()[models][:, :, None]
        at = 0
        for n, size in zip(range(2, top + 1), sizes, strict=True):
            counts = counts_all[:, at : at + size].reshape(len(uni), rows, -1)
            types = types_all[:, at : at + size].reshape(len(uni), rows, -1)
            at += size
            ctx = cur[:, :, :-1]
            t = np.maximum(cur_t[:, :, :-1], 1.0)
            here = counts if n == top else counts[:, :, 1:]
            c = np.minimum(here, ctx)
            p = (c + t * p) / (ctx + t)
            cur, cur_t = counts, types
        return np.log(p)

    def llr(self, ids: np.ndarray) -> np.ndarray:
        """Per-character log-likelihood ratio fiction vs news (nats)."""
        lp = self.logprobs(ids)
        return lp[1] - lp[0]


def build_tables(keys_counts: list[tuple[np.ndarray, np.ndarray]], n: int, bits: int,
                 followers: list[tuple[np.ndarray, np.ndarray]] | None = None,
                 priority: np.ndarray | None = None,
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Place the union of both models' kept n-grams into a two-choice table.

    ``keys_counts`` is ``[(keys, counts)]`` for news then fiction (exact counts of
    the n-grams kept after pruning); ``followers`` likewise gives, per model, the
    number of distinct characters seen after each n-gram.  Keys are placed in
    order of ``priority`` (one value per key of the sorted union; default: the
    summed count), so the least useful ones are those lost when both candidate
    slots are taken.
    """
    all_keys = np.unique(np.concatenate([k for k, _ in keys_counts]))
    counts = np.zeros((2, len(all_keys)), dtype=np.float64)
    for row, (k, c) in enumerate(keys_counts):
        counts[row, np.searchsorted(all_keys, k)] = c
    all_keys_sorted = all_keys
    rank = counts.sum(axis=0) if priority is None else priority
    order_idx = np.argsort(-rank, kind="stable")
    sort_back = np.empty_like(order_idx)
    sort_back[order_idx] = np.arange(len(order_idx))  # sorted position -> placement index
    all_keys, counts = all_keys[order_idx], counts[:, order_idx]
    slot_of = np.full(len(all_keys), -1, dtype=np.int64)
    size = 1 << bits
    fp_table = np.zeros(size, dtype=np.uint8)
    q = np.zeros((2, size), dtype=np.uint8)
    s1, s2, fp = slots_of(all_keys, n, bits)
    pending = np.arange(len(all_keys))
    for slots in (s1, s2):
        cand = slots[pending]
        free = fp_table[cand] == 0
        cand, idx = cand[free], pending[free]
        _, first = np.unique(cand, return_index=True)  # highest count wins a shared slot
        won = idx[first]
        fp_table[slots[won]] = fp[won]
        q[:, slots[won]] = quantise(counts[:, won].ravel()).reshape(2, -1)
        placed = np.zeros(len(all_keys), dtype=bool)
        placed[won] = True
        pending = pending[~placed[pending]]
        if followers is not None:
            slot_of[won] = slots[won]
    if followers is None:
        return fp_table, q, None
    t = np.zeros((2, size), dtype=np.uint8)
    for row, (k, c) in enumerate(followers):
        pos = np.searchsorted(all_keys_sorted, k)
        pos = np.minimum(pos, len(all_keys_sorted) - 1)
        hit = all_keys_sorted[pos] == k
        where = slot_of[sort_back[pos[hit]]]
        ok = where >= 0
        t[row, where[ok]] = quantise(c[hit][ok].astype(np.float64))
    return fp_table, q, t


def save_pair(path: Path, lm: PairLM) -> None:
    """Write the occupied buckets only (see the module docstring), compressed, no pickle."""
    arrays = {"vocab": lm.vocab.astype(np.uint32), "unigram": lm.unigram.astype(np.float32),
              "unitypes": lm.unitypes.astype(np.float32), "bits": np.array(lm.bits, dtype=np.int64),
              "scale": np.array([lm.scale], dtype=np.float64)}
    for i, (fp, q) in enumerate(zip(lm.fps, lm.qs, strict=True)):
        occupied = fp != 0
        arrays[f"occ{i + 2}"] = np.packbits(occupied)
        arrays[f"fp{i + 2}"] = fp[occupied]
        arrays[f"q{i + 2}"] = q[:, occupied]
        if i < len(lm.ts):
            arrays[f"t{i + 2}"] = lm.ts[i][:, occupied]
    np.savez_compressed(path, **arrays)


def load_pair(path: Path) -> PairLM:
    """Read an artifact written by :func:`save_pair` and lay its buckets out again."""
    with np.load(path, allow_pickle=False) as z:
        bits = [int(b) for b in z["bits"]]
        fps, qs, ts = [], [], []
        for i, b in enumerate(bits):
            occupied = np.unpackbits(z[f"occ{i + 2}"], count=1 << b).astype(bool)
            fp = np.zeros(1 << b, dtype=np.uint8)
            fp[occupied] = z[f"fp{i + 2}"]
            q = np.zeros((2, 1 << b), dtype=np.uint8)
            q[:, occupied] = z[f"q{i + 2}"]
            fps.append(fp)
            qs.append(q)
            if i < len(bits) - 1:
                t = np.zeros((2, 1 << b), dtype=np.uint8)
                t[:, occupied] = z[f"t{i + 2}"]
                ts.append(t)
        return PairLM(z["vocab"], z["unigram"], z["unitypes"], fps, qs, ts, bits, float(z["scale"][0]))


MODEL_FILE = "fiction_lm.npz"


def read_fiction_lm() -> PairLM:
    """Read the shipped LM pair after checking its model card (:mod:`cleannews.modelfile`)."""
    from cleannews.modelfile import check_card
    from cleannews.resources import models_dir

    path = models_dir() / MODEL_FILE
    check_card(path)
    return load_pair(path)

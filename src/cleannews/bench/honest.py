"""The honest synthetic benchmark: spinning by dictionaries the cleaner does not have.

``python -m cleannews.bench honest`` spins clean articles of every domain of the broad
corpus (its *test* split; the CCTV news test split is one more domain) and scores the
default pipeline on them.  Two spinner families:

* **classic** — the classic spinner dictionary (``wordlists/spin_lexicon.tsv``) applied by
  forward maximum matching over the raw characters, as real spinners do.  A share of its
  word-level pairs is **held out by word family** (:func:`hold_out_families`): the pairs
  are grouped into families that share a word (either side, so 活动→运动 and 运动→活动 go
  together) or the same changed characters (发展→成长 with 发展中→成长中), and whole
  families are hidden from the cleaner with ``Resources.default().holding_out(pairs)``
  until at least ``--held-out`` (35%) of the word-level pairs are hidden.  Character
  rules (大→年夜, 民→平易近, 观→不雅 and their in-word expansions) are the spinner's core
  table and stay known.  Restorations are reported for known and held-out pairs apart.
* **thesaurus** — 同义词词林 (:mod:`cleannews.bench.thesaurus`): the page is segmented
  with jieba and words are swapped for another member of their synonym group.  Pairs the
  cleaner's lexicon has (either direction) are not used, so every swap is unknown to it.

The *rate* of an article is the share of its words (jieba tokens with a CJK character)
the spinner replaces: 5% (light) to 35% (heavy).  When the dictionary offers fewer
candidates than that, all of them are replaced (the achieved share is reported).
Articles alternate between the families and cycle through the rates; further articles
of each domain stay clean and measure false edits.  Traditional articles (natively
Traditional sources) are spun on their Simplified view and the spun forms written back
with the naive character converter the spam sites use.

Scoring reuses :mod:`cleannews.bench.metrics`: a spun span is restored when a
``spinning`` step covers it and writes the original (on the Simplified view); a wrong
step counts against precision; CER is measured against the clean article.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleannews import corpora
from cleannews.bench import metrics as M
from cleannews.bench.corrupt import _trim, to_traditional_naive
from cleannews.script import to_simplified

RATES = (0.05, 0.15, 0.25, 0.35)
FAMILIES = ("classic", "thesaurus")
#: a spun form is *ambiguous* when jieba's dictionary lists it at least this often (an ordinary word).
AMBIGUOUS_FREQ = 100
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------- held-out word families


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def classic_pairs(lexicon_pairs: Sequence[Any]) -> list[tuple[str, str, str]]:
    """The classic spinner dictionary out of the lexicon's :class:`~cleannews.spin.lexicon.Pair` rows:
    every pair except word-level ones the miner proposed (``origin`` mined), which are the
    cleaner's guesses, not a spinner's dictionary.  Character-rule expansions stay."""
    return sorted({(p.original, p.spun, p.kind) for p in lexicon_pairs
                   if p.origin != "mined" or p.kind == "char"})


def eligible(pairs: Sequence[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Word-level pairs that may be held out (character rules stay: see the module docstring)."""
    return [(o, s) for o, s, k in pairs if k != "char" and len(o) > 1]


def word_families(pairs: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Pairs grouped by shared words (either side) or shared changed characters, sorted."""
    parent: dict[tuple, tuple] = {}

    def find(x: tuple) -> tuple:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: tuple, b: tuple) -> None:
        parent[find(a)] = find(b)

    for o, s in pairs:
        p, q = _trim(o, s)
        node = ("pair", o, s)
        union(node, ("word", o))
        union(node, ("word", s))
        union(node, ("core", o[p : len(o) - q], s[p : len(s) - q]))
    groups: dict[tuple, list[tuple[str, str]]] = {}
    for o, s in pairs:
        groups.setdefault(find(("pair", o, s)), []).append((o, s))
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def hold_out_families(pairs: Sequence[tuple[str, str, str]], share: float = 0.35,
                      salt: str = "honest") -> frozenset[tuple[str, str]]:
    """Whole word families, in md5 order, until ≥ ``share`` of the eligible pairs are held out."""
    elig = eligible(pairs)
    need = share * len(elig)
    held: set[tuple[str, str]] = set()
    for fam in sorted(word_families(elig), key=lambda g: _md5(f"{salt}:{g[0][0]}\t{g[0][1]}")):
        if len(held) >= need:
            break
        held.update(fam)
    return frozenset(held)


# --------------------------------------------------------------------------- spinners


@dataclass(frozen=True)
class Slot:
    """Where a spinner may replace: ``simplified[start:end]`` (= ``original_s``) → one of ``forms``."""

    start: int
    end: int
    original_s: str
    forms: tuple[str, ...]
    kind: str = "word"


@dataclass
class ClassicSpinner:
    """Forward maximum matching of the classic dictionary over the raw (Simplified) characters."""

    table: dict[str, tuple[str, ...]]
    char_pairs: frozenset[tuple[str, str]] = frozenset()
    max_len: int = 0

    def __post_init__(self) -> None:
        self.max_len = max((len(k) for k in self.table), default=0)

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[str, str, str]]) -> ClassicSpinner:
        table: dict[str, list[str]] = {}
        for o, s, _ in pairs:
            table.setdefault(o, []).append(s)
        return cls({o: tuple(sorted(v)) for o, v in table.items()},
                   frozenset((o, s) for o, s, k in pairs if k == "char"))

    def slots(self, simplified: str, bounds: frozenset[int]) -> list[Slot]:
        out = []
        i, n = 0, len(simplified)
        while i < n:
            key = None
            for k in range(min(self.max_len, n - i), 0, -1):
                if simplified[i : i + k] in self.table:
                    key = simplified[i : i + k]
                    break
            if key is None:
                i += 1
                continue
            forms = self.table[key]
            if len(key) == 1 or all((key, f) in self.char_pairs for f in forms):
                kind = "char"
            elif i in bounds and i + len(key) in bounds:
                kind = "word"
            else:
                kind = "boundary"
            out.append(Slot(i, i + len(key), key, forms, kind))
            i += len(key)
        return out


@dataclass
class ThesaurusSpinner:
    """Swap jieba words for a synonym of their 同义词词林 group."""

    synonyms: dict[str, tuple[str, ...]]

    @classmethod
    def without_known(cls, synonyms: dict[str, tuple[str, ...]],
                      known: set[tuple[str, str]]) -> ThesaurusSpinner:
        """Drop swaps the cleaner's lexicon has (either direction)."""
        out = {}
        for w, syns in synonyms.items():
            keep = tuple(s for s in syns if (w, s) not in known and (s, w) not in known)
            if keep:
                out[w] = keep
        return cls(out)

    def slots(self, simplified: str, tokens: Sequence[tuple[str, int, int]]) -> list[Slot]:
        return [Slot(s, e, w, self.synonyms[w]) for w, s, e in tokens if w in self.synonyms]


def tokens_of(simplified: str) -> list[tuple[str, int, int]]:
    """jieba tokens (word, start, end) of the Simplified view."""
    from cleannews.resources import jieba_tokenizer

    return list(jieba_tokenizer().tokenize(simplified))


def spin_article(text: str, script: str, slots: Sequence[Slot], n_words: int, rate: float,
                 rng: random.Random, held_out: frozenset[tuple[str, str]] = frozenset(),
                 ambiguous: Callable[[str], bool] = lambda _: False,
                 family: str = "classic") -> tuple[str, list[dict[str, Any]]]:
    """Replace ``round(rate * n_words)`` randomly chosen slots (all if fewer); return (spun, ops).

    ``text`` is the article in its script; slots are on its Simplified view (same
    length).  Spun forms are written in the article's script (naive converter for
    Traditional).  Each op records the changed characters only (common prefix and suffix
    of the pair trimmed), in offsets of the spun text.
    """
    k = min(len(slots), round(rate * n_words))
    chosen = sorted(rng.sample(range(len(slots)), k)) if k else []
    out: list[str] = []
    ops: list[dict[str, Any]] = []
    pos = shift = 0
    for idx in chosen:
        slot = slots[idx]
        spun_s = rng.choice(slot.forms)
        original = text[slot.start : slot.end]
        p, q = _trim(slot.original_s, spun_s)
        middle = spun_s[p : len(spun_s) - q]
        # the unchanged ends keep the article's own characters (觀眾 → 不雅眾, not 不雅衆)
        spun = original[:p] + (to_traditional_naive(middle) if script == "hant" else middle) + \
            original[len(original) - q :]
        out.append(text[pos : slot.start])
        start = slot.start + shift
        ops.append({"type": "spin", "start": start + p, "end": start + len(spun) - q,
                    "text": spun[p : len(spun) - q], "original": original[p : len(original) - q],
                    "spun": spun[p : len(spun) - q], "original_s": slot.original_s, "spun_s": spun_s,
                    "kind": slot.kind, "family": family,
                    "held_out": (slot.original_s, spun_s) in held_out, "ambiguous": ambiguous(spun_s)})
        out.append(spun)
        pos = slot.end
        shift += len(spun) - (slot.end - slot.start)
    out.append(text[pos:])
    return "".join(out), ops


# --------------------------------------------------------------------------- the articles


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at the last paragraph end before it when there is one."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[:cut] if cut > limit // 3 else text[:limit]


def domain_articles(per_domain: int, root: str | None = None, limit: int = 3000,
                    cctv: bool = True) -> dict[str, list[dict[str, Any]]]:
    """``per_domain`` articles of each broad-corpus domain (test split of ``corpora/broad`` and
    ``corpora/broad_more``, md5 order), plus CCTV news."""
    from cleannews.bench.real import broad_test_docs

    by_domain: dict[str, list[dict[str, Any]]] = {}
    for d in broad_test_docs(root):
        by_domain.setdefault(d.get("domain") or "unknown", []).append(d)
    if cctv:
        for d in corpora.news("test"):
            by_domain.setdefault("cctv-news", []).append({**d, "script": "hans", "domain": "cctv-news"})
    out = {}
    for dom, docs in sorted(by_domain.items()):
        docs.sort(key=lambda d: _md5("honest:" + d["id"]))
        picked = []
        for d in docs:
            text = truncate(d["text"], limit)
            if len(_HAS_CJK.findall(text)) >= 200:
                picked.append({"id": d["id"], "domain": dom, "script": d.get("script", "hans"), "text": text})
            if len(picked) >= per_domain:
                break
        out[dom] = picked
    return out


@dataclass
class HonestConfig:
    per_domain: int = 40  # spun articles per domain (half each family)
    clean_per_domain: int = 20  # clean articles per domain
    held_out_share: float = 0.35
    seed: int = 20261204
    limit_chars: int = 3000
    rates: Sequence[float] = RATES
    filters: Sequence[str] | None = None
    corpora_root: str | None = None


@dataclass
class Built:
    records: list[dict[str, Any]]
    held_out: frozenset[tuple[str, str]]
    eligible_pairs: int
    thesaurus: bool
    families: Sequence[str] = field(default_factory=lambda: list(FAMILIES))


def spun_count(available: int, per_domain: int, clean_per_domain: int) -> int:
    """How many of a domain's articles are spun: ``per_domain``, or, for a domain with fewer
    articles than asked for, the same proportion (so every domain keeps clean articles too)."""
    wanted = per_domain + clean_per_domain
    if available >= wanted or not wanted:
        return min(per_domain, available)
    return min(available - (1 if clean_per_domain and available > 1 else 0),
               round(available * per_domain / wanted))


def build(cfg: HonestConfig, pairs: Sequence[tuple[str, str, str]],
          synonyms: dict[str, tuple[str, ...]] | None,
          articles: dict[str, list[dict[str, Any]]] | None = None,
          known: set[tuple[str, str]] | None = None) -> Built:
    """The benchmark's documents: spun (per family and rate) and clean, per domain.

    ``pairs`` is the classic spinner's dictionary; ``known`` every pair the cleaner's
    lexicon has (default: ``pairs``), which the thesaurus spinner leaves out."""
    from cleannews.resources import word_freq

    freq = word_freq()
    held = hold_out_families(pairs, cfg.held_out_share)
    classic = ClassicSpinner.from_pairs(pairs)
    known = known if known is not None else {(o, s) for o, s, _ in pairs}
    thes = ThesaurusSpinner.without_known(synonyms, known) if synonyms else None
    families = ["classic", "thesaurus"] if thes else ["classic"]
    if articles is None:
        articles = domain_articles(cfg.per_domain + cfg.clean_per_domain, cfg.corpora_root, cfg.limit_chars)
    records = []
    for dom, docs in articles.items():
        n_spun = spun_count(len(docs), cfg.per_domain, cfg.clean_per_domain)
        for i, doc in enumerate(docs):
            text = doc["text"]
            rec = {"id": doc["id"], "domain": dom, "script": doc["script"], "original": text}
            if i >= n_spun:
                records.append({**rec, "family": "clean", "rate": 0.0, "corrupted": text, "ops": [],
                                "words": 0, "spun_words": 0})
                continue
            family = families[i % len(families)]
            rate = cfg.rates[(i // len(families)) % len(cfg.rates)]
            rng = random.Random(f"{cfg.seed}:{doc['id']}")
            simplified = to_simplified(text)
            tokens = tokens_of(simplified)
            n_words = sum(1 for w, _, _ in tokens if _HAS_CJK.search(w))
            if family == "classic":
                bounds = frozenset(b for _, s, e in tokens for b in (s, e))
                slots = classic.slots(simplified, bounds)
            else:
                slots = thes.slots(simplified, tokens)
            spun, ops = spin_article(text, doc["script"], slots, n_words, rate, rng, held,
                                     lambda f: freq.get(f, 0) >= AMBIGUOUS_FREQ, family)
            records.append({**rec, "family": family, "rate": rate, "corrupted": spun, "ops": ops,
                            "words": n_words, "spun_words": len(ops)})
    return Built(records, held, len(eligible(pairs)), thes is not None, families)


# --------------------------------------------------------------------------- scoring


def clean_all(records: Sequence[dict[str, Any]], held_out: frozenset[tuple[str, str]],
              filters: Sequence[str] | None = None) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Each record's corrupted text through the pipeline with ``held_out`` hidden."""
    from cleannews.resources import Resources

    pipeline = Resources.default().holding_out(held_out).pipeline(list(filters) if filters else None)
    for rec in records:
        result = pipeline.run(rec["corrupted"])
        yield result.cleaned, [{"start": s.start, "end": s.end, "before": s.before, "after": s.after,
                                "filter": s.filter} for s in result.steps()]


@dataclass
class Tally:
    """What one group of documents adds up to."""

    docs: int = 0
    chars: int = 0
    cer_chars: int = 0
    cer_before: int = 0
    cer_after: int = 0
    changed: int = 0
    edits: int = 0
    words: int = 0
    spun_words: int = 0
    by_filter: dict[str, int] = field(default_factory=dict)  # every filter's edits (CER moves with all)
    pr: dict[str, M.PR] = field(default_factory=dict)

    def add(self, rec: dict[str, Any], cleaned: str, steps: Sequence[dict[str, Any]],
            strata: dict[str, M.PR], all_steps: Sequence[dict[str, Any]] = ()) -> None:
        self.docs += 1
        for st in all_steps:
            self.by_filter[st["filter"]] = self.by_filter.get(st["filter"], 0) + 1
        self.chars += len(rec["corrupted"])
        length, before, after = M.cer_counts(rec["original"], rec["corrupted"], cleaned)
        self.cer_chars += length
        self.cer_before += before
        self.cer_after += after
        self.changed += bool(steps)
        self.edits += len(steps)
        self.words += rec["words"]
        self.spun_words += rec["spun_words"]
        for k, pr in strata.items():
            self.pr.setdefault(k, M.PR()).add(pr)

    def to_dict(self) -> dict[str, Any]:
        cb = self.cer_before / self.cer_chars if self.cer_chars else None
        ca = self.cer_after / self.cer_chars if self.cer_chars else None
        return {"docs": self.docs, "chars": self.chars, "cer_before": cb, "cer_after": ca,
                "cer_reduction": (1 - ca / cb) if cb else None, "docs_changed": self.changed,
                "edits": self.edits,
                "edits_per_10k_chars": 1e4 * self.edits / self.chars if self.chars else None,
                "spun_word_share": self.spun_words / self.words if self.words else None,
                "edits_by_filter": dict(sorted(self.by_filter.items())),
                "spin": {k: pr.to_dict() for k, pr in sorted(self.pr.items())}}


def classic_strata(ops: Sequence[dict[str, Any]], steps: Sequence[dict[str, Any]],
                   held_out_spun: frozenset[str]) -> dict[str, M.PR]:
    """P/R of ``spinning`` steps on a classic-spun article, known and held-out pairs apart.

    A correct step (it covers spun spans and writes their originals) credits the strata
    of the spans it covers.  A wrong step counts against the held-out stratum when it
    touches a held-out span or rewrites a held-out spun form (a wrong guess at an unknown
    pair), otherwise against the known one (a false edit on an ordinary word of the page
    included), so held-out precision is defined as soon as the cleaner guesses.
    """
    out = {k: M.PR() for k in ("all", "known", "held-out")}
    found: set[int] = set()
    for st in steps:
        if st["filter"] != "spinning":
            continue
        inside = [o for o in ops if M._covers(st, o["start"], o["end"])]
        ok = bool(inside) and M.normalise(M._restored(st, ops)) == M.normalise(st["after"])
        if ok:
            found.update(id(o) for o in inside)
            strata = {"all"} | {"held-out" if o["held_out"] else "known" for o in inside}
        else:
            touched = [o for o in ops if o["start"] < st["end"] and st["start"] < o["end"]]
            held = any(o["held_out"] for o in touched) or (
                not touched and M.normalise(st["before"]) in held_out_spun)
            strata = {"all", "held-out" if held else "known"}
        for k in strata:
            out[k].n_pred += 1
            out[k].tp_pred += ok
    for o in ops:
        for k in ("all", "held-out" if o["held_out"] else "known"):
            out[k].n_gold += 1
            out[k].tp_gold += id(o) in found
    return out


def score(built: Built, outputs: Sequence[tuple[str, list[dict[str, Any]]]]) -> dict[str, Any]:
    """Totals per family, family × rate, domain × family; clean-article false edits."""
    groups: dict[str, Tally] = {}

    def tally(key: str) -> Tally:
        return groups.setdefault(key, Tally())

    ambiguous = frozenset(o["spun_s"] for r in built.records for o in r["ops"] if o["ambiguous"])
    held_spun = frozenset(s for _, s in built.held_out)
    for rec, (cleaned, steps) in zip(built.records, outputs, strict=True):
        fam = rec["family"]
        strata = {}
        if fam != "clean":
            if fam == "classic":
                strata = classic_strata(rec["ops"], steps, held_spun)
            else:
                full = M.spin_scores(rec["ops"], steps, built.held_out, ambiguous)
                strata = {"all": full["all"], "ambiguous": full["ambiguous"]}
        # on spun articles edits and changes are the spinning filter's; on clean ones every filter's
        spin_steps = steps if fam == "clean" else [s for s in steps if s["filter"] == "spinning"]
        keys = [f"family:{fam}", f"rate:{fam}:{rec['rate']:.2f}", f"domain:{rec['domain']}:{fam}"]
        if fam != "clean":
            keys.append(f"domain:{rec['domain']}:spun")
        for key in keys:
            tally(key).add(rec, cleaned, spin_steps, strata, steps)
    return {k: t.to_dict() for k, t in sorted(groups.items())}


def mixed_pages(records: Sequence[dict[str, Any]], per_page: int = 9) -> list[dict[str, Any]]:
    """Pages of one spun article (classic or thesaurus, in order) followed by ``per_page`` clean
    articles of other domains, one article a line: does the spun article's evidence leak?"""
    spun = [r for r in records if r["family"] != "clean"]
    clean = [r for r in records if r["family"] == "clean"]
    pages = []
    for k in range(min(len(spun), len(clean) // max(1, per_page))):
        parts = [spun[k], *clean[k * per_page : (k + 1) * per_page]]
        spans, pos = [], 0
        for r in parts:
            spans.append((r["family"], r["id"], pos, pos + len(r["corrupted"])))
            pos += len(r["corrupted"]) + 1
        pages.append({"text": "\n".join(r["corrupted"] for r in parts), "spans": spans})
    return pages


def score_mixed(pages: Sequence[dict[str, Any]],
                outputs: Sequence[tuple[str, list[dict[str, Any]]]]) -> dict[str, Any]:
    """Clean articles of the mixed pages that got any edit, and those edits per filter."""
    articles = changed = 0
    edits: dict[str, int] = {}
    for page, (_, steps) in zip(pages, outputs, strict=True):
        for family, _, s, e in page["spans"]:
            if family != "clean":
                continue
            inside = [st for st in steps if st["start"] < e and st["end"] > s]
            articles += 1
            changed += bool(inside)
            for st in inside:
                edits[st["filter"]] = edits.get(st["filter"], 0) + 1
    return {"pages": len(pages), "clean_articles": articles, "clean_articles_changed": changed,
            "edits": dict(sorted(edits.items()))}


def document_errors(rec: dict[str, Any], cleaned: str, steps: Sequence[dict[str, Any]],
                    width: int = 8) -> dict[str, Any] | None:
    """One article's misses (spun spans no correct step restored) and wrong edits, with context,
    for work on the filters (``--errors``); ``None`` when there are neither."""
    text = rec["corrupted"]

    def ctx(start: int, end: int) -> str:
        return f"{text[max(0, start - width):start]}[{text[start:end]}]{text[end:end + width]}"

    spin = [s for s in steps if s["filter"] == "spinning"]
    restored: set[int] = set()
    wrong = []
    for st in spin:
        inside = [o for o in rec["ops"] if M._covers(st, o["start"], o["end"])]
        if inside and M.normalise(M._restored(st, rec["ops"])) == M.normalise(st["after"]):
            restored.update(id(o) for o in inside)
        else:
            wrong.append({"filter": "spinning", "before": st["before"], "after": st["after"],
                          "context": ctx(st["start"], st["end"])})
    wrong += [{"filter": s["filter"], "before": s["before"][:60], "after": s["after"][:60],
               "context": ctx(s["start"], min(s["end"], s["start"] + 60))}
              for s in steps if s["filter"] != "spinning"]
    missed = [{"original": o["original_s"], "spun": o["spun_s"], "held_out": o["held_out"],
               "context": ctx(o["start"], o["end"])} for o in rec["ops"] if id(o) not in restored]
    if not missed and not wrong:
        return None
    return {"id": rec["id"], "domain": rec["domain"], "family": rec["family"], "rate": rec["rate"],
            "missed": missed, "wrong_edits": wrong}


# --------------------------------------------------------------------------- tables


def _pct(x: float | None, digits: int = 1) -> str:
    return "n/a" if x is None else f"{100 * x:.{digits}f}%"


def _pr(t: dict[str, Any], stratum: str) -> tuple[str, str, str]:
    s = t["spin"].get(stratum)
    if not s:
        return "n/a", "n/a", ""
    return (_pct(s["precision"]), _pct(s["recall"]),
            f"{s['correct_predictions']}/{s['predictions']} · {s['found']}/{s['gold']}")


def targets(res: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets on this benchmark, met or not."""
    out = []
    classic = res.get("family:classic")
    if classic:
        known = classic["spin"].get("known", {})
        held = classic["spin"].get("held-out", {})
        out.append({"target": "known pairs P ≥ 97%, R ≥ 90%",
                    "measured": f"P {_pct(known.get('precision'))}, R {_pct(known.get('recall'))}",
                    "met": (known.get("precision") or 0) >= 0.97 and (known.get("recall") or 0) >= 0.90})
        out.append({"target": "held-out families R ≥ 50% at P ≥ 95%",
                    "measured": f"P {_pct(held.get('precision'))}, R {_pct(held.get('recall'))}",
                    "met": (held.get("precision") or 0) >= 0.95 and (held.get("recall") or 0) >= 0.50})
    thes = res.get("family:thesaurus")
    if thes:
        a = thes["spin"].get("all", {})
        out.append({"target": "thesaurus family (no target; reported)",
                    "measured": f"P {_pct(a.get('precision'))}, R {_pct(a.get('recall'))}", "met": None})
    clean = res.get("family:clean")
    if clean:
        out.append({"target": "clean articles of every domain: 0 edits",
                    "measured": f"{clean['docs_changed']}/{clean['docs']} changed, {clean['edits']} edits",
                    "met": clean["edits"] == 0})
    mixed = res.get("mixed_pages")
    if mixed and mixed["clean_articles"]:
        n, k = mixed["clean_articles"], mixed["clean_articles_changed"]
        out.append({"target": "mixed pages (1 spun + 9 clean articles): clean articles changed ≤ 1%",
                    "measured": f"{k}/{n} ({100 * k / n:.1f}%); edits "
                                + (", ".join(f"{f} {c}" for f, c in mixed["edits"].items()) or "none"),
                    "met": k <= 0.01 * n})
    return out


def markdown(res: dict[str, Any], meta: dict[str, Any]) -> str:
    """The honest benchmark's tables (family totals, by rate, by domain, targets)."""
    lines = ["| family | docs | spun words | P | R | correct/edits · restored/spun | CER before → after | "
             "articles changed by spinning | edits of the other filters |",
             "| --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- |"]
    rows = [("classic: known pairs", "family:classic", "known"),
            ("classic: held-out families", "family:classic", "held-out"),
            ("classic: all", "family:classic", "all"),
            ("thesaurus (同义词词林)", "family:thesaurus", "all"),
            ("clean (false edits)", "family:clean", None)]
    for label, key, stratum in rows:
        t = res.get(key)
        if not t:
            continue
        p, r, counts = _pr(t, stratum) if stratum else ("", "", f"{t['edits']} edits")
        cer = (f"{_pct(t['cer_before'], 2)} → {_pct(t['cer_after'], 2)}" if stratum else
               f"{_pct(t['cer_after'], 3)} after")
        others = ", ".join(f"{f} {k}" for f, k in t["edits_by_filter"].items()
                           if stratum is None or f != "spinning") or "none"
        lines.append(f"| {label} | {t['docs']} | {_pct(t['spun_word_share'])} | {p} | {r} | {counts} | "
                     f"{cer} | {t['docs_changed']}/{t['docs']} | {others} |")
    lines += ["", "| family | rate | docs | words spun | P | R | CER before → after |",
              "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for key, t in res.items():
        if not key.startswith("rate:") or key.startswith("rate:clean"):
            continue
        _, fam, rate = key.split(":")
        for label, stratum in ((fam, "all"),) if fam != "classic" else (("classic known", "known"),
                                                                          ("classic held-out", "held-out")):
            p, r, _ = _pr(t, stratum)
            lines.append(f"| {label} | {float(rate):.0%} | {t['docs']} | {_pct(t['spun_word_share'])} | "
                         f"{p} | {r} | {_pct(t['cer_before'], 2)} → {_pct(t['cer_after'], 2)} |")
    doms = sorted({k.split(":")[1] for k in res if k.startswith("domain:")})
    lines += ["", "| domain | known R (P) | held-out R (P) | thesaurus R (P) | CER before → after (spun) | "
              "clean articles changed |", "| --- | --- | --- | --- | --- | --- |"]
    for dom in doms:
        c = res.get(f"domain:{dom}:classic")
        t = res.get(f"domain:{dom}:thesaurus")
        cl = res.get(f"domain:{dom}:clean")

        def rp(x: dict[str, Any] | None, stratum: str) -> str:
            if not x:
                return "n/a"
            p, r, _ = _pr(x, stratum)
            return f"{r} ({p})"

        sp = res.get(f"domain:{dom}:spun")
        cer = f"{_pct(sp['cer_before'], 2)} → {_pct(sp['cer_after'], 2)}" if sp else "n/a"
        changed = f"{cl['docs_changed']}/{cl['docs']}" if cl else "n/a"
        lines.append(f"| {dom} | {rp(c, 'known')} | {rp(c, 'held-out')} | {rp(t, 'all')} | {cer} | "
                     f"{changed} |")
    lines += ["", "| target | measured | met |", "| --- | --- | --- |"]
    for t in targets(res):
        met = "" if t["met"] is None else ("yes" if t["met"] else "**no**")
        lines.append(f"| {t['target']} | {t['measured']} | {met} |")
    lines += ["", f"Held out: {meta['held_out_pairs']} of {meta['eligible_pairs']} word-level classic pairs "
                  f"({_pct(meta['held_out_pairs'] / max(1, meta['eligible_pairs']))}) in "
                  f"{meta['held_out_families']} word families; thesaurus: "
                  f"{meta['thesaurus'] or 'not available (pip install .[bench])'}."]
    return "\n".join(lines)

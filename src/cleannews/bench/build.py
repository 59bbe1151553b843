"""Build the benchmark: sample the *test* splits, corrupt, write JSONL + meta.

Only ``corpora.news("test")`` and ``corpora.fiction("test")`` are used for the
articles and the spliced passages, so no model trained on the train split has seen
them.  The news *train* split is read only to decide which spun forms are ordinary
clean-news words ("ambiguous": 任务, 主要, 题目 …; see ``BuildConfig``).

Sets (all deterministic from the seed):

* ``corrupted`` — ``n_corrupted`` articles, each with its own corruption plan;
* ``clean`` — ``n_clean`` untouched articles (a share naively converted to
  Traditional, as a real Traditional page would be);
* ``clean-tricky`` — clean articles that contain ambiguous spun forms, quoted speech
  (“……”他说) or sugar-dating vocabulary, plus the real look-alike passages of
  ``../shared/dev/clean_tricky``.

Lexicon hold-out: a pair (original, spun) is *held out* when
``md5("holdout:" + original + "\\t" + spun) % 100 < holdout_percent``; the benchmark
runs the cleaner with a ``Resources`` holding these pairs out (``Resources.holding_out``) so these pairs
measure behaviour on spinner entries the cleaner does not know.  Character rules
(kind ``char`` or a one-character original: 大→年夜, 民→平易近) are never held out:
they are the spinner's small core table that any cleaner knows, and hiding one
would measure a crippled cleaner on the most frequent artifact, not generalisation.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cleannews import corpora
from cleannews.bench.corrupt import (
    Fiction,
    Plan,
    SpamTerms,
    SpinDictionary,
    corrupt,
    draw_plan,
    to_traditional_naive,
)
from cleannews.resources import jieba_tokenizer, read_table, word_freq, wordlists_dir
from cleannews.script import to_simplified

FORMAT = "cleannews-bench/1"
SPIN_LEXICON = "spin_lexicon.tsv"


def default_out_dir() -> Path:
    """``CLEANNEWS_BENCH_DIR``, else ``.cache/bench`` at the top of the source tree.

    An installed (non-source) copy falls back to ``~/.cache/cleannews/bench``.
    """
    env = os.environ.get("CLEANNEWS_BENCH_DIR")
    if env:
        return Path(env)
    top = Path(__file__).resolve().parents[3]
    if (top / "pyproject.toml").is_file():
        return top / ".cache" / "bench"
    return Path.home() / ".cache" / "cleannews" / "bench"


@dataclass
class BuildConfig:
    seed: int = 20261125
    n_corrupted: int = 1200
    n_clean: int = 300
    n_tricky: int = 150
    clean_traditional_share: float = 0.4
    holdout_percent: int = 15
    #: share of the spinner's dictionary matches replaced, drawn per article from this range.
    spin_share: tuple[float, float] = (0.6, 1.0)
    #: a spun form is "ambiguous" (an ordinary clean-news word) when it occurs at least this often per
    #: million characters of news-train text AND jieba's dictionary lists it with at least
    #: ``ambiguous_jieba_freq`` (年夜 occurs in 年夜饭 but is no word of its own: unambiguous).
    ambiguous_per_million: float = 1.0
    ambiguous_jieba_freq: int = 100
    #: how many news-train documents are scanned for those frequencies (the first ones in file order).
    ambiguity_sample_docs: int = 10000
    switches: dict[str, bool] = field(
        default_factory=lambda: {"spin": True, "traditional": True, "fiction": True, "spam": True})
    include_dev_tricky: bool = True


# --------------------------------------------------------------------------- resources


def _bucket(key: str) -> int:
    return int.from_bytes(hashlib.md5(key.encode("utf-8")).digest()[:4], "big") % 100


def is_held_out(original: str, spun: str, percent: int) -> bool:
    """The documented, stable hold-out rule for lexicon pairs."""
    return _bucket(f"holdout:{original}\t{spun}") < percent


def spin_lexicon_source(corpora_root: str | os.PathLike[str] | None = None) -> Path:
    """``wordlists/spin_lexicon.tsv`` when it exists, else ``../shared/dev/lexicon_evidence.tsv``."""
    own = wordlists_dir() / SPIN_LEXICON
    if own.is_file():
        return own
    return corpora.corpora_dir(corpora_root).parent / "dev" / "lexicon_evidence.tsv"


def read_spin_pairs(path: Path) -> list[tuple[str, str, str]]:
    """(original, spun, kind) pairs, Simplified, from either lexicon format.

    Accepts ``original<TAB>spun<TAB>kind<TAB>status<TAB>origin`` (the cleannews lexicon)
    and ``original_word<TAB>spun_word<TAB>script…`` (the evidence table); ``kind`` is
    empty when the file does not say.
    """
    pairs: dict[tuple[str, str], str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 2 or cols[0] in ("original", "original_word"):
                continue
            orig, spun = to_simplified(cols[0].strip()), to_simplified(cols[1].strip())
            if not orig or not spun or orig == spun:
                continue
            kind = cols[2] if len(cols) > 2 and cols[2] in ("char", "word", "boundary") else ""
            pairs.setdefault((orig, spun), kind)
    return [(o, s, k) for (o, s), k in sorted(pairs.items())]


def spun_form_frequencies(forms: set[str], sample_docs: int, root: str | None) -> tuple[dict[str, int], int]:
    """Occurrences of each form in the first ``sample_docs`` news-train documents, and their size."""
    texts = []
    for i, doc in enumerate(corpora.news("train", root)):
        if i >= sample_docs:
            break
        texts.append(doc["text"])
    big = "\n".join(texts)
    return {f: big.count(f) for f in sorted(forms)}, len(big)


def spam_terms() -> SpamTerms:
    """Spam terms in each script (a term valid in both, like ``Sugar Daddy``, is in both)."""
    simp, trad = [], []
    for row in read_table("spam_terms.txt"):
        term = row[0]
        if to_simplified(term) == term:
            simp.append(term)
        if to_traditional_naive(term) == term:
            trad.append(term)
    return SpamTerms(tuple(dict.fromkeys(simp)), tuple(dict.fromkeys(trad)))


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "missing"


def dev_tricky_dir(root: str | None) -> Path:
    return corpora.corpora_dir(root).parent / "dev" / "clean_tricky"


# --------------------------------------------------------------------------- selection


#: quoted speech: “……”他说 or 他说：“……” (news quotes, which must not be taken for fiction dialogue).
_QUOTE_SPEECH = re.compile(r"”[^“”\n]{0,4}(说|表示|指出|强调|介绍|认为|告诉)"
                           r"|(说|表示|指出|强调|介绍|认为|告诉|问|答|称|坦言)[^。“”\n]{0,6}[:：，,]\s*“")


def _order_key(seed: int, doc_id: str) -> str:
    return hashlib.md5(f"{seed}:{doc_id}".encode()).hexdigest()


def tricky_reasons(text: str, ambiguous: set[str], topic_words: list[str]) -> list[str]:
    """Why a clean article is a good harm test (empty: not tricky)."""
    reasons = []
    if _QUOTE_SPEECH.search(text):
        reasons.append("quoted-speech")
    topic = [w for w in topic_words if w in text]
    if topic:
        reasons.append("sugar-topic:" + ",".join(topic[:5]))
    forms = sorted({f for f in ambiguous if len(f) > 1 and f in text})
    if len(forms) >= 3:
        reasons.append("ambiguous:" + ",".join(forms[:8]))
    return reasons


# --------------------------------------------------------------------------- the build


def version_of(config: BuildConfig, lexicon_path: Path) -> str:
    params = asdict(config)
    params["lexicon"] = f"{lexicon_path.name}:{_file_digest(lexicon_path)}"
    params["spam_terms"] = _file_digest(wordlists_dir() / "spam_terms.txt")
    # the generator's own code: a change in how articles are corrupted is a new benchmark
    here = Path(__file__).resolve().parent
    params["generator"] = [_file_digest(here / "corrupt.py"), _file_digest(here / "build.py")]
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:10]
    return f"{FORMAT}+{digest}"


def build(config: BuildConfig, out_dir: Path, corpora_root: str | None = None,
          log=print) -> dict[str, Any]:
    """Write ``bench.jsonl`` and ``meta.json`` into ``out_dir``; return the meta."""
    rng_master = random.Random(config.seed)
    lex_path = spin_lexicon_source(corpora_root)
    pairs = read_spin_pairs(lex_path)
    log(f"spin lexicon: {lex_path} ({len(pairs)} pairs)")
    freqs, sample_chars = spun_form_frequencies({s for _, s, _ in pairs}, config.ambiguity_sample_docs,
                                                corpora_root)
    threshold = config.ambiguous_per_million * sample_chars / 1e6
    jieba_freq = word_freq()
    ambiguous = {f for f, c in freqs.items()
                 if c >= max(1.0, threshold) and jieba_freq.get(f, 0) >= config.ambiguous_jieba_freq}
    held_out = {(o, s) for o, s, k in pairs
                if k != "char" and len(o) > 1 and is_held_out(o, s, config.holdout_percent)}
    table: dict[str, list[str]] = {}
    for o, s, _ in pairs:
        table.setdefault(o, []).append(s)
    char_pairs = frozenset((o, s) for o, s, k in pairs if k == "char")
    lexicon = SpinDictionary({k: tuple(v) for k, v in table.items()}, frozenset(held_out),
                             frozenset(ambiguous), char_pairs)

    news = sorted(corpora.news("test", corpora_root), key=lambda d: _order_key(config.seed, d["id"]))
    news = [d for d in news if len(d["text"]) >= 80]
    fiction = Fiction([(d["title"], d["text"]) for d in corpora.fiction("test", corpora_root)])
    log(f"test split: {len(news)} news articles, {len({b for b, _ in fiction.chunks})} test novels")
    spam = spam_terms()
    tok = jieba_tokenizer()
    topic_words = [r[0] for r in read_table("spam_topic_words.txt")]

    # Clean-tricky articles first: the rare kinds (quoted speech, sugar-dating vocabulary) are
    # reserved before the corrupted/clean samples take them, up to two thirds of the set.
    tricky: list[tuple[dict, list[str]]] = []
    reserved: set[str] = set()
    for doc in news:
        if len(tricky) >= config.n_tricky * 2 // 3:
            break
        reasons = tricky_reasons(doc["text"], ambiguous, topic_words)
        if reasons and not reasons[0].startswith("ambiguous"):
            tricky.append((doc, reasons))
            reserved.add(doc["id"])
    news = [d for d in news if d["id"] not in reserved]

    records: list[dict[str, Any]] = []
    n_corr = min(config.n_corrupted, len(news))
    for doc in news[:n_corr]:
        rng = random.Random(f"{config.seed}:{doc['id']}")
        original = doc["text"]
        plan = draw_plan(rng, config.switches, tuple(config.spin_share))
        bounds = _bounds(tok, original) if plan.spin_share else frozenset()
        reference, corrupted, ops = corrupt(original, plan, rng, lexicon=lexicon, fiction=fiction,
                                            spam=spam, bounds=bounds)
        rows = [o.to_dict() for o in ops]
        records.append(_record(doc["id"], "corrupted", corrupted, reference, plan, rows))
    rest = news[n_corr:]
    for doc in rest[: config.n_clean]:
        trad = (rng_master.random() < config.clean_traditional_share
                and config.switches.get("traditional", True))
        text = to_traditional_naive(doc["text"]) if trad else doc["text"]
        records.append(_record(doc["id"], "clean", text, text, Plan(traditional=trad), []))
    for doc in rest[config.n_clean :]:
        if len(tricky) >= config.n_tricky:
            break
        reasons = tricky_reasons(doc["text"], ambiguous, topic_words)
        if reasons:
            tricky.append((doc, reasons))
    for doc, reasons in tricky:
        rec = _record(doc["id"], "clean-tricky", doc["text"], doc["text"], Plan(), [])
        rec["why"] = reasons
        records.append(rec)
    tricky_dir = dev_tricky_dir(corpora_root)
    if config.include_dev_tricky and tricky_dir.is_dir():
        for path in sorted(tricky_dir.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            rec = _record(f"dev-clean-tricky/{path.name}", "clean-tricky", text, text, Plan(), [])
            rec["script"] = "Hant" if to_simplified(text) != text else "Hans"
            rec["why"] = ["dev/clean_tricky"]
            records.append(rec)

    version = version_of(config, lex_path)
    meta = {
        "version": version,
        "config": asdict(config),
        "lexicon": {"path": str(lex_path), "digest": _file_digest(lex_path), "pairs": len(pairs),
                    "held_out": sorted(map(list, held_out)),
                    "ambiguous_forms": sorted(ambiguous),
                    "form_counts": freqs, "ambiguity_sample_chars": sample_chars},
        "counts": _counts(records),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / "bench.jsonl.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in records:
            rec["version"] = version
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(out_dir / "bench.jsonl")
    (out_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"wrote {len(records)} documents to {out_dir / 'bench.jsonl'} ({version})")
    return meta


def _bounds(tok, text: str) -> frozenset[int]:
    out, pos = {0}, 0
    for word in tok.cut(text, HMM=False):
        pos += len(word)
        out.add(pos)
    return frozenset(out)


def _record(doc_id: str, kind: str, corrupted: str, original: str, plan: Plan,
            ops: list[dict]) -> dict[str, Any]:
    return {"id": doc_id, "kind": kind, "script": "Hant" if plan.traditional else "Hans",
            "corrupted": corrupted, "original": original, "plan": asdict(plan), "ops": ops}


def _counts(records: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    spun_chars = spun_docs_chars = 0
    for rec in records:
        out["docs:" + rec["kind"]] = out.get("docs:" + rec["kind"], 0) + 1
        for op in rec["ops"]:
            out["ops:" + op["type"]] = out.get("ops:" + op["type"], 0) + 1
        if rec["plan"]["spin_share"]:
            spun_docs_chars += len(rec["original"])
            spun_chars += sum(len(op["original"]) for op in rec["ops"] if op["type"] == "spin")
    # share of the original characters that the spinner replaced, in spun articles (real pages: ~30 %)
    out["spin_replaced_char_share"] = spun_chars / spun_docs_chars if spun_docs_chars else 0.0
    return out


def current_version(meta: dict[str, Any], corpora_root: str | None = None) -> str:
    """The version a build with ``meta``'s config would get now (differs when the lexicon,
    the spam terms or the generator code changed since)."""
    config = BuildConfig(**meta["config"])
    return version_of(config, spin_lexicon_source(corpora_root))


def load(out_dir: Path) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The meta and the records of a built benchmark."""
    meta = json.loads((out_dir / "meta.json").read_text(encoding="utf-8"))

    def records() -> Iterator[dict[str, Any]]:
        with open(out_dir / "bench.jsonl", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)

    return meta, records()

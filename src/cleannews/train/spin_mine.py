"""Propose spin-lexicon pairs (the candidate section of ``wordlists/spin_lexicon.tsv``).

    python -m cleannews.train.spin_mine [--corpora DIR] [--dry-run]

Two miners, both checked against the clean news corpus (train split):

* **character rules.**  Much of the spinner dictionary is one character rewritten
  inside any word (大→年夜 in 大会/大局/重大…, 观→不雅, 民→平易近:
  :data:`CHAR_RULES`); every dictionary word (jieba) with such a character that clean news
  uses at least :data:`MIN_ORIGINAL` times gives a pair when its spun form never
  occurs in clean news — so ``年夜饭`` (a real word) is never proposed.
* **fill-in-the-blank on real spun text** (``--fill-in``, printed for review).
  For each short word of the spun passages under ``../shared/dev`` and the seed
  whose two-character context never frames it in clean news, the clean corpus is
  searched for what *does* fill that frame (``L2 ? R2``); a filler that fills the
  frames of the same spun word at least :data:`MIN_FRAMES` times is proposed.

The reviewed section of the lexicon is kept verbatim; the mined rows replace the
previous mined rows.  Mined rows are ``candidate`` rows: read them before moving
them up to the reviewed section.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from cleannews import corpora
from cleannews.resources import jieba_tokenizer, wordlists_dir
from cleannews.script import to_simplified
from cleannews.spin.lexicon import trie_regex

LEXICON = "spin_lexicon.tsv"
MARKER = "# ---- candidate section"
#: clean-news occurrences an original needs before a char-rule pair is proposed.
MIN_ORIGINAL = 3
#: jieba frequency from which a dictionary word is considered for char rules.
MIN_JIEBA_FREQ = 3
#: frames of a spun word a filler must fill before it is proposed.
MIN_FRAMES = 3
#: the spinner's systematic in-word character substitutions.
CHAR_RULES = (("大", "年夜"), ("观", "不雅"), ("民", "平易近"))


def count_strings(texts: list[str], forms: set[str]) -> Counter:
    """Occurrences of each form in the texts (all matches, overlapping starts included)."""
    regex = trie_regex(sorted(forms))
    counts: Counter = Counter()
    for text in texts:
        for m in regex.finditer(text):
            longest = m.group(1)
            for length in range(len(longest), 0, -1):
                if longest[:length] in forms:
                    counts[longest[:length]] += 1
    return counts


def read_lexicon(path: Path) -> tuple[list[str], list[list[str]]]:
    """(header + reviewed lines, hand-added candidate rows) of the lexicon file."""
    head: list[str] = []
    hand: list[list[str]] = []
    in_candidates = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(MARKER):
            in_candidates = True
            continue
        if not in_candidates:
            head.append(line)
        elif line.strip() and not line.startswith("#"):
            row = line.split("\t")
            if len(row) >= 5 and row[4] != "mined":
                hand.append(row)
    return head, hand


def char_rule_pairs(texts: list[str], rules: list[tuple[str, str]]) -> list[tuple[str, str]]:
    freq = jieba_tokenizer().FREQ
    proposals: dict[str, str] = {}
    for word, f in freq.items():
        if not 2 <= len(word) <= 4 or f < MIN_JIEBA_FREQ:
            continue
        spun = word
        for a, b in rules:
            spun = spun.replace(a, b)
        if spun != word:
            proposals[word] = spun
    counts = count_strings(texts, set(proposals) | set(proposals.values()))
    return sorted((w, s) for w, s in proposals.items() if counts[w] >= MIN_ORIGINAL and counts[s] == 0)


def spun_texts() -> list[str]:
    root = corpora.corpora_dir().parent / "dev"
    out = []
    for sub in ("spun", "pages"):
        for path in sorted((root / sub).glob("[0-9]*.txt")):
            if ".orig" not in path.name:
                out.append(to_simplified(path.read_text(encoding="utf-8")))
    seeds = Path(__file__).resolve().parents[3] / "seeds"
    out += [to_simplified(p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("*.txt"))]
    return out


def fill_in_pairs(texts: list[str], spun: list[str], known: set[tuple[str, str]]
                  ) -> list[tuple[str, str, int]]:
    """Fillers of the clean corpus for frames around spun-text words clean news never frames."""
    tok = jieba_tokenizer()
    blob = "\n".join(texts)
    frames: dict[str, list[tuple[str, str]]] = {}
    for text in spun:
        pos = 0
        for word in tok.cut(text, HMM=False):
            start, pos = pos, pos + len(word)
            if len(word) != 2 or not all("\u4e00" <= c <= "\u9fff" for c in word):
                continue
            left, right = text[max(0, start - 2) : start], text[pos : pos + 2]
            if len(left) == 2 and len(right) == 2 and all("\u4e00" <= c <= "\u9fff" for c in left + right):
                frames.setdefault(word, []).append((left, right))
    out = []
    for word, contexts in frames.items():
        if len(contexts) < MIN_FRAMES or blob.count(word) > 2000:
            continue
        fillers: Counter = Counter()
        for left, right in contexts:
            if (left + word) in blob or (word + right) in blob:
                continue  # clean news frames the word like this on one side: not clearly spun
            found = set(re.findall(re.escape(left) + "([\u4e00-\u9fff]{2})" + re.escape(right), blob))
            fillers.update(found)
        for filler, n in fillers.most_common(3):
            if n >= MIN_FRAMES and filler != word and (filler, word) not in known:
                out.append((filler, word, n))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", help="directory holding news-zh.jsonl.gz (default: ../shared/corpora)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print proposals, do not rewrite the lexicon")
    parser.add_argument("--fill-in", action="store_true",
                        help="also run the fill-in-the-blank miner on real spun text (slow, noisy)")
    args = parser.parse_args(argv)
    path = wordlists_dir() / LEXICON
    head, hand = read_lexicon(path)
    reviewed = [ln.split("\t") for ln in head if ln.strip() and not ln.startswith("#")]
    known = {(r[0], r[1]) for r in reviewed + hand}
    rules = list(CHAR_RULES)
    texts = [doc["text"] for doc in corpora.news("train", args.corpora)]
    mined: list[list[str]] = []
    for word, spun in char_rule_pairs(texts, rules):
        if (word, spun) not in known:
            mined.append([word, spun, "char", "candidate", "mined"])
            known.add((word, spun))
    print(f"char rules {rules}: {len(mined)} pairs")
    n_rules = len(mined)
    for filler, word, n in fill_in_pairs(texts, spun_texts(), known) if args.fill_in else []:
        mined.append([filler, word, "word", "candidate", "mined"])
        known.add((filler, word))
        print(f"fill-in: {filler} → {word} ({n} frames)")
    print(f"fill-in: {len(mined) - n_rules} pairs")
    if args.dry_run:
        return
    lines = [*head, f"{MARKER} (hand-added candidates first, then mined) ----"]
    lines += ["\t".join(r[:5]) for r in hand + mined]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path}: {len(reviewed)} reviewed, {len(hand) + len(mined)} candidate rows")


if __name__ == "__main__":
    main()

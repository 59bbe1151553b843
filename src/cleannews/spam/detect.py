"""Spam terms injected into an article: find them, judge each one, keep topical mentions.

Spam networks drop anchor texts such as ``包養網`` or ``Sugar Daddy`` at random
character positions, often inside words (``連包養合`` → ``連合``).  One regex over
the Simplified view finds every candidate (longest match first); each one is then
judged on its own:

* **local evidence of injection** — removing it joins a dictionary word across the
  gap (``全包養網國`` → ``全國``) or a number (``1.4包養23萬``);
* **local evidence of a real mention** — the term's own characters form words with
  both neighbours (``承包養殖``: 承包 + 養殖), so it is part of the sentence;
* **document evidence** — an article *about* sugar dating (two or more topic words
  such as 甜心, 糖爹, 約會, 站長) keeps every mention that does not split a word;
  terms that are also ordinary words (``九宮格``, ``Escort``) need the page to carry
  other spam or spinning evidence before they are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from cleannews.edits import Edit
from cleannews.evidence import SPAM_TERMS, Mark
from cleannews.pipeline import Context
from cleannews.resources import read_table, word_freq
from cleannews.script import is_cjk, to_simplified
from cleannews.spam.support import listed_spinner_forms

#: jieba frequency from which a joined/straddled string counts as a real word.
WORD_FREQ = 20
#: jieba frequency of the word a shorter term's removal must join to beat the compound.
CORE_JOIN_FREQ = 300
#: jieba frequency both straddled words need to read the term as part of the sentence.
STRADDLE_FREQ = 100
#: distinct topic words that make an article *about* sugar dating.
TOPICAL_MIN = 2
#: other spam occurrences + spin markers a ``needs-support`` term needs.
SUPPORT_MIN = 2

_PUNCT_DOUBLES = set("，、。；：！？,.;:!?")
_DIGITS = set("0123456789０１２３４５６７８９")


@dataclass(frozen=True, slots=True)
class SpamTerm:
    term: str
    family: str
    standalone: bool


def _key(matched: str) -> str:
    """Lookup key of a matched string: Simplified CJK, or lower-cased English without spaces."""
    if matched and is_cjk(matched[0]):
        return matched
    return re.sub(r"[\s\-]+", "", matched).lower()


@cache
def _lexicon() -> tuple[re.Pattern[str], dict[str, SpamTerm]]:
    terms: dict[str, SpamTerm] = {}
    for row in read_table("spam_terms.txt"):
        raw, family, support = row[0], row[1], row[2]
        view = to_simplified(raw)
        terms.setdefault(_key(view), SpamTerm(view, family, support == "standalone"))
    patterns = []
    firsts: set[str] = set()
    for term in sorted(terms.values(), key=lambda t: len(t.term), reverse=True):
        if is_cjk(term.term[0]):
            patterns.append(re.escape(term.term))
            firsts.add(term.term[0])
        else:
            words = term.term.split()
            patterns.append(r"(?<![A-Za-z])(?i:" + r"[\s\-]*".join(map(re.escape, words)) + r")(?![A-Za-z])")
            firsts.add(words[0][0])
    # The lookahead on the possible first characters (matched case-insensitively like the
    # English terms) changes no match but lets most positions fail at once instead of
    # trying every alternative: the scan is about ten times faster.
    head = "(?=(?i:[" + "".join(re.escape(c) for c in sorted(firsts)) + "]))"
    return re.compile(head + "(?:" + "|".join(patterns) + ")"), terms


@cache
def _topic_regex() -> re.Pattern[str]:
    words = sorted({row[0] for row in read_table("spam_topic_words.txt")}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def _max_word_freq(candidates: list[str]) -> int:
    freq = word_freq()
    return max((freq.get(c, 0) for c in candidates), default=0)


def _joined_word_freq(view: str, start: int, end: int) -> int:
    """Frequency of the best word that removing ``view[start:end]`` would join."""
    return _joined_freq(view[max(0, start - 2) : start], view[end : end + 2])


@lru_cache(maxsize=65_536)
def _joined_freq(before: str, after: str) -> int:
    """:func:`_joined_word_freq` from the (up to) two characters on each side, memoised:
    the same few junctions recur on every spam page."""
    cands = []
    for left in (1, 2):
        a = before[-left:]
        if len(a) != left or not all(map(is_cjk, a)):
            continue
        for right in (1, 2):
            b = after[:right]
            if len(b) == right and all(map(is_cjk, b)):
                cands.append(a + b)
    return _max_word_freq(cands)


def _straddle_freqs(view: str, start: int, end: int) -> tuple[int, int]:
    """Best words formed by a two-character term's own characters with its neighbours.

    Only two-character terms can be read this way (``承包養殖`` = 承包 + 養殖); for
    longer ones such a reading is too unlikely to outweigh the spam evidence.
    """
    if end - start != 2:
        return 0, 0
    left = [view[start - n : start] + view[start] for n in (1, 2)
            if start - n >= 0 and all(map(is_cjk, view[start - n : start]))]
    right = [view[end - 1] + view[end : end + n] for n in (1, 2)
             if end + n <= len(view) and all(map(is_cjk, view[end : end + n]))]
    return _max_word_freq(left), _max_word_freq(right)


@lru_cache(maxsize=4096)
def _sub_terms(matched: str) -> tuple[tuple[int, SpamTerm], ...]:
    """Shorter spam terms inside a matched compound (``包養`` in ``包養價格``), with offsets.

    Memoised per matched string: a page repeats the same few terms.
    """
    out = []
    for key, term in _lexicon()[1].items():
        if key != matched and is_cjk(key[0]):
            at = matched.find(key)
            if at != -1:
                out.append((at, term))
    return tuple(out)


def _join_score(view: str, start: int, end: int) -> int:
    """Frequency of the common word a removal joins, 0 when it joins none.

    A fragment left behind forms *some* word with its neighbour about a third of
    the time by chance, so only a common word counts as evidence here.
    """
    joined = _joined_word_freq(view, start, end)
    return joined if joined >= CORE_JOIN_FREQ else 0


def _best_span(view: str, start: int, end: int, terms: dict[str, SpamTerm]) -> tuple[int, int, SpamTerm]:
    """Which part of a match was injected: the whole compound or a shorter term in it.

    An injected ``包養`` before an article's own ``價格`` reads as the compound
    ``包養價格``; removing the compound would delete article text.  But such a
    coincidence is far rarer than an injected compound, so the longest match wins
    unless removing only a shorter term joins a real word (``找包養到`` → ``找到``).
    """
    matched = view[start:end]
    best = (start, end, terms[_key(matched)])
    subs = _sub_terms(matched) if is_cjk(matched[0]) else ()
    if not subs:
        return best
    best_score = (_join_score(view, start, end), end - start)
    for at, term in subs:
        s, e = start + at, start + at + len(term.term)
        score = (_join_score(view, s, e), e - s)
        if score >= best_score:
            best, best_score = (s, e, term), score
    return best


def _splits_number(view: str, start: int, end: int) -> bool:
    before = view[start - 1] if start else ""
    after = view[end] if end < len(view) else ""
    return after in _DIGITS and (before in _DIGITS or before == ".")


def _removal_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a removal so it leaves no doubled space or punctuation behind.

    Injection adds no characters of its own, so only an English term standing
    between two spaces (``工人 Sugar Daddy 日報``) or a term between two identical
    punctuation marks takes one of them along.
    """
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before == after == " " and not is_cjk(text[start]):
        return start - 1, end
    if before == after and before in _PUNCT_DOUBLES:
        return start, end + 1
    return start, end


def _attached_to_topic(view: str, end: int, spam_starts: frozenset[int]) -> bool:
    """The term is part of a phrase about its topic (``包養情婦``, ``包養關係``).

    Not when what follows is itself a spam match: injected terms often come in runs
    (``包養甜心寶貝``), and the second one's 甜心 says nothing about the first.
    """
    return end not in spam_starts and _topic_regex().match(view, end) is not None


def _reads_as_words(left_word: int, right_word: int) -> bool:
    """The term's characters form words with both neighbours (``承包養殖``): a real mention."""
    return left_word >= STRADDLE_FREQ and right_word >= STRADDLE_FREQ


def _lacks_support(term: SpamTerm, support: int) -> bool:
    """An ordinary-word term (``九宮格``) on a page with no other sign of spam."""
    return not term.standalone and support < SUPPORT_MIN


class SpamDetector:
    """Find injected spam terms (包養, 包養網, Sugar Daddy, 九宮格…) and their removals.

    ``find`` records the removals as ``spam_terms`` evidence; the ``spam`` filter
    (:class:`cleannews.filters.spam.SpamFilter`) is this class with its declarations.
    """

    name = "spam"

    def find(self, text: str, ctx: Context) -> list[Edit]:
        view = ctx.view(text).simplified
        regex, terms = _lexicon()
        matches = list(regex.finditer(view))
        ctx.scores["spam.candidates"] = float(len(matches))
        if not matches:
            ctx.record(SPAM_TERMS, [])
            return []
        topic_words = self._topic_words(view, matches)
        topical = len(topic_words) >= TOPICAL_MIN
        standalone_hits = sum(terms[_key(m.group())].standalone for m in matches)
        spin_markers = listed_spinner_forms(view)
        spam_starts = frozenset(m.start() for m in matches)
        edits: list[Edit] = []
        kept = 0
        for m in matches:
            start, end, term = _best_span(view, m.start(), m.end(), terms)
            support = standalone_hits - term.standalone + spin_markers
            edit = self._judge(text, view, start, end, term, topical, topic_words, support, spam_starts)
            if edit is None:
                kept += 1
            elif not edits or edit.start >= edits[-1].end:
                edits.append(edit)
        ctx.scores["spam.removed"] = float(len(edits))
        ctx.record(SPAM_TERMS, [Mark(ctx.input_offset(e.start), e.before) for e in edits])
        ctx.scores["spam.kept"] = float(kept)
        ctx.scores["spam.topical"] = float(topical)
        return edits

    @staticmethod
    def _topic_words(view: str, matches: list[re.Match[str]]) -> set[str]:
        """Distinct topic words found outside the spam matches themselves."""
        spans = [(m.start(), m.end()) for m in matches]
        found = set()
        for t in _topic_regex().finditer(view):
            if not any(s < t.end() and t.start() < e for s, e in spans):
                found.add(t.group().lower())
        return found

    def _judge(
        self,
        text: str,
        view: str,
        start: int,
        end: int,
        term: SpamTerm,
        topical: bool,
        topic_words: set[str],
        support: int,
        spam_starts: frozenset[int] = frozenset(),
    ) -> Edit | None:
        joined = _joined_word_freq(view, start, end)
        left_word, right_word = _straddle_freqs(view, start, end)
        splits = joined >= WORD_FREQ or _splits_number(view, start, end)
        evidence = {"family": term.family, "joined_word_freq": joined,
                    "straddle_freq": [left_word, right_word], "page_support": support}
        if topical:
            evidence["topic_words"] = sorted(topic_words)
        if splits:
            joined_text = text[max(0, start - 1) : start] + text[end : end + 1]
            rule, conf = "spam.split-word", (0.85 if topical else 0.98)
            reason = f"'{text[start:end]}' splits '{joined_text}'; removing it rejoins the text"
        elif (
            topical
            or _attached_to_topic(view, end, spam_starts)
            or _reads_as_words(left_word, right_word)
            or _lacks_support(term, support)
        ):
            return None
        else:
            rule = "spam.injected"
            conf = 0.9 if term.standalone else 0.8
            reason = (f"spam term '{text[start:end]}' in an article not about its topic"
                      f" ({support} other spam/spin signs on the page)")
        s, e = _removal_span(text, start, end)
        return Edit(s, e, text[s:e], "", self.name, rule, reason, conf, evidence)


def spam_terms_evidence(text: str, ctx: Context) -> tuple[Mark, ...]:
    """The ``spam_terms`` evidence of ``text`` (the input): what this filter would remove,
    for pipelines without it (its scores stay out of the report)."""
    from cleannews.pipeline import Context as Scratch

    ctx.view(text)  # the view of the input, cached: the scratch context shares it
    scratch = Scratch(input_text=text, resources=ctx.resources, _views=ctx._views, _script=ctx._script)
    return tuple(Mark(e.start, e.before) for e in SpamDetector().find(text, scratch))

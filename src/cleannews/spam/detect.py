"""Spam terms injected into an article: find them, judge each one, keep topical mentions.

Spam networks drop anchor texts such as ``包養網`` or ``Sugar Daddy`` at random
character positions, often inside words (``連包養合`` → ``連合``).  One regex over
the Simplified view finds every candidate (longest match first); each one is then
judged on its own:

* **local evidence of injection** — removing it joins a dictionary word across the
  gap (``全包養網國`` → ``全國``) or a number (``1.4包養23萬``);
* **local evidence of a real mention** — the term's own characters form words with
  both neighbours (``承包養殖``: 承包 + 養殖), so it is part of the sentence;
* **region evidence** (:mod:`cleannews.spam.topical`, the characters around each mention,
  never the whole page or file) — a mention attached to its sentence (``被包養``,
  ``包養關係``, ``「包養」``) in a region about its topic (topic words such as 甜心, 糖爹,
  約會, 站長; or most mentions of the region attached) is topical and kept; a region with
  two or more topic words keeps every mention that does not split a word, unless its other
  mentions clearly split words (a spammed article that happens to mention 交友);
  terms that are also ordinary words (``九宮格``, ``Escort``) need other spam or
  spinning evidence within :data:`SUPPORT_REACH` characters before they are removed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from cleannews.edits import Edit, apply_edits
from cleannews.evidence import SPAM_TERMS, Mark
from cleannews.pipeline import Context
from cleannews.resources import read_table, word_freq
from cleannews.script import is_cjk, to_simplified
from cleannews.spam.support import listed_spinner_positions
from cleannews.spam.topical import Attachment, Regions, attachment, topic_regex

#: jieba frequency from which a joined/straddled string counts as a real word.
WORD_FREQ = 20
#: jieba frequency of the word a shorter term's removal must join to beat the compound.
CORE_JOIN_FREQ = 300
#: jieba frequency both straddled words need to read the term as part of the sentence.
STRADDLE_FREQ = 100
#: distinct topic words within a mention's region that make the region *about* sugar dating
#: (one is enough when the mention, or another one near it, is attached to its sentence).
TOPICAL_MIN = 2
#: mentions in a region, none splitting a word, that read as written rather than injected.
PATTERN_MIN = 8
#: other mentions in a region that split common words and are not attached: from this many on,
#: the region is spammed, and only mentions attached to their sentence stay topical.
INJECTED_GUARD = 2
#: other spam occurrences + spin markers a ``needs-support`` term needs ...
SUPPORT_MIN = 2
#: ... within this many characters of it (a clean article beside a spam page gets no support).
SUPPORT_REACH = 1000
#: passes over the text removals leave (a run's inner terms reveal the outer ones).
MAX_PASSES = 4

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
    return end not in spam_starts and topic_regex().match(view, end) is not None


def _reads_as_words(left_word: int, right_word: int) -> bool:
    """The term's characters form words with both neighbours (``承包養殖``): a real mention."""
    return left_word >= STRADDLE_FREQ and right_word >= STRADDLE_FREQ


def _lacks_support(term: SpamTerm, support: int) -> bool:
    """An ordinary-word term (``九宮格``) on a page with no other sign of spam."""
    return not term.standalone and support < SUPPORT_MIN


@dataclass(frozen=True, slots=True)
class _Mention:
    """One spam match, narrowed to the part that was injected, with its local evidence."""

    start: int
    end: int
    term: SpamTerm
    joined: int  # frequency of the word its removal joins (:func:`_joined_word_freq`)
    splits: bool  # removing it joins a word or a number
    straddle: tuple[int, int]  # :func:`_straddle_freqs`
    attached: Attachment  # how it joins its sentence (:func:`cleannews.spam.topical.attachment`)


class SpamDetector:
    """Find injected spam terms (包養, 包養網, Sugar Daddy, 九宮格…) and their removals.

    ``find`` records the removals as ``spam_terms`` evidence; the ``spam`` filter
    (:class:`cleannews.filters.spam.SpamFilter`) is this class with its declarations.
    """

    name = "spam"

    def find(self, text: str, ctx: Context) -> list[Edit]:
        """Removals of injected terms, repeated on the text they leave until none is left.

        Injected terms come in runs and even inside one another (``包養appSugar Daddy``,
        ``Su包養gar``): a term is only judged on what surrounds it once its neighbours are
        gone (``Sugar Daddy`` right after ``app`` is no English word boundary; ``Su包養gar``
        only reads ``Sugar`` without the inner term).  Each further pass judges the text
        the previous ones leave, as cleaning the output again would, so one run is final.
        """
        edits = self._find_pass(text, ctx, ctx.scores)
        for _ in range(MAX_PASSES - 1):
            if not edits:
                break
            rest = apply_edits(text, edits)
            scratch = Context(input_text=rest, resources=ctx.resources, _script=ctx._script)
            more = self._find_pass(rest, scratch, {})
            if not more:
                break
            edits = _merge_later_pass(text, edits, more)
        if ctx.scores.get("spam.candidates"):
            ctx.scores["spam.removed"] = float(len(edits))
        ctx.record(SPAM_TERMS, [Mark(ctx.input_offset(e.start), e.before) for e in edits])
        return edits

    def _find_pass(self, text: str, ctx: Context, scores: dict[str, float]) -> list[Edit]:
        """One pass: judge every match of ``text`` as it stands (``scores``: where to count)."""
        view = ctx.view(text).simplified
        regex, terms = _lexicon()
        matches = list(regex.finditer(view))
        scores["spam.candidates"] = float(len(matches))
        if not matches:
            return []
        spam_starts = frozenset(m.start() for m in matches)
        mentions = [self._mention(view, m, terms, spam_starts) for m in matches]
        regions = Regions(view, [(m.start(), m.end()) for m in matches],
                          [bool(x.attached) or _reads_as_words(*x.straddle) for x in mentions],
                          [x.joined >= CORE_JOIN_FREQ and not x.attached for x in mentions],
                          [x.splits for x in mentions])
        standalone_at = [m.start() for m, x in zip(matches, mentions, strict=True) if x.term.standalone]
        all_at = [m.start() for m in matches]
        spin_at = listed_spinner_positions(view)
        edits: list[Edit] = []
        kept = topical = 0
        for i, x in enumerate(mentions):
            spin_near = _count_near(spin_at, x.start, SUPPORT_REACH)
            support = _count_near(standalone_at, x.start, SUPPORT_REACH) - x.term.standalone + spin_near
            lone = (_is_word(x.term.term)
                    and _count_near(all_at, x.start, SUPPORT_REACH) - 1 + spin_near == 0)
            words = regions.topic_words(x.start, x.end)
            others, others_attached, others_injected, others_split = regions.others(i)
            attached_here = others_attached + bool(x.attached)
            region_topical = (
                len(words) >= TOPICAL_MIN
                or (len(words) >= 1 and (bool(x.attached) or others_attached >= 1))
                # no topic word, but the region's mentions are mostly words of their sentences
                or (others_attached >= 2 - bool(x.attached) and others_injected == 0
                    and 2 * attached_here > others + 1)
                # many mentions and not one splits a word: written, not injected (an injected term
                # splits one about a third of the time), given one attached mention or topic word
                or (others + 1 >= PATTERN_MIN and others_split == 0 and not x.splits
                    and (attached_here >= 1 or len(words) >= 1)))
            topical += region_topical
            edit = self._judge(text, view, x, region_topical, words, others_injected, support, spam_starts,
                               lone)
            if edit is None:
                kept += 1
            elif not edits or edit.start >= edits[-1].end:
                edits.append(edit)
        scores["spam.kept"] = float(kept)
        # the share of mentions that stand in a region about their topic (1.0: the whole page is)
        scores["spam.topical"] = round(topical / len(mentions), 4)
        return edits

    @staticmethod
    def _mention(view: str, m: re.Match[str], terms: dict[str, SpamTerm],
                 spam_starts: frozenset[int]) -> _Mention:
        start, end, term = _best_span(view, m.start(), m.end(), terms)
        joined = _joined_word_freq(view, start, end)
        splits = joined >= WORD_FREQ or _splits_number(view, start, end)
        return _Mention(start, end, term, joined, splits, _straddle_freqs(view, start, end),
                        attachment(view, start, end, spam_starts))

    def _judge(
        self,
        text: str,
        view: str,
        x: _Mention,
        region_topical: bool,
        topic_words: set[str],
        others_injected: int,
        support: int,
        spam_starts: frozenset[int] = frozenset(),
        lone: bool = False,
    ) -> Edit | None:
        """Keep a mention used as content, remove an injected one (``None``: keep).

        * attached to its sentence in a region about its topic: a topical mention, kept
          even when its removal would also join a word (``進入包養關係``: 入關 by chance);
        * otherwise splitting a word or a number: injected;
        * not splitting, in a region about its topic, unless the region's other mentions
          clearly split words (a spammed article that happens to mention 交友);
        * a term the topic words or the straddled words claim (``包養情婦``, ``承包養殖``),
          or an ordinary-word term (``九宮格``) without other spam near it: kept;
        * a lone mention of a term that is a word of the language (jieba's dictionary lists
          包養, not the anchor texts 包養網 or Sugar Daddy) — no other spam term and no spinner
          form within :data:`SUPPORT_REACH` characters — that splits no word: kept.  Spam
          networks inject terms by the dozen (4-40 per 1,000 characters), while a clean article
          uses the word once in passing (``繼續包養陳同佳``, ``被包養``).
        """
        start, end, term = x.start, x.end, x.term
        evidence = {"family": term.family, "joined_word_freq": x.joined,
                    "straddle_freq": list(x.straddle), "page_support": support}
        if topic_words:
            evidence["topic_words"] = sorted(topic_words)
        if x.attached:
            evidence["attached"] = x.attached.describe()
        if x.attached and region_topical:
            return None
        if x.splits:
            joined_text = text[max(0, start - 1) : start] + text[end : end + 1]
            rule, conf = "spam.split-word", (0.85 if region_topical else 0.98)
            reason = f"'{text[start:end]}' splits '{joined_text}'; removing it rejoins the text"
        elif (
            (region_topical and others_injected < INJECTED_GUARD)
            or _attached_to_topic(view, end, spam_starts)
            or _reads_as_words(*x.straddle)
            or _lacks_support(term, support)
            or lone
        ):
            return None
        else:
            rule = "spam.injected"
            conf = 0.9 if term.standalone else 0.8
            why = ("in a region whose other mentions split words" if region_topical
                   else "in text not about its topic")
            reason = (f"spam term '{text[start:end]}' {why}"
                      f" ({support} other spam/spin signs near it)")
        s, e = _removal_span(text, start, end)
        return Edit(s, e, text[s:e], "", self.name, rule, reason, conf, evidence)


def _merge_later_pass(text: str, edits: list[Edit], more: list[Edit]) -> list[Edit]:
    """``edits`` (removals in ``text``) plus ``more`` (removals in what ``edits`` leave), in ``text``.

    A later removal next to earlier ones stays its own edit; one that spans earlier ones
    (``Su包養gar``: ``Sugar`` around the removed ``包養``) becomes one edit over all their
    characters that absorbs them, so the report still explains each.
    """
    removed = bytearray(len(text))
    for e in edits:
        removed[e.start : e.end] = b"\x01" * (e.end - e.start)
    kept = [i for i in range(len(text)) if not removed[i]]
    out = list(edits)
    for m in more:
        start, end = kept[m.start], kept[m.end - 1] + 1
        inner = tuple(e for e in out if start <= e.start and e.end <= end)
        out = [e for e in out if not (start <= e.start and e.end <= end)]
        out.append(replace(m, start=start, end=end, before=text[start:end], absorbs=inner))
    return sorted(out, key=lambda e: e.start)


def _is_word(term: str) -> bool:
    """Whether jieba's dictionary lists the (Simplified) term as a word."""
    return word_freq().get(term, 0) > 0


def _count_near(positions: list[int], at: int, reach: int) -> int:
    """How many of the sorted ``positions`` lie within ``reach`` characters of ``at``."""
    return bisect.bisect_right(positions, at + reach) - bisect.bisect_left(positions, at - reach)


def spam_terms_evidence(text: str, ctx: Context) -> tuple[Mark, ...]:
    """The ``spam_terms`` evidence of ``text`` (the input): what this filter would remove,
    for pipelines without it (its scores stay out of the report)."""
    from cleannews.pipeline import Context as Scratch

    ctx.view(text)  # the view of the input, cached: the scratch context shares it
    scratch = Scratch(input_text=text, resources=ctx.resources, _views=ctx._views, _script=ctx._script)
    return tuple(Mark(e.start, e.before) for e in SpamDetector().find(text, scratch))

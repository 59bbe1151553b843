"""The pipeline: composition of filters, mapping edits back to the input, absorbed edits.

Small fake filters defined here make each composition case explicit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from cleannews import Pipeline, clean
from cleannews.edits import Edit, apply_edits
from cleannews.evidence import SPAM_TERMS, SPIN_MARKERS, EvidenceOrderError, Mark
from cleannews.pipeline import Context, Filter, Result


class RegexFilter:
    """Replace every match of ``pattern`` with ``repl`` (in the text the filter receives)."""

    def __init__(self, name: str, pattern: str, repl: str) -> None:
        self.name = name
        self.description = f"test filter {name}"
        self.pattern = re.compile(pattern)
        self.repl = repl

    def find(self, text: str, ctx: Context) -> list[Edit]:
        return [Edit(m.start(), m.end(), m.group(), self.repl, self.name, f"{self.name}.re",
                     f"{m.group()!r} matches {self.pattern.pattern!r}", 0.9)
                for m in self.pattern.finditer(text)]


class FuncFilter:
    def __init__(self, name: str, func: Callable[[str, Context], list[Edit]]) -> None:
        self.name = name
        self.description = f"test filter {name}"
        self.func = func

    def find(self, text: str, ctx: Context) -> list[Edit]:
        return self.func(text, ctx)


def insert_at(name: str, find: str, what: str, after: bool = False) -> FuncFilter:
    def func(text: str, ctx: Context) -> list[Edit]:
        pos = text.find(find)
        if pos < 0:
            return []
        at = pos + len(find) if after else pos
        return [Edit(at, at, "", what, name, f"{name}.insert", "test insertion", 0.5)]

    return FuncFilter(name, func)


def run(filters: list[Filter], text: str) -> Result:
    result = Pipeline(filters).run(text)
    assert apply_edits(result.text, result.edits) == result.cleaned
    for e in result.edits:
        assert result.text[e.start : e.end] == e.before
    return result


def test_fake_filters_satisfy_protocol() -> None:
    assert isinstance(RegexFilter("a", "x", ""), Filter)


def test_clean_text_is_byte_identical_with_zero_edits() -> None:
    text = "內蒙古自治區工會\r\n第二行 with ASCII\n"
    result = run([RegexFilter("spam", "包養", ""), RegexFilter("spin", "年夜", "大")], text)
    assert result.cleaned == text
    assert result.edits == [] and result.steps() == []
    assert not result.changed
    assert result.counts() == {}


def test_deletion_inside_later_replacement_is_absorbed() -> None:
    text = "我們的文包養明生活"
    spam = RegexFilter("spam", "包養", "")
    spin = RegexFilter("spin", "文明", "文化")
    result = run([spam, spin], text)
    assert result.cleaned == "我們的文化生活"
    assert len(result.edits) == 1
    (edit,) = result.edits
    assert (edit.start, edit.end, edit.before, edit.after) == (3, 7, "文包養明", "文化")
    assert edit.filter == "spin"
    assert [(a.filter, a.start, a.end, a.before) for a in edit.absorbs] == [("spam", 4, 6, "包養")]
    assert result.counts() == {"spam": 1, "spin": 1}
    assert [s.filter for s in result.steps()] == ["spin", "spam"]


def test_adjacent_edits_stay_separate() -> None:
    text = "aaXXbcc"
    result = run([RegexFilter("one", "XX", ""), RegexFilter("two", "ab", "AB")], text)
    # "two" sees "aabcc" and rewrites "ab" across the point where "XX" was removed
    assert result.cleaned == "aABcc"
    assert result.counts() == {"one": 1, "two": 1}

    text = "aaXXbcc"
    result = run([RegexFilter("one", "XX", ""), RegexFilter("two", "b", "B")], text)
    assert result.cleaned == "aaBcc"
    assert [(e.filter, e.start, e.end) for e in result.edits] == [("one", 2, 4), ("two", 4, 5)]
    assert all(not e.absorbs for e in result.edits)


def test_insertions_map_to_input_positions() -> None:
    text = "開頭XX結尾"
    filters = [RegexFilter("del", "XX", ""), insert_at("ins", "結尾", "「"),
               insert_at("end", "尾", "」", after=True)]
    result = run(filters, text)
    assert result.cleaned == "開頭「結尾」"
    by_filter = {e.filter: e for e in result.steps()}
    assert (by_filter["del"].start, by_filter["del"].end) == (2, 4)
    assert by_filter["ins"].start == by_filter["ins"].end == 4
    assert by_filter["end"].start == by_filter["end"].end == len(text)


def test_later_filter_edits_map_past_earlier_length_changes() -> None:
    text = "包養一二三包養四五六"
    result = run([RegexFilter("spam", "包養", ""), RegexFilter("num", "四", "4")], text)
    assert result.cleaned == "一二三4五六"
    num = next(e for e in result.edits if e.filter == "num")
    assert (num.start, num.end, num.before) == (text.index("四"), text.index("四") + 1, "四")


def test_noop_edits_are_dropped_and_overlaps_rejected() -> None:
    noop = FuncFilter("noop", lambda t, c: [Edit(0, 1, t[0], t[0], "noop", "n", "same", 1.0)])
    assert run([noop], "abc").edits == []
    overlapping = FuncFilter("bad", lambda t, c: [Edit(0, 2, t[:2], "", "bad", "b", "x", 1.0),
                                                   Edit(1, 3, t[1:3], "", "bad", "b", "x", 1.0)])
    with pytest.raises(ValueError):
        Pipeline([overlapping]).run("abcd")


def test_scores_are_shared_with_later_filters() -> None:
    def first(text: str, ctx: Context) -> list[Edit]:
        ctx.scores["first.hits"] = 2.0
        return []

    seen: list[float] = []

    def second(text: str, ctx: Context) -> list[Edit]:
        seen.append(ctx.scores["first.hits"])
        return []

    result = run([FuncFilter("first", first), FuncFilter("second", second)], "x")
    assert seen == [2.0]
    assert result.scores == {"first.hits": 2.0}


def test_later_filters_map_their_offsets_to_the_input() -> None:
    """A filter records where its evidence lies in input offsets (``ctx.evidence``), whatever
    earlier filters removed, so a later one can weigh the evidence near a span."""
    def first(text: str, ctx: Context) -> list[Edit]:
        at = text.index("XX")
        ctx.record(SPAM_TERMS, [Mark(ctx.input_offset(at), "XX")])
        return [Edit(at, at + 2, "XX", "", "first", "first.cut", "test", 0.9)]

    seen: list[tuple[int, int, tuple[Mark, ...]]] = []

    def second(text: str, ctx: Context) -> list[Edit]:
        at = text.index("好")
        seen.append((at, ctx.input_offset(at), ctx.evidence.get(SPAM_TERMS)))
        return []

    run([FuncFilter("first", first), FuncFilter("second", second)], "甲XX乙丙好")
    assert seen == [(3, 5, (Mark(1, "XX"),))]  # 好 is at 3 in the second filter's text, 5 in the input
    assert Context(input_text="abc").input_offset(2) == 2  # outside a pipeline: the input itself


def test_result_to_dict_has_line_col() -> None:
    result = run([RegexFilter("spam", "包養", "")], "第一行\n連包養合")
    d = result.to_dict()
    assert d["changed"] is True and d["counts"] == {"spam": 1}
    assert (d["edits"][0]["line"], d["edits"][0]["col"]) == (2, 2)


def test_clean_api_with_real_spam_filter() -> None:
    result = clean("內蒙古自包養治區", filters=["spam"])
    assert result.cleaned == "內蒙古自治區"
    assert apply_edits(result.text, result.edits) == result.cleaned


# --- evidence declarations and typed options --------------------------------------------------


class Declaring(FuncFilter):
    def __init__(self, name: str, produces: set[str] = frozenset(), consumes: set[str] = frozenset(),
                 func: Callable[[str, Context], list[Edit]] | None = None) -> None:
        super().__init__(name, func or (lambda text, ctx: []))
        self.produces = frozenset(produces)
        self.consumes = frozenset(consumes)


def test_producers_run_before_their_consumers_whatever_the_given_order() -> None:
    order: list[str] = []

    def note(name: str) -> Callable[[str, Context], list[Edit]]:
        def func(text: str, ctx: Context) -> list[Edit]:
            order.append(name)
            if name == "producer":
                ctx.record(SPAM_TERMS, [])
            else:
                assert ctx.evidence.get(SPAM_TERMS) == ()
            return []
        return func

    consumer = Declaring("consumer", consumes={SPAM_TERMS}, func=note("consumer"))
    producer = Declaring("producer", produces={SPAM_TERMS}, func=note("producer"))
    pipeline = Pipeline([consumer, producer])
    assert pipeline.names == ["producer", "consumer"]
    assert pipeline.computed_evidence == []
    pipeline.run("abc")
    assert order == ["producer", "consumer"]


def test_filters_consuming_each_others_evidence_are_rejected() -> None:
    a = Declaring("a", produces={SPAM_TERMS}, consumes={SPIN_MARKERS})
    b = Declaring("b", produces={SPIN_MARKERS}, consumes={SPAM_TERMS})
    with pytest.raises(EvidenceOrderError):
        Pipeline([a, b])
    with pytest.raises(ValueError, match="unknown evidence"):
        Pipeline([Declaring("c", consumes={"spam.removed"})])


def test_a_consumer_alone_gets_the_evidence_computed_on_the_input() -> None:
    """Without the spam filter, the evidence is what it would have removed (its own rule)."""
    seen: list[tuple[Mark, ...]] = []

    def func(text: str, ctx: Context) -> list[Edit]:
        seen.append(ctx.evidence.get(SPAM_TERMS))
        return []

    pipeline = Pipeline([Declaring("consumer", consumes={SPAM_TERMS}, func=func)])
    assert pipeline.computed_evidence == [SPAM_TERMS]
    result = pipeline.run("內蒙古自包養治區")
    assert seen == [(Mark(4, "包養"),)]
    assert result.cleaned == "內蒙古自包養治區" and result.scores == {}  # nothing applied or reported
    with pytest.raises(LookupError):
        Context(input_text="x").evidence.get(SPAM_TERMS)  # never produced: an error, not "none found"


def test_unknown_options_are_an_error() -> None:
    with pytest.raises(TypeError, match="bogus_option"):
        clean("內蒙古自包養治區", bogus_option=1)
    with pytest.raises(TypeError, match="fiction_threshold"):
        Pipeline([], {"fiction_threshold": "high"})
    # a built-in filter's option is accepted when that filter is not in the pipeline (CLI: one set of options)
    assert clean("內蒙古自包養治區", filters=["spam"], fiction_threshold=5.0).cleaned == "內蒙古自治區"

"""Property tests: random texts and random edits from fake filters.

Each fake filter draws non-overlapping edits on the text it receives.  The test
tracks, independently of :mod:`cleannews.offsets`, which input character each
character of the current text came from, and checks that the pipeline maps
every edit back to the right input span.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleannews import Pipeline, clean
from cleannews.edits import Edit, apply_edits, check_edits
from cleannews.pipeline import Context
from cleannews.resources import read_table
from cleannews.script import to_simplified

ALPHABET = "ab包養網文明\n "


class DrawFilter:
    """Draws random non-overlapping edits; remembers the text it saw and what it returned."""

    def __init__(self, name: str, data: st.DataObject) -> None:
        self.name = name
        self.description = "random edits"
        self.data = data
        self.seen: str | None = None
        self.edits: list[Edit] = []

    def find(self, text: str, ctx: Context) -> list[Edit]:
        cuts = sorted(self.data.draw(st.lists(st.integers(0, len(text)), max_size=8), label=self.name))
        edits: list[Edit] = []
        for k in range(0, len(cuts) - 1, 2):
            start, end = cuts[k], cuts[k + 1]
            after = self.data.draw(st.text(alphabet=ALPHABET, max_size=3), label=f"{self.name}.after")
            if start == end and (not after or (edits and edits[-1].start == edits[-1].end == start)):
                continue
            edits.append(Edit(start, end, text[start:end], after, self.name, f"{self.name}.{len(edits)}",
                              "random", 0.5))
        self.seen = text
        self.edits = [e for e in edits if e.before != e.after]
        return edits


def provenance_after(prov: list[int | None], edits: list[Edit]) -> list[int | None]:
    """Input index of each character after applying ``edits`` (None: inserted by a filter)."""
    out: list[int | None] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.extend(prov[pos : e.start])
        out.extend([None] * len(e.after))
        pos = e.end
    out.extend(prov[pos:])
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=ALPHABET, max_size=30), n_filters=st.integers(1, 3), data=st.data())
def test_random_edits_compose_and_map_to_input(text: str, n_filters: int, data: st.DataObject) -> None:
    filters = [DrawFilter(f"f{k}", data) for k in range(n_filters)]
    result = Pipeline(filters).run(text)

    # the invariant, and the final edits are sorted, disjoint and match the input
    check_edits(result.text, result.edits)
    assert apply_edits(result.text, result.edits) == result.cleaned

    # the cleaned text is what applying each filter's edits in turn gives
    current = text
    prov: list[int | None] = list(range(len(text)))
    expected_spans: dict[str, tuple[int, int]] = {}
    for f in filters:
        assert f.seen == current
        for e in f.edits:
            covered = prov[e.start : e.end]
            if covered and None not in covered and covered == list(range(covered[0], covered[-1] + 1)):
                expected_spans[e.rule] = (covered[0], covered[-1] + 1)
        prov = provenance_after(prov, f.edits)
        current = apply_edits(current, f.edits)
    assert result.cleaned == current

    # every reported step is an edit a filter made, reported once, at the right input span
    steps = result.steps()
    produced = {e.rule for f in filters for e in f.edits}
    rules = [s.rule for s in steps]
    assert len(rules) == len(set(rules)) and set(rules) <= produced
    merged = {e.rule for e in result.edits if e.absorbs}
    for step in steps:
        assert 0 <= step.start <= step.end <= len(text)
        assert step.before == text[step.start : step.end]
        if step.rule in expected_spans:
            start, end = expected_spans[step.rule]
            if step.rule in merged:  # widened to the whole changed region it absorbed others in
                assert step.start <= start and end <= step.end
            else:
                assert (step.start, step.end) == (start, end)
    if result.changed:
        assert steps

    # edits of the first filter keep their own offsets
    first = {e.rule: e for e in filters[0].edits}
    for step in steps:
        if step.rule in first and step.rule not in merged:
            assert (step.start, step.end) == (first[step.rule].start, first[step.rule].end)


def _spam_free_alphabet() -> str:
    """Characters that cannot start any spam term (both scripts, any case), from the wordlist."""
    firsts = set()
    for row in read_table("spam_terms.txt"):
        term = row[0]
        firsts |= {term[0], term[0].lower(), term[0].upper(), to_simplified(term[0])}
    pool = (
        "內蒙古自治區工會總經由過程一系列立異舉動與務虛為職工辦實事解困難專心用情當好信任的外家人"
        "養網寶貝花園心價格平台經驗學生長期短期找"  # parts of terms, never their first character
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        "，。、；：！？「」“”（）,.;:!? -\n\r\t"
    )
    return "".join(sorted({c for c in pool if c not in firsts and to_simplified(c) not in firsts}))


SPAM_FREE = _spam_free_alphabet()


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=SPAM_FREE, max_size=200))
def test_text_without_spam_terms_is_byte_identical(text: str) -> None:
    result = clean(text, filters=["spam"])
    assert result.cleaned == text
    assert result.edits == []


def test_spam_free_alphabet_is_not_trivial() -> None:
    assert "包" not in SPAM_FREE and "S" not in SPAM_FREE and "s" not in SPAM_FREE
    assert "養" in SPAM_FREE and "網" in SPAM_FREE and len(SPAM_FREE) > 80

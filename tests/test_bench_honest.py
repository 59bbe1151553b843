"""The honest synthetic benchmark: held-out word families, the spinners, the scoring."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from cleannews.bench import corrupt as C
from cleannews.bench import honest as H
from cleannews.bench import thesaurus as T
from cleannews.script import to_simplified

PAIRS = [
    ("通过", "经由过程", "word"), ("参加", "餐与加入", "word"), ("活动", "运动", "word"),
    ("运动", "活动", "word"), ("发展", "成长", "word"), ("发展中", "成长中", "word"),
    ("工作", "任务", "word"), ("任务", "义务", "word"), ("问题", "题目", "word"),
    ("大", "年夜", "char"), ("大会", "年夜会", "char"), ("民族", "平易近族", "char"),
    ("能够", "可以或许", "word"), ("进一步", "进一个步骤", "word"), ("观众", "不雅众", "char"),
    ("现代", "古代", "word"), ("配置", "设置装备摆设", "word"), ("处理", "处置惩罚", "word"),
]

CILIN = """Aa01A01= 人 士 人物 人士 人氏 人选
Aa01A02= 人类 生人 全人类
Aa01B01# 人民 公民 国民
Aa01B02= 人民 民众 公民 百姓
Ba01A01@ 物质
Hj12A01= 通过 经过 穿过
Hj12A02= 参加 到场 列席
"""


# --------------------------------------------------------------------------- held-out word families


def test_families_join_both_directions_and_shared_cores():
    fams = H.word_families(H.eligible(PAIRS))
    by_pair = {p: tuple(f) for f in fams for p in f}
    # 活动→运动 and 运动→活动 share words: one family
    assert by_pair[("活动", "运动")] == by_pair[("运动", "活动")]
    # 发展→成长 and 发展中→成长中 change the same characters: one family
    assert by_pair[("发展", "成长")] == by_pair[("发展中", "成长中")]
    # 工作→任务 and 任务→义务 share 任务
    assert by_pair[("工作", "任务")] == by_pair[("任务", "义务")]
    assert by_pair[("通过", "经由过程")] != by_pair[("参加", "餐与加入")]


def test_held_out_families_are_whole_and_large_enough():
    for share in (0.3, 0.35, 0.5):
        held = H.hold_out_families(PAIRS, share)
        elig = H.eligible(PAIRS)
        assert len(held) >= share * len(elig)
        for fam in H.word_families(elig):
            inside = [p in held for p in fam]
            assert all(inside) or not any(inside), fam  # never part of a family
        # character rules are the spinner's core table: never held out
        assert not any((o, s) in held for o, s, k in PAIRS if k == "char")


def test_held_out_pairs_are_unknown_to_the_cleaner(seed_text):
    """What the benchmark hides is what the cleaner cannot use, whatever tier of spin data the
    cleaner loads: on a spun page (the seed) followed by held-out spun forms, the full set-up
    restores many of them and the held-out set-up none (so the test can fail both ways)."""
    from cleannews.resources import Resources
    from cleannews.spin.lexicon import read_lexicon

    pairs = H.classic_pairs(read_lexicon().pairs)
    held = H.hold_out_families(pairs, 0.35)
    assert len(held) >= 0.3 * len(H.eligible(pairs))
    sample = sorted(held)[:40]
    page = seed_text + "\n" + "，".join(C.to_traditional_naive(f"我们{s}了") for _, s in sample) + "。"

    def restored(res) -> list[tuple[str, str]]:
        steps = res.pipeline(["spinning"]).run(page).steps()
        return [(to_simplified(e.after), to_simplified(e.before)) for e in steps if e.start >= len(seed_text)]

    assert len(restored(Resources.default())) >= 5
    made = restored(Resources.default().holding_out(held))
    assert not [p for p in made if p in held], made


# --------------------------------------------------------------------------- spinners


def test_classic_pairs_leave_out_mined_word_pairs():
    from cleannews.spin.lexicon import Pair

    rows = [Pair("通过", "经由过程", "word", "reviewed", "knowledge"),
            Pair("龙大", "龙年夜", "char", "candidate", "mined"),
            Pair("时候", "时光", "word", "candidate", "mined")]
    assert H.classic_pairs(rows) == [("通过", "经由过程", "word"), ("龙大", "龙年夜", "char")]


def test_parse_cilin_keeps_only_synonym_groups_of_words():
    syn = T.parse_cilin(CILIN.splitlines())
    assert syn["人民"] == ("公民", "民众", "百姓")  # '#' (related) lines are not synonyms
    assert "物质" not in syn  # '@' lines stand alone
    assert "人" not in syn and "士" not in syn  # single characters are not spun
    assert "通过" in syn["经过"]


TEXT = "人民通过选举参加国家治理，人民群众积极参加。"


def _thesaurus_spin(seed: int, text: str = TEXT) -> tuple[str, list]:
    spinner = H.ThesaurusSpinner.without_known(T.parse_cilin(CILIN.splitlines()),
                                               {(o, s) for o, s, _ in PAIRS})
    simplified = to_simplified(text)
    tokens = H.tokens_of(simplified)
    slots = spinner.slots(simplified, tokens)
    return H.spin_article(text, "hans", slots, len(tokens), 1.0, random.Random(seed), family="thesaurus")


def test_thesaurus_spinner_is_deterministic_with_its_seed():
    assert _thesaurus_spin(7) == _thesaurus_spin(7)
    outputs = {_thesaurus_spin(seed)[0] for seed in range(20)}
    assert len(outputs) > 1  # the seed matters


def test_thesaurus_spinner_skips_pairs_the_cleaner_knows():
    spinner = H.ThesaurusSpinner.without_known(T.parse_cilin(CILIN.splitlines()), {("通过", "经过")})
    assert "经过" not in spinner.synonyms["通过"]
    assert "通过" not in spinner.synonyms["经过"]


def test_spin_ops_undo_to_the_original_in_both_scripts():
    spinner = H.ClassicSpinner.from_pairs(PAIRS)
    for script, text in (("hans", "我们通过大会参加活动，进一步发展民族文化和现代观众的问题。"),
                         ("hant", "我們通過大會參加活動，進一步發展民族文化和現代觀眾的問題。")):
        simplified = to_simplified(text)
        bounds = frozenset(b for _, s, e in H.tokens_of(simplified) for b in (s, e))
        slots = spinner.slots(simplified, bounds)
        assert len(slots) >= 8
        spun, ops = H.spin_article(text, script, slots, 20, 1.0, random.Random(1))
        assert len(ops) == len(slots)  # rate × words above the candidates: all replaced
        C.verify(text, spun, ops)  # every op slices to its spun form; undoing gives the article
        if script == "hant":
            assert "經由過程" in spun and "經由过程" not in spun


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=0.0, max_value=1.0), st.integers(min_value=0, max_value=10**6))
def test_rate_is_the_share_of_words_replaced(rate, seed):
    text = "我们通过大会参加活动，进一步发展民族文化。" * 3
    spinner = H.ClassicSpinner.from_pairs(PAIRS)
    simplified = to_simplified(text)
    slots = spinner.slots(simplified, frozenset(range(len(text) + 1)))
    spun, ops = H.spin_article(text, "hans", slots, 30, rate, random.Random(seed))
    assert len(ops) == min(len(slots), round(rate * 30))
    C.verify(text, spun, ops)


def test_build_is_deterministic_and_mixes_families_rates_and_clean():
    articles = {"news": [{"id": f"n{k}", "script": "hans",
                          "text": f"第{k}条：我们通过大会参加活动，进一步发展民族文化，人民参加治理。"}
                         for k in range(12)],
                "tw": [{"id": f"t{k}", "script": "hant",
                        "text": f"第{k}則：我們通過大會參加活動，進一步發展民族文化，人民參加治理。"}
                       for k in range(3)]}
    synonyms = T.parse_cilin(CILIN.splitlines())
    cfg = H.HonestConfig(per_domain=8, clean_per_domain=4)
    one = H.build(cfg, PAIRS, synonyms, articles)
    two = H.build(cfg, PAIRS, synonyms, articles)
    assert one.records == two.records
    fams = [r["family"] for r in one.records if r["domain"] == "news"]
    assert fams.count("classic") == 4 and fams.count("thesaurus") == 4 and fams.count("clean") == 4
    assert {r["rate"] for r in one.records if r["family"] == "classic"} >= {0.05, 0.15}
    assert [r["family"] for r in one.records if r["domain"] == "tw"].count("clean") == 1
    for r in one.records:
        C.verify(r["original"], r["corrupted"], r["ops"])
        if r["family"] == "clean":
            assert r["corrupted"] == r["original"] and not r["ops"]
    other = H.build(H.HonestConfig(per_domain=8, clean_per_domain=4, seed=1), PAIRS, synonyms, articles)
    assert [r["corrupted"] for r in other.records] != [r["corrupted"] for r in one.records]


def test_held_out_tag_follows_the_pair():
    spinner = H.ClassicSpinner.from_pairs(PAIRS)
    text = "我们通过大会参加活动。"
    held = frozenset({("通过", "经由过程")})
    slots = spinner.slots(text, frozenset(range(len(text) + 1)))
    _, ops = H.spin_article(text, "hans", slots, 10, 1.0, random.Random(0), held)
    tags = {o["original_s"]: o["held_out"] for o in ops}
    assert tags["通过"] is True and tags["参加"] is False


# --------------------------------------------------------------------------- scoring on hand-made cases


def _record(original: str, corrupted: str, ops: list, family: str = "classic") -> dict:
    return {"id": "x", "domain": "d", "script": "hans", "original": original, "corrupted": corrupted,
            "ops": ops, "family": family, "rate": 0.05, "words": 10, "spun_words": len(ops)}


def _step(start: int, before: str, after: str, filt: str = "spinning") -> dict:
    return {"start": start, "end": start + len(before), "before": before, "after": after, "filter": filt}


def test_scores_on_hand_made_cases():
    original = "我们通过讨论参加活动。"
    corrupted = "我们经由过程讨论餐与加入活动。"
    ops = [{"type": "spin", "start": 2, "end": 6, "text": "经由过程", "original": "通过", "spun": "经由过程",
            "original_s": "通过", "spun_s": "经由过程", "kind": "word", "held_out": False,
            "ambiguous": False},
           {"type": "spin", "start": 8, "end": 12, "text": "餐与加入", "original": "参加", "spun": "餐与加入",
            "original_s": "参加", "spun_s": "餐与加入", "kind": "word", "held_out": True,
            "ambiguous": False}]
    C.verify(original, corrupted, ops)
    clean = "今天天气很好。"
    built = H.Built([_record(original, corrupted, ops), _record(clean, clean, [], "clean")],
                    frozenset({("参加", "餐与加入")}), 10, False)
    # restores the known pair, misses the held-out one, and wrongly changes 活动 (a clean word)
    steps = [_step(2, "经由过程", "通过"), _step(12, "活动", "运动")]
    cleaned = "我们通过讨论餐与加入运动。"
    res = H.score(built, [(cleaned, steps), (clean, [])])
    spin = res["family:classic"]["spin"]
    assert spin["known"]["found"] == 1 and spin["known"]["gold"] == 1
    assert spin["known"]["predictions"] == 2 and spin["known"]["correct_predictions"] == 1
    assert spin["held-out"]["gold"] == 1 and spin["held-out"]["found"] == 0
    assert spin["all"]["recall"] == 0.5
    fam = res["family:classic"]
    # CER over the 11 original characters: 经由过程→通过 costs 3 (过 is shared), 餐与加入→参加 3;
    # after cleaning 餐与加入 (3) and the wrong 活→运 (1) are left
    assert fam["cer_before"] == 6 / 11
    assert fam["cer_after"] == 4 / 11
    assert fam["edits"] == 2 and fam["docs_changed"] == 1
    assert res["family:clean"]["edits"] == 0 and res["family:clean"]["docs_changed"] == 0
    targets = {t["target"]: t for t in H.targets(res)}
    assert targets["clean articles of every domain: 0 edits"]["met"] is True
    assert targets["known pairs P ≥ 97%, R ≥ 90%"]["met"] is False
    meta = {"held_out_pairs": 1, "eligible_pairs": 10, "held_out_families": 1, "thesaurus": None}
    text = H.markdown(res, meta)
    assert "| classic: known pairs | 1 | 20.0% | 50.0% | 100.0% | 1/2 · 1/1 |" in text
    assert "| classic: held-out families | 1 | 20.0% | n/a | 0.0% |" in text


def test_document_errors_list_misses_and_wrong_edits():
    op = {"type": "spin", "start": 2, "end": 6, "text": "经由过程", "original": "通过", "spun": "经由过程",
          "original_s": "通过", "spun_s": "经由过程", "kind": "word", "held_out": True, "ambiguous": False}
    rec = _record("我们通过讨论活动。", "我们经由过程讨论活动。", [op])
    row = H.document_errors(rec, "", [_step(8, "活动", "运动")])
    assert row["missed"] == [{"original": "通过", "spun": "经由过程", "held_out": True,
                              "context": "我们[经由过程]讨论活动。"}]
    assert row["wrong_edits"][0]["before"] == "活动"
    assert row["wrong_edits"][0]["context"] == "我们经由过程讨论[活动]。"
    assert H.document_errors(rec, "", [_step(2, "经由过程", "通过")]) is None


def test_held_out_precision_counts_wrong_guesses():
    op = {"type": "spin", "start": 2, "end": 6, "text": "经由过程", "original": "通过", "spun": "经由过程",
          "original_s": "通过", "spun_s": "经由过程", "kind": "word", "held_out": True, "ambiguous": False}
    wrong = H.classic_strata([op], [_step(2, "经由过程", "经过")], frozenset({"经由过程"}))
    assert wrong["held-out"].n_pred == 1 and wrong["held-out"].tp_pred == 0
    assert wrong["held-out"].tp_gold == 0 and wrong["known"].n_pred == 0
    right = H.classic_strata([op], [_step(2, "经由过程", "通过")], frozenset({"经由过程"}))
    assert right["held-out"].precision == 1.0 and right["held-out"].recall == 1.0
    # a false edit elsewhere on the page counts against the known stratum
    other = H.classic_strata([op], [_step(6, "讨论", "商量")], frozenset({"经由过程"}))
    assert other["known"].n_pred == 1 and other["known"].tp_pred == 0


def test_small_domains_keep_clean_articles():
    assert H.spun_count(100, 40, 20) == 40
    assert H.spun_count(6, 40, 20) == 4
    assert H.spun_count(2, 40, 20) == 1
    assert H.spun_count(1, 40, 20) == 1
    assert H.spun_count(5, 40, 0) == 5


def test_mixed_pages_count_edits_inside_clean_articles():
    spun = _record("我们通过讨论。", "我们经由过程讨论。", [])
    clean = [dict(_record(f"干净的第{k}篇。", f"干净的第{k}篇。", [], "clean"), id=f"c{k}") for k in range(4)]
    pages = H.mixed_pages([spun, *clean], per_page=2)
    assert len(pages) == 1 and pages[0]["text"] == "我们经由过程讨论。\n干净的第0篇。\n干净的第1篇。"
    start = pages[0]["text"].index("干净的第1篇")
    got = H.score_mixed(pages, [("", [_step(2, "经由过程", "通过"), _step(start, "干净", "清洁")])])
    assert got == {"pages": 1, "clean_articles": 2, "clean_articles_changed": 1, "edits": {"spinning": 1}}
    met = {t["target"]: t["met"] for t in H.targets({"mixed_pages": got})}
    assert met["mixed pages (1 spun + 9 clean articles): clean articles changed ≤ 1%"] is False


def test_truncate_cuts_at_a_paragraph_end():
    text = "第一段。\n" * 50
    cut = H.truncate(text, 23)
    assert len(cut) <= 23 and cut.endswith("。")
    assert H.truncate("短文", 100) == "短文"

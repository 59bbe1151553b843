"""The ``spinning`` filter: restores spun words in spun pages, leaves clean text alone."""

from __future__ import annotations

import time
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleannews import clean
from cleannews.edits import apply_edits
from cleannews.filters.spam import SpamFilter
from cleannews.filters.spinning import SpinningFilter
from cleannews.pipeline import Context, Pipeline
from cleannews.resources import Resources, wordlists_dir
from cleannews.script import to_simplified
from cleannews.spin.context import load_context_model, load_npz
from cleannews.spin.lexicon import Lexicon, Pair, load_lexicon

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "seeds" / "000_6bc4e7bd4ee97ca6.txt"
RULES = {"spin.unambiguous", "spin.context", "spin.boundary"}

needs_shared = pytest.mark.skipif(not (SHARED / "dev").is_dir(), reason="../shared/dev not available")


def spin_only(text: str, **options) -> tuple[str, list]:
    result = Pipeline([SpinningFilter()], options).run(text)
    return result.cleaned, result.edits


# --- the lexicon -------------------------------------------------------------------------------


def test_lexicon_file_is_well_formed():
    path = wordlists_dir() / "spin_lexicon.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#"), "the file starts with a header comment"
    pairs = set()
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        original, spun, kind, status, origin = line.split("\t")
        assert original and spun and original != spun, line
        assert kind in {"char", "word", "boundary"}, line
        assert status in {"reviewed", "candidate"}, line
        assert origin in {"dev-evidence", "dev-pages", "seed", "knowledge", "mined"}, line
        assert to_simplified(original) == original or original.isascii(), f"not Simplified: {line}"
        pairs.add((original, spun))
    assert len(pairs) >= 2000


def test_lexicon_has_both_directions_and_seed_pairs():
    pairs = {(p.original, p.spun) for p in load_lexicon().pairs}
    for pair in [("通过", "经由过程"), ("活动", "运动"), ("运动", "活动"), ("大会", "年夜会"),
                 ("观众", "不雅众"), ("当时", "那时"), ("品牌", "brand"), ("娘家人", "外家人")]:
        assert pair in pairs


def test_scan_finds_longest_and_shorter_forms_at_a_position():
    lex = Lexicon([Pair("大", "年夜", "char", "reviewed", "seed"),
                   Pair("大会", "年夜会", "char", "reviewed", "seed"),
                   Pair("工作", "任务", "word", "reviewed", "seed")])
    found = [(c.start, c.spun) for c in lex.scan("召开年夜会任务")]
    assert found == [(2, "年夜会"), (2, "年夜"), (5, "任务")]
    excluded = [c.spun for c in lex.without(frozenset({("大会", "年夜会")})).scan("召开年夜会")]
    assert excluded == ["年夜"]


# --- the context model ------------------------------------------------------------------------


def test_context_model_loads_fast_without_pickle():
    from cleannews.resources import models_dir

    path = models_dir() / "spin_context.npz"
    assert path.stat().st_size < 25e6
    start = time.perf_counter()
    model = load_npz(path)
    assert time.perf_counter() - start < 1.0
    # learned from clean news: the original is common, the spinner form is not
    assert model.count("通过") > 1000
    assert model.count("经由过程") <= 3
    assert load_context_model() is not None


def test_prefetched_fits_equal_the_scalar_ones():
    """The page-at-once scoring memoises exactly (bit for bit) what the scalar methods compute."""
    from cleannews.resources import models_dir

    text = SPUN_HANS + "全区涌现8.62万项创新成果，青年夜学的学生餐与加入了运动会。各地要主要任务"
    forms = ["任务", "工作", "运动", "活动", "主要", "重要", "涌现", "出现", "经由过程", "通过", "年夜", "大",
             "未见过的词"]
    lefts = {(f, text[max(0, i - 2) : i]) for f in forms for i in range(len(text))}
    rights = {(f, text[i : i + 2]) for f in forms for i in range(len(text))}
    fresh = load_npz(models_dir() / "spin_context.npz")
    fresh.prefetch_fits(lefts, rights)
    scalar = load_npz(models_dir() / "spin_context.npz")
    assert all(fresh._lefts[k] == scalar.left_fit(*k) for k in lefts if k[1])
    assert all(fresh._rights[k] == scalar.right_fit(*k) for k in rights if k[1])
    assert len(fresh._lefts) > 100


def test_a_model_without_wider_context_still_decides(tmp_path, monkeypatch):
    """A model trained before the wider context existed loads and decides by the near context."""
    import numpy as np

    from cleannews.resources import models_dir
    from cleannews.spin import decide

    with np.load(models_dir() / "spin_context.npz", allow_pickle=False) as data:
        arrays = {k: data[k] for k in ("form_keys", "form_counts", "char_keys", "char_counts", "total_chars")}
    np.savez(tmp_path / "old.npz", **arrays)
    old = load_npz(tmp_path / "old.npz")
    assert not old.has_window and old.window_gain("出现", "涌现", ["创新"]) == 0.0
    simplified = "我们经由过程立异举动，各级工会要可以或许处理职工的题目，全区涌现8.62万项创新成果。"
    lexicon = load_lexicon()
    chosen = decide.decide(old, lexicon, simplified, list(lexicon.scan(simplified)))
    assert {"通过", "能够"} <= {d.original for d in chosen}
    assert all(d.window_gain == 0.0 for d in chosen)


def test_trainer_counts_the_wider_context_exactly():
    """Bigrams wholly inside the window beyond the two near characters, Chinese only, keyed exactly."""
    from cleannews.spin.context import window_key
    from cleannews.train import spin_context as trainer

    text = "甲乙丙丁戊己庚辛ab年夜会12壬癸子丑寅卯辰巳午未"
    keys, counts = trainer.window_counts([text] * trainer.MIN_WINDOW_COUNT, ["年夜会"])
    found = {int(k) for k in keys}
    window = "甲乙丙丁戊己庚辛", "壬癸子丑寅卯辰巳"  # 8 characters beyond "ab" and "12"; 午未 lie outside
    assert found == {window_key(0, w[k : k + 2]) for w in window for k in range(7)}
    assert set(counts.tolist()) == {trainer.MIN_WINDOW_COUNT}


def test_wider_context_tells_near_synonyms_apart():
    """The topic of the sentence (创新成果, 先进典型 vs. 降雨, 灾害) separates 涌现 from 出现."""
    from cleannews.spin.context import window_bigrams

    model = load_context_model()
    assert model.has_window and model.window_floor >= 2
    cases = [("近期多地出现强降雨天气，部分地区出现洪涝灾害和山体滑坡", 1.0),
             ("各地涌现出一大批先进典型和劳动模范", -1.0), ("全区涌现8.62万项创新成果", -1.0)]
    for text, sign in cases:
        i = text.find("出现") if sign > 0 else text.find("涌现")
        gain = model.window_gain("出现", "涌现", window_bigrams(text, i, i + 2))
        assert gain * sign > 3.0, (text, gain)
        # the page-at-once version is the same computation
        assert model.window_gains_at(text, [(i, "出现", "涌现")])[0] == pytest.approx(gain)
    assert model.window_gain("出现", "not-a-form", ["创新"]) == 0.0


# --- clean text stays byte-identical ----------------------------------------------------------

LOOKALIKES = [
    "除夕夜，一家人围坐在一起吃年夜饭，守岁迎新。",
    "他为人平易近人，深受同事喜爱。",
    "跨年夜的广场上人头攒动。",
    "她在青年夜学读了两年书。",
    "套餐与加入的集团公司签订了合同。",
    "这场运动会的主要任务是选拔运动员，比赛题目由组委会公布。",
    "可以或许取得更好的结果，这里的可以或许是输入法的误打。",
]


@pytest.mark.parametrize("text", LOOKALIKES)
def test_lookalikes_in_clean_text_stay(text):
    cleaned, edits = spin_only(text)
    assert cleaned == text and not edits


@needs_shared
@pytest.mark.parametrize("path", sorted((SHARED / "dev" / "clean_tricky").glob("[0-9]*.txt")),
                         ids=lambda p: p.name)
def test_clean_tricky_passages_stay_byte_identical(path):
    text = path.read_text(encoding="utf-8")
    assert spin_only(text)[0] == text
    assert clean(text).cleaned == text


# --- spun text is restored --------------------------------------------------------------------

SPUN_HANS = ("我们经由过程立异举动，进一个步骤晋升宽大职工的取得感。"
             "各级工会要可以或许处理职工的题目，餐与加入代表年夜会的代表表示，要联络接触群众。")


def test_spun_simplified_text_is_restored():
    cleaned, edits = spin_only(SPUN_HANS)
    for word in ["通过", "创新", "进一步", "能够", "参加", "大会", "联系", "问题"]:
        assert word in cleaned, (word, cleaned)
    for spun in ["经由过程", "进一个步骤", "可以或许", "餐与加入", "年夜会", "联络接触"]:
        assert spun not in cleaned
    assert apply_edits(SPUN_HANS, edits) == cleaned
    for edit in edits:
        assert edit.filter == "spinning" and edit.rule in RULES
        assert 0.0 <= edit.confidence <= 1.0
        assert edit.reason and {"spun", "original", "gain"} <= set(edit.evidence)


def test_lookalikes_stay_inside_a_spun_page():
    text = SPUN_HANS + "除夕的年夜饭很丰盛，老人平易近人。套餐与加入的集团签约。"
    cleaned, _ = spin_only(text)
    assert "年夜饭" in cleaned and "平易近人" in cleaned and "套餐与加入的集团" in cleaned


def test_clean_synonym_stays_when_the_wider_context_wants_it(monkeypatch):
    """涌现 (a real spinner form of 出现) in its own topic stays on a spun page; without the
    wider context the near context (区_8) would have turned it into 出现."""
    from cleannews.spin import decide

    text = SPUN_HANS + "全区涌现8.62万项创新成果。"
    cleaned, _ = spin_only(text)
    assert "全区涌现8.62万项创新成果" in cleaned and "通过" in cleaned
    monkeypatch.setattr(decide, "WINDOW_VETO", 1e9)
    assert "全区出现8.62万项" in spin_only(text)[0]


def test_news_rare_word_is_restored_on_a_spun_page_only():
    """进献 is a word (jieba, novels) but clean news never writes it for 贡献."""
    text = SPUN_HANS + "为国家建设作进献。"
    assert "作贡献" in spin_only(text)[0]
    clean_text = "他为国家建设作进献，深受好评。"
    assert spin_only(clean_text)[0] == clean_text


def test_context_evidence_needs_many_strong_ambiguous_forms():
    from cleannews.spin.decide import STRONG_PER_1000, Decision, context_evidence, is_spun_by_context

    def dec(spun, original, gain, ctx_gain, unambiguous=False):
        pair = Pair(original, spun, "word", "reviewed", "seed")
        return Decision(0, len(spun), spun, original, pair, unambiguous, gain, ctx_gain, 0.0, 0.0, "", "",
                        None)

    strong = [dec("任务", "工作", 8.0, 4.0), dec("主要", "重要", 7.0, 3.5), dec("推进", "推动", 6.5, 3.0)]
    assert context_evidence(strong, 200) == (3, 15.0)
    assert is_spun_by_context(strong, 200)
    assert not is_spun_by_context(strong, int(3 * 1000 / STRONG_PER_1000) + 50)  # too sparse
    assert not is_spun_by_context(strong[:2] * 3, 100)  # two distinct pairs only
    weak = [dec("任务", "工作", 8.0, 2.0), dec("主要", "重要", 5.0, 4.0), dec("经由过程", "通过", 9, 9, True)]
    assert context_evidence(strong[:1] + weak, 100) == (1, 10.0)


@needs_shared
def test_one_marker_spun_passage_is_restored():
    """dev/spun/027 has a single marker; its ordinary words show it is spun."""
    text = (SHARED / "dev" / "spun" / "027.txt").read_text(encoding="utf-8")
    ctx = Context(input_text=text)
    edits = SpinningFilter().find(text, ctx)
    assert ctx.scores["spin.markers"] == 1.0
    assert len(edits) >= 5 and {"不同", "定义"} <= {to_simplified(e.after) for e in edits}


def test_held_out_pairs_are_unknown_to_the_filter():
    resources = Resources.default().holding_out(frozenset({("通过", "经由过程")}))
    result = Pipeline([SpinningFilter()], resources=resources).run(SPUN_HANS)
    cleaned, edits = result.cleaned, result.edits
    assert "通过" not in cleaned and "进一步" in cleaned
    assert all(e.evidence["spun"] != "经由过程" for e in edits)


def test_scores_are_set_for_later_filters():
    ctx = Context(input_text=SPUN_HANS)
    edits = SpinningFilter().find(SPUN_HANS, ctx)
    assert 0.6 < ctx.scores["spin.score"] <= 1.0
    assert ctx.scores["spin.restored"] == len(edits) > 0
    ctx = Context(input_text="今天天气很好。")
    assert SpinningFilter().find("今天天气很好。", ctx) == []
    assert ctx.scores["spin.score"] == 0.0


def test_traditional_page_is_rendered_like_the_page():
    text = "我們經由過程立異舉動，進一個步驟晉升寬大職工的取得感，干部并且餐與加入代表年夜會。"
    cleaned, _ = spin_only(text)
    assert "通過" in cleaned and "創新" in cleaned and "進一步" in cleaned and "參加" in cleaned
    assert "大會" in cleaned and "干部并且" in cleaned


# --- the seed page ----------------------------------------------------------------------------

# Every spun form of the seed (after spam removal) with the word of the original 工人日報
# article, read line by line.  "spun>original"; a word the spinner left alone is not listed.
SEED_EXPECTED = """
庆贺>庆祝
题目>标题 经由过程>通过 立异>创新 举动>举措 务虚>务实 举动>行动 困难>难题
专心>用心 外家人>娘家人
浏览>阅读 提醒>提示
文明>文化 特点>特色 brand>品牌 财产>产业 步队>队伍 扶植>建设 改造>改革 实行>实施 办事>服务 缭绕>围绕
中间>中心 办事>服务 年夜>大 任务>工作 brand>品牌 担负>担当
活动>运动 光彩>光荣 反动>革命 仍是>还是 战斗>战争 束缚>解放 战斗>战争 时代>时期 地域>地区 报酬>人为
财产>产业 施展>发挥 主要>重要 感化>作用 活动>运动 主要>重要 构成部门>组成部分
准备>筹备 年夜>大 活动>运动
保持>坚持 引导>领导 缭绕>围绕 中间>中心 办事>服务 年夜>大 经由过程>通过 立异>创新 举动>举措 务虚>务实
举动>行动 任务>工作 brand>品牌 实在>切实 困难>难题 专心>用心 外家人>娘家人
连合>团结
宣扬>宣传 结合>联合 展开>开展 复兴>振兴 扶植>建设 边境>边疆 念书>读书 运动>活动 念书>读书 运动>活动
表扬>表彰 年夜>大 思惟>思想 果断>坚定 信心>信念 宽大>广大 一向>一直 主要>重要 任务>工作
事末>岁末 年夜>大 休息>劳动 浏览>阅读 那时>当时 浏览>阅读 交通>交流 运动>活动 浩繁>众多 不雅>观
连续>持续 文明>文化 特点>特色 brand>品牌 缭绕>围绕 严重>重大 汗青>历史 展开>开展 休息>劳动 教导>教育
实行>实践 运动>活动 展开>开展 脍炙人口>喜闻乐见 情势>形式 推进>推动 立异>创新 实际>理论
深刻>深入 展开>开展 平易近>民 连合>团结 提高>进步 教导>教育 运动>活动 文明>文化 往>去 慰劳>慰问
表演>演出 展开>开展 时期>时代 录像>视频 年夜>大 运动>活动 办事>服务 文明>文化 扶植>建设 繁华>繁荣
成长>发展
本质>素质 财产>产业 步队>队伍
缭绕>围绕 中间>中心 办事>服务 年夜>大 任务>工作
宽大>广大 姿势>姿态 反动>革命 扶植>建设 年月>年代 休息>劳动 治理>管理 任务>工作 构成>组成 步队>队伍
生孩子>生产 展开>开展 技巧>技术 改革>革新 技巧>技术 技巧>技术 公道>合理 提出>建议 运动>活动
比赛>竞赛 运动>活动 倡议>发起 推行>推广
集聚>会聚 财产>产业 财产>产业 展开>开展 休息>劳动 技巧>技能 比赛>竞赛 工作>事业 单元>单位 展开>开展
比赛>竞赛 运动>活动 举行>举办 笼罩>覆盖 财产>产业 个人工作>职业 技巧>技能 增进>促进 本质>素质 晋升>提升
立异>创新 立异>创新 任务>工作 立异>创新 结果>成果 发现>发明 适用>实用
不竭>不断 推动>推进 财产>产业 步队>队伍 扶植>建设 改造>改革 制订>制定 财产>产业 步队>队伍 扶植>建设
改造>改革 计划>方案 树立>建立 展开>开展 平易近>民 肄业>求学 举动>行动 辅助>帮助 平易近>民 晋升>提升
才能>能力
连合>团结 凝集>凝聚 宽大>广大 财产>产业 年夜>大 义务>任务 疆场>战场 展开>开展 休息>劳动 比赛>竞赛
年夜>大 扶植>建设 财产>产业 外行>在行 年夜>大 举动>行动 举动>行动 安排>部署 任务>工作 宽大>广大
安身>立足 职位>岗位 连续>持续 扶植>建设 进献>贡献
办事>服务 离职>到职 心田>心坎
年夜>大 关怀>关心 生涯>生活 处理>解决 生涯>生活 急切>迫切 需求>需要 处理>解决 可以或许>能够 处理>解决
题目>问题
外家人>娘家人 时辰>时刻 宽大>广大 冷热>冷暖 题目>问题
经由过程>通过 展开>开展 失业>就业 雇用>招聘 运动>活动 方法>方式 辅助>帮助 艰苦>困难
合作>互助 保证>保障 展开>开展 合作>互助 保证>保障 举动>行动 餐与加入>参加 投进>投入 受害>受益
开端>开始 经由过程>通过 运动>活动 投进>投入 慰劳>慰问 港口>口岸 白色>红色 碉堡>堡垒 中间>中心 创立>创建
港口>口岸 推动>推进 投进>投入 支撑>支持 地域>地区 港口>口岸 扶植>建设
办事>服务 进一个步骤>进一步 晋升>提升 宽大>广大 取得>获得 平安>安全
表现>表示 进一个步骤>进一步 完美>完善 联络接触>联系 普遍>广泛 办事>服务 任务>工作 系统>体系 尽力>努力
完成>实现 资本>资源 构造>结构 任务>工作 才能>能力 晋升>提升 古代>现代 活泼>生动 实行>实践 担负>担当
进献>贡献 气力>力量
消息>新闻
庆贺>庆祝 展现>展示 过程>历程 鼓舞>激励 时期>时代 庆贺>庆祝 技巧>技能 晋升>提升 财产>产业 进级>升级 庆贺>庆祝
白色>红色
"""
#: spun words whose original could not be read off with certainty: either outcome is accepted.
SEED_EITHER = {("推进", "推动"), ("发明", "发现"), ("铸造", "锻造"), ("一直", "一向"), ("竞赛", "大赛")}
#: spun forms with two plausible originals in the seed's contexts (舉動 → 舉措 or 行動).
SEED_ALTERNATIVES = {("举", "行"): ("动", "措")}


def _units(spun: str, original: str) -> list[tuple[str, str]]:
    """The differing blocks of a pair: (年夜会, 大会) → [(年夜, 大)],
    (构成部门, 组成部分) → [(构, 组), (门, 分)].

    Expected and made restorations are cut the same way, so one edit of a two-word
    pair and two edits of one-word pairs count alike.
    """
    matcher = SequenceMatcher(None, spun, original, autojunk=False)
    return [(spun[i1:i2], original[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


#: the novel sentence spliced into the seed (the ``fiction`` filter removes it); it was never
#: spun, and news statistics cannot read it (忽然 is a novel's word), so edits inside it are
#: not counted as changes to the article.
SEED_NOVEL_SENTENCE = "席世勳眨了眨眼,忽然想起了她剛才問的問題,一個讓他猝不及防的尖銳問題。"


def seed_restorations() -> tuple[Counter, Counter, list]:
    """(units restored outside the novel sentence, units expected, edits inside the novel sentence)."""
    seed = SEED.read_text(encoding="utf-8")
    despammed = Pipeline([SpamFilter()]).run(seed).cleaned
    edits = SpinningFilter().find(despammed, Context(input_text=despammed))
    novel = despammed.index(SEED_NOVEL_SENTENCE)
    in_novel = [e for e in edits if novel <= e.start and e.end <= novel + len(SEED_NOVEL_SENTENCE)]
    edits = [e for e in edits if e not in in_novel]
    made = Counter(u for e in edits for u in _units(to_simplified(e.before), to_simplified(e.after)))
    expected = Counter(u for tok in SEED_EXPECTED.split() for u in _units(*tok.split(">")))
    return made, expected, in_novel


def test_seed_golden_restorations():
    made, expected, in_novel = seed_restorations()
    either = {u for a, b in SEED_EITHER for u in _units(a, b) + _units(b, a)}
    spun_made = Counter()
    for (spun, _), n in made.items():
        spun_made[spun] += n
    spun_expected = Counter()
    for (spun, _), n in expected.items():
        spun_expected[spun] += n
    changed = {s: n for s, n in (spun_made - spun_expected).items() if not any(s == u[0] for u in either)}
    # No clean word of the article is changed (湧現 stays: the wider context, 創新成果, wants it).
    assert not changed, f"clean words changed: {changed}"
    assert len(in_novel) <= 1, [(e.before, e.after) for e in in_novel]
    correct = made & expected
    for a, b in SEED_ALTERNATIVES.items():
        # either original counts as restored, up to the number of spun occurrences
        correct[a] = min(made[a] + made[b], expected[a] + expected[b])
        correct.pop(b, None)
    total = sum(expected.values())
    restored = sum(correct.values())
    assert restored / total >= 0.91, f"restored {restored}/{total} spun words ({restored / total:.1%})"
    # 進獻 (a literary word clean news never uses) is restored to 貢獻 on this spun page
    assert made[("进", "贡")] == expected[("进", "贡")] == 2
    wrong = sum(made.values()) - restored - sum(n for u, n in made.items() if u in either)
    assert wrong <= 0.03 * total, f"{wrong} restorations to the wrong original: {made - expected}"


# --- clean corpora (skipped when ../shared/corpora is absent) --------------------------------

needs_corpora = pytest.mark.skipif(not (SHARED / "corpora" / "news-zh.jsonl.gz").is_file(),
                                   reason="../shared/corpora not available")


@needs_corpora
def test_clean_dev_news_is_never_edited():
    from cleannews import corpora

    docs = [d["text"] for _, d in zip(range(300), corpora.news("dev"), strict=False)]
    edits = sum(len(Pipeline([SpinningFilter()]).run(t).edits) for t in docs)
    assert edits == 0


@needs_corpora
def test_clean_fiction_is_almost_never_edited():
    """Novels use words news does not (晓得, 适才); they must not read as spinner artifacts."""
    from cleannews import corpora

    docs = [d["text"] for _, d in zip(range(200), corpora.fiction("test"), strict=False)]
    changed = sum(1 for t in docs if Pipeline([SpinningFilter()]).run(t).edits)
    assert changed <= 2, f"{changed} of {len(docs)} clean fiction chunks edited"


# --- robustness -------------------------------------------------------------------------------

_PIECES = ["经由过程", "可以或许", "年夜会", "任务", "运动", "活动", "主要", "题目", "那时代", "餐与加入",
           "不雅众", "平易近", "brand", "，", "。", "\n", "工会", "职工", "的", "發展", "進一個步驟", "1"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_edits_always_apply_and_stay_in_script(pieces):
    text = "".join(pieces)
    cleaned, edits = spin_only(text)
    assert apply_edits(text, edits) == cleaned
    for edit in edits:
        assert edit.rule in RULES and 0.0 <= edit.confidence <= 1.0


def test_a_longer_spun_form_is_restored_whole_not_left_as_debris():
    """dev/pages/002.txt: 个人 was spun 小我私家; restoring only 小我 would leave 私家 behind."""
    text = ("職工群眾零間隔感觸感染勞模精力.用模范的氣力激勵泛博職工群眾。"
            "勞模一小我私家闡揚作用有限.而一個勞模領導一群人闡揚的作用則呈幾何倍數縮小。")
    result = clean(text, filters=["spinning"])
    assert "勞模一個人發揮作用有限" in result.cleaned
    assert "私家" not in result.cleaned


def test_rendering_does_not_spread_a_variant_seen_in_one_word():
    """The seed writes 晉陞 (a phrase converter's choice); a restored 提升 must not become 提陞."""
    from cleannews.script import ScriptView
    from cleannews.spin.render import page_char_map, render_like_page

    page = "職工技能晉陞,崗位晉陞。大家唸書唸書。黨員和黨組織、全黨的事。"
    view = ScriptView.of(page)
    page_map = page_char_map(view)
    assert render_like_page("提升", view, page_map) == "提升"
    assert render_like_page("纪念", view, page_map) == "紀念"
    assert render_like_page("党建", view, page_map) == "黨建"  # 黨 is written in several words
    assert render_like_page("娘家人", view, page_map) == "娘家人"  # not OpenCC's 孃家人
    assert render_like_page("联系", view, page_map) == "聯繫"


# --- fast paths keep the plain definitions ------------------------------------------------------


def _pairwise_non_overlapping(decisions):
    """:func:`decide._non_overlapping` by its definition: compare every pair of spans."""
    spans = {(d.start, d.end) for d in decisions}
    whole = [d for d in decisions
             if not any(a <= d.start and d.end <= b and (a, b) != (d.start, d.end) for a, b in spans)]
    chosen, taken = [], set()
    for d in sorted(whole, key=lambda d: -d.gain):
        if not any(i in taken for i in range(d.start, d.end)):
            chosen.append(d)
            taken.update(range(d.start, d.end))
    return sorted(chosen, key=lambda d: d.start)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 4), st.sampled_from([0.5, 1.0, 2.0, 3.5])),
                max_size=14))
def test_non_overlapping_keeps_its_pairwise_definition(spans):
    from cleannews.spin.decide import Decision, _non_overlapping

    pair = Pair("大会", "年夜会", "char", "reviewed", "seed")
    decisions = [Decision(s, s + n, "x" * n, "y", pair, False, g, 0.0, 0.0, 0.0, "", "", None)
                 for s, n, g in spans]
    assert _non_overlapping(decisions) == _pairwise_non_overlapping(decisions)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*"年夜会大任务经由过程往x", "\U00020000"]), max_size=30))
def test_scan_visits_every_position_a_form_can_start(chars):
    """The scan's position filter finds what trying every position finds, in the same order."""
    text = "".join(chars)
    lexicon = load_lexicon()
    by_spun = lexicon.by_spun
    naive = [(i, i + n, text[i : i + n]) for i in range(len(text)) for n in range(lexicon.max_len, 0, -1)
             if i + n <= len(text) and text[i : i + n] in by_spun]
    assert [(c.start, c.end, c.spun) for c in lexicon.scan(text)] == naive


def test_page_char_map_counts_pairs_like_a_counter():
    from cleannews.script import ScriptView
    from cleannews.spin.render import _differing_pairs

    page = "發展經濟，發展教育。後來的後面，幹部的乾淨。"
    if SEED.exists():
        page += SEED.read_text(encoding="utf-8")[:3000]
    view = ScriptView.of(page)
    pairs = Counter(zip(view.text, view.simplified, strict=True))
    expected = [((t, s), n) for (t, s), n in pairs.items() if t != s]
    assert _differing_pairs(view.text, view.simplified) == expected
    assert expected


def test_clean_article_on_a_spun_page_keeps_its_words_beyond_the_markers_reach():
    """A page is judged spun as a whole, but it can hold a clean article beside the spun
    one: an ordinary word (推动, 划定) is restored only where spinning shows nearby."""
    from cleannews.spin.decide import MARKER_REACH

    seed = SEED.read_text(encoding="utf-8")
    clean_news = ("文化和旅游部等六部门近日联合印发《关于推动文化产业赋能乡村振兴的意见》，"
                  "划定了创意设计、演出产业、手工艺等八个文化产业赋能乡村振兴重点领域。")
    copies = MARKER_REACH // len(clean_news) + 2
    page = seed + "\n" + "\n".join([clean_news] * copies)
    result = clean(page)
    assert result.cleaned.endswith("\n" + clean_news)  # beyond reach of every marker: untouched
    assert result.counts()["spinning"] >= 300  # the spun article is restored as before


def test_traditional_region_in_a_simplified_file_restores_traditional_words(seed_text: str) -> None:
    """A file holding Simplified clean news and then a Traditional spun page (a scraper dump): the
    words restored in the Traditional page are written in Traditional, as when it is cleaned alone."""
    from cleannews.corpora import news

    try:
        articles = [d["text"] for _, d in zip(range(40), news("test"), strict=False)]
    except FileNotFoundError:
        pytest.skip("the shared news corpus is absent")
    if not articles:
        pytest.skip("the shared news corpus is absent")
    simplified = "\n".join(articles) + "\n"
    assert len(simplified) > 2 * len(seed_text)  # the file as a whole reads as Simplified
    from cleannews.script import render
    from cleannews.spin.render import KEPT_AS_IS

    def simplified_only(word: str) -> str:
        return "".join(ch for ch in word if ch not in KEPT_AS_IS and render(ch, "Hant") != ch)

    alone = clean(seed_text, filters=["spinning"]).edits
    assert [e.after for e in alone if simplified_only(e.after)] == []
    mixed = clean(simplified + seed_text, filters=["spinning"]).edits
    in_seed = [e for e in mixed if e.start >= len(simplified)]
    assert len(in_seed) >= 20
    assert [(e.before, e.after) for e in in_seed if simplified_only(e.after)] == []

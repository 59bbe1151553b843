"""The ``fiction`` filter: inserted web-novel passages out, news (quotes included) untouched."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

from cleannews import clean
from cleannews.edits import apply_edits
from cleannews.evidence import Mark, PageEvidence
from cleannews.fiction.boundary import (
    CUT_FEATURES,
    _unmatched_after_cut,
    cut_features,
    cut_penalties,
    join_penalty,
    quote_states,
)
from cleannews.fiction.lm import MODEL_FILE as ARTIFACT
from cleannews.fiction.lm import load_pair, save_pair
from cleannews.fiction.passages import fiction_lm, repeated_bigrams
from cleannews.fiction.segment import candidate_windows, viterbi_spans
from cleannews.filters.fiction import FictionFilter
from cleannews.pipeline import Context, Pipeline
from cleannews.resources import Resources, models_dir

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_6bc4e7bd4ee97ca6.txt"
SHARED_DEV = ROOT.parent / "shared" / "dev"


def evidence(spam_removed: float = 0.0, spin_markers: float = 0.0) -> PageEvidence:
    """Evidence as if earlier filters had removed spam terms / found distinct spin markers at
    the page's start (the pages here are shorter than ARTICLE_REACH: it counts for all of them)."""
    return PageEvidence(tuple(Mark(0, "包养") for _ in range(int(spam_removed))),
                        tuple(Mark(0, f"marker{k}") for k in range(int(spin_markers))))


def fiction_edits(text: str, spam_removed: float = 0.0, **options):
    filt = FictionFilter()
    ctx = Context(input_text=text, options=options, evidence=evidence(spam_removed))
    return filt.find(text, ctx)


#: a short news article, and a novel passage no model mistakes for news
PROJECT_NEWS = ("近日，记者在当地采访时看到，工人们正在加紧施工，确保项目年底前建成投产。"
                "据介绍，该项目总投资十二亿元，建成后年产值可达三十亿元，可带动周边两千多人就业。"
                "当地有关部门表示，将继续优化营商环境。")
CLEAR_NOVEL = "她咬了咬嘴唇，低声说道：“你走吧，我不想再看见你。”他愣了一下，转身推门而出。"


# --- the model ---------------------------------------------------------------------------------

def test_artifact_is_compact_and_loads_without_pickle():
    path = models_dir() / ARTIFACT
    assert path.stat().st_size <= 25_000_000
    with np.load(path, allow_pickle=False) as z:
        assert {"vocab", "unigram", "bits", "scale", "occ2", "fp4", "q4", "t3"} <= set(z.files)
        assert all(z[name].dtype != object for name in z.files)
        # only occupied buckets are stored: one fingerprint per set occupancy bit
        assert len(z["fp4"]) == int(np.unpackbits(z["occ4"]).sum()) == z["q4"].shape[1]


def test_trained_pair_survives_save_and_load(tmp_path, monkeypatch):
    """The trainer's pruning and the sparse artifact format, end to end on a toy corpus."""
    from cleannews.train import fiction_lm as trainer

    monkeypatch.setattr(trainer, "BITS", {2: 12, 3: 12, 4: 12})
    monkeypatch.setattr(trainer, "KEEP", {2: 300, 3: 300, 4: 200})
    monkeypatch.setattr(trainer, "MIN_COUNT", {2: 1, 3: 1, 4: 1})
    monkeypatch.setattr(trainer, "MIN_CHAR_COUNT", 1)
    news = ["国务院总理主持召开国务院常务会议，部署推进简政放权改革。"] * 3 + [
        "全国人大常委会召开会议，审议多项法律草案，推进依法治国。"] * 3
    fiction = ["她咬了咬嘴唇，低声说道：“你走吧，我不想再看见你。”"] * 3 + [
        "他愣了一下，转身推门而出，夜色里只剩下她一个人。"] * 3
    lm = trainer.train(news, fiction)
    assert all(np.count_nonzero(fp) <= keep for fp, keep in zip(lm.fps, (300, 300, 200), strict=True))
    path = tmp_path / "pair.npz"
    save_pair(path, lm)
    again = load_pair(path)
    probe = lm.encode("国务院召开会议。她低声说道：“你走吧。”")
    assert np.array_equal(lm.logprobs(probe), again.logprobs(probe))
    assert again.llr(again.encode("她低声说道：“你走吧。”")).mean() > 0
    assert again.llr(again.encode("国务院召开常务会议")).mean() < 0


def test_lms_tell_news_from_fiction():
    lm = fiction_lm()
    news = "国务院总理李克强主持召开国务院常务会议，部署进一步推进简政放权、放管结合、优化服务改革。"
    novel = CLEAR_NOVEL
    assert lm.llr(lm.encode(news)).mean() < -1.0
    assert lm.llr(lm.encode(novel)).mean() > 1.0


# --- segmentation --------------------------------------------------------------------------------

def test_viterbi_finds_a_block_and_pays_switches():
    e = np.array([-3.0] * 20 + [2.5] * 12 + [-3.0] * 20)
    assert viterbi_spans(e, 10.0) == [(20, 32)]
    # a short blip does not pay for two switches
    e2 = np.array([-3.0] * 20 + [4.0] * 3 + [-3.0] * 20)
    assert viterbi_spans(e2, 10.0) == []
    assert candidate_windows(e2, 10.0) == []


def test_join_penalty_sees_doubled_punctuation_and_quotes():
    view = "投身社会主义革命和建设席世勋眨了眨眼。。20世纪"
    span_without_stop = view.index("席"), view.index("。")
    span_with_stop = view.index("席"), view.index("。") + 1
    assert join_penalty(view, *span_without_stop) > 0  # leaves 建设。。20
    assert join_penalty(view, *span_with_stop) <= 0  # leaves 建设。20, span ends a sentence
    quoted = "开展以“儿子，你就是在自讨苦吃“石榴花开别样红”为主题"
    twin = quoted.index("儿"), quoted.index("石")  # takes the stray twin quote along
    with_twin, without = cut_penalties(quoted, [twin[0], twin[0]], [twin[1], twin[1] - 1])
    assert with_twin < without  # leaves 以““石榴花开别样红” with a stray quote
    # a cut that leaves the host's opening quote unmatched (周边群众“没什么情况。…) pays for it
    spliced = "及时疏散周边群众“没什么情况。”她的神情更引起他的警惕。。"
    whole, late = spliced.index("“"), spliced.index("。")
    right, wrong = cut_penalties(spliced, [whole, late], [len(spliced) - 1, len(spliced) - 1])
    assert right < wrong


def test_quote_states_reduce_like_brackets():
    u, o = quote_states("a”b“c“d”")
    assert (u[-1], o[-1]) == (1, 1)  # one stray closer first, one opener left open
    assert (u[2], o[2]) == (1, 0)


def _unmatched_quotes(text: str) -> int:
    """Unmatched “” quotes of a text by the stack reading of brackets (the slow, obvious way)."""
    depth, unmatched = 0, 0
    for ch in text:
        if ch == "“":
            depth += 1
        elif ch == "”":
            if depth:
                depth -= 1
            else:
                unmatched += 1
    return unmatched + depth


def test_unmatched_after_cut_matches_a_stack_count():
    rng = np.random.default_rng(7)
    for _ in range(300):
        text = "".join(rng.choice(list("“”a。"), size=int(rng.integers(1, 40))))
        ss = rng.integers(0, len(text) + 1, size=8)
        tt = np.maximum(ss, rng.integers(0, len(text) + 1, size=8))
        want = [_unmatched_quotes(text[:s] + text[t:]) for s, t in zip(ss, tt, strict=True)]
        assert _unmatched_after_cut(text, ss, tt).tolist() == want, text


def test_repeated_bigrams_marks_bigrams_seen_twice():
    rng = np.random.default_rng(3)
    for _ in range(200):
        ids = rng.integers(2, 6, size=int(rng.integers(0, 30))).astype(np.uint16)
        pairs = list(zip(ids[:-1].tolist(), ids[1:].tolist(), strict=True))
        want = [0.0] + [float(pairs.count(p) > 1) for p in pairs]
        assert repeated_bigrams(ids).tolist() == want[: len(ids)]


def test_cut_does_not_take_the_host_lines_last_stop():
    view = "以多个步骤认识中国、读懂中国于石阶上遇到。"
    s = view.index("于")
    assert join_penalty(view, s, len(view)) > join_penalty(view, s, len(view) - 1)


def test_cut_score_gives_the_passage_its_final_comma():
    """``A，[clause，]B`` and ``A[，clause]，B`` leave the same text; the passage owns its comma."""
    view = "近日，记者在当地采访时看到，她冷冷地看着他，眼里满是失望，工人们正在加紧施工。"
    s, t = view.index("她"), view.index("工人")
    assert view[:s] + view[t:] == view[: s - 1] + view[t - 1 :]
    x = cut_features(view, np.array([s, s - 1]), np.array([t, t - 1]))
    score = x @ Resources.default().cut_weights()[3:13]
    assert score[0] > score[1]
    assert x[0, CUT_FEATURES.index("end_punct") - 3] == 1 and x[1, CUT_FEATURES.index("end_punct") - 3] == 0


BUILD_SITE = "近日，记者在当地采访时看到，工人们正在加紧施工，确保项目年底前建成投产。"
SPLICES = [
    # a novel clause with its final comma, at a host clause start
    (BUILD_SITE, "她冷冷地看着他，眼里满是失望，", "工人们"),
    # the same mid-clause, inside a word
    ("区总工会组织广大职工群众以劳模和先进人物为榜样，用劳动精神激发职工建功新时代的工作热情。",
     "他愣了一下，转身推门而出，", "用劳动"),
    # a sentence of its own just before the host sentence's stop: one 。 stays
    (BUILD_SITE, "她冷冷地看着他，眼里满是失望。", "。"),
    # several sentences ending with a comma, at a clause start
    ("国务院总理主持召开国务院常务会议，部署推进简政放权改革，会议指出，要进一步优化营商环境，激发市场主体活力。",
     "她咬了咬嘴唇，低声说道：“你走吧，我不想再看见你。”他愣了一下，转身推门而出，", "会议指出"),
]


@pytest.mark.parametrize(("host", "novel", "at"), SPLICES)
def test_spliced_passage_cut_exactly_and_host_rejoined(host, novel, at):
    pos = host.index(at)
    text = host[:pos] + novel + host[pos:]
    edits = fiction_edits(text, spam_removed=3.0)
    assert [(e.start, e.end) for e in edits] == [(pos, pos + len(novel))]
    assert apply_edits(text, edits) == host


def test_spam_page_model_only_where_spam_terms_were_removed():
    """Spam terms switch to the model fitted on spam pages; spinning alone keeps the strict one."""
    pos = BUILD_SITE.index("工人们")
    text = BUILD_SITE[:pos] + "她冷冷地看着他，眼里满是失望，" + BUILD_SITE[pos:]
    spam = fiction_edits(text, spam_removed=3.0)
    assert spam and spam[0].evidence["decision"] == "spam-page model"
    ctx = Context(input_text=text, evidence=evidence(spin_markers=3))  # lightly spun: small prior
    spun = FictionFilter().find(text, ctx)
    assert all(e.evidence["decision"] == "strict model" for e in spun)
    assert not spun or spun[0].evidence["logit"] < spam[0].evidence["logit"]


def test_boundary_weights_fit_recovers_the_informative_term():
    """The conditional logit of the boundary trainer learns which term picks the true cut."""
    from cleannews.train.fiction_boundary import exact_share, fit

    rng = np.random.default_rng(0)
    data = []
    for _ in range(200):
        x = rng.normal(size=(20, 3))
        data.append((x, int(np.argmax(2.0 * x[:, 0] + rng.normal(scale=0.3, size=20)))))
    w = fit(data, np.array([1.0, 0.0, 0.0]), steps=500)
    assert w[0] > 5 * max(abs(w[1]), abs(w[2]))
    assert exact_share(data, w) > 0.8


# --- real pages -------------------------------------------------------------------------------------

def test_seed_passages_removed_exactly():
    """Golden test: both inserted passages of the seed are cut at the right characters."""
    result = clean(SEED.read_text(encoding="utf-8"))
    out = result.cleaned
    assert "藍爺" not in out and "自討苦吃" not in out
    assert "席世勳" not in out and "猝不及防" not in out
    # the host joins up after the opening quote (展開 is the spun form of 開展, restored or not)
    assert re.search(r"(展開|開展)以“石榴花開別樣紅”為主題", out)
    # exactly one 。 between the host sentence and 20世紀 (扶植。 or, de-spun, 建設。)
    assert re.search(r"(扶植|建設)。20世紀", out)
    assert "。。20世紀" not in out
    fiction = [e for e in result.steps() if e.filter == "fiction"]
    assert len(fiction) == 2
    for edit in fiction:
        assert edit.rule == "fiction.span"
        assert 0.5 <= edit.confidence <= 1.0
        assert edit.evidence["gain"] > 0 and "llr_per_char" in edit.evidence
    assert apply_edits(result.text, result.edits) == out


@pytest.mark.parametrize("copies", [1, 6])
def test_a_long_page_loses_no_passage(copies):
    """How many fiction-like stretches a page has is read per 1,000 characters: the seed's
    passages are removed just the same from a page six times as long."""
    page = "\n".join([SEED.read_text(encoding="utf-8")] * copies)
    result = clean(page)
    assert len([e for e in result.steps() if e.filter == "fiction"]) == 2 * copies
    assert "自討苦吃" not in result.cleaned and "席世勳" not in result.cleaned


def test_a_clean_article_beside_a_spammed_one_faces_the_strict_bar():
    """The spam terms and spin markers of one article must not lower the bar for a clean
    article on the same page: evidence counts within ARTICLE_REACH of a span."""
    import cleannews.fiction.passages as F

    filler = ("文化和旅游部等六部门近日联合印发《关于推动文化产业赋能乡村振兴的意见》，"
              "划定了创意设计、演出产业、手工艺等八个文化产业赋能乡村振兴重点领域。")
    reportage = "他随身带的，不再是放羊的鞭子，而是拍摄的工具。如今，他的作品在网上收获了大批粉丝。"
    seed = SEED.read_text(encoding="utf-8")
    page = "\n".join([seed, filler * (F.ARTICLE_REACH // len(filler) + 2), reportage])
    result = clean(page)
    assert result.cleaned.endswith("\n" + reportage)
    assert sum(1 for e in result.steps() if e.filter == "fiction") == 2  # the seed's two passages


def test_an_edit_reports_the_evidence_it_was_judged_with():
    """A clear passage in a clean article beside a spammed one is removed on its own evidence,
    and its edit says so: no prior, and none of the spammed article's evidence quoted."""
    import cleannews.fiction.passages as F

    filler = ("文化和旅游部等六部门近日联合印发《关于推动文化产业赋能乡村振兴的意见》，"
              "划定了创意设计、演出产业、手工艺等八个文化产业赋能乡村振兴重点领域。")
    at = PROJECT_NEWS.index("据介绍")
    tail = PROJECT_NEWS[:at] + CLEAR_NOVEL + PROJECT_NEWS[at:]
    seed = SEED.read_text(encoding="utf-8")
    page = "\n".join([seed, filler * (F.ARTICLE_REACH // len(filler) + 2), tail])
    edits = [e for e in clean(page).steps() if e.filter == "fiction"]
    assert [e.before for e in edits][-1] == CLEAR_NOVEL
    assert edits[-1].evidence["page_prior"] == 0.0 and edits[-1].evidence["page_evidence"] == ""
    assert all("spam terms removed" in e.evidence["page_evidence"] for e in edits[:-1])


@pytest.mark.skipif(not (SHARED_DEV / "pages").is_dir(), reason="shared dev pages absent")
def test_dev_page_inside_word_splice():
    text = (SHARED_DEV / "pages" / "003.txt").read_text(encoding="utf-8")
    out = clean(text).cleaned
    assert "藍玉華" not in out
    # 寬大 is the spun form of 广大 (restored or not, in the page's script or not)
    assert re.search(r"(寬大|广大|廣大)職工群眾", out)
    assert "你對我丈夫的了解" not in out


def test_threshold_trades_recall_for_precision():
    text = SEED.read_text(encoding="utf-8")
    default = {(e.start, e.end) for e in fiction_edits(text)}
    strict = {(e.start, e.end) for e in fiction_edits(text, fiction_threshold=1000.0)}
    assert default and not strict


# --- must not remove -------------------------------------------------------------------------------

NEWS_KEEP = [
    # quoted speech in news
    "在村委会门口，党支部书记王建国对记者说：“我们一定要把好事办好，让乡亲们的日子越过越红火。”"
    "他说，今年全村种植的两千亩猕猴桃已经全部挂果，预计收入比去年增加三成。",
    "“我们一定要把好事办好，”他说。“群众满意不满意，是检验我们工作的唯一标准。”",
    # a poem and a slogan quoted in an article
    "正如古诗所言：“春风又绿江南岸，明月何时照我还。”如今的江南水乡，处处是生态治理带来的新景象。"
    "当地干部群众牢记“绿水青山就是金山银山”的理念，三年来累计关停污染企业四十多家。",
    # an interview transcript
    "记者：今年的收成怎么样？\n村民李大爷：好着哩，我家的玉米亩产一千多斤，比去年多了两百斤。\n"
    "记者：价格呢？\n村民李大爷：价格也不错，合作社统一收购，不愁卖。",
    # reportage with 她 and narrative detail
    "每天清晨五点，她就骑着电动车赶到村卫生室，给行动不便的老人送药、量血压。"
    "二十年来，她走遍了全村的每一户人家，记下了厚厚十几本健康档案。",
    # a quotation over several paragraphs: each opens with “, only the last one closes
    "他在给家乡的信中写道：“我们这一代人，赶上了国家发展的好时代，家乡的变化一年比一年大。\n"
    "“今后，我还要继续为乡亲们做点实事，把合作社办得更好。”\n据了解，该合作社去年分红八十多万元。",
    # short literary phrase in a feature story
    "夜幕降临，古镇的灯笼次第亮起，小桥流水间游人如织。今年国庆假期，该镇共接待游客十二万人次，"
    "旅游收入同比增长百分之十八。",
]


@pytest.mark.parametrize("text", NEWS_KEEP)
def test_news_passages_untouched(text):
    assert fiction_edits(text) == []
    assert clean(text, filters=["fiction"]).cleaned == text


@pytest.mark.skipif(not (SHARED_DEV / "clean_tricky").is_dir(), reason="shared dev data absent")
def test_clean_tricky_untouched():
    files = sorted((SHARED_DEV / "clean_tricky").glob("*.txt"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert fiction_edits(text) == [], path.name


@pytest.mark.skipif(not (SHARED_DEV / "spun").is_dir(), reason="shared dev data absent")
def test_spun_pages_without_fiction_untouched():
    """Real spun blog posts and manuals (no inserted novel) lose nothing to this filter."""
    files = sorted((SHARED_DEV / "spun").glob("*.txt"))
    assert files
    for path in files:
        result = clean(path.read_text(encoding="utf-8"))
        assert not [e for e in result.steps() if e.filter == "fiction"], path.name


def test_inserted_passage_inside_word_restores_host():
    host = "区总工会组织广大职工群众以劳模和先进人物为榜样，用劳动精神激发职工建功新时代的工作热情。"
    novel = "“你到底想怎么样？”她冷冷地看着他，眼里满是失望。"
    pos = host.index("职工群众") + 1
    text = host[:pos] + novel + host[pos:]
    result = Pipeline([FictionFilter()]).run(text)
    assert result.cleaned == host


def test_a_text_that_is_all_prose_is_not_an_insertion():
    """A "passage" leaving next to nothing around it is the article itself (a feature story)."""
    text = ("组图：她咬了咬嘴唇，低声说道：“你走吧，我不想再看见你。”他愣了一下，转身推门而出，"
            "夜色里只剩下她一个人。她抱着膝盖坐在门槛上，眼泪一滴一滴落下来，心里空荡荡的，像被人挖走了一块。")
    cands = FictionFilter().candidates(text)
    assert cands and max(c.logit() for c in cands) > 6.0  # it does read as fiction...
    assert fiction_edits(text) == []  # ...but there is no host article to restore


# --- robustness -------------------------------------------------------------------------------------

def test_lone_surrogate_is_read_not_raised_on():
    """A str may hold a lone surrogate (a JSON ``\\ud800`` escape): it is an unknown character."""
    lm = fiction_lm()
    ids = lm.encode("经由过程\ud800可以")
    assert len(ids) == 7 and np.isfinite(lm.logprobs(ids)).all()
    text = SEED.read_text(encoding="utf-8")
    at = text.index("席世")
    spliced = text[:200] + "\udfff" + text[200:at] + "\ud800" + text[at:]
    edits = fiction_edits(spliced, spam_removed=3.0)
    assert len(edits) == 2  # both seed passages still found
    out = apply_edits(spliced, edits)
    assert "\udfff" in out and "席世" not in out


def test_default_pipeline_keeps_a_lone_surrogate():
    """A str may hold lone surrogates (JSON escapes such as "\\ud800"): cleaned, never a crash."""
    text = "經由過程\ud800可以或許" * 20
    result = clean(text)
    assert result.cleaned.count("\ud800") == 20
    assert "經由過程" not in result.cleaned and "可以或許" not in result.cleaned  # still de-spun


@pytest.mark.skipif(not (SHARED_DEV / "pages").is_dir(), reason="shared dev pages absent")
def test_dev_page_passage_with_a_list_of_nouns_removed_whole():
    """003.txt: ``…文人、農民、實業家中地位最低的…`` — the news-like list must not split the passage
    in two and stay behind (``…人物的媽媽聽到人、農民、實業家榮光``)."""
    text = (SHARED_DEV / "pages" / "003.txt").read_text(encoding="utf-8")
    result = clean(text)
    out = result.cleaned
    for piece in ("裴家", "農民、實業家", "商人世家", "爸爸接下來的話"):
        assert piece not in out, piece
    # one cut, ending where the host resumes (its start is still 4 characters late: 媽媽聽到 stays)
    cuts = [e for e in result.steps() if e.filter == "fiction" and "裴家" in e.before]
    assert len(cuts) == 1 and cuts[0].before.endswith("接下來的話,")
    assert re.search(r"人物的(媽媽聽到)?榮光,還能看到", out)


@pytest.mark.skipif(not (SHARED_DEV / "pages").is_dir(), reason="shared dev pages absent")
def test_dev_page_novel_line_at_text_start_removed_whole():
    """001.txt: the page opens with a novel sentence; none of it stays (``調節器的燃料口。``)."""
    text = (SHARED_DEV / "pages" / "001.txt").read_text(encoding="utf-8")
    result = clean(text)
    assert result.cleaned.startswith("工人日報記者 曲欣悅\n")
    assert "燃料口" not in result.cleaned and "張水瓶" not in result.cleaned
    first = min((e for e in result.steps() if e.filter == "fiction"), key=lambda e: e.start)
    assert first.start == 0 and first.before.endswith("燃料口。\n")


def test_merge_close_joins_a_split_passage_but_not_across_a_sentence_end():
    from cleannews.fiction.passages import MERGE_EXTRA, SWITCH, merge_close

    view = "先进人物的妈妈听到裴家居然是文人、农民、实业家中地位最低的商人世家，顿时激动起来。"
    a, b = view.index("妈"), view.index("、")
    c, d = view.index("中地"), len(view) - 1
    llr = np.zeros(len(view))
    prefix = np.concatenate([[0.0], np.cumsum(llr)])
    assert merge_close([(a, b), (c, d)], prefix, view) == [(a, d)]
    # the stretch between them reads as news by far more than two switches: two spans
    llr[b:c] = -(2 * SWITCH + MERGE_EXTRA + 1.0) / (c - b)
    prefix = np.concatenate([[0.0], np.cumsum(llr)])
    assert merge_close([(a, b), (c, d)], prefix, view) == [(a, b), (c, d)]
    # passages put in on either side of a host sentence end stay two
    host = "他说：“好。”今天天气很好。她笑了笑"
    s = host.index("。”") + 2
    flat = np.zeros(len(host) + 1)
    assert merge_close([(0, s - 2), (s, len(host))], flat, host) == [(0, s - 2), (s, len(host))]


WHOLE_LINE_HOST = ("近日，记者在当地采访时看到，工人们正在加紧施工，确保项目年底前建成投产。\n"
                   "据介绍，该项目总投资十二亿元，建成后年产值可达三十亿元。")
NOVEL_LINE = "「用金钱亵渎单恋的纯粹！不可饶恕！」他立刻将身边所有的过期甜甜圈丢进调节器的燃料口。"


@pytest.mark.parametrize("text", [
    NOVEL_LINE + "\n" + WHOLE_LINE_HOST,  # the page opens with it (dev/pages/001.txt)
    WHOLE_LINE_HOST.replace("\n", "\n" + NOVEL_LINE + "\n"),  # a line of its own mid-page
    WHOLE_LINE_HOST + "\n" + NOVEL_LINE,  # the last line
])
def test_novel_line_removed_whole_with_its_line_break(text):
    """A cut that is a whole line is judged with its line break gone: the host reads on from
    the next line (``…丟進`` must not stop short of ``調節器的燃料口。``)."""
    edits = fiction_edits(text, spam_removed=1.0)
    assert apply_edits(text, edits) == WHOLE_LINE_HOST


def test_a_passage_found_on_its_own_raises_the_prior_for_the_rest_of_the_page():
    """Spliced pages carry several passages: once one passes the strict bar on a page without
    spam terms, the page counts as corrupted for the others."""
    host = PROJECT_NEWS
    novel = CLEAR_NOVEL
    at = host.index("据介绍")
    text = host[:at] + novel + host[at:]
    cands = FictionFilter().candidates(text)
    strict = max(c.logit() for c in cands)
    assert strict >= 6.0  # found on its own...
    edits = fiction_edits(text)
    assert apply_edits(text, edits) == host
    assert "already found" in edits[0].evidence["page_evidence"]  # ...then read with the page prior
    assert edits[0].evidence["logit"] == pytest.approx(strict + 6.5, abs=1e-3)


def test_quotes_repaired_counts_the_quotes_a_cut_pairs_on_its_line():
    view = "他说：“好。”记者看到，好！”黄药师听了工人们正在施工。\n她说：“走吧"
    scored = FictionFilter().scan(view).scored
    s = view.index("好！")
    assert scored.quotes_repaired(s, view.index("工人们")) == 1  # the stray ” goes with the span
    assert scored.quotes_repaired(view.index("“好"), view.index("记者")) == 0  # a pair in, a pair out
    assert scored.quotes_repaired(view.index("“好"), view.index("好。")) == -1  # leaves ” unpaired
    assert scored.quotes_repaired(view.index("她说"), len(view)) == 1  # its own line only
    assert scored.quote_marks(0, len(view)) == 4


def test_half_a_dialogue_line_is_found_by_the_quote_it_leaves_unpaired(monkeypatch):
    """A short fragment too weak for the character LMs alone (on a page without spam) is removed
    because cutting it pairs the line's quotes again; without the quote term it stays."""

    at = BUILD_SITE.index("工人们")
    novel = "好！”黄药师听了"
    text = BUILD_SITE[:at] + novel + BUILD_SITE[at:]
    edits = fiction_edits(text)
    assert [(e.start, e.end) for e in edits] == [(at, at + len(novel))]
    assert edits[0].evidence["quotes_repaired"] == 1
    assert "pairs 1 quote mark" in edits[0].reason
    params = Resources.default().fiction_params()
    weights = params.weights.copy()
    weights[-2] = 0.0  # the quote term
    no_quotes = FictionFilter(dataclasses.replace(params, weights=weights))
    assert no_quotes.find(text, Context(input_text=text, evidence=evidence())) == []


def test_a_spam_page_needs_one_clear_passage_before_weak_ones_go():
    """The spam network does not splice a novel into every page it spams: a weak candidate
    alone (just over the bar) stays; beside a clear passage it goes too."""
    import cleannews.fiction.passages as F

    host = PROJECT_NEWS
    weak = "捧着师姐送来的饺子"
    at = host.index("据介绍")
    page = host[:at] + weak + host[at:]
    gate = Resources.default().fiction_params().page_gate
    assert F.THRESHOLD <= max(c.logit() for c in FictionFilter().candidates(
        page, prior=F.PAGE_PRIOR, spam_page=True)) < F.THRESHOLD + gate
    assert fiction_edits(page, spam_removed=1.0) == []
    clear = CLEAR_NOVEL
    at2 = page.index("当地有关部门")
    both = page[:at2] + clear + page[at2:]
    edits = fiction_edits(both, spam_removed=1.0)
    assert apply_edits(both, edits) == host


def test_page_evaluation_counts_exact_cuts_and_harm():
    from cleannews.train.fiction_pages import Page, evaluate

    novel = "她冷冷地看着他，眼里满是失望，"
    pos = BUILD_SITE.index("工人们")
    text = BUILD_SITE[:pos] + novel + BUILD_SITE[pos:]
    spliced = Page(text, text, {"spam.removed": 2.0}, [(pos, pos + len(novel))], evidence(2))
    clean_page = Page(NEWS_KEEP[0], NEWS_KEEP[0], {"spam.removed": 2.0}, [], evidence(2))
    m = evaluate([spliced, clean_page])
    assert m["exact"] == 1.0 and m["precision"] == 1.0 and m["recall"] == 1.0
    assert m["pages_without_fiction_changed"] == 0 and m["short"] == 0


PUNCT_SAMPLE = "。，、；：！？,;:!?.“”‘’「」『』\"…\n\r新闻她说了看"


@pytest.mark.parametrize("seed", range(8))
def test_whole_text_punctuation_codes_match_the_per_cut_slices(seed):
    """The per-text flag codes :func:`cut_features` reads in a search give the same terms as
    reading each search's own slice of the text (edges and doubled marks included)."""
    from cleannews.fiction.boundary import Scored

    rng = np.random.default_rng(seed)
    view = "".join(rng.choice(list(PUNCT_SAMPLE), size=int(rng.integers(5, 120))))
    lm = fiction_lm()
    ids = lm.encode(view)
    lp = lm.logprobs(ids)
    scored = Scored(lm, ids, lp, np.concatenate([[0.0], np.cumsum(lp[1] - lp[0])]), view,
                    cut_weights=Resources.default().cut_weights())
    n = len(view)
    ss, tt = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    ok = tt.ravel() - ss.ravel() >= 2
    ss, tt = ss.ravel()[ok], tt.ravel()[ok]
    for lo in range(0, n - 1, 11):  # several search windows, as refinement reads them
        keep = ss >= lo
        s, t = ss[keep], tt[keep]
        np.testing.assert_array_equal(cut_features(view, s, t, scored), cut_features(view, s, t))


def test_second_look_with_a_higher_prior_reuses_cuts_unchanged():
    """Re-reading a page with a larger prior (a passage already found) refines only the new
    spans, and gives exactly the candidates of a fresh read."""
    text = SEED.read_text(encoding="utf-8")
    filt = FictionFilter()
    view = Context(input_text=text).view(text).simplified
    scan = filt.scan(view)
    assert scan is not None
    low = filt.candidates(view, 6.0, 0.0, False, scan)
    high = filt.candidates(view, 6.0, 6.5, False, scan)
    assert len(high) >= len(low) > 0
    assert high == filt.candidates(view, 6.0, 6.5, False)


def test_one_model_rows_are_the_rows_of_both():
    """Reading one model's log-probs gives exactly that row of reading both."""
    lm = fiction_lm()
    ids = lm.encode("国务院办公厅印发通知。她看着他，你是什么意思？abc123")
    seqs = ids[np.arange(len(ids) - 6)[:, None] + np.arange(6)]
    both = lm.logprobs_rows(seqs, 3)
    for model in (0, 1):
        np.testing.assert_array_equal(lm.logprobs_rows(seqs, 3, model=model)[0], both[model])


@pytest.mark.parametrize("seed", range(20))
def test_overlap_test_matches_the_plain_definition(seed):
    from cleannews.fiction.passages import _overlaps

    rng = np.random.default_rng(seed)
    cuts = np.sort(rng.choice(60, size=2 * int(rng.integers(0, 8)), replace=False))
    spans = [(int(a), int(b)) for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
    for _ in range(30):
        a = int(rng.integers(0, 60))
        span = (a, a + int(rng.integers(1, 10)))
        assert _overlaps(spans, span) == any(s < span[1] and span[0] < t for s, t in spans)


def test_fiction_alone_decides_on_the_evidence_of_the_default_run():
    """Run alone, the filter computes the spam and spin evidence on the input with the other
    filters' rules, so it judges the seed's passages with the spam-page model as the full run does."""
    seed = SEED.read_text(encoding="utf-8")
    full = [e for e in clean(seed).steps() if e.filter == "fiction"]
    alone = clean(seed, filters=["fiction"]).steps()
    assert [(e.start, e.end) for e in alone] == [(e.start, e.end) for e in full]
    assert {e.evidence["decision"] for e in alone} == {"spam-page model"}


# --- fiction-like clean text and concatenated documents ---------------------------------------------


def test_novel_chunks_are_not_cut_into():
    """A novel is clean text too: where the text around a "passage" reads as fiction as well,
    the passage is its own register, not a splice (test-split chunks; 0 of 300 changed, was 24)."""
    from cleannews import corpora

    if not (corpora.corpora_dir() / "fiction-zh.jsonl.gz").is_file():
        pytest.skip("shared corpora absent")
    import itertools

    chunks = [d["text"] for d in itertools.islice(corpora.fiction("test"), 0, 600, 15)]
    changed = [t[:20] for t in chunks if clean(t).changed]
    assert changed == []


def test_host_llr_is_the_mean_outside_the_span():
    import cleannews.fiction.passages as F

    llr = np.r_[np.full(400, -2.0), np.full(50, 5.0), np.full(400, 1.0)]
    prefix = np.concatenate([[0.0], np.cumsum(llr)])
    # 300 characters either side of [400, 450): -2 on the left, +1 on the right
    assert F.host_llr(prefix, 400, 450) == pytest.approx(-0.5)
    assert F.host_llr(prefix, 0, len(llr)) == 0.0  # no host in reach


def _concatenated(shared: Path) -> tuple[str, list[tuple[int, int, str]]]:
    """Clean dev news articles with the real spam pages and the seed between them, one a line."""
    import itertools

    from cleannews import corpora

    clean_docs = [d["text"] for d in itertools.islice(corpora.news("dev"), 60)]
    spam_docs = [p.read_text(encoding="utf-8") for p in sorted((shared / "dev" / "pages").glob("*.txt"))]
    spam_docs.append(SEED.read_text(encoding="utf-8"))
    parts: list[tuple[str, str]] = []
    for i, doc in enumerate(clean_docs):
        if i % 15 == 7 and spam_docs:
            parts.append((spam_docs.pop(), "spam"))
        parts.append((doc, "clean"))
    spans, pos = [], 0
    for doc, kind in parts:
        spans.append((pos, pos + len(doc), kind))
        pos += len(doc) + 1
    return "\n".join(doc for doc, _ in parts), spans


def test_concatenated_documents_do_not_lend_each_other_evidence(shared_dir: Path):
    """Clean articles and spam pages in one file: the spam and fiction filters edit the spam pages
    as they would alone, and nothing inside a clean article (evidence is read per region)."""
    from cleannews import corpora

    if not (corpora.corpora_dir() / "news-zh.jsonl.gz").is_file():
        pytest.skip("shared corpora absent")
    text, spans = _concatenated(shared_dir)
    result = clean(text)
    inside_clean = [(e.filter, e.before) for e in result.steps() if e.filter in ("spam", "fiction")
                    and any(a <= e.start < b and kind == "clean" for a, b, kind in spans)]
    assert inside_clean == []
    for a, b, kind in spans:
        if kind == "spam":
            alone = {(e.filter, e.before) for e in clean(text[a:b]).steps()
                     if e.filter in ("spam", "fiction")}
            here = {(e.filter, e.before) for e in result.steps()
                    if e.filter in ("spam", "fiction") and a <= e.start < b}
            # the same removals, except a novel line that opens a spammed page right after a clean
            # article: evidence on one side of a line break only is not borrowed (evidence_region)
            assert here <= alone
            assert len(alone - here) <= 1
            assert all(before.endswith("\n") for _, before in alone - here)

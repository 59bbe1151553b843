"""The benchmark harness: exact metrics, exact ground truth, and a tiny end-to-end build + run."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleannews import corpora
from cleannews.bench import corrupt as C
from cleannews.bench import metrics as M

# --------------------------------------------------------------------------- edit distance


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab中国人", max_size=40), st.text(alphabet="ab中国人", max_size=40))
def test_levenshtein_matches_dynamic_programming(a, b):
    assert M.levenshtein(a, b) == M.levenshtein_dp(a, b)


def test_levenshtein_known_values():
    assert M.levenshtein("kitten", "sitting") == 3
    assert M.levenshtein("", "包養網") == 3
    assert M.levenshtein("内蒙古自包養治区", "内蒙古自治区") == 2
    long_a = "新闻联播" * 300
    long_b = long_a[:500] + "经由过程" + long_a[503:]
    assert M.levenshtein(long_a, long_b) == M.levenshtein_dp(long_a[490:520], long_b[490:521])


# --------------------------------------------------------------------------- span and per-filter scores


def test_span_pr_counts_characters():
    pr = M.span_pr([(0, 10), (20, 30)], [(5, 15)])
    assert (pr.tp_pred, pr.n_pred, pr.tp_gold, pr.n_gold) == (5, 10, 5, 20)
    assert pr.precision == 0.5 and pr.recall == 0.25
    assert M.span_pr([], []).precision is None


def _step(text, start, end, after, filt):
    return {"start": start, "end": end, "before": text[start:end], "after": after, "filter": filt}


def test_spam_scores_partial_removal_is_wrong():
    text = "长期包養網停火"
    gold = [{"type": "spam", "start": 2, "end": 5, "text": "包養網", "term": "包養網"}]
    right = M.spam_scores(gold, [_step(text, 2, 5, "", "spam")])
    assert (right.precision, right.recall) == (1.0, 1.0)
    wrong = M.spam_scores(gold, [_step(text, 0, 4, "", "spam")])  # removes 长期包養, leaves 網
    assert (wrong.precision, wrong.recall) == (0.0, 0.0)
    widened = M.spam_scores(gold, [_step(text, 2, 6, "停", "spam")])  # took a neighbour but kept it
    assert widened.recall == 1.0


def test_a_failing_filter_is_reported_not_fatal():
    from cleannews.bench import evaluate
    from cleannews.pipeline import Pipeline

    class Broken:
        name = "broken"
        description = "raises on every document"

        def find(self, text, ctx):
            raise RuntimeError("boom")

    saved = evaluate._PIPELINE
    try:
        evaluate._PIPELINE = Pipeline([Broken()])
        cleaned, steps, error = evaluate.clean_one("内蒙古自治区")
    finally:
        evaluate._PIPELINE = saved
    assert (cleaned, steps) == ("内蒙古自治区", []) and "boom" in error
    ok, failed = evaluate.probe_filters(["no-such-filter"], frozenset(), ["文本"])
    assert ok == [] and "no-such-filter" in failed


def test_spin_scores_by_stratum():
    text = "爭那時代經由過程"
    gold = [
        {"type": "spin", "start": 1, "end": 3, "original": "當時", "spun": "那時", "kind": "boundary",
         "held_out": True, "ambiguous": True},
        {"type": "spin", "start": 4, "end": 8, "original": "通過", "spun": "經由過程", "kind": "word",
         "held_out": False, "ambiguous": False},
    ]
    steps = [_step(text, 4, 8, "通过", "spinning"), _step(text, 0, 1, "争", "spinning")]
    out = M.spin_scores(gold, steps, frozenset(), frozenset())
    assert out["all"].recall == 0.5 and out["all"].precision == 0.5
    assert out["known"].recall == 1.0 and out["held-out"].recall == 0.0
    assert out["kind:boundary"].n_gold == 1 and out["kind:boundary"].tp_gold == 0
    assert out["kind:word"].recall == 1.0 and out["kind:word"].precision is None
    in_fiction = M.spin_scores([*gold, {"type": "fiction", "start": 0, "end": 2}],
                               [_step(text, 0, 1, "争", "spinning")], frozenset(), frozenset())
    assert in_fiction["all"].n_pred == 0  # an edit inside spliced fiction is not scored
    joint = M.spin_scores(gold, [_step(text, 1, 8, "當時代通過", "spinning")], frozenset(), frozenset())
    assert joint["all"].recall == 1.0 and joint["all"].precision == 1.0


def test_spin_restoration_through_a_merged_edit_and_another_rendering():
    text = "文包養明領會"
    gold = [
        {"type": "spin", "start": 3, "end": 4, "original": "化", "spun": "明", "kind": "word",
         "held_out": False, "ambiguous": False},
        {"type": "spam", "start": 1, "end": 3, "text": "包養", "term": "包養"},
        {"type": "spin", "start": 4, "end": 6, "original": "了解", "spun": "領會", "kind": "word",
         "held_out": False, "ambiguous": True},
    ]
    # spam removed inside 文明, then 文明→文化 restored: one merged edit; 了解 rendered as 瞭解
    steps = [_step(text, 0, 4, "文化", "spinning"), _step(text, 4, 6, "瞭解", "spinning")]
    out = M.spin_scores(gold, steps, frozenset(), frozenset())
    assert out["all"].recall == 1.0 and out["all"].precision == 1.0
    wrong = M.spin_scores(gold, [_step(text, 0, 4, "文明", "spinning")], frozenset(), frozenset())
    assert wrong["all"].recall == 0.0


def test_cer_ignores_script_rendering_only():
    assert M.cer_counts("了解情況", "領會情況", "瞭解情況") == (4, 2, 0)
    assert M.cer_counts("了解情況", "領會情況", "理解情況")[2] == 1


def test_fiction_scores_boundaries_and_buckets():
    gold = [{"type": "fiction", "start": 10, "end": 18}, {"type": "fiction", "start": 40, "end": 80}]
    steps = [{"start": 10, "end": 18, "before": "x" * 8, "after": "", "filter": "fiction"},
             {"start": 50, "end": 90, "before": "x" * 40, "after": "", "filter": "fiction"}]
    f = M.fiction_scores(gold, steps)
    assert f.exact == 1 and f.spans == 2 and f.found == 2
    assert f.to_dict()["exact_among_found"] == 0.5
    assert f.docs_without == 0
    no_fiction = M.fiction_scores([], steps[:1])
    assert no_fiction.docs_without == 1 and no_fiction.docs_without_cut == 1
    assert M.fiction_scores([], []).docs_without_cut == 0
    missed = M.fiction_scores(gold, steps[:1])
    assert missed.found == 1 and missed.to_dict()["exact_among_found"] == 1.0
    assert f.bucket_found["<=10"] == 8 and f.bucket_found[">30"] == 30
    assert f.chars.tp_gold == 38 and f.chars.n_pred == 48


# --------------------------------------------------------------------------- generator ground truth


HOST = ("中国网络电视台消息：今年各地保障性住房建设全面加速，在保证更多的中低收入家庭住进新居的同时，"
        "各地越来越重视让住有所居变得住也宜居。通过这次展会，当时代表们认为工作的主要问题已经解决。\n"
        "观众们积极参加了活动，大家能够看到国家的进一步发展。")
NOVEL = ("她笑了笑，说道：“你来了。”他没有回答，只是看着窗外的雨。过了很久，他才慢慢地转过身来，"
         "轻声说：“我等了你很久。”屋里很安静，只有钟表的声音。她低下头，眼泪掉了下来。") * 3


def _lexicon(held=frozenset()):
    table = {"通过": ("经由过程",), "当时": ("那时",), "工作": ("任务",), "问题": ("题目",),
             "观众": ("不雅众",), "参加": ("餐与加入",), "能够": ("可以或许",), "进一步": ("进一个步骤",),
             "大": ("年夜",), "主要": ("重要",)}
    return C.SpinDictionary(table, held, frozenset({"任务", "题目", "重要"}))


def _bounds(text):
    from cleannews.resources import jieba_tokenizer

    out, pos = {0}, 0
    for w in jieba_tokenizer().cut(text, HMM=False):
        pos += len(w)
        out.add(pos)
    return frozenset(out)


def test_forward_maximum_matching_makes_boundary_artifacts():
    lex = C.SpinDictionary({"当时": ("那时",)}, frozenset(), frozenset())
    out, ops = C.spin("争当时代", lex, 1.0, random.Random(0), frozenset({0, 2, 4}))
    assert out == "争那时代"
    # the recorded span is what changed (当→那); the lexicon pair and the kind come with it
    assert [(o.start, o.end, o.extra["original"], o.extra["spun"], o.extra["kind"]) for o in ops] == [
        (1, 2, "当", "那", "boundary")]
    assert (ops[0].extra["original_s"], ops[0].extra["spun_s"]) == ("当时", "那时")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**9), st.booleans(), st.integers(0, 3), st.floats(0, 60), st.floats(0, 1))
def test_ground_truth_offsets_are_exact(seed, traditional, n_fiction, spam_rate, share):
    rng = random.Random(seed)
    plan = C.Plan(spin_share=share, traditional=traditional, fiction_count=n_fiction, spam_per_1000=spam_rate)
    spam = C.SpamTerms(("包养", "包养网", "Sugar Daddy", "九宫格"),
                       ("包養", "包養網", "Sugar Daddy", "九宮格"))
    fiction = C.Fiction([("某小说", NOVEL)])
    reference, corrupted, ops = C.corrupt(HOST, plan, rng, lexicon=_lexicon(), fiction=fiction, spam=spam,
                                          bounds=_bounds(HOST))
    rows = [o.to_dict() for o in ops]
    for o in rows:
        assert corrupted[o["start"] : o["end"]] == o["text"]
    assert C.undo(corrupted, rows) == reference
    assert reference == (C.to_traditional_naive(HOST) if traditional else HOST)
    assert sum(o["type"] == "fiction" for o in rows) == n_fiction
    if spam_rate:
        assert any(o["type"] == "spam" for o in rows)
    C.verify(reference, corrupted, json.loads(json.dumps(rows)))  # survives a JSON round trip


def test_naive_traditional_keeps_what_real_pages_keep():
    assert C.to_traditional_naive("干部并示范观众") == "干部并示范觀衆"[:5] + C.to_traditional_naive("观众")
    assert len(C.to_traditional_naive(HOST)) == len(HOST)


def test_held_out_rule_is_stable():
    from cleannews.bench.build import is_held_out

    pairs = [(f"词{i}", f"语{i}") for i in range(2000)]
    share = sum(is_held_out(o, s, 15) for o, s in pairs) / len(pairs)
    assert 0.12 < share < 0.18
    assert [is_held_out(o, s, 15) for o, s in pairs[:50]] == [is_held_out(o, s, 15) for o, s in pairs[:50]]


# --------------------------------------------------------------------------- tiny end to end


def _corpora_root() -> Path:
    """``CLEANNEWS_CORPORA``, else ``../shared/corpora`` beside this checkout (also for an installed copy)."""
    env = os.environ.get("CLEANNEWS_CORPORA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "corpora"


CORPORA = _corpora_root()
needs_corpora = pytest.mark.skipif(not (CORPORA / "news-zh.jsonl.gz").is_file(),
                                   reason="../shared/corpora not available")


@needs_corpora
def test_tiny_benchmark_builds_and_scores(tmp_path):
    from cleannews.bench import build as B
    from cleannews.bench import evaluate

    config = B.BuildConfig(n_corrupted=6, n_clean=2, n_tricky=2, ambiguity_sample_docs=300,
                           include_dev_tricky=False)
    meta = B.build(config, tmp_path, str(CORPORA), log=lambda *_: None)
    assert meta["version"].startswith(B.FORMAT + "+")
    assert B.current_version(meta, str(CORPORA)) == meta["version"]  # a fresh build is not stale
    _, records = B.load(tmp_path)
    records = list(records)
    assert [r["kind"] for r in records].count("corrupted") == 6
    assert {r["kind"] for r in records} == {"corrupted", "clean", "clean-tricky"}
    test_ids = {d["id"] for d in corpora.news("test", CORPORA)}
    for rec in records:
        assert rec["id"] in test_ids  # only the test split
        C.verify(rec["original"], rec["corrupted"], rec["ops"])
    assert any(r["ops"] for r in records if r["kind"] == "corrupted")
    assert all(r["corrupted"] == r["original"] for r in records if r["kind"] != "corrupted")

    # No filter: nothing is repaired, so the cleaned CER equals the corrupted CER.
    identity = evaluate.score(records, [(r["corrupted"], []) for r in records], meta, [], [])
    cer = identity["cer"]["corrupted"]
    assert cer["corrupted"] > 0 and cer["cleaned"] == cer["corrupted"] and cer["reduction"] == 0

    ran, missing = evaluate.available_filters(["spam", "spinning", "fiction"])
    spin_exclude = frozenset(tuple(p) for p in meta["lexicon"]["held_out"])
    # as the command does: a filter that cannot run is reported (its own tests catch it), not fatal here
    ran, failed = evaluate.probe_filters(ran, spin_exclude, [r["corrupted"] for r in records[:3]])
    assert "spam" in ran
    outputs, _ = evaluate.run_single([r["corrupted"] for r in records], ran, spin_exclude)
    res = evaluate.score(records, outputs, meta, ran, missing, failed)
    assert res["spam"]["gold"] == sum(o["type"] == "spam" for r in records for o in r["ops"])
    assert res["cer"]["corrupted"]["cleaned"] <= res["cer"]["corrupted"]["corrupted"]
    for name in [*missing, *failed]:
        assert res[name] is None  # shown as "filter not available" / "filter failed"

    # Long pages: the same corrupted articles, several a page, ground truth shifted with them.
    pages = evaluate.long_pages(records, per_page=4)
    assert [len(p["corrupted"].split("\n")) for p in pages] == [
        sum(r["corrupted"].count("\n") + 1 for r in grp)
        for grp in ([r for r in records if r["kind"] == "corrupted"][i : i + 4] for i in (0, 4))]
    for page in pages:
        for op in page["ops"]:
            assert page["corrupted"][op["start"] : op["end"]] == op["text"]
    long_res = evaluate.score_long_pages(pages, [(p["corrupted"], []) for p in pages], meta, ["spam"], 4)
    assert long_res["pages"] == 2 and long_res["spam"]["gold"] == res["spam"]["gold"]
    assert long_res["spam"]["found"] == 0 and long_res["fiction"] is None and long_res["spinning"] is None

    # Mixed pages: one corrupted article, then clean ones; harm is what changes inside the clean ones.
    mixed = evaluate.mixed_pages(records, n_clean=2)
    assert len(mixed) == 1
    clean_texts = [r["corrupted"] for r in records if r["kind"] == "clean"]
    assert [mixed[0]["corrupted"][s:t] for s, t in mixed[0]["clean"]] == clean_texts
    step = {"start": mixed[0]["clean"][1][0], "end": mixed[0]["clean"][1][0] + 1, "filter": "spinning"}
    harm = evaluate.score_mixed_pages(mixed, [(mixed[0]["corrupted"], [step])], n_clean=2)
    assert harm["clean_articles"] == 2 and harm["clean_articles_changed"] == 1
    assert harm["edits"] == {"spinning": 1}

    # The command itself, on the same tiny benchmark (no pool, no baselines: the smoke test stays fast).
    from typer.testing import CliRunner

    from cleannews.bench.cli import app

    out = CliRunner().invoke(app, ["run", "--out", str(tmp_path), "--jobs", "1", "--no-speed"])
    assert out.exit_code == 0, out.output
    assert "spam: removed occurrences" in out.output and "harm on clean articles" in out.output
    saved = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert saved["benchmark"] == meta["version"]
    assert saved["quality"]["spam"] == res["spam"]
    assert saved["quality"]["long_pages"]["pages"] == 1  # six corrupted articles: one page of ten
    assert "long pages" in out.output
    # speed is also shown for corrupted and for clean articles apart, from per-document times
    speed = saved["speed"]
    corrupted_mb = sum(len(r["corrupted"].encode()) for r in records if r["kind"] == "corrupted") / 1e6
    assert speed["cleannews, 1 process, corrupted articles only"]["mb_per_s"] > 0
    assert speed["cleannews, 1 process, clean articles only"]["mb_per_s"] > 0
    assert (speed["cleannews, 1 process, corrupted articles only"]["seconds"]
            + speed["cleannews, 1 process, clean articles only"]["seconds"]
            <= speed["cleannews, 1 process"]["seconds"])
    assert corrupted_mb / speed["cleannews, 1 process, corrupted articles only"]["seconds"] == pytest.approx(
        speed["cleannews, 1 process, corrupted articles only"]["mb_per_s"])


def test_spin_lexicon_loader_reads_both_formats(tmp_path):
    from cleannews.bench.build import read_spin_pairs

    own = tmp_path / "spin_lexicon.tsv"
    own.write_text("# header\n# columns: original<TAB>spun<TAB>kind<TAB>status<TAB>origin\n"
                   "通过\t经由过程\tword\treviewed\tseed\n大\t年夜\tchar\tcandidate\tmined\n"
                   "當時\t那時\tboundary\treviewed\tseed\n", encoding="utf-8")
    assert read_spin_pairs(own) == [("大", "年夜", "char"), ("当时", "那时", "boundary"),
                                    ("通过", "经由过程", "word")]
    evidence = tmp_path / "lexicon_evidence.tsv"
    evidence.write_text("# evidence\n# columns: original_word\tspun_word\tscript\tcount\n"
                        "进行\t举行\tsimplified\t3\tctx\tdocs\n进行\t进行\tsimplified\t1\tctx\tdocs\n",
                        encoding="utf-8")
    assert read_spin_pairs(evidence) == [("进行", "举行", "")]

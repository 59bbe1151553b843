"""Build corpora/negatives/ and corpora/broad_more/ from the same repository snapshots as
corpora/broad/ (see sources.py), reading only what corpora/broad/ did not.

    python corpora/scripts/build_extra.py negatives    # -> negatives/{topical,fictionlike}-NNN.jsonl.gz
    python corpora/scripts/build_extra.py broad_more   # -> corpora/broad_more/<group>-NNN.jsonl.gz

negatives: real clean text a cleaner must leave byte-identical although it looks like what it
removes.
  * ``topical``: articles that are *about* sugar dating, kept mistresses or escort work and
    legitimately contain 包養/包养 (the broad corpus drops every such document).  From Citizen
    News (Hong Kong) and the RSS-archived outlets of news-beyond-wall; plus a few web pages
    transcribed from their published text (``negatives_pages.jsonl`` beside this script).
  * ``fictionlike``: film, drama, music, game and book reviews and culture features — prose
    that narrates plots and quotes dialogue, which a fiction detector can mistake for an
    inserted novel.  Only documents that are *not* in corpora/broad/ (the broad build read a
    deterministic sample of each outlet; these come from the rest), no spam/spinner marker.

broad_more: sports, entertainment and lifestyle news, the sections corpora/broad/ lacks, from
the part of news-beyond-wall the broad build did not sample.  The RSS feeds carry no section
in most URLs (CNA's ``firstnews`` feed mixes all sections), so the section is read off the
title and body with keyword lexicons (``classify``); every broad-corpus rule applies (spam/
spinner drop, script check, >= 150 CJK characters, CJK-only-MD5 dedupe against broad/ too),
and no document of negatives/ is taken (build negatives first).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator

import sources
from sources import NBW_OUTLETS, SOURCES, keep, parse_hkcnews
from textclean import SPIN_MARKERS, cjk_count, dedupe_key, normalise, script_counts, spam_reason

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MIN_CJK = 150
SPIN_RE = re.compile("|".join(re.escape(m) for m in SPIN_MARKERS))
TOPICAL_RE = re.compile(r"包養|包养|甜心寶貝|甜心宝贝|[Ss]ugar ?(?:[Dd]addy|[Bb]aby)|援交")
SUGAR_RE = re.compile(r"甜心寶貝|甜心宝贝|包養網|包养网|乾爹|干爹|[Ss]ugar ?(?:[Dd]addy|[Bb]aby)"
                      r"|Sugarbook|甜心|糖爹|包养协议|被包养|被包養|援交")
MISTRESS_RE = re.compile(r"情婦|情妇|小三|二奶|情人")
REVIEW_HANT = re.compile(r"影評|電影|劇評|日劇|韓劇|劇集|遊戲|書評|小說|專輯|演唱會|導演"
                         r"|舞台劇|話劇|動畫|漫畫|紀錄片|樂隊|歌手")
REVIEW_HANS = re.compile(r"影评|电影|剧评|日剧|韩剧|剧集|游戏|书评|小说|专辑|演唱会|导演"
                         r"|话剧|动画|漫画|纪录片|乐队|歌手|奥斯卡|金马|戛纳")
SRC = {s.name: s for s in SOURCES}


def broad_keys() -> set[str]:
    keys: set[str] = set()
    folder = os.path.join(ROOT, "broad")
    for fn in sorted(os.listdir(folder)):
        if fn.endswith(".jsonl.gz"):
            with gzip.open(os.path.join(folder, fn), "rt", encoding="utf-8") as f:
                for line in f:
                    keys.add(dedupe_key(json.loads(line)["text"]))
    return keys


def script_of(text: str) -> str:
    hant, hans = script_counts(text)
    return "hant" if hant > hans else "hans"


def hkcnews_docs(want) -> Iterator[tuple[dict, str]]:
    """(record, raw) of Citizen News articles for which ``want(raw)`` holds, any sample."""
    src = SRC["hkcnews"]
    commit = src.commit()
    share, src.sample = src.sample, 1.0
    try:
        for path, raw in src.files():
            if not want(raw):
                continue
            for doc in parse_hkcnews(src, path, raw):
                yield {"id": doc.id, "source": f"{src.repo}@{commit}:{path}", "domain": doc.domain,
                       "title": normalise(doc.title).replace("\n", " "), "text": normalise(doc.text),
                       "licence": "© Citizen News (眾新聞); archive README: copyright kept by "
                                  "Citizen News"}, raw
    finally:
        src.sample = share


def nbw_docs(want, unsampled_only: bool) -> Iterator[tuple[dict, str]]:
    """news-beyond-wall articles of the outlets in sources.NBW_OUTLETS for which ``want(raw)``
    holds.  ``unsampled_only``: only files the broad build's sample did not read."""
    src = SRC["nbw"]
    commit = src.commit()
    full = {outlet: (key, script, 1.0) for key, (outlet, script, _s) in NBW_OUTLETS.items()}
    orig = sources._NBW_BY_OUTLET
    shares = {outlet: share for _k, (outlet, _sc, share) in NBW_OUTLETS.items()}
    sources._NBW_BY_OUTLET = full
    try:
        for path, raw in src.files():
            m = re.search(r"^author: (.+)$", raw[:1500], re.M)
            if not m or m.group(1).strip() not in full or not want(raw):
                continue
            if unsampled_only and keep(path, shares[m.group(1).strip()]):
                continue
            url = re.search(r"^from: (.+)$", raw[:3000], re.M)
            for doc in sources.parse_nbw(src, path, raw):
                yield {"id": doc.id, "source": f"{src.repo}@{commit}:{path}", "domain": doc.domain,
                       "title": normalise(doc.title).replace("\n", " "), "text": normalise(doc.text),
                       "url": url.group(1).strip() if url else "",
                       "licence": f"© {m.group(1).strip()}; repository MIT covers its site code only"}, raw
    finally:
        sources._NBW_BY_OUTLET = orig


def write(folder: str, name: str, docs: list[dict]) -> None:
    os.makedirs(folder, exist_ok=True)
    for fn in os.listdir(folder):
        if fn.startswith(name + "-") and fn.endswith(".jsonl.gz"):
            os.remove(os.path.join(folder, fn))
    i, buf, size = 0, [], 0
    for d in [*docs, None]:
        if d is not None:
            line = json.dumps(d, ensure_ascii=False) + "\n"
            buf.append(line)
            size += len(line.encode("utf-8"))
        if (d is None and buf) or size >= 40_000_000:
            path = os.path.join(folder, f"{name}-{i:03d}.jsonl.gz")
            with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
                f.write("".join(buf).encode("utf-8"))  # mtime=0: a rebuild is byte-identical
            i, buf, size = i + 1, [], 0


# ---------------------------------------------------------------------------------------
def negatives() -> None:
    seen = broad_keys()
    topical: list[dict] = []
    tkeys: set[str] = set()

    def add_topical(rec: dict) -> None:
        text = rec["text"]
        key = dedupe_key(text)
        if key in tkeys or not TOPICAL_RE.search(rec["title"] + text) or SPIN_RE.search(text):
            return
        if cjk_count(text) < MIN_CJK:
            return
        tkeys.add(key)
        rec["kind"] = "topical"
        rec["subtopic"] = ("sugar-dating/escort" if SUGAR_RE.search(text) else
                           "mistress" if MISTRESS_RE.search(text) else "other")
        rec["terms"] = dict(Counter(TOPICAL_RE.findall(rec["title"] + "\n" + text)))
        rec["script"] = script_of(text)
        topical.append(rec)

    for rec, _raw in hkcnews_docs(lambda raw: bool(TOPICAL_RE.search(raw))):
        add_topical(rec)
    for rec, _raw in nbw_docs(lambda raw: bool(TOPICAL_RE.search(raw)), unsampled_only=False):
        add_topical(rec)
    pages = os.path.join(HERE, "negatives_pages.jsonl")
    if os.path.exists(pages):
        with open(pages, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    rec["text"] = normalise(rec["text"])
                    add_topical(rec)

    fiction: list[dict] = []

    def add_fiction(rec: dict, rx: re.Pattern) -> None:
        text = rec["text"]
        key = dedupe_key(text)
        if key in seen or key in tkeys or spam_reason(rec["title"] + "\n" + text):
            return
        if cjk_count(text) < 300 or len(text) > 30_000:
            return
        hant, hans = script_counts(text)
        if min(hant, hans) > 0.2 * (hant + hans):
            return
        seen.add(key)
        rec["kind"] = "fictionlike"
        rec["subtopic"] = "review/culture: " + ",".join(sorted(set(rx.findall(rec["title"]))))
        rec["script"] = script_of(text)
        fiction.append(rec)

    def hk_review(raw: str) -> bool:
        head = raw[:1200]
        t = re.search(r"^title: (.+)$", head, re.M)
        review = bool(t and REVIEW_HANT.search(t.group(1)))
        return review and re.search(r'category: "(眾說|眾觀|tri-angles)"', head) is not None

    for rec, _raw in hkcnews_docs(hk_review):
        if sum(rec["text"].count(c) for c in "嘅喺哋咗冇嚟啲嘢嗰") <= 0.004 * cjk_count(rec["text"]):
            add_fiction(rec, REVIEW_HANT)

    def nbw_review(raw: str) -> bool:
        t = re.search(r"^title: (.+)$", raw[:1500], re.M)
        return bool(t and (REVIEW_HANS.search(t.group(1)) or REVIEW_HANT.search(t.group(1))))

    for rec, _raw in nbw_docs(nbw_review, unsampled_only=True):
        add_fiction(rec, REVIEW_HANS if rec["id"].split("-")[0] not in ("cna", "rti") else REVIEW_HANT)

    topical.sort(key=lambda d: d["id"])
    fiction.sort(key=lambda d: d["id"])
    out = os.path.join(ROOT, "negatives")
    write(out, "topical", topical)
    write(out, "fictionlike", fiction)
    print(json.dumps({"topical": len(topical), "topical_subtopics": Counter(d["subtopic"] for d in topical),
                      "fictionlike": len(fiction), "fictionlike_chars": sum(len(d["text"]) for d in fiction),
                      "fictionlike_scripts": Counter(d["script"] for d in fiction)}, ensure_ascii=False))


# ---------------------------------------------------------------------------------------
# Section lexicons for broad_more (both scripts).  A document is assigned a section when its
# title has at least one of the section's words and the body at least four hits in total,
# and no other section scores as high.
SECTIONS = {
    "sports": ("比賽 比赛 冠軍 冠军 亞軍 亚军 球員 球员 賽季 赛季 奧運 奥运 "
        "聯賽 联赛 進球 进球 網球 网球 籃球 篮球 足球 棒球 中職 中职 "
        "MLB NBA NFL 教練 教练 選手 选手 金牌 銀牌 银牌 世界盃 "
        "世界杯 馬拉松 马拉松 田徑 田径 羽球 羽毛球 桌球 乒乓 高爾夫 "
        "高尔夫 體育 体育 球隊 球队 賽事 赛事 錦標賽 锦标赛 總決賽 "
        "总决赛 東奧 东奥 奪冠 夺冠 晉級 晋级 季後賽 季后赛 游泳 舉重 "
        "举重 柔道 跆拳道 射箭 拳擊 拳击 F1 英超 西甲 歐冠 欧冠 "
        "全壘打 全垒打 投手 打者"),
    "entertainment": ("電影 电影 導演 导演 演員 演员 歌手 專輯 专辑 演唱會 演唱会 "
        "金馬 金马 金曲 票房 影展 影帝 影后 偶像 藝人 艺人 綜藝 综艺 "
        "劇集 剧集 電視劇 电视剧 奧斯卡 奥斯卡 坎城 戛纳 好萊塢 好莱坞 "
        "明星 男星 女星 樂團 乐团 首映 新片 主演 MV 韓團 韩团 戲劇 "
        "戏剧 音樂劇 音乐剧 Netflix 影集 金鐘 金钟 樂壇 乐坛"),
    "lifestyle": ("美食 旅遊 旅游 飲食 饮食 料理 時尚 时尚 養生 养生 睡眠 健身 "
        "食譜 食谱 餐廳 餐厅 咖啡 甜點 甜点 營養 营养 減重 减重 保養 "
        "保养 穿搭 景點 景点 民宿 露營 露营 寵物 宠物 烘焙 瘦身 護膚 "
        "护肤"),
}
_SECTION_WORDS = {k: v.split() for k, v in SECTIONS.items()}


def classify(title: str, text: str) -> str | None:
    scores = {}
    for sec, words in _SECTION_WORDS.items():
        in_title = sum(title.count(w) for w in words)
        in_body = sum(text.count(w) for w in words)
        if in_title >= 1 and in_body >= 4:
            scores[sec] = in_title * 5 + in_body
    if not scores:
        return None
    best = max(scores, key=scores.get)
    if sum(1 for v in scores.values() if v == scores[best]) > 1:
        return None
    return best


def negatives_keys() -> set[str]:
    """The negatives are evaluation text: broad_more must not contain any of them."""
    keys: set[str] = set()
    folder = os.path.join(ROOT, "negatives")
    for fn in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if fn.endswith(".jsonl.gz"):
            with gzip.open(os.path.join(folder, fn), "rt", encoding="utf-8") as f:
                keys.update(dedupe_key(json.loads(line)["text"]) for line in f)
    return keys


def broad_more() -> None:
    seen = broad_keys() | negatives_keys()
    docs: list[dict] = []
    stats: Counter = Counter()
    for rec, _raw in nbw_docs(lambda raw: True, unsampled_only=True):
        stats["read"] += 1
        title, text = rec["title"], rec["text"]
        sec = rec["domain"] if rec["domain"] in SECTIONS else classify(title, text)
        if sec is None:
            continue
        if spam_reason(title + "\n" + text):
            stats["dropped_spam"] += 1
            continue
        if cjk_count(text) < MIN_CJK or len(text) > 30_000:
            stats["dropped_length"] += 1
            continue
        hant, hans = script_counts(text)
        if min(hant, hans) > 0.2 * (hant + hans):
            stats["dropped_mixed"] += 1
            continue
        script = "hant" if hant > hans else "hans"
        expect = NBW_OUTLETS[rec["id"].split("-")[0]][1]
        if script != expect:
            stats["dropped_wrong_script"] += 1
            continue
        key = dedupe_key(text)
        if key in seen:
            stats["duplicates"] += 1
            continue
        seen.add(key)
        stats[sec] += 1
        docs.append({"id": rec["id"], "source": rec["source"], "domain": sec, "script": script,
                     "title": title, "text": text})
    by_group: dict[str, list[dict]] = {}
    for d in docs:
        by_group.setdefault(d["id"].split("-")[0], []).append(d)
    out = os.path.join(ROOT, "broad_more")
    for g, ds in sorted(by_group.items()):
        ds.sort(key=lambda d: hashlib.md5(d["id"].encode()).hexdigest())
        write(out, g, ds)
    with open(os.path.join(out, "stats.json"), "w", encoding="utf-8") as f:
        json.dump(stats, f, ensure_ascii=False, indent=1)
    print(json.dumps(stats, ensure_ascii=False))


if __name__ == "__main__":
    {"negatives": negatives, "broad_more": broad_more}.get(sys.argv[1] if len(sys.argv) > 1 else "",
                                                            lambda: sys.exit(__doc__))()

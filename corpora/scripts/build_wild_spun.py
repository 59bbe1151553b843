"""Build corpora/wild_spun/ and corpora/real_pairs/ from the passages transcribed into
``wild_spun_passages.jsonl`` and ``real_pairs_raw.jsonl`` (beside this script).

    python corpora/scripts/build_wild_spun.py

Where the passages come from: public GitHub files found by exact-string look-ups of spinner
output forms (经由过程, 设置装备摆设, 不克不及, 旌旗灯号, 随便率性 … in both scripts) in a code index
of public repositories.  That index names a file by a numeric id, not by repository and path,
so ``source`` records the index id and the character offset of the passage in the file;
``licence`` is unknown for every one of them.  Each passage is the file's prose around the
hit, verbatim except that markdown/code punctuation around it (backquotes, bold marks,
leading comment markers where the prose continues) may be left out.

What is kept (a *document* is one file: all passages read from the same file id, in file
order, joined by a newline):

* spun: at least two distinct **unambiguous** spinner forms (``STRONG``: forms that do not
  occur in clean modern text, e.g. 经由过程 ← 通过, 设置装备摆设 ← 配置, 旌旗灯号 ← 信号), or
  one of them together with at least four distinct ambiguous classic forms (``WEAK``: 题目,
  体系, 供给, 若是 … real words that spinners also produce; alone they never decide).
  ``evidence_rule`` says which; filter on ``n_strong_distinct >= 2`` for the strict set;
* not a file of ``../shared/dev`` (dev/spun, dev/pages): a file any of whose passages shares
  30 % or more of its character 8-grams with a dev file is left out whole, and the overlap
  is recorded in ``stats.json``;
* no near-duplicate: documents whose CJK characters have the same MD5 as, or share 80 % of
  their 8-grams with, an earlier document collapse into the first one.

``family``: ``classic`` (the dictionary spinner of 伪原创 tools); ``classic-2pass`` when
forms of a second pass over spun text occur (配置装备安排, 经过过程, 措置赏罚, 代庖代理 …);
``csdn-mirror`` for the copy-site spinner of programming blogs (自己定义 ← 自定义, 不论什么 ←
任何, 出如今 ← 出现在, 同一时候 ← 同时).

real_pairs: files that carry both a spun passage and the original text it was spun from
(mirror sites that print a spun abstract above the original article), transcribed as
``spun`` / ``original`` pairs; the character error rate of the spun text against the
original is computed here (Levenshtein distance / original length).
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os
import re
from collections import Counter

from opencc import OpenCC

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEV = os.environ.get("CLEANNEWS_DEV", "/work/shared/dev")
_S2T = OpenCC("s2t")
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

STRONG_HANS = """经由过程 餐与加入 可以或许 进一个步骤 联络接触 不雅众 不雅观众 不克不及
设置装备摆设 处置惩罚 措置赏罚 一小我私家 感触感染 标识表记标帜 代办署理
快乐喜爱 体式格局 体式格式 旌旗灯号 随便率性 年夜学 年夜家 很年夜 最年夜
庞年夜 扩年夜 年夜量 年夜多数 年夜型 年夜概 黉舍 德律风 体系体例
平易近族 点窜 配置装备安排 经过过程 收受接管 分隔策画 安然靠得住 目炫纷乱
一样平常 熟悉打听 代庖代理 大概经过进程 接洽干系 大众号 自己定义 不论什么
出如今 可以或许大概""".split()  # noqa: SIM905
WEAK_HANS = """先容 界说 暗示 支撑 体系 容许 供给 懂得 相干 若是 应用 利用 法式
号令 历程 节制 举行 题目 要领 须要 那末 照样 机能 都邑 提拔 挟制
致使 良多 起首 名目 天生 协定 观点 分歧 很是 雷同 划定 默许 范例
按照 关照 实行 接管 事变 便是 拜托 使命 功效 调集 凡是 变乱 动静
甚么 感化 拜候 同享 安置 零丁 关头 平安 处所 保留 长处 哀求 担当
颠末 资本 加倍 削减 扩大 通报 阐明 咱们 若何 曩昔 仍旧 检察 不停
发明 果断 起头 斥地 职员 开辟 颁布 别离 增加 间接 毗连 泛泛 建造
登岸 开明 办事 格局 疏忽 立室 合用 方才 时辰 从新 曾经 当地 必需
乐成 细致 最佳 把持 进口 夸大 研讨 标明 肃清 传染 留神 购置 抉择
大批 出产 进程 请求 绝对 严厉 氛围 停止 只管 独破 身分 象征着 打仗
地区 居心 成绩 应当 偶然间 茅厕 都市 渣滓 提醒 个别 梗塞 费事 筹备
特殊 游玩 不测 牢固 比拟 简略 苏息 预备 供应 含混 进修 成果 间隔
一向 凹凸 本领 摹拟 纷歧致 犯错 经管 断定 收集 目次 日记 光滑 进级
自在 封闭 此中 办法 降落 首要 便利 法度 项目组 呈现 景象 高等 才干
包管 模仿 开辟商 默示 申明 中心 重视 理当 运转 考证 呆板 同等 从头
现实 视察 发作 纪录 装备 采取 规模 赶上 开端 前往 同一时候 仅仅有
然则 固然 公布 过细 尔后 举办 本钱 错误谬误""".split()  # noqa: SIM905
TWO_PASS = ["配置装备安排", "经过过程", "措置赏罚", "代庖代理", "大概经过进程", "可以或许大概",
            "设置装备摆设装备摆设"]
CSDN = ["自己定义", "不论什么", "出如今", "同一时候", "仅仅有"]


def both(words: list[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        for v in (w, _S2T.convert(w)):
            if v not in out:
                out.append(v)
    return out


STRONG = both(STRONG_HANS)
WEAK = [w for w in both(WEAK_HANS) if w not in STRONG]
_NIANYE_LEGIT = re.compile(r"(?<=[跨新大小昔過过青少中老成童去今明當当每一同那多周除拜守])年夜"
                           r"|年夜(?=[饭飯菜宴酒里裡钟鐘戏戲])")


def evidence(text: str) -> tuple[Counter, Counter]:
    strong: Counter = Counter()
    masked = _NIANYE_LEGIT.sub("＿＿", text)
    masked = masked.replace("平易近人", "＿＿＿＿")
    for w in sorted(STRONG, key=len, reverse=True):
        n = masked.count(w)
        if n:
            strong[w] = n
            masked = masked.replace(w, "＿" * len(w))
    weak: Counter = Counter({w: masked.count(w) for w in WEAK if masked.count(w)})
    return strong, weak


def grams(text: str, n: int = 8) -> set[str]:
    s = "".join(CJK.findall(text))
    return {s[i:i + n] for i in range(max(0, len(s) - n + 1))}


def dev_grams() -> dict[str, set[str]]:
    out = {}
    paths = glob.glob(os.path.join(DEV, "spun", "*.txt")) + glob.glob(os.path.join(DEV, "pages", "*.txt"))
    for path in sorted(paths):
        with open(path, encoding="utf-8") as f:
            out[os.path.relpath(path, DEV)] = grams(f.read())
    return out


def script_of(text: str) -> str:
    t = _S2T.convert(text)
    changed = sum(1 for a, b in zip(text, t, strict=False) if a != b)
    return "hans" if changed > 0.02 * max(1, len(CJK.findall(text))) else "hant"


def family(text: str) -> str:
    if any(w in text for w in both(TWO_PASS)):
        return "classic-2pass"
    if sum(1 for w in both(CSDN) if w in text) >= 2:
        return "csdn-mirror"
    return "classic"


MIN_WEAK_WITH_ONE = 4  # one unambiguous form + this many distinct ambiguous ones also counts


def build_spun() -> dict:
    by_file: dict[str, list[dict]] = {}
    with open(os.path.join(HERE, "wild_spun_passages.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                by_file.setdefault(rec["iid"], []).append(rec)
    dev = dev_grams()
    stats: Counter = Counter()
    overlaps: list[dict] = []
    kept: list[dict] = []
    seen_md5: set[str] = set()
    seen_grams: list[set[str]] = []
    for iid, recs in by_file.items():
        recs.sort(key=lambda r: r["at"])
        parts: list[dict] = []
        for r in recs:  # the same passage read twice (two look-ups) is kept once
            if not any(r["text"] == p["text"] for p in parts):
                parts.append(r)
        text = "\n".join(p["text"] for p in parts)
        strong, weak = evidence(text)
        stats["files"] += 1
        if len(strong) < 2 and not (len(strong) == 1 and len(weak) >= MIN_WEAK_WITH_ONE):
            stats["dropped_weak_evidence"] += 1
            continue
        g = grams(text)
        # a file any of whose passages is (part of) a dev file is left out whole
        best = max(((len(pg & dg) / max(1, len(pg)), name) for pg in (grams(p["text"]) for p in parts)
                    for name, dg in dev.items()), default=(0.0, ""))
        if best[0] >= 0.3:
            stats["dropped_dev_overlap"] += 1
            overlaps.append({"file_id": iid, "dev_file": best[1], "shared_8grams": round(best[0], 3)})
            continue
        md5 = hashlib.md5("".join(CJK.findall(text)).encode()).hexdigest()
        if md5 in seen_md5 or any(len(g & sg) >= 0.8 * min(len(g), len(sg)) for sg in seen_grams if sg):
            stats["dropped_duplicate"] += 1
            continue
        seen_md5.add(md5)
        seen_grams.append(g)
        kept.append({
            "id": f"wild-{iid}",
            "text": text,
            "source": "code index of public GitHub files, file id " + iid + "; passages at chars "
                      + ", ".join(f"~{p['at']}" for p in parts) + f" of {parts[0]['fc']}",
            "licence": "unknown (public GitHub file; the index does not name the repository)",
            "family": family(text),
            "script": script_of(text),
            "strong_forms": dict(strong),
            "weak_forms": dict(weak),
            "n_strong_distinct": len(strong),
            "n_weak_distinct": len(weak),
            "evidence_rule": "2+ strong" if len(strong) >= 2 else f"1 strong + {MIN_WEAK_WITH_ONE}+ weak",
            "dev_max_overlap": {"file": best[1], "shared_8grams": round(best[0], 3)},
            "found_by": sorted({p["q"] for p in parts}),
        })
    paired = set()
    pairs_path = os.path.join(HERE, "real_pairs_raw.jsonl")
    if os.path.exists(pairs_path):
        with open(pairs_path, encoding="utf-8") as f:
            paired = {json.loads(line)["id"].removeprefix("pair-") for line in f if line.strip()}
    for d in kept:  # these files also give a real_pairs pair: leave them out when evaluating there
        d["in_real_pairs"] = d["id"].removeprefix("wild-") in paired
    out = os.path.join(ROOT, "wild_spun")
    os.makedirs(out, exist_ok=True)
    write_gz(os.path.join(out, "wild_spun-000.jsonl.gz"), kept)
    summary = {"kept": len(kept), **stats, "families": Counter(d["family"] for d in kept),
               "scripts": Counter(d["script"] for d in kept), "chars": sum(len(d["text"]) for d in kept),
               "dev_overlaps_dropped": overlaps}
    with open(os.path.join(out, "stats.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, ensure_ascii=False, indent=1)
    return summary


def write_gz(path: str, docs: list[dict]) -> None:
    """gzip JSONL with mtime=0, so that a rebuild is byte-identical."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode("utf-8"))


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def build_pairs() -> dict:
    path = os.path.join(HERE, "real_pairs_raw.jsonl")
    pairs = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    strong, weak = evidence(rec["spun"])
                    # whitespace is not compared: the copies break lines differently
                    spun, orig = re.sub(r"\s+", "", rec["spun"]), re.sub(r"\s+", "", rec["original"])
                    rec["cer_spun_vs_original"] = round(levenshtein(spun, orig) / max(1, len(orig)), 4)
                    rec["strong_forms"], rec["weak_forms"] = dict(strong), dict(weak)
                    pairs.append(rec)
    out = os.path.join(ROOT, "real_pairs")
    os.makedirs(out, exist_ok=True)
    write_gz(os.path.join(out, "real_pairs-000.jsonl.gz"), pairs)
    return {"pairs": len(pairs), "spun_chars": sum(len(d["spun"]) for d in pairs),
            "mean_cer": round(sum(d["cer_spun_vs_original"] for d in pairs) / max(1, len(pairs)), 4)}


if __name__ == "__main__":
    print(json.dumps({"wild_spun": build_spun(), "real_pairs": build_pairs()}, ensure_ascii=False, indent=1))

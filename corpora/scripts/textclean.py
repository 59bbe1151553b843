"""Text cleaning shared by the corpus builders: markdown/HTML to plain text, whitespace
normalisation, script detection and the spam/spinning drop rule.

The whitespace rules are the ones ``../shared/corpora`` was built with, so the broad corpus
and the CCTV/fiction corpora can be mixed without a consumer noticing a seam:
``\\r\\n``→``\\n``; runs of spaces/tabs/NBSP/U+3000 → one space; lines stripped; empty lines
dropped; zero-width characters removed.
"""

from __future__ import annotations

import hashlib
import html
import os
import re

from opencc import OpenCC

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile("[ \t\u00a0\u3000\u2002\u2003\u2009\u202f]+")
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_T2S = OpenCC("t2s")
_S2T = OpenCC("s2t")


def normalise(text: str) -> str:
    """Whitespace exactly as ../shared/corpora: one space inside lines, no empty lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def cjk_count(text: str) -> int:
    return len(CJK.findall(text))


def _char_table(name: str) -> dict[str, str]:
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", name)
    table: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, vals = line.rstrip("\n").partition("\t")
            if key and vals:
                table[key] = vals.split(" ")[0]
    return table


def _script_sets() -> tuple[frozenset[str], frozenset[str]]:
    """Traditional-only and Simplified-only characters, from OpenCC's own character tables
    (STCharacters: simplified→traditional, TSCharacters: the reverse).  A character is
    Traditional-only when OpenCC maps it to a different Simplified one and never produces it
    from Simplified text unchanged, and vice versa."""
    st = _char_table("STCharacters.txt")
    ts = _char_table("TSCharacters.txt")
    hant = frozenset(t for t, s in ts.items() if s != t and t not in st)
    hans = frozenset(s for s, t in st.items() if t != s and s not in ts)
    return hant, hans


_HANT_ONLY, _HANS_ONLY = _script_sets()


def script_counts(text: str) -> tuple[int, int]:
    """(Traditional-only chars, Simplified-only chars)."""
    hant = hans = 0
    for ch in text:
        if ch in _HANT_ONLY:
            hant += 1
        elif ch in _HANS_ONLY:
            hans += 1
    return hant, hans


# ---------------------------------------------------------------------------------------
# Spam / spinning markers.  A document containing any of these is dropped whole: the broad
# corpus must be clean text.  The spinner forms are cleannews' unambiguous spin markers
# (wordlists/spin_markers.txt) plus 不雅观众 (观众 spun the other way), in both scripts.
# ---------------------------------------------------------------------------------------
SPIN_MARKERS_HANS = [
    "经由过程", "餐与加入", "可以或许", "进一个步骤", "联络接触", "古代化", "不雅众", "不雅观众",
    "不克不及", "设置装备摆设", "处置惩罚", "平易近族",
]
SPAM_TERMS_HANS = ["包养"]
SPAM_EN = re.compile(r"sugar[\s\-]*(daddy|baby)|suiker\s*pappa|(malaysia|singapore|philippines)\s+sugar",
                     re.IGNORECASE)


def _both_scripts(words: list[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        for v in (w, _S2T.convert(w), _T2S.convert(w)):
            if v not in out:
                out.append(v)
    return out


SPIN_MARKERS = [*_both_scripts(SPIN_MARKERS_HANS), "經由過程", "餐與加入", "進一個步驟", "不雅觀眾"]
SPAM_TERMS = _both_scripts(SPAM_TERMS_HANS)
# 古代化 is a spinner's 现代化, but 古代化石 (ancient fossils) is real.
_MARKER_RE = re.compile("|".join(sorted({re.escape(m) for m in SPIN_MARKERS + SPAM_TERMS}, key=len,
                                        reverse=True)).replace("古代化", "古代化(?!石)"))

# 年夜 is a spinner form of 大 (大家→年夜家) but also a real word (年夜饭, 跨年夜, 大年夜 …).
# Same rule as ../shared/corpora: legitimate when preceded or followed by these.
_NIANYE_BEFORE = set("跨新大小昔過过青少中老成童去今明當当每一同那多周除拜守")
_NIANYE_AFTER = ("饭", "飯", "菜", "宴", "酒", "大餐", "盆菜", "里", "裡", "钟", "鐘", "戏", "戲")


def spam_reason(text: str) -> str | None:
    """The first spam/spinner marker found in ``text`` (None if clean)."""
    m = _MARKER_RE.search(text)
    if m:
        return m.group(0)
    m = SPAM_EN.search(text)
    if m:
        return "sugar-en"
    start = 0
    while True:
        i = text.find("年夜", start)
        if i < 0:
            return None
        before = text[i - 1] if i > 0 else ""
        after = text[i + 2:i + 4]
        if before not in _NIANYE_BEFORE and not after.startswith(_NIANYE_AFTER):
            return "年夜"
        start = i + 2


# ---------------------------------------------------------------------------------------
# Markdown / HTML to text
# ---------------------------------------------------------------------------------------
_FRONT = re.compile(r"\A\ufeff?---\s*\n(.*?)\n---\s*\n", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
_FIGURE = re.compile(r"<figure\b.*?</figure>", re.S | re.I)
_SCRIPT = re.compile(r"<(script|style|table|pre|code|iframe|svg|video|audio)\b.*?</\1>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BR_P = re.compile(r"<\s*(br|/p|/div|/h\d|/li|/blockquote|p|div|h\d|li)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>\n]{0,400}>")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_REFLINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_REFDEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
_URL = re.compile(r"https?://\S+|www\.[A-Za-z0-9.-]+\.[a-z]{2,}\S*")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_EMPH = re.compile(r"(\*\*|__|\*|~~)")
_LIQUID = re.compile(r"\{[%{].*?[%}]\}", re.S)
_ATTR = re.compile(r"\{:[^}]*\}|\{/\*.*?\*/\}")  # kramdown attributes, MDX heading anchors
_HR = re.compile(r"^\s*([-*_=]\s*){3,}$")


def front_matter(raw: str) -> tuple[dict[str, str], str]:
    """Split YAML front matter (flat ``key: value`` lines only) from the body."""
    m = _FRONT.match(raw)
    if not m:
        return {}, raw
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if ":" in line and not line.startswith((" ", "-", "\t")):
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip().strip("\"'")
    return meta, raw[m.end():]


def markdown_to_text(body: str, keep_tables: bool = False) -> str:
    """Prose from markdown/HTML: code, images, figures, tables and URLs go; link text stays."""
    body = _LIQUID.sub("", body)
    body = _FENCE.sub("\n", body)
    body = _COMMENT.sub("", body)
    body = _FIGURE.sub("\n", body)
    body = _SCRIPT.sub("\n", body)
    body = _BR_P.sub("\n", body)
    body = _TAG.sub("", body)
    body = _MD_IMAGE.sub("", body)
    body = _MD_LINK.sub(r"\1", body)
    body = _MD_REFLINK.sub(r"\1", body)
    body = _MD_REFDEF.sub("", body)
    body = _ATTR.sub("", body)
    out = []
    for line in body.split("\n"):
        if line.startswith("    ") and not CJK.search(line):
            continue  # indented code block
        if _HR.match(line):
            out.append("")
            continue
        if line.lstrip().startswith("|") and not keep_tables:
            continue
        line = _HEADING.sub("", line)
        line = _QUOTE.sub("", line)
        line = _LIST.sub("", line)
        line = _EMPH.sub("", line)
        line = line.replace("`", "")
        line = _URL.sub("", line)
        line = html.unescape(line)
        out.append(line)
    return "\n".join(out)


def keep_cjk_lines(text: str) -> str:
    """Drop lines without a single CJK character (code residue, bylines in Latin, URLs)."""
    return "\n".join(line for line in text.split("\n") if CJK.search(line))


def dedupe_key(text: str) -> str:
    """Near-exact duplicate key: MD5 of the CJK characters only (punctuation, digits,
    Latin and whitespace differences are ignored)."""
    return hashlib.md5("".join(CJK.findall(text)).encode("utf-8")).hexdigest()

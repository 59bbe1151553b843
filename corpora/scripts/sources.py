"""The raw sources of the broad corpus: where each one lives and how one raw file becomes
zero or more documents.

Every source is a public GitHub repository read from a local bare snapshot (the directory
the `fetch` of a repository snapshot produced, ``$MIRROR/<owner>+<name>/repo``, default
``MIRROR=/work/.mirror``).  Files are read from the snapshot's HEAD commit with
``git ls-tree``/``git cat-file``; the commit is recorded in every document's ``source``.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from textclean import front_matter, keep_cjk_lines, markdown_to_text

MIRROR = os.environ.get("MIRROR", "/work/.mirror")


@dataclass
class RawDoc:
    """One document before the shared filters: ``text`` is not yet normalised."""

    id: str
    path: str
    title: str
    text: str
    domain: str
    expect: str = ""  # native script of this document's outlet, when the source is multi-outlet


@dataclass
class Source:
    name: str  # short id, used in document ids and shard names
    repo: str  # owner/name
    select: Callable[[str], bool]  # which paths of the tree to read
    parse: Callable[[Source, str, str], Iterator[RawDoc]]  # (source, path, raw) -> docs
    expect: str  # "hans" | "hant" | "mixed": what the source is natively written in
    sample: float = 1.0  # share of files read (deterministic: MD5 of the path), see keep()

    @property
    def gitdir(self) -> str:
        return os.path.join(MIRROR, self.repo.replace("/", "+"), "repo")

    def commit(self) -> str:
        return subprocess.run(["git", "-C", self.gitdir, "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()

    def files(self) -> Iterator[tuple[str, str]]:
        """(path, text) of every selected blob at HEAD, in tree order."""
        ls = subprocess.run(["git", "-C", self.gitdir, "ls-tree", "-r", "-z", "HEAD"], check=True,
                            capture_output=True).stdout.decode("utf-8")
        wanted = []
        for entry in ls.split("\0"):
            if not entry:
                continue
            meta, path = entry.split("\t", 1)
            _mode, kind, sha = meta.split()
            if kind == "blob" and self.select(path) and keep(path, self.sample):
                wanted.append((path, sha))
        proc = subprocess.Popen(["git", "-C", self.gitdir, "cat-file", "--batch"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert proc.stdin and proc.stdout
        for path, sha in wanted:
            proc.stdin.write(sha.encode() + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            if len(header) < 3 or header[1] == b"missing":
                continue
            data = proc.stdout.read(int(header[2]))
            proc.stdout.read(1)
            yield path, data.decode("utf-8", errors="replace")
        proc.stdin.close()
        proc.wait()


def keep(path: str, share: float) -> bool:
    """Deterministic sample: a file is read when the MD5 of its path falls in the first
    ``share`` of the hash space.  Large sources are sampled because each one is capped at
    25% of the corpus anyway; sampling before the (slow) cleaning keeps the build short."""
    if share >= 1.0:
        return True
    return int(hashlib.md5(path.encode("utf-8")).hexdigest()[:8], 16) < share * 0x100000000


def _slug(path: str) -> str:
    base = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"\s+", "_", base)[:60]


def _title_from_body(body: str) -> tuple[str, str]:
    """First markdown H1 as title (removed from the body)."""
    m = re.search(r"^#\s+(.+)$", body, re.M)
    if m and m.start() < 400:
        return m.group(1).strip(), body[:m.start()] + body[m.end():]
    return "", body


# ---- hkarchivist/hkcnews-article-archive: Citizen News (眾新聞), Hong Kong, 2017–2022 ----
_HKC_DOMAIN = {"眾聞": "local", "眾說": "opinion", "眾觀": "feature", "tri-angles": "feature"}


def parse_hkcnews(src: Source, path: str, raw: str) -> Iterator[RawDoc]:
    meta, body = front_matter(raw)
    title, body = _title_from_body(body)
    # Everything after the first horizontal rule is the subscription footer or author bio.
    body = re.split(r"^\s*---\s*$", body, maxsplit=1, flags=re.M)[0]
    body = re.sub(r"^\*\[繼續看.*$", "", body, flags=re.M)
    text = keep_cjk_lines(markdown_to_text(body))
    yield RawDoc(f"hkcnews-{_slug(path)}", path, meta.get("title") or title, text,
                 _HKC_DOMAIN.get(meta.get("category", ""), "local"))


# ---- ruanyf/weekly: 科技爱好者周刊 (tech weekly blog) ----
def parse_weekly(src: Source, path: str, raw: str) -> Iterator[RawDoc]:
    title, body = _title_from_body(raw)
    text = keep_cjk_lines(markdown_to_text(body))
    text = "\n".join(line for line in text.split("\n")
                     if not line.startswith(("这里记录每周值得分享", "本杂志开源", "周刊讨论区")))
    yield RawDoc(f"weekly-{_slug(path)}", path, title, text, "blog")


# ---- pingcap/docs-cn: TiDB documentation (Simplified) ----
def parse_mddoc(src: Source, path: str, raw: str) -> Iterator[RawDoc]:
    meta, body = front_matter(raw)
    title, body = _title_from_body(body)
    text = keep_cjk_lines(markdown_to_text(body))
    yield RawDoc(f"{src.name}-{_slug(path)}", path, meta.get("title") or title, text, "tech-doc")


# ---- Jekyll archives of articles (front matter + markdown/HTML body) ----
def _jekyll(domain: str, drop_prefixes: tuple[str, ...] = ()) -> Callable[[Source, str, str],
                                                                          Iterator[RawDoc]]:
    def parse(src: Source, path: str, raw: str) -> Iterator[RawDoc]:
        meta, body = front_matter(raw)
        title = meta.get("title", "")
        if not title:
            title, body = _title_from_body(body)
        text = keep_cjk_lines(markdown_to_text(body))
        lines = [ln for ln in text.split("\n") if not ln.startswith(drop_prefixes)]
        yield RawDoc(f"{src.name}-{_slug(path)}", path, title, "\n".join(lines), domain)

    return parse


def parse_cdt(src: Source, path: str, raw: str) -> Iterator[RawDoc]:
    title, body = _title_from_body(raw)
    if not title:
        title = path.rsplit("/", 1)[-1].rsplit(".", 1)[0].split("_", 1)[-1]
    text = keep_cjk_lines(markdown_to_text(body))
    lines = [ln for ln in text.split("\n")
             if not ln.startswith(("原文", "来源", "存档", "CDT", "中国数字时代", "日期："))]
    yield RawDoc(f"cdt-{_slug(path).split('_', 1)[0]}", path, title, "\n".join(lines), "feature")


# ---- NodeBE4/news-beyond-wall: RSS-archived articles of Chinese-language news outlets ----
# One Jekyll post per article; ``author`` names the outlet.  Each outlet is its own source
# (own cap, own provenance row); outlets not listed here (CCTV 新闻联播, English-language
# feeds, personal blogs) are not read.
NBW_OUTLETS = {  # key: (author field, native script, share of the outlet's files read)
    "cna": ("(臺)中央社CNA", "hant", 0.6),
    "rti": ("RTI 中央廣播電臺", "hant", 1.0),
    "zaobao": ("联合早报", "hans", 0.35),
    "rfi": ("法广", "hans", 0.25),
    "reuters": ("路透", "hans", 0.3),
    "voa": ("美国之音", "hans", 0.3),
    "dw": ("德国之声", "hans", 0.3),
    "bbc": ("BBC", "hans", 0.5),
    "rfa": ("自由亚洲电台", "hans", 0.5),
    "nytimes": ("纽约时报", "hans", 1.0),
    "epochtimes": ("大纪元", "hans", 0.2),
    "solidot": ("Solidot", "hans", 1.0),
}
_URL_DOMAIN = [  # first match on the article URL wins
    (re.compile(r"sport|/aspt/|体育|體育"), "sports"),
    (re.compile(r"/amov/|entertain|娱乐|娛樂|/yule"), "entertainment"),
    (re.compile(r"/afe/|/aie/|financ|business|econom|market|经贸|經貿|财经|財經"), "finance"),
    (re.compile(r"/ait/|/ahel/|tech|science|科技|solidot"), "tech"),
    (re.compile(r"/ahel/|health|life|生活|健康"), "lifestyle"),
    (re.compile(r"/aloc/|/asoc/|local|社会|社會"), "local"),
    (re.compile(r"/acul/|culture|文化"), "culture"),
    (re.compile(r"/aipl/|/acn/|politic|政治|两岸|兩岸"), "politics"),
    (re.compile(r"/aopl/|world|international|国际|國際"), "world"),
]
_DROP_HTML = re.compile(r"<(small|figcaption|section|aside|nav|footer|header)\b.*?</\1>", re.S | re.I)
_CAPTION = re.compile(r"（圖取自|（圖／|（中央社檔案照片）|攝\s*\d{2,3}年\d+月\d+日）$|\(Getty Images\)$")
_CNA_END = re.compile(r"（(編輯|譯者)[：:].*）\d{7}$")
_BOILER = ("本網站之文字", "非經授權", "不得轉載", "责任编辑", "責任編輯", "点阅", "點閱", "订阅", "訂閱",
           "相关新闻", "相關新聞", "延伸阅读", "延伸閱讀", "来源：", "來源：", "图片来源", "圖片來源")


_TITLE_TAG = re.compile(r"^\[[A-Za-z ]+\]\s*|\s*[–-]\s*法国国际广播电台.*$")
_NBW_DROP = re.compile(r"^\[\[|^获取更多RSS|^我们的标准|审校|^编译\s|^\d+\s*(分钟|小时|天)前$")


def polish_nbw(title: str, text: str) -> tuple[str, str]:
    """Outlet boilerplate the RSS bodies carry (idempotent: safe to apply twice)."""
    title = _TITLE_TAG.sub("", title).strip()
    lines = [ln for ln in text.split("\n")
             if ln.strip() != title and not any(b in ln for b in _BOILER)
             and not _CAPTION.search(ln) and not _NBW_DROP.search(ln.strip())]
    return title, "\n".join(lines)


_NBW_BY_OUTLET = {outlet: (key, script, share) for key, (outlet, script, share) in NBW_OUTLETS.items()}


def parse_nbw(src: Source, path: str, raw: str) -> Iterator[RawDoc]:
    m = re.search(r"^author: (.+)$", raw[:1500], re.M)
    if not m or m.group(1).strip() not in _NBW_BY_OUTLET:
        return
    key, script, share = _NBW_BY_OUTLET[m.group(1).strip()]
    if not keep(path, share):
        return
    meta, body = front_matter(raw)
    title = meta.get("title", "")
    url = meta.get("from", "")
    body = re.sub(r"\A\s*<!--.*?-->\s*", "", body)
    body = re.sub(r"\A\s*\[[^\]]*\]\([^)]*\)\s*\n-+\s*\n", "", body)  # title link + rule
    body = _DROP_HTML.sub("\n", body)
    text = keep_cjk_lines(markdown_to_text(body))
    title, text = polish_nbw(title, text)
    lines = text.split("\n")
    for i, ln in enumerate(lines):  # CNA: the editor line ends the story; related links follow
        if _CNA_END.search(ln):
            lines = lines[:i + 1]
            break
    domain = next((d for rx, d in _URL_DOMAIN if rx.search(url.lower())),
                  "politics" if key in ("cna", "rti") else "world")
    doc_id = f"{key}-" + hashlib.md5(path.encode()).hexdigest()[:12]
    yield RawDoc(doc_id, path, title, "\n".join(lines), domain, script)


_TERMINUS_DROP = ("原文来自", "本文转载自", "作者：", "作者:", "原文链接", "本文由 简悦", "网站地址")

SOURCES: list[Source] = [
    Source("hkcnews", "hkarchivist/hkcnews-article-archive",
           lambda p: p.startswith("articles/") and p.endswith(".md"), parse_hkcnews, "hant", 0.35),
    Source("weekly", "ruanyf/weekly", lambda p: p.startswith("docs/issue-") and p.endswith(".md"),
           parse_weekly, "hans"),
    Source("tidbdocs", "pingcap/docs-cn",
           lambda p: p.endswith(".md") and not p.startswith(("releases/", "resources/", ".github/"))
           and "TOC" not in p and not p.startswith("_"),
           parse_mddoc, "hans"),
    Source("oped", "NodeBE4/oped2", lambda p: p.startswith("_posts/") and p.endswith((".md", ".html")),
           _jekyll("blog", ("本文转载自", "原文链接", "来源：", "原文地址", "作者：")), "mixed", 0.3),
    Source("terminus", "Terminus2049/Terminus2049.github.io",
           lambda p: p.startswith("_posts/") and p.endswith((".md", ".markdown")),
           _jekyll("feature", _TERMINUS_DROP), "mixed"),
    Source("jsinfo", "javascript-tutorial/zh-hant.javascript.info",
           lambda p: p.endswith("/article.md"), parse_mddoc, "hant"),
    Source("reactdocs", "reactjs/zh-hant.react.dev",
           lambda p: p.startswith("src/content/") and p.endswith(".md"), parse_mddoc, "hant"),
    Source("cdt", "duty-machine/chinadigitaltimes",
           lambda p: p.startswith("articles/") and p.endswith(".md"), parse_cdt, "mixed"),
    Source("nbw", "NodeBE4/news-beyond-wall",
           lambda p: p.startswith(("archived/", "_posts/")) and p.endswith(".md"), parse_nbw, "per-doc"),
]

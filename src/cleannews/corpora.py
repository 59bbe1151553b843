"""The clean reference corpora and their fixed splits.

Models are trained and the benchmark is built from the same files, so the split
rules live in one place: every trainer and the benchmark call these functions, and
no test article or test novel can leak into a model.

* news: by a stable hash of the document id — ``test`` (4 %), ``dev`` (4 %),
  ``train`` (the rest);
* fiction: by a stable hash of the *book title* — a novel is entirely in ``test``
  (about a fifth of the books) or entirely in ``train``, never both;
* broad (the repository's ``corpora/broad``, clean non-CCTV web news, Traditional news,
  features and technical text): like news, by a stable hash of the document id with its
  part suffix (``-p2``) removed, so the parts of one long article share a split.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

Split = Literal["train", "dev", "test"]


def corpora_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """``--corpora`` / ``CLEANNEWS_CORPORA``, else ``../shared/corpora`` beside the repo.

    "The repo" is the source tree this module lives in, or, for an installed
    (non-editable) package, the current directory (CI runs from the checkout).
    """
    if override:
        return Path(override)
    env = os.environ.get("CLEANNEWS_CORPORA")
    if env:
        return Path(env)
    candidates = [Path(__file__).resolve().parents[2], Path.cwd()]
    for repo in candidates:
        path = repo.parent / "shared" / "corpora"
        if path.is_dir():
            return path
    return candidates[0].parent / "shared" / "corpora"


def _bucket(key: str, buckets: int = 100) -> int:
    return int.from_bytes(hashlib.md5(key.encode("utf-8")).digest()[:4], "big") % buckets


def news_split(doc_id: str) -> Split:
    """Fixed split of a news document by its id."""
    b = _bucket("news:" + doc_id)
    if b < 4:
        return "test"
    if b < 8:
        return "dev"
    return "train"


def fiction_split(title: str) -> Split:
    """Fixed split of a novel by its title (whole books only)."""
    return "test" if _bucket("fiction:" + title, 5) == 0 else "train"


def read_jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def news(split: Split | None = None, root: str | os.PathLike[str] | None = None) -> Iterator[dict]:
    """News documents, optionally only one split."""
    for doc in read_jsonl(corpora_dir(root) / "news-zh.jsonl.gz"):
        if split is None or news_split(doc["id"]) == split:
            yield doc


def fiction(split: Split | None = None, root: str | os.PathLike[str] | None = None) -> Iterator[dict]:
    """Fiction chunks, optionally only one split (by book)."""
    for doc in read_jsonl(corpora_dir(root) / "fiction-zh.jsonl.gz"):
        if split is None or fiction_split(doc["title"]) == split:
            yield doc


def broad_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """``CLEANNEWS_BROAD``, else ``corpora/broad`` of the source tree (or of the current
    directory, for an installed package run from a checkout)."""
    if override:
        return Path(override)
    env = os.environ.get("CLEANNEWS_BROAD")
    if env:
        return Path(env)
    for repo in (Path(__file__).resolve().parents[2], Path.cwd()):
        path = repo / "corpora" / "broad"
        if path.is_dir():
            return path
    return Path(__file__).resolve().parents[2] / "corpora" / "broad"


_PART = re.compile(r"-p\d+$")


def broad_split(doc_id: str) -> Split:
    """Fixed split of a broad-corpus document: :func:`news_split` of its id without the part suffix."""
    return news_split("broad:" + _PART.sub("", doc_id))


def broad(split: Split | None = None, root: str | os.PathLike[str] | None = None) -> Iterator[dict]:
    """Broad-corpus documents (every shard, in file-name order), optionally only one split.

    Nothing is yielded when the folder is absent (an installed package without the
    repository's corpora)."""
    folder = broad_dir(root)
    for path in sorted(folder.glob("*.jsonl.gz")):
        for doc in read_jsonl(path):
            if split is None or broad_split(doc["id"]) == split:
                yield doc

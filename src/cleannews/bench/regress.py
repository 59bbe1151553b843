"""Regression fingerprints: one sha256 per document set over everything the pipeline outputs.

A refactor that claims "outputs unchanged" proves it by printing the same hashes
before and after.  Each set is cleaned document by document and the digest covers,
per document, the cleaned text, the document scores and every edit (absorbed ones
included, nested) with its filter, rule, offsets, before/after, reason, unrounded
confidence and evidence.  The sets:

* ``bench``: the built benchmark's documents through the default pipeline;
* ``bench-heldout``: the same documents through the benchmark's own pipeline
  (held-out lexicon pairs unknown to the cleaner), i.e. what its figures measure;
* ``dev``: every file under ``../shared/dev`` and ``../shared/seeds`` (sorted
  paths), default pipeline;
* ``clean``: the first N clean articles of the news *dev* split, default pipeline.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from cleannews.edits import Edit
from cleannews.pipeline import Result


def _edit_record(edit: Edit) -> dict[str, Any]:
    return {
        "start": edit.start, "end": edit.end, "before": edit.before, "after": edit.after,
        "filter": edit.filter, "rule": edit.rule, "reason": edit.reason,
        "confidence": repr(float(edit.confidence)), "evidence": edit.evidence,
        "absorbs": [_edit_record(e) for e in edit.absorbs],
    }


def result_bytes(result: Result) -> bytes:
    """The canonical bytes of one result (cleaned text, scores, edits)."""
    record = {
        "cleaned": result.cleaned,
        "scores": {k: repr(float(v)) for k, v in sorted(result.scores.items())},
        "edits": [_edit_record(e) for e in result.edits],
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True, default=repr).encode("utf-8")


def digest(run: Callable[[str], Result], texts: Iterable[str]) -> tuple[str, int]:
    """sha256 over every text's result (length-prefixed, in order) and the number of texts."""
    h = hashlib.sha256()
    n = 0
    for text in texts:
        blob = result_bytes(run(text))
        h.update(len(blob).to_bytes(8, "big"))
        h.update(blob)
        n += 1
    return h.hexdigest(), n


def shared_files(shared: Path) -> Iterator[str]:
    """Every file under ``shared/dev`` and ``shared/seeds`` (sorted), decoded as UTF-8."""
    for sub in ("dev", "seeds"):
        for path in sorted((shared / sub).rglob("*")):
            if path.is_file():
                yield path.read_text(encoding="utf-8")


def clean_articles(n: int) -> Iterator[str]:
    """The first ``n`` articles of the news dev split (clean text)."""
    from cleannews import corpora

    for k, doc in enumerate(corpora.news("dev")):
        if k >= n:
            return
        yield doc["text"]

"""Heavy shared resources, each loaded on first use and once per process.

Nothing here runs at import time, so ``cleannews --help`` stays instant.  Worker
processes of a batch run each load what they use once.  Wordlists are plain
UTF-8 TSV files under ``wordlists/`` (shipped inside the wheel as
``cleannews/wordlists``); models are compact binary files under
``cleannews/models`` read without pickle.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def wordlists_dir() -> Path:
    """Where the wordlists live: the installed package copy, else the source tree."""
    override = os.environ.get("CLEANNEWS_WORDLISTS")
    if override:
        return Path(override)
    packaged = _PACKAGE_DIR / "wordlists"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parents[1] / "wordlists"


def models_dir() -> Path:
    """Where trained model artifacts live (inside the package)."""
    return _PACKAGE_DIR / "models"


def read_table(name: str) -> Iterator[list[str]]:
    """Rows of a wordlist: tab-separated columns, ``#`` comments and blank lines skipped."""
    path = wordlists_dir() / name
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield line.split("\t")


@cache
def jieba_tokenizer():
    """A private jieba tokenizer, initialised quietly on first use."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


@cache
def word_freq() -> dict[str, int]:
    """jieba's dictionary (Simplified words with corpus frequencies)."""
    return jieba_tokenizer().FREQ


def is_word(simplified: str, min_freq: int = 1) -> bool:
    """Whether ``simplified`` is a dictionary word with at least ``min_freq``."""
    return word_freq().get(simplified, 0) >= min_freq

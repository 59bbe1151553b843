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


def user_cache_dir() -> Path | None:
    """This user's cache folder for cleannews (``$XDG_CACHE_HOME/cleannews``, else ``~/.cache/cleannews``),
    created private (0700); ``None`` when it cannot be created (nothing is cached then)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "cleannews"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


@cache
def jieba_tokenizer():
    """A private jieba tokenizer, initialised quietly on first use.

    jieba caches its parsed dictionary in one file shared by every user of the machine
    (``/tmp/jieba.cache``), which another user may own or have written.  Ours goes in
    this user's cache folder, named by the dictionary's size and time stamp, so a new
    dictionary gets a new file; jieba writes it to a temporary file and renames it
    (atomic).  The dictionary and the words it yields are the same either way.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    folder = user_cache_dir()
    if folder is not None:
        try:
            with tok.get_dict_file() as fh:
                st = os.fstat(fh.fileno())
            key = f"{st.st_size}-{int(st.st_mtime)}"
        except (OSError, AttributeError):
            key = "default"
        tok.tmp_dir = str(folder)
        tok.cache_file = f"jieba-{jieba.__version__}-{key}.cache"
    tok.initialize()
    return tok


@cache
def word_freq() -> dict[str, int]:
    """jieba's dictionary (Simplified words with corpus frequencies)."""
    return jieba_tokenizer().FREQ


def is_word(simplified: str, min_freq: int = 1) -> bool:
    """Whether ``simplified`` is a dictionary word with at least ``min_freq``."""
    return word_freq().get(simplified, 0) >= min_freq


class Resources:
    """The models and wordlists one cleaning set-up uses, loaded on first use and kept.

    Filters get theirs from ``ctx.resources`` rather than from module-level caches, so
    what a run depends on is one object: the process-wide default
    (:meth:`default`), or one built for a purpose.  ``spin_held_out`` hides lexicon
    pairs from the spinning filter (the benchmark measures pairs the cleaner has
    never seen); such a set-up shares the loaded model files with the default one.
    """

    _default: Resources | None = None

    def __init__(self, spin_held_out: frozenset[tuple[str, str]] = frozenset(),
                 files: dict[str, object] | None = None) -> None:
        self.spin_held_out = frozenset(spin_held_out)
        self._files: dict[str, object] = {} if files is None else files  # shared between set-ups
        self._derived: dict[str, object] = {}  # depends on this set-up (held-out pairs)

    @classmethod
    def default(cls) -> Resources:
        """The process-wide set-up with nothing held out."""
        if cls._default is None:
            cls._default = cls()
        return cls._default

    def holding_out(self, pairs: frozenset[tuple[str, str]]) -> Resources:
        """A set-up like this one whose spin lexicon lacks ``pairs`` (loaded files are shared)."""
        return Resources(frozenset(pairs), self._files)

    def pipeline(self, filters=None, options=None):
        """A :class:`~cleannews.pipeline.Pipeline` of ``filters`` (default: the built-ins) with
        ``options``, built once per choice and kept (:func:`cleannews.clean` reuses it)."""
        from cleannews.pipeline import Pipeline
        from cleannews.registry import DEFAULT_FILTERS, create_many

        options = dict(options or {})
        names = list(filters or DEFAULT_FILTERS)
        key = "pipeline:" + "\x1f".join([*names, *sorted(f"{k}={v!r}" for k, v in options.items())])
        if key not in self._derived:
            self._derived[key] = Pipeline(create_many(filters), options, resources=self)
        return self._derived[key]

    def _file(self, key: str, load):
        if key not in self._files:
            self._files[key] = load()
        return self._files[key]

    def _once(self, key: str, make):
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    def spin_lexicon(self):
        """The spin lexicon (:class:`cleannews.spin.lexicon.Lexicon`), held-out pairs hidden."""
        from cleannews.spin.lexicon import read_lexicon

        full = self._file("spin_lexicon", read_lexicon)
        return self._once("spin_lexicon", lambda: full.without(self.spin_held_out))

    def spin_model(self):
        """The spin context model (:class:`cleannews.spin.context.ContextModel`); raises
        :class:`cleannews.models.ModelError` when missing or trained on another lexicon."""
        from cleannews.spin.context import read_context_model

        return self._file("spin_model", read_context_model)

    def spin_gate(self):
        """The spin page gate's calibrated parameters (:class:`cleannews.spin.gate.GateParams`)."""
        from cleannews.spin.gate import read_gate_params

        return self._file("spin_gate", read_gate_params)

    def spin_marker_lexicon(self):
        """The unambiguous pairs of :meth:`spin_lexicon` only (the page's spin markers)."""
        from cleannews.spin.decide import marker_lexicon

        return self._once("spin_markers", lambda: marker_lexicon(self.spin_model(), self.spin_lexicon()))

    def fiction_lm(self):
        """The news/fiction character LM pair (:class:`cleannews.fiction.lm.PairLM`)."""
        from cleannews.fiction.lm import read_fiction_lm

        return self._file("fiction_lm", read_fiction_lm)

    def fiction_params(self):
        """The fiction decision's fitted parameters (:class:`cleannews.fiction.passages.DecisionParams`)."""
        from cleannews.fiction.passages import read_decision_params

        return self._file("fiction_decision", read_decision_params)

    def cut_weights(self):
        """The fitted weights of the fiction boundary's cut score (``models/fiction_boundary.json``)."""
        from cleannews.fiction.boundary import read_cut_weights

        return self._file("fiction_boundary", read_cut_weights)

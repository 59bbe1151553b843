"""Versioned model files: every model ships with a JSON *model card* beside it.

A card (``models/<name>.json``) holds the fitted parameters a model has besides its
binary arrays (weights of a logistic decision, a bar) and its provenance:

* ``format``: :data:`FORMAT` (bumped when fields change meaning);
* ``lexicon_digest``: sha256 of ``wordlists/spin_lexicon.tsv`` the model was trained
  with — both models read the lexicon (the spin model counts its forms, the news LM
  is trained on spun copies), so a model is stale once the lexicon changes;
* ``corpus_digest``: sha256 over the corpora files read by the trainer;
* ``seed``, ``commit`` (``git rev-parse HEAD`` of the training run), ``trainer``;
* ``recorded``: ``"at training"``, or ``"after training"`` where the card was written
  for an existing file (then ``notes`` says which values are reconstructed).

Trainers write cards with :func:`write_card`; loaders call :func:`check_card` (or
:func:`load_params`), which fails loudly on a missing file, a missing card or a
lexicon digest that is not the current one.  Nothing switches a filter off quietly.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from cleannews.resources import models_dir, wordlists_dir

FORMAT = 1
LEXICON = "spin_lexicon.tsv"


class ModelError(RuntimeError):
    """A model file or its card is missing, malformed, or was trained on another lexicon."""


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


@cache
def lexicon_digest() -> str:
    """Digest of the spin lexicon the running code reads."""
    return file_digest(wordlists_dir() / LEXICON)


def corpus_digest(paths: Iterable[Path]) -> str:
    """One digest over the named corpus files (file name and content digest, sorted by name)."""
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        h.update(f"{path.name}\0{file_digest(path)}\n".encode())
    return "sha256:" + h.hexdigest()


def git_commit() -> str:
    """The commit of the working tree (``+dirty`` when it has changes), or ``unknown``."""
    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def card_path(model: Path | str) -> Path:
    """``models/x.npz`` → ``models/x.json``; a bare name ``x`` → ``models/x.json``."""
    path = Path(model)
    if not path.is_absolute() and path.parent == Path("."):
        path = models_dir() / path
    return path.with_suffix(".json")


def write_card(model: Path | str, *, trainer: str, seed: int | None, corpus: Iterable[Path] | str,
               params: dict[str, Any] | None = None, recorded: str = "at training",
               notes: str = "", commit: str | None = None) -> Path:
    """Write the card of ``model`` (the ``.npz`` path, or a name for parameters-only models)."""
    card = {
        "format": FORMAT,
        "trainer": trainer,
        "recorded": recorded,
        "lexicon_digest": lexicon_digest(),
        "corpus_digest": corpus if isinstance(corpus, str) else corpus_digest(corpus),
        "seed": seed,
        "commit": commit or git_commit(),
        "notes": notes,
        "params": params or {},
    }
    path = card_path(model)
    path.write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def check_card(model: Path | str) -> dict[str, Any]:
    """The card of ``model`` after checking that the model (if binary) and its card exist and
    match the current lexicon; raises :class:`ModelError` otherwise."""
    path = Path(model)
    if path.suffix == ".npz" and not path.is_file():
        raise ModelError(f"model file {path} is missing; train it (see README, 'Retraining')")
    card_file = card_path(model)
    if not card_file.is_file():
        raise ModelError(f"model card {card_file} is missing: a model without provenance is not loaded")
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"model card {card_file} is unreadable: {exc}") from exc
    if card.get("format") != FORMAT:
        raise ModelError(f"model card {card_file} has format {card.get('format')!r}, expected {FORMAT}")
    if card.get("lexicon_digest") != lexicon_digest():
        raise ModelError(
            f"{card_file.stem} was trained with another spin lexicon ({card.get('lexicon_digest')}; "
            f"{LEXICON} is now {lexicon_digest()}): retrain it ({card.get('trainer')})")
    return card


def load_params(name: str) -> dict[str, Any]:
    """The fitted parameters of the card ``models/<name>.json`` (checked like :func:`check_card`)."""
    return check_card(name)["params"]

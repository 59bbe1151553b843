"""Write model cards for model files trained before cards existed (``recorded: after training``).

    python -m cleannews.train.provenance

For each shipped ``.npz`` without a card, the card records the commit that last
changed the file (``git log``, i.e. the commit that shipped the training run), the
digest of the current spin lexicon (a model whose card was written this way was
trained on the lexicon as of that commit; this tool refuses to stamp a model when
the lexicon changed since), the digest of the corpora as they are now, and no seed
(these trainers drew their samples with seeds fixed in code, not recorded per run).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from cleannews.corpora import corpora_dir
from cleannews.modelfile import card_path, write_card
from cleannews.resources import models_dir, wordlists_dir

#: model file → the trainer that writes it.
TRAINERS = {
    "spin_context.npz": "python -m cleannews.train.spin_context",
    "fiction_lm.npz": "python -m cleannews.train.fiction_lm",
}


def _git(*args: str) -> str:
    root = Path(__file__).resolve().parents[3]
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def stamp(name: str, trainer: str) -> Path | None:
    model = models_dir() / name
    if card_path(model).is_file():
        return None
    commit = _git("log", "-1", "--format=%H", "--", str(model))
    lexicon = wordlists_dir() / "spin_lexicon.tsv"
    if _git("diff", "--name-only", commit, "--", str(lexicon)):
        raise SystemExit(f"{lexicon} changed since {commit[:10]} trained {name}: retrain it ({trainer})")
    corpora = sorted(corpora_dir().glob("*.jsonl.gz"))
    notes = ("recorded after training: commit = the commit that last changed the model file; "
             "lexicon_digest = the current lexicon, unchanged since that commit (git diff); "
             "corpus_digest = the corpora files as they are now (assumed unchanged, not measured at "
             "training); seed not recorded by the trainer at the time")
    return write_card(model, trainer=trainer, seed=None, corpus=corpora, recorded="after training",
                      notes=notes, commit=commit)


def main() -> None:
    for name, trainer in TRAINERS.items():
        path = stamp(name, trainer)
        print(f"{name}: {'card written to ' + str(path) if path else 'card exists, left as is'}")


if __name__ == "__main__":
    main()

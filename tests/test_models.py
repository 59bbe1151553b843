"""Model files: every shipped model has a card with its provenance, checked on load."""

from __future__ import annotations

import json

import pytest

from cleannews.modelfile import FORMAT, ModelError, check_card, lexicon_digest, write_card
from cleannews.resources import Resources, models_dir

SHIPPED = ["spin_context.npz", "fiction_lm.npz", "fiction_decision", "fiction_boundary"]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_model_states_its_provenance(name: str) -> None:
    model = models_dir() / name if name.endswith(".npz") else name
    card = check_card(model)  # raises unless present, readable and of the current lexicon
    assert card["format"] == FORMAT and card["lexicon_digest"] == lexicon_digest()
    assert card["corpus_digest"].startswith("sha256:") and len(card["commit"]) >= 40
    assert card["recorded"] in {"at training", "after training"}
    assert "seed" in card and card["trainer"].startswith("python -m cleannews.train.")


def test_a_missing_model_fails_loudly(tmp_path) -> None:
    with pytest.raises(ModelError, match="missing"):
        check_card(tmp_path / "spin_context.npz")
    (tmp_path / "spin_context.npz").write_bytes(b"")
    with pytest.raises(ModelError, match=r"card .* is missing"):
        check_card(tmp_path / "spin_context.npz")


def test_a_model_of_another_lexicon_fails_loudly(tmp_path) -> None:
    model = tmp_path / "spin_context.npz"
    model.write_bytes(b"")
    card = write_card(model, trainer="python -m cleannews.train.spin_context", seed=1, corpus="sha256:x",
                      commit="0" * 40)
    assert check_card(model)["seed"] == 1
    data = json.loads(card.read_text(encoding="utf-8"))
    data["lexicon_digest"] = "sha256:another"
    card.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match=r"another spin lexicon.*retrain"):
        check_card(model)


def test_fitted_parameters_come_from_the_cards() -> None:
    params = Resources.default().fiction_params()
    card = json.loads((models_dir() / "fiction_decision.json").read_text(encoding="utf-8"))["params"]
    assert list(params.weights) == card["weights"] and params.page_gate == card["page_gate"]
    boundary = json.loads((models_dir() / "fiction_boundary.json").read_text(encoding="utf-8"))["params"]
    assert list(Resources.default().cut_weights()) == boundary["cut_weights"]


def test_the_runtime_imports_neither_training_nor_benchmark_code() -> None:
    import subprocess
    import sys

    code = ("import sys; from cleannews import clean; clean('內蒙古自包養治區經由過程'); "
            "print(sorted(m for m in sys.modules if m.startswith(('cleannews.train', 'cleannews.bench'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""Shared fixtures.

Tests import the *installed* ``cleannews`` (this file does not put ``src`` on
``sys.path``), so a non-editable install checks the packaging too.  Real data
beside the repository (``../shared``) is used when present and skipped cleanly
when absent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles: "ci" (the default) is fixed — derandomized, so every CI run checks the same
# examples — and sized to fit CI time; "long" searches far more widely on a developer's machine
# (HYPOTHESIS_PROFILE=long pytest tests/test_properties_clean.py).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=20_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = REPO / "seeds" / "000_6bc4e7bd4ee97ca6.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip(f"seed page missing: {SEED}")
    return SEED


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    return seed_path.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data missing: {SHARED}")
    return SHARED


def cleannews_script() -> Path:
    """The ``cleannews`` console script installed next to the running interpreter."""
    return Path(sys.executable).parent / ("cleannews.exe" if os.name == "nt" else "cleannews")


def run_cleannews(args: list[str], *, stdin: bytes | None = None, env: dict[str, str] | None = None,
                  cwd: Path | None = None, script: bool = False) -> subprocess.CompletedProcess[bytes]:
    """Run the real command in a subprocess (``python -m cleannews`` or the console script)."""
    cmd = [str(cleannews_script())] if script else [sys.executable, "-m", "cleannews"]
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update(env or {})
    return subprocess.run(cmd + args, input=stdin if stdin is not None else b"", capture_output=True,
                          env=full_env, cwd=cwd, timeout=120, check=False)

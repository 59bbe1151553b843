"""Hostile inputs to the real command: one clear error line, the documented exit code, no traceback
and no partial output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleannews import clean
from conftest import run_cleannews

SPAMMY = "第一行沒有問題\n連包養合引領職工\n"


def _one_error_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("cleannews: error: "), text
    return lines[0]


def test_report_format_without_report_is_an_error() -> None:
    proc = run_cleannews(["clean", "--report-format", "json"], stdin=SPAMMY.encode())
    assert proc.returncode == 2
    assert "--report" in _one_error_line(proc.stderr)
    assert proc.stdout == b""


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_fiction_threshold_must_be_finite(value: str) -> None:
    proc = run_cleannews(["clean", "--fiction-threshold", value], stdin=SPAMMY.encode())
    assert proc.returncode == 2
    assert "finite" in _one_error_line(proc.stderr)
    assert proc.stdout == b""


def test_report_into_missing_folder_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "r.json"
    proc = run_cleannews(["clean", "--filters", "spam", "--report", str(target)], stdin=SPAMMY.encode())
    assert proc.returncode == 2
    assert "does not exist" in _one_error_line(proc.stderr)
    assert not (tmp_path / "no").exists()
    assert proc.stdout == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_stdout_to_a_full_disk_is_exit_2() -> None:
    import subprocess
    import sys

    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "cleannews", "clean", "--filters", "spam"],
                              input=SPAMMY.encode() * 2000, stdout=full, stderr=subprocess.PIPE,
                              timeout=120, check=False)
    assert proc.returncode == 2
    assert "standard output" in _one_error_line(proc.stderr)


def test_clean_rejects_bytes_clearly() -> None:
    with pytest.raises(TypeError, match="needs str"):
        clean(SPAMMY.encode())  # type: ignore[arg-type]


def test_clean_rejects_unknown_options() -> None:
    with pytest.raises(TypeError):
        clean(SPAMMY, bogus_option=1)


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root writes into read-only folders")
def test_read_only_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(SPAMMY, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        proc = run_cleannews(["clean", str(src), "-o", str(out), "--filters", "spam"])
    finally:
        out.chmod(0o700)
    assert proc.returncode == 2
    assert "cannot write" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("pattern", ["/etc/*", "../*.txt", "sub/../../*.txt"])
def test_glob_cannot_leave_the_input_folder(tmp_path: Path, pattern: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(SPAMMY, encoding="utf-8")
    (tmp_path / "outside.txt").write_text(SPAMMY, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cleannews(["clean", str(src), "--glob", pattern, "-o", str(out)])
    assert proc.returncode == 2
    assert "--glob" in _one_error_line(proc.stderr)
    assert not out.exists() and proc.stdout == b""


def test_help_names_arguments_plainly() -> None:
    proc = run_cleannews(["clean", "--help"], env={"COLUMNS": "100", "TERM": "dumb"})
    out = proc.stdout.decode()
    assert proc.returncode == 0 and "PATH: files, folders" in out
    assert "list[str]" not in out and "<" not in out.replace("<=", "")
    assert "plugin filters run when named" in " ".join(out.split())


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loops_and_dangling_links_are_not_followed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(SPAMMY, encoding="utf-8")
    (src / "sub" / "loop").symlink_to("..")
    (src / "self.txt").symlink_to("self.txt")
    (src / "gone.txt").symlink_to(tmp_path / "missing.txt")
    out = tmp_path / "out"
    proc = run_cleannews(["clean", str(src), "-o", str(out), "--filters", "spam"])
    assert proc.returncode == 0, proc.stderr.decode()
    assert sorted(p.name for p in out.rglob("*")) == ["a.txt"]
    assert (out / "a.txt").read_text(encoding="utf-8") == SPAMMY.replace("包養", "")


def test_huge_single_line(tmp_path: Path) -> None:
    line = ("內蒙古自治區總工會召開代表大會，" * 60_000) + "連包養合"  # ~1 M characters, no newline
    src = tmp_path / "big.txt"
    src.write_text(line, encoding="utf-8")
    proc = run_cleannews(["clean", str(src), "--filters", "spam"])
    assert proc.returncode == 0, proc.stderr.decode()[-500:]
    assert proc.stdout.decode("utf-8") == line.replace("連包養合", "連合")


def _small_file_limit() -> None:
    """In the child: writes beyond 64 KiB fail (EFBIG), as on a disk that fills up mid-file."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


@pytest.mark.skipif(os.name != "posix", reason="file size limits are POSIX")
@pytest.mark.parametrize("name", ["big.txt", "big.jsonl"])
def test_output_file_that_cannot_be_completed_leaves_nothing(tmp_path: Path, name: str) -> None:
    """A disk that fills up while an output file is written: exit 2, one error line, no partial file."""
    import json
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    if name.endswith(".jsonl"):
        line = json.dumps({"id": "x", "text": SPAMMY * 20}, ensure_ascii=False) + "\n"
        (src / name).write_text(line * 400, encoding="utf-8")
    else:
        (src / name).write_text(SPAMMY * 8000, encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "cleannews", "clean", str(src), "-o", str(out), "--filters",
                           "spam", "--jobs", "1"], capture_output=True, timeout=120, check=False,
                          preexec_fn=_small_file_limit)
    assert proc.returncode == 2, proc.stderr.decode()
    err = proc.stderr.decode()
    assert "Traceback" not in err and "cannot write" in err, err
    assert [p for p in out.rglob("*") if p.is_file()] == []

"""The command line, through typer's CliRunner and through a real ``cleannews`` process."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleannews import __version__, clean
from cleannews.cli import app
from conftest import cleannews_script, run_cleannews

SPAMMY = "連包養合引領職工聽黨話、跟黨走\r\n為職工辦實事、包養網解困難\r\n"
SPAMMY_CLEAN = "連合引領職工聽黨話、跟黨走\r\n為職工辦實事、解困難\r\n"
CLEAN = "內蒙古自治區工會召開代表大會。\n工人日報記者報道。"


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2 mixes stderr into output by default
    except TypeError:
        return CliRunner()


def invoke(args: list[str], stdin: bytes | str | None = None, env: dict[str, str] | None = None):
    return runner().invoke(app, args, input=stdin, env=env, catch_exceptions=False)


# --- help, version, filters ---------------------------------------------------------


def test_help_lists_commands_and_exit_codes() -> None:
    result = invoke(["--help"])
    assert result.exit_code == 0
    for word in ("clean", "filters", "bench", "Exit codes"):
        assert word in result.stdout
    clean_help = invoke(["clean", "--help"])
    assert clean_help.exit_code == 0
    for word in ("--output", "--glob", "--in-place", "--filters", "--report", "--report-format", "--check",
                 "--quiet", "Exit codes"):
        assert word in clean_help.stdout


def test_version() -> None:
    result = invoke(["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"cleannews {__version__}"


def test_filters_command_lists_descriptions() -> None:
    result = invoke(["filters"])
    assert result.exit_code == 0
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("spam"))
    assert "spam terms" in line and "built-in" in line


# --- stdin / stdout ------------------------------------------------------------------


def test_stdin_to_stdout_keeps_crlf_and_reports_nothing_on_stdout() -> None:
    result = invoke(["clean", "-", "--filters", "spam", "--report", "-"], stdin=SPAMMY.encode())
    assert result.exit_code == 0
    assert result.stdout_bytes == SPAMMY_CLEAN.encode()
    assert "splits" in result.stderr and "[-包養-]" in result.stderr  # the text report went to stderr
    assert "\x1b[" not in result.stderr  # not a terminal: no ANSI codes


def test_no_path_with_piped_input_reads_stdin() -> None:
    result = invoke(["clean", "--filters", "spam"], stdin=CLEAN.encode())
    assert result.exit_code == 0
    assert result.stdout_bytes == CLEAN.encode()
    assert result.stderr == ""  # no report by default when stderr is not a terminal


def test_no_path_and_no_piped_input_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cleannews.cli._stdin_is_piped", lambda: False)
    result = invoke(["clean"])
    assert result.exit_code == 2
    assert "no input" in result.stderr


def test_json_report_schema() -> None:
    result = invoke(["clean", "--filters", "spam", "--report", "-", "--report-format", "json"],
                    stdin=SPAMMY.encode())
    assert result.exit_code == 0
    report = json.loads(result.stderr)
    assert report["schema"] == "cleannews.report/1"
    assert report["tool"] == {"name": "cleannews", "version": __version__}
    assert report["filters"] == ["spam"]
    (doc,) = report["documents"]
    assert doc["path"] == "-" and doc["changed"] is True and doc["encoding"] == "utf-8"
    assert doc["counts"] == {"spam": 2}
    first, second = doc["edits"]
    assert (first["line"], first["col"], first["before"], first["after"]) == (1, 2, "包養", "")
    assert (second["line"], second["col"], second["before"]) == (2, 8, "包養網")
    for key in ("start", "end", "filter", "rule", "reason", "confidence"):
        assert key in first
    assert report["summary"] == {"documents": 1, "changed": 1, "failed": 0, "edits": 2, "counts": {"spam": 2}}
    assert report["errors"] == []


def test_diff_report_to_file(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_bytes(SPAMMY.encode())
    report = tmp_path / "report.diff"
    result = invoke(["clean", str(src), "--filters", "spam", "--report", str(report),
                     "--report-format", "diff"])
    assert result.exit_code == 0
    text = report.read_text(encoding="utf-8")
    assert text.startswith(f"--- a/{src}\n+++ b/{src}\n@@ ")
    assert "-連包養合引領" in text and "+連合引領" in text
    assert result.stdout_bytes == SPAMMY_CLEAN.encode()


def test_unknown_report_format_is_an_error() -> None:
    result = invoke(["clean", "--report", "-", "--report-format", "pdf"], stdin=CLEAN.encode())
    assert result.exit_code == 2 and "report format" in result.stderr


# --- files, folders, --check, --in-place ---------------------------------------------


def make_tree(root: Path) -> dict[str, bytes]:
    files = {
        "a.txt": SPAMMY.encode(),
        "sub/b.txt": CLEAN.encode(),
        "sub/deeper/c.txt": "自治區包養網總工會".encode(),
        "sub/notes.md": "包養 in markdown".encode(),
    }
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return files


def test_single_file_to_output_file(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(SPAMMY.encode())
    out = tmp_path / "out" / "cleaned.txt"
    result = invoke(["clean", str(src), "-o", str(out), "--filters", "spam"])
    assert result.exit_code == 0
    assert result.stdout_bytes == b""
    assert out.read_bytes() == SPAMMY_CLEAN.encode()
    assert src.read_bytes() == SPAMMY.encode()


def test_output_file_equal_to_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(SPAMMY.encode())
    result = invoke(["clean", str(src), "-o", str(src)])
    assert result.exit_code == 2 and "--in-place" in result.stderr
    assert src.read_bytes() == SPAMMY.encode()


def test_folder_mirrors_tree_into_output_dir(tmp_path: Path) -> None:
    files = make_tree(tmp_path / "in")
    out = tmp_path / "out"
    result = invoke(["clean", str(tmp_path / "in"), "-o", str(out), "--filters", "spam", "--quiet"])
    assert result.exit_code == 0, result.stderr
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["a.txt", "sub/b.txt", "sub/deeper/c.txt"]
    assert (out / "a.txt").read_bytes() == SPAMMY_CLEAN.encode()
    assert (out / "sub/b.txt").read_bytes() == files["sub/b.txt"]  # clean: byte-identical
    assert (out / "sub/deeper/c.txt").read_bytes() == "自治區總工會".encode()
    assert result.stdout_bytes == b""


def test_glob_selects_other_files(tmp_path: Path) -> None:
    make_tree(tmp_path / "in")
    out = tmp_path / "out"
    result = invoke(["clean", str(tmp_path / "in"), "-o", str(out), "--glob", "*.md"])
    assert result.exit_code == 0
    assert [p.name for p in out.rglob("*") if p.is_file()] == ["notes.md"]


def test_several_inputs_need_output_dir_outside_the_input(tmp_path: Path) -> None:
    make_tree(tmp_path / "in")
    no_out = invoke(["clean", str(tmp_path / "in")])
    assert no_out.exit_code == 2 and "-o DIR" in no_out.stderr
    inside = invoke(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "in" / "cleaned")])
    assert inside.exit_code == 2 and "inside the input folder" in inside.stderr
    assert not (tmp_path / "in" / "cleaned").exists()


def test_several_files_go_to_output_dir_by_name(tmp_path: Path) -> None:
    files = make_tree(tmp_path / "in")
    out = tmp_path / "out"
    result = invoke(["clean", str(tmp_path / "in/a.txt"), str(tmp_path / "in/sub/b.txt"), "-o", str(out),
                     "--filters", "spam"])
    assert result.exit_code == 0
    assert (out / "a.txt").read_bytes() == SPAMMY_CLEAN.encode()
    assert (out / "b.txt").read_bytes() == files["sub/b.txt"]


def test_check_reports_and_writes_nothing(tmp_path: Path) -> None:
    files = make_tree(tmp_path / "in")
    result = invoke(["clean", str(tmp_path / "in"), "--check", "--filters", "spam"])
    assert result.exit_code == 1
    assert "would change" in result.stderr and "a.txt" in result.stderr
    assert result.stdout_bytes == b""
    for rel, data in files.items():
        assert (tmp_path / "in" / rel).read_bytes() == data
    ok = invoke(["clean", str(tmp_path / "in/sub/b.txt"), "--check"])
    assert ok.exit_code == 0 and ok.stdout_bytes == b""
    piped = invoke(["clean", "--check"], stdin=SPAMMY.encode())
    assert piped.exit_code == 1 and piped.stdout_bytes == b""


def test_in_place_rewrites_only_changed_files(tmp_path: Path) -> None:
    files = make_tree(tmp_path / "in")
    clean_file = tmp_path / "in/sub/b.txt"
    before = clean_file.stat().st_mtime_ns
    result = invoke(["clean", str(tmp_path / "in"), "--in-place", "--filters", "spam"])
    assert result.exit_code == 0
    assert (tmp_path / "in/a.txt").read_bytes() == SPAMMY_CLEAN.encode()
    assert clean_file.read_bytes() == files["sub/b.txt"]
    assert clean_file.stat().st_mtime_ns == before
    leftovers = [p.name for p in (tmp_path / "in").rglob(".*")]
    assert leftovers == []


def test_in_place_rejects_stdin_and_output() -> None:
    assert invoke(["clean", "-", "--in-place"], stdin=b"x").exit_code == 2
    assert invoke(["clean", "x.txt", "--in-place", "-o", "y"]).exit_code == 2


# --- errors --------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    result = invoke(["clean", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_folder_without_matching_files(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.csv").write_text("a", encoding="utf-8")
    result = invoke(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "no files matching" in result.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_filter(tmp_path: Path) -> None:
    result = invoke(["clean", "--filters", "spam,nosuch"], stdin=b"x")
    assert result.exit_code == 2
    assert "unknown filter 'nosuch'" in result.stderr and "spam" in result.stderr
    assert result.stdout_bytes == b""


@pytest.mark.parametrize(("data", "message"), [(b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
                                                ("café".encode("latin-1"), "cannot be decoded")])
def test_bad_single_file(tmp_path: Path, data: bytes, message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(data)
    result = invoke(["clean", str(bad)])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout_bytes == b""


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    make_tree(tmp_path / "in")
    (tmp_path / "in" / "broken.txt").write_bytes(b"abc\x00def")
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    result = invoke(["clean", str(tmp_path / "in"), "-o", str(out), "--filters", "spam",
                     "--report", str(report), "--report-format", "json"])
    assert result.exit_code == 2
    assert "broken.txt" in result.stderr and "binary" in result.stderr
    assert (out / "a.txt").read_bytes() == SPAMMY_CLEAN.encode()
    assert (out / "sub/deeper/c.txt").is_file()
    assert not (out / "broken.txt").exists()
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]  # JSON Lines
    docs = [r for r in rows if r.get("type") == "document"]
    (error,) = [r for r in rows if r.get("type") == "error"]
    summary = rows[-1]["summary"]
    assert summary["failed"] == 1 and summary["documents"] == len(docs) == 3
    assert error["path"].endswith("broken.txt")


# --- encodings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("gb18030", "内蒙古自治区包养网总工会召开代表大会。\n"),
        ("big5", "內蒙古自治區包養網總工會召開代表大會。\n"),
        ("utf-16", "內蒙古自治區包養網總工會召開代表大會。\n"),
    ],
)
def test_encodings_are_decoded_and_written_as_utf8(tmp_path: Path, encoding: str, text: str) -> None:
    src = tmp_path / "page.txt"
    src.write_bytes(text.encode(encoding))
    result = invoke(["clean", str(src), "--filters", "spam", "--report", "-", "--report-format", "json"])
    assert result.exit_code == 0
    assert result.stdout_bytes == text.replace("包養網", "").replace("包养网", "").encode("utf-8")
    assert json.loads(result.stderr)["documents"][0]["encoding"].startswith(encoding.split("-")[0])


def test_utf8_bom_is_kept(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_bytes(b"\xef\xbb\xbf" + CLEAN.encode())
    result = invoke(["clean", str(src)])
    assert result.exit_code == 0
    assert result.stdout_bytes == src.read_bytes()


# --- colour --------------------------------------------------------------------------


def test_text_report_colour_follows_tty_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from cleannews.cli import _color_for

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert _color_for(Tty()) is True
    assert _color_for(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert _color_for(Tty()) is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert _color_for(Tty()) is False


# --- bench ---------------------------------------------------------------------------


def test_bench_forwards_or_explains() -> None:
    if importlib.util.find_spec("cleannews.bench") is None or \
            importlib.util.find_spec("cleannews.bench.cli") is None:
        result = invoke(["bench", "--help"])
        assert result.exit_code == 2 and "benchmark harness" in result.stderr
    else:
        result = invoke(["bench", "--help"])
        assert result.exit_code == 0
        assert "cleannews bench" in result.stdout


# --- real processes ------------------------------------------------------------------


def test_subprocess_stdin_to_stdout_matches_api(seed_text: str) -> None:
    proc = run_cleannews(["clean", "--filters", "spam"], stdin=seed_text.encode())
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == clean(seed_text, filters=["spam"]).cleaned.encode()
    assert proc.stderr == b""


def test_subprocess_clean_text_is_byte_identical(tmp_path: Path) -> None:
    data = (CLEAN + "\r\n第三行\n").encode()
    proc = run_cleannews(["clean", "-"], stdin=data)
    assert proc.returncode == 0 and proc.stdout == data


def test_console_script_runs(seed_path: Path) -> None:
    script = cleannews_script()
    if not script.exists():
        pytest.skip(f"console script not installed next to {sys.executable}")
    proc = run_cleannews(["--version"], script=True)
    assert proc.returncode == 0 and proc.stdout.decode().strip() == f"cleannews {__version__}"
    proc = run_cleannews(["clean", str(seed_path), "--check", "--quiet", "--filters", "spam"], script=True)
    assert proc.returncode == 1 and proc.stdout == b""


def test_subprocess_errors_have_no_traceback(tmp_path: Path) -> None:
    proc = run_cleannews(["clean", str(tmp_path / "missing.txt")])
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr and b"no such file" in proc.stderr
    proc = run_cleannews(["clean", "--filters", "nosuch"], stdin=b"x")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr


def test_subprocess_no_color_report_has_no_ansi() -> None:
    proc = run_cleannews(["clean", "--report", "-", "--filters", "spam"], stdin=SPAMMY.encode(),
                         env={"NO_COLOR": "1"})
    assert proc.returncode == 0 and b"\x1b[" not in proc.stderr and b"[-" in proc.stderr


def test_help_does_not_load_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from cleannews.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "try:\n    main(['clean', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('jieba', 'opencc', 'numpy')\n"
        "               or m.startswith(('cleannews.filters.', 'cleannews.models', 'cleannews.fiction',\n"
        "                                'cleannews.spin', 'cleannews.bench', 'cleannews.train')))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    import subprocess

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=False)
    assert b"Usage" in proc.stdout
    assert proc.stderr.decode().strip().endswith("HEAVY []"), proc.stderr.decode()


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_bytes(CLEAN.encode())
    other = tmp_path / "ok.txt"
    other.write_bytes(SPAMMY.encode())
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = invoke(["clean", str(locked), str(other), "-o", str(tmp_path / "out"), "--filters", "spam"])
    assert result.exit_code == 2
    assert "locked.txt: permission denied" in result.stderr
    assert (tmp_path / "out" / "ok.txt").read_bytes() == SPAMMY_CLEAN.encode()


def test_single_file_into_existing_folder(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_bytes(SPAMMY.encode())
    out = tmp_path / "out"
    out.mkdir()
    result = invoke(["clean", str(src), "-o", str(out), "--filters", "spam"])
    assert result.exit_code == 0 and result.stdout_bytes == b""
    assert (out / "page.txt").read_bytes() == SPAMMY_CLEAN.encode()


def test_write_failure_is_reported_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path / "in")
    import cleannews.io

    real_write = cleannews.io.write_atomic

    def write_atomic(path, data):
        if Path(path).name == "a.txt":
            raise OSError(28, "No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(cleannews.io, "write_atomic", write_atomic)
    out = tmp_path / "out"
    result = invoke(["clean", str(tmp_path / "in"), "-o", str(out), "--filters", "spam"])
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "No space left" in result.stderr
    assert (out / "sub" / "b.txt").is_file() and not (out / "a.txt").exists()


def test_report_file_may_not_overwrite_input_or_output(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_bytes(SPAMMY.encode())
    result = invoke(["clean", str(src), "--report", str(src)])
    assert result.exit_code == 2 and "would overwrite" in result.stderr
    assert src.read_bytes() == SPAMMY.encode()
    out = tmp_path / "out.txt"
    result = invoke(["clean", str(src), "-o", str(out), "--report", str(out)])
    assert result.exit_code == 2 and not out.exists()


def test_summary_on_terminal_stderr_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cleannews.cli._isatty", lambda stream: True)
    result = invoke(["clean", "--filters", "spam"], stdin=SPAMMY.encode())
    assert result.exit_code == 0
    assert "1 document, 1 changed, 2 edits (spam 2), 0 failed" in result.stderr
    assert result.stdout_bytes == SPAMMY_CLEAN.encode()
    quiet = invoke(["clean", "--filters", "spam", "--quiet"], stdin=SPAMMY.encode())
    assert quiet.stderr == ""


def test_colour_report_on_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cleannews.cli._color_for", lambda stream: True)
    result = invoke(["clean", "--filters", "spam", "--report", "-"], stdin=SPAMMY.encode())
    assert "\x1b[" in result.stderr
    assert b"\x1b[" not in result.stdout_bytes


PLUGIN = '''
import re

from cleannews import Edit


class DoubledPunct:
    """Collapse repeated Chinese sentence punctuation left behind by scrapers."""

    name = "doubled-punct"
    description = "Collapse doubled Chinese punctuation."
    _pattern = re.compile(r"([，。！？])\\1+")

    def find(self, text, ctx):
        return [
            Edit(m.start() + 1, m.end(), m.group()[1:], "", self.name, "punct.doubled",
                 f"'{m.group()}' repeats '{m.group(1)}'", 0.9)
            for m in self._pattern.finditer(text)
        ]
'''


def test_plugin_filter_through_entry_point(tmp_path: Path) -> None:
    """The README's worked example: a filter from another distribution's ``cleannews.filters`` entry point."""
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "mypkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "mypkg" / "filters.py").write_text(PLUGIN, encoding="utf-8")
    dist = tmp_path / "mypkg-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mypkg\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[cleannews.filters]\ndoubled-punct = mypkg.filters:DoubledPunct\n", encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path)}
    listed = run_cleannews(["filters"], env=env)
    assert listed.returncode == 0, listed.stderr.decode()
    assert "doubled-punct" in listed.stdout.decode() and "plugin" in listed.stdout.decode()
    args = ["clean", "--filters", "spam,doubled-punct", "--report", "-", "--report-format", "json"]
    proc = run_cleannews(args, stdin="好。。包養網文章".encode(), env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == "好。文章"
    report = json.loads(proc.stderr)
    assert report["filters"] == ["spam", "doubled-punct"]
    assert report["summary"]["counts"] == {"spam": 1, "doubled-punct": 1}


# --- options passed to filters --------------------------------------------------------


def test_fiction_threshold_trades_recall_for_precision() -> None:
    """The seed's two novel passages go at the default bar and stay at an absurdly high one."""
    seed = (Path(__file__).resolve().parents[1] / "seeds" / "000_6bc4e7bd4ee97ca6.txt").read_bytes()

    def fiction_edits(*extra: str) -> int:
        result = invoke(["clean", "--filters", "spam,fiction", "--report", "-", "--report-format", "json",
                         *extra], stdin=seed)
        assert result.exit_code == 0
        (doc,) = json.loads(result.stderr)["documents"]
        return doc["counts"].get("fiction", 0)

    assert fiction_edits() == 2
    assert fiction_edits("--fiction-threshold", "1000") == 0

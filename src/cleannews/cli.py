"""The ``cleannews`` command line.

Only typer and the standard library are imported at start-up: filters, jieba,
OpenCC and models load when a document is actually cleaned, so ``--help`` is
instant.  Reading and writing live in :mod:`cleannews.io`, reports in
:mod:`cleannews.report`; this module only wires them to the pipeline.

Exit codes (also in ``--help`` and the README):

* 0 — success (with ``--check``: nothing would change);
* 1 — ``--check`` only: at least one document would change;
* 2 — an error the user can act on (bad option, unknown filter, missing path,
  folder without matching files, unreadable / binary / undecodable input, unwritable output,
  refusing to overwrite the input).  In a multi-file run the other files are
  still cleaned and written; the exit code still says something failed;
* 130 — interrupted (Ctrl-C); outputs are atomic, so those written are complete.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from cleannews import __version__
from cleannews.io import STDIN, InputError, InputFile, is_within, iter_inputs
from cleannews.readers import DEFAULT_GLOB
from cleannews.report import FORMATS, Document

EXIT_OK = 0
EXIT_CHANGED = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

EXIT_CODES_HELP = (
    "Exit codes: 0 success (--check: nothing would change); 1 --check found changes; "
    "2 error the user can fix (unknown filter, missing path, unreadable/binary/undecodable input, "
    "unwritable output, refusing to overwrite input) - other files of a multi-file run are still cleaned; "
    "130 interrupted (outputs written so far are complete; --resume continues)."
)

app = typer.Typer(
    name="cleannews",
    help="Repair scraped Chinese news: injected spam terms, word spinning and inserted fiction, "
    "with every edit explained.\n\n" + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class UserError(Exception):
    """A problem the user can fix; reported as one line on stderr with exit code 2."""


def _err(message: str) -> None:
    typer.echo(f"cleannews: {message}", err=True)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"cleannews {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", callback=_version_callback,
                           is_eager=True)
    ] = False,
) -> None:
    """Repair scraped Chinese news, explaining every edit."""


@dataclass
class Plan:
    """What a ``clean`` run reads and where each cleaned document goes."""

    inputs: list[InputFile | None]  # None: standard input
    out_file: Path | None = None
    out_dir: Path | None = None
    in_place: bool = False
    check: bool = False
    targets: dict[int, Path] = field(default_factory=dict)


def _stdin_is_piped() -> bool:
    stdin = sys.stdin
    if stdin is None:
        return False
    try:
        return not stdin.isatty()
    except (ValueError, AttributeError):
        return False


def make_plan(paths: Sequence[str], glob: str, output: Path | None, in_place: bool, check: bool) -> Plan:
    """Resolve inputs and outputs, refusing unsafe combinations before anything is read."""
    if not paths:
        if not _stdin_is_piped():
            raise UserError("no input: give files or folders, or pipe text in (use '-' for stdin); "
                            "see 'cleannews clean --help'")
        paths = [STDIN]
    if STDIN in paths and len(paths) > 1:
        raise UserError("'-' (stdin) cannot be combined with other inputs")
    if in_place and output is not None:
        raise UserError("--in-place and -o/--output exclude each other")
    if check and output is not None:
        raise UserError("--check writes nothing; drop -o/--output")
    if paths == [STDIN]:
        if in_place:
            raise UserError("--in-place needs files, not stdin")
        return Plan([None], out_file=output, check=check)
    try:
        inputs: list[InputFile | None] = list(iter_inputs(paths, glob))
    except InputError as exc:
        raise UserError(str(exc)) from None
    single = len(paths) == 1 and not Path(paths[0]).is_dir()
    plan = Plan(inputs, in_place=in_place, check=check)
    if check or in_place:
        return plan
    if single and output is not None and not output.is_dir():
        src = inputs[0]
        assert src is not None
        if output.exists() and output.resolve() == src.path.resolve():
            raise UserError(f"-o {output} is the input file; use --in-place to rewrite it")
        plan.out_file = output
        return plan
    if single and output is None:
        return plan
    if output is None:
        raise UserError("several inputs or a folder need -o DIR (mirrors the input tree) or --in-place")
    if output.exists() and not output.is_dir():
        raise UserError(f"-o {output} is a file; several inputs need a folder")
    for raw in paths:
        if Path(raw).is_dir() and is_within(output, Path(raw)):
            raise UserError(f"-o {output} is inside the input folder {raw}; choose another folder "
                            "or use --in-place")
    plan.out_dir = output
    seen: dict[Path, Path] = {}
    for k, item in enumerate(inputs):
        assert item is not None
        target = output / item.rel
        if target.resolve() in seen:
            raise UserError(f"{item.path} and {seen[target.resolve()]} would both be written to {target}")
        if target.exists() and target.resolve() == item.path.resolve():
            raise UserError(f"refusing to overwrite the input {item.path}; use --in-place")
        seen[target.resolve()] = item.path
        plan.targets[k] = target
    return plan


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (ValueError, AttributeError):
        return False


def _color_for(stream: TextIO) -> bool:
    """Colour only on a terminal, with ``NO_COLOR`` unset and ``TERM`` not ``dumb``."""
    from cleannews.report import wants_color

    return wants_color(stream)


def _parse_filters(spec: str | None) -> list[str] | None:
    if spec is None:
        return None
    names = [n.strip() for n in spec.split(",") if n.strip()]
    if not names:
        raise UserError("--filters needs at least one filter name (see 'cleannews filters')")
    return names


def _build_pipeline(names: list[str] | None, options: dict[str, Any] | None = None):
    from cleannews.pipeline import Pipeline
    from cleannews.registry import UnknownFilterError, create_many

    try:
        return Pipeline(create_many(names), options)
    except UnknownFilterError as exc:
        raise UserError(str(exc.args[0] if exc.args else exc)) from None


def _write_stdout(data: bytes) -> None:
    out = typer.get_binary_stream("stdout")
    try:
        out.write(data)
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        # a full disk or a closed device: one error line, exit 2, and nothing left to flush at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise UserError(f"cannot write to standard output: {exc.strerror or exc}") from None


@app.command(epilog=EXIT_CODES_HELP)
def clean(
    paths: Annotated[
        list[str] | None,
        # described in the command's help: typer would print the argument as "PATH <list[str]>"
        typer.Argument(metavar="PATH", show_default=False, hidden=True),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", metavar="FILE|DIR",
                     help="One input: output file (default: stdout). "
                          "A folder or several inputs: output folder mirroring the input tree.",
                     show_default=False),
    ] = None,
    glob: Annotated[
        str, typer.Option("--glob", metavar="GLOB[,GLOB]", help="Files to take from folders (comma-separated "
                                                                 "patterns).")
    ] = DEFAULT_GLOB,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Rewrite changed files in place (atomically).")
    ] = False,
    filters: Annotated[
        str | None,
        typer.Option("--filters", metavar="NAME,...",
                     help="Comma-separated filters to run (default: the built-in spam, spinning, "
                          "fiction; plugin filters run when named; see 'cleannews filters').",
                     show_default=False),
    ] = None,
    report: Annotated[
        str | None,
        typer.Option("--report", metavar="PATH|-",
                     help="Write a report to PATH, or '-' for stderr (never stdout). "
                          "Default: none; a one-line summary on stderr when it is a terminal.",
                     show_default=False),
    ] = None,
    report_format: Annotated[
        str | None, typer.Option("--report-format", metavar="FORMAT",
                                 help=f"Report format: {', '.join(FORMATS)} (html: a review page, open it in "
                                      "a browser). Default text; needs --report.", show_default=False)
    ] = None,
    pretty: Annotated[
        bool, typer.Option("--pretty", help="Indent the JSON report (compact by default).")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if anything would change (for CI).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary or progress on stderr.")] = False,
    fiction_threshold: Annotated[
        float | None,
        typer.Option("--fiction-threshold", metavar="LOG-ODDS",
                     help="Evidence (log-odds) a passage needs to be removed as fiction: higher removes "
                          "less (precision), lower catches shorter passages (recall). Default 6.0.",
                     show_default=False),
    ] = None,
    input_format: Annotated[
        str, typer.Option("--input-format", metavar="FORMAT",
                          help="auto (by file name: .jsonl, .jsonl.gz, .ndjson → JSONL; stdin → text), "
                               "text (one file, one document) or jsonl (one line, one document).")
    ] = "auto",
    text_key: Annotated[
        str, typer.Option("--text-key", metavar="KEY", help="JSONL: the field holding the text to clean.")
    ] = "text",
    id_key: Annotated[
        str, typer.Option("--id-key", metavar="KEY", help="JSONL: the field holding the document id.")
    ] = "id",
    edits: Annotated[
        bool, typer.Option("--edits", help="JSONL output: write every edit beside the per-document summary.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", metavar="N", min=1,
                     help="Worker processes (default: all cores). Output is identical for any N.",
                     show_default=False),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip inputs whose output already exists (outputs are written "
                                            "atomically, so an existing one is complete).")
    ] = False,
) -> None:
    """Clean files, folders, JSONL shards or stdin; cleaned text goes to stdout or -o, reports to stderr
    or --report.

    PATH: files, folders (searched recursively) or '-' for stdin; no PATH: read piped stdin.
    """
    options = {} if fiction_threshold is None else {"fiction_threshold": fiction_threshold}
    if fiction_threshold is not None and not math.isfinite(fiction_threshold):
        _err(f"error: --fiction-threshold must be a finite number, not {fiction_threshold}")
        raise typer.Exit(EXIT_ERROR)
    if report_format is not None and report is None:
        _err("error: --report-format needs --report PATH (or --report - for stderr)")
        raise typer.Exit(EXIT_ERROR)
    settings = RunSettings(input_format=input_format, text_key=text_key, id_key=id_key, edits=edits,
                           jobs=jobs, resume=resume)
    try:
        code = run_clean(paths or [], output, glob, in_place, filters, report, report_format or "text",
                         check, quiet,
                         options, settings, pretty=pretty)
    except UserError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        # outputs are atomic: what was committed is complete, the rest was never renamed into place
        _remove_unfinished_outputs()
        _err("interrupted (outputs written so far are complete; --resume continues)")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    raise typer.Exit(code)


@dataclass(frozen=True)
class RunSettings:
    """The corpus options of ``clean``: input format, JSONL keys, jobs, resume."""

    input_format: str = "auto"
    text_key: str = "text"
    id_key: str = "id"
    edits: bool = False
    jobs: int | None = None  # None: all cores
    resume: bool = False


def run_clean(
    paths: Sequence[str],
    output: Path | None,
    glob: str,
    in_place: bool,
    filters: str | None,
    report: str | None,
    report_format: str,
    check: bool,
    quiet: bool,
    options: dict[str, Any] | None = None,
    settings: RunSettings | None = None,
    *,
    pretty: bool = False,
) -> int:
    """The ``clean`` command without the argument parsing; returns the exit code."""
    from cleannews.readers import FORMATS as INPUT_FORMATS
    from cleannews.runner import PipelineSpec, Runner, Tally, default_jobs

    settings = settings or RunSettings()
    if report_format not in FORMATS:
        raise UserError(f"unknown report format '{report_format}' (known: {', '.join(FORMATS)})")
    if settings.input_format not in INPUT_FORMATS:
        raise UserError(f"unknown input format '{settings.input_format}' (known: {', '.join(INPUT_FORMATS)})")
    names = _parse_filters(filters)
    plan = make_plan(paths, glob, output, in_place, check)
    if settings.resume and (check or plan.in_place or (plan.out_file is None and plan.out_dir is None)):
        raise UserError("--resume needs -o FILE|DIR (it skips outputs that already exist)")
    _check_report_path(report, plan)
    spec = PipelineSpec.of(names, options)
    _build_pipeline(names, options)  # unknown filters and options stop the run before anything is read
    runner = Runner(spec, settings.jobs or default_jobs())
    run = CleanRun(plan, settings, keep_docs=report is not None)
    tally = Tally()
    stderr = typer.get_text_stream("stderr")
    if not quiet and _isatty(stderr):
        from cleannews.progress import RunDisplay

        run.display = RunDisplay(stderr, run.total_bytes)
    try:
        with contextlib.closing(runner.run(run.documents(tally))) as outcomes:
            run.consume(outcomes, tally)
    finally:
        if run.display is not None:
            run.display.close()
    _emit_report(run.docs, tally, report, report_format, quiet, runner.pipeline.names, run.skipped,
                 pretty)
    if check and not quiet:
        for label, n in run.would_change:
            _err(f"would change {label} ({n} edits)")
    if tally.failed:
        return EXIT_ERROR
    if check and tally.changed:
        return EXIT_CHANGED
    return EXIT_OK


class CleanRun:
    """The reading and writing side of one ``clean`` run (cleaning is the runner's).

    Inputs are read in order and their documents streamed to the runner; outcomes come
    back in the same order and go to one :class:`~cleannews.writers.Sink` per input,
    committed after the input's last document (so an interrupted run leaves complete
    files only).  Results are kept only when a report needs them.
    """

    def __init__(self, plan: Plan, settings: RunSettings, keep_docs: bool) -> None:
        from cleannews.readers import Input, format_of

        self.plan = plan
        self.settings = settings
        self.keep_docs = keep_docs
        self.docs: list[Document] = []
        self.would_change: list[tuple[str, int]] = []
        self.inputs: list[Input] = []
        for item in plan.inputs:
            path = None if item is None else item.path
            rel = Path(STDIN) if item is None else item.rel
            self.inputs.append(Input(path, rel, format_of(path, settings.input_format)))
        self._index = {id(inp): k for k, inp in enumerate(self.inputs)}
        self.skip = [settings.resume and (t := self.target(k)) is not None and t.exists()
                     for k in range(len(self.inputs))]
        self.skipped = sum(self.skip)
        sizes = [0 if skip else _size(inp.path) for inp, skip in zip(self.inputs, self.skip, strict=True)]
        #: bytes of the inputs before input k (for progress: finished inputs + position in the current one)
        self._before = list(itertools.accumulate([0, *sizes[:-1]]))
        self.total_bytes: int | None = None if any(i.path is None for i in self.inputs) else sum(sizes)
        self.display = None  # a progress.RunDisplay on a terminal

    def target(self, k: int) -> Path | None:
        """Where input ``k`` is written (``None``: standard output)."""
        if self.plan.in_place:
            return self.inputs[k].path
        if self.plan.out_dir is not None:
            return self.plan.targets[k]
        return self.plan.out_file

    def documents(self, tally):
        """Every input's documents in order; an input that cannot be read becomes one failed record."""
        from cleannews.readers import Failed, Source, read_docs

        for k, inp in enumerate(self.inputs):
            if self.skip[k]:
                continue
            try:
                yield from read_docs(inp, self.settings.text_key, self.settings.id_key)
            except InputError as exc:
                yield Failed(inp.label, exc.message, source=_WholeInput(Source(inp)))

    def _sink(self, k: int):
        from cleannews.writers import JsonlSink, TextSink

        inp = self.inputs[k]
        target = self.target(k)
        if inp.format == "jsonl":
            gz = inp.gzipped if self.plan.out_dir is not None or self.plan.in_place else None
            return JsonlSink(target, _write_stdout, text_key=self.settings.text_key,
                             edits=self.settings.edits, gz=gz, only_if_changed=self.plan.in_place)
        return TextSink(target, _write_stdout, in_place=self.plan.in_place)

    def consume(self, outcomes, tally) -> None:
        """Write every outcome to its input's sink; count it; keep it for the report if asked."""
        from cleannews.runner import Outcome

        current = -1
        sink = None
        failed_input = False
        try:
            for outcome in outcomes:
                source = outcome.doc.source
                whole = isinstance(source, _WholeInput)
                k = self._index[id(source.source.input if whole else source.input)]
                if k != current:
                    self._close(sink, current, failed_input, tally)
                    self._empty_between(current, k, tally)
                    current, sink, failed_input = k, None, False
                    if not self.plan.check and not whole:
                        sink = self._sink(k)
                label = str(outcome.doc.id)
                if whole:
                    failed_input = True
                    if sink is not None:
                        sink.abort()
                        sink = None
                    self._say(f"error: {label}: {outcome.error}")
                    tally.fail(label, outcome.error or "")
                    self._keep(Document(label, error=outcome.error))
                    continue
                if sink is not None and not failed_input:
                    try:
                        sink.write(outcome)
                    except OSError as exc:
                        message = f"cannot write {self.target(k)}: {exc.strerror or exc}"
                        outcome = Outcome(outcome.doc, error=message)
                        failed_input = True
                        sink.abort()
                        sink = None
                tally.add(outcome)
                if outcome.error is not None:
                    self._say(f"error: {label}: {outcome.error}")
                self._record(outcome, label, k)
                if self.display is not None:
                    self.display.update(tally, self._before[k] + source.pos)
            self._close(sink, current, failed_input, tally)
            sink = None
            self._empty_between(current, len(self.inputs), tally)
        except BaseException:
            if sink is not None:
                sink.abort()
            raise

    def _close(self, sink, k: int, failed: bool, tally) -> None:
        if sink is None:
            return
        if failed:
            sink.abort()
            return
        try:
            sink.commit()
        except OSError as exc:
            self._write_failed(k, exc, tally)

    def _write_failed(self, k: int, exc: OSError, tally) -> None:
        label = self.inputs[k].label
        message = f"cannot write {self.target(k)}: {exc.strerror or exc}"
        self._say(f"error: {label}: {message}")
        tally.fail(label, message)

    def _say(self, message: str) -> None:
        """An error line on stderr (above the progress bar when one is shown)."""
        if self.display is not None:
            self.display.console.print(f"cleannews: {message}", markup=False, highlight=False)
        else:
            _err(message)

    def _empty_between(self, done: int, nxt: int, tally) -> None:
        """Inputs after ``done`` and before ``nxt`` gave no documents (empty shards): write them empty."""
        for j in range(done + 1, nxt):
            if self.plan.check or self.skip[j]:
                continue
            if not self.plan.in_place:
                self._close(self._sink(j), j, False, tally)

    def _record(self, outcome, label: str, k: int) -> None:
        doc = outcome.doc
        result = outcome.result
        if self.plan.check and result is not None and result.changed:
            self.would_change.append((label, len(result.steps())))
        if not self.keep_docs:
            return
        if outcome.error is not None:
            self._keep(Document(label, error=outcome.error))
            return
        target = self.target(k)
        meta = doc.metadata if self.inputs[k].format == "text" else {}
        self._keep(Document(label, result, meta.get("encoding", "utf-8"), bool(meta.get("bom")),
                            None if target is None or self.plan.check else str(target)))

    def _keep(self, doc: Document) -> None:
        if self.keep_docs:
            self.docs.append(doc)


def _size(path: Path | None) -> int:
    try:
        return 0 if path is None else path.stat().st_size
    except OSError:
        return 0


@dataclass(frozen=True)
class _WholeInput:
    """Marks a failed record that stands for a whole input (it could not be read)."""

    source: Any


def _check_report_path(report: str | None, plan: Plan) -> None:
    """Refuse a report file that would overwrite an input or a cleaned output."""
    if report is None or report == STDIN:
        return
    where = Path(report).resolve()
    taken = [i.path for i in plan.inputs if i is not None] + list(plan.targets.values())
    if plan.out_file is not None:
        taken.append(plan.out_file)
    for path in taken:
        if path.resolve() == where:
            raise UserError(f"--report {report} would overwrite {path}; choose another report file")
    if not Path(report).parent.is_dir():
        raise UserError(f"--report {report}: the folder {Path(report).parent} does not exist")
    if Path(report).is_dir():
        raise UserError(f"--report {report} is a folder; give a file name or '-' for stderr")


def _emit_report(docs: list[Document], tally, report: str | None, fmt: str, quiet: bool,
                 names: list[str], skipped: int = 0, pretty: bool = False) -> None:
    from cleannews.report import render

    stderr = typer.get_text_stream("stderr")
    if not quiet and _isatty(stderr) and report != STDIN:
        if tally.documents > 1 or tally.failed or skipped:
            from cleannews.progress import print_summary

            print_summary(stderr, tally, skipped)
        elif report is None:
            _err(_summary_line(tally))
    if report is None:
        return
    if report == STDIN:
        stderr = typer.get_text_stream("stderr")
        render(fmt, docs, stderr, color=_color_for(stderr), filters=names, pretty=pretty)
        stderr.flush()
        return
    path = Path(report)
    try:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            render(fmt, docs, fh, color=False, filters=names, pretty=pretty)
    except OSError as exc:
        raise UserError(f"cannot write report {report}: {exc.strerror or exc}") from None


def _summary_line(tally) -> str:
    """One line for a terminal: ``3 documents, 1 changed, 27 edits (spam 27), 0 failed``."""
    per_filter = ", ".join(f"{k} {v}" for k, v in tally.counts.items())
    n_edits = sum(tally.counts.values())
    edits = f"{n_edits} edits" + (f" ({per_filter})" if per_filter else "")
    noun = "document" if tally.documents == 1 else "documents"
    return f"{tally.documents} {noun}, {tally.changed} changed, {edits}, {tally.failed} failed"


@app.command("filters")
def list_filters() -> None:
    """List the available filters (built-in and plugins) with their descriptions."""
    from cleannews.registry import describe

    for name, description, origin in describe():
        typer.echo(f"{name:<12} {description} [{origin}]")


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def bench(ctx: typer.Context) -> None:
    """Run the benchmark harness (arguments are passed on; 'cleannews bench --help' for its options)."""
    from importlib import import_module

    try:
        bench_cli = import_module("cleannews.bench.cli")
    except ModuleNotFoundError as exc:
        if exc.name in ("cleannews.bench", "cleannews.bench.cli"):
            _err("error: the benchmark harness (cleannews.bench.cli) is not available in this installation")
        else:
            _err(f"error: the benchmark harness needs a module that is not installed: {exc.name}")
        raise typer.Exit(EXIT_ERROR) from None
    command = typer.main.get_command(bench_cli.app)
    command.main(args=list(ctx.args), prog_name="cleannews bench", standalone_mode=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        app(args=None if argv is None else list(argv), prog_name="cleannews")
    except BrokenPipeError:
        # the reader went away (``cleannews clean big.txt | head``): stop quietly, like other filters
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except KeyboardInterrupt:
        _remove_unfinished_outputs()
        _err("interrupted")
        sys.exit(EXIT_INTERRUPTED)


def _remove_unfinished_outputs() -> None:
    """After Ctrl-C: delete temporary files of outputs that were never completed."""
    if "cleannews.io" in sys.modules:  # nothing was written if the module never loaded
        sys.modules["cleannews.io"].remove_unfinished_outputs()


if __name__ == "__main__":  # pragma: no cover
    main()

"""Reading and writing documents, kept apart from cleaning.

The data flow is read → filters → edits → write: this module does the first and
the last step and nothing else, so the pipeline stays pure and other sources
(JSONL corpora, a process pool handing out documents) can be added beside it.

Decisions that matter for "do no harm":

* Bytes are decoded without newline translation, so ``\\r\\n``, lone ``\\r`` and a
  missing newline at the end of the file survive exactly; clean UTF-8 input comes
  out byte-identical.
* Encodings are detected, never guessed silently: a BOM (UTF-8, UTF-16, UTF-32)
  decides; otherwise strict UTF-8; otherwise GB18030 or Big5, whichever decodes
  to the more plausible Chinese.  Anything else (NUL bytes, bytes no candidate
  decodes) is an :class:`InputError` for that file.
* Output is always UTF-8.  A UTF-8 BOM is kept (the file was UTF-8 already, so it
  stays byte-identical); the BOM of a UTF-16/32 file is dropped with the rest of
  that encoding.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

STDIN = "-"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
#: legacy Chinese encodings tried, in order of preference on a tie.
LEGACY_ENCODINGS: tuple[str, ...] = ("gb18030", "big5")
_UTF8_BOM = b"\xef\xbb\xbf"


class InputError(Exception):
    """An input that cannot be read as text; the message says what to do about it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A document as read: its text plus what is needed to write it back faithfully."""

    text: str
    encoding: str
    bom: bool
    path: str = STDIN
    size: int = 0

    def encode(self, text: str) -> bytes:
        """Bytes to write for ``text`` (the cleaned version of this document): UTF-8.

        A UTF-8 BOM is written back; other encodings become plain UTF-8.
        """
        data = text.encode("utf-8")
        return _UTF8_BOM + data if self.encoding == "utf-8-sig" else data


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to clean and where it sits relative to the root it came from."""

    path: Path
    rel: Path


def decode_bytes(data: bytes, path: str = STDIN) -> DecodedText:
    """Decode ``data`` following the rules in the module docstring."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise InputError(path, f"starts with a {encoding} BOM but is not valid {encoding} "
                                       f"(byte {exc.start + len(bom)})") from None
            return DecodedText(text, encoding, True, path, len(data))
    if b"\x00" in data:
        raise InputError(path, "looks binary (contains NUL bytes); only text files can be cleaned "
                               "(UTF-16/32 text needs a BOM)")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", False, path, len(data))
    except UnicodeDecodeError as exc:
        utf8_error = exc
    candidates = []
    for encoding in LEGACY_ENCODINGS:
        try:
            candidates.append((encoding, data.decode(encoding)))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise InputError(
            path,
            f"cannot be decoded (not UTF-8: invalid byte at offset {utf8_error.start}; "
            f"not {' or '.join(e.upper() for e in LEGACY_ENCODINGS)} either); convert it to UTF-8 first",
        )
    if len(candidates) == 1:
        encoding, text = candidates[0]
    else:
        encoding, text = max(candidates, key=lambda c: (plausibility(c[1]), -LEGACY_ENCODINGS.index(c[0])))
    return DecodedText(text, encoding, False, path, len(data))


def plausibility(text: str) -> float:
    """Mean log frequency of the non-ASCII characters of ``text`` (higher: more like real Chinese).

    A Big5 file decoded as GB18030 (or the reverse) yields rare characters, so the
    right decoding scores clearly higher.  Character frequencies are summed over the
    words of jieba's dictionary (compared in the Simplified view), loaded only when
    both legacy encodings decode a file.
    """
    from cleannews.script import to_simplified

    freq = _char_freq()
    chars = [c for c in to_simplified(text) if ord(c) > 0x7F and not c.isspace()]
    if not chars:
        return 0.0
    return sum(math.log1p(freq.get(c, 0)) for c in chars) / len(chars)


@cache
def _char_freq() -> dict[str, int]:
    """How often each character occurs, summed over jieba's dictionary words and their frequencies."""
    from cleannews.resources import word_freq

    out: dict[str, int] = {}
    for word, count in word_freq().items():
        if count:
            for ch in word:
                out[ch] = out.get(ch, 0) + count
    return out


def read_text(path: str | Path) -> DecodedText:
    """Read and decode one file (``-`` reads standard input)."""
    label = str(path)
    if label == STDIN:
        return read_stream(_stdin_buffer(), STDIN)
    p = Path(path)
    if p.is_dir():
        raise InputError(label, "is a folder, expected a file")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(label, "no such file") from None
    except PermissionError:
        raise InputError(label, "permission denied (cannot read it)") from None
    except OSError as exc:
        raise InputError(label, f"cannot be read ({exc.strerror or exc})") from None
    return decode_bytes(data, label)


def read_stream(stream: BinaryIO, label: str = STDIN) -> DecodedText:
    """Read and decode a binary stream."""
    return decode_bytes(stream.read(), label)


def _stdin_buffer() -> BinaryIO:
    stdin = sys.stdin
    if stdin is None:
        raise InputError(STDIN, "standard input is closed")
    return getattr(stdin, "buffer", stdin)


def iter_inputs(paths: Sequence[str | Path], glob: str = "*.txt") -> Iterator[InputFile]:
    """The files named by ``paths``: files as given, folders searched recursively for ``glob``.

    ``glob`` may name several patterns separated by commas (``*.txt,*.jsonl.gz``).
    ``rel`` is where the file goes under an output folder: relative to the folder
    when a single folder is given; under the folder's own name when several inputs
    are given (so two folders cannot collide); a file given by name keeps its name.
    Raises :class:`InputError` for a missing path or a folder without matches, so
    a typo stops the run before anything is written.
    """
    patterns = [g.strip() for g in glob.split(",") if g.strip()] or ["*"]
    for g in patterns:
        # a pattern is matched inside each folder: an absolute one, or one climbing out with '..',
        # would read (and mirror into -o) files outside the folders given
        if g.startswith(("/", "\\")) or Path(g).is_absolute() or ".." in Path(g).parts:
            raise InputError(glob, f"--glob '{g}' must stay inside the folders given "
                                   "(no absolute path, no '..')")
    single_root = len(paths) == 1
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted({f for g in patterns for f in p.rglob(g) if f.is_file()})
            if not found:
                raise InputError(str(raw), f"folder has no files matching '{glob}' (use --glob to change)")
            prefix = Path() if single_root else Path(p.resolve().name)
            for f in found:
                yield InputFile(f, prefix / f.relative_to(p))
        elif p.exists():
            yield InputFile(p, Path(p.name))
        else:
            raise InputError(str(raw), "no such file or folder")


def is_within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it (after resolving links)."""
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (``str`` is UTF-8 encoded) so that readers see the old or the new file, never half."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_writer(path) as fh:
        fh.write(payload)


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` complete or not at all.

    The bytes go to a temporary file in the same folder (same file system, so the
    rename is atomic), are flushed to disk and renamed over ``path`` with
    :func:`os.replace` when the ``with`` block ends normally; an existing file keeps
    its permission bits.  On any exception (Ctrl-C included) the temporary file is
    removed and ``path`` is left as it was, so an interrupted run leaves no partial
    output and ``--resume`` can trust every file it finds.  A symbolic link is followed (the
    file it points to is replaced, the link kept); a device or named pipe is written in place.
    """
    target = Path(path)
    if target.is_symlink():  # write the file the link points to; the link itself stays
        target = target.resolve()
    if target.exists() and not target.is_file() and not target.is_dir():
        # a device, FIFO or socket (-o /dev/null, a named pipe): renaming over it would replace it
        # with a regular file, so it is written straight through; atomicity means nothing there
        with open(target, "wb") as fh:
            yield fh
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with _interrupts_deferred():  # a Ctrl-C cannot fall between creating and registering the file
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        _PENDING.add(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
        _PENDING.discard(tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _PENDING.discard(tmp)
        raise


# Temporary files of atomic writes still open in this process.  A writer whose ``with`` block
# is never left (a Ctrl-C between two documents of a shard, the process then exiting) would
# otherwise leave its ``.tmp`` behind; the command's interrupt handler removes them all.
_PENDING: set[str] = set()


def remove_unfinished_outputs() -> None:
    """Delete the temporary files of atomic writes that never completed (after Ctrl-C)."""
    for tmp in list(_PENDING):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _PENDING.discard(tmp)


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold SIGINT back for a few statements (main thread only; elsewhere a no-op)."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except (AttributeError, ValueError, OSError):  # not POSIX, or not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

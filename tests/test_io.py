"""Reading and writing: encodings, BOMs, line endings, errors, input discovery, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleannews.io import InputError, decode_bytes, is_within, iter_inputs, read_text, write_atomic

TRAD = "內蒙古自治區工會第一次代表大會召開,開啟內蒙古工人運動的新篇章。\n"
SIMP = "内蒙古自治区工会第一次代表大会召开,开启内蒙古工人运动的新篇章。\n"


def test_utf8_round_trip_is_byte_identical() -> None:
    data = "第一行\r\n第二行\r第三行\n最後一行沒有換行".encode()
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8" and not decoded.bom
    assert decoded.text == data.decode("utf-8")  # no newline translation
    assert decoded.encode(decoded.text) == data


def test_utf8_bom_is_stripped_from_text_and_written_back() -> None:
    data = b"\xef\xbb\xbf" + TRAD.encode()
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8-sig" and decoded.bom
    assert decoded.text == TRAD
    assert decoded.encode(decoded.text) == data


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(encoding: str) -> None:
    data = TRAD.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    decoded = decode_bytes(data)
    assert decoded.text == TRAD and decoded.bom
    assert decoded.encode(decoded.text) == TRAD.encode("utf-8")  # output is UTF-8 without BOM


@pytest.mark.parametrize(("text", "encoding"), [(SIMP, "gb18030"), (TRAD, "big5"), (TRAD, "gb18030"),
                                                ("你好", "gb18030"), ("中文", "big5")])
def test_legacy_chinese_encodings_are_detected(text: str, encoding: str) -> None:
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    assert decoded.encoding == encoding
    assert decoded.encode(decoded.text) == text.encode("utf-8")


def test_binary_and_undecodable_input_are_errors() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"abc\x00def", "x.bin")
    with pytest.raises(InputError, match="cannot be decoded") as info:
        decode_bytes("café au lait".encode("latin-1"), "x.txt")
    assert info.value.path == "x.txt"
    with pytest.raises(InputError, match="BOM"):
        decode_bytes(b"\xef\xbb\xbf\xff\xfe\xfd")


def test_read_text_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="folder"):
        read_text(tmp_path)
    locked = tmp_path / "locked.txt"
    locked.write_text("x", encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read mode-000 files")
        with pytest.raises(InputError, match="permission"):
            read_text(locked)
    finally:
        locked.chmod(0o644)


def test_iter_inputs_single_folder_several_inputs_and_errors(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "a" / "b").mkdir(parents=True)
    for rel in ("x.txt", "a/y.txt", "a/b/z.txt", "a/skip.md"):
        (root / rel).write_text("t", encoding="utf-8")
    single = list(iter_inputs([root]))
    assert [str(i.rel) for i in single] == ["a/b/z.txt", "a/y.txt", "x.txt"]
    assert [str(i.rel) for i in iter_inputs([root], "*.md")] == ["a/skip.md"]
    extra = tmp_path / "extra.txt"
    extra.write_text("t", encoding="utf-8")
    several = list(iter_inputs([root, extra]))
    assert [str(i.rel) for i in several] == [
        "corpus/a/b/z.txt", "corpus/a/y.txt", "corpus/x.txt", "extra.txt"]
    with pytest.raises(InputError, match="no files matching"):
        list(iter_inputs([root], "*.csv"))
    with pytest.raises(InputError, match="no such file"):
        list(iter_inputs([tmp_path / "nope"]))


def test_write_atomic_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    write_atomic(target, "第一版\n")
    assert target.read_bytes() == "第一版\n".encode()
    target.chmod(0o640)
    write_atomic(target, b"second\r\n")
    assert target.read_bytes() == b"second\r\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]  # no temp file left behind


def test_is_within(tmp_path: Path) -> None:
    assert is_within(tmp_path / "a" / "b", tmp_path)
    assert is_within(tmp_path, tmp_path)
    assert not is_within(tmp_path.parent, tmp_path)


def test_unfinished_atomic_writes_are_removed_after_an_interrupt(tmp_path: Path) -> None:
    """A shard left open by Ctrl-C (its ``with`` never exited) leaves no ``.tmp`` once cleaned up."""
    from cleannews import io as cn_io

    target = tmp_path / "shard.jsonl"
    writer = cn_io.atomic_writer(target)
    fh = writer.__enter__()
    fh.write(b"half a shard")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    cn_io.remove_unfinished_outputs()
    assert list(tmp_path.iterdir()) == []
    fh.close()


def test_finished_atomic_writes_are_not_pending(tmp_path: Path) -> None:
    from cleannews import io as cn_io

    with cn_io.atomic_writer(tmp_path / "done.txt") as fh:
        fh.write(b"ok")
    cn_io.remove_unfinished_outputs()
    assert (tmp_path / "done.txt").read_bytes() == b"ok"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_output_to_a_named_pipe_is_written_through_not_replaced(tmp_path: Path) -> None:
    """``-o`` naming a FIFO or device (``/dev/null``) must not rename a regular file over it."""
    import threading

    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "內容\n")
    reader.join(timeout=10)
    assert received == ["內容\n".encode()]
    assert fifo.is_fifo()


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"

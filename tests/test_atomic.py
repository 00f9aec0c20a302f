"""Writing with :mod:`timeline.atomic`: several outputs all or nothing, what
a commit checks and puts back, long names, links in shared folders, owners
and modes, hard links, named pipes, full disks, one file given twice
(issue 13).

The tests run as root (the owners they give files need it), and on Linux
(``O_TMPFILE``, ``/dev/full``, the inode flags of ``chattr``).
"""

from __future__ import annotations

import errno
import fcntl
import io
import os
import re
import select
import signal
import stat
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import chdir, contextmanager
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline import atomic, cli, files
from timeline.atomic import AtomicOutputs

OTHER = 12345
"""A user and group that own nothing here."""

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0,
    reason="these tests give files to other users and use Linux's O_TMPFILE and inode flags",
)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@contextmanager
def failing_replace(
    name: str, error: int = errno.EBUSY, calls: list[str] | None = None
) -> Iterator[None]:
    """``os.replace`` fails with ``error`` for a target called ``name``."""
    original = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        if calls is not None:
            calls.append(os.path.basename(dst))
        if os.path.basename(dst) == name:
            raise OSError(error, os.strerror(error), dst)
        original(src, dst, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", replace)
        yield


def write_both(targets: list[Path | str], texts: list[str]) -> None:
    with AtomicOutputs(targets) as streams:
        for stream, text in zip(streams, texts, strict=True):
            stream.write(text)


# -- all or nothing -----------------------------------------------------------------------


@pytest.mark.parametrize("first_exists", [True, False], ids=["replaced", "created"])
def test_a_rename_that_fails_puts_back_the_files_already_replaced(tmp_path, first_exists):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    if first_exists:
        a.write_text("old a\n", encoding="utf-8")
    b.write_text("old b\n", encoding="utf-8")
    calls: list[str] = []
    with failing_replace("b.json", calls=calls), pytest.raises(timeline.TimelineError) as info:
        write_both([a, b], ["new a\n", "new b\n"])
    assert (
        str(info.value) == f"{b}: cannot replace it: Device or resource busy; no file was changed"
    )
    if first_exists:  # a.json was replaced, then put back from the link kept to it
        assert calls == ["a.json", "b.json", "a.json"]
        assert a.read_text(encoding="utf-8") == "old a\n"
        assert listing(tmp_path) == ["a.json", "b.json"]
    else:  # a.json was created, then removed
        assert calls == ["a.json", "b.json"]
        assert listing(tmp_path) == ["b.json"]
    assert b.read_text(encoding="utf-8") == "old b\n"


def test_an_interruption_between_the_renames_puts_back_the_files_already_replaced(tmp_path):
    """The renames run with the signals held, in this thread only: a signal
    that reaches another thread still raises here. It undoes the renames."""
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for path in (a, b):
        path.write_text(f"old {path.name}\n", encoding="utf-8")
    original = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        if dst == "b.json":
            raise KeyboardInterrupt
        original(src, dst, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            write_both([a, b], ["new a\n", "new b\n"])
    assert a.read_text(encoding="utf-8") == "old a.json\n"
    assert b.read_text(encoding="utf-8") == "old b.json\n"
    assert listing(tmp_path) == ["a.json", "b.json"]  # no temporary file, no link left


def test_a_file_that_appears_while_the_export_runs_is_not_taken_for_none(tmp_path):
    """The target did not exist when the export began; someone made it since,
    and a later rename fails: their file is put back, not deleted."""
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    b.write_text("old b\n", encoding="utf-8")

    def export() -> None:
        with AtomicOutputs([a, b]) as (out_a, out_b):
            out_a.write("new a\n")
            out_b.write("new b\n")
            a.write_text("someone else's\n", encoding="utf-8")

    with failing_replace("b.json"), pytest.raises(timeline.TimelineError):
        export()
    assert a.read_text(encoding="utf-8") == "someone else's\n"
    assert b.read_text(encoding="utf-8") == "old b\n"


def test_a_rename_that_fails_on_the_command_line(tmp_path, capsys):
    for name in ("a.json", "b.md"):
        (tmp_path / name).write_text(f"old {name}\n", encoding="utf-8")
    with chdir(tmp_path), failing_replace("b.md", errno.EPERM):
        assert cli.main(["export", "example:sco", "-o", "a.json", "-o", "b.md"]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (
        "", "error: b.md: cannot replace it: Operation not permitted; no file was changed\n"
    )  # fmt: skip
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "old a.json\n"
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "old b.md\n"
    assert listing(tmp_path) == ["a.json", "b.md"]


def test_a_target_that_became_a_folder_is_found_before_any_file_is_replaced(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text("old a\n", encoding="utf-8")
    b.write_text("old b\n", encoding="utf-8")
    calls: list[str] = []
    outputs = AtomicOutputs([a, b])
    for stream in outputs.open():
        stream.write("new\n")
    b.unlink()
    b.mkdir()
    (b / "inside").write_text("", encoding="utf-8")
    with failing_replace("nothing", calls=calls), pytest.raises(timeline.TimelineError) as info:
        outputs.commit()
    assert str(info.value) == f"{b}: cannot be replaced: it is a folder now; no file was changed"
    assert calls == []  # checked before the first rename
    assert a.read_text(encoding="utf-8") == "old a\n"
    assert listing(tmp_path) == ["a.json", "b.json"]
    assert listing(b) == ["inside"]


FS_IOC_GETFLAGS = (2 << 30) | (struct.calcsize("l") << 16) | (ord("f") << 8) | 1
FS_IOC_SETFLAGS = (1 << 30) | (struct.calcsize("l") << 16) | (ord("f") << 8) | 2


@contextmanager
def inode_flag(path: Path, flag: int) -> Iterator[None]:
    """``chattr +i`` (0x10) or ``+a`` (0x20) on ``path`` for the block."""

    def set_flags(change: Callable[[int], int]) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            buffer = bytearray(8)
            fcntl.ioctl(fd, FS_IOC_GETFLAGS, buffer, True)
            flags = change(int.from_bytes(buffer[:4], sys.byteorder))
            fcntl.ioctl(fd, FS_IOC_SETFLAGS, flags.to_bytes(4, sys.byteorder) + bytes(4))
        finally:
            os.close(fd)

    set_flags(lambda flags: flags | flag)
    try:
        yield
    finally:
        set_flags(lambda flags: flags & ~flag)


@pytest.mark.parametrize(
    ("flag", "reason"),
    [(0x10, "it is immutable (chattr +i)"), (0x20, "it is append-only (chattr +a)")],
)
def test_an_immutable_target_is_refused_before_any_file_is_replaced(tmp_path, flag, reason):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text("old a\n", encoding="utf-8")
    b.write_text("old b\n", encoding="utf-8")
    calls: list[str] = []
    with inode_flag(b, flag):
        with failing_replace("nothing", calls=calls), pytest.raises(timeline.TimelineError) as info:
            write_both([a, b], ["new a\n", "new b\n"])
        # Without the check, the rename would fail after a.json was replaced.
        with pytest.raises(PermissionError):
            os.replace(a, b)
    assert str(info.value) == f"{b}: cannot be replaced: {reason}; no file was changed"
    assert calls == []
    assert a.read_text(encoding="utf-8") == "old a\n"
    assert b.read_text(encoding="utf-8") == "old b\n"
    assert listing(tmp_path) == ["a.json", "b.json"]


def test_a_failed_export_sends_nothing_to_a_stream_and_a_committed_one_sends_it_after_the_files(
    tmp_path,
):
    target = tmp_path / "a.json"
    stream = io.StringIO()
    outputs = AtomicOutputs([stream, target], names=["the stream", "a.json"])
    to_stream, to_file = outputs.open()
    to_stream.write("for the stream\n")
    to_file.write("for the file\n")
    assert stream.getvalue() == ""  # it waits for the files
    outputs.commit()
    assert stream.getvalue() == "for the stream\n"
    assert target.read_text(encoding="utf-8") == "for the file\n"

    stream = io.StringIO()
    outputs = AtomicOutputs([stream, target])
    to_stream, to_file = outputs.open()
    to_stream.write("for the stream\n")
    to_file.write("the new file\n")
    outputs.discard()  # as the with block does when the exporter fails
    assert stream.getvalue() == ""
    assert target.read_text(encoding="utf-8") == "for the file\n"
    assert listing(tmp_path) == ["a.json"]


def test_with_no_file_a_stream_is_written_as_it_goes():
    stream = io.StringIO()
    with AtomicOutputs([stream]) as (out,):
        assert out is stream
        out.write("at once\n")
        assert stream.getvalue() == "at once\n"


def test_ctrl_c_during_the_renames_waits_for_them(tmp_path):
    """The signal comes between the first rename and the second: both are
    done, and the KeyboardInterrupt comes after them."""
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for path in (a, b):
        path.write_text("old\n", encoding="utf-8")
    original = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        original(src, dst, **kwargs)
        if dst == "a.json":
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            write_both([a, b], ["new a\n", "new b\n"])
    assert a.read_text(encoding="utf-8") == "new a\n"
    assert b.read_text(encoding="utf-8") == "new b\n"
    assert listing(tmp_path) == ["a.json", "b.json"]  # no link to the old files left


# -- the temporary file ---------------------------------------------------------------------


def test_on_linux_the_temporary_file_has_no_name_while_it_is_written(tmp_path):
    target = tmp_path / "a.json"
    target.write_text("old\n", encoding="utf-8")
    with AtomicOutputs([target]) as (out,):
        out.write("new\n" * 10_000)
        out.flush()
        assert listing(tmp_path) == ["a.json"]
    assert target.read_text(encoding="utf-8") == "new\n" * 10_000


def test_without_o_tmpfile_it_is_a_hidden_file_removed_on_error(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_O_TMPFILE", 0)
    target = tmp_path / "a.json"
    seen: list[str] = []

    def export(out: Any) -> None:
        out.write("new\n")
        seen.extend(listing(tmp_path))
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError), AtomicOutputs([target]) as (out,):
        export(out)
    assert [re.sub(r"[a-z0-9]{8}", "XXXXXXXX", name) for name in seen] == [".a.json.XXXXXXXX.part"]
    assert listing(tmp_path) == []


@pytest.mark.parametrize("tmpfile", [True, False], ids=["O_TMPFILE", "named"])
@pytest.mark.parametrize(
    "name", ["n" * 250 + ".json", "é" * 125 + ".json"], ids=["255 ASCII", "255 bytes of UTF-8"]
)
def test_a_name_of_255_bytes_can_be_written_and_replaced(tmp_path, monkeypatch, name, tmpfile):
    assert len(os.fsencode(name)) == 255
    if not tmpfile:
        monkeypatch.setattr(atomic, "_O_TMPFILE", 0)
    target = tmp_path / name
    sco = timeline.example("sco")
    timeline.dump(sco.of_kind("accession"), target)
    timeline.dump(sco, target)  # replaced: the link to the old file has a short name too
    assert target.read_text(encoding="utf-8") == timeline.dumps(sco)
    assert listing(tmp_path) == [name]


def test_a_temporary_name_is_cut_to_the_limit_on_a_character():
    name = atomic._short_name("é" * 125 + ".json", ".part", 255)
    assert len(os.fsencode(name)) <= 255
    assert name.startswith("." + "é" * 120 + ".")
    assert len(os.fsencode(name)) == 1 + 240 + 1 + 8 + 5


# -- links, owners, hard links ----------------------------------------------------------------


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A folder that everyone can write to, with the sticky bit, as /tmp."""
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o1777)
    return folder


@pytest.fixture
def private(tmp_path: Path) -> Path:
    """A file that a link planted in a shared folder could point to."""
    folder = tmp_path / "private"
    folder.mkdir()
    secret = folder / "passwd"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    return secret


def refusal(label: str, link: Path) -> str:
    return (
        f"{label}: refusing to follow the symbolic link {str(link)!r}: it is in a folder "
        "that others can write to, and belongs to neither you nor the folder's owner"
    )


@pytest.mark.parametrize(
    "mode", [0o1777, 0o0777, 0o1770], ids=["sticky, by all", "by all", "sticky"]
)
def test_a_link_planted_by_someone_else_in_a_shared_folder_is_not_followed(tmp_path, private, mode):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(mode)
    link = folder / "out.json"
    link.symlink_to(private)
    os.lchown(link, OTHER, OTHER)
    with pytest.raises(timeline.TimelineError) as info:
        timeline.dump(timeline.example("sco"), link)
    assert str(info.value) == refusal(str(link), link)
    assert private.read_text(encoding="utf-8") == "root:x:0:0\n"
    assert listing(folder) == ["out.json"]
    assert link.is_symlink()


def test_a_planted_link_on_the_way_to_the_target_is_not_followed_either(shared, private):
    link = shared / "dir"
    link.symlink_to(private.parent)
    os.lchown(link, OTHER, OTHER)
    with pytest.raises(timeline.TimelineError) as info:
        timeline.dump(timeline.example("sco"), link / "passwd", format="json")
    assert str(info.value) == refusal(str(link / "passwd"), link)
    assert private.read_text(encoding="utf-8") == "root:x:0:0\n"


def test_a_planted_link_to_a_device_is_not_followed(shared):
    link = shared / "out.json"
    link.symlink_to(os.devnull)
    os.lchown(link, OTHER, OTHER)
    with pytest.raises(timeline.TimelineError) as info:
        timeline.dump(timeline.example("sco"), link)
    assert str(info.value) == refusal(str(link), link)


def test_a_planted_link_on_the_command_line(shared, private, capsys):
    link = shared / "out.json"
    link.symlink_to(private)
    os.lchown(link, OTHER, OTHER)
    with chdir(shared.parent):
        assert cli.main(["export", "example:sco", "-o", "shared/out.json"]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"error: {refusal('shared/out.json', link)}\n")
    assert private.read_text(encoding="utf-8") == "root:x:0:0\n"


@pytest.mark.parametrize("owner", ["the caller", "the folder's owner"])
def test_a_link_of_the_caller_or_of_the_folders_owner_is_followed(shared, private, owner):
    link = shared / "out.json"
    link.symlink_to(private)
    if owner == "the folder's owner":
        os.chown(shared, OTHER, OTHER)
        os.lchown(link, OTHER, OTHER)
    sco = timeline.example("sco")
    timeline.dump(sco, link)
    assert private.read_text(encoding="utf-8") == timeline.dumps(sco)
    assert link.is_symlink()


def test_a_link_of_someone_else_in_a_folder_only_its_owner_writes_to_is_followed(tmp_path, private):
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o755)
    link = folder / "out.json"
    link.symlink_to(private)
    os.lchown(link, OTHER, OTHER)
    timeline.dump(timeline.example("sco"), link)
    assert private.read_text(encoding="utf-8") == timeline.dumps(timeline.example("sco"))


def test_a_replaced_file_keeps_its_owner_group_and_mode(tmp_path):
    target = tmp_path / "a.json"
    target.write_text("old\n", encoding="utf-8")
    os.chown(target, OTHER, OTHER)
    target.chmod(0o640)
    sco = timeline.example("sco")
    timeline.dump(sco, target)
    status = target.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (OTHER, OTHER, 0o640)
    assert target.read_text(encoding="utf-8") == timeline.dumps(sco)


def test_a_setgid_file_keeps_its_mode_after_its_owner(tmp_path):
    target = tmp_path / "a.json"
    target.write_text("old\n", encoding="utf-8")
    os.chown(target, OTHER, OTHER)
    target.chmod(0o2755)  # chown clears the set-group-ID bit: the mode is set after it
    timeline.dump(timeline.example("sco"), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o2755


def test_who_may_not_give_a_file_away_keeps_its_group_if_they_can(tmp_path, monkeypatch):
    """Not root: giving the file to its owner fails (EPERM) and is left; its
    group, one of the caller's own, is kept."""
    target = tmp_path / "a.json"
    target.write_text("old\n", encoding="utf-8")
    os.chown(target, OTHER, OTHER)
    calls: list[tuple[int, int]] = []
    original = os.fchown

    def fchown(fd: int, uid: int, gid: int) -> None:
        calls.append((uid, gid))
        if uid != -1:
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))
        original(fd, uid, gid)

    monkeypatch.setattr(os, "fchown", fchown)
    timeline.dump(timeline.example("sco"), target)
    assert calls == [(OTHER, OTHER), (-1, OTHER)]
    status = target.stat()
    assert (status.st_uid, status.st_gid) == (0, OTHER)


def test_a_new_file_gets_the_mode_that_open_gives(tmp_path):
    umask = os.umask(0o027)
    try:
        timeline.dump(timeline.example("sco"), tmp_path / "new.json")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_a_file_with_other_names_warns_that_they_keep_the_old_content(tmp_path):
    target = tmp_path / "a.json"
    target.write_text("old\n", encoding="utf-8")
    os.link(target, tmp_path / "other.json")
    sco = timeline.example("sco")
    with pytest.warns(timeline.TimelineWarning) as caught:
        timeline.dump(sco, target)
    assert [str(w.message) for w in caught] == [
        f"{target}: the file has 1 other name (hard link), which keeps the old content: "
        f"only {target} gets the new one"
    ]
    assert caught[0].filename == __file__  # from the line that called dump
    assert target.read_text(encoding="utf-8") == timeline.dumps(sco)
    assert (tmp_path / "other.json").read_text(encoding="utf-8") == "old\n"


def test_hard_links_on_the_command_line(tmp_path, capsys):
    (tmp_path / "a.json").write_text("old\n", encoding="utf-8")
    os.link(tmp_path / "a.json", tmp_path / "b.json")
    os.link(tmp_path / "a.json", tmp_path / "c.json")
    with chdir(tmp_path):
        assert cli.main(["export", "example:sco", "-o", "a.json"]) == 0
    assert capsys.readouterr().err == (
        "warning: a.json: the file has 2 other names (hard links), which keep the old "
        "content: only a.json gets the new one\n"
        "wrote a.json from 33 events, with 1 warning\n"
    )
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == "old\n"


# -- names, pipes, full disks -------------------------------------------------------------------


def test_an_empty_name_is_said_to_be_empty(capsys):
    sco = timeline.example("sco")
    for call in (lambda: timeline.dump(sco, ""), lambda: AtomicOutputs([""]).open()):
        with pytest.raises(timeline.TimelineError) as info:
            call()
        assert str(info.value) == "the name of the file to write is empty"
    assert cli.main(["export", "example:sco", "-o", ""]) == 2
    assert capsys.readouterr().err == "error: -o '': the name of the output is empty\n"


def test_a_named_pipe_that_no_one_reads_yet_is_waited_for_after_saying_so(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    said: list[str] = []
    got: list[bytes] = []

    def read() -> None:
        with pipe.open("rb") as reader:
            got.append(reader.read())

    reader = threading.Thread(target=read)

    def waiting(name: str) -> None:
        said.append(name)
        reader.start()  # the reader comes only once the writer waits

    with AtomicOutputs([pipe], names=["the pipe"], waiting=waiting) as (out,):
        out.write("through the pipe\n")
    reader.join(timeout=60)
    assert said == ["the pipe"]
    assert got == [b"through the pipe\n"]


def test_a_named_pipe_with_a_reader_is_not_waited_for(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with AtomicOutputs([pipe], waiting=pytest.fail) as (out,):
            out.write("at once\n")
        assert os.read(reader, 100) == b"at once\n"
    finally:
        os.close(reader)


def test_a_full_disk_at_the_last_flush_names_the_file_and_changes_nothing(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o604)

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(timeline.TimelineError) as info:
        timeline.dump(timeline.example("sco"), target)
    assert str(info.value) == f"{target}: No space left on device"
    assert target.read_text(encoding="utf-8") == "old\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert listing(tmp_path) == ["a.json"]


def test_a_full_disk_on_the_command_line(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.json").write_text("old\n", encoding="utf-8")

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    with chdir(tmp_path):
        assert cli.main(["export", "example:sco", "-o", "new.md", "-o", "a.json"]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "error: new.md: No space left on device\n")
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "old\n"
    assert listing(tmp_path) == ["a.json"]


def test_a_full_device_at_the_last_flush_names_it(capsys):
    """Less than a buffer of output: the error comes when it is flushed."""
    args = ["export", "example:sco", "--kind", "accession", "-f", "json", "-o", "/dev/full"]
    assert cli.main(args) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "error: /dev/full: No space left on device\n")
    with pytest.raises(timeline.TimelineError) as info:
        timeline.dump(timeline.example("sco").of_kind("accession"), "/dev/full", format="json")
    assert str(info.value) == "/dev/full: No space left on device"


def test_a_full_device_after_the_files_names_it_and_the_files_are_written(tmp_path, capsys):
    with chdir(tmp_path):
        args = ["export", "example:sco", "-f", "json", "-o", "/dev/full", "-o", "a.json"]
        assert cli.main(args) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "error: /dev/full: No space left on device\n")
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == timeline.dumps(
        timeline.example("sco")
    )


# -- the command's named pipes, one file given twice ----------------------------------------------


@pytest.mark.parametrize("quiet", [False, True], ids=["", "quiet"])
def test_the_command_says_which_named_pipe_it_waits_for(tmp_path, quiet):
    """Even with ``-q``: a command must not wait without a word."""
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "PYTHONWARNINGS"}}
    env |= {"TIMELINE_LOAD_PLUGINS": "", "PYTHONUTF8": "1"}
    command = [sys.executable, "-m", "timeline", "export", "example:sco", "-o", "pipe.json"]
    command += ["-q"] if quiet else []
    process = subprocess.Popen(command, cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        assert process.stderr is not None
        readable, _, _ = select.select([process.stderr], [], [], 120)
        assert readable, "nothing said in 120 s"
        assert process.stderr.readline() == b"waiting for a reader of pipe.json (a named pipe)\n"
        with pipe.open("rb") as reader:
            got = reader.read()
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    said = b"" if quiet else b"wrote pipe.json from 33 events\n"
    assert (process.returncode, stdout, stderr) == (0, b"", said)
    assert got == timeline.dumps(timeline.example("sco")).encode("utf-8")


@pytest.mark.parametrize("other", ["./a.json", "link.json", "hard.json"])
def test_two_targets_that_name_one_file_are_refused(tmp_path, monkeypatch, other):
    """dump_many (AtomicOutputs) refuses two names of one file before writing
    anything: the same path spelt twice, a symbolic link, a hard link."""
    monkeypatch.chdir(tmp_path)
    Path("a.json").write_text("old\n", encoding="utf-8")
    os.symlink("a.json", "link.json")
    os.link("a.json", "hard.json")
    with pytest.raises(timeline.FileError) as raised:
        files.dump_many(timeline.example("sco"), ["a.json", other])
    assert str(raised.value) == f"{other} and a.json are the same file: give it once"
    assert Path("a.json").read_text(encoding="utf-8") == "old\n"


def test_the_command_refuses_a_hard_link_to_another_output(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("a.json").write_text("old\n", encoding="utf-8")
    os.link("a.json", "hard.json")
    assert cli.main(["export", "example:sco", "-o", "a.json", "-o", "hard.json"]) == 2
    assert capsys.readouterr() == (
        "",
        "error: -o hard.json: hard.json is given twice (the same file as a.json)\n",
    )

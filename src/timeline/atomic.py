"""Writing files all or nothing: :class:`AtomicOutputs`, and :func:`atomic_write`
for one file, which :mod:`timeline.files` writes with. Each file goes to a
temporary file beside it that replaces it at commit; a device, a named pipe or
a stream is written to as it is, after the files. What is guaranteed, and why:
``docs/cli.md``, "What is guaranteed when writing".
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import signal
import stat
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, TextIO, cast

from .errors import FileError, TimelineWarning

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "AtomicOutputs",
    "OutputError",
    "PathLike",
    "atomic_write",
    "check_text_stream",
    "target_name",
    "writes_in_place",
]

PathLike = str | os.PathLike[str]

_CHUNK: Final = 64 * 1024
"""How much of what waited for the files is copied to its target at a time."""


def writes_in_place(path: PathLike) -> bool:
    """Whether :func:`atomic_write` writes to ``path`` directly, because it cannot
    be replaced: a device (``/dev/null``), a named pipe, or this process's
    standard output or error named by a path (``/dev/stdout``), whatever it is."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    if stat.S_ISDIR(mode):
        return False
    return not stat.S_ISREG(mode) or _standard_stream(Path(path)) is not None


@contextlib.contextmanager
def atomic_write(path: PathLike) -> Iterator[TextIO]:
    """Open a text file for writing that appears at ``path`` only if the
    ``with`` block finishes; UTF-8, line endings passed through unchanged.

    This is :class:`AtomicOutputs` with one target: see there what is
    guaranteed (a replaced file keeps its owner, group and mode; a link is
    followed, except one planted in a folder others can write to; a device
    or a named pipe is written to directly).
    """
    with AtomicOutputs([path]) as (stream,):
        yield stream


class AtomicOutputs:
    """Several outputs written together: all of them, or none.

    ``targets`` are paths, or text streams opened for writing; ``names`` are
    what messages call them (by default the path as given, or the stream's
    ``name``). :meth:`open` checks every target and gives a text stream for
    each, in order (UTF-8, line endings passed through unchanged);
    :meth:`commit` makes what was written appear, :meth:`discard` drops it.
    As a context manager, the ``with`` block gets the list of streams and
    commits when it finishes, or discards on any exception (a bug in an
    exporter, Ctrl-C, a signal that the command line turns into one)::

        with AtomicOutputs(["sco.json", "sco.md"]) as (json_out, md_out):
            ...

    What is guaranteed:

    * A path that names a file (or nothing yet) is written to a temporary
      file in the same folder, which replaces the target at commit. On
      Linux the temporary file has no name while it is written (it is
      opened with ``O_TMPFILE``), so that nothing is left behind even when
      the process is killed (``SIGKILL``); elsewhere it is a hidden
      ``.NAME.XXXXXXXX.part`` beside the target, removed on any error.
    * At commit, every file is flushed to disk first (an error, such as a
      full disk, names the target and changes nothing); then every target
      is checked (not a folder, a mount point, an immutable or append-only
      file) before the first one is replaced; then they are renamed into
      place, one by one, with a link kept to each old file, so that when a
      rename still fails the files already replaced are put back.
      Ctrl-C and the signals ``SIGTERM`` and ``SIGHUP`` wait while the files
      are renamed, which takes an instant; ``SIGKILL`` in that instant may
      leave the hidden names (``.part``, and ``.old`` for the old files).
    * A replaced file keeps its mode, and its owner and group when the
      caller may give them (as root, always). A file with other names (hard
      links) is replaced under the name given only: the others keep the old
      content, which a :class:`~timeline.TimelineWarning` says.
    * A symbolic link stays a link: the file it points to is replaced. A
      link in a folder that others can write to (sticky, or writable by
      all, as ``/tmp``) is only followed when it belongs to the caller or
      to the folder's owner, the rule of Linux's ``fs.protected_symlinks``:
      otherwise anyone could turn a write into ``/tmp`` into an overwrite
      of any file the caller may write.
    * What cannot be replaced (see :func:`writes_in_place`: a device, a
      named pipe, standard output named by a path) and a stream are written
      to as they are, after the files are committed: what is written to
      them waits in a temporary file until then, so that a failed export
      sends nothing down a pipe. With no file among the targets there is
      nothing to wait for, and they are written as the ``with`` block
      writes. A named pipe that no one reads yet is waited for, as
      ``open`` would; ``waiting`` is called with its name first.
    """

    def __init__(
        self,
        targets: Iterable[PathLike | IO[str]],
        *,
        names: Iterable[str] | None = None,
        waiting: Callable[[str], object] | None = None,
    ) -> None:
        self._targets = list(targets)
        self._names = (
            [target_name(target) for target in self._targets] if names is None else list(names)
        )
        if len(self._names) != len(self._targets):
            raise ValueError("give as many names as targets")
        self._waiting = waiting
        self._outputs: list[_Output] = []
        self._state = "new"

    def open(self) -> list[TextIO]:
        """Check every target and open a stream for each, in order."""
        return self._open()

    def _open(self) -> list[TextIO]:
        if self._state != "new":
            raise RuntimeError("these outputs have already been opened")
        self._state = "open"
        plans = [
            (_plan(target, name), target, name)
            for target, name in zip(self._targets, self._names, strict=True)
        ]
        _refuse_same_file(self._targets, self._names)
        files = any(plan is _Replacement for plan, _, _ in plans)
        try:
            for plan, target, name in plans:
                if plan is _Replacement:
                    self._outputs.append(_Replacement(os.fspath(cast(PathLike, target)), name))
                elif plan is _InPlace:
                    path = os.fspath(cast(PathLike, target))
                    self._outputs.append(_InPlace(path, name, files, self._waiting))
                else:
                    self._outputs.append(_Stream(cast(IO[str], target), name, files))
        except BaseException:
            self.discard()
            raise
        for output in self._outputs:
            if output.warning is not None:  # from the line that opened the outputs
                warnings.warn(output.warning, TimelineWarning, stacklevel=3)
        return [output.stream for output in self._outputs]

    def commit(self) -> None:
        """Make every output appear, or none (see the class); then write what
        waited for the files to the devices, pipes and streams."""
        if self._state != "open":
            raise RuntimeError("only outputs that are open can be committed")
        replacements = [o for o in self._outputs if isinstance(o, _Replacement)]
        others = [o for o in self._outputs if not isinstance(o, _Replacement)]
        try:
            for output in self._outputs:
                output.finish()
            for replacement in replacements:
                replacement.check()
            with _signals_held():
                _replace_all(replacements)
                self._state = "committed"
                for replacement in replacements:  # drop the links to the old files
                    replacement.close()
        except BaseException:
            if self._state != "committed":
                self.discard()
            else:  # a signal held during the renames, raised once they were done
                for output in self._outputs:
                    output.close()
            raise
        try:
            for output in others:
                output.deliver()
        finally:
            for output in others:
                output.close()

    def discard(self) -> None:
        """Drop what was written: no file is created or changed (what was
        written straight to a device, a pipe or a stream stays written)."""
        if self._state in ("committed", "discarded"):
            return
        self._state = "discarded"
        for output in self._outputs:
            output.discard()

    def __enter__(self) -> list[TextIO]:
        return self._open()

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def _refuse_same_file(targets: Sequence[PathLike | IO[str]], names: Sequence[str]) -> None:
    """Two targets that name one file (``a.ics`` and ``./a.ics``, a hard link,
    a symbolic link to it) would each replace it: a :class:`FileError`."""
    seen: dict[object, str] = {}
    for target, name in zip(targets, names, strict=True):
        if not isinstance(target, str | os.PathLike):
            keys: list[object] = [id(target)]
        else:
            path = os.fspath(target)
            keys = [os.path.realpath(path)]
            with contextlib.suppress(OSError, ValueError):
                status = os.stat(path)
                if not stat.S_ISCHR(status.st_mode):  # /dev/null may well be given twice
                    keys.append((status.st_dev, status.st_ino))
        for key in keys:
            if key in seen:
                raise FileError(f"{name} and {seen[key]} are the same file: give it once")
        seen.update(dict.fromkeys(keys, name))


def target_name(target: PathLike | IO[str]) -> str:
    """What messages call ``target`` unless told otherwise: the path as given,
    or the stream's ``name`` (``<stream>`` for a stream without one)."""
    if isinstance(target, str | os.PathLike):
        return os.fspath(target)
    return str(getattr(target, "name", "") or "<stream>")


def _plan(target: PathLike | IO[str], name: str) -> type[_Output]:
    """Which kind of output ``target`` is; a bad target raises here, before
    anything is opened."""
    if not isinstance(target, str | os.PathLike):
        check_text_stream(target, "AtomicOutputs()")
        return _Stream
    path = os.fspath(target)
    if not isinstance(path, str):
        raise TypeError(f"a path to write to is text (str), not {type(path).__name__}")
    if not path:
        raise FileError("the name of the file to write is empty")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return _Replacement
    except OSError as exc:
        if exc.errno in (errno.ENOTDIR, errno.ELOOP, errno.ENAMETOOLONG, errno.EACCES):
            raise FileError(f"{name}: {exc.strerror}") from None
        return _Replacement
    if stat.S_ISDIR(mode):
        raise FileError(f"{name}: is a folder")
    if writes_in_place(path):
        return _InPlace
    return _Replacement


def check_text_stream(target: object, who: str) -> None:
    """Refuse what is not a text stream opened for writing, saying what it is."""
    expected = f"{who} writes to a path or to a text stream opened for writing"
    if isinstance(target, io.RawIOBase | io.BufferedIOBase) or "b" in str(
        getattr(target, "mode", "")
    ):
        raise TypeError(
            f"{expected}, not a binary stream ({type(target).__name__}); "
            "wrap it: io.TextIOWrapper(stream, encoding='utf-8')"
        )
    if not callable(getattr(target, "write", None)):
        raise TypeError(f"{expected}, not {type(target).__name__}")
    writable = getattr(target, "writable", None)
    if callable(writable) and not writable():
        raise TypeError(f"{expected}, not a stream opened for reading only")


class OutputError(FileError):
    """Writing to an output failed; the message names the output, so the
    command reports it as it is (not as the error of the exporter that was
    writing)."""


class _Sink(io.FileIO):
    """A descriptor opened for writing, whose errors name the output."""

    def __init__(self, fd: int, label: str, *, closefd: bool = True, pipe: bool = False) -> None:
        super().__init__(fd, "w", closefd=closefd)
        self.label = label
        self.pipe = pipe
        """A reader that goes away raises :class:`BrokenPipeError`, for the caller."""

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            if self.pipe:
                raise
            raise OutputError(f"{self.label}: the reader closed the pipe") from None
        except OSError as exc:
            raise OutputError(f"{self.label}: {exc.strerror or exc}") from None


def _text(raw: _Sink) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", newline="")


def _spool() -> io.TextIOWrapper:
    """A temporary file (with no name, where the system allows) for what
    must wait for the files to be committed."""
    return io.TextIOWrapper(tempfile.TemporaryFile("w+b"), encoding="utf-8", newline="")


def _flush_spool(spool: IO[str], label: str) -> None:
    try:
        spool.flush()
    except OSError as exc:
        raise OutputError(
            f"{label}: {exc.strerror or exc} (in the temporary file that holds what is "
            "written to it until the files are replaced)"
        ) from None


def _close(stream: IO[Any]) -> None:
    with contextlib.suppress(Exception):
        stream.close()


class _Output:
    """One target of :class:`AtomicOutputs`."""

    label: str
    stream: TextIO
    warning: str | None = None
    """What to warn about once every output is open."""

    def finish(self) -> None:
        """Flush what was written; an error names the output."""

    def deliver(self) -> None:
        """After the files are committed: write what waited for them."""

    def close(self) -> None:
        _close(self.stream)

    def discard(self) -> None:
        self.close()


_O_TMPFILE: int = getattr(os, "O_TMPFILE", 0)
"""``O_TMPFILE`` where the system has it (Linux), else 0: a temporary file
with no name, given one only at commit."""
_TMPFILE_UNSUPPORTED: Final = frozenset(
    {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}
)
"""What ``O_TMPFILE`` raises on a file system (or a kernel) without it."""
_DIR_FD: Final = all(f in os.supports_dir_fd for f in (os.open, os.link, os.rename, os.unlink))
"""Whether the files are named from their folder's descriptor (``os.replace``
takes ``dir_fd`` where ``os.rename`` does, though not listed)."""
_CLOEXEC: Final = getattr(os, "O_CLOEXEC", 0)
_RANDOM: Final = 8
"""The random letters of a temporary name."""


def _short_name(base: str, suffix: str, name_max: int) -> str:
    """``.BASE.XXXXXXXX.SUFFIX``, with as much of ``base`` as keeps the name
    within ``name_max`` bytes (a name of 255 bytes can be written)."""
    room = name_max - len(f"..{suffix}") - _RANDOM
    while len(os.fsencode(base)) > room:
        base = base[:-1]
    random = "".join(secrets.choice(_LETTERS) for _ in range(_RANDOM))
    return f".{base}.{random}{suffix}"


_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz0123456789"


class _Replacement(_Output):
    """A file that a temporary file replaces at commit."""

    def __init__(self, path: str, label: str) -> None:
        self.label = label
        real = _follow(path, label)
        folder, self.base = os.path.split(real)
        self.folder = folder or "."
        if not os.path.isdir(self.folder):
            if os.path.islink(path):
                raise FileError(f"{label}: links to {real!r}, whose folder does not exist")
            parent = os.path.dirname(path) or "."
            raise FileError(f"{label}: the folder {parent!r} does not exist")
        self.dir_fd: int | None = None
        self.temp: str | None = None
        """The temporary file's name, once it has one."""
        self.old: str | None = None
        """The name kept for the old file while the files are renamed."""
        self.replaced = False
        try:
            if _DIR_FD:
                self.dir_fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
            self.existing = self._lstat(self.base)
            fd = self._create()
        except OSError as exc:
            self._close_folder()
            raise FileError(
                f"{label}: cannot write in {self.folder!r}: {exc.strerror or exc}"
            ) from None
        self.stream = _text(_Sink(fd, label))
        if self.existing is not None and self.existing.st_nlink > 1:
            others = self.existing.st_nlink - 1
            self.warning = (
                f"{label}: the file has {others} other name{'s' if others > 1 else ''} "
                f"(hard link{'s' if others > 1 else ''}), which keep{'' if others > 1 else 's'} "
                f"the old content: only {label} gets the new one"
            )

    # -- the folder, by its descriptor where the system allows --

    def _at(self, name: str) -> str:
        return name if self.dir_fd is not None else os.path.join(self.folder, name)

    def _lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(self._at(name), dir_fd=self.dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def _name_max(self) -> int:
        try:
            if self.dir_fd is not None:
                return os.fpathconf(self.dir_fd, "PC_NAME_MAX")
            return os.pathconf(self.folder, "PC_NAME_MAX")
        except (OSError, ValueError, AttributeError):
            return 255

    def _fresh(self, suffix: str, make: Callable[[str], None]) -> str:
        """A new hidden name beside the target, made by ``make(name)``."""
        name_max = self._name_max()
        for _ in range(100):
            name = _short_name(self.base, suffix, name_max)
            try:
                make(name)
            except FileExistsError:
                continue
            return name
        raise FileExistsError(errno.EEXIST, "no free temporary name")

    def _create(self) -> int:
        if _O_TMPFILE and self.dir_fd is not None and os.path.isdir("/proc/self/fd"):
            try:
                return os.open(".", _O_TMPFILE | os.O_WRONLY | _CLOEXEC, 0o600, dir_fd=self.dir_fd)
            except OSError as exc:
                if exc.errno not in _TMPFILE_UNSUPPORTED:
                    raise
        fds: list[int] = []
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
        self.temp = self._fresh(
            ".part",
            lambda name: fds.append(os.open(self._at(name), flags, 0o600, dir_fd=self.dir_fd)),
        )
        return fds[0]

    # -- commit --

    def finish(self) -> None:
        try:
            self.stream.flush()
            fd = self.stream.fileno()
            os.fsync(fd)
            self._keep_owner_and_mode(fd)
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError(f"{self.label}: {exc.strerror or exc}") from None

    def _keep_owner_and_mode(self, fd: int) -> None:
        if self.existing is None:
            umask = os.umask(0)
            os.umask(umask)
            _chmod(fd, self._at_temp(), 0o666 & ~umask)
            return
        uid, gid = self.existing.st_uid, self.existing.st_gid
        if hasattr(os, "fchown"):
            own = os.fstat(fd)
            if (uid, gid) != (own.st_uid, own.st_gid):
                # Only root gives a file away; others may give it a group of their
                # own. An owner that this system cannot name (EINVAL, in a user
                # namespace) is left too: the file is then the caller's.
                try:
                    os.fchown(fd, uid, gid)
                except OSError:
                    with contextlib.suppress(OSError):
                        os.fchown(fd, -1, gid)
        _chmod(fd, self._at_temp(), stat.S_IMODE(self.existing.st_mode))

    def _at_temp(self) -> str | None:
        return None if self.temp is None else os.path.join(self.folder, self.temp)

    def check(self) -> None:
        """Refuse, before any file is replaced, a target that cannot be."""
        try:
            now = self._lstat(self.base)
        except OSError as exc:
            raise OutputError(f"{self.label}: {exc.strerror or exc}") from None
        # What is there now, not when the export began: a file that appeared
        # meanwhile is kept (and put back) rather than taken for none.
        self.existing = now
        if now is None:
            return
        reason = None
        if stat.S_ISDIR(now.st_mode):
            reason = "it is a folder now"
        elif now.st_dev != os.stat(self.folder).st_dev:
            reason = "it is a mount point"
        else:
            flags = _attributes(self._at(self.base), self.dir_fd)
            if flags & _IMMUTABLE:
                reason = "it is immutable (chattr +i)"
            elif flags & _APPEND_ONLY:
                reason = "it is append-only (chattr +a)"
            elif _attributes(self.folder, None) & (_IMMUTABLE | _APPEND_ONLY):
                reason = f"its folder {self.folder!r} is immutable or append-only"
            elif _sticky_and_not_ours(os.stat(self.folder), now):
                reason = "it belongs to someone else, in a folder with the sticky bit"
        if reason is not None:
            raise OutputError(f"{self.label}: cannot be replaced: {reason}; no file was changed")

    def publish(self) -> None:
        """Give the temporary file a name, if it has none (``O_TMPFILE``)."""
        if self.temp is not None:
            return
        fd = self.stream.fileno()
        self.temp = self._fresh(
            ".part",
            lambda name: os.link(
                f"/proc/self/fd/{fd}", name, dst_dir_fd=self.dir_fd, follow_symlinks=True
            ),
        )

    def keep_old(self) -> None:
        """Link the old file to a hidden name, to put it back if need be."""
        if self.existing is None:
            return
        try:
            self.old = self._fresh(".old", lambda name: os.link(
                self._at(self.base), self._at(name), src_dir_fd=self.dir_fd,
                dst_dir_fd=self.dir_fd, follow_symlinks=False,
            ))  # fmt: skip
        except (OSError, NotImplementedError):  # no hard links here: this one is replaced last
            self.old = None

    def replace(self) -> None:
        assert self.temp is not None
        os.replace(self._at(self.temp), self._at(self.base),
                   src_dir_fd=self.dir_fd, dst_dir_fd=self.dir_fd)  # fmt: skip
        self.temp = None
        self.replaced = True

    def put_back(self) -> None:
        """Undo :meth:`replace`: the old file back, or the new one gone."""
        if self.old is not None:
            os.replace(self._at(self.old), self._at(self.base),
                       src_dir_fd=self.dir_fd, dst_dir_fd=self.dir_fd)  # fmt: skip
            self.old = None
        elif self.existing is None:
            os.unlink(self._at(self.base), dir_fd=self.dir_fd)
        else:
            raise OSError(errno.EXDEV, "the file system keeps no link to the old file")
        self.replaced = False

    def close(self) -> None:
        """After the commit: the temporary descriptors closed, the old file's
        link removed, the folder's new names on disk."""
        _close(self.stream)
        self._remove("old")
        if self.dir_fd is not None:
            with contextlib.suppress(OSError):
                os.fsync(self.dir_fd)
        self._close_folder()

    def discard(self) -> None:
        _close(self.stream)
        self._remove("temp")
        if not self.replaced:
            self._remove("old")
        self._close_folder()

    def _remove(self, which: str) -> None:
        name = getattr(self, which)
        if name is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._at(name), dir_fd=self.dir_fd)
            setattr(self, which, None)

    def _close_folder(self) -> None:
        if self.dir_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.dir_fd)
            self.dir_fd = None


def _chmod(fd: int, path: str | None, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    elif path is not None:  # pragma: no cover - Windows
        os.chmod(path, mode)


def _replace_all(replacements: Sequence[_Replacement]) -> None:
    """Rename every temporary file over its target; when one fails, put the
    ones already replaced back and raise, naming the target."""
    try:
        for replacement in replacements:
            replacement.publish()
            replacement.keep_old()
    except OSError as exc:
        raise OutputError(
            f"{replacement.label}: cannot write in {replacement.folder!r}: "
            f"{exc.strerror or exc}; no file was changed"
        ) from None
    # An old file that no link keeps cannot be put back: replace it last.
    order = sorted(replacements, key=lambda r: r.existing is not None and r.old is None)
    done: list[_Replacement] = []
    for replacement in order:
        try:
            replacement.replace()
        except BaseException as exc:
            # A signal can still come through (held in this thread only, it
            # may reach another): whatever stops the renames undoes them.
            lost = []
            for other in reversed(done):
                try:
                    other.put_back()
                except OSError:
                    kept = f" (the old one is {other.old!r})" if other.old else ""
                    lost.append(f"{other.label}{kept}")
            if not isinstance(exc, OSError):
                raise
            message = f"{replacement.label}: cannot replace it: {exc.strerror or exc}; "
            if lost:
                have = "have" if len(lost) > 1 else "has"
                message += f"{_and(lost)} could not be put back and {have} the new content"
            else:
                message += "no file was changed"
            raise OutputError(message) from None
        done.append(replacement)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


_IMMUTABLE: Final = 0x10  # FS_IMMUTABLE_FL
_APPEND_ONLY: Final = 0x20  # FS_APPEND_FL


def _attributes(path: str, dir_fd: int | None) -> int:
    """The inode flags of ``path`` that keep it from being replaced (``lsattr``
    on Linux, ``chflags`` on BSD and macOS); 0 where there are none."""
    if not sys.platform.startswith("linux"):  # pragma: no cover - BSD and macOS
        return _bsd_flags(os.stat(path, dir_fd=dir_fd, follow_symlinks=False))
    import fcntl
    import struct

    get_flags = (2 << 30) | (struct.calcsize("l") << 16) | (ord("f") << 8) | 1  # FS_IOC_GETFLAGS
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _CLOEXEC | os.O_NOFOLLOW, dir_fd=dir_fd)
    except OSError:
        return 0
    try:
        buffer = bytearray(8)
        fcntl.ioctl(fd, get_flags, buffer, True)
    except OSError:  # a file system without them
        return 0
    finally:
        os.close(fd)
    return int.from_bytes(buffer[:4], sys.byteorder)


def _bsd_flags(status: os.stat_result) -> int:  # pragma: no cover - BSD and macOS
    flags = getattr(status, "st_flags", 0)
    result = 0
    if flags & (stat.UF_IMMUTABLE | stat.SF_IMMUTABLE):
        result |= _IMMUTABLE
    if flags & (stat.UF_APPEND | stat.SF_APPEND):
        result |= _APPEND_ONLY
    return result


def _sticky_and_not_ours(folder: os.stat_result, file: os.stat_result) -> bool:
    """Whether the sticky bit of ``folder`` keeps the caller from replacing
    ``file``: neither the file nor the folder is theirs, and they are not root."""
    if not hasattr(os, "geteuid") or not folder.st_mode & stat.S_ISVTX:
        return False
    caller = os.geteuid()
    return caller != 0 and caller not in (folder.st_uid, file.st_uid)


_MAX_LINKS: Final = 40
"""The most symbolic links a path may go through, as in Linux."""


def _follow(path: str, label: str) -> str:
    """The path of the file that ``path`` names, its links followed. A link in
    a folder that others can write to (sticky or writable by all) is refused
    unless it belongs to the caller or to the folder's owner: the rule of
    Linux's ``fs.protected_symlinks``, here wherever the kernel would not
    enforce it (Linux only protects sticky folders writable by all)."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows
        return os.path.realpath(path)
    caller = os.geteuid()
    done = "/" if path.startswith("/") else os.getcwd()
    pending = [part for part in reversed(path.split("/")) if part not in ("", ".")]
    links = 0
    while pending:
        part = pending.pop()
        if part == "..":
            done = os.path.dirname(done)
            continue
        here = os.path.join(done, part)
        try:
            status = os.lstat(here)
        except OSError:  # nothing there (yet): the rest is as it is
            return os.path.join(here, *reversed(pending))
        if not stat.S_ISLNK(status.st_mode):
            done = here
            continue
        links += 1
        if links > _MAX_LINKS:
            raise FileError(f"{label}: too many levels of symbolic links")
        folder = os.stat(done)
        shared = folder.st_mode & (stat.S_ISVTX | stat.S_IWOTH)
        if shared and status.st_uid not in (caller, folder.st_uid):
            raise FileError(
                f"{label}: refusing to follow the symbolic link {here!r}: it is in a folder "
                "that others can write to, and belongs to neither you nor the folder's owner"
            )
        to = os.readlink(here)
        if to.startswith("/"):
            done = "/"
        pending.extend(part for part in reversed(to.split("/")) if part not in ("", "."))
    return done


class _InPlace(_Output):
    """A device, a named pipe or standard output named by a path: written to
    as it is, after the files when there are any."""

    def __init__(
        self, path: str, label: str, after_files: bool, waiting: Callable[[str], object] | None
    ) -> None:
        self.label = label
        _follow(path, label)  # the same rule for links to devices
        inherited = _standard_stream(Path(path))
        try:
            if inherited is not None:
                fd = os.dup(inherited)
            else:
                fd = _open_in_place(path, label, waiting)
        except OSError as exc:
            raise FileError(f"{label}: {exc.strerror or exc}") from None
        # A reader of the command's output that goes away is the caller's to handle.
        self.sink = _Sink(fd, label, pipe=inherited not in (None, 2))
        self.spool = _spool() if after_files else None
        self.stream = self.spool if self.spool is not None else _text(self.sink)

    def finish(self) -> None:
        if self.spool is None:
            self.stream.flush()  # an error names the target
        else:
            _flush_spool(self.spool, self.label)

    def deliver(self) -> None:
        if self.spool is None:
            return
        self.spool.seek(0)
        source = self.spool.buffer
        out = io.BufferedWriter(self.sink)
        try:
            while chunk := source.read(_CHUNK):
                out.write(chunk)
            out.flush()
        finally:
            out.detach()

    def close(self) -> None:
        _close(self.stream)
        _close(self.sink)

    def discard(self) -> None:
        self.close()


def _open_in_place(path: str, label: str, waiting: Callable[[str], object] | None) -> int:
    """A descriptor of ``path`` opened for writing. A named pipe that no one
    reads is waited for, after ``waiting(label)``."""
    flags = os.O_WRONLY | _CLOEXEC
    nonblock = getattr(os, "O_NONBLOCK", 0)
    if not (nonblock and stat.S_ISFIFO(os.stat(path).st_mode)):
        return os.open(path, flags | getattr(os, "O_TRUNC", 0))
    try:
        fd = os.open(path, flags | nonblock)
    except OSError as exc:
        if exc.errno != errno.ENXIO:  # no reader
            raise
        if waiting is not None:
            waiting(label)
        return os.open(path, flags)
    os.set_blocking(fd, True)
    return fd


class _Stream(_Output):
    """A text stream of the caller's: written to as it is, after the files
    when there are any; never closed."""

    def __init__(self, target: IO[str], label: str, after_files: bool) -> None:
        self.label = label
        self.target = target
        self.spool = _spool() if after_files else None
        self.stream = self.spool if self.spool is not None else cast(TextIO, target)

    def finish(self) -> None:
        if self.spool is not None:
            _flush_spool(self.spool, self.label)

    def deliver(self) -> None:
        if self.spool is not None:
            self.spool.seek(0)
            while chunk := self.spool.read(_CHUNK):
                self._do(self.target.write, chunk)
        self._do(getattr(self.target, "flush", lambda: None))

    def _do(self, action: Callable[..., object], *args: Any) -> None:
        try:
            action(*args)
        except BrokenPipeError:
            raise  # the caller's to handle, as when the exporter writes to it
        except OSError as exc:
            raise OutputError(f"{self.label}: {exc.strerror or exc}") from None

    def close(self) -> None:
        if self.spool is not None:
            _close(self.spool)

    def discard(self) -> None:
        self.close()


_HELD_SIGNALS: Final = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, ``SIGTERM`` and ``SIGHUP`` wait until the block is done: the
    renames of a commit are done, or undone, whole."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # the mask as it is
    try:
        # Blocked inside the try: a handler that runs at once cannot leave
        # the signals blocked for good.
        signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _standard_stream(target: Path) -> int | None:
    """The descriptor to write to when ``target`` is this process's standard
    output or error (``/dev/stdout``, ``/proc/self/fd/2``, or the file that
    standard output goes to), else None. Standard output is the command's
    (:func:`timeline.streams.standard_output`), which is not descriptor 1
    while the command runs as a process."""
    from .streams import standard_output

    output = standard_output()
    named = _named_descriptor(os.fspath(target))
    if named is not None:
        if named == 1 and output is None:  # >&-: descriptor 1 is someone else's now
            from .streams import StreamClosedError

            raise StreamClosedError("standard output")
        if named in (1, 2):
            return output if named == 1 else 2
        return None
    try:
        status = os.stat(target)
    except (OSError, ValueError):
        return None
    for fd in (output, 2):
        if fd is None:
            continue
        try:
            other = os.fstat(fd)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (status.st_dev, status.st_ino):
            return fd
    return None


_FD_FOLDER: Final = re.compile(r"/proc/(?:self|thread-self|\d+(?:/task/\d+)?)/fd/(\d+)")


def _named_descriptor(path: str) -> int | None:
    """The number of this process's descriptor that ``path`` names through
    ``/proc/self/fd`` (``/dev/stdout``, ``/dev/fd/1``), else None."""
    for _ in range(_MAX_LINKS):
        match = _FD_FOLDER.fullmatch(os.path.normpath(path))
        if match is not None:
            pid = match.group(0).split("/")[2]
            if pid in ("self", "thread-self") or int(pid) == os.getpid():
                return int(match.group(1))
            return None
        folder, name = os.path.split(path)
        try:
            real_folder = os.path.realpath(folder or ".")
            if _FD_FOLDER.fullmatch(os.path.join(real_folder, name)):  # /dev/fd/1
                path = os.path.join(real_folder, name)
                continue
            to = os.readlink(os.path.join(real_folder, name))
        except (OSError, ValueError):
            return None
        path = os.path.join(real_folder, to)
    return None

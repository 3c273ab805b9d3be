"""Safe writing to disk: atomic replacement of files and folders, and an exclusive lock.

Also the one reader of the commands' line inputs (:func:`read_lines`, :func:`open_lines`):
a regular file is streamed as it always was; a pipe, socket or terminal is read
through :class:`ArrivingLines`, which says when no further line has arrived, so
the commands translate (and answer) what has come in without waiting for more.

A file is written under a temporary name in its own folder and then renamed
over the old one (``os.replace``, atomic on POSIX filesystems), so a process
killed during a save leaves either the old file or the new one, never half of
one. :mod:`translate.runs.rundir` writes every file of a run directory this way.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import logging
import os
import select
import shutil
import stat
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import TextIO

from translate import TranslateError

log = logging.getLogger(__name__)

try:  # POSIX: flock.
    import fcntl
except ImportError:  # Windows: msvcrt's byte-range locks; elsewhere no lock at all.
    fcntl = None
    try:
        import msvcrt
    except ImportError:
        msvcrt = None

# Where a Windows lock sits: one byte far past the pid the file holds, so that
# another process can still read the pid (Windows byte-range locks are mandatory).
_WINDOWS_LOCK_OFFSET = 1 << 30


def temporary_path(path: str, tag: str = "") -> str:
    """``path`` with ``.tmp`` before its extensions, e.g. ``checkpoint/last.tmp.weights.h5``.

    The extensions stay last because Keras and NumPy choose the format by them.
    The name is fixed, so a temporary left by a killed process is reused.

    Args:
        path: The file or folder to be written.
        tag: Added after ``.tmp`` (e.g. a process id) for a second name.
    """
    folder, name = os.path.split(path)
    dots = len(name) - len(name.lstrip("."))
    stem, dot, extensions = name[dots:].partition(".")
    return os.path.join(folder, f"{name[:dots]}{stem}.tmp{tag}{dot}{extensions}")


def _same_file(a: str, b: str) -> bool:
    if os.path.abspath(a) == os.path.abspath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_writable(path: str | os.PathLike, what: str = "", new_folders: bool = False) -> None:
    """Checks early, before any long work, that ``path`` can be written as a file.

    ``path`` must not be a folder, and its folder must be writable. Files that
    are not regular (``/dev/stdout``, a FIFO) pass: they are written directly.

    Args:
        path: The output file.
        what: The option that named it, e.g. ``-o``, for the message.
        new_folders: Missing folders above ``path`` will be created: then the
            nearest existing one must be writable.

    Raises:
        TranslateError: Naming the path and the reason.
    """
    path = os.fspath(path)
    label = f"{what} {path}" if what else path
    if os.path.isdir(path):
        raise TranslateError(f"cannot write {label}: it is a folder")
    if os.path.exists(path) and not os.path.isfile(path):
        return
    folder = os.path.dirname(os.path.abspath(path))
    existing = folder
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if existing != folder and not new_folders:
        raise TranslateError(f"cannot write {label}: no folder {folder}")
    if not os.path.isdir(existing):
        raise TranslateError(f"cannot write {label}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise TranslateError(f"cannot write {label}: folder {existing} is not writable")


def _remove(path: str) -> None:
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        with contextlib.suppress(OSError):
            os.remove(path)


def atomic_write(
    path: str | os.PathLike,
    write: Callable[[str], object],
    keeps: str = "file",
    inputs: Sequence[str | os.PathLike] = (),
    exists: str | None = None,
) -> None:
    """Writes a file or folder under a temporary name in its folder, then renames it into place.

    A FIFO or device (``/dev/stdout``) is written directly, since it cannot be
    replaced. A symbolic link is followed: its target is replaced and the link stays. A
    replaced file keeps its permission bits. A replaced folder is moved aside,
    the new one renamed into place and the old one deleted, so an interrupt
    between the two renames loses no folder for more than that moment.

    The temporary name is the same for every process, so that one left by a
    killed process is reused rather than piling up; on POSIX a lock file beside
    it (``TEMPORARY.lock``, deleted at the end) makes a second process that
    writes ``path`` at the same time fail with one clear error instead of
    writing into the first one's temporary.

    Args:
        path: The file or folder to write; its parent folder is created.
        write: Called with the temporary path; writes the content there.
        keeps: What the error message says is kept when ``path`` existed before.
        inputs: Files the writer reads: none of them is ever used as the temporary.
        exists: If given, ``path`` is never replaced: when it exists (checked once
            the lock is held, so of two processes writing it only one succeeds),
            this is the error message.

    Raises:
        TranslateError: If writing or renaming fails (e.g. a full disk), naming
            the file; the previous file is then left as it was. Also if another
            process is writing ``path``, or it exists and ``exists`` is given.
    """
    shown = os.fspath(path)
    path = os.path.realpath(shown)
    if os.path.exists(path) and not os.path.isfile(path) and not os.path.isdir(path):
        try:  # A FIFO or device cannot be replaced by a renamed file: it is written directly.
            write(path)
        except BrokenPipeError:  # its reader went away: the caller stops quietly
            raise
        except OSError as error:
            raise TranslateError(f"cannot write {shown}: {error.strerror or error}") from None
        return
    temporary = temporary_path(path)
    if any(_same_file(temporary, os.fspath(name)) for name in inputs):
        temporary = temporary_path(path, f"-{os.getpid()}")
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    except OSError as error:
        raise TranslateError(f"cannot write {shown}: {error.strerror or error}") from None
    kept = f"; the previous {keeps} is kept" if os.path.exists(path) else ""
    literal = shown.replace("{", "{{").replace("}", "}}")  # the messages are format strings
    busy = f"cannot write {literal}: another process (pid {{pid}}) is writing it now"
    unopened = f"cannot write {literal}: {{reason}}{kept}"
    with _writer_lock(temporary, busy, unopened):
        existed = os.path.exists(path)
        if existed and exists is not None:
            raise TranslateError(exists)
        _write_and_rename(shown, path, temporary, write, existed, keeps)


def _writer_lock(
    temporary: str, busy: str, unopened: str
) -> contextlib.AbstractContextManager[None]:
    """The lock of one output's writers (POSIX ``flock``); elsewhere no lock."""
    if fcntl is None:
        return contextlib.nullcontext()
    return exclusive_lock(temporary + ".lock", busy, remove=True, unopened=unopened)


def _write_and_rename(
    shown: str, path: str, temporary: str, write: Callable[[str], object], existed: bool, keeps: str
) -> None:
    """:func:`atomic_write`'s work once it holds the lock: write the temporary, rename it."""
    try:
        _remove(temporary)
        write(temporary)
        if os.path.isfile(path) and os.path.isfile(temporary):
            shutil.copymode(path, temporary)
        if os.path.isdir(temporary) and os.path.isdir(path):
            _replace_folder(temporary, path)
        else:
            os.replace(temporary, path)
        # A folder moved aside by a process killed between its two renames.
        _remove(temporary_path(path, "-old"))
    except OSError as error:
        _remove(temporary)
        kept = f"; the previous {keeps} is kept" if existed else ""
        raise TranslateError(f"cannot write {shown}: {error.strerror or error}{kept}") from None
    except BaseException:  # An error of the writer, or an interrupt: the previous file stays.
        _remove(temporary)
        raise


def _replace_folder(new: str, old: str) -> None:
    """Renames the folder ``new`` onto the folder ``old``, deleting the old one after."""
    aside = temporary_path(old, "-old")
    _remove(aside)
    os.replace(old, aside)
    try:
        os.replace(new, old)
    except BaseException:
        os.replace(aside, old)
        raise
    _remove(aside)


def write_text(path: str | os.PathLike, text: str, keeps: str = "file") -> None:
    """Writes UTF-8 ``text`` with :func:`atomic_write`."""

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)

    atomic_write(path, write, keeps)


def write_output(
    path: str | os.PathLike | None, produce: Callable[[TextIO], object], inputs: Sequence[str] = ()
) -> None:
    """Calls ``produce(out)`` on standard output, or on ``path``.

    A regular file is written under a temporary name and renamed when complete
    (:func:`atomic_write`, which never takes one of ``inputs``
    as the temporary), so a failed or interrupted command leaves the previous
    file as it was; a FIFO or device is written directly.
    """
    if path:

        def write(temporary: str) -> None:
            with open(temporary, "w", encoding="utf-8") as out:
                produce(out)

        atomic_write(path, write, inputs=list(inputs))
        return
    try:
        produce(sys.stdout)
    except BrokenPipeError:
        raise  # the command line ends a closed pipe quietly
    except OSError as error:
        raise TranslateError(f"cannot write standard output: {error.strerror}") from None


@contextlib.contextmanager
def exclusive_lock(
    path: str, busy: str, remove: bool = False, unopened: str | None = None
) -> Iterator[None]:
    """Holds an exclusive ``flock`` on the file ``path`` for the ``with`` block.

    The kernel releases the lock when its process ends in any way, so a lock
    file left by a killed process never blocks. The file keeps the process id
    of the last holder. Where the filesystem has no ``flock`` (some network
    filesystems) a warning is logged and the block runs unlocked. Windows
    (no ``fcntl``) locks one byte of the file with ``msvcrt.locking`` instead;
    a platform with neither logs a warning and runs the block unlocked.

    Args:
        path: The lock file; created if missing.
        busy: The error message when another process holds the lock; ``{pid}``
            in it becomes that process's id.
        remove: Delete the lock file at the end of the block (POSIX only). A
            process that opened the file just before it was deleted finds, once
            it holds the lock, that ``path`` is no longer its file, and locks
            the new one instead, so two processes never both hold the lock.
        unopened: The error message when the lock file cannot be created;
            ``{reason}`` in it becomes the reason. None names the lock file.

    Raises:
        TranslateError: If another live process holds the lock.
    """
    remove = remove and fcntl is not None
    while True:
        try:
            handle = open(path, "a+", encoding="utf-8")
        except OSError as error:
            if unopened is not None:
                raise TranslateError(unopened.format(reason=error.strerror)) from None
            raise TranslateError(f"cannot open the lock file {path}: {error.strerror}") from None
        locked = True
        try:
            _lock(handle)
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                log.warning("%s: cannot lock (%s); going on unlocked", path, error.strerror)
                locked = False
            else:
                handle.seek(0)
                holder = handle.read().strip()
                handle.close()
                raise TranslateError(busy.format(pid=holder if holder.isdigit() else "?")) from None
        if not (remove and locked) or _is_open_file(handle, path):
            break
        handle.close()  # Deleted by its last holder after this process opened it: take the new one.
    with handle:
        try:
            if locked:
                handle.seek(0)
                handle.truncate()
                handle.write(f"{os.getpid()}\n")
                handle.flush()
            yield
        finally:
            if locked:
                if remove:  # deleted while still locked, so no one locks the old file after
                    with contextlib.suppress(OSError):
                        os.remove(path)
                _unlock(handle)


def _is_open_file(handle: TextIO, path: str) -> bool:
    """Whether ``path`` still names the file ``handle`` has open."""
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except OSError:
        return False


def _lock(handle: TextIO) -> None:
    """Takes the exclusive lock of an open lock file without waiting.

    Raises:
        OSError: With ``EWOULDBLOCK``, ``EAGAIN`` or ``EACCES`` if another
            process holds it; with another errno if it cannot be locked here.
    """
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    elif msvcrt is not None:
        handle.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # busy: EACCES
    else:
        raise OSError(errno.ENOSYS, "this platform has neither fcntl nor msvcrt file locks")


def _unlock(handle: TextIO) -> None:
    """Releases the lock :func:`_lock` took."""
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        handle.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def read_lines(path: str) -> Iterator[str]:
    """The lines of ``path`` (``-``: standard input), streamed, without their line ends.

    Bad UTF-8 bytes become U+FFFD and lines end at ``\\n`` only, for a file and
    for standard input alike. A pipe, socket or terminal gives an
    :class:`ArrivingLines` (see :func:`open_lines`).

    Raises:
        TranslateError: Naming the file, if it cannot be opened.
    """
    if path != "-":
        return open_lines(path)
    try:
        fd = sys.stdin.fileno()
        arriving = _arrives(fd)
    except (OSError, ValueError, AttributeError):  # replaced or closed: read it as it is
        arriving = False
    if arriving:
        return ArrivingLines(fd)
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace", newline="\n")
    return (line.rstrip("\r\n") for line in sys.stdin)


def open_lines(path: str) -> Iterator[str]:
    """The lines of the file ``path``, streamed, without their line ends; closed at the end.

    A regular file is read in full buffers. A pipe, socket or terminal (a FIFO,
    ``/dev/stdin``, a shell's ``<(...)``) gives an :class:`ArrivingLines`, whose
    ``ready()`` tells a reader when to stop collecting lines and answer.

    Raises:
        TranslateError: Naming the file, if it cannot be opened.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as error:
        raise TranslateError(f"cannot read {path}: {error.strerror}") from None
    if stat.S_ISDIR(os.fstat(fd).st_mode):  # POSIX opens a folder; reading it would fail later
        os.close(fd)
        raise TranslateError(f"cannot read {path}: {os.strerror(errno.EISDIR)}")
    if _arrives(fd):
        return ArrivingLines(fd, close=True)
    return _stripped(open(fd, encoding="utf-8", errors="replace", newline="\n"))


def _arrives(fd: int) -> bool:
    """Whether ``fd`` delivers its lines over time (not a regular file) and can be polled.

    ``select`` polls pipes only on POSIX; elsewhere every input is read in full buffers.
    """
    return os.name == "posix" and not stat.S_ISREG(os.fstat(fd).st_mode)


def _stripped(handle: TextIO) -> Iterator[str]:
    with handle:
        for line in handle:
            yield line.rstrip("\r\n")


class ArrivingLines:
    """The lines of a pipe, socket or terminal, each available as soon as it has arrived.

    Iterating blocks only until the next complete line (or the end) is there,
    never for a full buffer, and :meth:`ready` says without blocking whether it
    is, so a reader can handle the lines that have come in (see
    :func:`translate.inference.translator.chunks`) while the writer waits for
    their answers. Lines are decoded and split as :func:`read_lines` does for a
    file: bad UTF-8 becomes U+FFFD, and a line ends at ``\\n`` only, without its
    trailing ``\\r``.

    Args:
        fd: The file descriptor to read (not a regular file).
        close: Close ``fd`` at the end of the input.
    """

    _READ_SIZE = 1 << 16  # bytes per read: one pipe buffer on Linux
    # After a read that filled the whole buffer, the writer is most likely blocked on
    # the full pipe (``cat FILE |``) and writes on within moments: ready() waits this
    # long for it, so a file piped in whole is not cut into pipe-buffer-sized chunks.
    # A writer of single lines never fills the buffer and is never waited for.
    _REFILL_SECONDS = 0.1

    def __init__(self, fd: int, close: bool = False) -> None:
        self._fd = fd
        self._close = close
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._lines: deque[str] = deque()  # complete lines not yet taken
        self._partial: list[str] = []  # the pieces of a line whose end has not arrived
        self._ended = False
        self._buffer_filled = False  # the last read filled the whole read size

    def __iter__(self) -> ArrivingLines:
        return self

    def __next__(self) -> str:
        while not self._lines:
            if self._ended:
                raise StopIteration
            self._read()  # blocks until something arrives
        return self._lines.popleft()

    def ready(self) -> bool:
        """Whether the next line, or the end of the input, is there without waiting.

        Waits up to ``_REFILL_SECONDS`` only after a read that filled the whole buffer.
        """
        while not self._lines and not self._ended:
            wait = self._REFILL_SECONDS if self._buffer_filled else 0
            if not select.select([self._fd], [], [], wait)[0]:
                return False
            self._read()
        return True

    def close(self) -> None:
        """Closes the file descriptor now, if this reader owns it (``close``)."""
        if self._close:
            self._close = False
            os.close(self._fd)

    def _read(self) -> None:
        """Reads what has arrived (at least one byte, or the end) into complete lines."""
        data = os.read(self._fd, self._READ_SIZE)
        self._buffer_filled = len(data) == self._READ_SIZE
        text = self._decoder.decode(data, final=not data)
        *complete, rest = text.split("\n")
        if complete:
            complete[0] = "".join(self._partial) + complete[0]
            self._partial = []
            self._lines.extend(line.rstrip("\r") for line in complete)
        if rest:
            self._partial.append(rest)
        if not data:
            self._ended = True
            if self._partial:  # a last line without its line end
                self._lines.append("".join(self._partial).rstrip("\r"))
                self._partial = []
            self.close()

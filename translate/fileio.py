"""Safe writing to disk: atomic replacement of files and folders, and an exclusive lock.

A file is written under a temporary name in its own folder and then renamed
over the old one (``os.replace``, atomic on POSIX filesystems), so a process
killed during a save leaves either the old file or the new one, never half of
one. :mod:`translate.rundir` writes every file of a run directory this way.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import shutil
from collections.abc import Callable, Iterator

from translate.errors import TranslateError

log = logging.getLogger(__name__)


def temporary_path(path: str) -> str:
    """``path`` with ``.tmp`` before its extensions, e.g. ``checkpoint/last.tmp.weights.h5``.

    The extensions stay last because Keras and NumPy choose the format by them.
    The name is fixed, so a temporary left by a killed process is reused.
    """
    folder, name = os.path.split(path)
    dots = len(name) - len(name.lstrip("."))
    stem, dot, extensions = name[dots:].partition(".")
    return os.path.join(folder, f"{name[:dots]}{stem}.tmp{dot}{extensions}")


def _remove(path: str) -> None:
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        with contextlib.suppress(OSError):
            os.remove(path)


def atomic_write(
    path: str | os.PathLike, write: Callable[[str], object], keeps: str = "file"
) -> None:
    """Writes a file or folder under a temporary name in its folder, then renames it into place.

    Args:
        path: The file or folder to write; its parent folder is created.
        write: Called with the temporary path; writes the content there.
        keeps: What the error message says is kept when ``path`` existed before.

    Raises:
        TranslateError: If writing or renaming fails (e.g. a full disk), naming
            the file; the previous file is then left as it was.
    """
    path = os.fspath(path)
    temporary = temporary_path(path)
    existed = os.path.exists(path)
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        _remove(temporary)
        write(temporary)
        if os.path.isdir(temporary) and os.path.isdir(path):
            shutil.rmtree(path)  # A folder is renamed only onto a missing or empty one.
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        kept = f"; the previous {keeps} is kept" if existed else ""
        raise TranslateError(f"cannot write {path}: {error.strerror or error}{kept}") from None
    except BaseException:  # An error of the writer, or an interrupt: the previous file stays.
        _remove(temporary)
        raise


def write_text(path: str | os.PathLike, text: str, keeps: str = "file") -> None:
    """Writes UTF-8 ``text`` with :func:`atomic_write`."""

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)

    atomic_write(path, write, keeps)


@contextlib.contextmanager
def exclusive_lock(path: str, busy: str) -> Iterator[None]:
    """Holds an exclusive ``flock`` on the file ``path`` for the ``with`` block.

    The kernel releases the lock when its process ends in any way, so a lock
    file left by a killed process never blocks. The file keeps the process id
    of the last holder. Where the filesystem has no ``flock`` (some network
    filesystems) a warning is logged and the block runs unlocked.

    Args:
        path: The lock file; created if missing, never deleted.
        busy: The error message when another process holds the lock; ``{pid}``
            in it becomes that process's id.

    Raises:
        TranslateError: If another live process holds the lock.
    """
    try:
        handle = open(path, "a+", encoding="utf-8")
    except OSError as error:
        raise TranslateError(f"cannot open the lock file {path}: {error.strerror}") from None
    with handle:
        locked = True
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                log.warning("%s: cannot lock (%s); going on unlocked", path, error.strerror)
                locked = False
            else:
                handle.seek(0)
                holder = handle.read().strip()
                raise TranslateError(busy.format(pid=holder if holder.isdigit() else "?")) from None
        try:
            if locked:
                handle.seek(0)
                handle.truncate()
                handle.write(f"{os.getpid()}\n")
                handle.flush()
            yield
        finally:
            if locked:
                fcntl.flock(handle, fcntl.LOCK_UN)

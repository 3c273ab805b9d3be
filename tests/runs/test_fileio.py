"""Tests of atomic writes and the exclusive lock."""

import errno
import os
import subprocess
import sys
import textwrap
from unittest import mock

import pytest

from translate import TranslateError
from translate.runs.fileio import (
    atomic_write,
    check_writable,
    exclusive_lock,
    temporary_path,
    write_text,
)


@pytest.mark.parametrize(
    "name, temporary",
    [
        ("last.weights.h5", "last.tmp.weights.h5"),
        ("model.keras", "model.tmp.keras"),
        ("epoch-007.npz", "epoch-007.tmp.npz"),
        ("tokenizer", "tokenizer.tmp"),
        (".hidden.json", ".hidden.tmp.json"),
    ],
)
def test_temporary_keeps_the_extensions_last_in_the_same_folder(name, temporary):
    assert temporary_path(os.path.join("run", "checkpoint", name)) == os.path.join(
        "run", "checkpoint", temporary
    )


def test_atomic_write_replaces_a_file_and_creates_its_folder(tmp_path):
    path = tmp_path / "new" / "state.json"
    write_text(path, "first")
    write_text(path, "second")
    assert path.read_text(encoding="utf-8") == "second"
    assert os.listdir(path.parent) == ["state.json"]


def test_atomic_write_replaces_a_folder_whole(tmp_path):
    folder = tmp_path / "tokenizer"

    def write(names):
        def into(temporary):
            os.makedirs(temporary)
            for name in names:
                with open(os.path.join(temporary, name), "w", encoding="utf-8") as handle:
                    handle.write(name)

        return into

    atomic_write(folder, write(["source.model", "target.model"]))
    atomic_write(folder, write(["joint.model"]))
    assert sorted(os.listdir(folder)) == ["joint.model"]
    assert sorted(os.listdir(tmp_path)) == ["tokenizer"]


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "model.keras"
    write_text(path, "good")

    def full_disk(temporary):
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write("half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(
        TranslateError,
        match=rf"cannot write {path}: No space left on device; "
        "the previous model is kept",
    ):
        atomic_write(path, full_disk, keeps="model")
    assert path.read_text(encoding="utf-8") == "good"
    assert os.listdir(tmp_path) == ["model.keras"]


def test_a_temporary_left_by_a_killed_process_is_replaced(tmp_path):
    path = tmp_path / "last.weights.h5"
    (tmp_path / "last.tmp.weights.h5").write_bytes(b"half written")
    write_text(path, "whole")
    assert path.read_text(encoding="utf-8") == "whole"
    assert os.listdir(tmp_path) == ["last.weights.h5"]


def test_lock_is_exclusive_and_released(tmp_path):
    path = str(tmp_path / "train.lock")
    with exclusive_lock(path, busy="busy since pid {pid}"):
        with pytest.raises(TranslateError, match=f"^busy since pid {os.getpid()}$"):
            with exclusive_lock(path, busy="busy since pid {pid}"):
                pass
    with exclusive_lock(path, busy="busy"):  # released at the end of the block
        pass
    with pytest.raises(RuntimeError):
        with exclusive_lock(path, busy="busy"):
            raise RuntimeError("training failed")
    with exclusive_lock(path, busy="busy"):  # and when the block raises
        pass


@pytest.mark.skipif(os.name != "posix", reason="the writers' lock is POSIX flock")
def test_a_second_writer_of_one_output_gets_one_error(tmp_path):
    """While one writer fills the temporary, another writer of the same path is refused.

    The second writer here is a call inside the first one's ``write``: flock
    locks belong to an open file, so it conflicts exactly as another process would.
    """
    path = tmp_path / "out.txt"
    errors = []

    def second(temporary):
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write("second")

    def first(temporary):
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write("first, half")
            try:
                atomic_write(path, second)
            except TranslateError as error:
                errors.append(str(error))
            handle.write(" and whole")

    atomic_write(path, first)
    assert errors == [f"cannot write {path}: another process (pid {os.getpid()}) is writing it now"]
    assert path.read_text(encoding="utf-8") == "first, half and whole"
    assert os.listdir(tmp_path) == ["out.txt"]  # neither temporary nor lock file is left


def test_an_output_whose_lock_cannot_be_created_is_one_error(tmp_path):
    path = tmp_path / "{odd} name.txt"  # braces: the messages are format strings
    path.write_text("previous", encoding="utf-8")
    with (
        mock.patch("builtins.open", side_effect=OSError(errno.ENOSPC, "No space left on device")),
        pytest.raises(TranslateError) as raised,
    ):
        write_text(path, "new")
    assert str(raised.value) == (
        f"cannot write {path}: No space left on device; the previous file is kept"
    )
    assert path.read_text(encoding="utf-8") == "previous"


def test_an_output_that_must_not_be_replaced(tmp_path):
    folder = tmp_path / "1"
    folder.mkdir()
    (folder / "saved_model.pb").write_bytes(b"first")
    with pytest.raises(TranslateError, match="^1 exists$"):
        atomic_write(folder, lambda temporary: os.makedirs(temporary), exists="1 exists")
    assert sorted(os.listdir(tmp_path)) == ["1"] and os.listdir(folder) == ["saved_model.pb"]
    atomic_write(tmp_path / "2", lambda temporary: os.makedirs(temporary), exists="2 exists")
    assert sorted(os.listdir(tmp_path)) == ["1", "2"]


def test_a_removed_lock_file_is_gone_after_the_block(tmp_path):
    path = tmp_path / "out.tmp.lock"
    with exclusive_lock(str(path), busy="busy", remove=True):
        assert path.read_text(encoding="utf-8") == f"{os.getpid()}\n"
        with pytest.raises(TranslateError, match="^busy$"):
            with exclusive_lock(str(path), busy="busy", remove=True):
                pass
    assert not path.exists() or os.name != "posix"


def test_a_folder_moved_aside_by_a_killed_process_is_cleaned_up(tmp_path):
    """A kill between a folder replacement's two renames leaves ``NAME.tmp-old``: the
    next write of the folder deletes it."""
    target = tmp_path / "avg"
    aside = tmp_path / "avg.tmp-old"
    aside.mkdir()
    (aside / "model.keras").write_bytes(b"previous")
    atomic_write(target, lambda temporary: os.makedirs(temporary))
    assert os.listdir(tmp_path) == ["avg"]


def test_lock_file_of_a_dead_process_does_not_block(tmp_path):
    path = tmp_path / "train.lock"
    path.write_text("999999999\n", encoding="utf-8")
    with exclusive_lock(str(path), busy="busy"):
        assert path.read_text(encoding="utf-8") == f"{os.getpid()}\n"


@pytest.mark.slow
def test_lock_of_a_killed_process_is_released(tmp_path):
    """A process that holds the lock blocks others until it is killed (SIGKILL)."""
    path = str(tmp_path / "train.lock")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from translate.runs.fileio import exclusive_lock
            with exclusive_lock({path!r}, busy="busy"):
                print("locked", flush=True)
                time.sleep(600)
            """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(TranslateError, match=f"held by {holder.pid}"):
            with exclusive_lock(path, busy="held by {pid}"):
                pass
    finally:
        holder.kill()
        holder.wait(timeout=30)
    with exclusive_lock(path, busy="held by {pid}"):
        pass


def test_a_fifo_is_written_directly(tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    write_text(fifo, "streamed")
    reader.join(timeout=10)
    assert received == ["streamed"] and sorted(os.listdir(tmp_path)) == ["pipe"]


def test_a_symbolic_link_keeps_pointing_at_the_replaced_file(tmp_path):
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "out.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_text(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"
    assert sorted(os.listdir(tmp_path / "data")) == ["out.txt"]


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "private.txt"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o600)
    write_text(path, "new")
    assert path.stat().st_mode & 0o777 == 0o600


def test_an_input_is_never_the_temporary(tmp_path):
    path = tmp_path / "out.txt"
    source = tmp_path / "out.tmp.txt"  # the temporary name of out.txt
    source.write_text("input lines", encoding="utf-8")

    def copy_input(temporary):
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(source.read_text(encoding="utf-8").upper())

    atomic_write(path, copy_input, inputs=[str(source)])
    assert path.read_text(encoding="utf-8") == "INPUT LINES"
    assert source.read_text(encoding="utf-8") == "input lines"
    assert sorted(os.listdir(tmp_path)) == ["out.tmp.txt", "out.txt"]


def test_an_interrupted_folder_write_keeps_the_previous_folder(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "model.keras").write_text("previous", encoding="utf-8")

    def interrupted(temporary):
        os.makedirs(temporary)
        (tmp_path / "run.tmp" / "model.keras").write_text("half", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(folder, interrupted)
    assert (folder / "model.keras").read_text(encoding="utf-8") == "previous"
    assert sorted(os.listdir(tmp_path)) == ["run"]


@pytest.mark.parametrize(
    "where, expected",
    [
        ("folder", "it is a folder"),
        ("missing/out.txt", "no folder"),
        ("a-file/out.txt", "is not a folder"),
    ],
)
def test_check_writable_names_the_path_and_the_reason(tmp_path, where, expected):
    (tmp_path / "folder").mkdir()
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    path = str(tmp_path / where)
    with pytest.raises(TranslateError, match=rf"cannot write -o {path}: .*{expected}"):
        check_writable(path, "-o")


def test_check_writable_passes_new_files_devices_and_new_folders(tmp_path):
    check_writable(str(tmp_path / "new.txt"))
    check_writable("/dev/null")
    check_writable(str(tmp_path / "a" / "b" / "new.txt"), new_folders=True)
    with mock.patch.object(os, "access", return_value=False):
        with pytest.raises(TranslateError, match="is not writable"):
            check_writable(str(tmp_path / "new.txt"))

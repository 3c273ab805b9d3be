"""Tests of atomic writes and the exclusive lock."""

import errno
import os
import subprocess
import sys
import textwrap

import pytest

from translate.errors import TranslateError
from translate.fileio import atomic_write, exclusive_lock, temporary_path, write_text


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
            from translate.fileio import exclusive_lock
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

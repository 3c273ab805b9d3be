"""Shared pytest fixtures."""

import os

import pytest


@pytest.fixture(scope="session")
def multi30k_dir() -> str:
    """The folder of Multi30k task 1 raw ``.gz`` files named by env MULTI30K_DIR."""
    folder = os.environ.get("MULTI30K_DIR")
    if not folder:
        pytest.skip("env MULTI30K_DIR is not set (folder of Multi30k task 1 raw .gz files)")
    return os.path.abspath(folder)

"""Shared pytest fixtures: the corpus folder, the two tiny run directories, the case record.

The builders behind them are plain functions in ``helpers.py``.
"""

import os

import helpers
import pytest


@pytest.fixture(scope="session")
def multi30k_dir() -> str:
    """The folder of Multi30k task 1 raw ``.gz`` files named by env MULTI30K_DIR."""
    folder = os.environ.get("MULTI30K_DIR")
    if not folder:
        pytest.skip("env MULTI30K_DIR is not set (folder of Multi30k task 1 raw .gz files)")
    return os.path.abspath(folder)


@pytest.fixture(scope="session")
def random_run(tmp_path_factory) -> str:
    """A run directory with a random-weight model (:func:`helpers.write_random_run`).

    Shared by the session: tests that change files in it work on a copy.
    """
    return helpers.write_random_run(tmp_path_factory.mktemp("random-run"))


@pytest.fixture(scope="session")
def random_translator(random_run):
    """A :class:`~translate.translator.Translator` of :func:`random_run`, shared by the session."""
    from translate.translator import Translator

    return Translator.load(random_run)


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory) -> dict:
    """The tiny model trained for 3 epochs (:func:`helpers.ensure_tiny_run`).

    Returns:
        ``{"base", "corpus", "config", "run_dir", "log"}``: the paths of
        :func:`helpers.robust_files` and what the training printed.
    """
    files = helpers.robust_files(tmp_path_factory.getbasetemp())
    return {**files, "log": helpers.ensure_tiny_run(files)}


@pytest.fixture(scope="session", autouse=True)
def _write_robustness_cases():
    """With env ``ROBUSTNESS_CASES=FILE``, writes every recorded bad input there at the end."""
    yield
    path = os.environ.get("ROBUSTNESS_CASES")
    if path:
        helpers.write_cases(path)

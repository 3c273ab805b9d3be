"""Shared pytest fixtures: the corpus folder, the two tiny run directories, the case record.

Both run directories come from the one builder :func:`helpers.make_run`, under
pytest's session temp folder, and are shared by the whole session: tests that
change files in them work on a copy.
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
    """An untrained tiny run directory: tokenizer, config and a random-weight model.

    For tests of loading and translating; written in a second or two.
    """
    return helpers.make_run(tmp_path_factory.getbasetemp(), "random", trained=False)["run_dir"]


@pytest.fixture(scope="session")
def random_translator(random_run):
    """The :class:`~translate.inference.translator.Translator` of :func:`random_run`, shared."""
    from translate.inference.translator import Translator

    return Translator.load(random_run)


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory) -> dict:
    """A tiny run trained by ``translate train`` until ``training.max_steps=3``.

    For tests that need a real checkpoint, training state and metrics.

    Returns:
        ``{"base", "corpus", "config", "run_dir", "log"}``: the paths of
        :func:`helpers.run_files` and what the training printed.
    """
    return helpers.make_run(tmp_path_factory.getbasetemp(), "tiny")


@pytest.fixture(scope="session")
def tiny_translator(tiny_run):
    """The :class:`~translate.inference.translator.Translator` of :func:`tiny_run`, shared."""
    from translate.inference.translator import Translator

    return Translator.load(tiny_run["run_dir"])


@pytest.fixture(scope="session", autouse=True)
def _write_robustness_cases():
    """With env ``ROBUSTNESS_CASES=FILE``, writes every recorded bad input there at the end."""
    yield
    path = os.environ.get("ROBUSTNESS_CASES")
    if path:
        helpers.write_cases(path)

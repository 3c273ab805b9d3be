"""An LSTM encoder-decoder translator with attention, built on Keras 3 and TensorFlow.

The public API::

    from translate import Translator, load_config, train, evaluate, export

    config = load_config("configs/quick.yaml")
    train(config, "runs/quick")
    Translator.load("runs/quick").translate("Ein Mann fährt Fahrrad.").text
    Translator.load(["runs/a", "runs/b"])              # an ensemble
    evaluate("runs/quick")["bleu"]
    export("runs/quick", "exports/quick")

``import translate`` alone does not import TensorFlow: each name is imported
from its module on first use (PEP 562 module ``__getattr__``), so the command
line's ``--help`` and config checks start in a fraction of a second.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"


class TranslateError(Exception):
    """A problem with the user's input, config, data or files.

    The command-line tool prints its message on one line and exits with status 2,
    without a stack trace. The message names the file, line, key or value at fault.
    """


#: Each public name and the module that defines it, imported on first use.
_PUBLIC = {
    "Translator": "translate.inference.translator",
    "load_config": "translate.config.schema",
    "train": "translate.training.train",
    "evaluate": "translate.inference.evaluation",
    "export": "translate.inference.export",
}

__all__ = [
    "TranslateError",
    "Translator",
    "__version__",
    "evaluate",
    "export",
    "load_config",
    "train",
]

if TYPE_CHECKING:
    from translate.config.schema import load_config
    from translate.inference.evaluation import evaluate
    from translate.inference.export import export
    from translate.inference.translator import Translator
    from translate.training.train import train


def __getattr__(name: str) -> Any:
    """Imports a public name from its module the first time it is asked for."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'translate' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

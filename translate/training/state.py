"""What a run resumes from beyond its weights: epochs, steps, best dev BLEU, why it stopped.

:class:`TrainingState` is saved in the checkpoint of a run directory (see
:mod:`translate.runs.rundir`) and changed by the training callbacks (see
:mod:`translate.training.callbacks`) as training goes.
"""

from __future__ import annotations

import dataclasses
import json
import os

from translate import TranslateError
from translate.config.schema import TrainingConfig


@dataclasses.dataclass
class TrainingState:
    """What a resumed run needs beyond the weights. Saved as ``checkpoint/state.json``."""

    epoch: int = 0
    step: int = 0
    best_bleu: float = -1.0
    best_epoch: int = 0
    epochs_without_improvement: int = 0
    epochs_since_lr_decay: int = 0
    lr_scale: float = 1.0
    elapsed_seconds: float = 0.0
    finished: bool = False
    stop_reason: str = ""

    @classmethod
    def from_json(cls, text: str | bytes, origin: str) -> TrainingState:
        """Parses and checks a saved state.

        Raises:
            TranslateError: If it is not JSON, not an object, or has unknown or
                mistyped fields, naming ``origin``.
        """
        kinds = {"int": (int,), "float": (int, float), "bool": (bool,), "str": (str,)}
        try:
            payload = json.loads(text)
            if not isinstance(payload, dict):
                raise ValueError(f"expected a JSON object, got {type(payload).__name__}")
            fields = {field.name: kinds[str(field.type)] for field in dataclasses.fields(cls)}
            for key, value in payload.items():
                if key not in fields:
                    raise ValueError(f"unknown field {key!r}")
                if not isinstance(value, fields[key]) or (
                    isinstance(value, bool) and bool not in fields[key]
                ):
                    raise ValueError(f"field {key!r} is {value!r}")
            return cls(**payload)
        except ValueError as error:  # Also json.JSONDecodeError and UnicodeDecodeError.
            raise TranslateError(
                f"{origin}: damaged training state ({error}); delete the folder "
                f"{os.path.dirname(origin)} to start training over"
            ) from None

    def limit_raised(self, training: TrainingConfig) -> bool:
        """Whether a finished run may go on because the limit that ended it was raised.

        A run stopped by ``training.epochs``, ``max_steps`` or ``max_minutes``
        continues when run again with a larger value of that setting (0 lifts a
        step or time limit); early stopping and any other stop stay final.

        Args:
            training: The training section of the config of this invocation.

        Returns:
            True when training should continue from the checkpoint.
        """
        if self.epoch >= training.epochs:
            return False
        reason = self.stop_reason
        if reason.startswith("completed"):
            return True
        if reason.startswith("reached training.max_steps"):
            return not training.max_steps or self.step < training.max_steps
        if reason.startswith("reached training.max_minutes"):
            return not training.max_minutes or self.elapsed_seconds < 60 * training.max_minutes
        return False

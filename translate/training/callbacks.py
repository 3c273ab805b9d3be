"""The Keras callbacks of training: the learning rate, and the work at the end of each epoch.

:class:`LearningRateController` is the one owner of the learning rate: a
linear warm-up to the peak rate, times a scale that decays when dev BLEU stops
improving. :class:`TrainingMonitor` scores the dev set after each epoch, keeps
the best model, tells the controller whether the epoch improved, stops early,
and writes the metrics record, the weight snapshot and the checkpoint. Both
keep what a resumed run needs in the shared
:class:`~translate.training.state.TrainingState`.
"""

from __future__ import annotations

import math
import time

import keras
import tensorflow as tf

from translate import TranslateError
from translate.config.schema import Config, TrainingConfig
from translate.inference import metrics
from translate.inference.translator import Translator
from translate.runs.rundir import RunDir
from translate.training import distribute
from translate.training.state import TrainingState


class LearningRateController(keras.callbacks.Callback):
    """Linear warm-up to the peak rate, times a scale that decays on dev plateaus.

    The rate of step ``s`` (0-based) is ``peak * lr_scale * min(1, (s + 1) /
    warmup_steps)``. After ``lr_patience`` epochs without a dev BLEU gain the
    scale is multiplied by ``lr_decay_factor``, never below
    ``min_learning_rate / peak``.

    Args:
        training: The ``training`` config section (rates, warm-up, decay).
        state: The shared state; its ``step``, ``lr_scale`` and
            ``epochs_since_lr_decay`` are read and updated here.
    """

    def __init__(self, training: TrainingConfig, state: TrainingState):
        super().__init__()
        self.training = training
        self.state = state

    def current(self) -> float:
        """The learning rate of the next step."""
        warmup_steps = self.training.warmup_steps
        warmup = min(1.0, (self.state.step + 1) / warmup_steps) if warmup_steps else 1.0
        return self.training.learning_rate * self.state.lr_scale * warmup

    def on_train_batch_begin(self, batch, logs=None):
        if self.state.step <= self.training.warmup_steps or batch == 0:
            self.model.optimizer.learning_rate.assign(self.current())

    def on_train_batch_end(self, batch, logs=None):
        self.state.step += 1

    def end_epoch(self, improved: bool) -> None:
        """Counts an epoch with or without a dev gain; decays the rate after a plateau.

        Args:
            improved: Whether dev BLEU reached a new best this epoch.
        """
        if improved:
            self.state.epochs_since_lr_decay = 0
            return
        self.state.epochs_since_lr_decay += 1
        if self.state.epochs_since_lr_decay >= self.training.lr_patience:
            floor = self.training.min_learning_rate / self.training.learning_rate
            decayed = self.state.lr_scale * self.training.lr_decay_factor
            self.state.lr_scale = max(decayed, floor)
            self.state.epochs_since_lr_decay = 0
            self.model.optimizer.learning_rate.assign(self.current())


class TrainingMonitor(keras.callbacks.Callback):
    """End-of-epoch work: dev BLEU, best model, early stopping, metrics, checkpoint.

    Also stops on a NaN loss (keeping the last good checkpoint) and at the
    step or wall-time limits of the config.

    Args:
        config: The experiment.
        run: The run directory this process writes.
        state: The shared training state.
        learning_rate: The controller told after each epoch whether dev BLEU improved.
        translator: Translates the dev set with the model being trained.
        dev_sources: Dev source sentences.
        dev_references: Their reference translations.
    """

    def __init__(
        self,
        config: Config,
        run: RunDir,
        state: TrainingState,
        learning_rate: LearningRateController,
        translator: Translator,
        dev_sources: list[str],
        dev_references: list[str],
    ):
        super().__init__()
        self.config = config
        self.run = run
        self.state = state
        self.learning_rate = learning_rate
        self.translator = translator
        self.dev_sources = dev_sources
        self.dev_references = dev_references
        self.started = time.monotonic()
        self.elapsed_before = state.elapsed_seconds

    def elapsed(self) -> float:
        """Training seconds so far, over all runs that resumed this one."""
        return self.elapsed_before + time.monotonic() - self.started

    def strategy(self) -> tf.distribute.Strategy:
        """The strategy the model trains under (the default one outside ``fit``)."""
        return getattr(self.model, "distribute_strategy", None) or tf.distribute.get_strategy()

    # Each step ----------------------------------------------------------------------------

    def on_train_batch_end(self, batch, logs=None):
        self._check_loss((logs or {}).get("loss"))
        self._check_limits()

    def _check_loss(self, loss) -> None:
        if loss is not None and not math.isfinite(float(loss)):
            raise TranslateError(
                f"training loss became {loss} at step {self.state.step}; stopped. The last good "
                f"checkpoint (epoch {self.state.epoch}) is kept in {self.run.checkpoint_dir}; "
                "lower training.learning_rate or training.clip_norm and run again to resume from it"
            )

    def _check_limits(self) -> None:
        training = self.config.training
        if training.max_steps and self.state.step >= training.max_steps:
            self._stop(f"reached training.max_steps={training.max_steps}")
        if training.max_minutes and distribute.any_worker(
            self.strategy(), self.elapsed() >= 60 * training.max_minutes
        ):  # Agreed by all workers of a multi-worker run, whose clocks differ.
            self._stop(f"reached training.max_minutes={training.max_minutes}")

    def _stop(self, reason: str) -> None:
        self.state.stop_reason = reason
        self.model.stop_training = True

    # Each epoch ---------------------------------------------------------------------------

    def on_epoch_end(self, epoch, logs=None):
        dev = self._score_dev()
        improved = self._keep_best(dev["bleu"], epoch + 1)
        self.learning_rate.end_epoch(improved)
        self._check_early_stopping()
        self._close_epoch(epoch + 1)
        record = self._record(logs, dev)
        self.run.append_metrics(record)
        self._report(record, improved)
        keep = self.config.training.keep_checkpoints
        self.run.save_snapshot(self.model, self.state.epoch, keep)
        self.run.save_checkpoint(self.model, self.state)

    def _score_dev(self) -> dict[str, float]:
        """Dev BLEU and chrF of greedy translations, computed by the chief, known to all."""
        strategy = self.strategy()
        dev = {"bleu": 0.0, "chrf": 0.0}
        if distribute.is_chief(strategy):  # Other workers of a multi-worker run get its scores.
            greedy = self.translator.translate(self.dev_sources, beam_size=1, n_best=1)
            dev = metrics.score([t.text for t in greedy], self.dev_references)
        dev["bleu"], dev["chrf"] = distribute.chief_values(strategy, [dev["bleu"], dev["chrf"]])
        return dev

    def _keep_best(self, bleu: float, epoch: int) -> bool:
        """Saves the model if ``bleu`` is a new best; returns whether it is."""
        if bleu <= self.state.best_bleu:
            self.state.epochs_without_improvement += 1
            return False
        self.state.best_bleu, self.state.best_epoch = bleu, epoch
        self.state.epochs_without_improvement = 0
        self.run.save_model(self.model)
        return True

    def _check_early_stopping(self) -> None:
        patience = self.config.training.early_stopping_patience
        if self.state.epochs_without_improvement >= patience:
            self._stop(f"no dev BLEU gain for {patience} epochs (early stopping)")

    def _close_epoch(self, epoch: int) -> None:
        """Counts the epoch done and marks the run finished if it stops here."""
        epochs = self.config.training.epochs
        self.state.epoch = epoch
        self.state.elapsed_seconds = self.elapsed()
        if self.model.stop_training or self.state.epoch >= epochs:
            self.state.finished = True
            self.state.stop_reason = self.state.stop_reason or f"completed {epochs} epochs"

    def _record(self, logs: dict | None, dev: dict[str, float]) -> dict:
        """The epoch's line of ``metrics.jsonl``."""
        return {
            "epoch": self.state.epoch,
            "step": self.state.step,
            "loss": float((logs or {}).get("loss", float("nan"))),
            "dev_bleu": dev["bleu"],
            "dev_chrf": dev["chrf"],
            "best_bleu": self.state.best_bleu,
            "learning_rate": float(self.model.optimizer.learning_rate.numpy()),
            "elapsed_seconds": round(self.state.elapsed_seconds, 1),
            "sentences_per_batch": round(float((logs or {}).get("sentences_per_batch", 0.0)), 2),
        }

    @staticmethod
    def _report(record: dict, improved: bool) -> None:
        print(
            f"epoch {record['epoch']}: loss {record['loss']:.3f}, dev BLEU {record['dev_bleu']:.2f}"
            f"{' (best)' if improved else ''}, chrF {record['dev_chrf']:.2f}, "
            f"lr {record['learning_rate']:.2e}, {record['sentences_per_batch']:.1f} pairs/batch, "
            f"{record['elapsed_seconds']:.0f} s",
            flush=True,
        )


def training_callbacks(
    config: Config,
    run: RunDir,
    state: TrainingState,
    translator: Translator,
    dev_sources: list[str],
    dev_references: list[str],
) -> list[keras.callbacks.Callback]:
    """The callbacks of ``model.fit``, in the order Keras must call them.

    The learning-rate controller counts a step before the monitor checks the
    step limit, and TensorBoard logs what the two have set.

    Args:
        config: The experiment.
        run: The run directory this process writes.
        state: The training state the callbacks share and update.
        translator: Translates the dev set with the model being trained.
        dev_sources: Dev source sentences.
        dev_references: Their reference translations.

    Returns:
        The learning-rate controller, the monitor and a TensorBoard logger.
    """
    learning_rate = LearningRateController(config.training, state)
    return [
        learning_rate,
        TrainingMonitor(config, run, state, learning_rate, translator, dev_sources, dev_references),
        keras.callbacks.TensorBoard(run.logs_dir, update_freq=100),
    ]

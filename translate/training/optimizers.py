"""The optimizer of training: Adam or AdamW, chosen by :func:`make_optimizer`.

Two families share Keras' optimizer state (the same momentum and velocity
variables, the same names), so checkpoints move freely between them:

* Keras' own ``Adam`` / ``AdamW``, on one device.
* :class:`ReplicatedAdam` / :class:`ReplicatedAdamW` (several replicas of a
  ``tf.distribute`` strategy). Keras clips ``global_clipnorm`` before it sums
  the replicas' gradients, which clips each replica's share on its own; these
  clip the summed gradient instead, so a distributed step equals the
  one-device step (:class:`translate.training.keras_internals.ClipAfterAllReduce`).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from translate.config.schema import TrainingConfig
from translate.training.keras_internals import ClipAfterAllReduce


@keras.saving.register_keras_serializable(package="translate")
class ReplicatedAdam(ClipAfterAllReduce, keras.optimizers.Adam):
    """``keras.optimizers.Adam`` whose ``global_clipnorm`` clips the all-reduced gradient."""


@keras.saving.register_keras_serializable(package="translate")
class ReplicatedAdamW(ClipAfterAllReduce, keras.optimizers.AdamW):
    """``keras.optimizers.AdamW`` whose ``global_clipnorm`` clips the all-reduced gradient."""


def make_optimizer(
    config: TrainingConfig, strategy: tf.distribute.Strategy
) -> keras.optimizers.Optimizer:
    """The optimizer of the ``training`` config section, for training under ``strategy``.

    AdamW when ``weight_decay`` is above 0, else Adam; with the peak learning
    rate (the learning-rate callback sets the rate of each step) and
    ``global_clipnorm=clip_norm``. Under several replicas it is the
    ``Replicated`` class, else Keras' own.

    Args:
        config: The ``training`` section of the config.
        strategy: The ``tf.distribute`` strategy the model is trained under.

    Returns:
        A new, unbuilt optimizer.
    """
    decoupled = config.weight_decay > 0
    if strategy.num_replicas_in_sync > 1:  # Clip after the all-reduce.
        optimizer_class = ReplicatedAdamW if decoupled else ReplicatedAdam
    else:
        optimizer_class = keras.optimizers.AdamW if decoupled else keras.optimizers.Adam
    options = {"weight_decay": config.weight_decay} if decoupled else {}
    return optimizer_class(
        learning_rate=config.learning_rate, global_clipnorm=config.clip_norm, **options
    )


def with_loss_scaling(
    optimizer: keras.optimizers.Optimizer, policy: str
) -> keras.optimizers.Optimizer:
    """``optimizer`` wrapped in Keras' dynamic loss scaling when ``policy`` is ``mixed_float16``.

    float16 gradients of small losses underflow to zero; Keras'
    ``LossScaleOptimizer`` multiplies the loss by a large scale before the
    gradient and divides the gradient by it after, halving the scale (and
    skipping the step) when a gradient is not finite. bfloat16 has float32's
    range and needs none. The wrapped optimizer (Keras' own or a
    ``Replicated`` one) does the clipping and the update as before.

    Args:
        optimizer: From :func:`make_optimizer`.
        policy: The resolved precision policy (:mod:`translate.training.precision`).

    Returns:
        ``optimizer`` itself, or a ``keras.optimizers.LossScaleOptimizer`` around it.
    """
    if policy != "mixed_float16":
        return optimizer
    return keras.optimizers.LossScaleOptimizer(optimizer)

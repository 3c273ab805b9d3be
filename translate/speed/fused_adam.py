"""Adam and AdamW with TensorFlow's fused one-pass update: a CPU speed device.

Keras' ``Adam.update_step`` writes the update as about ten element-wise
operations per variable (moments, their corrections, the step), each a pass
over memory the size of the variable; for the reference model's 16 million
parameters that is a measurable share of a CPU training step
(``docs/performance.md``). TensorFlow's ``ResourceApplyAdam`` does the same
update in one pass::

    lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
    m    = beta_1 * m + (1 - beta_1) * g
    v    = beta_2 * v + (1 - beta_2) * g^2
    w    = w - lr_t * m / (sqrt(v) + epsilon)

which is Keras' update, term for term. The classes keep Keras' state (the same
momentum and velocity variables, the same names), so checkpoints move freely
between them and Keras' own. They fall back to Keras' update where the fused
kernel does not apply (``amsgrad``, a variable under a distribution strategy's
mirroring, dtypes other than float32). A sparse gradient (an embedding's) is
made dense first: Adam's moments decay on every row, so Keras' update touches
every row too.
"""

from __future__ import annotations

import keras
import tensorflow as tf


class _FusedAdamUpdate:
    """Replaces ``update_step`` of a Keras Adam-family optimizer by ``ResourceApplyAdam``."""

    def update_step(self, gradient, variable, learning_rate):
        if not self._fusable(gradient, variable):
            return super().update_step(gradient, variable, learning_rate)
        index = self._get_variable_index(variable)
        momentum = self._momentums[index].value  # tf.Variable
        velocity = self._velocities[index].value
        dtype = variable.dtype
        step = tf.cast(self.iterations + 1, dtype)
        beta_1 = tf.cast(self.beta_1, dtype)
        beta_2 = tf.cast(self.beta_2, dtype)
        return tf.raw_ops.ResourceApplyAdam(
            var=variable.handle,
            m=momentum.handle,
            v=velocity.handle,
            beta1_power=tf.pow(beta_1, step),
            beta2_power=tf.pow(beta_2, step),
            lr=tf.cast(learning_rate, dtype),
            beta1=beta_1,
            beta2=beta_2,
            epsilon=tf.cast(self.epsilon, dtype),
            grad=tf.cast(tf.convert_to_tensor(gradient), dtype),  # Adam moves every row anyway
            use_locking=False,
        )

    def _fusable(self, gradient, variable) -> bool:
        return (
            not self.amsgrad
            and isinstance(variable, tf.Variable)
            and not hasattr(variable, "_distributed_container")
            and tf.distribute.get_strategy().num_replicas_in_sync == 1
            and variable.dtype == tf.float32
        )


@keras.saving.register_keras_serializable(package="translate")
class FusedAdam(_FusedAdamUpdate, keras.optimizers.Adam):
    """``keras.optimizers.Adam`` with the fused update; same arguments and state."""


@keras.saving.register_keras_serializable(package="translate")
class FusedAdamW(_FusedAdamUpdate, keras.optimizers.AdamW):
    """``keras.optimizers.AdamW`` with the fused update; same arguments and state.

    The decoupled weight decay is applied by Keras before the update, as in AdamW.
    """

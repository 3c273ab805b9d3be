"""Writes the saved-run files of the previous model layout that ``tests/test_legacy.py`` loads.

These files were written by the model code before the decoder's layers became
LSTM layers of their own (the decoder kept ``decoder/vars/N``: ``input_kernel_i``,
``recurrent_kernel_i``, ``bias_i``, ...). This script needs that code: it ran
at commit b80bba1 and cannot run against the current model.

For each configuration it writes ``NAME.keras`` (``model.save``) and
``NAME.expected.npz`` (the logits of a fixed batch and of one decoding step).
For the configurations in ``CHECKPOINTS`` it also writes ``NAME.epoch.npz`` (an
epoch snapshot as ``translate/averaging.py`` writes it) and
``NAME.weights.h5`` (``model.save_weights`` of a compiled model after one
optimizer step, as ``checkpoint/last.weights.h5`` holds), and adds to the
expected values the logits after that step and the optimizer's slots of the
decoder's LSTM weights.
"""

import os
import re
import sys

import keras
import numpy as np
import tensorflow as tf

from translate.model import Seq2Seq
from translate.optimizers import FusedAdam

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = {
    "bahdanau_2l": dict(decoder_layers=2),
    "luong_tied_2l": dict(attention="luong", tie_embeddings=True, decoder_layers=2),
    "nofeed_2l": dict(decoder_layers=2, input_feeding=False),
}
#: The tied model: its output bias moves from the decoder's last to its first weight.
CHECKPOINTS = ("luong_tied_2l",)
#: Decoder weights whose place in the layout changes.
MOVED = re.compile(r"^decoder/((input_kernel|recurrent_kernel|bias)_\d+|output_bias)$")
SOURCE = np.array([[5, 6, 7, 8, 9, 3], [10, 11, 3, 0, 0, 0]], np.int32)
TARGET_IN = np.array([[2, 4, 5, 6, 7], [2, 8, 9, 0, 0]], np.int32)
TARGET_OUT = np.array([[4, 5, 6, 7, 3], [8, 9, 3, 0, 0]], np.int32)


def main():
    for index, (name, options) in enumerate(CONFIGS.items()):
        keras.utils.set_random_seed(100 + index)
        model = Seq2Seq(50, 60, embedding_dim=8, encoder_units=8, decoder_units=8, **options)
        model.build()
        rng = np.random.default_rng(index)  # Random weights, biases included.
        weights = [rng.normal(0, 0.4, w.shape).astype("float32") for w in model.get_weights()]
        model.set_weights(weights)
        inputs = {"source": tf.constant(SOURCE), "target_in": tf.constant(TARGET_IN)}
        logits = model(inputs).numpy()
        state = model.encode(inputs["source"])
        step_logits, _, step_attention = model.decode_step(tf.constant([2, 2]), state)
        model.save(os.path.join(HERE, f"{name}.keras"))
        expected = dict(
            logits=logits, step_logits=step_logits.numpy(), step_attention=step_attention.numpy()
        )
        if name in CHECKPOINTS:
            np.savez(
                os.path.join(HERE, f"{name}.epoch.npz"),
                **{v.path.split("/", 1)[-1]: np.asarray(v) for v in model.weights},
            )
            model.compile(
                optimizer=FusedAdam(learning_rate=0.01),
                loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            )
            model.train_on_batch(inputs, tf.constant(TARGET_OUT))
            model.save_weights(os.path.join(HERE, f"{name}.weights.h5"))
            expected["trained_logits"] = model(inputs).numpy()
            optimizer = model.optimizer
            for variable, momentum, velocity in zip(
                model.trainable_variables, optimizer._momentums, optimizer._velocities
            ):
                path = variable.path.split("/", 1)[-1]
                if MOVED.match(path):
                    expected[f"momentum:{path}"] = np.asarray(momentum)
                    expected[f"velocity:{path}"] = np.asarray(velocity)
        np.savez(os.path.join(HERE, f"{name}.expected.npz"), **expected)
        print(name, model.count_params(), file=sys.stderr)


if __name__ == "__main__":
    main()

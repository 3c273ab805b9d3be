"""The optimizer choice (:func:`translate.training.optimizers.make_optimizer`), and the replicated
Adam variants, which equal Keras' own on one device."""

import types

import keras
import numpy as np
import pytest
from helpers import take_optimizer_steps

from translate.config.schema import load_config
from translate.training.optimizers import ReplicatedAdam, ReplicatedAdamW, make_optimizer


@pytest.mark.parametrize(
    "overrides, replicas, expected",
    [
        ([], 1, keras.optimizers.Adam),
        (["training.weight_decay=0.01"], 1, keras.optimizers.AdamW),
        (["training.cpu_kernels=off"], 1, keras.optimizers.Adam),
        ([], 2, ReplicatedAdam),
        (["training.weight_decay=0.01"], 2, ReplicatedAdamW),
    ],
)
def test_make_optimizer_chooses_by_config_and_replicas(overrides, replicas, expected):
    training = load_config(
        None, ["training.learning_rate=0.002", "training.clip_norm=0.5", *overrides]
    ).training
    optimizer = make_optimizer(training, types.SimpleNamespace(num_replicas_in_sync=replicas))
    assert type(optimizer) is expected
    assert float(optimizer.learning_rate.numpy()) == pytest.approx(0.002)
    assert optimizer.global_clipnorm == 0.5
    if "AdamW" in expected.__name__:
        assert optimizer.weight_decay == pytest.approx(0.01)


@pytest.mark.parametrize(
    "replicated, keras_class, options",
    [
        (ReplicatedAdam, keras.optimizers.Adam, {}),
        (ReplicatedAdamW, keras.optimizers.AdamW, {"weight_decay": 0.1}),
    ],
    ids=["adam", "adamw"],
)
def test_replicated_optimizer_on_one_device_is_keras_own(replicated, keras_class, options):
    """Without replicas the gradient is clipped where Keras clips it, and the steps are equal."""
    model, _ = take_optimizer_steps(replicated, **options)
    reference, _ = take_optimizer_steps(keras_class, **options)
    for weight, expected in zip(model.weights, reference.weights):
        np.testing.assert_array_equal(weight.numpy(), expected.numpy(), err_msg=weight.path)


def test_accumulation_does_not_use_keras_gradient_accumulation():
    """training.accumulate_steps accumulates in the training step, normalised by tokens
    (translate/training/step.py); Keras' own per-batch averaging stays off, or it would
    accumulate a second time."""
    training = load_config(None, ["training.accumulate_steps=4"]).training
    for replicas in (1, 2):
        optimizer = make_optimizer(training, types.SimpleNamespace(num_replicas_in_sync=replicas))
        assert not optimizer.gradient_accumulation_steps

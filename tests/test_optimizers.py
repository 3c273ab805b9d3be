"""The optimizer choice, and the Adam variants: the fused ones take the steps of Keras' own and
share their checkpoints; the replicated ones equal Keras' own on one device."""

import types

import keras
import numpy as np
import pytest
import tensorflow as tf

from translate.config import load_config
from translate.optimizers import ReplicatedAdam, ReplicatedAdamW, make_optimizer
from translate.speed.fused_adam import FusedAdam, FusedAdamW


def _train(optimizer_class, steps=5, **options):
    """A few optimizer steps on a dense kernel and an embedding (sparse gradients).

    Returns:
        The model after ``steps`` updates, and the optimizer.
    """
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Embedding(11, 4), keras.layers.Dense(3)])
    tokens = tf.constant([[1, 2, 3], [4, 5, 1]])
    model(tokens)
    optimizer = optimizer_class(learning_rate=0.01, global_clipnorm=1.0, **options)
    for step in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.sin(model(tokens) * (step + 1.0)))
        optimizer.apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
    return model, optimizer


@pytest.mark.parametrize(
    "fused, keras_class, options",
    [
        (FusedAdam, keras.optimizers.Adam, {}),
        (FusedAdamW, keras.optimizers.AdamW, {"weight_decay": 0.1}),
    ],
    ids=["adam", "adamw"],
)
def test_fused_optimizer_takes_the_steps_of_keras(fused, keras_class, options):
    model, optimizer = _train(fused, **options)
    reference, reference_optimizer = _train(keras_class, **options)
    initial, _ = _train(keras_class, steps=0, **options)
    for weight, expected, start in zip(model.weights, reference.weights, initial.weights):
        np.testing.assert_allclose(
            weight.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6, err_msg=weight.path
        )
        assert np.abs(weight.numpy() - start.numpy()).max() > 1e-3, f"{weight.path} did not move"
    for state, expected in zip(optimizer.variables, reference_optimizer.variables):
        np.testing.assert_allclose(
            np.asarray(state), np.asarray(expected), rtol=1e-5, atol=1e-7, err_msg=state.path
        )


def test_fused_adam_uses_the_fused_kernel_for_dense_gradients():
    variable = keras.Variable(tf.zeros((2, 2)))
    optimizer = FusedAdam(learning_rate=0.1)
    optimizer.build([variable])

    @tf.function
    def step():
        optimizer.apply([tf.ones((2, 2))], [variable])

    graph = step.get_concrete_function().graph
    assert "ResourceApplyAdam" in {op.type for op in graph.get_operations()}


@pytest.mark.parametrize(
    "saved, loaded",
    [(FusedAdam, keras.optimizers.Adam), (keras.optimizers.Adam, FusedAdam)],
    ids=["fused-to-keras", "keras-to-fused"],
)
def test_checkpoints_move_between_fused_and_keras_adam(saved, loaded, tmp_path):
    def compiled(optimizer_class):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.compile(optimizer=optimizer_class(learning_rate=0.01), loss="mse")
        return model

    model = compiled(saved)
    model.fit(np.ones((8, 3)), np.zeros((8, 2)), epochs=2, batch_size=4, verbose=0)
    path = str(tmp_path / "last.weights.h5")
    model.save_weights(path)
    restored = compiled(loaded)
    restored.optimizer.build(restored.trainable_variables)
    restored.load_weights(path)
    assert int(restored.optimizer.iterations.numpy()) == 4
    for state, expected in zip(restored.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(state), np.asarray(expected), err_msg=state.path)


@pytest.mark.parametrize(
    "overrides, replicas, expected",
    [
        (["training.cpu_kernels=on"], 1, FusedAdam),
        (["training.cpu_kernels=on", "training.weight_decay=0.01"], 1, FusedAdamW),
        (["training.cpu_kernels=off"], 1, keras.optimizers.Adam),
        (["training.cpu_kernels=off", "training.weight_decay=0.01"], 1, keras.optimizers.AdamW),
        (["training.fused_optimizer=false"], 1, keras.optimizers.Adam),
        (
            ["training.fused_optimizer=false", "training.weight_decay=0.01"],
            1,
            keras.optimizers.AdamW,
        ),
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
    model, _ = _train(replicated, **options)
    reference, _ = _train(keras_class, **options)
    for weight, expected in zip(model.weights, reference.weights):
        np.testing.assert_array_equal(weight.numpy(), expected.numpy(), err_msg=weight.path)

"""Tests that runs saved by the earlier weight layout still load and compute the same.

The files in ``tests/data/legacy`` were written by the earlier model code
(``tests/data/legacy/make_legacy_files.py``), with the values it computed.
"""

import os
import shutil
import zipfile

import h5py
import keras
import numpy as np
import pytest
import tensorflow as tf

from translate.errors import TranslateError
from translate.model import Seq2Seq, legacy

DATA = os.path.join(os.path.dirname(__file__), "data", "legacy")
NAMES = ["bahdanau_2l", "luong_tied_2l", "nofeed_2l"]
CHECKPOINT = "luong_tied_2l"  # Tied: the output bias moves among the optimizer's slots too.
INPUTS = {
    "source": tf.constant([[5, 6, 7, 8, 9, 3], [10, 11, 3, 0, 0, 0]], tf.int32),
    "target_in": tf.constant([[2, 4, 5, 6, 7], [2, 8, 9, 0, 0]], tf.int32),
}
ATOL = 1e-5


def _data(name):
    return os.path.join(DATA, name)


def _expected(name):
    with np.load(_data(f"{name}.expected.npz")) as expected:
        return dict(expected)


def _weight_names(model):
    return [variable.path.split("/", 1)[-1] for variable in model.weights]


@pytest.mark.parametrize("name", NAMES)
def test_an_old_keras_file_loads_and_gives_the_old_logits(name):
    expected = _expected(name)
    model = legacy.load_model(_data(f"{name}.keras"))
    assert isinstance(model, Seq2Seq)
    np.testing.assert_allclose(model(INPUTS).numpy(), expected["logits"], atol=ATOL)
    state = model.encode(INPUTS["source"])
    logits, _, attention = model.decode_step(tf.constant([2, 2]), state)
    np.testing.assert_allclose(logits.numpy(), expected["step_logits"], atol=ATOL)
    np.testing.assert_allclose(attention.numpy(), expected["step_attention"], atol=ATOL)


def test_old_and_new_layouts_are_told_apart(tmp_path):
    model = legacy.load_model(_data("luong_tied_2l.keras"))
    path = str(tmp_path / "new.keras")
    model.save(path)
    for keras_file, old in [(_data("luong_tied_2l.keras"), True), (path, False)]:
        with zipfile.ZipFile(keras_file) as archive:
            archive.extract("model.weights.h5", tmp_path / str(old))
        weights = str(tmp_path / str(old) / "model.weights.h5")
        with h5py.File(weights, "r") as handle:
            assert legacy.is_legacy(handle) is old
        assert legacy.upgrade_weights(weights, str(tmp_path / "copy.weights.h5")) is old
    reloaded = legacy.load_model(path)
    np.testing.assert_array_equal(reloaded(INPUTS).numpy(), model(INPUTS).numpy())


def test_an_old_checkpoint_resumes_with_its_weights_and_optimizer_slots(tmp_path):
    expected = _expected(CHECKPOINT)
    checkpoint = str(tmp_path / "last.weights.h5")
    shutil.copyfile(_data(f"{CHECKPOINT}.weights.h5"), checkpoint)
    with h5py.File(checkpoint, "a") as handle:  # Training keeps its state in an attribute.
        handle.attrs["training_state"] = '{"epoch": 1}'
    model = legacy.load_model(_data(f"{CHECKPOINT}.keras"))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy"
    )
    model.optimizer.build(model.trainable_variables)

    legacy.load_weights(model, checkpoint)
    np.testing.assert_allclose(model(INPUTS).numpy(), expected["trained_logits"], atol=ATOL)
    assert int(model.optimizer.iterations.numpy()) == 1
    names = [variable.path.split("/", 1)[-1] for variable in model.trainable_variables]
    slots = {"momentum": model.optimizer._momentums, "velocity": model.optimizer._velocities}
    checked = 0
    for key, value in expected.items():
        if ":" in key:
            kind, old_path = key.split(":")
            index = names.index(legacy.upgrade_weight_path(old_path))
            np.testing.assert_array_equal(np.asarray(slots[kind][index]), value, err_msg=key)
            checked += 1
    assert checked == 2 * (3 * 2 + 1)  # Two LSTM layers and the output bias, two slots each.
    upgraded = str(tmp_path / "upgraded.weights.h5")
    assert legacy.upgrade_weights(checkpoint, upgraded)
    with h5py.File(upgraded, "r") as handle:
        assert handle.attrs["training_state"] == '{"epoch": 1}'


def test_an_old_epoch_snapshot_maps_onto_the_new_weights():
    expected = _expected(CHECKPOINT)
    model = legacy.load_model(_data(f"{CHECKPOINT}.keras"))
    for variable in model.weights:
        variable.assign(tf.zeros_like(variable))
    with np.load(_data(f"{CHECKPOINT}.epoch.npz")) as snapshot:
        arrays = {legacy.upgrade_weight_path(name): snapshot[name] for name in snapshot.files}
    assert "decoder/lstm_1/recurrent_kernel" in arrays
    assert sorted(arrays) == sorted(_weight_names(model))
    model.set_weights([arrays[name] for name in _weight_names(model)])
    np.testing.assert_allclose(model(INPUTS).numpy(), expected["logits"], atol=ATOL)


def test_weight_paths_map_as_documented():
    assert legacy.upgrade_weight_path("decoder/input_kernel_0") == "decoder/lstm_0/kernel"
    assert legacy.upgrade_weight_path("decoder/recurrent_kernel_2") == (
        "decoder/lstm_2/recurrent_kernel"
    )
    assert legacy.upgrade_weight_path("decoder/bias_1") == "decoder/lstm_1/bias"
    for unchanged in ["decoder/output_bias", "encoder/forward_0/bias", "decoder/bridge/bias"]:
        assert legacy.upgrade_weight_path(unchanged) == unchanged


def test_a_decoder_layout_this_project_never_wrote_is_refused(tmp_path):
    path = str(tmp_path / "odd.weights.h5")
    with h5py.File(path, "w") as handle:
        for index in range(5):
            handle[f"decoder/vars/{index}"] = np.zeros(2)
    with pytest.raises(TranslateError, match="5 decoder weights"):
        legacy.upgrade_weights(path, str(tmp_path / "out.weights.h5"))

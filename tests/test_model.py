"""Tests of the Keras layers and the Seq2Seq model: shapes, masking, steps, saving."""

import functools
import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf

from translate.model import LSTM, BahdanauAttention, Decoder, Encoder, LuongAttention, Seq2Seq
from translate.model import decoder as decoder_module
from translate.model import lstm as lstm_module
from translate.model.step_kernels import LoopKernels

SRC_VOCAB, TGT_VOCAB = 23, 29
ATOL = 1e-5


def make_model(attention="bahdanau", layers=1, tie=False, feeding=True, seed=0):
    """Builds a tiny Seq2Seq with dropout off and all weights created.

    Args:
        attention: ``bahdanau`` or ``luong``.
        layers: Encoder and decoder layers.
        tie: Tie the target embedding and the output layer.
        feeding: Input feeding.
        seed: Weight initialization seed.

    Returns:
        The built model. Encoder and decoder widths differ on purpose, so a
        mix-up of memory and state sizes shows as a shape error.
    """
    keras.utils.set_random_seed(seed)
    model = Seq2Seq(
        SRC_VOCAB, TGT_VOCAB,
        embedding_dim=6, encoder_units=5, encoder_layers=layers,
        decoder_units=8, decoder_layers=layers, attention=attention,
        input_feeding=feeding, dropout=0.0, embedding_dropout=0.0, tie_embeddings=tie,
    )
    model.build()
    return model


def batch():
    """A padded batch of two sentence pairs of different lengths.

    Returns:
        ``(inputs, source_lengths, target_lengths)``: ``inputs`` holds int32
        ``source (2, 6)`` ending in eos (3) and ``target_in (2, 5)`` starting with
        bos (2), both 0-padded.
    """
    source = tf.constant([[5, 6, 7, 8, 9, 3], [10, 11, 3, 0, 0, 0]], tf.int32)
    target_in = tf.constant([[2, 4, 5, 6, 7], [2, 8, 9, 0, 0]], tf.int32)
    return {"source": source, "target_in": target_in}, [6, 3], [5, 3]


def _pad(x, length):
    """Right-pads a ``(batch, time)`` int tensor with zeros.

    Args:
        x: The tensor.
        length: The new time length (>= the old one).

    Returns:
        The padded tensor.
    """
    return tf.pad(x, [[0, 0], [0, length - x.shape[1]]])


# Every pair of option values (attention x layers x tying x input feeding) occurs
# in at least one of these six models: a pairwise covering of the 16 combinations.
CONFIGS = [
    dict(attention=a, layers=n, tie=t, feeding=f)
    for a, n, t, f in [
        ("bahdanau", 1, False, True),
        ("bahdanau", 2, True, False),
        ("luong", 1, True, True),
        ("luong", 2, False, False),
        ("bahdanau", 1, True, False),
        ("luong", 2, True, True),
    ]
]


def test_configs_cover_every_pair_of_options():
    options = [(c["attention"], c["layers"], c["tie"], c["feeding"]) for c in CONFIGS]
    values = [sorted(set(column)) for column in zip(*options)]
    assert [len(v) for v in values] == [2, 2, 2, 2]
    for i, j in itertools.combinations(range(4), 2):
        pairs = {(o[i], o[j]) for o in options}
        assert pairs == set(itertools.product(values[i], values[j]))


@functools.lru_cache(maxsize=None)
def _cached(attention, layers, tie, feeding):
    """Memoized :func:`make_model` (arguments as there)."""
    return make_model(attention, layers, tie, feeding)


def cached_model(config):
    """A model built once per configuration and shared by the tests that only read it.

    Args:
        config: Keyword arguments of :func:`make_model`.

    Returns:
        The shared model (do not modify its weights).
    """
    return _cached(config["attention"], config["layers"], config["tie"], config["feeding"])


def _config_id(config):
    """A readable test id for a model configuration.

    Args:
        config: Keyword arguments of :func:`make_model`.

    Returns:
        E.g. ``luong-2l-tied-nofeed``.
    """
    return "-".join([
        config["attention"], f"{config['layers']}l",
        "tied" if config["tie"] else "untied", "feed" if config["feeding"] else "nofeed",
    ])


# Shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS, ids=_config_id)
def test_output_shapes(config):
    model = cached_model(config)
    inputs, _, _ = batch()
    logits = model(inputs)
    assert logits.shape == (2, 5, TGT_VOCAB)
    assert np.isfinite(logits.numpy()).all()

    state = model.encode(inputs["source"])
    assert state["memory"].shape == (2, 6, 10)  # 2 * encoder_units
    assert state["mask"].shape == (2, 6)
    for layer in range(config["layers"]):
        assert state[f"h_{layer}"].shape == (2, 8)
        assert state[f"c_{layer}"].shape == (2, 8)
    step_logits, new_state, attention = model.decode_step(tf.constant([2, 2]), state)
    assert step_logits.shape == (2, TGT_VOCAB)
    assert attention.shape == (2, 6)
    assert set(new_state) == set(state)
    assert model.attention_weights(inputs).shape == (2, 5, 6)


def test_tied_embeddings_share_the_matrix():
    tied, untied = make_model(tie=True), make_model(tie=False)
    # Tying replaces the (units x vocab) output matrix by a (units x embedding) projection.
    saved = 8 * TGT_VOCAB + TGT_VOCAB - (8 * 6 + TGT_VOCAB)
    assert untied.count_params() - tied.count_params() == saved
    # Changing the target embedding changes the tied model's output logits.
    inputs, _, _ = batch()
    before = tied(inputs).numpy()
    embedding = tied.decoder.embedding.embeddings
    embedding.assign(embedding + 0.5)
    after = tied(inputs).numpy()
    assert not np.allclose(before, after)


def test_from_config_section_builds_the_described_model():
    from translate.config import load_config

    section = load_config(None, [
        "model.embedding_dim=4", "model.encoder_units=3", "model.decoder_units=5",
        "model.decoder_layers=2", "model.attention=luong", "model.input_feeding=false",
    ]).model
    model = Seq2Seq.from_config_section(section, 11, 13)
    model.build()
    assert model.decoder.num_layers == 2
    assert isinstance(model.decoder.attention, LuongAttention)
    logits = model({"source": tf.constant([[4, 5, 3]]), "target_in": tf.constant([[2, 6]])})
    assert logits.shape == (1, 2, 13)


# Masking ----------------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS[:2] + CONFIGS[3:4] + CONFIGS[5:], ids=_config_id)
def test_padding_does_not_change_logits(config):
    model = cached_model(config)
    inputs, _, target_lengths = batch()
    reference = model(inputs).numpy()

    more_source = {"source": _pad(inputs["source"], 11), "target_in": inputs["target_in"]}
    more_target = {"source": inputs["source"], "target_in": _pad(inputs["target_in"], 9)}
    both = {"source": _pad(inputs["source"], 8), "target_in": _pad(inputs["target_in"], 7)}
    for padded in (more_source, more_target, both):
        logits = model(padded).numpy()
        for row, length in enumerate(target_lengths):
            np.testing.assert_allclose(logits[row, :length], reference[row, :length], atol=ATOL)


@pytest.mark.parametrize("config", [CONFIGS[1], CONFIGS[5]], ids=_config_id)
def test_sentence_alone_equals_sentence_in_padded_batch(config):
    model = cached_model(config)
    inputs, source_lengths, target_lengths = batch()
    together = model(inputs).numpy()
    alone = model({
        "source": inputs["source"][1:, : source_lengths[1]],
        "target_in": inputs["target_in"][1:, : target_lengths[1]],
    }).numpy()
    np.testing.assert_allclose(together[1, : target_lengths[1]], alone[0], atol=ATOL)


@pytest.mark.parametrize("config", CONFIGS[:4], ids=_config_id)
def test_attention_is_zero_on_padding_and_sums_to_one(config):
    model = cached_model(config)
    inputs, source_lengths, _ = batch()
    weights = model.attention_weights(inputs).numpy()  # (batch, tgt_len, src_len)
    for row, length in enumerate(source_lengths):
        assert (weights[row, :, length:] == 0).all()
        assert (weights[row, :, :length] > 0).all()
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=ATOL)


def test_encoder_memory_is_zero_on_padding_and_independent_of_it():
    model = cached_model(CONFIGS[3])
    inputs, source_lengths, _ = batch()
    memory, mask, final = model.encoder(inputs["source"])
    assert mask.numpy().tolist() == (inputs["source"].numpy() != 0).tolist()
    assert (memory.numpy()[1, source_lengths[1]:] == 0).all()
    memory2, _, final2 = model.encoder(_pad(inputs["source"], 10))
    np.testing.assert_allclose(memory2.numpy()[:, :6], memory.numpy(), atol=ATOL)
    np.testing.assert_allclose(final2.numpy(), final.numpy(), atol=ATOL)


# Step-by-step decoding equals teacher forcing ---------------------------------------


@pytest.mark.parametrize("config", CONFIGS, ids=_config_id)
def test_decode_step_matches_teacher_forcing(config):
    model = cached_model(config)
    inputs, _, target_lengths = batch()
    logits = model(inputs).numpy()
    attention = model.attention_weights(inputs).numpy()

    state = model.encode(inputs["source"])
    for t in range(inputs["target_in"].shape[1]):
        step_logits, state, step_attention = model.decode_step(inputs["target_in"][:, t], state)
        for row, length in enumerate(target_lengths):
            if t < length:
                np.testing.assert_allclose(step_logits.numpy()[row], logits[row, t], atol=ATOL)
                np.testing.assert_allclose(step_attention.numpy()[row], attention[row, t], atol=ATOL)


def test_dropout_only_applies_in_training():
    keras.utils.set_random_seed(3)
    model = Seq2Seq(SRC_VOCAB, TGT_VOCAB, embedding_dim=6, encoder_units=5, decoder_units=8,
                    encoder_layers=2, decoder_layers=2, dropout=0.5, embedding_dropout=0.5)
    model.build()
    inputs, _, _ = batch()
    np.testing.assert_allclose(model(inputs).numpy(), model(inputs).numpy(), atol=0)
    assert not np.allclose(model(inputs, training=True).numpy(), model(inputs).numpy())


# Saving -----------------------------------------------------------------------------


@pytest.mark.parametrize("config", [CONFIGS[0], dict(attention="luong", layers=2, tie=True,
                                                     feeding=False)], ids=_config_id)
def test_keras_file_round_trip_in_safe_mode(config, tmp_path):
    model = make_model(**config, seed=7)
    inputs, _, _ = batch()
    expected = model(inputs).numpy()
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True, compile=False)
    assert isinstance(loaded, Seq2Seq)
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(loaded(inputs).numpy(), expected)
    state = loaded.encode(inputs["source"])
    step, _, _ = loaded.decode_step(tf.constant([2, 2]), state)
    np.testing.assert_allclose(step.numpy(), expected[:, 0], atol=ATOL)


def _round_trip(layer):
    """Serializes a layer with Keras and deserializes it again.

    Args:
        layer: A Keras layer.

    Returns:
        The new layer, built from the serialized config only.
    """
    serialized = keras.saving.serialize_keras_object(layer)
    assert serialized["registered_name"].startswith("translate>")
    return keras.saving.deserialize_keras_object(serialized)


def _copy_weights(source, target):
    """Copies weights between layers of identical structure.

    Args:
        source: The layer to copy from.
        target: The layer to copy into (built).
    """
    assert len(source.weights) == len(target.weights) > 0
    target.set_weights(source.get_weights())


def test_lstm_serialization_round_trip():
    layer = LSTM(4, reverse=True, name="lstm_x")
    x, lengths = tf.random.stateless_normal((2, 5, 3), seed=(1, 2)), tf.constant([5, 2])
    expected = layer(x, lengths)
    clone = _round_trip(layer)
    assert type(clone) is LSTM
    assert clone.get_config() == layer.get_config()
    assert clone.units == 4 and clone.reverse and clone.name == "lstm_x"
    if not clone.built:
        clone.build(x.shape)
    _copy_weights(layer, clone)
    for got, want in zip(clone(x, lengths), expected):
        np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize("cls", [BahdanauAttention, LuongAttention])
def test_attention_serialization_round_trip(cls):
    layer = cls(6, name="att")
    memory = tf.random.stateless_normal((2, 4, 5), seed=(3, 4))
    query = tf.random.stateless_normal((2, 6), seed=(5, 6))
    mask = tf.constant([[True] * 4, [True, True, False, False]])
    layer.build((None, 6), memory_shape=(None, None, 5))
    context, weights = layer(query, layer.precompute_keys(memory), memory, mask)
    assert context.shape == (2, 5) and weights.shape == (2, 4)
    assert (weights.numpy()[1, 2:] == 0).all()

    clone = _round_trip(layer)
    assert type(clone) is cls
    assert clone.get_config() == layer.get_config()
    if not clone.built:
        clone.build((None, 6), memory_shape=(None, None, 5))
    _copy_weights(layer, clone)
    context2, weights2 = clone(query, clone.precompute_keys(memory), memory, mask)
    np.testing.assert_array_equal(context2.numpy(), context.numpy())
    np.testing.assert_array_equal(weights2.numpy(), weights.numpy())


def test_encoder_serialization_round_trip():
    layer = Encoder(SRC_VOCAB, 6, 5, num_layers=2, dropout=0.1, embedding_dropout=0.2, name="enc")
    source = batch()[0]["source"]
    expected = layer(source)
    clone = _round_trip(layer)
    assert type(clone) is Encoder
    assert clone.get_config() == layer.get_config()
    assert (clone.num_layers, clone.dropout, clone.embedding_dropout) == (2, 0.1, 0.2)
    if not clone.built:
        clone.build(source.shape)
    _copy_weights(layer, clone)
    for got, want in zip(clone(source), expected):
        np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize("attention, tie, feeding", [("bahdanau", False, True), ("luong", True, False)])
def test_decoder_serialization_round_trip(attention, tie, feeding):
    layer = Decoder(TGT_VOCAB, 6, 8, memory_dim=10, num_layers=2, attention=attention,
                    input_feeding=feeding, dropout=0.1, tie_embeddings=tie, name="dec")
    memory = tf.random.stateless_normal((2, 4, 10), seed=(7, 8))
    mask = tf.constant([[True] * 4, [True, True, True, False]])
    final = tf.random.stateless_normal((2, 10), seed=(9, 10))
    target_in = tf.constant([[2, 5, 6], [2, 7, 0]])
    layer.build(target_in.shape)
    logits, weights = layer(target_in, layer.initial_state(memory, mask, final))

    clone = _round_trip(layer)
    assert type(clone) is Decoder
    assert clone.get_config() == layer.get_config()
    assert clone.attention_type == attention
    assert clone.tie_embeddings == tie and clone.input_feeding == feeding
    if not clone.built:
        clone.build(target_in.shape)
    _copy_weights(layer, clone)
    logits2, weights2 = clone(target_in, clone.initial_state(memory, mask, final))
    np.testing.assert_array_equal(logits2.numpy(), logits.numpy())
    np.testing.assert_array_equal(weights2.numpy(), weights.numpy())


def test_seq2seq_config_round_trip():
    model = make_model(attention="luong", layers=2, tie=True, feeding=False)
    clone = Seq2Seq.from_config(model.get_config())
    clone.build()
    assert clone.get_config() == model.get_config()
    clone.set_weights(model.get_weights())
    inputs, _, _ = batch()
    np.testing.assert_array_equal(clone(inputs).numpy(), model(inputs).numpy())


# The hand-written LSTM against Keras' -------------------------------------------------


def _keras_lstm_like(layer, input_dim):
    """A ``keras.layers.LSTM`` holding the same weights as a project LSTM.

    Args:
        layer: A built :class:`translate.model.lstm.LSTM`.
        input_dim: Feature size of the inputs.

    Returns:
        The Keras layer, returning sequences and states.
    """
    reference = keras.layers.LSTM(layer.units, return_sequences=True, return_state=True)
    reference.build((None, None, input_dim))
    reference.set_weights([
        layer.kernel.numpy(), layer.recurrent_kernel.numpy(), layer.bias.numpy(),
    ])
    return reference


def _random_weights(layer, seed):
    """Replaces a layer's weights with random ones (a non-trivial bias included).

    Args:
        layer: A built layer.
        seed: Random seed.
    """
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in layer.get_weights()])


def test_lstm_matches_keras_lstm_on_unpadded_input():
    x = tf.random.stateless_normal((3, 7, 4), seed=(11, 12))
    layer = LSTM(6)
    layer.build(x.shape)
    _random_weights(layer, 0)
    outputs, h, c = layer(x, tf.constant([7, 7, 7]))
    reference_outputs, reference_h, reference_c = _keras_lstm_like(layer, 4)(x)
    np.testing.assert_allclose(outputs.numpy(), reference_outputs.numpy(), atol=ATOL)
    np.testing.assert_allclose(h.numpy(), reference_h.numpy(), atol=ATOL)
    np.testing.assert_allclose(c.numpy(), reference_c.numpy(), atol=ATOL)


def test_lstm_on_padded_input_matches_keras_on_real_tokens():
    x = tf.random.stateless_normal((3, 7, 4), seed=(13, 14))
    lengths = [7, 4, 1]
    layer = LSTM(6)
    layer.build(x.shape)
    _random_weights(layer, 1)
    outputs, h, c = layer(x, tf.constant(lengths))
    reference = _keras_lstm_like(layer, 4)
    for row, length in enumerate(lengths):
        ref_outputs, ref_h, ref_c = reference(x[row : row + 1, :length])
        np.testing.assert_allclose(outputs.numpy()[row, :length], ref_outputs.numpy()[0], atol=ATOL)
        assert (outputs.numpy()[row, length:] == 0).all()
        np.testing.assert_allclose(h.numpy()[row], ref_h.numpy()[0], atol=ATOL)
        np.testing.assert_allclose(c.numpy()[row], ref_c.numpy()[0], atol=ATOL)


def test_reverse_lstm_equals_keras_lstm_on_reversed_real_tokens():
    x = tf.random.stateless_normal((3, 6, 4), seed=(15, 16))
    lengths = [6, 3, 2]
    layer = LSTM(5, reverse=True)
    layer.build(x.shape)
    _random_weights(layer, 2)
    outputs, h, c = layer(x, tf.constant(lengths))
    reference = _keras_lstm_like(layer, 4)
    for row, length in enumerate(lengths):
        reversed_tokens = tf.reverse(x[row : row + 1, :length], axis=[1])
        ref_outputs, ref_h, ref_c = reference(reversed_tokens)
        # Output at position t is the state after reading tokens length-1 .. t.
        expected = ref_outputs.numpy()[0, ::-1]
        np.testing.assert_allclose(outputs.numpy()[row, :length], expected, atol=ATOL)
        assert (outputs.numpy()[row, length:] == 0).all()
        np.testing.assert_allclose(h.numpy()[row], ref_h.numpy()[0], atol=ATOL)
        np.testing.assert_allclose(c.numpy()[row], ref_c.numpy()[0], atol=ATOL)


def _loop_with_three_kernels(x0, first, second, per_row, loop_kernels):
    """``h_t = tanh(h_{t-1} @ first) + tanh(h_{t-1} @ second) + tanh(h_{t-1}[b] @ per_row[b])``, five steps.

    Args:
        x0: ``(batch, 4)`` initial state.
        first, second: ``(4, 4)`` kernels.
        per_row: ``(batch, 4, 4)``, one kernel per batch row.
        loop_kernels: True to multiply through :class:`LoopKernels`, False for ``tf.matmul``.

    Returns:
        The states ``(5, batch, 4)``.
    """
    if not loop_kernels:
        def plain_step(h, _):
            return tf.tanh(h @ first) + tf.tanh(h @ second) + tf.tanh(tf.einsum("br,brc->bc", h, per_row))

        return tf.scan(plain_step, tf.range(5), x0)
    batch = tf.shape(x0)[0]
    kernels = LoopKernels({"first": first, "second": second, "per_row": per_row}, 5, batch)

    def step(carry, taps_t):
        bound = kernels.bind(taps_t)
        h = carry[0]
        h = tf.tanh(bound["first"](h)) + tf.tanh(bound["second"](h)) + tf.tanh(bound["per_row"](h))
        return h, bound.inputs()

    states, inputs = tf.scan(step, kernels.taps, initializer=(x0, kernels.initial_inputs(batch)))
    kernels.record(inputs)
    return states


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "tf.function"])
def test_loop_kernels_give_the_values_and_gradients_of_matmul_in_a_loop(compiled):
    x0 = tf.random.stateless_normal((3, 4), seed=(1, 2))
    first = tf.Variable(tf.random.stateless_normal((4, 4), seed=(3, 4)))
    second = tf.Variable(tf.random.stateless_normal((4, 4), seed=(5, 6)))
    per_row = tf.random.stateless_normal((3, 4, 4), seed=(7, 8))

    def run(loop_kernels):
        with tf.GradientTape() as tape:
            tape.watch([x0, per_row])
            states = _loop_with_three_kernels(x0, first, second, per_row, loop_kernels)
            loss = tf.reduce_sum(states * tf.range(1.0, 6.0)[:, None, None])
        return states, tape.gradient(loss, [x0, first, second, per_row])

    if compiled:
        run = tf.function(run)
    states, gradients = run(True)
    reference_states, reference_gradients = run(False)
    np.testing.assert_allclose(states.numpy(), reference_states.numpy(), rtol=1e-6)
    for gradient, reference in zip(gradients, reference_gradients):
        np.testing.assert_allclose(gradient.numpy(), reference.numpy(), rtol=1e-5, atol=1e-6)
        assert np.abs(reference.numpy()).max() > 1e-2


def test_loop_kernels_refuse_a_loop_that_did_not_record_its_inputs():
    kernel = tf.Variable(tf.eye(2))
    with tf.GradientTape() as tape:
        kernels = LoopKernels({"recurrent": kernel}, 3, 1)
        states = tf.scan(
            lambda h, taps_t: kernels.bind(taps_t)["recurrent"](h), kernels.taps,
            initializer=tf.ones((1, 2)),
        )
        loss = tf.reduce_sum(states)
    with pytest.raises(RuntimeError, match="record was not called"):
        tape.gradient(loss, kernel)


def test_loop_kernels_refuse_a_kernel_multiplied_twice_in_a_step():
    kernels = LoopKernels({"recurrent": tf.eye(2)}, 1, 1)
    bound = kernels.bind({"recurrent": tf.zeros((1, 2))})
    bound["recurrent"](tf.ones((1, 2)))
    with pytest.raises(RuntimeError, match="multiplied twice"):
        bound["recurrent"](tf.ones((1, 2)))


def test_loop_kernels_refuse_an_addend_for_an_unknown_kernel():
    with pytest.raises(ValueError, match="recurent"):
        LoopKernels({"recurrent": tf.eye(2)}, 1, 1, addends={"recurent": tf.zeros((1, 1, 2))})


class PlainLoopKernels:
    """Stands in for :class:`LoopKernels` with ``tf.matmul`` and TensorFlow's own gradients."""

    def __init__(self, kernels, time, batch, addends=None):
        self.kernels = kernels
        addends = addends or {}
        self.taps = {name: addends.get(name, tf.zeros(tf.stack([time, batch, 1]))) for name in kernels}

    def initial_inputs(self, batch):
        return {name: tf.zeros(tf.stack([batch, 1])) for name in self.kernels}

    def bind(self, taps_t):
        return PlainBoundKernels(
            {name: _plain_product(kernel) for name, kernel in self.kernels.items()},
            {name: 0.0 * tap[:, :1] for name, tap in taps_t.items()},  # (batch, 1) each
        )

    def record(self, inputs):
        pass


def _plain_product(kernel):
    """``x @ kernel``, or ``x[b] @ kernel[b]`` for one kernel per batch row, by TensorFlow's ops."""
    if kernel.shape.rank == 3:
        def per_row_product(x):
            return tf.einsum("br,brc->bc", x, kernel)

        return per_row_product
    return functools.partial(tf.matmul, b=kernel)


class PlainBoundKernels(dict):
    """Name to a plain product, with the placeholder inputs a step returns to its scan."""

    def __init__(self, products, inputs):
        super().__init__(products)
        self._inputs = inputs

    def inputs(self):
        return self._inputs


@pytest.mark.parametrize("config", CONFIGS, ids=_config_id)
def test_model_gradients_equal_those_with_plain_step_products(config, monkeypatch):
    """Loop kernels change how the backward pass multiplies, not what it computes."""
    model = cached_model(config)
    inputs, _, _ = batch()
    weights = tf.random.stateless_normal((2, 5, TGT_VOCAB), seed=(5, 6))

    def gradients():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(inputs) * weights)
        return tape.gradient(loss, model.trainable_weights)

    with_loop_kernels = gradients()
    monkeypatch.setattr(lstm_module, "LoopKernels", PlainLoopKernels)
    monkeypatch.setattr(decoder_module, "LoopKernels", PlainLoopKernels)
    plain = gradients()
    for weight, gradient, reference in zip(model.trainable_weights, with_loop_kernels, plain):
        assert reference is not None, weight.path
        np.testing.assert_allclose(
            tf.convert_to_tensor(gradient).numpy(), tf.convert_to_tensor(reference).numpy(),
            rtol=1e-5, atol=1e-6, err_msg=weight.path,
        )


def test_lstm_forget_bias_starts_at_one():
    layer = LSTM(3)
    layer.build((None, None, 2))
    np.testing.assert_array_equal(layer.bias.numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])


@pytest.mark.parametrize("tie", [False, True], ids=["untied", "tied"])
def test_output_prior_makes_the_untrained_model_predict_the_unigram_distribution(tie):
    model = make_model(tie=tie)
    frequencies = np.random.default_rng(0).dirichlet(np.full(TGT_VOCAB, 0.3))
    inputs, _, _ = batch()
    untrained = tf.nn.softmax(model(inputs), axis=-1).numpy()  # (2, 5, vocab)
    assert np.abs(untrained - 1 / TGT_VOCAB).max() < 0.05  # near uniform before
    model.set_output_prior(np.log(frequencies))
    primed = tf.nn.softmax(model(inputs), axis=-1).numpy()
    # Only the small untrained recurrent term separates the model from the prior.
    assert np.abs(primed - frequencies).max() < 0.05
    kl = np.sum(frequencies * (np.log(frequencies) - np.log(primed)), axis=-1)
    assert kl.max() < 0.05

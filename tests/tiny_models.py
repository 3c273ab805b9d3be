"""A test aid: tiny Seq2Seq models, a padded batch and the model configurations to cover."""

import functools
import itertools

import keras
import tensorflow as tf

from translate.model import Seq2Seq

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
        SRC_VOCAB,
        TGT_VOCAB,
        embedding_dim=6,
        encoder_units=5,
        encoder_layers=layers,
        decoder_units=8,
        decoder_layers=layers,
        attention=attention,
        input_feeding=feeding,
        dropout=0.0,
        embedding_dropout=0.0,
        tie_embeddings=tie,
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


def pad(x, length):
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


def configs_cover_every_pair_of_options() -> bool:
    """Whether :data:`CONFIGS` holds every pair of values of every two options."""
    options = [(c["attention"], c["layers"], c["tie"], c["feeding"]) for c in CONFIGS]
    values = [sorted(set(column)) for column in zip(*options)]
    if [len(v) for v in values] != [2, 2, 2, 2]:
        return False
    return all(
        {(o[i], o[j]) for o in options} == set(itertools.product(values[i], values[j]))
        for i, j in itertools.combinations(range(4), 2)
    )


@functools.lru_cache(maxsize=None)
def _cached(attention, layers, tie, feeding):
    """Memoized :func:`make_model` (arguments as there)."""
    return make_model(attention, layers, tie, feeding)


def cached_model(config):
    """A model built once per configuration and shared by the tests that only read it.

    Args:
        config: Keyword arguments of :func:`make_model`.

    Returns:
        The shared model (do not modify its weights; restore its loop if you set one).
    """
    return _cached(config["attention"], config["layers"], config["tie"], config["feeding"])


def config_id(config):
    """A readable test id for a model configuration.

    Args:
        config: Keyword arguments of :func:`make_model`.

    Returns:
        E.g. ``luong-2l-tied-nofeed``.
    """
    return "-".join(
        [
            config["attention"],
            f"{config['layers']}l",
            "tied" if config["tie"] else "untied",
            "feed" if config["feeding"] else "nofeed",
        ]
    )

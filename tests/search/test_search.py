"""Tests of :func:`translate.search.make_search`, the one dispatcher from settings to a search.

The loop, the strategies, the penalties and the step function have their own
files: ``test_search_loop.py``, ``test_strategies.py``, ``test_penalties.py``
and ``test_search_step.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from step_functions import AsModel, TinyRNN, random_sources, run

from translate.config.schema import DecodingConfig
from translate.search import SearchResult, make_search, strategy_for


@pytest.mark.parametrize("beam_size, n_best", [(1, 1), (3, 2)])
def test_make_search_is_the_loop_with_the_configured_strategy(beam_size, n_best):
    lm = TinyRNN(8, eos_bias=1.0)
    settings = DecodingConfig(
        beam_size=beam_size,
        n_best=n_best,
        length_penalty=0.6,
        coverage_penalty=0.2,
        max_length_ratio=1.0,
        max_length_offset=3,
    )
    search = make_search(AsModel(lm), settings, max_length=7)
    compiled = tf.function(
        search, input_signature=[tf.TensorSpec([None, None], tf.int32)], autograph=False
    )
    for lengths, width in [([3, 5, 2], 5), ([4, 1], 7)]:
        source = random_sources(width, lengths, width=width)
        # The loop over the whole state, with the strategy the settings name.
        direct = run(
            strategy_for(settings),
            lm,
            source,
            max_length_ratio=1.0,
            max_length_offset=3,
            max_length=7,
        )
        assert direct.lengths.numpy().max() == 7  # the absolute cap is applied
        for result in (search(source), compiled(source)):
            for name in SearchResult._fields:
                np.testing.assert_allclose(
                    getattr(result, name), getattr(direct, name), rtol=1e-5, atol=1e-6, err_msg=name
                )
    assert compiled.experimental_get_tracing_count() == 1

"""Median wall and CPU time of the reference config's compiled training step, with whichever
``translate`` package is first on ``sys.path`` (set ``PYTHONPATH`` to a checkout to time it).

    python benchmarks/redesign/step_time.py STEPS [SECTION.KEY=VALUE ...]

Prints one ``RESULT {json}`` line. Used by ``alternate.sh`` to compare two versions.
"""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

import translate  # noqa: E402
from translate.model import Seq2Seq  # noqa: E402

try:
    from translate.config.schema import load_config
    from translate.training.train import compile_model
except ImportError:  # The layout before the subpackages (translate/config.py, training.py).
    from translate.config import load_config
    from translate.training import compile_model

CONFIG = os.path.join(os.path.dirname(__file__), "..", "..", "configs", "multi30k_de_en.yaml")

config = load_config(CONFIG, sys.argv[2:])
vocab, size = config.data.vocab_size, config.training.batch_size
keras.utils.set_random_seed(1)
model = Seq2Seq.from_config_section(config.model, vocab, vocab)
model.build()
compile_model(model, config)
source = tf.random.stateless_uniform((size, 20), (1, 2), 4, vocab, tf.int32)
target = tf.random.stateless_uniform((size, 22), (3, 4), 4, vocab, tf.int32)
batches = iter(
    tf.data.Dataset.from_tensors(({"source": source, "target_in": target}, target)).repeat()
)
model.make_train_function()
for _ in range(3):
    float(model.train_function(batches)["loss"])
wall, cpu = [], []
for _ in range(int(sys.argv[1])):
    start, start_cpu = time.perf_counter(), time.process_time()
    float(model.train_function(batches)["loss"])
    wall.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
print(
    "RESULT",
    json.dumps(
        {
            "package": os.path.dirname(translate.__file__),
            "median_ms": statistics.median(wall) * 1e3,
            "cpu_ms": statistics.median(cpu) * 1e3,
        }
    ),
)

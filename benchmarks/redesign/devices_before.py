"""Each speed device's own gain on a reference training step, with the package before the
redesign (its devices: loop kernels, the hand-written loss gradient, fused Adam).

    PYTHONPATH=/path/to/checkout python benchmarks/redesign/devices_before.py ROUNDS STEPS

Run against a checkout of the version before the redesign (its ``tests/test_model.py`` has the
plain stand-in ``PlainLoopKernels``). Each variant turns one device off: the loop kernels (the
stand-in), the loss gradient (TensorFlow's own gradient of the same formula) or fused Adam
(``training.fused_optimizer=false``). Wall time per step, the median of STEPS, in alternating
rounds; writes ``devices_before.json`` in the current folder.
"""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
CHECKOUT = os.environ["PYTHONPATH"].split(os.pathsep)[0]
sys.path.insert(0, os.path.join(CHECKOUT, "tests"))

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from test_model import PlainLoopKernels  # noqa: E402

import translate.model.decoder as decoder_module  # noqa: E402
import translate.model.lstm as lstm_module  # noqa: E402
import translate.training.train as training  # noqa: E402
from translate.config.schema import load_config  # noqa: E402
from translate.model import Seq2Seq  # noqa: E402

CONFIG = os.path.join(CHECKOUT, "configs", "multi30k_de_en.yaml")
VARIANTS = {"all": "", "no_loop_kernels": "loop", "no_loss_grad": "loss", "no_fused_adam": "adam"}


def plain_loss(target_out, logits, label_smoothing=0.0):
    """The smoothed cross-entropy, left to TensorFlow's own gradient."""
    log_probs = tf.nn.log_softmax(logits, axis=-1)
    nll = -tf.gather(log_probs, target_out, batch_dims=2)
    if label_smoothing > 0:
        nll = (1 - label_smoothing) * nll - label_smoothing * tf.reduce_mean(log_probs, axis=-1)
    return nll


def make_step(off: str, data):
    """A variant's compiled training step, traced with its device swapped out."""
    keras.utils.set_random_seed(1)
    fused = "false" if off == "adam" else "true"
    config = load_config(CONFIG, [f"training.fused_optimizer={fused}"])
    vocab = config.data.vocab_size
    model = Seq2Seq.from_config_section(config.model, vocab, vocab)
    model.build()
    saved = (lstm_module.LoopKernels, decoder_module.LoopKernels)
    saved_loss = training.smoothed_token_cross_entropy
    if off == "loop":
        lstm_module.LoopKernels = decoder_module.LoopKernels = PlainLoopKernels
    if off == "loss":
        training.smoothed_token_cross_entropy = plain_loss
    training.compile_model(model, config)
    model.make_train_function()
    batches = iter(data)
    for _ in range(3):  # Traced here, while the swap is in place.
        float(model.train_function(batches)["loss"])
    lstm_module.LoopKernels, decoder_module.LoopKernels = saved
    training.smoothed_token_cross_entropy = saved_loss
    return lambda: float(model.train_function(batches)["loss"])


def main() -> None:
    rounds, steps = int(sys.argv[1]), int(sys.argv[2])
    config = load_config(CONFIG, [])
    vocab, size = config.data.vocab_size, config.training.batch_size
    source = tf.random.uniform((size, 16), 4, vocab, tf.int32, seed=1)
    target = tf.random.uniform((size, 16), 4, vocab, tf.int32, seed=2)
    data = tf.data.Dataset.from_tensors(({"source": source, "target_in": target}, target))
    step = {name: make_step(off, data.repeat()) for name, off in VARIANTS.items()}
    times = {name: [] for name in VARIANTS}
    for index in range(rounds):
        order = list(VARIANTS) if index % 2 == 0 else list(reversed(VARIANTS))
        for name in order:
            seconds = []
            for _ in range(steps):
                start = time.perf_counter()
                step[name]()
                seconds.append(time.perf_counter() - start)
            times[name].append(statistics.median(seconds) * 1e3)
        print(index, {name: round(times[name][-1], 1) for name in VARIANTS}, flush=True)
    result = {}
    for name in VARIANTS:
        result[name] = {
            "median_ms": round(statistics.median(times[name]), 1),
            "rounds_ms": [round(x, 1) for x in times[name]],
        }
        if name != "all":
            gains = [(x / base - 1) * 100 for x, base in zip(times[name], times["all"])]
            result[name]["paired_gain_pct_median"] = round(statistics.median(gains), 2)
            result[name]["paired_gain_pct_range"] = [round(min(gains), 2), round(max(gains), 2)]
    print(json.dumps(result, indent=1))
    with open("devices_before.json", "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)


if __name__ == "__main__":
    main()

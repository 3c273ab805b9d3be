"""A run directory of the reference config with random weights, saved by whichever ``translate``
package is first on ``sys.path`` (the version before the redesign, to check that this one
loads and translates it alike).

    python benchmarks/redesign/make_random_run.py TOKENIZER_DIR OUT_DIR
"""

import os
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from translate.config.schema import load_config, save_config  # noqa: E402
from translate.data.tokenizer import SubwordTokenizer  # noqa: E402
from translate.model import Seq2Seq  # noqa: E402

CONFIG = os.path.join(os.path.dirname(__file__), "..", "..", "configs", "multi30k_de_en.yaml")

tokenizer_dir, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
shutil.copytree(tokenizer_dir, os.path.join(out, "tokenizer"), dirs_exist_ok=True)
tokenizer = SubwordTokenizer.load(os.path.join(out, "tokenizer"))
config = load_config(CONFIG, [])
save_config(config, os.path.join(out, "config.yaml"))
keras.utils.set_random_seed(7)
model = Seq2Seq.from_config_section(
    config.model, tokenizer.source_vocab_size, tokenizer.target_vocab_size
)
model.build()
model.save(os.path.join(out, "model.keras"))
print("saved", out)

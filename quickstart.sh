#!/usr/bin/env bash
# Set up a venv with the runtime (requirements.txt; the test tools are in
# requirements-dev.txt), train the quick German->English model on Multi30k, translate a
# sentence and score the test set. Re-running resumes or reuses the trained run.
#   MULTI30K_DIR=/path/to/multi30k ./quickstart.sh   # read the corpus from a local folder
#   ./quickstart.sh                                  # or download it through TFDS
set -euo pipefail
cd "$(dirname "$0")"
RUN_DIR=${RUN_DIR:-runs/quick}
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -r requirements.txt
.venv/bin/pip install --quiet --no-deps -e .
export TF_CPP_MIN_LOG_LEVEL=2
.venv/bin/translate train --config configs/multi30k_de_en_quick.yaml --run-dir "$RUN_DIR"
.venv/bin/translate translate --model "$RUN_DIR" "Ein Mann fährt mit seinem Fahrrad die Straße entlang."
.venv/bin/translate evaluate --model "$RUN_DIR" --split test_2016_flickr --json "$RUN_DIR/test_2016_flickr.json"

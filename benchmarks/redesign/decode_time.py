"""Beam-search decoding time of a run directory on the first N test_2016_flickr sentences, with
whichever ``translate`` package is first on ``sys.path``.

    python benchmarks/redesign/decode_time.py RUN_DIR N BEAM

Reads ``$MULTI30K_DIR/test_2016_flickr.de.gz``. Translates once to trace, then twice timed (the
faster is kept). Prints one ``RESULT {json}`` line with a digest of the translations, so two
versions can be checked to translate alike.
"""

import gzip
import hashlib
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import translate  # noqa: E402

try:
    from translate.inference.translator import Translator
except ImportError:  # the layout before the subpackages
    from translate.translator import Translator

run, count, beam = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
path = os.path.join(os.environ["MULTI30K_DIR"], "test_2016_flickr.de.gz")
with gzip.open(path, "rt", encoding="utf-8") as handle:
    lines = [line.rstrip("\n") for line in handle][:count]
translator = Translator.load(run)
translator.translate(lines[:64], beam_size=beam)
wall, cpu = [], []
for _ in range(2):
    start, start_cpu = time.perf_counter(), time.process_time()
    out = translator.translate(lines, beam_size=beam)
    wall.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
digest = hashlib.sha1("\n".join(t.text for t in out).encode()).hexdigest()[:12]
print(
    "RESULT",
    json.dumps(
        {
            "package": os.path.dirname(translate.__file__),
            "seconds": min(wall),
            "cpu_seconds": min(cpu),
            "sentences_per_s": count / min(wall),
            "digest": digest,
        }
    ),
)

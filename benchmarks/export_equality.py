"""Does the exported SavedModel translate exactly like ``translate translate``?

    python benchmarks/export_equality.py --model runs/quick --beams 1 5

Exports the run (one version per beam size) into a temporary folder, then in a
separate Python process that imports only ``tensorflow`` and
``tensorflow_text`` (importing this package there fails on purpose) translates
the whole test split with each export, in batches of ``--batch-size``. The same
sentences go through :class:`translate.inference.translator.Translator` in this process.
Prints the number of sentences whose translations are identical and writes
``benchmarks/results/export_equality.json`` (with the first differences, if any).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import RESULTS, add_data_dir_argument, print_table, write_result  # noqa: E402

from translate.inference.evaluation import load_split  # noqa: E402
from translate.inference.export import export  # noqa: E402
from translate.inference.translator import Translator  # noqa: E402

# Runs in a fresh interpreter where importing this package fails on purpose, so
# the export is shown to need nothing but tensorflow and tensorflow_text.
_LOADER = textwrap.dedent(
    """
    import json, sys


    class _BlockThisPackage:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "translate":
                raise ImportError(f"{name} must not be imported to use an export")
            return None


    sys.meta_path.insert(0, _BlockThisPackage())

    import tensorflow as tf
    import tensorflow_text  # noqa: F401

    path, source_file, batch_size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(source_file, encoding="utf-8") as handle:
        sentences = json.load(handle)
    serve = tf.saved_model.load(path).signatures["serving_default"]
    out = []
    for start in range(0, len(sentences), batch_size):
        batch = tf.constant(sentences[start : start + batch_size], tf.string)
        out += [row[0].decode("utf-8") for row in serve(text=batch)["translations"].numpy()]
    print("RESULT" + json.dumps(out, ensure_ascii=False))
    """
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", required=True, help="trained run directory")
    parser.add_argument("--split", default="test_2016_flickr")
    add_data_dir_argument(parser)
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--out", default=os.path.join(RESULTS, "export_equality.json"))
    args = parser.parse_args(argv)

    config, _, source_lines, _ = load_split(args.model, args.split, args.data_dir)
    translator = Translator.load(args.model, config)
    translator.decoding = translator.search_settings(batch_size=args.batch_size)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        source_file = os.path.join(folder, "sources.json")
        with open(source_file, "w", encoding="utf-8") as handle:
            json.dump(source_lines, handle, ensure_ascii=False)
        for beam in args.beams:
            path = export(args.model, os.path.join(folder, "export"), beam_size=beam, n_best=1)
            expected = [
                t.text for t in translator.translate(source_lines, beam_size=beam, n_best=1)
            ]
            process = subprocess.run(
                [sys.executable, "-c", _LOADER, path, source_file, str(args.batch_size)],
                capture_output=True,
                text=True,
                check=False,
            )
            lines = [line for line in process.stdout.splitlines() if line.startswith("RESULT")]
            if process.returncode != 0 or not lines:
                print(process.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"the export loader failed with status {process.returncode}")
            exported = json.loads(lines[-1][len("RESULT") :])
            differences = [
                {"line": i + 1, "source": s, "translator": a, "export": b}
                for i, (s, a, b) in enumerate(zip(source_lines, expected, exported))
                if a != b
            ]
            rows.append(
                {
                    "beam_size": beam,
                    "sentences": len(source_lines),
                    "identical": len(source_lines) - len(differences),
                    "lines_out": len(exported),
                    "first_differences": differences[:10],
                }
            )
            print(
                f"beam {beam}: {rows[-1]['identical']} of {len(source_lines)} translations "
                f"identical ({len(exported)} lines out)",
                flush=True,
            )
    print_table(
        ["beam", "sentences", "identical", "lines out"],
        [[r["beam_size"], r["sentences"], r["identical"], r["lines_out"]] for r in rows],
    )
    write_result(
        args.out,
        __file__,
        argv,
        {"model": args.model, "split": args.split, "batch_size": args.batch_size, "results": rows},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

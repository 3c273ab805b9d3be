"""How many bad inputs the robustness tests try, how many crash, and how many output bytes are lost.

    python benchmarks/robustness_report.py            # every test file (~7 min on 2 cores)
    python benchmarks/robustness_report.py --quick    # without tests/training/test_resume.py
    python benchmarks/robustness_report.py --files tests/runs/test_foreign_runs.py --out F.json

Runs the robustness tests of :data:`TEST_FILES` with pytest: bad configs, command
lines, outputs, corpora, caches, offline datasets, odd text and damaged or
unwritable run directories, each beside the package it pins, and
``tests/training/test_resume.py``. With
env ``ROBUSTNESS_CASES`` set, every bad or odd input they try is recorded
(see ``bad_input`` and ``survives`` in ``tests/helpers.py``) with one
outcome:

* ``clean``: a one-line ``TranslateError`` naming the expected file, line, key
  or value; or, for odd but valid input (text to translate, a killed run), a
  result without any exception;
* ``unclear``: a ``TranslateError`` that misses what it should name;
* ``accepted``: bad input taken without any error;
* ``crashed``: any other exception (or an odd input that was not survived).

Hypothesis examples count one case each. A case that names an output file
(``keeps=`` in ``bad_input``/``survives``: a failed or interrupted command, a
write error) also records the bytes of the previous file that were not there
byte for byte afterwards (``lost_bytes``) and the temporary or half-written
files left beside it. Writes ``benchmarks/results/robustness.json`` with the
counts per category and outcome, the output cases, bytes lost and files left,
the pytest outcome, and the first non-clean cases.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree

from common import RESULTS, ROOT, print_table, write_result

# test_resume first: its uninterrupted run trains while its killed runs go on.
TEST_FILES = [
    "tests/training/test_resume.py",
    "tests/config/test_bad_configs.py",
    "tests/cli/test_command_input.py",
    "tests/cli/test_outputs.py",
    "tests/data/test_bad_corpora.py",
    "tests/data/test_stale_caches.py",
    "tests/data/test_offline_datasets.py",
    "tests/data/test_tokenizer_round_trip.py",
    "tests/inference/test_odd_text.py",
    "tests/runs/test_damaged_runs.py",
    "tests/runs/test_foreign_runs.py",
    "tests/runs/test_interrupted_writes.py",
    "tests/runs/test_unwritable_runs.py",
]


def _pytest_summary(junit_path: str) -> dict:
    """Passed, failed, errors and skipped tests from a JUnit XML report."""
    if not os.path.exists(junit_path):
        return {}
    suite = ElementTree.parse(junit_path).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    counts = {key: int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")}
    counts["passed"] = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
    counts["failed_tests"] = [
        f"{case.get('classname')}::{case.get('name')}"
        for case in suite.iter("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    ]
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the kill-and-resume test file")
    parser.add_argument(
        "--files", nargs="+", metavar="TEST_FILE", help="only these test files (default: all)"
    )
    parser.add_argument("--out", default=os.path.join(RESULTS, "robustness.json"))
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)

    files = args.files or (TEST_FILES[1:] if args.quick else TEST_FILES)
    with tempfile.TemporaryDirectory() as tmp:
        cases_path, junit_path = os.path.join(tmp, "cases.json"), os.path.join(tmp, "junit.xml")
        env = {**os.environ, "ROBUSTNESS_CASES": cases_path, "TF_CPP_MIN_LOG_LEVEL": "3"}
        # Slow tests too: the kill-and-resume cases are among the bad inputs counted.
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "slow or not slow",
            f"--junitxml={junit_path}",
            *files,
            *args.pytest_args,
        ]
        started = time.monotonic()
        # Ctrl-C's usual disposition for pytest and the commands it starts: a job started in
        # the background by a non-interactive shell inherits SIGINT ignored, and the
        # interrupt cases would then test nothing.
        status = subprocess.call(
            command,
            cwd=ROOT,
            env=env,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        seconds = time.monotonic() - started
        cases = []
        if os.path.exists(cases_path):
            with open(cases_path, encoding="utf-8") as handle:
                cases = json.load(handle)
        tests = _pytest_summary(junit_path)

    by_category: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for case in cases:
        by_category[case["category"]][case["outcome"]] += 1
    outcomes = collections.Counter(case["outcome"] for case in cases)
    outputs = [case for case in cases if "output" in case]
    report = {
        "cases": len(cases),
        "crashed": outcomes["crashed"],
        "clean": outcomes["clean"],
        "unclear": outcomes["unclear"],
        "accepted": outcomes["accepted"],
        "distinct_cases": len({(c["category"], c["case"]) for c in cases}),
        "output_cases": len(outputs),
        "bytes_lost": sum(case["lost_bytes"] for case in outputs),
        "files_left": sum(len(case["temporaries"]) for case in outputs),
        "losing_cases": [c for c in outputs if c["lost_bytes"] or c["temporaries"]][:20],
        "by_category": {name: dict(counter) for name, counter in sorted(by_category.items())},
        "not_clean": [c for c in cases if c["outcome"] != "clean"][:20],
        "test_files": files,
        "pytest": {"exit_status": status, **tests},
        "seconds": round(seconds, 1),
    }
    lost = collections.Counter()
    for case in outputs:
        lost[case["category"]] += case["lost_bytes"]
    print_table(
        ["category", "clean", "unclear", "accepted", "crashed", "bytes lost"],
        [
            [name, *(counts[o] for o in ("clean", "unclear", "accepted", "crashed")), lost[name]]
            for name, counts in sorted(by_category.items())
        ],
    )
    write_result(args.out, __file__, argv, report)
    print(
        f"{report['cases']} bad-input cases ({report['distinct_cases']} distinct): "
        f"{report['clean']} clean, {report['crashed']} crashed, {report['unclear']} unclear, "
        f"{report['accepted']} accepted; {report['output_cases']} with an output to keep: "
        f"{report['bytes_lost']} bytes lost, {report['files_left']} files left; "
        f"pytest exit {status} in {seconds:.0f} s -> {args.out}"
    )
    losses = report["bytes_lost"] or report["files_left"]
    return 0 if status == 0 and report["crashed"] == 0 and not losses and cases else 1


if __name__ == "__main__":
    sys.exit(main())

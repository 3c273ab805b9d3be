"""``translate export``: a trained run directory as a self-contained TensorFlow SavedModel.

The export translates raw strings to raw strings. SentencePiece tokenization
(``tensorflow_text`` ops, the SentencePiece model serialized into the graph),
encoding, greedy or beam search and detokenization all run inside one graph, so
serving it needs TensorFlow and ``tensorflow_text`` only: not this package, not
Keras, not any custom object::

    import tensorflow as tf
    import tensorflow_text  # noqa: F401  (registers the SentencePiece ops)

    translator = tf.saved_model.load("exports/de_en/1")
    out = translator.signatures["serving_default"](text=tf.constant(["Ein Mann fährt Fahrrad."]))
    out["translations"]  # (batch, n_best) tf.string, best first
    out["scores"]        # (batch, n_best) tf.float32

``serve`` is also callable directly: ``translator.serve(tf.constant([...]))``.

Layout (TensorFlow Serving's: a base directory of integer version folders; the
server loads the highest version and picks up new ones as they appear)::

    EXPORT_DIR/
      1/
        saved_model.pb         the graph, with signature ``serving_default``
        variables/             the model weights
        assets/                config.yaml, export.json, README.md and the
                               tokenizer's .model file(s), for reference
      2/                       the next ``translate export --out EXPORT_DIR``

A version is written under a temporary name (``N.tmp``, which TensorFlow
Serving ignores) and renamed into place when complete
(:func:`translate.runs.fileio.atomic_write`), so a server watching ``EXPORT_DIR``
never sees half an export, and a process killed midway (even by SIGKILL) leaves
no version folder at all. A version is never replaced: of two exports into one
folder at once that chose the same version, one writes it and the other fails
with one error line.

Search settings (beam size, length and coverage penalty, n-best, or random
sampling with its top-k, temperature and seed) are fixed at export time; the
batch size and the sentence lengths are not. A sampling export keys each
sentence's random stream by its position in the request batch (the Translator
uses its line number in the input), so the same request gives the same output. The outputs are
those of :meth:`Translator.translate <translate.inference.translator.Translator.translate>`
with the same settings, since the export saves the Translator's own graph
(:meth:`~translate.inference.translator.Translator.translate_graph`) and the post-processing
of :mod:`translate.inference.text`:

* Blank inputs (empty or only whitespace, as Python's ``str.isspace`` defines
  it) come back as ``n_best`` empty strings with score 0.
* Whitespace in a translation is collapsed to single spaces and stripped, so a
  translation is always one line (byte-fallback pieces can spell line breaks).
* Sources longer than the model reads are cut, as by the Translator.
* An empty batch gives ``(0, n_best)`` outputs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from typing import Any

import tensorflow as tf
import tensorflow_text  # noqa: F401  (registers the SentencePiece ops a loaded export needs)

from translate import TranslateError, __version__
from translate.config.schema import config_to_dict
from translate.inference.text import blank_mask
from translate.inference.translator import Translator
from translate.runs.fileio import atomic_write, check_writable, write_text
from translate.runs.rundir import RunDir, check_run_dir

SIGNATURE_KEY = "serving_default"
INPUT_NAME = "text"
OUTPUT_NAMES = ("translations", "scores")
METADATA_FILE = "export.json"
README_FILE = "README.md"
EXPORT_FORMAT = "translate-savedmodel"
EXPORT_FORMAT_VERSION = 1

_VERSION = re.compile(r"^[0-9]+$")


def version_dirs(export_dir: str | os.PathLike) -> list[int]:
    """The integer version folders of a TensorFlow Serving base directory, ascending."""
    export_dir = os.fspath(export_dir)
    if not os.path.isdir(export_dir):
        return []
    return sorted(
        int(name)
        for name in os.listdir(export_dir)
        if _VERSION.match(name) and os.path.isdir(os.path.join(export_dir, name))
    )


def next_version(export_dir: str | os.PathLike) -> int:
    """1 for a new base directory, else one more than its highest version."""
    versions = version_dirs(export_dir)
    return versions[-1] + 1 if versions else 1


def _readme(metadata: dict[str, Any]) -> str:
    settings = metadata["search"]
    return f"""# Translation model ({metadata["pair"]})

A TensorFlow SavedModel written by `translate export` from the run directory
`{metadata["run_dir"]}`. It takes raw sentences and returns detokenized
translations; tokenization and {_search_name(settings)} run inside the graph.

Load it with TensorFlow and tensorflow_text only:

```python
import tensorflow as tf
import tensorflow_text  # registers the SentencePiece ops

translator = tf.saved_model.load("EXPORT_DIR/{metadata["version"]}")
out = translator.signatures["serving_default"](text=tf.constant(["Ein Mann fährt Fahrrad."]))
print(out["translations"].numpy()[0, 0].decode())
```

Signature `serving_default`:

* input `text`: `(batch,)` tf.string, one sentence each (any batch size)
* output `translations`: `(batch, {settings["n_best"]})` tf.string, best first
* output `scores`: `(batch, {settings["n_best"]})` tf.float32 search scores

Search settings, fixed at export: beam size {settings["beam_size"]},
length penalty {settings["length_penalty"]}, coverage penalty
{settings["coverage_penalty"]}, n-best {settings["n_best"]}, at most
{settings["max_length_ratio"]} x source length + {settings["max_length_offset"]} tokens;
random sampling: {_sampling_text(settings)}.
The graph computes in the Keras precision policy {metadata["precision"]} (weights float32).
Blank sentences give empty translations with score 0; whitespace in a
translation is collapsed, so each is one line.

TensorFlow Serving: point `--model_base_path` at EXPORT_DIR, the folder that
holds this version folder (`{metadata["version"]}/`), e.g.
`tensorflow_model_server --model_name=translate --model_base_path=/abs/path/EXPORT_DIR
--rest_api_port=8501`, then
`curl -d '{{"instances": ["Ein Mann fährt Fahrrad."]}}' localhost:8501/v1/models/translate:predict`.
The server binary must include the tensorflow_text ops (SentencepieceOp and
friends); a build without them reports "Op type not registered".

`config.yaml` is the training config of the run; `export.json` the export settings.
"""


def _search_name(settings: dict[str, Any]) -> str:
    if settings.get("sampling_topk") is not None:
        return "random sampling"
    return "greedy search" if settings["beam_size"] == 1 else "beam search"


def _sampling_text(settings: dict[str, Any]) -> str:
    if settings.get("sampling_topk") is None:
        return "off"
    top_k = settings["sampling_topk"]
    return (
        f"top-k {top_k}{' (the whole distribution)' if top_k == 0 else ''}, temperature "
        f"{settings['sampling_temperature']}, seed {settings['seed']}; each sentence's draws are "
        "keyed by the seed and its position in the request batch"
    )


def export(
    run_dir: str | os.PathLike,
    export_dir: str | os.PathLike,
    *,
    beam_size: int | None = None,
    length_penalty: float | None = None,
    coverage_penalty: float | None = None,
    n_best: int | None = None,
    sampling_topk: int | None = None,
    sampling_temperature: float | None = None,
    seed: int | None = None,
    version: int | None = None,
    precision: str | None = None,
) -> str:
    """Exports a trained run directory as a versioned SavedModel.

    Args:
        run_dir: A run directory written by ``translate train``.
        export_dir: TensorFlow Serving base directory; the export goes into
            ``export_dir/<version>``.
        beam_size: Beam width (1 = greedy); None keeps the run config's.
        length_penalty: GNMT alpha; None keeps the config's.
        coverage_penalty: GNMT beta; None keeps the config's.
        n_best: Hypotheses per sentence; None keeps the config's.
        sampling_topk: Random sampling from the K most probable tokens (0 = all)
            instead of search; None keeps the config's.
        sampling_temperature: Sampling temperature; None keeps the config's.
        seed: Sampling seed; None keeps the config's.
        version: Version folder number; None takes the next free one.
        precision: ``decoding.precision``; None keeps the config's. The policy
            it resolves to is recorded in ``export.json`` (``precision``).

    Returns:
        The path of the written version folder.

    Raises:
        TranslateError: If ``run_dir`` is not a trained run, the settings are
            invalid, or the version folder already exists.
    """
    export_dir = os.fspath(export_dir)
    run = check_run_dir(run_dir)
    if version is None:
        version = next_version(export_dir)
    if version < 1:
        raise TranslateError(f"export version must be >= 1, got {version}")
    target = os.path.join(export_dir, str(version))
    exists = f"{target} already exists; choose another --version or --out"
    if os.path.exists(target):
        raise TranslateError(exists)
    check_writable(os.path.join(target, "saved_model.pb"), "--out", new_folders=True)
    config = run.load_config()
    translator = Translator.load(run.path, config)
    settings = translator.search_settings(
        beam_size=beam_size,
        length_penalty=length_penalty,
        coverage_penalty=coverage_penalty,
        n_best=n_best,
        sampling_topk=sampling_topk,
        sampling_temperature=sampling_temperature,
        seed=seed,
        precision=precision,
    )
    try:
        os.makedirs(export_dir, exist_ok=True)
    except OSError as error:
        raise TranslateError(f"cannot create {export_dir}: {error.strerror}") from None

    metadata = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "translate_version": __version__,
        "tensorflow_version": tf.__version__,
        "run_dir": os.path.abspath(run.path),
        "export_dir": os.path.abspath(target),
        "version": version,
        "pair": f"{config.data.src_lang}-{config.data.tgt_lang}",
        "signature": SIGNATURE_KEY,
        "inputs": {INPUT_NAME: "(batch,) string"},
        "outputs": {"translations": "(batch, n_best) string", "scores": "(batch, n_best) float32"},
        "search": {
            "beam_size": settings.beam_size,
            "n_best": settings.n_best,
            "length_penalty": settings.length_penalty,
            "coverage_penalty": settings.coverage_penalty,
            "max_length_ratio": settings.max_length_ratio,
            "max_length_offset": settings.max_length_offset,
            "sampling_topk": settings.sampling_topk,
            "sampling_temperature": settings.sampling_temperature,
            "seed": settings.seed,
        },
        "precision": settings.precision,
        "config": config_to_dict(config),
    }

    # The assets are copied into the SavedModel, so their sources can go once it is saved.
    with tempfile.TemporaryDirectory() as assets:
        try:
            shutil.copy(run.config_file, os.path.join(assets, "config.yaml"))
            for name in sorted(os.listdir(run.tokenizer_dir)):
                if name.endswith(".model"):
                    shutil.copy(os.path.join(run.tokenizer_dir, name), os.path.join(assets, name))
        except OSError as error:
            raise TranslateError(f"cannot read {run.path}: {error}") from None
        write_text(
            os.path.join(assets, METADATA_FILE), json.dumps(metadata, indent=2, ensure_ascii=False)
        )
        write_text(os.path.join(assets, README_FILE), _readme(metadata))
        module = _build_module(translator, settings, assets)
        signatures = {SIGNATURE_KEY: module.serve.get_concrete_function()}
        # Saved as EXPORT_DIR/N.tmp (not an integer: TensorFlow Serving ignores it), then
        # renamed to EXPORT_DIR/N. A version is never replaced: of two exports that chose
        # the same one, the second gets one error (the first is writing it, or wrote it).
        atomic_write(
            target,
            lambda temporary: _save(module, temporary, signatures, target),
            exists=exists,
        )
    return target


def _save(module, temporary: str, signatures: dict, target: str) -> None:
    """``tf.saved_model.save`` with TensorFlow's file errors as one :class:`TranslateError`."""
    try:
        tf.saved_model.save(module, temporary, signatures)
    except tf.errors.OpError as error:  # e.g. a full disk, seen by TensorFlow's file system
        message = (error.message or str(error)).strip().splitlines()[0]
        raise TranslateError(f"cannot write {target}: {message}") from None


def _build_module(translator, settings, asset_sources: str):
    """The ``tf.Module`` that is saved: variables, tokenizers, assets and ``serve``."""

    class TranslatorModule(tf.Module):
        def __init__(self):
            super().__init__(name="translator")
            model = translator.model
            # The plain tf.Variables behind the Keras variables: what the traced graph captures.
            self.model_variables = [getattr(v, "value", v) for v in model.variables]
            self.source_tokenizer = translator.tokenizer.source_sentencepiece
            self.target_tokenizer = translator.tokenizer.target_sentencepiece
            self.files = {
                name: tf.saved_model.Asset(os.path.join(asset_sources, name))
                for name in sorted(os.listdir(asset_sources))
            }

        @tf.function(
            input_signature=[tf.TensorSpec([None], tf.string, name=INPUT_NAME)], autograph=False
        )
        def serve(self, text):
            def search():
                out = translator.translate_graph(text, settings)
                return out["translations"], out["scores"]  # (batch, n_best) each

            def no_sentences():  # the encoder cannot scan an empty batch
                return tf.zeros([0, settings.n_best], tf.string), tf.zeros([0, settings.n_best])

            translations, scores = tf.cond(tf.size(text) > 0, search, no_sentences)
            blank = blank_mask(text)[:, None]  # (batch, 1)
            return {
                "translations": tf.where(blank, tf.constant(""), translations),  # (batch, n_best)
                "scores": tf.where(blank, tf.constant(0.0), scores),  # (batch, n_best)
            }

    return TranslatorModule()


def resolve_export(path: str | os.PathLike) -> str:
    """The SavedModel folder of ``path``: itself, or the highest version under it.

    Raises:
        TranslateError: If ``path`` holds no SavedModel.
    """
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise TranslateError(f"export directory not found: {path}")
    if os.path.exists(os.path.join(path, "saved_model.pb")):
        return path
    versions = version_dirs(path)
    if versions:
        latest = os.path.join(path, str(versions[-1]))
        if os.path.exists(os.path.join(latest, "saved_model.pb")):
            return latest
        raise TranslateError(f"{latest}: no saved_model.pb (an incomplete or damaged export?)")
    if os.path.exists(RunDir(path).config_file):
        raise TranslateError(
            f"{path} is a run directory, not an export; "
            f"run 'translate export --model {path} --out DIR'"
        )
    raise TranslateError(
        f"{path} is not a SavedModel export: no saved_model.pb and no version folders (1/, 2/, ...)"
    )


def load_export(path: str | os.PathLike):
    """Loads an export (a version folder or a base directory, taking its latest version).

    Returns:
        The ``serving_default`` concrete function: ``fn(text=(batch,) strings)`` ->
        ``{"translations", "scores"}``.

    Raises:
        TranslateError: If ``path`` is not an export of this tool or cannot be read.
    """
    folder = resolve_export(path)
    try:
        loaded = tf.saved_model.load(folder)
    except Exception as error:  # TensorFlow raises many kinds for a damaged SavedModel.
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise TranslateError(
            f"{folder}: cannot load the SavedModel ({type(error).__name__}: {message})"
        ) from None
    signature = getattr(loaded, "signatures", {}).get(SIGNATURE_KEY)
    if signature is None:
        raise TranslateError(f"{folder}: a SavedModel without a '{SIGNATURE_KEY}' signature")
    inputs = signature.structured_input_signature[1]
    outputs = signature.structured_outputs
    if list(inputs) != [INPUT_NAME] or sorted(outputs) != sorted(OUTPUT_NAMES):
        raise TranslateError(
            f"{folder}: not a translation export (signature takes {sorted(inputs)} and returns "
            f"{sorted(outputs)}; expected '{INPUT_NAME}' -> {', '.join(OUTPUT_NAMES)})"
        )
    signature._translate_module = loaded  # keep the variables and resources alive
    return signature

"""Tests of the package as a whole: the public API at the top and an import graph without cycles."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import translate

PACKAGE_DIR = Path(translate.__file__).parent
PUBLIC = {
    "Translator": "translate.inference.translator",
    "load_config": "translate.config.schema",
    "train": "translate.training.train",
    "evaluate": "translate.inference.evaluation",
    "export": "translate.inference.export",
}


def _run(code: str) -> str:
    """Runs ``code`` in a fresh interpreter with this checkout first on the path; its stdout."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_DIR.parent), "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _modules() -> list[str]:
    """Every module of the package, by dotted name."""
    names = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(module: str, modules: set[str]) -> set[str]:
    """The package's modules that ``module`` imports, at the top or inside a function.

    A function-level import runs later, but a cycle through it is a cycle all the
    same. Only imports under ``if TYPE_CHECKING:`` (which never run) are left out.
    """
    path = PACKAGE_DIR.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = path.with_suffix("") / "__init__.py"
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    todo: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while todo:
        node = todo.pop()
        if _is_type_checking(node):
            continue
        todo.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name in modules and name != module}


def test_import_translate_loads_no_tensorflow_and_lists_the_public_names():
    out = _run(
        "import sys, json, translate\n"
        "heavy = sorted(m for m in ('tensorflow', 'keras', 'sacrebleu') if m in sys.modules)\n"
        "try:\n    translate.no_such_name\n"
        "except AttributeError as error:\n    missing = str(error)\n"
        "print(json.dumps({'heavy': heavy, 'dir': dir(translate), 'all': translate.__all__,"
        " 'missing': missing}))\n"
    )
    report = json.loads(out)
    assert report["heavy"] == []
    for name in (*PUBLIC, "TranslateError", "__version__"):
        assert name in report["all"] and name in report["dir"]
    assert "no attribute 'no_such_name'" in report["missing"]


@pytest.mark.slow  # trains a run or starts a process
def test_every_module_imports_in_a_fresh_process_and_the_import_graph_has_no_cycle():
    modules = _modules()
    importable = [m for m in modules if m != "translate.__main__"]  # that one runs the CLI
    public = "".join(
        f"assert translate.{name} is importlib.import_module({module!r}).{name}\n"
        for name, module in PUBLIC.items()
    )
    _run(
        "import importlib\n"
        "import translate\n"
        "from translate import Translator, evaluate, export, load_config, train\n"
        + public
        + "".join(f"importlib.import_module({m!r})\n" for m in importable)
    )
    known = set(modules)
    graph = {module: _imports(module, known) for module in modules}
    assert "translate.inference.translator" in graph["translate.inference.scoring"]  # sanity
    cycles, state = [], {}  # state: 1 on the current path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in modules:
        if module not in state:
            visit(module, [module])
    assert cycles == []

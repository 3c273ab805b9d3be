"""Reading a config's YAML strictly: only what a config needs, each key with its line.

YAML can say much more than a config of sections of plain values needs, and
``yaml.safe_load`` takes all of it quietly. This reader refuses, with one short
line naming the file, the line and the key:

* a file over ``MAX_BYTES`` or a line over ``MAX_LINE_CHARS`` characters;
* more than one document, a top level that is not a mapping;
* duplicate keys (``safe_load`` keeps the last one), keys that are not names
  (``1:``, ``null:``, ``yes:``), merge keys (``<<``);
* anchors (``&a``) and aliases (``*a``);
* tags other than the plain types (``!!python/...``, ``!!binary``, ``!!set``,
  ``!!timestamp``, ``!!omap``, ``!custom``);
* values nested deeper than a list in a key (``MAX_DEPTH``);
* numbers YAML 1.1 reads in base 60 (``1:30`` is 90) or base 8 (``010`` is 8).

Dates are read as the text they are (``2024-01-01`` stays a string), so a key
that wants a number refuses them by type. A leading byte-order mark is
allowed (editors write one). The types and ranges of the values are checked
afterwards by :mod:`translate.config.validation`, with the line of each key
from :attr:`Located.origins`.

Example:
    >>> raw = read_config_text("training:\\n  epochs: 3\\n", "my.yaml")
    >>> raw, raw.origins["training.epochs"]
    ({'training': {'epochs': 3}}, 'my.yaml, line 2')
"""

from __future__ import annotations

import os
import re
from typing import Any

import yaml

from translate import TranslateError
from translate.config.messages import shorten

MAX_BYTES = 1 << 20
MAX_LINE_CHARS = 1000
# Document mapping (1) > section mapping (2) > value (3) > items of a list value (4).
MAX_DEPTH = 4
_CORE = "tag:yaml.org,2002:"
PLAIN_TAGS = {_CORE + name for name in ("str", "int", "float", "bool", "null", "seq", "map")}
# YAML 1.1 integers in base 60 (1:30) or base 8 (010, 0o10), which surprise.
_SURPRISING_NUMBER = re.compile(r"[-+]?(0[0-7_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)")


class Located(dict):
    """A config mapping that knows where each of its keys was written.

    Attributes:
        origins: ``"section"`` or ``"section.key"`` -> ``"FILE, line N"`` (or
            ``"--set section.key=value"`` for an override).
    """

    def __init__(self, *args: Any, origins: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.origins: dict[str, str] = dict(origins or {})


class _Refused(Exception):
    def __init__(self, line: int | None, problem: str):
        super().__init__(problem)
        self.line, self.problem = line, problem


def _written_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader whose composer refuses aliases, anchors, tags and deep nesting."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._keys: list[str] = []

    def _path(self) -> str:
        return ".".join(self._keys)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if parent is None:  # The document itself.
            name, where = "", ""
        else:
            name = (
                index.value
                if isinstance(index, yaml.ScalarNode)
                else f"[{index}]"
                if isinstance(index, int)
                else "(a key)"
            )
            where = f"'{shorten('.'.join([*self._keys, name]))}'"
        if parent is None and self._keys:  # A --set value: the key it sets.
            where = f"'{shorten('.'.join(self._keys))}'"
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                line,
                f"alias *{shorten(event.anchor, 20)} at {where or 'top'}: "
                "aliases are not allowed in a config; write the value",
            )
        if event.anchor is not None:
            raise _Refused(
                line,
                f"anchor &{shorten(event.anchor, 20)} at {where or 'top'}: "
                "anchors are not allowed in a config",
            )
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in PLAIN_TAGS:
            raise _Refused(
                line,
                f"tag {shorten(_written_tag(tag))} at {where or 'top'} is not "
                "allowed in a config; write a plain value",
            )
        if len(self._keys) >= MAX_DEPTH:
            raise _Refused(line, f"value of {where} is nested too deeply for a config")
        if parent is None:
            return super().compose_node(parent, index)
        self._keys.append(name)
        try:
            return super().compose_node(parent, index)
        finally:
            self._keys.pop()


# Dates stay text: drop YAML 1.1's implicit timestamp resolver from this loader only.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _CORE + "timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_problem(error: yaml.YAMLError, text: str = "") -> tuple[int | None, str]:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if isinstance(error, yaml.reader.ReaderError):  # A control character: no mark, a position.
        char = error.character
        char = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        problem = f"character {char} is not allowed ({error.reason})"
        return text.count("\n", 0, error.position) + 1, problem
    if mark is None:
        return None, shorten(problem, 120)
    return mark.line + 1, shorten(f"{problem} (column {mark.column + 1})", 120)


def _compose(text: str, keys: tuple[str, ...] = ()) -> yaml.Node | None:
    loader = _StrictLoader(text)
    loader._keys.extend(keys)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _check_lines(text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise _Refused(
                number,
                f"{len(line):,} characters long; a config line has at most {MAX_LINE_CHARS:,}",
            )


def _value(node: yaml.Node, dotted: str) -> Any:
    """The Python value of a checked value node (plain tags only, no aliases)."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag in (_CORE + "int", _CORE + "float") and node.style is None:
            if _SURPRISING_NUMBER.fullmatch(node.value.strip()):
                number = yaml.load(node.value, Loader=yaml.SafeLoader)
                raise _Refused(
                    node.start_mark.line + 1,
                    f"'{dotted}' is {shorten(node.value)}, "
                    f"which YAML reads as {number!r} (base 60 or 8); write the "
                    "number plainly or quote a string",
                )
        constructor = yaml.SafeLoader("")
        try:
            return constructor.construct_object(node)
        finally:
            constructor.dispose()
    if isinstance(node, yaml.SequenceNode):
        return [_value(item, dotted) for item in node.value]
    return {_key(key, dotted): _value(value, dotted) for key, value in node.value}


def _key(node: yaml.Node, parent: str) -> str:
    line = node.start_mark.line + 1
    inside = f" in '{parent}'" if parent else ""
    if node.tag == _CORE + "merge":
        raise _Refused(line, f"merge key <<{inside}: merge keys are not allowed in a config")
    if not isinstance(node, yaml.ScalarNode) or node.tag != _CORE + "str":
        text = node.value if isinstance(node, yaml.ScalarNode) else "[...]"
        text = "{...}" if isinstance(node, yaml.MappingNode) else text
        raise _Refused(
            line,
            f"key {shorten(str(text))}{inside} is not a name (YAML reads it "
            f"as {_written_tag(node.tag)}); keys are words like 'training'",
        )
    return node.value


def _mapping(node: yaml.MappingNode, parent: str, where: str, result: Located) -> Located:
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        name = _key(key_node, parent)
        dotted = f"{parent}.{name}" if parent else name
        line = key_node.start_mark.line + 1
        if name in first_line:
            raise _Refused(
                line, f"duplicate key '{shorten(dotted)}' (first on line {first_line[name]})"
            )
        first_line[name] = line
        result.origins[dotted] = f"{where}, line {line}"
        if not parent and isinstance(value_node, yaml.MappingNode):
            result[name] = _mapping(value_node, dotted, where, Located())
            result.origins.update(result[name].origins)
        else:
            result[name] = _value(value_node, dotted)
    return result


def read_config_text(text: str, where: str) -> Located:
    """Parses a config's YAML text strictly.

    Args:
        text: The YAML text.
        where: The file path, named in messages and origins.

    Returns:
        The sections as nested dicts with the line of every key; an empty
        ``Located`` for an empty document. A top level that is not a mapping
        is refused here; a section that is not one is left for the caller.

    Raises:
        TranslateError: ``"FILE, line N: ..."`` for anything in the list above
            and for YAML that does not parse.
    """
    try:
        text = text.removeprefix("\ufeff")
        _check_lines(text)
        try:
            root = _compose(text)
        except yaml.YAMLError as error:
            line, problem = _yaml_problem(error, text)
            raise _Refused(line, f"not valid YAML: {problem}") from None
        if root is None:
            return Located()
        if not isinstance(root, yaml.MappingNode):
            kind = "a list" if isinstance(root, yaml.SequenceNode) else f"{shorten(root.value)!r}"
            raise _Refused(
                root.start_mark.line + 1,
                f"a config must be a mapping of sections "
                f"(data:, model:, training:, decoding:), got {kind}",
            )
        return _mapping(root, "", where, Located())
    except _Refused as refused:
        at = f"{where}, line {refused.line}" if refused.line else where
        message = refused.problem
        if not message.startswith("not valid YAML"):
            message = f"not valid YAML for a config: {message}"
        raise TranslateError(f"{at}: {message}") from None


def read_value_text(text: str, where: str, key: str) -> Any:
    """Parses one ``--set`` value as strictly as a value in a file.

    Args:
        text: The text after ``=``.
        where: The override as given, e.g. ``"--set training.epochs=3"``.
        key: The dotted key it sets, e.g. ``"training.epochs"``.

    Raises:
        TranslateError: ``"--set ...: ..."`` naming what is refused.
    """
    try:
        document = _compose(text, tuple(key.split(".")))
        return None if document is None else _value(document, key)
    except yaml.YAMLError as error:
        problem = f"value is not valid YAML: {_yaml_problem(error)[1]}"
    except _Refused as refused:
        problem = f"not valid YAML for a config: {refused.problem}"
    raise TranslateError(f"{where}: {problem}")


def read_yaml(path: str | os.PathLike) -> Located:
    """Reads a config file strictly (:func:`read_config_text`), each key with its line.

    Raises:
        TranslateError: If the file is missing, unreadable, not UTF-8, larger
            than ``MAX_BYTES`` or refused by :func:`read_config_text`.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise TranslateError(f"config file not found: {path}") from None
    except UnicodeDecodeError as error:
        raise TranslateError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    except OSError as error:  # A directory, no permission, an I/O error.
        raise TranslateError(f"cannot read config file {path}: {error.strerror or error}") from None
    if len(text) > MAX_BYTES:
        raise TranslateError(
            f"{path}: larger than {MAX_BYTES:,} characters; a config is a few lines"
        )
    return read_config_text(text, str(path))

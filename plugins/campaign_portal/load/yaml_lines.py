"""Read YAML into plain values that remember the line each one was written on.

PyYAML's own constructors lose positions and recurse once per nesting level,
so this module builds values straight from the parser's event stream (the C
parser where available). That gives us, in one linear pass:

- the line of every mapping key, sequence item and scalar, for error reports;
- duplicate keys reported instead of silently overwritten;
- bounded work on hostile input: nesting depth and alias expansion are capped;
- only plain data: explicit tags such as ``!!python/object`` are reported, never
  constructed, and control characters written as escapes (``"\\0"``, ``"\\x1b"``)
  are reported and removed, since no web page, feed or calendar may carry them.

Scalars keep YAML's implicit typing for null, booleans, integers and floats.
Timestamps stay strings: the loader parses dates itself so that an impossible
date becomes a clear error rather than a parser exception.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..model import Problem
from ..rules.limits import MAX_FILE_BYTES

try:
    from yaml import CSafeLoader as _Loader

    _LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _LIBYAML = False

MAX_DEPTH = 40
MAX_NODES = 200_000
MAX_BYTES = MAX_FILE_BYTES

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STANDARD_PREFIX = "tag:yaml.org,2002:"
# What YAML does not allow written directly in a file (outside its printable set), and XML
# (feeds, search) cannot carry at all. A double-quoted escape such as "\0" can still produce them.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


class YamlMap(dict[str, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]
    value_lines: dict[str, int]  # where each value's text starts (a block scalar's next line)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def value_line_of(self, key: str) -> int:
        return self.value_lines.get(key, self.line_of(key))


class YamlList(list[Any]):
    """A sequence that knows its own line and the line of each item."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line

    def with_lines(self) -> list[tuple[Any, int]]:
        """Each item with its line (the reader records one line for every item it adds)."""
        return list(zip(self, self.item_lines, strict=True))


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    _TIMESTAMP_TAG,
}


class _Typing(SafeConstructor, Resolver):
    """YAML's implicit typing of plain scalars and its constructors of standard scalar tags, without a parser."""

    def __init__(self) -> None:
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


_TYPING = _Typing()
# The first characters of a plain scalar that an implicit type (null, bool, int, float, ...)
# may start with; any other is text without asking the resolver (it would say the same).
_TYPED_STARTS = (
    None
    if None in _TYPING.yaml_implicit_resolvers or _TYPING.yaml_path_resolvers
    else frozenset(_TYPING.yaml_implicit_resolvers)
)


def _construct(tag: str, text: str) -> Any:
    """A scalar's value under a standard tag (``tag:yaml.org,2002:int``, ...), or its text when the tag
    has no constructor or the text is not such a value (`!!int` with no digits, `!!bool maybe`)."""
    if tag in ("tag:yaml.org,2002:str", _TIMESTAMP_TAG):
        return text  # timestamps stay text: the loader reads dates itself
    constructor = _TYPING.yaml_constructors.get(tag)
    if constructor is None:  # `<<` (merge) and `=` (value) are reported by the loader as keys or text
        return text
    try:
        return constructor(_TYPING, yaml.ScalarNode(tag, text))
    except Exception:
        return text


@functools.lru_cache(maxsize=4096)
def _plain_value(text: str) -> Any:
    """A plain (unquoted) scalar's value: null, a boolean, a number, or its text.

    Memoised because it depends only on the text, and the texts that need the resolver repeat
    across files: keys such as 'title' and 'timezone', durations, dates, ``true``.
    """
    tag = _TYPING.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return _construct(tag, text)


class _Frame:
    """One open container while parsing, with the key waiting for its value."""

    __slots__ = ("anchor", "container", "is_map", "key_line", "pending_key", "start")

    def __init__(self, container: Any, anchor: str | None, start: int) -> None:
        self.container = container
        self.is_map = isinstance(container, YamlMap)
        self.anchor = anchor
        self.pending_key: str | None = None
        self.key_line = 0
        self.start = start  # the count of values read when it opened; it weighs what was read since


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path  # of the file, for its problems
        self.problems: list[Problem] = []

    def scalar(self, event: yaml.ScalarEvent, line: int) -> Any:
        """A scalar with a tag, a control character or a possible implicit type; other text is its own value."""
        value = event.value
        found = _CONTROL_CHARACTERS.search(value)
        if found is not None:
            self.problems.append(
                Problem(self.path, line, f"the text contains the control character U+{ord(found.group()):04X}, which a web page cannot show; remove it")
            )
            value = _CONTROL_CHARACTERS.sub("", value)
        tag = event.tag
        if tag is not None and tag != "!":
            if tag not in _PLAIN_TAGS:
                self.problems.append(Problem(self.path, line, f"unsupported YAML tag {_show_tag(tag)}; remove it"))
                return value
            return _construct(tag, value)
        if event.implicit[0] and (not value or _TYPED_STARTS is None or value[0] in _TYPED_STARTS):
            return _plain_value(value)
        return value

    def collection_tag(self, tag: str | None, line: int) -> None:
        """Report an explicit tag on a mapping or list (``!!set``, ``!!python/object:...``)."""
        if tag not in (None, "!") and tag not in _COLLECTION_TAGS:
            self.problems.append(Problem(self.path, line, f"unsupported YAML tag {_show_tag(tag)}; remove it"))

    def add(self, frame: _Frame, value: Any, line: int) -> None:
        """Put ``value`` into the open container, as a key, a mapping value or an item."""
        container = frame.container
        if frame.is_map:
            if frame.pending_key is None:
                if isinstance(value, (dict, list)):
                    self.problems.append(Problem(self.path, line, "a mapping key must be a plain value"))
                    value = f"<complex key on line {line}>"
                frame.pending_key = value if isinstance(value, str) else _key_text(value)
                frame.key_line = line
                return
            key = frame.pending_key
            frame.pending_key = None
            if key in container:
                first = container.key_lines[key]
                self.problems.append(Problem(self.path, frame.key_line, f"duplicate key '{key}' (first given on line {first})"))
                return
            container[key] = value
            container.key_lines[key] = frame.key_line
            container.value_lines[key] = line
        elif isinstance(container, YamlList):
            container.append(value)
            container.item_lines.append(line)
        else:
            container.append(value)


def parse_yaml(text: str, path: str = "") -> tuple[Any, list[Problem]]:
    """Parse one YAML document into ``YamlMap``/``YamlList``/scalars, with problems.

    Never raises for bad input: syntax errors, duplicate keys, too deep nesting
    and alias bombs come back as problems (the value is then ``None`` or partial).
    """
    if len(text) > MAX_BYTES:
        return None, [Problem(path, 1, f"file is too large ({len(text):,} characters; the limit is {MAX_BYTES:,})")]
    builder = _Builder(path)
    root: list[Any] = []
    stack = [_Frame(root, None, 0)]
    anchors: dict[str, tuple[Any, int]] = {}  # each anchor's value and its weight, counted with aliases expanded
    expanded = 0  # values read, counted with every alias expanded
    documents = 0
    # The parser's events one by one (``yaml.parse`` without its generator), dispatched on their
    # exact class: this loop runs once per value of every file.
    scalar, add, has_control = builder.scalar, builder.add, _CONTROL_CHARACTERS.search
    # A control character can only come from an escape in double-quoted text ("\\0", "\\x1b"):
    # written as it is, the parser's reader refuses it. A file without a backslash has none.
    escapes = "\\" in text
    loader = None
    try:
        loader = _Loader(text)  # PyYAML's own reader checks the characters here
        next_event: Callable[[], Any] = loader.get_event
        while (event := next_event()) is not None:
            kind = type(event)
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if kind is yaml.ScalarEvent:
                value = event.value
                if (
                    event.tag is not None
                    or (event.implicit[0] and (not value or _TYPED_STARTS is None or value[0] in _TYPED_STARTS))
                    or (escapes and has_control(value) is not None)
                ):
                    value = scalar(event, line)  # else it is text, as ``scalar`` would say
                # A block scalar's text starts on the line after its `|` or `>`.
                add(stack[-1], value, line + 1 if event.style in ("|", ">") else line)
                expanded += 1
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) > MAX_DEPTH:
                    return None, [Problem(path, line, f"nesting is deeper than {MAX_DEPTH} levels; flatten it")]
                container = _container(event, line)
                builder.collection_tag(event.tag, line)
                add(stack[-1], container, line)
                stack.append(_Frame(container, event.anchor, expanded))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                done = stack.pop()
                expanded += 1
                if done.anchor:
                    anchors[done.anchor] = (done.container, expanded - done.start)
            elif kind is yaml.AliasEvent:
                target = anchors.get(event.anchor or "")
                if target is None:
                    builder.problems.append(Problem(path, line, f"unknown alias *{event.anchor}"))
                    target = (None, 1)
                add(stack[-1], target[0], line)
                expanded += target[1]
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    builder.problems.append(Problem(path, line, "only one YAML document is allowed per file; remove '---'"))
                    break
            if expanded > MAX_NODES:
                return None, [Problem(path, line, "aliases expand to too many values; write the data out instead")]
    except yaml.YAMLError as error:
        return None, [_error_problem(error, text, path)]
    finally:
        if loader is not None:
            loader.dispose()
    return (root[0] if root else None), builder.problems


def _container(event: yaml.MappingStartEvent | yaml.SequenceStartEvent, line: int) -> YamlMap | YamlList:
    container: YamlMap | YamlList
    if isinstance(event, yaml.MappingStartEvent):
        container = YamlMap()
        container.key_lines = {}
        container.value_lines = {}
    else:
        container = YamlList()
        container.item_lines = []
    container.line = line
    return container


def _error_problem(error: yaml.YAMLError, text: str, path: str) -> Problem:
    """What the parser could not read, at its line."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark: Any = error.problem_mark or error.context_mark
        where = mark.line + 1 if mark is not None else 1
        what = error.problem or error.context or "invalid YAML"
        return Problem(path, where, f"YAML syntax error: {what}")
    if isinstance(error, yaml.reader.ReaderError):
        # A character YAML does not allow in a file, such as NUL or another control character.
        # libyaml counts the position in UTF-8 bytes, PyYAML's own reader in characters.
        if _LIBYAML:
            where = text.encode("utf-8")[: error.position].count(b"\n") + 1
        else:
            where = text[: error.position].count("\n") + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        return Problem(path, where, f"the file contains the character U+{code:04X}, which YAML does not allow; remove it")
    return Problem(path, 1, f"YAML error: {' '.join(str(error).split())}")


def _show_tag(tag: str) -> str:
    """A tag as an author writes it: ``!!python/object:os.system``, ``!custom``."""
    shown = "!!" + tag[len(_STANDARD_PREFIX) :] if tag.startswith(_STANDARD_PREFIX) else tag
    return repr(shown[:80])


def _key_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

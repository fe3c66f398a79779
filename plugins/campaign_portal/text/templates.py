"""Personalised leader messages: sandboxed Jinja templates rendered per leader.

Templates come from campaign files written by many hands, so they run in
Jinja's ``ImmutableSandboxedEnvironment`` with ``StrictUndefined``: no access
to Python internals, no mutation, and a misspelt name is an error rather
than a silently empty string. A rendered body is Markdown; it is converted
and sanitised by ``markup`` afterwards.

A message needs to read values, test them, loop over events and apply a few
filters, so that is all a template may do. On top of Jinja's sandbox:

- checked when the template is compiled, each at its line: no ``{% set %}``,
  macros, ``{% include %}``/``{% import %}``/``{% extends %}``, recursive loops,
  ``{% autoescape %}``, ``self``, names starting with ``_``, and only the
  filters in ``ALLOWED_FILTERS``;
- only the methods in ``_ALLOWED_METHODS`` may be called (no ``str.format``,
  ``ljust``, ``dict.update`` ...);
- work is bounded: ``range`` and every loop together run at most
  ``MAX_LOOP_ITERATIONS`` times, no value or output may grow past
  ``MAX_RENDERED_CHARS`` (``*``, ``**``, ``+``, ``~``, ``join`` and every filter
  check their input first), and a template may spend ``RENDER_SECONDS`` in all on one build
  (``RenderBudgets``): rendering it for four leaders does not take four times as long to fail,
  and once its time is spent it fails at once, with the same problem, for the remaining leaders.

One module, a little over 400 lines, on purpose: the sandbox's allow-lists, its budget and the
compiler hook that enforces them only make sense read together, and a gap between them is a hole.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import itertools
import math
import re
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from ..model import Problem, SourceRef, TemplateText
from ..rules.dates import format_date, format_datetime, format_time

MAX_RENDERED_CHARS = 100_000
MAX_TEMPLATE_CHARS = MAX_RENDERED_CHARS  # its text alone would make a longer message
MAX_LOOP_ITERATIONS = 10_000
RENDER_SECONDS = 5.0

ALLOWED_FILTERS = frozenset(
    {
        "date", "time", "datetime",
        "abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
        "groupby", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min",
        "reject", "rejectattr", "replace", "reverse", "round", "select", "selectattr", "sort",
        "string", "striptags", "sum", "title", "trim", "truncate", "unique", "upper", "urlencode",
        "wordcount",
    }
)  # fmt: skip
_ALLOWED_METHODS: dict[type, frozenset[str]] = {
    str: frozenset({"upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip", "startswith", "endswith", "split"}),
    dict: frozenset({"get", "items", "keys", "values"}),
    dt.date: frozenset({"strftime", "isoformat", "weekday", "isoweekday"}),
    dt.datetime: frozenset({"strftime", "isoformat", "weekday", "isoweekday", "date"}),
    LoopContext: frozenset({"cycle", "changed"}),
}
_FORBIDDEN_STATEMENTS: dict[type[nodes.Node], str] = {
    nodes.Extends: "'{% extends %}' is not available in a message",
    nodes.Include: "'{% include %}' is not available in a message",
    nodes.Import: "'{% import %}' is not available in a message",
    nodes.FromImport: "'{% from ... import %}' is not available in a message",
    nodes.Block: "'{% block %}' is not available in a message",
    nodes.Macro: "macros are not available in a message",
    nodes.CallBlock: "'{% call %}' is not available in a message",
    nodes.Assign: "'{% set %}' is not available in a message; write the value where it is needed",
    nodes.AssignBlock: "'{% set %}' is not available in a message; write the value where it is needed",
    nodes.With: "'{% with %}' is not available in a message",
    nodes.ScopedEvalContextModifier: "'{% autoescape %}' is not available in a message",
    nodes.EvalContextModifier: "'{% autoescape %}' is not available in a message",
}
_FORBIDDEN_NAMES = frozenset({"self", "super", "caller", "varargs", "kwargs"})
# Internal filters the compiler adds; a template cannot name them (they are not identifiers).
_LOOP_FILTER = "portal:loop"


class MessageTemplateError(Exception):
    """A template that does not parse or render, with the file:line to fix."""

    def __init__(self, source: SourceRef, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message

    @property
    def problem(self) -> Problem:
        return Problem.at(self.source, self.message)


class TemplateLimitError(SecurityError):
    """A template asked for more work or text than a message may take."""


# -- limits while rendering ----------------------------------------------------------


class _OutOfTime(TemplateLimitError):
    """The template's time for this build is spent."""


class _Budget:
    """What one render may still spend: loop iterations and time."""

    def __init__(self, seconds: float | None = None) -> None:
        self.iterations = MAX_LOOP_ITERATIONS
        self.deadline = time.monotonic() + (RENDER_SECONDS if seconds is None else seconds)

    def spend(self, iterations: int) -> None:
        self.iterations -= iterations
        if self.iterations < 0:
            raise TemplateLimitError(f"loops in a message may repeat at most {MAX_LOOP_ITERATIONS:,} times in all")
        self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _OutOfTime(
                f"the message took longer than {RENDER_SECONDS:g} seconds to write (for all its leaders together)"
            )


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("portal_message_budget", default=None)


def _budget() -> _Budget:
    # Outside render_template (a template rendered directly) each step gets a fresh budget.
    return _BUDGET.get() or _Budget()


def _measure(value: Any, limit: int = MAX_RENDERED_CHARS) -> int:
    """About how many characters ``value`` makes as text, counting no further than past ``limit``."""
    total = 0
    pending = [value]
    while pending and total <= limit:
        item = pending.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, dict):
            total += 2 + len(item)
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + len(item)
            pending.extend(item)
        else:
            total += 8
    return total


def _check_size(value: Any, what: str = "a value") -> None:
    if _measure(value) > MAX_RENDERED_CHARS:
        raise TemplateLimitError(f"{what} in the message would be longer than {MAX_RENDERED_CHARS:,} characters")


def _materialise(value: Any) -> Any:
    """Lazy results (``map``, ``select`` ...) as a list, so that they can be measured and reused."""
    if isinstance(value, Iterator):
        items = list(itertools.islice(value, MAX_RENDERED_CHARS + 1))
        if len(items) > MAX_RENDERED_CHARS:
            raise TemplateLimitError(f"a list in the message has more than {MAX_RENDERED_CHARS:,} items")
        return items
    return value


def _guard_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter so that it never works on, or makes, more text than a message may hold."""
    pass_arg = getattr(function, "jinja_pass_arg", None)

    def guarded(*args: Any, **kwargs: Any) -> Any:
        skip = 1 if pass_arg is not None else 0  # the context or eval context Jinja passes first
        args = (*args[:skip], *(_materialise(arg) for arg in args[skip:]))
        _budget().check_time()
        _check_size([args[skip:], list(kwargs.values())])
        result = _materialise(function(*args, **kwargs))
        _check_size(result)
        return result

    guarded.__name__ = getattr(function, "__name__", "filter")
    if pass_arg is not None:
        guarded.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
    return guarded


@jinja2.pass_eval_context
def _replace(eval_ctx: jinja2.nodes.EvalContext, value: Any, old: Any, new: Any, count: int | None = None) -> Any:
    """Jinja's ``replace``, refusing before it makes text longer than a message may be."""
    text, old_text, new_text = str(value), str(old), str(new)
    found = text.count(old_text)
    occurrences = found if count is None or count < 0 else min(found, count)
    if len(text) + occurrences * (len(new_text) - len(old_text)) > MAX_RENDERED_CHARS:
        raise TemplateLimitError(f"'replace' would make text longer than {MAX_RENDERED_CHARS:,} characters")
    return jinja2.filters.do_replace(eval_ctx, value, old, new, count)


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    _budget().spend(len(numbers))
    return numbers


def _loop(items: Any) -> list[Any]:
    """Every ``{% for %}`` iterates through this: the items, counted against the render's budget."""
    listed = list(itertools.islice(iter(items), MAX_LOOP_ITERATIONS + 1))
    if not isinstance(items, range):  # a range was counted when it was made
        _budget().spend(len(listed))
    return listed


# -- the environment -----------------------------------------------------------------


class _CodeGenerator(CodeGenerator):
    """Jinja's compiler, with ``~`` checking the length of what it joins, and the template's own
    text (``TemplateData``) read at render time, so that templates differing only in their text
    share one compiled module (see ``_compile``)."""

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
        if isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()  # not folded into the code: written by visit_TemplateData
        const: str = super()._output_child_to_const(node, frame, finalize)
        return const

    def visit_TemplateData(self, node: nodes.TemplateData, frame: Frame) -> None:
        self.write(f"environment.portal_text({int(node.data)})")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if all(isinstance(item, (nodes.Const, nodes.TemplateData)) for item in node.nodes):
            super().visit_Concat(node, frame)  # constants: as long as the template text, folded by Jinja
            return
        self.write(f"environment.portal_concat({bool(frame.eval_ctx.autoescape)!r}, (")
        for item in node.nodes:
            self.visit(item, frame)
            self.write(", ")
        self.write("))")


class _MessageEnvironment(ImmutableSandboxedEnvironment):
    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if not callable(value):
            return True
        return any(isinstance(obj, kind) and attr in names for kind, names in _ALLOWED_METHODS.items())

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        return self.undefined(
            f"'{attribute}' of {type(obj).__name__} values is not available in a message",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )

    def wrap_str_format(self, value: Any) -> None:
        return None  # no str.format: it is not in the allowed methods

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.check_time()
        _check_size([args, list(kwargs.values()), getattr(__obj, "__self__", None)])
        result = _materialise(super().call(__context, __obj, *args, **kwargs))
        _check_size(result)
        return result

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        _budget().check_time()
        if operator == "%" and isinstance(left, str):
            raise SecurityError("'%' formatting of text is not available in a message")
        numbers = isinstance(left, (int, float)) and isinstance(right, (int, float))
        if operator == "**" and numbers and abs(left) > 1 and right > 0 and math.log2(abs(left)) * right > 1024:
            raise TemplateLimitError("the number is too large for a message")
        if operator == "*":
            for count, other in ((left, right), (right, left)):
                if isinstance(count, int) and isinstance(other, (str, list, tuple)) and len(other) * count > MAX_RENDERED_CHARS:
                    raise TemplateLimitError(f"the text would be longer than {MAX_RENDERED_CHARS:,} characters")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > 1024:
                raise TemplateLimitError("the number is too large for a message")
        if operator == "+" and isinstance(left, (str, list, tuple)):
            _check_size([left, right])
        return super().call_binop(context, operator, left, right)

    def portal_text(self, index: int) -> str:
        """The template's own text number ``index``, as written (never escaped)."""
        text = _TEXTS.get()[index]
        return Markup(text) if self.autoescape else text

    def portal_concat(self, autoescape: bool, parts: tuple[Any, ...]) -> str:
        """``a ~ b ~ c``, refused before it joins more text than a message may hold."""
        _budget().check_time()
        _check_size(list(parts), "the joined text")
        if autoescape:
            return Markup("").join(escape(part) if not isinstance(part, Markup) else part for part in parts)
        return "".join(str(part) for part in parts)


def _finalize(value: Any) -> Any:
    # Every {{ ... }} passes through here before it becomes text. Most are text, whose size is its length.
    if isinstance(value, str):
        if len(value) > MAX_RENDERED_CHARS:
            _check_size(value)
        return value
    if callable(value) and not isinstance(value, (str, jinja2.Undefined)):
        raise SecurityError("a function cannot be written into a message; call it or remove it")
    _check_size(value)
    return value


def _make_environment(*, escape_values: bool) -> _MessageEnvironment:
    env = _MessageEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=escape_values,
        # No trim_blocks: authors of emails expect the line breaks they typed to stay.
        keep_trailing_newline=False,
        finalize=_finalize,
    )
    standard = dict(env.filters)
    standard.update(date=format_date, time=format_time, datetime=format_datetime, replace=_replace)
    env.filters = {name: _guard_filter(standard[name]) for name in ALLOWED_FILTERS}
    env.filters[_LOOP_FILTER] = _loop
    # Templates are data: nothing may reach the file system or the environment.
    env.globals.clear()
    env.globals["range"] = _bounded_range
    return env


# Subjects are plain text. Bodies and chat versions are Markdown, which allows HTML,
# so values put into them are HTML-escaped: a campaign title with "<" stays text.
_PLAIN_ENVIRONMENT = _make_environment(escape_values=False)
_MARKDOWN_ENVIRONMENT = _make_environment(escape_values=True)


# -- compiling and rendering -----------------------------------------------------------


@dataclass(frozen=True)
class CompiledTemplate:
    template: jinja2.Template  # shared by every template of the same structure
    source: SourceRef
    texts: tuple[str, ...] = ()  # this template's own text, in the order the compiled code reads it


# The texts of the template being rendered, read by ``portal_text``.
_TEXTS: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("portal_template_texts", default=())


def compile_template(text: TemplateText, *, markdown: bool = True) -> CompiledTemplate:
    """Parse a message template, raising ``MessageTemplateError`` at its file:line.

    ``markdown`` says the result is Markdown (a body), so inserted values are escaped.
    """
    if len(text.text) > MAX_TEMPLATE_CHARS:
        raise MessageTemplateError(
            text.source, f"template error: the template is too long ({len(text.text):,} characters; the limit is {MAX_TEMPLATE_CHARS:,})"
        )
    try:
        template, texts = _compile(text.text, markdown)
        return CompiledTemplate(template, text.source, texts)
    except jinja2.TemplateSyntaxError as error:
        line = text.source.line + max((error.lineno or 1) - 1, 0)
        raise MessageTemplateError(SourceRef(text.source.path, line), f"template error: {error.message}") from None
    except (RecursionError, MemoryError, SyntaxError):
        raise MessageTemplateError(text.source, "template error: the template is nested too deeply; simplify it") from None


@functools.lru_cache(maxsize=32768)
def _compile(text: str, markdown: bool) -> tuple[jinja2.Template, tuple[str, ...]]:
    # Each template is compiled by the loader to check it, by the site to render it, and again on
    # every serve rebuild; compiling takes 2-5 ms, a cache hit nothing. Errors are not cached.
    split = _split(text)
    if split is not None:
        skeleton, markers, data = split
        shape = _kept(_SHAPES, (markdown, skeleton), lambda: _shape(skeleton, markers, markdown))
        if shape is not None:
            template, picks = shape
            return template, tuple(data[index][:-1] if cut else data[index] for index, cut in picks)
    return _compile_text(text, markdown)


def _compile_text(text: str, markdown: bool) -> tuple[jinja2.Template, tuple[str, ...]]:
    environment = _MARKDOWN_ENVIRONMENT if markdown else _PLAIN_ENVIRONMENT
    tree = environment.parse(text)
    _check_tree(tree)
    _count_loops(tree)
    texts = _lift_texts(tree)
    # Generating Python from the tree is most of the cost; messages written alike ("Hi {{ leader.first_name }}",
    # a loop over events, a link) differ in their text only, so they share the generated module. The key
    # holds everything the code depends on: the tree without its text, and every node's line (error lines).
    key = (markdown, repr(tree), tuple(node.lineno for node in tree.find_all(nodes.Node)))
    template = _kept(_GENERATED, key, lambda: environment.from_string(tree))
    return template, texts


_GENERATED: dict[tuple[bool, str, tuple[int, ...]], jinja2.Template] = {}
_KEPT_AT_MOST = 4096  # entries of each cache below, emptied when full: a long `mkdocs serve` stays bounded


def _kept(cache: dict[Any, Any], key: Any, make: Callable[[], Any]) -> Any:
    """``cache[key]``, made by ``make()`` when missing (an error is raised, not kept)."""
    if key in cache:
        return cache[key]
    if len(cache) >= _KEPT_AT_MOST:
        cache.clear()
    value = cache[key] = make()
    return value

# Parsing is most of what is left: Jinja's lexer and parser in Python, 1-2 ms a template. Messages
# are mostly their own words around the same tags, and a template's words cannot change how it
# parses, only the lines its tags are on. So a template whose tags are simple (no comments, no
# whitespace control, no raw blocks, no braces or escapes inside a tag) is parsed once per shape:
# its text with each run of words (``TemplateData``) replaced by a marker holding the same number
# of line breaks, and ending in a line break exactly when the words do (Jinja drops one at the
# end). Anything else, or a shape that does not compile, is parsed as it is written.
_TAG_START = re.compile(r"\{[{%#]")
_VARIABLE_TAG = re.compile(r"""\{\{(?:[^{}'"\\]|'[^'{}\\]*'|"[^"{}\\]*")*\}\}""")
_BLOCK_TAG = re.compile(r"""\{%(?:[^{}%'"\\]|'[^'{}%\\]*'|"[^"{}%\\]*")*%\}""")
_RAW_BLOCK = re.compile(r"\{%\s*raw\b")
_SHAPES: dict[tuple[bool, str], tuple[jinja2.Template, tuple[tuple[int, bool], ...]] | None] = {}


def _split(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """The template's shape, its markers and its runs of words; None unless every tag is simple."""
    if "\r" in text or "{#" in text or "\x00" in text:
        return None
    pieces: list[str] = []
    markers: list[str] = []
    data: list[str] = []
    position = 0
    while True:
        found = _TAG_START.search(text, position)
        end = found.start() if found is not None else len(text)
        if found is None and text[position:] == "\n":
            pieces.append("\n")  # dropped by Jinja, leaving no text at all
        elif end > position:
            words = text[position:end]
            marker = f"\x00{len(data)}\x00" + "\n" * words.count("\n") + ("" if words.endswith("\n") else "\x00")
            pieces.append(marker)
            markers.append(marker)
            data.append(words)
        if found is None:
            break
        block = text[end + 1] == "%"
        tag = (_BLOCK_TAG if block else _VARIABLE_TAG).match(text, end)
        if tag is None:
            return None
        written = tag.group()
        if written[2] in "-+" or written[-3] == "-" or (block and _RAW_BLOCK.match(written)):
            return None  # whitespace control and raw blocks change the words around them
        pieces.append(written)
        position = tag.end()
    return "".join(pieces), tuple(markers), tuple(data)


def _shape(
    skeleton: str, markers: tuple[str, ...], markdown: bool
) -> tuple[jinja2.Template, tuple[tuple[int, bool], ...]] | None:
    """The compiled shape, and for each text it reads the run of words it is (and whether Jinja
    dropped that run's last line break); None when the shape does not compile as it is."""
    try:
        template, lifted = _compile_text(skeleton, markdown)
    except (jinja2.TemplateSyntaxError, RecursionError, MemoryError, SyntaxError):
        return None  # the template itself is parsed, for its own error
    picks: list[tuple[int, bool]] = []
    for text in lifted:
        index = int(text.split("\x00")[1])
        marker = markers[index]
        if text != marker and not (marker.endswith("\n") and text == marker[:-1]):
            return None  # not expected: parse the template as it is
        picks.append((index, text != marker))
    return template, tuple(picks)


def _lift_texts(tree: nodes.Template) -> tuple[str, ...]:
    """Take the template's own text out of ``tree``: each ``TemplateData`` keeps only its number."""
    texts: list[str] = []
    for node in tree.find_all(nodes.TemplateData):
        texts.append(node.data)
        node.data = str(len(texts) - 1)
    return tuple(texts)


def _check_tree(tree: nodes.Template) -> None:
    """Refuse, at its line, anything a message template may not do."""
    for node in tree.find_all(nodes.Node):
        problem = _FORBIDDEN_STATEMENTS.get(type(node))
        if problem is None:
            problem = _node_problem(node)
        if problem is not None:
            raise jinja2.TemplateSyntaxError(problem, node.lineno)


def _node_problem(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.For) and node.recursive:
        return "recursive loops are not available in a message"
    if isinstance(node, nodes.Name) and node.name in _FORBIDDEN_NAMES:
        return f"'{node.name}' is not available in a message"
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return f"names starting with '_' are not available in a message ('{node.attr}')"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and str(node.arg.value).startswith("_"):
        return f"names starting with '_' are not available in a message ('{node.arg.value}')"
    if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
        listed = ", ".join(sorted(ALLOWED_FILTERS))
        return f"the filter '{node.name}' is not available in a message; these are: {listed}"
    if isinstance(node, (nodes.Filter, nodes.Test)):
        # map(attribute='__class__'), selectattr('__init__') ...
        for argument in [*node.args, *(pair.value for pair in node.kwargs)]:
            if isinstance(argument, nodes.Const) and str(argument.value).startswith("_"):
                return f"names starting with '_' are not available in a message ('{argument.value}')"
    return None


def _count_loops(tree: nodes.Template) -> None:
    """Make every loop count its items against the render's budget."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None, lineno=loop.lineno)
    if tree.environment is not None:
        tree.set_environment(tree.environment)


class RenderBudgets:
    """The time each template may still spend in one build: ``RENDER_SECONDS`` for all its renders
    together (one per leader). A template whose time ran out fails at once afterwards, with the
    problem it first met, so the problem reads the same for every leader and is reported once."""

    def __init__(self) -> None:
        self._spent: dict[CompiledTemplate, float] = {}
        self._out_of_time: dict[CompiledTemplate, MessageTemplateError] = {}

    def start(self, compiled: CompiledTemplate) -> float:
        """The seconds ``compiled`` may still take; raises its problem when none are left."""
        failed = self._out_of_time.get(compiled)
        if failed is not None:
            raise failed
        return RENDER_SECONDS - self._spent.get(compiled, 0.0)

    def spent(self, compiled: CompiledTemplate, seconds: float, failed: MessageTemplateError | None) -> None:
        self._spent[compiled] = self._spent.get(compiled, 0.0) + seconds
        if failed is not None:
            self._out_of_time[compiled] = failed


def render_template(compiled: CompiledTemplate, context: dict[str, Any], budgets: RenderBudgets | None = None) -> str:
    """Render with ``context``; any failure becomes ``MessageTemplateError`` at the failing line.

    With ``budgets`` (one per build), the template's time is shared by all its renders in the build.
    """
    seconds = budgets.start(compiled) if budgets is not None else RENDER_SECONDS
    started = time.monotonic()
    out_of_time: MessageTemplateError | None = None
    token = _BUDGET.set(_Budget(seconds))
    texts_token = _TEXTS.set(compiled.texts)
    try:
        parts: list[str] = []
        length = 0
        for part in compiled.template.generate(context):
            length += len(part)
            if length > MAX_RENDERED_CHARS:
                raise MessageTemplateError(
                    compiled.source, f"template error: the rendered message is too long (over {MAX_RENDERED_CHARS:,} characters)"
                )
            parts.append(part)
    except MessageTemplateError:
        raise
    except jinja2.UndefinedError as error:
        raise _located(compiled, error, f"template error: {error.message}; see the authoring guide for the names a message can use") from None
    except _OutOfTime as error:
        out_of_time = _located(compiled, error, f"template error: {error}")
        raise out_of_time from None
    except TemplateLimitError as error:
        raise _located(compiled, error, f"template error: {error}") from None
    except SecurityError as error:
        raise _located(compiled, error, f"template error: {error}") from None
    except RecursionError as error:
        raise _located(compiled, error, "template error: the template is nested too deeply; simplify it") from None
    except Exception as error:
        raise _located(compiled, error, f"template error: {type(error).__name__}: {error}") from None
    finally:
        _BUDGET.reset(token)
        _TEXTS.reset(texts_token)
        if budgets is not None:
            budgets.spent(compiled, time.monotonic() - started, out_of_time)
    return "".join(parts).strip()


def _located(compiled: CompiledTemplate, error: BaseException, message: str) -> MessageTemplateError:
    # Jinja rewrites tracebacks so that template frames carry the template line.
    line_in_template = 1
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == "<template>" and frame.lineno:
            line_in_template = frame.lineno
    line = compiled.source.line + line_in_template - 1
    return MessageTemplateError(SourceRef(compiled.source.path, line), message)

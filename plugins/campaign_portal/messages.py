"""Personalised leader messages: sandboxed Jinja templates rendered per leader.

Templates come from campaign files written by many hands, so they run in
Jinja's ``ImmutableSandboxedEnvironment`` with ``StrictUndefined``: no access
to Python internals, no mutation, and a misspelt name is an error rather
than a silently empty string. A rendered body is Markdown; it is converted
and sanitised by ``markup`` afterwards.
"""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .model import SourceRef, TemplateText

MAX_RENDERED_CHARS = 100_000


class MessageTemplateError(Exception):
    """A template that does not parse or render, with the file:line to fix."""

    def __init__(self, source: SourceRef, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


def format_date(value: Any) -> str:
    """``Wednesday 20 January 2027``."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value:%A} {value.day} {value:%B %Y}"
    return str(value)


def zone_label(value: dt.datetime) -> str:
    """The zone's abbreviation (``GMT``, ``EST``, ``IST``); ``UTC+08`` where tzdata has only an offset."""
    name = value.tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" and name else name


def format_time(value: Any) -> str:
    """``12:30 GMT``: the time in the value's own zone, with the zone's abbreviation."""
    if isinstance(value, dt.datetime):
        return f"{value:%H:%M} {zone_label(value)}".strip()
    return str(value)


def format_datetime(value: Any) -> str:
    """``Wednesday 20 January 2027, 12:30 GMT``."""
    if isinstance(value, dt.datetime):
        return f"{format_date(value)}, {format_time(value)}"
    return format_date(value)


def _make_environment(*, escape_values: bool) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=escape_values,
        # No trim_blocks: authors of emails expect the line breaks they typed to stay.
        keep_trailing_newline=False,
    )
    env.filters["date"] = format_date
    env.filters["time"] = format_time
    env.filters["datetime"] = format_datetime
    # Templates are data: nothing may reach the file system or the environment.
    env.globals.clear()
    env.globals["range"] = range
    return env


# Subjects are plain text. Bodies and chat versions are Markdown, which allows HTML,
# so values put into them are HTML-escaped: a campaign title with "<" stays text.
_PLAIN_ENVIRONMENT = _make_environment(escape_values=False)
_MARKDOWN_ENVIRONMENT = _make_environment(escape_values=True)


@dataclass(frozen=True)
class CompiledTemplate:
    template: jinja2.Template
    source: SourceRef


def compile_template(text: TemplateText, *, markdown: bool = True) -> CompiledTemplate:
    """Parse a message template, raising ``MessageTemplateError`` at its file:line.

    ``markdown`` says the result is Markdown (a body), so inserted values are escaped.
    """
    environment = _MARKDOWN_ENVIRONMENT if markdown else _PLAIN_ENVIRONMENT
    try:
        return CompiledTemplate(environment.from_string(text.text), text.source)
    except jinja2.TemplateSyntaxError as error:
        line = text.source.line + max((error.lineno or 1) - 1, 0)
        raise MessageTemplateError(SourceRef(text.source.path, line), f"template error: {error.message}") from None


def render_template(compiled: CompiledTemplate, context: dict[str, Any]) -> str:
    """Render with ``context``; any failure becomes ``MessageTemplateError`` at the failing line."""
    try:
        rendered = compiled.template.render(context)
    except jinja2.UndefinedError as error:
        raise _located(compiled, error, f"template error: {error.message}; see the authoring guide for the names a message can use") from None
    except SecurityError as error:
        raise _located(compiled, error, f"template error: not allowed in a message: {error}") from None
    except Exception as error:
        raise _located(compiled, error, f"template error: {type(error).__name__}: {error}") from None
    if len(rendered) > MAX_RENDERED_CHARS:
        raise MessageTemplateError(compiled.source, "template error: the rendered message is too long")
    return rendered.strip()


def _located(compiled: CompiledTemplate, error: BaseException, message: str) -> MessageTemplateError:
    # Jinja rewrites tracebacks so that template frames carry the template line.
    line_in_template = 1
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == "<template>" and frame.lineno:
            line_in_template = frame.lineno
    line = compiled.source.line + line_in_template - 1
    return MessageTemplateError(SourceRef(compiled.source.path, line), message)

"""Compiled templates kept across ``mkdocs serve`` rebuilds.

MkDocs makes a new Jinja environment for the theme on every build, and the plugin one for page
bodies, so every rebuild compiled Material's templates and the portal's again (about a tenth of
a rebuild that writes a few pages). Jinja's own bytecode cache API keeps the compiled code by
template and checks it against a checksum of the template's source before using it, so an
edited template is compiled again, never served stale. The code also depends on the
environment's settings (whitespace control, extensions), which that checksum does not cover:
each environment gets its own cache, emptied when its settings change (``attach``).
"""

from __future__ import annotations

import jinja2
import jinja2.bccache


class TemplateCodeCache(jinja2.BytecodeCache):
    """Jinja bytecode in memory, for the length of one serve session (one entry per template file)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._settings: tuple[object, ...] | None = None

    def attach(self, environment: jinja2.Environment) -> None:
        """Let ``environment`` use this cache; code compiled under other settings is dropped first."""
        settings = _compile_settings(environment)
        if settings != self._settings:
            self._code.clear()
            self._settings = settings
        environment.bytecode_cache = self

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja drops it when the source's checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()

    def __len__(self) -> int:
        return len(self._code)


def _compile_settings(environment: jinja2.Environment) -> tuple[object, ...]:
    """What, besides a template's source, the code Jinja compiles from it depends on."""
    return (
        type(environment),
        tuple(sorted(environment.extensions)),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        repr(environment.autoescape),
        environment.undefined,
        environment.finalize,
        environment.is_async,
    )

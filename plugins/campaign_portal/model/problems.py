"""Where an item was written, and what is wrong with it: the one problem type of the whole portal.

The YAML reader, the field readers, the Markdown sanitiser and the message templates all report
a ``Problem``; the plugin logs them and ``portal validate`` prints them, as ``path:line: message``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceRef:
    """Where an item was written: a path relative to the project and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the input, reported as ``path:line: message``."""

    path: str
    line: int
    message: str

    @classmethod
    def at(cls, source: SourceRef, message: str) -> Problem:
        return cls(source.path, source.line, message)

    @property
    def source(self) -> SourceRef:
        return SourceRef(self.path, self.line)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

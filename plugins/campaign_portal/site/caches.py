"""The site build's two caches, one per lifetime.

- ``Memo``: what one build makes once and uses many times (a leader's message context, an
  event's calendar entry, a feed item that is in several feeds). Made new for every build.
- ``OutputCache``: the explicit carry-over of costly outputs (rendered messages, drafts, written
  feeds and calendars) from one ``mkdocs serve`` build to the next, keyed on their whole input,
  so an entry can never be stale. The plugin keeps one for the length of a serve session.

Pure functions whose results depend only on their arguments (compiling a template, writing a
VEVENT or VTIMEZONE) use ``functools.lru_cache`` where they are defined.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

_Output = TypeVar("_Output")


class Memo:
    """``make(*arguments)`` once per key, for the length of one build."""

    def __init__(self) -> None:
        self._made: dict[Hashable, Any] = {}

    def get(self, key: Hashable, make: Callable[..., _Output], *arguments: Any) -> _Output:
        if key not in self._made:
            self._made[key] = make(*arguments)
        value: _Output = self._made[key]
        return value


class OutputCache:
    """What the costly pure steps made (rendered messages, drafts, calendars, feeds), by their
    whole input, carried from one ``mkdocs serve`` build to the next.

    A build reuses the previous build's output for every input that did not change (a changed input
    is a different key, so nothing can be stale) and keeps only what it used itself, so the cache
    never holds more than one build's outputs. After editing one campaign, only its outputs are made again.
    """

    def __init__(self) -> None:
        self._previous: dict[Hashable, Any] = {}
        self._current: dict[Hashable, Any] = {}

    def get(self, key: Hashable, make: Callable[..., _Output], *arguments: Any) -> _Output:
        """The output for ``key``: this build's, the previous build's, or ``make(*arguments)``."""
        if key in self._current:
            value: _Output = self._current[key]
            return value
        value = self._previous.pop(key) if key in self._previous else make(*arguments)
        self._current[key] = value
        return value

    def keep(self, key: Hashable) -> None:
        """Carry the previous build's output for ``key`` into this one without using it: it is
        part of a larger output that was reused whole, and will be needed when that one changes."""
        if key in self._previous:
            self._current[key] = self._previous.pop(key)

    def next_build(self) -> None:
        self._previous, self._current = self._current, {}

    def __len__(self) -> int:
        return len(self._previous) + len(self._current)

"""What ``mkdocs serve`` carries from one load to the next: each campaign file's result, by content."""

from __future__ import annotations

import hashlib

from ..model import Campaign, Problem
from ..text.markdown import CheckedMarkdown

LoadKey = tuple[str, bytes, tuple[str, ...]]
# A file's campaign, its problems, and its Markdown texts proven clean and rendered on first use.
Loaded = tuple[Campaign | None, tuple[Problem, ...], tuple[CheckedMarkdown, ...]]


class LoadCache:
    """Each campaign file's result from the latest load, keyed on the file's path and bytes and on
    the leader ids it was checked against (all a campaign file's reading depends on).

    Keyed on content, never on a file's time or size: ``cp -p``, ``rsync -t`` and ``tar`` keep
    both while changing the text. Only the latest load's files are kept.
    """

    def __init__(self) -> None:
        self.entries: dict[LoadKey, Loaded] = {}

    @staticmethod
    def key(path: str, raw: bytes, leader_ids: tuple[str, ...]) -> LoadKey:
        return (path, hashlib.sha256(raw).digest(), leader_ids)

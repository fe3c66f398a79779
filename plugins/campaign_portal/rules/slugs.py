"""Ids and slugs: campaign, event, message and leader ids, and the slugs of free text such as tags.

Ids become folder and file names and URL segments, so one rule decides what an id may be.
"""

from __future__ import annotations

import re

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG_LENGTH = 64
WINDOWS_RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))]
)


def is_slug(value: str) -> bool:
    return len(value) <= MAX_SLUG_LENGTH and SLUG_PATTERN.fullmatch(value) is not None


def slugify(value: str) -> str:
    """A URL-safe slug for free text such as tags (also the suggestion for a bad id)."""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].strip("-")


def slug_problem(value: str, *, say_length: bool = True) -> str | None:
    """What is wrong with ``value`` as an id, or None when it is a good one."""
    if not is_slug(value):
        example = slugify(value)
        hint = f", for example '{example}'" if example and example != value else ""
        length = f" (at most {MAX_SLUG_LENGTH} characters)" if say_length else ""
        return f"must be lowercase letters, digits and single hyphens{length}{hint}"
    if value in WINDOWS_RESERVED_NAMES:
        # Ids become folder and file names; Windows cannot create these, whatever the extension.
        return f"is a name Windows reserves ({value.upper()}); pick another"
    return None

"""Ids and slugs: campaign, event, message and leader ids, and the slugs of free text such as tags.

Ids become folder and file names and URL segments, so one rule decides what an id may be.
"""

from __future__ import annotations

import functools
import re
import unicodedata

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


@functools.lru_cache(maxsize=4096)  # pure, and the same tags recur in campaign after campaign
def tag_slug(tag: str) -> str:
    """The slug of a tag's page: its letters and digits in any script, lowercased, words joined by hyphens.

    ``C++`` is ``c``, ``Leadership & Change`` is ``leadership-change`` and ``日本語 x`` is
    ``日本語-x`` (URLs allow any letter; links percent-encode it). Empty when the tag has no
    letter or digit. Two tags with one slug would share a page: the loader refuses that.
    A slug Windows reserves as a file name (``Con`` is ``con``) takes ``-tag`` after it
    (``con-tag``), so the built site can be copied to and served from Windows.
    """
    text = unicodedata.normalize("NFKC", tag).casefold()
    # Letters, digits and the marks that belong to them (Devanagari vowel signs, Thai tones).
    kept = "".join(character if unicodedata.category(character)[0] in "LNM" else "-" for character in text)
    slug = re.sub(r"-{2,}", "-", kept).strip("-")[:MAX_SLUG_LENGTH].strip("-")
    return f"{slug}-tag" if slug in WINDOWS_RESERVED_NAMES else slug


def same_tag(first: str, second: str) -> bool:
    """Whether two tags are one topic written two ways (case, width, spacing), not two topics."""
    return _tag_key(first) == _tag_key(second)


def _tag_key(tag: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", tag).casefold().split())


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

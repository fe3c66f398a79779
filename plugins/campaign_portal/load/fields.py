"""Reading one value of a YAML file into the model's types, each problem at its own line.

``FieldReader`` knows one file's path and records every problem in it; each method reads one
kind of field (text, Markdown, a slug, a number, a date, a publish moment, a link, a time zone,
leader ids, a message template) and returns None after recording what is wrong. The item
readers (``leaders``, ``campaigns``) are built from these, following the tables in ``schema``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import zoneinfo
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..model import Leader, Problem, SourceRef, TemplateText, midnight_utc
from ..rules.limits import MAX_FILE_BYTES, MAX_YEAR, MIN_YEAR
from ..rules.schedule import NEVER
from ..rules.slugs import slug_problem
from ..text.markdown import MarkupRenderer
from ..text.templates import MessageTemplateError, compile_template
from .schema import Field, keys_of
from .yaml_lines import YamlList, YamlMap, parse_yaml

_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
_OFFSET_DATETIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})")
_LOCAL_DATETIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2})?")
_SPACE = re.compile(r"\s")  # what str.isspace() calls a space, anywhere
# The usual link: http(s), a host of ASCII letters, digits, dots and hyphens, a port, then printable
# ASCII. urlsplit finds that scheme and host in it and nothing to refuse (tests/test_shortcut_fields.py).
_PLAIN_HTTP_LINK = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?")
MAX_NUMBER = 10**15
MAX_SHOWN = 80


def suggest(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest choice, or nothing."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


class FieldReader:
    """Reads one file's values, recording each problem with this file's path."""

    # What to say about an empty file: what the file is for.
    empty_file = "the file is empty; describe the campaign as a YAML mapping (see the authoring guide)"

    def __init__(
        self, path: str, problems: list[Problem], markup: MarkupRenderer | None = None, *, misnamed: bool = False
    ) -> None:
        self.path = path
        self.misnamed = misnamed  # a file whose name is wrong: checked, but its item is left out
        self.problems = problems
        self.markup = markup if markup is not None else MarkupRenderer()

    # -- plumbing -----------------------------------------------------------

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def ref(self, line: int) -> SourceRef:
        return SourceRef(self.path, line)

    def parse(self, path: Path) -> YamlMap | None:
        raw = self.read(path)
        return self.parse_bytes(raw) if raw is not None else None

    def read(self, path: Path) -> bytes | None:
        """The file's bytes, never more than the limit (whatever the file, or a link, holds)."""
        try:
            size = path.stat().st_size
            with path.open("rb") as file:
                raw = file.read(MAX_FILE_BYTES + 1)  # never more, whatever the file (or a link) holds
        except OSError as error:
            self.problem(1, f"cannot read the file: {error.strerror}")
            return None
        if len(raw) > MAX_FILE_BYTES:
            self.problem(1, f"the file is too large ({max(size, len(raw)):,} bytes; the limit is {MAX_FILE_BYTES:,}); split it")
            return None
        return raw

    def parse_bytes(self, raw: bytes) -> YamlMap | None:
        """One file's bytes as a YAML mapping with lines, or None with its problems recorded."""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            self.problem(line, f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x}); save it as UTF-8")
            return None
        data, yaml_problems = parse_yaml(text, self.path)
        self.problems.extend(yaml_problems)
        if data is None:
            if not yaml_problems:
                self.problem(1, self.empty_file)
            return None
        if not isinstance(data, YamlMap):
            self.problem(getattr(data, "line", 1), "the file must be a YAML mapping of keys to values")
            return None
        return data

    def mapping(self, value: Any, line: int, what: str, table: tuple[Field, ...]) -> YamlMap | None:
        """Check that ``value`` is a mapping with only the table's keys and every required key."""
        keys, required = _keys(table)
        if not isinstance(value, YamlMap):
            self.problem(line, f"{what} must be a mapping of keys to values")
            return None
        if not value.keys() <= keys.keys():  # else every key is known, and none is '<<'
            for key in value:
                if key == "<<":
                    self.problem(value.line_of(key), f"YAML merge keys ('<<') are not supported in {what}; write the values out")
                elif key not in keys:
                    self.problem(value.line_of(key), f"unknown key '{show(key)}' in {what}{suggest(key, keys)}")
        for key in required:
            if key not in value:
                self.problem(line, f"{what} is missing the required key '{key}'")
            elif value[key] is None:
                # Written but left empty: say so, rather than leave the item out without a word.
                self.problem(value.line_of(key), f"'{key}' must not be empty")
        return value

    def items(self, data: YamlMap, key: str) -> list[tuple[Any, int]]:
        """The items of an optional list, with their lines."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, YamlList):
            self.problem(data.line_of(key), f"'{key}' must be a list")
            return []
        return value.with_lines()

    def text(self, data: YamlMap, key: str, *, required: bool = False) -> str | None:
        value = data.get(key)  # most values are text already: one look-up, one type check
        if value is None:
            if required and key in data:
                self.problem(data.line_of(key), f"'{key}' must not be empty")
            return None
        if isinstance(value, str):
            text = value
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = "; put it in quotes" if isinstance(value, bool) else ""
            self.problem(data.line_of(key), f"'{key}' must be text{hint}")
            return None
        else:
            text = str(value)
        if not text.strip():
            if required:
                self.problem(data.line_of(key), f"'{key}' must not be empty")
            return None
        return text

    def content_path(self, data: YamlMap, key: str, example: str) -> str | None:
        """A path to a file in content/ (a leader's photo, a campaign's image), checked for its shape;
        whether the file exists is checked where content/ is known (``load_portal``'s ``asset_exists``)."""
        path = self.text(data, key)
        if path is not None and not is_content_path(path):
            self.problem(data.line_of(key), f"'{key}' must be a path inside content/, such as {example}")
            return None
        return path

    def markdown(self, data: YamlMap, key: str, what: str, *, required: bool = False) -> str | None:
        """Markdown text, with what the sanitiser will remove from it reported at its own line."""
        value = self.text(data, key, required=required)
        if value is None:
            return None
        line = data.value_line_of(key)
        checked, notice = self.markup.check(value, what=what, source=self.ref(line))
        if notice is not None:
            self.problem(line, notice)
        return checked

    def slug(self, data: YamlMap, key: str, what: str) -> str | None:
        value = self.text(data, key, required=True)
        if value is None:
            return None
        wrong = slug_problem(value)
        if wrong is not None:
            self.problem(data.line_of(key), f"{what} '{show(value)}' {wrong}")
            return None
        return value

    def number(self, data: YamlMap, key: str) -> float | None:
        if key not in data or data[key] is None:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(data.line_of(key), f"'{key}' must be a number, not '{show(value)}'")
            return None
        if value != value or value in (float("inf"), float("-inf")):
            self.problem(data.line_of(key), f"'{key}' must be a finite number")
            return None
        if abs(value) > MAX_NUMBER:
            self.problem(data.line_of(key), f"'{key}' is too large; numbers here are at most {MAX_NUMBER:,}")
            return None
        return value

    def positive_int(self, data: YamlMap, key: str, *, maximum: int) -> int | None:
        if key not in data or data[key] is None:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.problem(data.line_of(key), f"'{key}' must be a whole number above 0, not '{show(value)}'")
            return None
        if value > maximum:
            self.problem(data.line_of(key), f"'{key}' must be at most {maximum:,}")
            return None
        return value

    def choice(self, data: YamlMap, key: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.text(data, key)
        if value is None:
            return default
        if value not in choices:
            listed = ", ".join(choices)
            self.problem(data.line_of(key), f"'{key}' must be one of {listed}, not '{show(value)}'{suggest(value, choices)}")
            return None
        return value

    def flag(self, data: YamlMap, key: str) -> bool:
        """A yes/no field such as ``draft``: false when left out.

        A value that is not ``true`` or ``false`` is a problem and reads as true, so that a
        mistyped ``draft`` keeps the item unpublished rather than publishing it (fail closed).
        """
        if key not in data:
            return False
        value = data[key]
        if isinstance(value, bool):
            return value
        shown = "nothing" if value is None else f"'{show(value)}'"
        self.problem(data.line_of(key), f"'{key}' must be true or false, not {shown}")
        return True

    def url(self, data: YamlMap, key: str) -> str | None:
        value = strip(self.text(data, key))
        if value is None:
            return None
        if not is_http_link(value):
            self.problem(data.line_of(key), f"'{key}' must be an http(s) link such as https://example.com/..., not '{show(value)}'")
            return None
        return value

    def date(self, data: YamlMap, key: str) -> dt.date | None:
        value = strip(self.text(data, key))
        if value is None:
            return None
        if not _DATE_PATTERN.fullmatch(value):
            self.problem(data.line_of(key), f"'{key}' must be a date written YYYY-MM-DD, not '{show(value)}'")
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.problem(data.line_of(key), f"'{key}' is an impossible date: '{value}'")
            return None
        return day if self.plausible_year(data, key, day.year) else None

    def plausible_year(self, data: YamlMap, key: str, year: int) -> bool:
        if MIN_YEAR <= year <= MAX_YEAR:
            return True
        self.problem(data.line_of(key), f"'{key}' is in the year {year}; use a year from {MIN_YEAR} to {MAX_YEAR}")
        return False

    def moment(self, data: YamlMap, key: str, *, required: bool = False) -> dt.datetime | None:
        """A publish moment: a date (midnight UTC) or a date-time with an offset; None when not written.

        A value that is written but cannot be read is reported and read as ``NEVER``: the item
        stays unpublished until it is fixed (the embargo fails closed, never open).
        """
        if key not in data:
            return None
        if not required and (data[key] is None or not str(data[key]).strip()):
            self.problem(
                data.line_of(key),
                f"'{key}' is empty; give a date (YYYY-MM-DD) or a date-time with an offset, or remove it "
                "(until then the item stays unpublished)",
            )
            return NEVER
        moment = self.read_moment(data, key, required=required)
        return moment if moment is not None else NEVER

    def read_moment(self, data: YamlMap, key: str, *, required: bool = False) -> dt.datetime | None:
        """A date (midnight UTC) or a date-time with an offset, or None with what is wrong reported."""
        value = strip(self.text(data, key, required=required))
        if value is None:
            return None
        if _DATE_PATTERN.fullmatch(value):
            day = self.date(data, key)
            return midnight_utc(day) if day else None
        if _LOCAL_DATETIME_PATTERN.fullmatch(value):
            self.problem(
                data.line_of(key),
                f"'{key}' needs a time-zone offset, for example '{value}+00:00' or '{value}Z'",
            )
            return None
        if not _OFFSET_DATETIME_PATTERN.fullmatch(value):
            self.problem(
                data.line_of(key),
                f"'{key}' must be a date (YYYY-MM-DD) or a date-time with an offset (2027-01-04T09:00:00+00:00), not '{show(value)}'",
            )
            return None
        try:
            moment = dt.datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError:
            self.problem(data.line_of(key), f"'{key}' is an impossible date-time: '{value}'")
            return None
        return moment if self.plausible_year(data, key, moment.year) else None

    def deadline(self, data: YamlMap, key: str) -> dt.datetime | None:
        """A moment until which something holds: a date-time with an offset, or a date, which
        means the whole of that day (until midnight UTC after it)."""
        if key not in data:
            return None
        moment = self.read_moment(data, key)  # unreadable: reported, and no deadline
        if moment is not None and _DATE_PATTERN.fullmatch(strip(self.text(data, key)) or ""):
            return moment + dt.timedelta(days=1)
        return moment

    def leader_ids(
        self, data: YamlMap, key: str, leaders: dict[str, Leader], *, required: bool = False
    ) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            if required and key in data:
                self.problem(data.line_of(key), f"'{key}' must list at least one leader id")
            return ()
        if isinstance(value, str):
            # A single id written without brackets is what an author means.
            value_list: list[tuple[Any, int]] = [(value, data.line_of(key))]
        elif isinstance(value, YamlList):
            value_list = value.with_lines()
        else:
            self.problem(data.line_of(key), f"'{key}' must be a list of leader ids")
            return ()
        if required and not value_list:
            self.problem(data.line_of(key), f"'{key}' must list at least one leader id")
        ids: list[str] = []
        for item, line in value_list:
            if not isinstance(item, str):
                self.problem(line, f"'{key}' must list leader ids, not '{show(item)}'")
                continue
            if item not in leaders:
                self.problem(line, f"unknown leader '{show(item)}' in '{key}'{suggest(item, leaders)}; leaders are listed in campaigns/leaders.yml")
                continue
            if item in ids:
                self.problem(line, f"leader '{item}' is listed twice in '{key}'")
                continue
            ids.append(item)
        return tuple(ids)

    def template(self, data: YamlMap, key: str) -> TemplateText | None:
        value = self.text(data, key, required=True)
        if value is None:
            return None
        template = TemplateText(value, self.ref(data.value_line_of(key)))
        try:
            compile_template(template)
        except MessageTemplateError as error:
            self.problem(error.source.line, f"'{key}': {error.message}")
            return None
        return template

    # -- leaders.yml ---------------------------------------------------------

    def timezone(self, entry: YamlMap) -> str | None:
        name = self.text(entry, "timezone", required=True)
        if name is None:
            return None
        name = name.strip()
        try:
            if "/" not in name and name != "UTC":
                raise zoneinfo.ZoneInfoNotFoundError(name)
            _zone(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            hint = suggest(name, _known_zones())
            self.problem(entry.line_of("timezone"), f"unknown time zone '{show(name)}'{hint or '; use an IANA name such as Europe/London'}")
            return None
        return name

    def local_start(self, entry: YamlMap, timezone: str | None) -> dt.datetime | None:
        value = self.text(entry, "starts", required=True)
        if value is None:
            return None
        value = value.strip()
        if _OFFSET_DATETIME_PATTERN.fullmatch(value):
            self.problem(
                entry.line_of("starts"),
                "an event's 'starts' is the local wall time in its 'timezone': remove the offset, for example '2027-01-20T12:30'",
            )
            return None
        if not _LOCAL_DATETIME_PATTERN.fullmatch(value):
            self.problem(entry.line_of("starts"), f"'starts' must be a local date and time such as 2027-01-20T12:30, not '{show(value)}'")
            return None
        try:
            local = dt.datetime.fromisoformat(value)
        except ValueError:
            self.problem(entry.line_of("starts"), f"'starts' is an impossible date-time: '{value}'")
            return None
        if not self.plausible_year(entry, "starts", local.year):
            return None
        if timezone is not None:
            zone = _zone(timezone)
            round_trip = local.replace(tzinfo=zone).astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None)
            if round_trip != local:
                self.problem(
                    entry.line_of("starts"),
                    f"'starts' {value} does not exist in {timezone}: the clocks change that night; pick another time",
                )
                return None
        return local


def show(value: Any) -> str:
    """A value as it is quoted in a problem: on one line, and short."""
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def strip(value: str | None) -> str | None:
    return value.strip() if value is not None else None


def is_http_link(value: str) -> bool:
    """An http(s) link to a host, without a space anywhere."""
    if _PLAIN_HTTP_LINK.fullmatch(value) is not None:
        return True  # as urlsplit would say, without its cost (each link is new to its cache)
    try:
        parts = urlsplit(value)
    except ValueError:  # a bracket that opens no IPv6 address, such as http://[oops
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and _SPACE.search(value) is None


def is_content_path(path: str) -> bool:
    """A relative path to a file in content/ that can be put in a link as it is.

    No scheme (``javascript:``, ``data:``), no way out of the folder (``..``, also
    written ``%2e%2e`` or with backslashes), and nothing a URL would read differently.
    """
    parts = path.replace("\\", "/").split("/")
    return (
        bool(path.strip())
        and path == path.strip()
        and not path.startswith(("/", "\\"))
        and not any(character in path for character in ':%?#"<>\\')
        and not any(character.isspace() and character != " " for character in path)
        and all(part not in ("", ".", "..") for part in parts)
    )


_KEYS: dict[int, tuple[tuple[Field, ...], dict[str, bool], tuple[str, ...]]] = {}


def _keys(table: tuple[Field, ...]) -> tuple[dict[str, bool], tuple[str, ...]]:
    """A table's keys (whether each is required), and its required keys, worked out once per table.

    Kept by the table's identity: the tables are constants, and hashing one (every field with
    its documentation) costs more than working its keys out again."""
    kept = _KEYS.get(id(table))
    if kept is None or kept[0] is not table:
        keys = keys_of(table)
        kept = _KEYS[id(table)] = (table, keys, tuple(key for key, required in keys.items() if required))
    return kept[1], kept[2]


@functools.lru_cache(maxsize=1024)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    """A time zone, read from its file once: ``ZoneInfo`` keeps only the last 8 zones it made
    alive, so events in more zones than that would read their files again and again."""
    return zoneinfo.ZoneInfo(name)


@functools.lru_cache(maxsize=1)
def _known_zones() -> tuple[str, ...]:
    # Only needed for a suggestion after a mistake, so it is read lazily, once.
    return tuple(sorted(zoneinfo.available_timezones()))

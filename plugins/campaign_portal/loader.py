"""Load campaigns/ into the model, collecting every problem in every file.

Each rule of the spec's "Bad input" section is checked here, so the MkDocs
build and the ``portal validate`` command report exactly the same problems.
Problems are values: the loader never raises for bad input, it returns what
was valid together with a list of ``Problem`` (``file:line: message``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .markup import MarkupRenderer
from .messages import MessageTemplateError, compile_template
from .model import (
    EVENT_TYPES,
    BusinessCase,
    Campaign,
    Event,
    Kpi,
    Leader,
    Message,
    Portal,
    SourceRef,
    Story,
    TemplateText,
    Testimonial,
    midnight_utc,
)
from .yamlsource import YamlList, YamlMap, parse_yaml

LEADERS_FILE = "leaders.yml"
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG_LENGTH = 64
MAX_FILE_BYTES = 2_000_000
_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
_OFFSET_DATETIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})")
_LOCAL_DATETIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2})?")
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_NUMBER = 10**15
MAX_SHOWN = 80
WINDOWS_RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))]
)
# One bare address: what a mail client reads as a single "From" (no lists, names or comments).
# One plain address. The local part may hold an apostrophe (sean.o'brien@...); neither part
# may hold what would make a mail client read a display name, a list or a second address.
_EMAIL_PATTERN = re.compile(r"[^@\s<>\",;:()\[\]\\]+@[^@\s<>\"',;:()\[\]\\]+\.[^@\s<>\"',;:()\[\]\\]+")

LEADER_KEYS = {"name": True, "title": True, "division": False, "photo": False, "bio": False, "email": False}
CAMPAIGN_KEYS = {
    "title": True,
    "summary": True,
    "starts": True,
    "ends": False,
    "publish": False,
    "audience": False,
    "tags": False,
    "sponsors": False,
    "business_case": True,
    "kpis": False,
    "messages": False,
    "testimonials": False,
    "events": False,
    "story": False,
}
BUSINESS_CASE_KEYS = {"problem": True, "outcome": True}
KPI_KEYS = {"name": True, "unit": False, "baseline": True, "target": True, "current": False, "better": False}
MESSAGE_KEYS = {
    "id": True,
    "title": True,
    "leaders": True,
    "publish": False,
    "subject": True,
    "body": True,
    "short": False,
}
TESTIMONIAL_KEYS = {"leader": True, "date": True, "quote": True, "story": False}
EVENT_KEYS = {
    "id": True,
    "title": True,
    "type": True,
    "starts": True,
    "timezone": True,
    "duration": True,
    "location": False,
    "online": False,
    "hosts": True,
    "description": False,
    "registration": False,
    "capacity": False,
    "status": False,
    "recording": False,
    "publish": False,
}
STORY_KEYS = {"publish": True, "what_changed": True, "why_it_mattered": True, "what_we_learned": True}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the input, reported as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CampaignError(Exception):
    """Raised by callers that want an exception; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class LoadResult:
    portal: Portal
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def suggest(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest choice, or nothing."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


class LoadCache:
    """Each campaign file's result from the latest load, by the file's version and leaders.yml's.

    ``mkdocs serve`` reloads everything after every edit; with a cache, a file that did not change
    (and whose leaders did not) is not read again. Only the latest load's files are kept.
    """

    def __init__(self) -> None:
        self.entries: dict[tuple[Any, ...], tuple[Campaign | None, tuple[Problem, ...]]] = {}


def _version(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


def load_portal(
    campaigns_dir: Path,
    *,
    display_root: Path | None = None,
    asset_exists: Callable[[str], bool] | None = None,
    cache: LoadCache | None = None,
) -> LoadResult:
    """Load ``leaders.yml`` and every ``<campaign-id>.yml`` in ``campaigns_dir``.

    ``display_root`` is the folder paths in problems are relative to (the
    project root, so that messages read ``campaigns/x.yml:12: ...``).
    ``asset_exists`` checks that a leader's photo is a file in content/.
    ``cache`` carries unchanged files' results from one load to the next.
    """
    root = display_root if display_root is not None else campaigns_dir.parent
    problems: list[Problem] = []
    markup = MarkupRenderer()

    def display(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    if not campaigns_dir.is_dir():
        return LoadResult(Portal(), [Problem(display(campaigns_dir), 1, "the campaigns folder does not exist; create it")])

    leaders_path = campaigns_dir / LEADERS_FILE
    leaders: dict[str, Leader] = {}
    if leaders_path.is_file():
        reader = _FileReader(display(leaders_path), problems, markup)
        data = reader.parse(leaders_path)
        if data is not None:
            leaders = reader.leaders(data, asset_exists)
    else:
        problems.append(Problem(display(leaders_path), 1, "the registry of leaders is missing; create campaigns/leaders.yml"))

    campaigns: dict[str, Campaign] = {}
    leaders_version = _version(leaders_path)
    previous = cache.entries if cache is not None else {}
    current: dict[tuple[Any, ...], tuple[Campaign | None, tuple[Problem, ...]]] = {}
    for path in sorted(campaigns_dir.iterdir()):
        if path.name == LEADERS_FILE or path.name.startswith("."):
            continue
        if path.suffix in (".yaml", ".YML", ".YAML") and path.is_file():
            problems.append(Problem(display(path), 1, f"campaign files end in .yml; rename it to {path.stem}.yml"))
            continue
        if path.suffix != ".yml" or not path.is_file():
            continue
        campaign_id = path.stem
        reader = _FileReader(display(path), problems, markup)
        if _slug_problem(campaign_id) is not None:
            if campaign_id in WINDOWS_RESERVED_NAMES:
                wrong = f"is a name Windows reserves ({campaign_id.upper()}); rename the file"
            else:
                wrong = f"must be a campaign id: lowercase letters, digits and single hyphens, at most {MAX_SLUG_LENGTH} characters"
            problems.append(Problem(reader.path, 1, f"the file name '{_show(path.name)}' {wrong}"))
            continue
        key = (reader.path, _version(path), leaders_version)
        loaded = previous.get(key) if key[1] is not None else None
        if loaded is None:
            before = len(problems)
            data = reader.parse(path)
            campaign = reader.campaign(campaign_id, data, leaders) if data is not None else None
            loaded = (campaign, tuple(problems[before:]))
        else:
            problems.extend(loaded[1])
        current[key] = loaded
        if loaded[0] is not None:
            campaigns[campaign_id] = loaded[0]
    if cache is not None:
        cache.entries = current
    return LoadResult(Portal(leaders=leaders, campaigns=campaigns), sorted(set(problems)))


def _is_slug(value: str) -> bool:
    return len(value) <= MAX_SLUG_LENGTH and SLUG_PATTERN.fullmatch(value) is not None


class _FileReader:
    """Reads one file's values, recording each problem with this file's path."""

    def __init__(self, path: str, problems: list[Problem], markup: MarkupRenderer | None = None) -> None:
        self.path = path
        self.problems = problems
        self.markup = markup if markup is not None else MarkupRenderer()

    # -- plumbing -----------------------------------------------------------

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def ref(self, line: int) -> SourceRef:
        return SourceRef(self.path, line)

    def parse(self, path: Path) -> YamlMap | None:
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
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            self.problem(line, f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x}); save it as UTF-8")
            return None
        data, yaml_problems = parse_yaml(text)
        for yaml_problem in yaml_problems:
            self.problem(yaml_problem.line, yaml_problem.message)
        if data is None:
            if not yaml_problems:
                self.problem(1, "the file is empty; describe the campaign as a YAML mapping (see the authoring guide)")
            return None
        if not isinstance(data, YamlMap):
            self.problem(getattr(data, "line", 1), "the file must be a YAML mapping of keys to values")
            return None
        return data

    def mapping(self, value: Any, line: int, what: str, keys: dict[str, bool]) -> YamlMap | None:
        """Check that ``value`` is a mapping with only known keys and every required key."""
        if not isinstance(value, YamlMap):
            self.problem(line, f"{what} must be a mapping of keys to values")
            return None
        for key in value:
            if key == "<<":
                self.problem(value.line_of(key), f"YAML merge keys ('<<') are not supported in {what}; write the values out")
            elif key not in keys:
                self.problem(value.line_of(key), f"unknown key '{_show(key)}' in {what}{suggest(key, keys)}")
        for key, required in keys.items():
            if required and key not in value:
                self.problem(line, f"{what} is missing the required key '{key}'")
            elif required and value[key] is None:
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
        return [(item, value.line_of(index)) for index, item in enumerate(value)]

    def text(self, data: YamlMap, key: str, *, required: bool = False) -> str | None:
        if key not in data or data[key] is None:
            if required and key in data:
                self.problem(data.line_of(key), f"'{key}' must not be empty")
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            hint = "; put it in quotes" if isinstance(value, bool) else ""
            self.problem(data.line_of(key), f"'{key}' must be text{hint}")
            return None
        text = str(value)
        if not text.strip():
            if required:
                self.problem(data.line_of(key), f"'{key}' must not be empty")
            return None
        return text

    def markdown(self, data: YamlMap, key: str, what: str, *, required: bool = False) -> str | None:
        """Markdown text, with what the sanitiser will remove from it reported at its own line."""
        value = self.text(data, key, required=required)
        if value is None:
            return None
        checked, notice = self.markup.check(value, what=what)
        if notice is not None:
            self.problem(data.value_line_of(key), notice)
        return checked

    def slug(self, data: YamlMap, key: str, what: str) -> str | None:
        value = self.text(data, key, required=True)
        if value is None:
            return None
        wrong = _slug_problem(value)
        if wrong is not None:
            self.problem(data.line_of(key), f"{what} '{_show(value)}' {wrong}")
            return None
        return value

    def number(self, data: YamlMap, key: str) -> float | None:
        if key not in data or data[key] is None:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(data.line_of(key), f"'{key}' must be a number, not '{_show(value)}'")
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
            self.problem(data.line_of(key), f"'{key}' must be a whole number above 0, not '{_show(value)}'")
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
            self.problem(data.line_of(key), f"'{key}' must be one of {listed}, not '{_show(value)}'{suggest(value, choices)}")
            return None
        return value

    def url(self, data: YamlMap, key: str) -> str | None:
        value = _strip(self.text(data, key))
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
            self.problem(data.line_of(key), f"'{key}' must be an http(s) link such as https://example.com/..., not '{_show(value)}'")
            return None
        return value

    def date(self, data: YamlMap, key: str) -> dt.date | None:
        value = _strip(self.text(data, key))
        if value is None:
            return None
        if not _DATE_PATTERN.fullmatch(value):
            self.problem(data.line_of(key), f"'{key}' must be a date written YYYY-MM-DD, not '{_show(value)}'")
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.problem(data.line_of(key), f"'{key}' is an impossible date: '{value}'")
            return None
        return day if self.plausible_year(data, key, day.year) else None

    def plausible_year(self, data: YamlMap, key: str, year: int) -> bool:
        # Years far away are typing mistakes, and date arithmetic near 1 or 9999 overflows.
        if MIN_YEAR <= year <= MAX_YEAR:
            return True
        self.problem(data.line_of(key), f"'{key}' is in the year {year}; use a year from {MIN_YEAR} to {MAX_YEAR}")
        return False

    def moment(self, data: YamlMap, key: str) -> dt.datetime | None:
        """A publish moment: a date (midnight UTC) or a date-time with an offset."""
        value = _strip(self.text(data, key))
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
                f"'{key}' must be a date (YYYY-MM-DD) or a date-time with an offset (2027-01-04T09:00:00+00:00), not '{_show(value)}'",
            )
            return None
        try:
            moment = dt.datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError:
            self.problem(data.line_of(key), f"'{key}' is an impossible date-time: '{value}'")
            return None
        return moment if self.plausible_year(data, key, moment.year) else None

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
            value_list = [(item, value.line_of(index)) for index, item in enumerate(value)]
        else:
            self.problem(data.line_of(key), f"'{key}' must be a list of leader ids")
            return ()
        if required and not value_list:
            self.problem(data.line_of(key), f"'{key}' must list at least one leader id")
        ids: list[str] = []
        for item, line in value_list:
            if not isinstance(item, str):
                self.problem(line, f"'{key}' must list leader ids, not '{_show(item)}'")
                continue
            if item not in leaders:
                self.problem(line, f"unknown leader '{_show(item)}' in '{key}'{suggest(item, leaders)}; leaders are listed in campaigns/leaders.yml")
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

    def leaders(self, data: YamlMap, asset_exists: Callable[[str], bool] | None) -> dict[str, Leader]:
        leaders: dict[str, Leader] = {}
        for leader_id in data:
            line = data.line_of(leader_id)
            wrong = _slug_problem(leader_id, say_length=len(leader_id) > MAX_SLUG_LENGTH)
            if wrong is not None:
                self.problem(line, f"leader id '{_show(leader_id)}' {wrong}")
                continue
            entry = self.mapping(data[leader_id], line, f"leader '{leader_id}'", LEADER_KEYS)
            if entry is None:
                continue
            name = self.text(entry, "name", required=True)
            title = self.text(entry, "title", required=True)
            photo = self.text(entry, "photo")
            if photo is not None and not _is_content_path(photo):
                self.problem(entry.line_of("photo"), f"'photo' must be a path inside content/, such as assets/leaders/{leader_id}.jpg")
                photo = None
            elif photo is not None and asset_exists is not None and not asset_exists(photo):
                self.problem(entry.line_of("photo"), f"'photo' names content/{photo}, which does not exist")
                photo = None
            email = _strip(self.text(entry, "email"))
            if email is not None and not _EMAIL_PATTERN.fullmatch(email):
                self.problem(entry.line_of("email"), f"'email' must be an email address, not '{_show(email)}'")
                email = None
            if name is None or title is None:
                continue
            leaders[leader_id] = Leader(
                id=leader_id,
                name=name.strip(),
                title=title.strip(),
                source=self.ref(line),
                division=_strip(self.text(entry, "division")),
                photo=photo,
                bio=self.markdown(entry, "bio", "the bio"),
                email=email,
            )
        return dict(sorted(leaders.items()))

    # -- <campaign>.yml ------------------------------------------------------

    def campaign(self, campaign_id: str, data: YamlMap, leaders: dict[str, Leader]) -> Campaign | None:
        self.mapping(data, data.line, "the campaign", CAMPAIGN_KEYS)
        title = self.text(data, "title", required=True)
        summary = self.markdown(data, "summary", "the summary", required=True)
        starts = self.date(data, "starts")
        ends = self.date(data, "ends")
        if starts and ends and ends < starts:
            self.problem(data.line_of("ends"), f"'ends' ({ends}) is before 'starts' ({starts})")
            ends = None
        publish = self.moment(data, "publish")
        business_case = self.business_case(data)
        tags = self.tags(data)
        sponsors = self.leader_ids(data, "sponsors", leaders)
        kpis = tuple(kpi for item, line in self.items(data, "kpis") if (kpi := self.kpi(item, line)))
        messages = self.unique(self.message(item, line, leaders) for item, line in self.items(data, "messages"))
        testimonials = self.testimonials(data, leaders)
        events = self.unique(self.event(item, line, leaders) for item, line in self.items(data, "events"))
        story = self.story(data)
        if title is None or summary is None or starts is None or business_case is None:
            return None
        return Campaign(
            id=campaign_id,
            title=title.strip(),
            summary=summary,
            starts=starts,
            ends=ends,
            publish=publish,
            audience=_strip(self.text(data, "audience")),
            tags=tags,
            sponsors=sponsors,
            business_case=business_case,
            kpis=kpis,
            messages=messages,
            testimonials=testimonials,
            events=events,
            story=story,
            source=self.ref(data.line),
        )

    def unique(self, items: Iterable[Message | Event | None]) -> tuple[Any, ...]:
        seen: dict[str, int] = {}
        kept: list[Any] = []
        for item in items:
            if item is None:
                continue
            if item.id in seen:
                kind = "message" if isinstance(item, Message) else "event"
                self.problem(item.source.line, f"duplicate {kind} id '{item.id}' (first used on line {seen[item.id]})")
                continue
            seen[item.id] = item.source.line
            kept.append(item)
        return tuple(kept)

    def business_case(self, data: YamlMap) -> BusinessCase | None:
        if data.get("business_case") is None:  # missing or empty: reported with the campaign's keys
            return None
        case = self.mapping(data["business_case"], data.line_of("business_case"), "'business_case'", BUSINESS_CASE_KEYS)
        if case is None:
            return None
        problem = self.markdown(case, "problem", "the business problem", required=True)
        outcome = self.markdown(case, "outcome", "the outcome", required=True)
        if problem is None or outcome is None:
            return None
        return BusinessCase(problem=problem, outcome=outcome)

    def tags(self, data: YamlMap) -> tuple[str, ...]:
        tags: list[str] = []
        for item, line in self.items(data, "tags"):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
                self.problem(line, "each tag must be a short piece of text")
                continue
            tag = str(item).strip()
            if not _slugify(tag):
                self.problem(line, f"tag '{_show(tag)}' needs at least one letter or digit")
                continue
            if tag not in tags:
                tags.append(tag)
        return tuple(tags)

    def kpi(self, item: Any, line: int) -> Kpi | None:
        entry = self.mapping(item, line, "a KPI", KPI_KEYS)
        if entry is None:
            return None
        name = self.text(entry, "name", required=True)
        baseline = self.number(entry, "baseline")
        target = self.number(entry, "target")
        current = self.number(entry, "current")
        better = self.choice(entry, "better", ("higher", "lower"), "higher")
        if name is None or baseline is None or target is None or better is None:
            return None
        return Kpi(
            name=name.strip(),
            unit=_strip(self.text(entry, "unit")),
            baseline=baseline,
            target=target,
            current=current,
            better=better,  # type: ignore[arg-type]
        )

    def message(self, item: Any, line: int, leaders: dict[str, Leader]) -> Message | None:
        entry = self.mapping(item, line, "a message", MESSAGE_KEYS)
        if entry is None:
            return None
        message_id = self.slug(entry, "id", "message id")
        title = self.text(entry, "title", required=True)
        senders = self.leader_ids(entry, "leaders", leaders, required=True)
        publish = self.moment(entry, "publish")
        subject = self.template(entry, "subject")
        body = self.template(entry, "body")
        short = self.template(entry, "short") if entry.get("short") is not None else None
        if message_id is None or title is None or not senders or subject is None or body is None:
            return None
        return Message(
            id=message_id,
            title=title.strip(),
            leaders=senders,
            publish=publish,
            subject=subject,
            body=body,
            short=short,
            source=self.ref(entry.line),
        )

    def testimonials(self, data: YamlMap, leaders: dict[str, Leader]) -> tuple[Testimonial, ...]:
        testimonials: list[Testimonial] = []
        anchors: set[str] = set()
        for item, line in self.items(data, "testimonials"):
            entry = self.mapping(item, line, "a testimonial", TESTIMONIAL_KEYS)
            if entry is None:
                continue
            leader = self.leader_ids(entry, "leader", leaders)
            day = self.date(entry, "date")
            quote = self.text(entry, "quote", required=True)
            if "leader" in entry and isinstance(entry["leader"], YamlList):
                self.problem(entry.line_of("leader"), "'leader' takes one leader id; give each leader a testimonial of their own")
                continue
            if not leader or day is None or quote is None:
                continue
            # The anchor doubles as the feed guid, so it must not move when others are added.
            anchor = f"testimonial-{leader[0]}-{day.isoformat()}"
            number = 2
            while anchor in anchors:
                anchor = f"testimonial-{leader[0]}-{day.isoformat()}-{number}"
                number += 1
            anchors.add(anchor)
            testimonials.append(
                Testimonial(
                    leader=leader[0],
                    date=day,
                    quote=quote.strip(),
                    story=self.markdown(entry, "story", "a testimonial story"),
                    source=self.ref(entry.line),
                    anchor=anchor,
                )
            )
        return tuple(testimonials)

    def event(self, item: Any, line: int, leaders: dict[str, Leader]) -> Event | None:
        entry = self.mapping(item, line, "an event", EVENT_KEYS)
        if entry is None:
            return None
        event_id = self.slug(entry, "id", "event id")
        title = self.text(entry, "title", required=True)
        event_type = self.choice(entry, "type", EVENT_TYPES)
        timezone = self.timezone(entry)
        local_start = self.local_start(entry, timezone)
        duration = self.positive_int(entry, "duration", maximum=7 * 24 * 60)
        hosts = self.leader_ids(entry, "hosts", leaders, required=True)
        location = _strip(self.text(entry, "location"))
        online = self.url(entry, "online")
        if location is None and online is None and "location" not in entry and "online" not in entry:
            self.problem(entry.line, "an event needs a 'location', an 'online' link, or both")
        registration = self.url(entry, "registration")
        recording = self.url(entry, "recording")
        capacity = self.positive_int(entry, "capacity", maximum=1_000_000)
        status = self.choice(entry, "status", ("scheduled", "cancelled"), "scheduled")
        publish = self.moment(entry, "publish")
        if (
            event_id is None
            or title is None
            or event_type is None
            or timezone is None
            or local_start is None
            or duration is None
            or not hosts
            or status is None
            or (location is None and online is None)
        ):
            return None
        return Event(
            id=event_id,
            title=title.strip(),
            type=event_type,
            local_start=local_start,
            timezone=timezone,
            duration=duration,
            hosts=hosts,
            location=location,
            online=online,
            description=self.markdown(entry, "description", "an event description"),
            registration=registration,
            capacity=capacity,
            status=status,  # type: ignore[arg-type]
            recording=recording,
            publish=publish,
            source=self.ref(entry.line),
        )

    def timezone(self, entry: YamlMap) -> str | None:
        name = self.text(entry, "timezone", required=True)
        if name is None:
            return None
        name = name.strip()
        try:
            if "/" not in name and name != "UTC":
                raise zoneinfo.ZoneInfoNotFoundError(name)
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            hint = suggest(name, _known_zones())
            self.problem(entry.line_of("timezone"), f"unknown time zone '{_show(name)}'{hint or '; use an IANA name such as Europe/London'}")
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
            self.problem(entry.line_of("starts"), f"'starts' must be a local date and time such as 2027-01-20T12:30, not '{_show(value)}'")
            return None
        try:
            local = dt.datetime.fromisoformat(value)
        except ValueError:
            self.problem(entry.line_of("starts"), f"'starts' is an impossible date-time: '{value}'")
            return None
        if not self.plausible_year(entry, "starts", local.year):
            return None
        if timezone is not None:
            zone = zoneinfo.ZoneInfo(timezone)
            round_trip = local.replace(tzinfo=zone).astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None)
            if round_trip != local:
                self.problem(
                    entry.line_of("starts"),
                    f"'starts' {value} does not exist in {timezone}: the clocks change that night; pick another time",
                )
                return None
        return local

    def story(self, data: YamlMap) -> Story | None:
        if data.get("story") is None:
            return None
        entry = self.mapping(data["story"], data.line_of("story"), "the 'story'", STORY_KEYS)
        if entry is None:
            return None
        publish = self.moment(entry, "publish")
        what_changed = self.markdown(entry, "what_changed", "the story", required=True)
        why_it_mattered = self.markdown(entry, "why_it_mattered", "the story", required=True)
        what_we_learned = self.markdown(entry, "what_we_learned", "the story", required=True)
        if publish is None or what_changed is None or why_it_mattered is None or what_we_learned is None:
            return None
        return Story(
            publish=publish,
            what_changed=what_changed,
            why_it_mattered=why_it_mattered,
            what_we_learned=what_we_learned,
            source=self.ref(entry.line),
        )


def _slug_problem(value: str, *, say_length: bool = True) -> str | None:
    """What is wrong with ``value`` as an id, or None when it is a good one."""
    if not _is_slug(value):
        example = _slugify(value)
        hint = f", for example '{example}'" if example and example != value else ""
        length = f" (at most {MAX_SLUG_LENGTH} characters)" if say_length else ""
        return f"must be lowercase letters, digits and single hyphens{length}{hint}"
    if value in WINDOWS_RESERVED_NAMES:
        # Ids become folder and file names; Windows cannot create these, whatever the extension.
        return f"is a name Windows reserves ({value.upper()}); pick another"
    return None


def _show(value: Any) -> str:
    """A value as it is quoted in a problem: on one line, and short."""
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _strip(value: str | None) -> str | None:
    return value.strip() if value is not None else None


def _slugify(value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].strip("-")


def slugify(value: str) -> str:
    """A URL-safe slug for free text such as tags."""
    return _slugify(value)


def _is_content_path(path: str) -> bool:
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


@functools.lru_cache(maxsize=1)
def _known_zones() -> tuple[str, ...]:
    # Only needed for a suggestion after a mistake, so it is read lazily, once.
    return tuple(sorted(zoneinfo.available_timezones()))

"""The campaign data model: plain frozen dataclasses, no MkDocs, no I/O.

The loader (``load/``) turns YAML into these objects; everything else
(publishing rules, pages, feeds, calendars) reads them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Literal, get_args
from zoneinfo import ZoneInfo

import idna

from .problems import SourceRef

EventType = Literal["lunch-and-learn", "town-hall", "workshop", "webinar"]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
EVENT_TYPE_LABELS: dict[str, str] = {
    "lunch-and-learn": "Lunch & learn",
    "town-hall": "Town hall",
    "workshop": "Workshop",
    "webinar": "Webinar",
}


# What ``Leader.email`` may hold, for the loader that checks it and the drafts that write it:
# one plain address. The local part may hold an apostrophe (sean.o'brien@...); neither part
# may hold what would make a mail client read a display name, a list or a second address.
EMAIL_PATTERN = re.compile(r"[^@\s<>\",;:()\[\]\\]+@[^@\s<>\"',;:()\[\]\\]+\.[^@\s<>\"',;:()\[\]\\]+")


def is_email(value: str) -> bool:
    """One plain address, as ``Leader.email`` must be."""
    return EMAIL_PATTERN.fullmatch(value) is not None and ascii_email(value) is not None


def ascii_email(value: str) -> str | None:
    """The address as every mail client and server reads it, or None when it cannot be written so.

    A domain with non-ASCII letters (``jose@exämple.com``) is written in its IDNA form
    (``xn--exmple-cua.com``, the same domain). A local part with non-ASCII letters (``jösé@``)
    has no ASCII form: it needs SMTPUTF8 (RFC 6531/6532) all the way, which many mail
    systems and clients do not offer, so such an address is refused (``email_problem``).
    """
    local, _, domain = value.rpartition("@")
    if not local.isascii() or not all(character.isprintable() for character in value):
        return None
    if domain.isascii():
        return value
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except idna.IDNAError:
        return None


def email_problem(value: str) -> str | None:
    """What is wrong with ``value`` as ``Leader.email``, or None when it is one plain address."""
    if EMAIL_PATTERN.fullmatch(value) is None:
        return "must be an email address"
    local, _, domain = value.rpartition("@")
    if not local.isascii():
        return (
            "has letters outside ASCII before the '@', which many mail systems cannot send from "
            "(it needs SMTPUTF8); give the leader's plain ASCII address or alias"
        )
    if ascii_email(value) is None:
        return f"has a domain that is not a valid internationalised domain name ('{domain}')"
    return None


@dataclass(frozen=True)
class Leader:
    id: str
    name: str
    title: str
    source: SourceRef
    division: str | None = None
    photo: str | None = None
    bio: str | None = None
    email: str | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def role(self) -> str:
        """Their title, with the division unless the title already names it
        ("Head of Customer Success", not "Head of Customer Success · Customer Success")."""
        if not self.division or self.division.casefold() in self.title.casefold():
            return self.title
        return f"{self.title} · {self.division}"

    @property
    def initials(self) -> str:
        parts = [part for part in self.name.split() if part[:1].isalpha()]
        if not parts:
            return self.name[:1].upper()
        if len(parts) == 1:
            return parts[0][:1].upper()
        return (parts[0][:1] + parts[-1][:1]).upper()


KpiLevel = Literal["reaction", "learning", "behaviour", "results"]
KPI_LEVELS: tuple[str, ...] = get_args(KpiLevel)


@dataclass(frozen=True)
class Measurement:
    """One dated value of a KPI's ``history``."""

    date: dt.date
    value: float


@dataclass(frozen=True)
class ContentFile:
    """A file in content/ named in a campaign file (``path`` as written), with where it was named."""

    path: str
    source: SourceRef


@dataclass(frozen=True)
class Kpi:
    name: str
    baseline: float
    target: float
    unit: str | None = None
    current: float | None = None  # as written, else the latest value in ``history`` (the loader fills it)
    better: Literal["higher", "lower"] = "higher"
    history: tuple[Measurement, ...] = ()  # oldest first, dates strictly increasing
    level: KpiLevel | None = None

    @property
    def progress(self) -> float | None:
        """Share of the way from baseline to target reached by ``current`` (0..1+), if known.

        A target equal to the baseline has no way to go: ``current`` at or on the better side
        of it is 1 (met), on the worse side -1; only a missing ``current`` gives None.
        """
        if self.current is None:
            return None
        if self.target == self.baseline:
            if self.current == self.target:
                return 1.0
            improved = self.current > self.target if self.better == "higher" else self.current < self.target
            return 1.0 if improved else -1.0
        return (self.current - self.baseline) / (self.target - self.baseline)


@dataclass(frozen=True)
class TemplateText:
    """A message template as written, with the line it starts on for error reports."""

    text: str
    source: SourceRef


@dataclass(frozen=True)
class Message:
    id: str
    title: str
    leaders: tuple[str, ...]
    subject: TemplateText
    body: TemplateText
    source: SourceRef
    short: TemplateText | None = None
    publish: dt.datetime | None = None
    send_by: dt.datetime | None = None  # when it stops being "to send" (a date: the end of that day, UTC)
    draft: bool = False


@dataclass(frozen=True)
class Testimonial:
    leader: str
    date: dt.date
    quote: str
    source: SourceRef
    story: str | None = None
    anchor: str = ""
    draft: bool = False

    @property
    def publish(self) -> dt.datetime:
        return midnight_utc(self.date)


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    type: EventType
    local_start: dt.datetime  # naive wall time in ``timezone``
    timezone: str
    duration: int  # minutes
    hosts: tuple[str, ...]
    source: SourceRef
    location: str | None = None
    online: str | None = None
    description: str | None = None
    registration: str | None = None
    capacity: int | None = None
    status: Literal["scheduled", "cancelled"] = "scheduled"
    recording: str | None = None
    publish: dt.datetime | None = None
    draft: bool = False

    # Worked out once per event: pages, feeds, calendars and sorting read them tens of
    # thousands of times in a large portal. (cached_property writes the instance's __dict__
    # directly, so it works on a frozen dataclass and leaves equality and hashing alone.)
    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def starts(self) -> dt.datetime:
        """The aware start, resolving the wall time in the event's own zone."""
        return self.local_start.replace(tzinfo=self.zone)

    @cached_property
    def ends(self) -> dt.datetime:
        # Add the duration in UTC so that an event crossing a DST change keeps its length.
        end_utc = self.starts.astimezone(dt.timezone.utc) + dt.timedelta(minutes=self.duration)
        return end_utc.astimezone(self.zone)

    @property
    def type_label(self) -> str:
        return EVENT_TYPE_LABELS.get(self.type, self.type)

    @property
    def typed_title(self) -> str:
        """The title with the event's type in front, unless the title already starts with it:
        "Workshop: the stay conversation" stays as it is, "The stay conversation" becomes
        "Workshop: The stay conversation" (feeds, where no badge says what an item is)."""
        if _words(self.title)[: len(_words(self.type_label))] == _words(self.type_label):
            return self.title
        return f"{self.type_label}: {self.title}"

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True)
class Story:
    publish: dt.datetime
    what_changed: str
    why_it_mattered: str
    what_we_learned: str
    source: SourceRef
    draft: bool = False


@dataclass(frozen=True)
class BusinessCase:
    problem: str
    outcome: str


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    summary: str
    starts: dt.date
    business_case: BusinessCase
    source: SourceRef
    ends: dt.date | None = None
    publish: dt.datetime | None = None
    audience: str | None = None
    image: ContentFile | None = None
    tags: tuple[str, ...] = ()
    sponsors: tuple[str, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    messages: tuple[Message, ...] = ()
    testimonials: tuple[Testimonial, ...] = ()
    events: tuple[Event, ...] = ()
    story: Story | None = None
    tag_lines: tuple[int, ...] = ()  # the line of each tag, for problems between two files
    draft: bool = False

    def phase(self, today: dt.date) -> Literal["upcoming", "active", "completed"]:
        """Where the campaign stands on ``today``: not started, running, or over."""
        if today < self.starts:
            return "upcoming"
        if self.ends is not None and today > self.ends:
            return "completed"
        return "active"


@dataclass(frozen=True)
class Portal:
    """Everything loaded from campaigns/: leaders and campaigns, each sorted by id."""

    leaders: dict[str, Leader] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)


def midnight_utc(day: dt.date) -> dt.datetime:
    """The spec's reading of a bare date used as a publish moment."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


@lru_cache(maxsize=8192)  # every feed item of every event asks on every build (and serve rebuild)
def _words(text: str) -> tuple[str, ...]:
    """The words of a title for comparing it with a type label: case-folded, "&" read as "and"."""
    return tuple(re.findall(r"\w+", text.casefold().replace("&", " and ")))

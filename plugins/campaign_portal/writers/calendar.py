"""iCalendar builders: pure functions from campaign events to ``.ics`` bytes.

No MkDocs and no clock: DTSTAMP and LAST-MODIFIED come from the caller's
``stamp``, UIDs from the campaign and event ids, and every component is
sorted, so the same input always gives byte-identical calendars.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import vDDDTypes

from ..model import Campaign, Event

PRODID = "-//Learning Campaign Portal//EN"
DEFAULT_UID_DOMAIN = "learning-portal"

# RFC 5545 TEXT may not hold CONTROL characters; newlines are kept (icalendar escapes them as \n).
_ICAL_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_ICAL_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028]")
_ICAL_PARAGRAPH_BREAK = re.compile("\u2029")


@dataclass(frozen=True)
class CalendarEntry:
    """One event as it appears in a calendar, with what the caller prepared for it."""

    campaign: Campaign
    event: Event
    url: str | None  # absolute URL of the event page, or None when site_url is unknown
    description: str  # plain text description already prepared by the caller
    stamp: dt.datetime  # aware; DTSTAMP/LAST-MODIFIED come from this, never from the clock


@dataclass(frozen=True)
class TaskEntry:
    """Something to do on a day (a leader's message or reminder to send): an all-day entry with an
    alarm ``alarm_after`` past the start of that day, in the reader's own time zone."""

    uid: str
    day: dt.date
    summary: str
    description: str  # plain text already prepared by the caller
    url: str | None
    stamp: dt.datetime  # aware; DTSTAMP/LAST-MODIFIED
    alarm_after: dt.timedelta = dt.timedelta(hours=9)


def task_uid(*parts: str, domain: str = DEFAULT_UID_DOMAIN) -> str:
    """The permanent UID of a task, e.g. ``coaching--kickoff--amara-okafor--send@learning-portal``:
    its parts are slugs and it ends in ``--send``, so it never equals an event's UID."""
    return "--".join((*parts, "send")) + f"@{domain}"


def event_uid(campaign_id: str, event_id: str, domain: str = DEFAULT_UID_DOMAIN) -> str:
    """The permanent iCalendar UID of an event, e.g. ``coaching--lunch@learning-portal``.

    Ids are slugs whose hyphens never come in pairs, so ``--`` cannot be
    mistaken for part of either id and distinct pairs never share a UID.
    """
    return f"{campaign_id}--{event_id}@{domain}"


def sort_calendar_entries(entries: Sequence[CalendarEntry]) -> list[CalendarEntry]:
    """Entries by start instant, then campaign id, then event id."""
    return sorted(
        entries,
        key=lambda entry: (
            entry.event.starts.astimezone(dt.timezone.utc),
            entry.campaign.id,
            entry.event.id,
        ),
    )


def build_calendar(
    entries: Sequence[CalendarEntry],
    *,
    name: str,
    description: str = "",
    subscribable: bool = False,
    refresh_hours: int = 1,
    zone_years: tuple[tuple[str, int, int], ...] = (),
    tasks: Sequence[TaskEntry] = (),
) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH) holding one VEVENT per entry, as CRLF-separated bytes.

    Each start and end keeps the event's own IANA zone (``TZID``), with one VTIMEZONE per zone
    used, written from zoneinfo for the years of that zone's events (:func:`zone_observances`);
    a wall time that names no single moment in its zone is written in UTC (:func:`zoned_or_utc`). ``subscribable`` adds REFRESH-INTERVAL and
    X-PUBLISHED-TTL of ``refresh_hours`` so clients poll a subscribed feed.

    ``zone_years`` (``(tzid, first year, last year)``) widens a zone's VTIMEZONE beyond the years
    of this calendar's own events: a site passes the years of all its events in each zone, so that
    every calendar it publishes carries the same VTIMEZONE for a TZID. Readers that keep the first
    VTIMEZONE they see for a TZID and reuse it for later files (vobject does) then place every
    event right, whichever file they read first.
    """
    if refresh_hours < 1:
        raise ValueError(f"refresh_hours must be at least 1, not {refresh_hours}")
    ordered = sort_calendar_entries(entries)

    # X- properties are TEXT unless said otherwise (RFC 5545 3.8.8.2), so a comma, semicolon or
    # backslash is escaped; VALUE=TEXT says so to readers that otherwise keep an X- value raw
    # (ical.js, icalendar), so that they too read "a, b" and not "a\, b". The name is one line;
    # the description keeps its paragraphs as \n.
    head = _calendar_head(" ".join(clean_ical_text(name).split()), clean_ical_text(description) if description else "",
                          refresh_hours if subscribable else 0)
    task_ical = b"".join(_task_ical(task) for task in sorted(tasks, key=lambda task: (task.day, task.uid)))
    if not ordered:
        return head + task_ical + _CALENDAR_END
    # An event is in three calendars (its own, its campaign's, everyone's) and a zone in most:
    # each VEVENT and VTIMEZONE is written out once, and the calendar assembled from the pieces:
    # the calendar's properties, the VTIMEZONEs (sorted by TZID), then the VEVENTs.
    pieces = [_vevent_ical(entry.campaign.id, entry.event, entry.url, entry.description, entry.stamp) for entry in ordered]
    tzids = set().union(*(used for _, used in pieces))
    # Each zone covers the whole years of the events written in it: a few changes, always enough.
    years: dict[str, list[int]] = {}
    for entry in ordered:
        if entry.event.timezone in tzids:
            years.setdefault(entry.event.timezone, []).extend((entry.event.starts.year, entry.event.ends.year))
    for tzid, first_year, last_year in zone_years:
        if tzid in years:
            years[tzid].extend((first_year, last_year))
    zones = b"".join(
        _vtimezone_ical(tzid, dt.date(min(years[tzid]), 1, 1), dt.date(max(years[tzid]) + 1, 1, 1))
        for tzid in sorted(tzids)
    )
    return head + zones + b"".join(ical for ical, _ in pieces) + task_ical + _CALENDAR_END


_CALENDAR_END = b"END:VCALENDAR\r\n"


# ---------------------------------------------------------------------------------------------
# Content lines, written directly. The calendar, its VEVENTs and tasks are written line by line
# as the icalendar library writes them (its property order: the component's canonical order, then
# the rest alphabetically; its TEXT escaping and its folding), which is ~20x faster than building
# its component objects for each of the thousands of entries a site publishes.
# tests/test_calendar_writer.py checks the bytes against icalendar's for awkward values.
# ---------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 3.3.11 asks (as icalendar does, in its order, except that a
    "\\N" typed in the text stays those two characters: icalendar makes it a line break first)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


_FOLD_AT = 74  # bytes on a line before the fold (75 with the leading space of a continuation)


def _fold(line: str) -> bytes:
    """``line`` as CRLF-ended bytes, folded before any 75th octet, never inside a UTF-8 character
    and never right after a backslash or caret (an escape stays on one line, as icalendar keeps it)."""
    data = line.encode("utf-8")
    if len(data) <= _FOLD_AT:
        return data + b"\r\n"
    chunks = []
    start = 0
    while len(data) - start > _FOLD_AT:
        end = start + _FOLD_AT
        while data[end] & 0xC0 == 0x80:  # not a character's first byte: the character moves down
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        chunks.append(data[start:end])
        start = end
    chunks.append(data[start:])
    return b"\r\n ".join(chunks) + b"\r\n"


def _utc_stamp(moment: dt.datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}Z"


def _moment(name: str, moment: dt.datetime) -> tuple[bytes, str | None]:
    """DTSTART/DTEND of a moment (UTC with a Z, otherwise the wall time with its zone's TZID), and the TZID."""
    tzid: str | None = vDDDTypes(moment).params.get("TZID")  # icalendar's reading of the zone, as before
    text = f"{moment:%Y%m%dT%H%M%S}" + ("" if tzid else "Z")
    return _fold(f"{name};TZID={tzid}:{text}" if tzid else f"{name}:{text}"), tzid


def _duration(span: dt.timedelta) -> str:
    """An RFC 5545 DURATION (``PT9H``, ``P1DT9H``, ``-PT15M``), written as icalendar writes it."""
    sign = "-" if span.days < 0 else ""
    span = -span if span.days < 0 else span
    hours, rest = divmod(span.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    time = ""
    if span.seconds:
        time = "T" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or (hours and seconds) else "")
        time += f"{seconds}S" if seconds else ""
    return f"{sign}P{time}" if span.days == 0 and time else f"{sign}P{span.days}D{time}"


@functools.lru_cache(maxsize=256)
def _calendar_head(name: str, description: str, refresh_hours: int) -> bytes:
    """BEGIN:VCALENDAR and the calendar's properties, in icalendar's order."""
    lines = [
        _fold("BEGIN:VCALENDAR"),
        _fold("VERSION:2.0"),
        _fold(f"PRODID:{_text(PRODID)}"),
        _fold("CALSCALE:GREGORIAN"),
        _fold("METHOD:PUBLISH"),
    ]
    if description:
        lines.append(_fold(f"X-WR-CALDESC;VALUE=TEXT:{_text(description)}"))
    lines.append(_fold(f"X-WR-CALNAME;VALUE=TEXT:{_text(name)}"))
    if refresh_hours:
        refresh = _duration(dt.timedelta(hours=refresh_hours))
        lines += [_fold(f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}"), _fold(f"X-PUBLISHED-TTL:{refresh}")]
    return b"".join(lines)


@functools.lru_cache(maxsize=65536)
def _vevent_ical(
    campaign_id: str, event: Event, url: str | None, description: str, stamp: dt.datetime
) -> tuple[bytes, frozenset[str]]:
    """A VEVENT written out, with the TZIDs it needs; a pure function of its arguments."""
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError(f"{event.source}: calendar stamp must be time-zone aware, got {stamp.isoformat()}")
    stamped = _utc_stamp(stamp.astimezone(dt.timezone.utc))
    (starts, start_zone), (ends, end_zone) = _moment("DTSTART", zoned_or_utc(event.starts)), _moment("DTEND", zoned_or_utc(event.ends))
    place = event.location or event.online
    # A cancellation is a revision of the published event; clients only apply
    # it over a copy they already have when the sequence number has grown.
    lines = [
        _fold("BEGIN:VEVENT"),
        _fold(f"SUMMARY:{_text(clean_ical_text(event.title))}"),
        starts,
        ends,
        _fold(f"DTSTAMP:{stamped}"),
        _fold(f"UID:{_text(event_uid(campaign_id, event.id))}"),
        _fold(f"SEQUENCE:{1 if event.cancelled else 0}"),
        _fold(f"CATEGORIES:{_text(clean_ical_text(event.type_label))}"),
        *([_fold(f"DESCRIPTION:{_text(clean_ical_text(description))}")] if description else []),
        _fold(f"LAST-MODIFIED:{stamped}"),
        *([_fold(f"LOCATION:{_text(clean_ical_text(place))}")] if place else []),
        _fold(f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}"),
        *([_fold(f"URL:{url}")] if url else []),
        _fold("END:VEVENT"),
    ]
    return b"".join(lines), frozenset(zone for zone in (start_zone, end_zone) if zone)


def zoned_or_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as it is, to be written with its zone's TZID, unless its wall time does not name
    one moment there: a time in the hour that fall-back repeats, or in a spring-forward gap, is
    written in UTC, which every client reads alike. (RFC 5545 reads a repeated wall time as its
    first pass, so an end in the second pass cannot be written with a TZID at all.)"""
    wall = moment.replace(tzinfo=None)
    first, second = wall.replace(tzinfo=moment.tzinfo, fold=0), wall.replace(tzinfo=moment.tzinfo, fold=1)
    if first.utcoffset() == second.utcoffset():
        return moment
    return moment.astimezone(dt.timezone.utc)


def _task_ical(task: TaskEntry) -> bytes:
    """A task as an all-day VEVENT (free time) with a display alarm on its day."""
    if task.stamp.tzinfo is None or task.stamp.utcoffset() is None:
        raise ValueError(f"{task.uid}: calendar stamp must be time-zone aware, got {task.stamp.isoformat()}")
    stamped = _utc_stamp(task.stamp.astimezone(dt.timezone.utc))
    summary = _text(" ".join(clean_ical_text(task.summary).split()))
    trigger = _duration(task.alarm_after)
    lines = [
        _fold("BEGIN:VEVENT"),
        _fold(f"SUMMARY:{summary}"),
        _fold(f"DTSTART;VALUE=DATE:{task.day:%Y%m%d}"),
        _fold(f"DTEND;VALUE=DATE:{task.day + dt.timedelta(days=1):%Y%m%d}"),
        _fold(f"DTSTAMP:{stamped}"),
        _fold(f"UID:{_text(task.uid)}"),
        _fold("SEQUENCE:0"),
        _fold(f"DESCRIPTION:{_text(clean_ical_text(task.description))}"),
        _fold(f"LAST-MODIFIED:{stamped}"),
        _fold("STATUS:CONFIRMED"),
        _fold("TRANSP:TRANSPARENT"),
        *([_fold(f"URL:{task.url}")] if task.url else []),
        _fold("BEGIN:VALARM"),
        _fold("ACTION:DISPLAY"),
        _fold(f"DESCRIPTION:{summary}"),
        _fold(f"TRIGGER;RELATED=START:{trigger}"),
        _fold("END:VALARM"),
        _fold("END:VEVENT"),
    ]
    return b"".join(lines)


def clean_ical_text(text: str) -> str:
    """``text`` with every line break as ``\\n`` and the control characters RFC 5545 forbids removed.

    Besides CR and LF, the characters Unicode reads as line or paragraph breaks (vertical tab, form
    feed, the information separators U+001C-U+001E, NEL U+0085, U+2028, U+2029) become a plain
    newline (two for a paragraph separator), which TEXT writes as ``\\n``: a raw one would reach a
    client as a line break some readers take and others show as a stray mark.
    """
    text = _ICAL_PARAGRAPH_BREAK.sub("\n\n", text)
    return _ICAL_FORBIDDEN.sub("", _ICAL_LINE_BREAK.sub("\n", text))


# ---------------------------------------------------------------------------------------------
# VTIMEZONE, written from zoneinfo.
#
# Each change of UTC offset (or of zone abbreviation) in the span the calendar's events need is
# its own STANDARD or DAYLIGHT observance, with no RRULE, whose DTSTART is repeated as its only
# RDATE. Clients read observances differently: ical.js, given RDATEs, ignores the DTSTART (so a
# sub-component listing later changes as RDATEs under a first DTSTART, as icalendar writes it,
# loses that first change); Python's `ical` reads only the RRULE and RDATEs (so a lone DTSTART is
# no onset at all); dateutil (under vobject) and icalendar take the union. DTSTART = RDATE is one
# onset for all of them. The onset is written as RFC 5545 asks: the local time before the change,
# on the clock of TZOFFSETFROM (London's spring change at 01:00 GMT is T010000, not T020000).
# tests/test_calendar_clients.py reads such calendars with all four.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Observance:
    """One change of a zone's clock: from ``offset_from`` to ``offset_to`` at the wall time ``onset``."""

    onset: dt.datetime  # naive: the local time just before the change, on the clock of offset_from
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    daylight: bool


# A clock that never changed in the year before a calendar's span (Asia/Kolkata): one observance
# from this onset, with the same offset on both sides.
_NO_CHANGE_ONSET = dt.datetime(1970, 1, 1)  # noqa: DTZ001 - a wall time, as VTIMEZONE writes it
_SAMPLE_STEP = dt.timedelta(hours=6)  # zones change their clocks at most twice a year


def zone_observances(tzid: str, start: dt.datetime, end: dt.datetime) -> list[Observance]:
    """The observances of ``tzid`` that place every moment from ``start`` to ``end`` (aware) as zoneinfo does.

    The first is the change in force at ``start`` (the last one in the year before it), or, for a
    zone that did not change then, a single fixed observance; then one per change up to ``end``.
    """
    zone = ZoneInfo(tzid)
    utc_start = start.astimezone(dt.timezone.utc)
    utc_end = end.astimezone(dt.timezone.utc)
    changes = _changes(zone, utc_start - dt.timedelta(days=366), utc_end)
    in_force = [change for change in changes if change <= utc_start]
    first = in_force[-1] if in_force else None
    observances = [] if first else [_fixed_observance(zone, utc_start)]
    for change in changes:
        if first is None or change >= first:
            observances.append(_observance_at(zone, change))
    return observances


def _state(zone: ZoneInfo, instant: dt.datetime) -> tuple[dt.timedelta | None, dt.timedelta | None, str | None]:
    local = instant.astimezone(zone)
    return local.utcoffset(), local.dst(), local.tzname()


def _changes(zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Every instant in (start, end] at which the zone's offset, DST flag or abbreviation changes."""
    found = []
    moment, state = start, _state(zone, start)
    while moment < end:
        later = min(moment + _SAMPLE_STEP, end)
        later_state = _state(zone, later)
        if later_state != state:
            # Offsets change on whole seconds: bisect to the first second of the new state.
            low, high = moment, later
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) // 2
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            found.append(high)
        moment, state = later, later_state
    return found


def _observance_at(zone: ZoneInfo, change: dt.datetime) -> Observance:
    before = (change - dt.timedelta(seconds=1)).astimezone(zone)
    after = change.astimezone(zone)
    offset_from = before.utcoffset() or dt.timedelta(0)
    offset_to = after.utcoffset() or dt.timedelta(0)
    return Observance(
        onset=(change + offset_from).replace(tzinfo=None),
        offset_from=offset_from,
        offset_to=offset_to,
        name=after.tzname() or "",
        daylight=bool(after.dst()),
    )


def _fixed_observance(zone: ZoneInfo, instant: dt.datetime) -> Observance:
    local = instant.astimezone(zone)
    offset = local.utcoffset() or dt.timedelta(0)
    return Observance(_NO_CHANGE_ONSET, offset, offset, local.tzname() or "", bool(local.dst()))


def vtimezone_ical(tzid: str, observances: Sequence[Observance]) -> bytes:
    """The VTIMEZONE of ``tzid`` with these observances, as CRLF-separated bytes (every line is short)."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    for observance in observances:
        kind = "DAYLIGHT" if observance.daylight else "STANDARD"
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{observance.onset:%Y%m%dT%H%M%S}",
            f"RDATE:{observance.onset:%Y%m%dT%H%M%S}",
            f"TZOFFSETFROM:{_utc_offset(observance.offset_from)}",
            f"TZOFFSETTO:{_utc_offset(observance.offset_to)}",
            *([f"TZNAME:{_escape_text(observance.name)}"] if observance.name else []),
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _utc_offset(offset: dt.timedelta) -> str:
    """RFC 5545 UTC-OFFSET: ``+HHMM``, or ``+HHMMSS`` when there are seconds."""
    sign = "-" if offset < dt.timedelta(0) else "+"
    seconds = abs(int(offset.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _escape_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


@functools.lru_cache(maxsize=1024)
def _vtimezone_ical(tzid: str, first_date: dt.date, last_date: dt.date) -> bytes:
    """The VTIMEZONE of a zone for the whole years from ``first_date`` to ``last_date``, written
    once per zone and span: the same few zones are in every calendar."""
    zone = ZoneInfo(tzid)
    start = dt.datetime.combine(first_date, dt.time(), zone)
    end = dt.datetime.combine(last_date, dt.time(), zone)
    return vtimezone_ical(tzid, zone_observances(tzid, start, end))

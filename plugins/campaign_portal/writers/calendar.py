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

from icalendar import Alarm, Calendar, vDuration, vText
from icalendar import Event as CalendarEvent

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

    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    # X- properties are TEXT unless said otherwise (RFC 5545 3.8.8.2), so a comma, semicolon or
    # backslash is escaped; VALUE=TEXT says so to readers that otherwise keep an X- value raw
    # (ical.js, icalendar), so that they too read "a, b" and not "a\, b". The name is one line;
    # the description keeps its paragraphs as \n.
    text = {"VALUE": "TEXT"}
    calendar.add("X-WR-CALNAME", vText(" ".join(clean_ical_text(name).split())), parameters=text)
    if description:
        calendar.add("X-WR-CALDESC", vText(clean_ical_text(description)), parameters=text)
    if subscribable:
        refresh = dt.timedelta(hours=refresh_hours)
        calendar.add("REFRESH-INTERVAL", vDuration(refresh), parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(refresh))

    head: bytes = calendar.to_ical()
    task_ical = b"".join(_task_ical(task) for task in sorted(tasks, key=lambda task: (task.day, task.uid)))
    if not ordered:
        return head[: -len(_CALENDAR_END)] + task_ical + _CALENDAR_END if tasks else head
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
    return head[: -len(_CALENDAR_END)] + zones + b"".join(ical for ical, _ in pieces) + task_ical + _CALENDAR_END


_CALENDAR_END = b"END:VCALENDAR\r\n"


@functools.lru_cache(maxsize=65536)
def _vevent_ical(
    campaign_id: str, event: Event, url: str | None, description: str, stamp: dt.datetime
) -> tuple[bytes, frozenset[str]]:
    """A VEVENT written out, with the TZIDs it needs; a pure function of its arguments."""
    vevent = _make_vevent(campaign_id, event, url, description, stamp)
    holder = Calendar()
    holder.add_component(vevent)
    return vevent.to_ical(), frozenset(holder.get_missing_tzids())


def _make_vevent(campaign_id: str, event: Event, url: str | None, description: str, stamp: dt.datetime) -> CalendarEvent:
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError(f"{event.source}: calendar stamp must be time-zone aware, got {stamp.isoformat()}")
    stamp = stamp.astimezone(dt.timezone.utc)

    vevent = CalendarEvent()
    vevent.add("UID", event_uid(campaign_id, event.id))
    vevent.add("DTSTAMP", stamp)
    vevent.add("LAST-MODIFIED", stamp)
    vevent.add("DTSTART", zoned_or_utc(event.starts))
    vevent.add("DTEND", zoned_or_utc(event.ends))
    vevent.add("SUMMARY", clean_ical_text(event.title))
    place = event.location or event.online
    if place:
        vevent.add("LOCATION", clean_ical_text(place))
    if url:
        vevent.add("URL", url)
    if description:
        vevent.add("DESCRIPTION", clean_ical_text(description))
    vevent.add("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED")
    # A cancellation is a revision of the published event; clients only apply
    # it over a copy they already have when the sequence number has grown.
    vevent.add("SEQUENCE", 1 if event.cancelled else 0)
    vevent.add("CATEGORIES", [clean_ical_text(event.type_label)])
    return vevent


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
    stamp = task.stamp.astimezone(dt.timezone.utc)
    vevent = CalendarEvent()
    vevent.add("UID", task.uid)
    vevent.add("DTSTAMP", stamp)
    vevent.add("LAST-MODIFIED", stamp)
    vevent.add("DTSTART", task.day)
    vevent.add("DTEND", task.day + dt.timedelta(days=1))
    summary = " ".join(clean_ical_text(task.summary).split())
    vevent.add("SUMMARY", summary)
    if task.url:
        vevent.add("URL", task.url)
    vevent.add("DESCRIPTION", clean_ical_text(task.description))
    vevent.add("TRANSP", "TRANSPARENT")
    vevent.add("STATUS", "CONFIRMED")
    vevent.add("SEQUENCE", 0)
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", summary)
    alarm.add("TRIGGER", task.alarm_after, parameters={"RELATED": "START"})
    vevent.add_component(alarm)
    ical: bytes = vevent.to_ical()
    return ical


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

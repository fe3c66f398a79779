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

from icalendar import Calendar, Timezone, vDuration, vText
from icalendar import Event as CalendarEvent

from ..model import Campaign, Event

PRODID = "-//Learning Campaign Portal//EN"
DEFAULT_UID_DOMAIN = "learning-portal"

# RFC 5545 TEXT may not hold CONTROL characters; newlines are kept (icalendar escapes them as \n).
_ICAL_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarEntry:
    """One event as it appears in a calendar, with what the caller prepared for it."""

    campaign: Campaign
    event: Event
    url: str | None  # absolute URL of the event page, or None when site_url is unknown
    description: str  # plain text description already prepared by the caller
    stamp: dt.datetime  # aware; DTSTAMP/LAST-MODIFIED come from this, never from the clock


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
) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH) holding one VEVENT per entry, as CRLF-separated bytes.

    Each start and end keeps the event's own IANA zone (``TZID``), with one
    VTIMEZONE per zone used. ``subscribable`` adds REFRESH-INTERVAL and
    X-PUBLISHED-TTL of ``refresh_hours`` so clients poll a subscribed feed.
    """
    if refresh_hours < 1:
        raise ValueError(f"refresh_hours must be at least 1, not {refresh_hours}")
    ordered = sort_calendar_entries(entries)

    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    # X- properties are written raw unless typed: a name is one line; a description may have
    # paragraphs, so it is written as escaped TEXT (a raw line break would end the property).
    calendar.add("X-WR-CALNAME", " ".join(clean_ical_text(name).split()))
    if description:
        calendar.add("X-WR-CALDESC", vText(clean_ical_text(description)))
    if subscribable:
        refresh = dt.timedelta(hours=refresh_hours)
        calendar.add("REFRESH-INTERVAL", vDuration(refresh), parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(refresh))

    head: bytes = calendar.to_ical()
    if not ordered:
        return head
    # An event is in three calendars (its own, its campaign's, everyone's) and a zone in most:
    # each VEVENT and VTIMEZONE is written out once, and the calendar assembled from the pieces.
    # The bytes are those calendar.to_ical() gives with the same components: the VTIMEZONEs
    # (sorted by TZID) and then the VEVENTs follow the calendar's properties.
    pieces = [_vevent_ical(entry.campaign.id, entry.event, entry.url, entry.description, entry.stamp) for entry in ordered]
    zones = b""
    tzids = sorted(set().union(*(used for _, used in pieces)))
    if tzids:
        # Each zone covers the whole years the calendar spans: few transitions, but always enough.
        first_date = dt.date(min(entry.event.starts.year for entry in ordered), 1, 1)
        last_date = dt.date(max(entry.event.ends.year for entry in ordered) + 1, 1, 1)
        zones = b"".join(_vtimezone_ical(tzid, first_date, last_date) for tzid in tzids)
    return head[: -len(_CALENDAR_END)] + zones + b"".join(ical for ical, _ in pieces) + _CALENDAR_END


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
    vevent.add("DTSTART", event.starts)
    vevent.add("DTEND", event.ends)
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


def clean_ical_text(text: str) -> str:
    """``text`` with line breaks normalised to ``\\n`` and the control characters RFC 5545 forbids removed."""
    return _ICAL_FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@functools.lru_cache(maxsize=1024)
def _vtimezone_ical(tzid: str, first_date: dt.date, last_date: dt.date) -> bytes:
    """One VTIMEZONE per zone and span, computed and written out once: icalendar's search takes
    up to 0.1 s a zone, and the same few zones are in every calendar."""
    ical: bytes = Timezone.from_tzid(tzid, first_date=first_date, last_date=last_date).to_ical()
    return ical

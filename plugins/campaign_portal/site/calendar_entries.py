"""What goes into the calendars: one entry per event (its description, link and stamp), the
calendar files written through ``writers.calendar``, and the add-to-calendar links of an event page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from ..model import Campaign, Event
from ..rules import schedule, urls
from ..writers import calendar
from .scope import EventPair, Scope


def calendar_entry(scope: Scope, campaign: Campaign, event: Event) -> calendar.CalendarEntry:
    return scope.memo.get(("calendar entry", campaign.id, event.id), _make_entry, scope, campaign, event)


def _make_entry(scope: Scope, campaign: Campaign, event: Event) -> calendar.CalendarEntry:
    lines = [scope.text(event.description)]
    if event.online:
        lines.append(f"Join online: {event.online}")
    if event.registration:
        lines.append(f"Register: {event.registration}")
    if event.recording:
        lines.append(f"Recording: {event.recording}")
    hosts = ", ".join(scope.leaders[host].name for host in event.hosts)
    lines.append(f"Hosted by {hosts}. Part of {campaign.title}.")
    page = scope.absolute(urls.event_uri(campaign, event))
    if scope.settings.site_url:
        lines.append(f"Details: {page}")
    return calendar.CalendarEntry(
        campaign=campaign,
        event=event,
        url=page if scope.settings.site_url else None,
        description="\n\n".join(line for line in lines if line),
        stamp=schedule.calendar_stamp(campaign, event),
    )


def calendar_file(scope: Scope, pairs: list[EventPair], **options: Any) -> bytes:
    """``writers.calendar.build_calendar`` of these events, which reads no more of an entry's campaign
    than its id; kept across serve rebuilds while its entries are the same."""
    entries = [calendar_entry(scope, campaign, event) for campaign, event in pairs]
    # Every calendar of the site carries the same VTIMEZONE for a zone: the years of all its events there.
    options.setdefault("zone_years", scope.memo.get(("zone years",), zone_years, scope))
    key = (
        "calendar",
        tuple((entry.campaign.id, entry.event, entry.url, entry.description, entry.stamp) for entry in entries),
        tuple(sorted(options.items())),
    )
    return scope.cache.get(key, lambda: calendar.build_calendar(entries, **options))


def zone_years(scope: Scope) -> tuple[tuple[str, int, int], ...]:
    """``(tzid, first year, last year)`` of the site's public events in each zone."""
    years: dict[str, list[int]] = {}
    for _, event in scope.events:
        years.setdefault(event.timezone, []).extend((event.starts.year, event.ends.year))
    return tuple((tzid, min(found), max(found)) for tzid, found in sorted(years.items()))


def calendar_links(scope: Scope, campaign: Campaign, event: Event) -> dict[str, str]:
    entry = calendar_entry(scope, campaign, event)
    key = ("calendar links", event, entry.description, entry.url)
    return scope.cache.get(key, add_to_calendar_links, event, entry.description, entry.url)


def add_to_calendar_links(event: Event, description: str, url: str | None) -> dict[str, str]:
    """Google Calendar and Outlook on the web links that prefill the event."""
    start_utc = event.starts.astimezone(dt.timezone.utc)
    end_utc = event.ends.astimezone(dt.timezone.utc)
    location = event.location or event.online or ""
    details = description if len(description) < 1200 else description[:1200] + "…"
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{start_utc:%Y%m%dT%H%M%SZ}/{end_utc:%Y%m%dT%H%M%SZ}",
            "details": details,
            "location": location,
            "ctz": event.timezone,
        }
    )
    outlook = "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": event.title,
            "startdt": start_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "enddt": end_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "body": details,
            "location": location,
        }
    )
    return {"google": google, "outlook": outlook}

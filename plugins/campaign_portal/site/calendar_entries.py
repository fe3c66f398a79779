"""What goes into the calendars: one entry per event (its description, link and stamp), the
calendar files written through ``writers.calendar``, and the add-to-calendar links of an event page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import Campaign, Event, Leader
from ..rules import schedule, urls
from ..rules.dates import format_date, format_time
from ..writers import calendar
from ..writers.percent import form_encoded
from .content import RenderedMessage
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
    return _kept_calendar(scope, entries, **options)


def _kept_calendar(scope: Scope, entries: list[calendar.CalendarEntry], **options: Any) -> bytes:
    """``build_calendar(entries, **options)``, kept across serve rebuilds while its entries and options are the same."""
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
    # Both links carry the same long texts: each is encoded once (urlencode's own encoding, quote_plus).
    title, details, location = form_encoded(event.title), form_encoded(details), form_encoded(location)
    google = (
        "https://calendar.google.com/calendar/render?action=TEMPLATE"
        f"&text={title}&dates={start_utc:%Y%m%dT%H%M%SZ}%2F{end_utc:%Y%m%dT%H%M%SZ}"
        f"&details={details}&location={location}&ctz={form_encoded(event.timezone)}"
    )
    outlook = (
        "https://outlook.office.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent"
        f"&subject={title}&startdt={form_encoded(f'{start_utc:%Y-%m-%dT%H:%M:%SZ}')}"
        f"&enddt={form_encoded(f'{end_utc:%Y-%m-%dT%H:%M:%SZ}')}&body={details}&location={location}"
    )
    return {"google": google, "outlook": outlook}


def leader_calendar(scope: Scope, leader: Leader, pairs: list[EventPair], messages: list[RenderedMessage]) -> bytes:
    """A leader's own calendar: the events they host (the same entries and UIDs as every other
    calendar) and, on the day each of their messages and reminders becomes due, an all-day entry
    with its text and an alarm in the morning."""
    entries = [calendar_entry(scope, campaign, event) for campaign, event in pairs]
    tasks = [_task_entry(scope, message) for message in messages]
    return _kept_calendar(
        scope,
        entries,
        name=f"{leader.name}: what to send · {scope.settings.site_name}",
        description=f"The events {leader.name} hosts, and the day each message and reminder is due.",
        subscribable=True,
        tasks=tuple(tasks),
    )


def _task_entry(scope: Scope, message: RenderedMessage) -> calendar.TaskEntry:
    window = message.window
    assert window is not None
    campaign, leader = message.campaign, message.leader
    if message.event is not None and message.reminder is not None:
        assert message.send_on is not None
        uid = calendar.task_uid(campaign.id, message.event.id, message.reminder.replace("_", "-"), leader.id)
        day, when = message.send_on, f"Send on {format_date(message.send_on)}"
        stamp = schedule.calendar_stamp(campaign, message.event)
        alarm = dt.timedelta(hours=8 if message.reminder == "morning_of" else 9)
    else:
        assert message.message is not None
        uid = calendar.task_uid(campaign.id, message.message.id, leader.id)
        day = window.due_day
        when = f"Send by {format_date(window.last_day)}"
        if not window.closes_at_midnight:
            when += f", {format_time(window.closes)}"
        stamp = schedule.published_at(campaign, message.message)
        alarm = dt.timedelta(hours=9)
    page = scope.absolute(urls.leader_uri(leader)) + f"#{message.anchor}"
    parts = [when, f"Subject: {message.subject}", message.body_text]
    if message.short:
        parts.append(f"Chat version: {message.short}")
    if scope.settings.site_url:
        parts.append(f"Copy it from your page: {page}")
    return calendar.TaskEntry(
        uid=uid,
        day=day,
        summary=f"Send: {message.title}",
        description="\n\n".join(parts),
        url=page if scope.settings.site_url else None,
        stamp=stamp,
        alarm_after=alarm,
    )

"""When each kind of item becomes public, and when a reminder is to be sent: one formula each.

An item inside a campaign is public from the later of its own ``publish`` and its campaign's
(the embargo in ``publishing`` and every published date in feeds and calendars read these).
A campaign or message without any ``publish`` moment dates from midnight UTC of the day the
campaign starts. Dates in the feeds and calendars never come from the clock.
"""

from __future__ import annotations

import datetime as dt

from ..model import Campaign, Event, Message, Story, Testimonial, midnight_utc

REMINDER_KINDS = ("day_before", "morning_of")
# The moment of an item whose ``publish`` is written but cannot be read: later than any build,
# so the item stays unpublished in every build, previews included (the embargo fails closed).
NEVER = dt.datetime.max.replace(tzinfo=dt.timezone.utc)


def later(first: dt.datetime | None, second: dt.datetime | None) -> dt.datetime | None:
    """The later of two optional moments (None: no moment)."""
    if first is None:
        return second
    if second is None:
        return first
    return max(first, second)


def embargo_of(campaign: Campaign, item: Message | Event | Testimonial | Story | None = None) -> dt.datetime | None:
    """The moment before which ``item`` (or the campaign itself) is not public, or None."""
    if item is None:
        return campaign.publish
    return later(item.publish, campaign.publish)


def published_at(campaign: Campaign, item: Message | Event | Testimonial | Story | None = None) -> dt.datetime:
    """The moment ``item`` (or the campaign) became public: its embargo, else the campaign's first day."""
    moment = embargo_of(campaign, item)
    return moment if moment is not None else midnight_utc(campaign.starts)


def announced_at(campaign: Campaign, message: Message) -> dt.datetime:
    """A message's moment, as the spec defines it for its template's ``events``: its own
    ``publish``, else its campaign's, else the campaign's first day."""
    moment = message.publish or campaign.publish
    return moment if moment is not None else midnight_utc(campaign.starts)


def calendar_stamp(campaign: Campaign, event: Event) -> dt.datetime:
    """An event's DTSTAMP and LAST-MODIFIED: when it was first announced (never the clock)."""
    return event.publish or campaign.publish or midnight_utc(campaign.starts)


def reminder_day(event: Event, kind: str) -> dt.date:
    """The day, in the event's own zone, on which a host sends the reminder of ``kind``."""
    local_day = event.starts.date()
    return local_day - dt.timedelta(days=1) if kind == "day_before" else local_day


def is_past(event: Event, now: dt.datetime) -> bool:
    """An event is past once it has ended."""
    return event.ends <= now


def event_order(campaign: Campaign, event: Event) -> tuple[dt.datetime, str, str]:
    """Events by start instant, then campaign id, then event id: every list and calendar sorts so."""
    return (event.starts.astimezone(dt.timezone.utc), campaign.id, event.id)

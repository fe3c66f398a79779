"""When each kind of item becomes public, and when a reminder is to be sent: one formula each.

An item inside a campaign is public from the later of its own ``publish`` and its campaign's
(the embargo in ``publishing`` and every published date in feeds and calendars read these).
A campaign or message without any ``publish`` moment dates from midnight UTC of the day the
campaign starts. Dates in the feeds and calendars never come from the clock.

``site_changes`` gathers every moment at which the site changes by itself, with no file
edited: what ``portal due`` and ``portal next`` read to decide when CI must rebuild.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model import Campaign, Event, Message, Portal, Story, Testimonial, midnight_utc

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


def reminder_due(event: Event, kind: str) -> dt.datetime:
    """When a host's reminder of ``kind`` is due: the start of its day in the event's own zone."""
    day = reminder_day(event, kind)
    return dt.datetime(day.year, day.month, day.day, tzinfo=event.zone)


@dataclass(frozen=True)
class SiteChange:
    """A moment at which a build can differ from a build just before it, and what changes then."""

    moment: dt.datetime
    what: str

    @property
    def utc(self) -> dt.datetime:
        return self.moment.astimezone(dt.timezone.utc)


def site_changes(portal: Portal) -> list[SiteChange]:
    """Every moment at which the built site changes with no file edited, soonest first.

    An item going public (a campaign, message, event, testimonial or story; an item's own
    moment only where it is later than its campaign's), a campaign starting or ending (its
    phase on the home and campaign pages), an event ending (it moves to the past events and
    its reminders go), and each host reminder falling due. ``portal due`` and ``portal next``
    read this list, and so does CI to decide when a rebuild is needed: a moment missing here
    is a change that goes live late.
    """
    changes = [change for campaign in portal.campaigns.values() for change in _campaign_changes(campaign)]
    return sorted(set(changes), key=lambda change: (change.utc, change.what))


def _campaign_changes(campaign: Campaign) -> Iterator[SiteChange]:
    name = campaign.id
    opens = embargo_of(campaign)
    if opens is not None:
        yield SiteChange(opens, f"campaign {name} is published")
    yield SiteChange(midnight_utc(campaign.starts), f"campaign {name} starts")
    if campaign.ends is not None:
        yield SiteChange(midnight_utc(campaign.ends + dt.timedelta(days=1)), f"campaign {name} is over")
    items: Iterable[tuple[Message | Event | Testimonial | Story, str]] = [
        *((message, f"message {name}/{message.id}") for message in campaign.messages),
        *((event, f"event {name}/{event.id}") for event in campaign.events),
        *(
            (testimonial, f"testimonial {name}/{testimonial.anchor or testimonial.leader}")
            for testimonial in campaign.testimonials
        ),
        *(((campaign.story, f"story of {name}"),) if campaign.story is not None else ()),
    ]
    for item, label in items:
        moment = embargo_of(campaign, item)
        if moment is not None and moment != opens:
            yield SiteChange(moment, f"{label} is published")
    for event in campaign.events:
        yield SiteChange(event.ends, f"event {name}/{event.id} is over")
        if not event.cancelled:
            for kind in REMINDER_KINDS:
                yield SiteChange(reminder_due(event, kind), f"reminder {kind} of event {name}/{event.id} is due")


def changes_due(changes: Iterable[SiteChange], since: dt.datetime, now: dt.datetime) -> list[SiteChange]:
    """The changes after ``since`` and no later than ``now``: a build at ``now`` shows them, one at ``since`` did not.

    An item is public at its moment exactly (``select_public`` keeps ``moment <= now``), so a
    change at ``since`` itself was already in that build, and one at ``now`` is in this one.
    """
    return [change for change in changes if since < change.moment <= now]


def next_changes(changes: Iterable[SiteChange], now: dt.datetime) -> list[SiteChange]:
    """The changes at the first moment after ``now`` (all of them, when several fall together)."""
    later_ones = [change for change in changes if change.moment > now]
    if not later_ones:
        return []
    first = min(change.moment for change in later_ones)
    return [change for change in later_ones if change.moment == first]

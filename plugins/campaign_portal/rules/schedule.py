"""When each kind of item becomes public, and when a message or reminder is to be sent: one formula each.

An item inside a campaign is public from the later of its own ``publish`` and its campaign's
(the embargo in ``publishing`` and every published date in feeds and calendars read these).
A campaign or message without any ``publish`` moment dates from midnight UTC of the day the
campaign starts. Dates in the feeds and calendars never come from the clock.

``site_changes`` gathers every moment at which the site changes by itself, with no file
edited: what ``portal due`` and ``portal next`` read to decide when CI must rebuild.

A message is to send in its send window (``send_window``): from its moment until its
``send_by``, else until its next event starts and at most ``MAX_SEND_DAYS`` days. A host's
reminder is due on a working day (``reminder_day``) and is to send from the start of the
working day before it (``reminder_window``). ``portal due/next``, the leader's page and the
leader's calendar all read these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Literal

from ..model import Campaign, Event, Message, Portal, Story, Testimonial, midnight_utc

REMINDER_KINDS = ("day_before", "morning_of")
# The moment of an item whose ``publish`` is written but cannot be read: later than any build,
# so the item stays unpublished in every build, previews included (the embargo fails closed).
NEVER = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
# A message without ``send_by`` is to send until its next event starts, and at most this long.
MAX_SEND_DAYS = 14
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Working days as ``date.weekday()`` numbers: Monday to Friday unless mkdocs.yml says otherwise.
DEFAULT_WORKING_DAYS: frozenset[int] = frozenset(range(5))
SendState = Literal["coming", "now", "sent"]


@dataclass(frozen=True)
class SendWindow:
    """When a message or reminder is to send: from ``opens`` until ``closes`` (aware moments)."""

    opens: dt.datetime
    closes: dt.datetime

    @property
    def due_day(self) -> dt.date:
        """The day it becomes due, in the zone of ``opens``."""
        return self.opens.date()

    @property
    def last_day(self) -> dt.date:
        """The last day it is to send on, in the zone of ``closes`` (a window closing at midnight
        ends the day before)."""
        return (self.closes - dt.timedelta(microseconds=1)).date()

    @property
    def closes_at_midnight(self) -> bool:
        return self.closes.timetz().replace(tzinfo=None) == dt.time(0)

    def state(self, now: dt.datetime) -> SendState:
        """``coming`` before it opens, ``now`` while open, ``sent`` once closed."""
        if now < self.opens:
            return "coming"
        return "now" if now < self.closes else "sent"


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
    return message_moment(message.publish, campaign.publish, campaign.starts)


def message_moment(publish: dt.datetime | None, campaign_publish: dt.datetime | None, starts: dt.date) -> dt.datetime:
    """``announced_at`` from the values themselves (the loader checks ``send_by`` against it)."""
    moment = publish or campaign_publish
    return moment if moment is not None else midnight_utc(starts)


def next_event_after(campaign: Campaign, moment: dt.datetime) -> Event | None:
    """The campaign's first scheduled event starting after ``moment`` (a message's ``next_event``)."""
    upcoming = [event for event in campaign.events if not event.cancelled and event.starts > moment]
    return min(upcoming, key=lambda event: event_order(campaign, event)) if upcoming else None


def send_window(campaign: Campaign, message: Message) -> SendWindow:
    """When ``message`` is to send: from its moment until its ``send_by``; without ``send_by``,
    until its next event starts, and at most ``MAX_SEND_DAYS`` days.

    ``campaign`` is the campaign as the build sees it, so ``next_event`` is a public event. A
    ``send_by`` at or before the moment gives a window that closes before it opens (the loader
    reports it; such a message is never to send).
    """
    opens = announced_at(campaign, message)
    if message.send_by is not None:
        return SendWindow(opens, message.send_by)
    closes = opens + dt.timedelta(days=MAX_SEND_DAYS) if opens < NEVER - dt.timedelta(days=MAX_SEND_DAYS) else NEVER
    next_event = next_event_after(campaign, opens)
    if next_event is not None and next_event.starts < closes:
        closes = next_event.starts
    return SendWindow(opens, closes)


def send_window_closings(campaign: Campaign, message: Message) -> list[dt.datetime]:
    """Every moment at which a build sees ``message``'s send window close, for ``site_changes``.

    ``send_window`` reads the events public in the build, so without ``send_by`` the closing
    moment depends on when each event goes public: the window closes at an event's start only if
    that event is public by then and is the first public one after the message's moment, else
    at the ``MAX_SEND_DAYS`` limit. ``campaign`` is the whole campaign (drafts left out), and each
    candidate moment is checked against the events public at that moment.
    """
    if message.send_by is not None:
        return [message.send_by]
    candidates = {send_window(replace(campaign, events=()), message).closes}
    candidates.update(event.starts for event in campaign.events)
    closings = []
    for moment in sorted(candidates):
        public_then = tuple(event for event in campaign.events if (embargo_of(campaign, event) or moment) <= moment)
        if send_window(replace(campaign, events=public_then), message).closes == moment:
            closings.append(moment)
    return closings


def working_day_before(day: dt.date, working_days: Collection[int] = DEFAULT_WORKING_DAYS) -> dt.date:
    """The last working day before ``day`` (the day before when no working days are set)."""
    for back in range(1, 8):
        candidate = day - dt.timedelta(days=back)
        if candidate.weekday() in working_days:
            return candidate
    return day - dt.timedelta(days=1)


def next_working_day(day: dt.date, working_days: Collection[int] = DEFAULT_WORKING_DAYS) -> dt.date:
    """The first working day after ``day``."""
    for ahead in range(1, 8):
        candidate = day + dt.timedelta(days=ahead)
        if candidate.weekday() in working_days:
            return candidate
    return day + dt.timedelta(days=1)


def reminder_day(event: Event, kind: str, working_days: Collection[int] = DEFAULT_WORKING_DAYS) -> dt.date:
    """The day, in the event's own zone, on which a host sends the reminder of ``kind``: the working
    day before the event (Friday for a Monday event), or the event's own day."""
    local_day = event.starts.date()
    return working_day_before(local_day, working_days) if kind == "day_before" else local_day


def reminder_window(event: Event, kind: str, working_days: Collection[int] = DEFAULT_WORKING_DAYS) -> SendWindow:
    """When a reminder is to send, in the event's zone: from the start of the working day before
    its day (so a leader sees on Friday what is due on Monday) until the end of its day, and never
    after the event starts."""
    due = reminder_day(event, kind, working_days)
    opens = _local_midnight(working_day_before(due, working_days), event)
    closes = min(_local_midnight(due + dt.timedelta(days=1), event), event.starts)
    return SendWindow(opens, closes)


def reminder_is_live(event: Event, now: dt.datetime) -> bool:
    """A reminder is only ever to send for an event that is scheduled and has not ended."""
    return not event.cancelled and not is_past(event, now)


def _local_midnight(day: dt.date, event: Event) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=event.zone)


def calendar_stamp(campaign: Campaign, event: Event) -> dt.datetime:
    """An event's DTSTAMP and LAST-MODIFIED: when it was first announced (never the clock)."""
    return event.publish or campaign.publish or midnight_utc(campaign.starts)


def is_past(event: Event, now: dt.datetime) -> bool:
    """An event is past once it has ended."""
    return event.ends <= now


def event_order(campaign: Campaign, event: Event) -> tuple[dt.datetime, str, str]:
    """Events by start instant, then campaign id, then event id: every list and calendar sorts so."""
    return (event.starts.astimezone(dt.timezone.utc), campaign.id, event.id)


def reminder_due(event: Event, kind: str, working_days: Collection[int] = DEFAULT_WORKING_DAYS) -> dt.datetime:
    """When a host's reminder of ``kind`` is due: the start of its day in the event's own zone."""
    return _local_midnight(reminder_day(event, kind, working_days), event)


@dataclass(frozen=True)
class SiteChange:
    """A moment at which a build can differ from a build just before it, and what changes then."""

    moment: dt.datetime
    what: str

    @property
    def utc(self) -> dt.datetime:
        return self.moment.astimezone(dt.timezone.utc)


def site_changes(portal: Portal, working_days: Collection[int] = DEFAULT_WORKING_DAYS) -> list[SiteChange]:
    """Every moment at which the built site changes with no file edited, soonest first.

    An item going public (a campaign, message, event, testimonial or story; an item's own
    moment only where it is later than its campaign's), a campaign starting or ending (its
    phase on the home and campaign pages), an event ending (it moves to the past events and
    its reminders go), each message's send window closing, and each host reminder's send window
    opening and closing (it is "to send now" on the leader's page in between). ``portal due`` and ``portal next``
    read this list, and so does CI to decide when a rebuild is needed: a moment missing here
    is a change that goes live late.
    """
    changes = [
        change
        for campaign in portal.campaigns.values()
        if not campaign.draft  # a draft never goes public by itself: removing `draft` is an edit
        for change in _campaign_changes(_without_drafts(campaign), working_days)
    ]
    return sorted(set(changes), key=lambda change: (change.utc, change.what))


def _without_drafts(campaign: Campaign) -> Campaign:
    """``campaign`` without its draft items, which no moment publishes."""
    story = campaign.story if campaign.story is not None and not campaign.story.draft else None
    return replace(
        campaign,
        messages=tuple(message for message in campaign.messages if not message.draft),
        events=tuple(event for event in campaign.events if not event.draft),
        testimonials=tuple(testimonial for testimonial in campaign.testimonials if not testimonial.draft),
        story=story,
    )


def _campaign_changes(campaign: Campaign, working_days: Collection[int]) -> Iterator[SiteChange]:
    name = campaign.id
    opens = embargo_of(campaign)
    if opens is not None and opens != NEVER:  # an unreadable moment never comes: no change to wait for
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
        if moment is not None and moment != opens and moment != NEVER:
            yield SiteChange(moment, f"{label} is published")
    for message in campaign.messages:
        opens = announced_at(campaign, message)
        if opens != embargo_of(campaign, message):
            yield SiteChange(opens, f"message {name}/{message.id} is to send")
        for closes in send_window_closings(campaign, message):
            if opens < closes != NEVER:
                yield SiteChange(closes, f"message {name}/{message.id} is no longer to send")
    for event in campaign.events:
        yield SiteChange(event.ends, f"event {name}/{event.id} is over")
        if not event.cancelled:
            for kind in REMINDER_KINDS:
                reminder = f"reminder {kind} of event {name}/{event.id}"
                window = reminder_window(event, kind, working_days)
                yield SiteChange(window.opens, f"{reminder} is to send")
                yield SiteChange(window.closes, f"{reminder} is no longer to send")


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

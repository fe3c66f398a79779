"""What is public at build time: the one place the embargo rules live.

Everything downstream (pages, feeds, calendars, search) reads the filtered
``PublicPortal``, so an item that is not yet public cannot leak by accident:
it is simply not in the data the rest of the build sees.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from .model import Campaign, Event, Leader, Message, Portal, Story, Testimonial
from .rules.limits import MAX_YEAR, MIN_YEAR
from .rules.schedule import NEVER, embargo_of

NOW_VARIABLE = "PORTAL_NOW"
PREVIEW_VARIABLE = "PORTAL_PREVIEW"


class NowError(ValueError):
    """PORTAL_NOW is set but is not an ISO date-time with an offset."""


def read_now(environ: Mapping[str, str] | None = None) -> dt.datetime:
    """The build's "now": ``PORTAL_NOW`` when set (for previews and tests), else the clock.

    ``PORTAL_NOW`` is a date-time with an offset, or a bare date (midnight UTC, as for publish
    dates), in the years the loader accepts; anything else is a ``NowError`` of one line.
    """
    environ = os.environ if environ is None else environ
    raw = environ.get(NOW_VARIABLE, "").strip()
    if not raw:
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    return parse_moment(raw, NOW_VARIABLE)


def parse_moment(raw: str, name: str) -> dt.datetime:
    """An ISO date-time with an offset (or a bare date: midnight UTC), as ``PORTAL_NOW`` and
    ``portal due --since`` take it; a NowError naming ``name`` otherwise."""
    raw = raw.strip()
    try:
        # A trailing Z spelt as an offset: Python 3.10's fromisoformat does not read Z.
        moment = dt.datetime.fromisoformat(raw[:-1] + "+00:00" if raw[-1:] in "zZ" and len(raw) > 10 else raw)
    except ValueError:
        raise NowError(f"{name}={raw!r} is not a date-time; use a form like 2027-01-15T10:00:00Z") from None
    if moment.tzinfo is None:
        if len(raw) != 10 and not any(separator in raw for separator in "Tt "):
            # A date with an offset ("2027-01-15Z"): Python drops the offset; neither form is one of ours.
            raise NowError(f"{name}={raw!r} is not a date-time; use a form like 2027-01-15T10:00:00Z")
        if len(raw) != 10:
            raise NowError(f"{name}={raw!r} needs a time-zone offset, for example {raw}Z")
        moment = moment.replace(tzinfo=dt.timezone.utc)  # a bare date means midnight UTC, as for publish dates
    # As for publish moments: years far away are typing mistakes, and near year 1 or 9999 the
    # offset alone overflows (9999-12-31T23:59:59-23:59 is after the last moment Python can hold).
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise NowError(f"{name}={raw!r} is out of range; use a year from {MIN_YEAR} to {MAX_YEAR}")
    return moment



def preview_requested(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``PORTAL_PREVIEW`` asks for a preview (1, true, yes or on).

    Only ``mkdocs serve`` and ``portal build`` listen to it; a plain ``mkdocs build`` never does.
    """
    environ = os.environ if environ is None else environ
    return environ.get(PREVIEW_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")

@dataclass(frozen=True)
class PublicPortal:
    """The part of the portal readers may see at ``now``.

    In preview (only ever for ``mkdocs serve``), scheduled items are kept too
    and ``scheduled`` maps each of them to the moment it goes live, so
    templates can mark them (``scheduled_for``, or ``schedule_of`` by item).
    """

    now: dt.datetime
    leaders: dict[str, Leader]
    campaigns: dict[str, Campaign]
    scheduled: dict[tuple[str, ...], dt.datetime] = field(default_factory=dict)
    drafts: frozenset[tuple[str, ...]] = frozenset()

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(dt.timezone.utc).date()

    def scheduled_for(self, *key: str) -> dt.datetime | None:
        """When a previewed item goes live, or None for an item that is public."""
        return self.scheduled.get(key)

    def schedule_of(self, campaign: Campaign, item: Message | Event | Testimonial | Story | None = None) -> dt.datetime | None:
        """``scheduled_for`` by item: the campaign itself, or one of its messages, events, testimonials or its story."""
        return self.scheduled.get(schedule_key(campaign, item))

    def is_draft(self, campaign: Campaign, item: Message | Event | Testimonial | Story | None = None) -> bool:
        """Whether a previewed item is a draft (or in a draft campaign); never true in a published build."""
        return schedule_key(campaign, item) in self.drafts


def schedule_key(campaign: Campaign, item: Message | Event | Testimonial | Story | None = None) -> tuple[str, ...]:
    """The key of ``PublicPortal.scheduled`` for a campaign or an item of it."""
    if item is None:
        return ("campaign", campaign.id)
    if isinstance(item, Message):
        return ("message", campaign.id, item.id)
    if isinstance(item, Event):
        return ("event", campaign.id, item.id)
    if isinstance(item, Testimonial):
        return ("testimonial", campaign.id, item.anchor)
    return ("story", campaign.id)


def select_public(portal: Portal, now: dt.datetime, *, preview: bool = False) -> PublicPortal:
    """Filter ``portal`` to what is public at ``now`` (or, in preview, mark what is not).

    A draft (``draft: true`` on the item or its campaign) is never public, whatever its moment.
    """
    scheduled: dict[tuple[str, ...], dt.datetime] = {}
    drafts: set[tuple[str, ...]] = set()

    def visible(moment: dt.datetime | None, key: tuple[str, ...], draft: bool) -> bool:
        if draft:
            if not preview:
                return False
            drafts.add(key)
        if moment is None or moment <= now:
            return True
        if preview and moment != NEVER:  # an unreadable moment stays hidden, even in preview
            scheduled[key] = moment
            return True
        return False

    campaigns: dict[str, Campaign] = {}
    for campaign in portal.campaigns.values():
        if not visible(embargo_of(campaign), schedule_key(campaign), campaign.draft):
            continue

        def shown(item: Message | Event | Testimonial | Story, campaign: Campaign = campaign) -> bool:
            return visible(embargo_of(campaign, item), schedule_key(campaign, item), campaign.draft or item.draft)

        messages = tuple(m for m in campaign.messages if shown(m))
        events = tuple(e for e in campaign.events if shown(e))
        testimonials = tuple(t for t in campaign.testimonials if shown(t))
        story = campaign.story
        if story is not None and not shown(story):
            story = None
        campaigns[campaign.id] = dataclasses.replace(
            campaign, messages=messages, events=events, testimonials=testimonials, story=story
        )

    leader_ids: set[str] = set()
    for campaign in campaigns.values():
        leader_ids.update(campaign.sponsors)
        for message in campaign.messages:
            leader_ids.update(message.leaders)
        for event in campaign.events:
            leader_ids.update(event.hosts)
        leader_ids.update(testimonial.leader for testimonial in campaign.testimonials)
    leaders = {leader_id: leader for leader_id, leader in portal.leaders.items() if leader_id in leader_ids}
    return PublicPortal(now=now, leaders=leaders, campaigns=campaigns, scheduled=scheduled, drafts=frozenset(drafts))


def withheld_photos(portal: Portal, public: PublicPortal) -> set[str]:
    """The photos (paths in content/) of leaders who are not public: left out of the site until they are.

    A leader with nothing public (say, only an embargoed message) is on no page, and their
    photo in content/ must not be published ahead of them either. A photo a public leader
    also uses stays.
    """
    shown = {leader.photo for leader in public.leaders.values() if leader.photo}
    return {
        leader.photo
        for leader_id, leader in portal.leaders.items()
        if leader.photo and leader_id not in public.leaders and leader.photo not in shown
    }

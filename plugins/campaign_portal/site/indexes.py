"""Every lookup the pages need, each a dict built once per build, so no page scans all items
and the cost grows linearly with the data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Campaign, Testimonial
from ..rules import schedule
from ..rules.slugs import tag_slug
from .content import RenderedMessage
from .scope import EventPair, Scope

Said = tuple[Campaign, Testimonial]
_PHASE_RANK = {"active": 0, "upcoming": 1, "completed": 2}


@dataclass
class Indexes:
    ordered_campaigns: list[Campaign]
    testimonials: list[Said]  # newest first
    stories: list[Campaign]
    newest_announcements: list[RenderedMessage]  # one copy per message, newest first
    leader_messages: dict[str, list[RenderedMessage]] = field(default_factory=lambda: defaultdict(list))
    leader_reminders: dict[str, list[RenderedMessage]] = field(default_factory=lambda: defaultdict(list))
    campaign_announcements: dict[str, list[RenderedMessage]] = field(default_factory=lambda: defaultdict(list))
    leader_events: dict[str, list[EventPair]] = field(default_factory=lambda: defaultdict(list))
    leader_testimonials: dict[str, list[Said]] = field(default_factory=lambda: defaultdict(list))
    campaign_testimonials: dict[str, list[Said]] = field(default_factory=lambda: defaultdict(list))
    leader_sponsored: dict[str, list[Campaign]] = field(default_factory=lambda: defaultdict(list))
    tag_campaigns: dict[str, list[Campaign]] = field(default_factory=lambda: defaultdict(list))
    tag_names: dict[str, str] = field(default_factory=dict)  # slug -> the tag as first written


def build_indexes(scope: Scope, announcements: list[RenderedMessage], reminders: list[RenderedMessage]) -> Indexes:
    indexes = Indexes(
        ordered_campaigns=ordered_campaigns(scope.campaigns, scope.today),
        testimonials=sorted(
            ((c, t) for c in scope.campaigns for t in c.testimonials),
            key=lambda pair: (pair[1].date, pair[0].id, pair[1].anchor),
            reverse=True,
        ),
        stories=[c for c in scope.campaigns if c.story is not None],
        newest_announcements=[],
    )
    first_copy: set[tuple[str, str]] = set()
    for rendered in announcements:
        assert rendered.message is not None
        indexes.leader_messages[rendered.leader.id].append(rendered)
        key = (rendered.campaign.id, rendered.message.id)
        if key not in first_copy:
            first_copy.add(key)
            indexes.campaign_announcements[rendered.campaign.id].append(rendered)
    for rendered in reminders:
        indexes.leader_reminders[rendered.leader.id].append(rendered)
    for pair in scope.events:
        for host in pair[1].hosts:
            indexes.leader_events[host].append(pair)
    for said in indexes.testimonials:
        indexes.leader_testimonials[said[1].leader].append(said)
        indexes.campaign_testimonials[said[0].id].append(said)
    for campaign in indexes.ordered_campaigns:
        for tag in campaign.tags:
            indexes.tag_names.setdefault(tag_slug(tag), tag)
            indexes.tag_campaigns[tag_slug(tag)].append(campaign)
    for campaign in scope.campaigns:
        for sponsor in campaign.sponsors:
            indexes.leader_sponsored[sponsor].append(campaign)
    indexes.newest_announcements = sorted(
        (rendered for messages in indexes.campaign_announcements.values() for rendered in messages),
        key=lambda r: (schedule.announced_at(r.campaign, r.message), r.anchor),  # type: ignore[arg-type]
        reverse=True,
    )
    return indexes


def ordered_campaigns(campaigns: list[Campaign], today: dt.date) -> list[Campaign]:
    """Active first (ending soonest), then upcoming (starting soonest), then completed (newest first)."""

    def key(campaign: Campaign) -> tuple[int, int, str]:
        phase = campaign.phase(today)
        if phase == "active":
            end = campaign.ends or dt.date.max
            return (_PHASE_RANK[phase], end.toordinal(), campaign.id)
        if phase == "upcoming":
            return (_PHASE_RANK[phase], campaign.starts.toordinal(), campaign.id)
        assert campaign.ends is not None
        return (_PHASE_RANK[phase], -campaign.ends.toordinal(), campaign.id)

    return sorted(campaigns, key=key)

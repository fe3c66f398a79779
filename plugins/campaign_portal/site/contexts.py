"""What a message template sees of a leader, a campaign, an event and the site.

Each context comes with a hashable copy of its values: the key of what a template renders from
it (values are plain text, numbers and dates, so the copy is one tuple). Each is made once per build.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ..model import Campaign, Event, Leader
from ..rules import urls
from ..rules.dates import format_datetime
from .scope import Scope

Context = tuple[dict[str, Any], Hashable]


def with_values(context: dict[str, Any]) -> Context:
    return context, tuple(context.items())


def site_context(scope: Scope) -> Context:
    return scope.memo.get(
        ("site context",), with_values, {"name": scope.settings.site_name, "url": scope.settings.site_url or ""}
    )


def leader_context(scope: Scope, leader: Leader) -> Context:
    return scope.memo.get(("leader context", leader.id), _leader_context, leader)


def _leader_context(leader: Leader) -> Context:
    return with_values(
        {
            "id": leader.id,
            "name": leader.name,
            "first_name": leader.first_name,
            "title": leader.title,
            "division": leader.division,
            "email": leader.email,
        }
    )


def campaign_context(scope: Scope, campaign: Campaign) -> Context:
    return scope.memo.get(("campaign context", campaign.id), _campaign_context, scope, campaign)


def _campaign_context(scope: Scope, campaign: Campaign) -> Context:
    return with_values(
        {
            "id": campaign.id,
            "title": campaign.title,
            "summary": campaign.summary,
            "starts": campaign.starts,
            "ends": campaign.ends,
            "url": scope.absolute(urls.campaign_uri(campaign)),
            "audience": campaign.audience,
        }
    )


def event_context(scope: Scope, campaign: Campaign, event: Event) -> Context:
    return scope.memo.get(("event context", campaign.id, event.id), _event_context, scope, campaign, event)


def event_when(scope: Scope, campaign: Campaign, event: Event) -> str:
    """``Wednesday 20 January 2027, 12:30 GMT``, formatted once per event and build."""
    when: str = event_context(scope, campaign, event)[0]["when"]
    return when


def _event_context(scope: Scope, campaign: Campaign, event: Event) -> Context:
    return with_values(
        {
            "id": event.id,
            "title": event.title,
            "type": event.type_label,
            "starts": event.starts,
            "ends": event.ends,
            "timezone": event.timezone,
            "duration": event.duration,
            "location": event.location,
            "online": event.online,
            "registration": event.registration,
            "url": scope.absolute(urls.event_uri(campaign, event)),
            # Also tells apart two moments that are equal but in different zones.
            "when": format_datetime(event.starts),
        }
    )

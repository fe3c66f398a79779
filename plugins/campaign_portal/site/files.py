"""The generated files beside the pages: each campaign's, leader's and the site's feeds, and the calendars."""

from __future__ import annotations

from ..model import Campaign, Leader
from ..rules import urls
from ..writers import feeds
from .calendar_entries import calendar_file, leader_calendar
from .content import GeneratedFile
from .feed_items import feed_items, write_feed
from .indexes import Indexes
from .scope import Scope


def campaign_files(scope: Scope, indexes: Indexes, campaign: Campaign) -> list[GeneratedFile]:
    """A campaign's feeds, its calendar and each of its events' calendar file."""
    name = scope.settings.site_name
    page = urls.campaign_uri(campaign)
    summary = scope.text(campaign.summary)
    events = scope.events_by_campaign[campaign.id]
    channel = feeds.FeedChannel(
        title=f"{campaign.title} · {name}",
        url=scope.absolute(page),
        feed_url=scope.absolute(urls.feed_uri(page)),
        json_feed_url=scope.absolute(urls.json_feed_uri(urls.feed_uri(page))),
        description=summary[:500] or campaign.title,
    )
    items = feed_items(
        scope,
        indexes.campaign_announcements[campaign.id],
        events,
        indexes.campaign_testimonials[campaign.id],
        [campaign] if campaign.story else [],
    )
    files = write_feed(scope, urls.feed_uri(page), channel, items, f"the feed of campaign {campaign.id}")
    calendar = calendar_file(
        scope, events, name=f"{campaign.title} · {name}", description=summary[:500], subscribable=True
    )
    files.append(GeneratedFile(urls.campaign_calendar_uri(campaign), calendar, f"the calendar of campaign {campaign.id}"))
    for pair in events:
        event = pair[1]
        files.append(
            GeneratedFile(
                urls.event_calendar_uri(campaign, event),
                calendar_file(scope, [pair], name=event.title),
                f"the calendar file of event {campaign.id}/{event.id}",
            )
        )
    return files


def leader_files(scope: Scope, indexes: Indexes, leader: Leader) -> list[GeneratedFile]:
    """A leader's feeds (their own copies of messages, the events they host, their testimonials) and
    their calendar (those events, and when each message and reminder is due)."""
    page = urls.leader_uri(leader)
    channel = feeds.FeedChannel(
        title=f"{leader.name} · {scope.settings.site_name}",
        url=scope.absolute(page),
        feed_url=scope.absolute(urls.feed_uri(page)),
        json_feed_url=scope.absolute(urls.json_feed_uri(urls.feed_uri(page))),
        description=f"Messages ready for {leader.name} to send, events they host and their testimonials.",
    )
    items = feed_items(
        scope,
        indexes.leader_messages[leader.id],
        indexes.leader_events[leader.id],
        indexes.leader_testimonials[leader.id],
        [],
        personal=True,
    )
    files = write_feed(scope, urls.feed_uri(page), channel, items, f"the feed of leader {leader.id}")
    messages = [*indexes.leader_messages[leader.id], *indexes.leader_reminders[leader.id]]
    calendar = leader_calendar(scope, leader, indexes.leader_events[leader.id], messages)
    files.append(GeneratedFile(urls.leader_calendar_uri(leader), calendar, f"the calendar of leader {leader.id}"))
    return files


def site_files(scope: Scope, indexes: Indexes) -> list[GeneratedFile]:
    """The site's feeds and the calendar of all events."""
    name = scope.settings.site_name
    channel = feeds.FeedChannel(
        title=name,
        url=scope.absolute(urls.SITE_URIS["home"]),
        feed_url=scope.absolute(urls.SITE_URIS["feed"]),
        json_feed_url=scope.absolute(urls.json_feed_uri(urls.SITE_URIS["feed"])),
        description="Announcements, events, testimonials and results from our learning campaigns.",
    )
    items = feed_items(scope, indexes.newest_announcements, scope.events, indexes.testimonials, indexes.stories)
    newest = feeds.sort_feed_items(items)[: scope.settings.site_feed_items]
    files = write_feed(scope, urls.SITE_URIS["feed"], channel, newest, "the site feed")
    calendar = calendar_file(
        scope,
        scope.events,
        name=f"{name}: all events",
        description="Every learning event: lunch-and-learns, town halls, workshops and webinars.",
        subscribable=True,
    )
    files.append(GeneratedFile(urls.SITE_URIS["calendar"], calendar, "the calendar of all events"))
    return files

"""One function per kind of page: what the page is, which template draws it and what that template sees.

Templates draw the pages (plugin: ``templates/portal/``); these functions only choose the data.
"""

from __future__ import annotations

from typing import Any

from ..model import Campaign, Event, Leader
from ..rules import urls
from ..rules.dates import month_label
from ..rules.slugs import tag_slug
from .calendar_entries import calendar_links
from .content import FeedLink, PageSpec
from .contexts import event_when
from .indexes import Indexes
from .kpi_charts import headline_kpi, kpi_chart
from .plan import leader_plan, to_send_now
from .scope import EventPair, Scope


def _page(scope: Scope, uri: str, title: str, template: str, context: dict[str, Any], **extra: Any) -> PageSpec:
    common = {
        "portal": scope.public,
        # Whether any item shows a "Scheduled for" or "Draft" badge: templates skip both otherwise.
        "previewing": bool(scope.public.scheduled or scope.public.drafts),
        "now": scope.now,
        "today": scope.today,
        "markup": scope.markup,
        "leaders": scope.leaders,
        "phase_of": lambda c: c.phase(scope.today),
        "is_past": scope.is_past,
        "tag_slug": tag_slug,
    }
    return PageSpec(
        src_uri=urls.page_source(uri), url=uri, title=title, template=template, context={**common, **context}, **extra
    )


def feed_links(title: str, rss_uri: str) -> tuple[FeedLink, FeedLink]:
    """A feed as pages advertise it: the RSS feed and its JSON Feed twin."""
    return FeedLink(title, rss_uri, "rss"), FeedLink(f"{title} (JSON Feed)", urls.json_feed_uri(rss_uri), "json")


def site_feed_link(scope: Scope) -> tuple[FeedLink, FeedLink]:
    return feed_links(f"{scope.settings.site_name}: everything new", urls.feed_uri(""))


def campaign_feed_link(campaign: Campaign) -> tuple[FeedLink, FeedLink]:
    return feed_links(f"{campaign.title}: news", urls.feed_uri(urls.campaign_uri(campaign)))


def home_page(scope: Scope, indexes: Indexes) -> PageSpec:
    settings, today = scope.settings, scope.today
    upcoming, _ = scope.split_by_time(scope.events)
    next_events = [pair for pair in upcoming if not pair[1].cancelled]
    stories = sorted(indexes.stories, key=lambda c: c.story.publish, reverse=True)  # type: ignore[union-attr]
    return _page(
        scope,
        urls.SITE_URIS["home"],
        settings.site_name,
        "portal/home.html",
        {
            "active_campaigns": [c for c in indexes.ordered_campaigns if c.phase(today) == "active"],
            "upcoming_campaigns": [c for c in indexes.ordered_campaigns if c.phase(today) == "upcoming"],
            # A cancelled event is shown where events are listed, but it is never "next".
            "next_events": next_events[: settings.home_events],
            "next_event_count": len(next_events),
            "headline": settings.headline
            or (f"Learning at {settings.company}" if settings.company else "Learning campaigns"),
            "testimonials": indexes.testimonials[: settings.home_testimonials],
            "announcements": to_send_now(scope, indexes.newest_announcements)[: settings.home_announcements],
            "stories": stories[:2],
            "results": _results(scope, indexes),
        },
        in_nav=True,
        feeds=site_feed_link(scope),
        description="Learning campaigns, events and leader messages.",
    )


def _headline(scope: Scope, campaign: Campaign) -> Any:
    """The chart of the KPI a completed campaign is known by, or None."""
    kpi = headline_kpi(campaign)
    return kpi_chart(kpi, campaign, scope.today, campaign.kpis.index(kpi)) if kpi is not None else None


def _results(scope: Scope, indexes: Indexes) -> list[tuple[Campaign, Any]]:
    """Completed campaigns with a measured KPI or a published story, latest ended first, by headline measure."""
    completed = [c for c in indexes.ordered_campaigns if c.phase(scope.today) == "completed"]
    shown = [c for c in completed if c.story is not None or headline_kpi(c) is not None]
    shown.sort(key=lambda c: (c.ends or c.starts, c.id), reverse=True)
    return [(c, _headline(scope, c)) for c in shown[:3]]


def kpi_charts(scope: Scope, campaign: Campaign) -> list[Any]:
    """A campaign's charts, made once per build: its page and its brief show the same ones."""
    return scope.memo.get(("kpi charts", campaign.id), _kpi_charts, scope, campaign)


def _kpi_charts(scope: Scope, campaign: Campaign) -> list[Any]:
    return [kpi_chart(kpi, campaign, scope.today, index) for index, kpi in enumerate(campaign.kpis)]


def campaigns_page(scope: Scope, indexes: Indexes) -> PageSpec:
    return _page(
        scope,
        urls.SITE_URIS["campaigns"],
        "Campaigns",
        "portal/campaigns.html",
        {"campaigns": indexes.ordered_campaigns, "tags": sorted(indexes.tag_names.items(), key=lambda t: t[1].lower())},
        in_nav=True,
        feeds=site_feed_link(scope),
        description="Every learning campaign, active first.",
    )


def tag_pages(scope: Scope, indexes: Indexes) -> list[PageSpec]:
    return [
        _page(
            scope,
            urls.tag_uri(slug),
            f"Campaigns about {indexes.tag_names[slug]}",
            "portal/tag.html",
            {"tag": indexes.tag_names[slug], "campaigns": campaigns},
        )
        for slug, campaigns in sorted(indexes.tag_campaigns.items())
    ]


def events_pages(scope: Scope) -> list[PageSpec]:
    """The events list: upcoming events (soonest first) from ``/events/``, past ones (latest first)
    from ``/events/past/``, each in pages of ``events_per_page``, grouped by month."""
    upcoming, past = scope.split_by_time(scope.events)
    size = scope.settings.events_per_page
    pages: list[PageSpec] = []
    for is_past, pairs in ((False, upcoming), (True, past)):
        chunks = [pairs[start : start + size] for start in range(0, len(pairs), size)] or [[]]
        for number, chunk in enumerate(chunks, start=1):
            pages.append(_events_list_page(scope, is_past, number, len(chunks), chunk, len(upcoming), len(past)))
    return pages


def _events_list_page(
    scope: Scope, is_past: bool, number: int, count: int, pairs: list[EventPair], upcoming: int, past: int
) -> PageSpec:
    title = "Past events" if is_past else "Events"
    shown = f"{title}, page {number} of {count}" if count > 1 else title
    pager = {
        "number": number,
        "count": count,
        "previous": urls.events_list_uri(is_past, number - 1) if number > 1 else None,
        "next": urls.events_list_uri(is_past, number + 1) if number < count else None,
        "pages": [(n, urls.events_list_uri(is_past, n)) for n in range(1, count + 1)],
    }
    months: list[tuple[str, str, list[EventPair]]] = []
    for pair in pairs:
        start = pair[1].starts
        key = f"{start:%Y-%m}"
        if not months or months[-1][0] != key:
            months.append((key, month_label(start), []))
        months[-1][2].append(pair)
    return _page(
        scope,
        urls.events_list_uri(is_past, number),
        shown,
        "portal/events.html",
        {
            "past_list": is_past,
            "months": months,
            "events_on_page": pairs,
            "pager": pager,
            "upcoming_count": upcoming,
            "past_count": past,
            "types": sorted({event.type: event.type_label for _, event in pairs}.items(), key=lambda t: t[1]),
            "campaigns_on_page": sorted(
                {campaign.id: campaign for campaign, _ in pairs}.values(), key=lambda c: (c.title.lower(), c.id)
            ),
        },
        in_nav=not is_past and number == 1,
        feeds=site_feed_link(scope),
        description="Past lunch-and-learns, town halls, workshops and webinars, with their recordings."
        if is_past
        else "Lunch-and-learns, town halls, workshops and webinars.",
        searchable=not is_past and number == 1,
    )


def leaders_page(scope: Scope, indexes: Indexes) -> PageSpec:
    return _page(
        scope,
        urls.SITE_URIS["leaders"],
        "Leaders",
        "portal/leaders.html",
        {
            "leader_list": sorted(scope.leaders.values(), key=lambda leader: (leader.name.lower(), leader.id)),
            "message_counts": {
                leader_id: len(to_send_now(scope, indexes.leader_messages[leader_id]))
                + len(to_send_now(scope, indexes.leader_reminders[leader_id]))
                for leader_id in scope.leaders
            },
            # Sessions an employee can still join: past and cancelled ones are history, not news.
            "event_counts": {
                leader_id: sum(not event.cancelled for _, event in scope.split_by_time(pairs)[0])
                for leader_id, pairs in indexes.leader_events.items()
            },
        },
        in_nav=True,
        description="The leaders behind our learning campaigns.",
    )


def campaign_page(scope: Scope, indexes: Indexes, campaign: Campaign) -> PageSpec:
    upcoming, past = scope.split_by_time(scope.events_by_campaign[campaign.id])
    return _page(
        scope,
        urls.campaign_uri(campaign),
        campaign.title,
        "portal/campaign.html",
        {
            "campaign": campaign,
            "announcements": indexes.campaign_announcements[campaign.id],
            "upcoming": upcoming,
            "past": past,
            "testimonials": indexes.campaign_testimonials[campaign.id],
            "kpi_charts": kpi_charts(scope, campaign),
            "phase": campaign.phase(scope.today),
            "calendar_uri": urls.campaign_calendar_uri(campaign),
            "feed_uri": urls.feed_uri(urls.campaign_uri(campaign)),
        },
        in_nav=len(scope.campaigns) <= scope.settings.nav_campaigns_limit,
        nav_parent=urls.page_source(urls.SITE_URIS["campaigns"]),
        feeds=campaign_feed_link(campaign),
        description=scope.text(campaign.summary)[:200],
        scheduled_for=scope.public.schedule_of(campaign),
    )


def brief_page(scope: Scope, campaign: Campaign) -> PageSpec:
    """The executive brief: what a sponsor takes into a board meeting, printable on two A4 pages.

    Only what is public reaches it: ``campaign`` comes from the public portal, so an unpublished
    story is not there (``campaign.story`` is None until its moment).
    """
    return _page(
        scope,
        urls.brief_uri(campaign),
        f"{campaign.title}: executive brief",
        "portal/brief.html",
        {
            "campaign": campaign,
            "kpi_charts": kpi_charts(scope, campaign),
            "phase": campaign.phase(scope.today),
            "campaign_url": scope.absolute(urls.campaign_uri(campaign)),
            "measured_on": max((m.date for kpi in campaign.kpis for m in kpi.history), default=None),
        },
        description=f"Executive brief: {scope.text(campaign.business_case.outcome)}"[:200],
        scheduled_for=scope.public.schedule_of(campaign),
        # A printout of the campaign page's own text: search finds the campaign page instead.
        searchable=False,
    )


def event_page(scope: Scope, campaign: Campaign, event: Event) -> PageSpec:
    return _page(
        scope,
        urls.event_uri(campaign, event),
        event.title,
        "portal/event.html",
        {
            "campaign": campaign,
            "event": event,
            "ics_uri": urls.event_calendar_uri(campaign, event),
            "calendar_links": calendar_links(scope, campaign, event),
            "past": scope.is_past(event),
        },
        feeds=campaign_feed_link(campaign),
        description=f"{event.type_label} on {event_when(scope, campaign, event)}",
        scheduled_for=scope.public.schedule_of(campaign, event),
    )


def subscribe_links(scope: Scope, uri: str) -> dict[str, str | None]:
    """A calendar's address for calendar apps: the https link, and the webcal one when the site has a site_url."""
    if not scope.settings.site_url:
        return {"https": None, "webcal": None, "uri": uri}
    https = scope.absolute(uri)
    return {"https": https, "webcal": urls.webcal(https), "uri": uri}


def leader_page(scope: Scope, indexes: Indexes, leader: Leader) -> PageSpec:
    hosted_upcoming, hosted_past = scope.split_by_time(indexes.leader_events[leader.id])
    feed = urls.feed_uri(urls.leader_uri(leader))
    return _page(
        scope,
        urls.leader_uri(leader),
        leader.name,
        "portal/leader.html",
        {
            "leader": leader,
            "plan": leader_plan(scope, [*indexes.leader_messages[leader.id], *indexes.leader_reminders[leader.id]]),
            "calendar_links": subscribe_links(scope, urls.leader_calendar_uri(leader)),
            "testimonials": indexes.leader_testimonials[leader.id],
            "hosted_upcoming": hosted_upcoming,
            "hosted_past": hosted_past,
            "sponsored": indexes.leader_sponsored[leader.id],
            "feed_uri": feed,
        },
        feeds=feed_links(f"{leader.name}: messages to send", feed),
        description=f"{leader.name}, {leader.title}: what to send now, what comes next, and events.",
    )

"""What goes into the feeds: one feed item per announcement, event, testimonial and story, and
the feeds of the site, of each campaign and of each leader written through ``writers.feeds``.

An item is in its campaign's feed, the site's and its leaders': each is made once per build
(``Memo``) and, under serve, written once for as long as it is unchanged (``OutputCache``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

from markupsafe import Markup

from ..model import Campaign, Event, Testimonial
from ..rules import schedule, urls
from ..writers import feeds
from .content import GeneratedFile, RenderedMessage
from .contexts import event_when
from .scope import EventPair, Scope

# An href the sanitiser let through without a scheme (nh3 always writes double quotes).
_RELATIVE_HREF = re.compile(r'(\shref=)"(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|//)([^"]*)"')


def feed_items(
    scope: Scope,
    announcements: Iterable[RenderedMessage],
    events: Iterable[EventPair],
    testimonials: Iterable[tuple[Campaign, Testimonial]],
    stories: Iterable[Campaign],
    *,
    personal: bool = False,
) -> list[feeds.FeedItem]:
    """The items of one feed. ``personal``: announcements as the leader's own copies."""
    memo = scope.memo
    items: list[feeds.FeedItem] = []
    for rendered in announcements:
        if personal:
            items.append(announcement_item(scope, rendered, personal=True))
        else:
            assert rendered.message is not None
            # Every item but a leader's personal copy is in several feeds.
            key = ("announcement item", rendered.campaign.id, rendered.message.id)
            items.append(memo.get(key, announcement_item, scope, rendered))
    items.extend(memo.get(("event item", c.id, e.id), event_item, scope, c, e) for c, e in events)
    items.extend(
        memo.get(("testimonial item", c.id, t.anchor), testimonial_item, scope, c, t) for c, t in testimonials
    )
    items.extend(memo.get(("story item", c.id), story_item, scope, c) for c in stories)
    return items


def announcement_item(scope: Scope, rendered: RenderedMessage, *, personal: bool = False) -> feeds.FeedItem:
    campaign, message = rendered.campaign, rendered.message
    assert message is not None
    if personal:
        url = scope.absolute(urls.leader_uri(rendered.leader)) + f"#{rendered.anchor}"
        authors: tuple[str, ...] = (rendered.leader.name,)
    else:
        url = scope.absolute(urls.fragment_in(campaign, message))
        authors = tuple(scope.leaders[leader_id].name for leader_id in message.leaders)
    return feeds.FeedItem(
        title=rendered.subject if personal else f"{rendered.title}: {campaign.title}",
        url=url,
        published=schedule.announced_at(campaign, message),
        content_html=absolute_html(scope, rendered.public_html),
        summary=_first_paragraph(rendered.public_text),
        authors=authors,
        categories=campaign.tags,
        kind="announcement",
    )


def event_item(scope: Scope, campaign: Campaign, event: Event) -> feeds.FeedItem:
    status = "Cancelled: " if event.cancelled else ""
    when = event_when(scope, campaign, event)
    return feeds.FeedItem(
        title=f"{status}{event.typed_title} ({when})",
        url=scope.absolute(urls.event_uri(campaign, event)),
        published=schedule.published_at(campaign, event),
        content_html=absolute_html(scope, scope.markup.html(event.description, event.source)),
        summary=f"{event.type_label} on {when}. {event_place(event)}",
        authors=tuple(scope.leaders[host].name for host in event.hosts),
        categories=campaign.tags,
        kind="event",
    )


def testimonial_item(scope: Scope, campaign: Campaign, testimonial: Testimonial) -> feeds.FeedItem:
    leader = scope.leaders[testimonial.leader]
    story_html = scope.markup.html(testimonial.story, testimonial.source)
    quote = Markup("<blockquote><p>{}</p></blockquote>").format(testimonial.quote)
    return feeds.FeedItem(
        title=f"{leader.name} on {campaign.title}",
        url=scope.absolute(urls.fragment_in(campaign, testimonial)),
        published=schedule.published_at(campaign, testimonial),
        content_html=absolute_html(scope, quote + story_html),
        summary=testimonial.quote,
        authors=(leader.name,),
        categories=campaign.tags,
        kind="testimonial",
    )


STORY_PARTS = (("What changed", "what_changed"), ("Why it mattered", "why_it_mattered"), ("What we learned", "what_we_learned"))


def story_item(scope: Scope, campaign: Campaign) -> feeds.FeedItem:
    story = campaign.story
    assert story is not None
    body = Markup("").join(
        Markup("<h3>{}</h3>").format(heading) + scope.markup.html(getattr(story, name), story.source)
        for heading, name in STORY_PARTS
    )
    return feeds.FeedItem(
        title=f"Results: {campaign.title}",
        url=scope.absolute(urls.fragment_in(campaign, story)),
        published=schedule.published_at(campaign, story),
        content_html=absolute_html(scope, body),
        summary=scope.text(story.what_changed)[:300],
        authors=tuple(scope.leaders[s].name for s in campaign.sponsors),
        categories=campaign.tags,
        kind="story",
    )


def absolute_html(scope: Scope, html: Markup | str) -> str:
    """HTML for a feed reader: a relative link in campaign text is read from the site's root."""
    if not scope.settings.site_url:
        return str(html)
    root = urls.site_root(scope.settings.site_url)

    def absolute(match: re.Match[str]) -> str:
        return f'{match.group(1)}"{urljoin(root, match.group(2).lstrip("/"))}"'

    return _RELATIVE_HREF.sub(absolute, str(html))


def event_place(event: Event) -> str:
    if event.location and event.online:
        return f"{event.location}, and online."
    if event.location:
        return f"{event.location}."
    return "Online."


def _first_paragraph(text: str) -> str:
    return text.split("\n\n", 1)[0][:400]


def write_feed(
    scope: Scope, uri: str, channel: feeds.FeedChannel, items: list[feeds.FeedItem], what: str
) -> list[GeneratedFile]:
    """The RSS feed at ``uri`` and its JSON Feed twin."""
    cache = scope.cache
    key = ("feed", channel, tuple(items))

    # Each item is written once, and under serve once for as long as it is unchanged, so one
    # edit does not rewrite every feed's items.
    def rss_item(item: feeds.FeedItem) -> str:
        return cache.get(("rss item", item), feeds.rss_item, item)

    def json_item(item: feeds.FeedItem) -> str:
        return cache.get(("json item", item), feeds.json_item, item)

    rss = cache.get(("rss", key), lambda: feeds.build_rss(channel, items, render_item=rss_item))
    json_feed = cache.get(("json", key), lambda: feeds.build_json_feed(channel, items, render_item=json_item))
    for item in items:
        cache.keep(("rss item", item))
        cache.keep(("json item", item))
    return [GeneratedFile(uri, rss, what), GeneratedFile(urls.json_feed_uri(uri), json_feed, what)]

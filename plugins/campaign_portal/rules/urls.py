"""Every URL of the portal, in one place: pages, feeds, calendars, drafts and anchors.

Each function returns a site-relative URI (no leading slash) made from ids, which are slugs,
so there is nothing to escape. ``url_for`` is what templates call (through the plugin's
``url_for`` global, which makes the URI relative to the page); code calls the functions.
The URL table of the spec is this module.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from ..model import Campaign, Event, Leader, Message, Story, Testimonial
from .slugs import tag_slug

# Pages and files that exist once per site, by the name templates use for them.
SITE_URIS = {
    "home": "",
    "campaigns": "campaigns/",
    "events": "events/",
    "past_events": "events/past/",
    "leaders": "leaders/",
    "feed": "feed.xml",
    "calendar": "events/calendar.ics",
}


def _id(item: Campaign | Event | Leader | str) -> str:
    return item if isinstance(item, str) else item.id


def campaign_uri(campaign: Campaign | str) -> str:
    return f"campaigns/{_id(campaign)}/"


def brief_uri(campaign: Campaign | str) -> str:
    """The campaign's executive brief."""
    return f"{campaign_uri(campaign)}brief/"


def event_uri(campaign: Campaign | str, event: Event | str) -> str:
    return f"{campaign_uri(campaign)}events/{_id(event)}/"


def events_list_uri(past: bool, number: int = 1) -> str:
    """A page of the events list: ``events/`` and ``events/page/2/`` (upcoming, soonest first),
    ``events/past/`` and ``events/past/page/2/`` (past, latest first)."""
    first = SITE_URIS["past_events" if past else "events"]
    return first if number == 1 else f"{first}page/{number}/"


def leader_uri(leader: Leader | str) -> str:
    return f"leaders/{_id(leader)}/"


def tag_uri(slug: str) -> str:
    """A tag's page; the slug may hold any letter (a file name as it is, percent-encoded in links)."""
    return f"tags/{slug}/"


def tag_uri_of(tag: str) -> str:
    """The page of a tag as written in a campaign file."""
    return tag_uri(tag_slug(tag))


def page_source(uri: str) -> str:
    """The (generated) Markdown file whose page is at ``uri``: ``campaigns/x/`` -> ``campaigns/x/index.md``."""
    return f"{uri}index.md"


def feed_uri(page: str) -> str:
    """The RSS feed of a page (``""`` for the site's)."""
    return f"{page}feed.xml"


def json_feed_uri(rss_uri: str) -> str:
    """The JSON Feed twin of an RSS feed."""
    return rss_uri.rsplit("/", 1)[0] + "/feed.json" if "/" in rss_uri else "feed.json"


def campaign_calendar_uri(campaign: Campaign | str) -> str:
    return f"{campaign_uri(campaign)}calendar.ics"


def event_calendar_uri(campaign: Campaign | str, event: Event | str) -> str:
    return f"{event_uri(campaign, event)}event.ics"


def leader_calendar_uri(leader: Leader | str) -> str:
    """The leader's own calendar: the events they host and when to send each message and reminder."""
    return f"{leader_uri(leader)}calendar.ics"


def announcement_draft_uri(leader: Leader, campaign: Campaign, message: Message) -> str:
    return f"{leader_uri(leader)}drafts/{campaign.id}/{message.id}.eml"


def reminder_anchor(campaign: Campaign, event: Event, kind: str) -> str:
    return f"{campaign.id}--{event.id}--{kind.replace('_', '-')}"


def announcement_anchor(campaign: Campaign, message: Message) -> str:
    """The anchor of a leader's copy of a message on their page."""
    return f"{campaign.id}--{message.id}"


def reminder_draft_uri(leader: Leader, campaign: Campaign, event: Event, kind: str) -> str:
    return f"{leader_uri(leader)}drafts/{campaign.id}/{event.id}.{kind.replace('_', '-')}.eml"


def fragment_in(campaign: Campaign, item: Message | Testimonial | Story) -> str:
    """Where on its campaign's page a message, testimonial or story is."""
    if isinstance(item, Message):
        return f"{campaign_uri(campaign)}#announcement-{item.id}"
    if isinstance(item, Testimonial):
        return f"{campaign_uri(campaign)}#{item.anchor}"
    return f"{campaign_uri(campaign)}#story"


def url_for(item: Any, child: Any = None) -> str:
    """The site-relative URI of what a template shows.

    ``url_for(campaign)``, ``url_for(leader)``, ``url_for(campaign, event)``, ``url_for(campaign, message)``
    (and testimonial, story), ``url_for(campaign, "brief")``, or a site page by name: ``url_for("events")``.
    """
    if isinstance(item, Campaign):
        if child is None:
            return campaign_uri(item)
        if child == "brief":
            return brief_uri(item)
        if isinstance(child, Event):
            return event_uri(item, child)
        return fragment_in(item, child)
    if isinstance(item, Leader):
        return leader_uri(item)
    if isinstance(item, str) and item in SITE_URIS:
        return SITE_URIS[item]
    raise TypeError(f"no URL for {type(item).__name__} {item!r}")


def absolute(uri: str, site_url: str | None) -> str:
    """A site URL as readers outside the site need it: absolute when ``site_url`` is known."""
    return site_root(site_url) + uri


def site_root(site_url: str | None) -> str:
    return site_url.rstrip("/") + "/" if site_url else "/"


def webcal(url: str) -> str | None:
    """The webcal:// form of an absolute http(s) calendar link (calendar apps subscribe to it), else None."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme) :]
    return None


# A link as it stands in a message's text: up to a space, a bracket or a quote, without the
# punctuation that ends a sentence.
_LINK_TAIL = r"[^\s<>()\[\]\"'`]*[^\s<>()\[\]\"'`.,;:!?]"


def tag_portal_links(text: str, site_url: str | None, tags: dict[str, str]) -> str:
    """``text`` with ``tags`` (``utm_source`` and the rest) added to the query of each link to the
    portal, that is, inside ``site_url``; links elsewhere and text without a ``site_url`` are left alone."""
    if not site_url or not tags:
        return text
    root = site_root(site_url)
    query = urlencode(tags)

    def tag(match: re.Match[str]) -> str:
        link = match.group(0)
        address, hash_mark, fragment = link.partition("#")
        joiner = "&" if "?" in address else "?"
        return f"{address}{joiner}{query}{hash_mark}{fragment}"

    return re.sub(re.escape(root) + f"(?:{_LINK_TAIL})?", tag, text)


def leader_link_tags(source: str, campaign: Campaign, leader: Leader) -> dict[str, str]:
    """The analytics tags of a portal link in a leader's message: where it was posted (``email`` or
    ``chat``), that a leader sent it, the campaign and the leader."""
    return {"utm_source": source, "utm_medium": "leader", "utm_campaign": campaign.id, "utm_content": leader.id}

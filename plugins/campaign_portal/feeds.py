"""RSS 2.0 and JSON Feed 1.1 builders: pure functions from feed items to bytes.

No MkDocs and no clock: every date in the output comes from the items, so the
same input always gives byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from feedgen.feed import FeedGenerator

GENERATOR = "Learning Campaign Portal"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_EXTENSION = "_campaign_portal"
EMPTY_FEED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)

# Everything outside XML 1.0's Char production: C0 controls other than tab,
# newline and carriage return, lone surrogates, and U+FFFE/U+FFFF.
_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: an announcement, event, testimonial or story."""

    title: str
    url: str  # absolute canonical URL; also the guid (isPermaLink true)
    published: dt.datetime  # aware
    content_html: str  # full HTML with absolute links, goes to content:encoded
    summary: str  # short plain text, goes to <description>
    authors: tuple[str, ...] = ()  # leader display names -> dc:creator
    categories: tuple[str, ...] = ()
    kind: str = ""  # "announcement" | "event" | "testimonial" | "story"


@dataclass(frozen=True)
class FeedChannel:
    """The feed itself: what it is called and which page it belongs to."""

    title: str
    url: str  # absolute URL of the HTML page the feed belongs to
    feed_url: str  # absolute URL of this feed.xml
    description: str
    language: str = "en"


def clean_xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (lxml refuses them, readers choke on them)."""
    return _XML_FORBIDDEN.sub("", text)


def sort_feed_items(items: Sequence[FeedItem]) -> list[FeedItem]:
    """Items newest first; items published at the same instant are ordered by URL."""
    for item in items:
        _require_aware(item)
    return sorted(items, key=lambda item: (EMPTY_FEED_DATE - item.published, item.url))


def build_rss(channel: FeedChannel, items: Sequence[FeedItem]) -> bytes:
    """The RSS 2.0 document for ``channel``, newest item first, as UTF-8 bytes.

    ``lastBuildDate`` and ``pubDate`` are the newest item's date (or a fixed
    epoch for an empty feed), so rebuilding unchanged content changes nothing.
    """
    ordered = sort_feed_items(items)
    generator = FeedGenerator()
    generator.load_extension("dc")
    generator.title(clean_xml_text(channel.title))
    # feedgen uses the *last* link added as RSS <link>, so the self link goes first.
    generator.link(href=channel.feed_url, rel="self", type="application/rss+xml")
    generator.link(href=channel.url, rel="alternate")
    generator.description(clean_xml_text(channel.description or channel.title))
    generator.language(channel.language)
    # Fixed value instead of feedgen's default, which carries its version number.
    generator.generator(GENERATOR)
    built = _newest(ordered)
    generator.lastBuildDate(built)
    generator.pubDate(built)

    for item in ordered:
        entry = generator.add_entry(order="append")
        entry.title(clean_xml_text(item.title))
        entry.link(href=item.url)
        entry.guid(item.url, permalink=True)
        entry.published(_utc(item.published))
        # An empty summary would make feedgen copy the whole HTML into <description>.
        entry.summary(clean_xml_text(item.summary or item.title))
        entry.content(clean_xml_text(item.content_html))
        for category in item.categories:
            entry.category(term=clean_xml_text(category))
        if item.authors:
            # RSS <author> must be an e-mail address; display names belong in dc:creator.
            entry.dc.dc_creator([clean_xml_text(author) for author in item.authors])

    rss: bytes = generator.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return rss


def build_json_feed(channel: FeedChannel, items: Sequence[FeedItem]) -> bytes:
    """The JSON Feed 1.1 twin of :func:`build_rss`: same items, same order, sorted keys."""
    ordered = sort_feed_items(items)
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": clean_xml_text(channel.title),
        "home_page_url": channel.url,
        "feed_url": channel.feed_url,
        "language": channel.language,
        "items": [_json_item(item) for item in ordered],
    }
    if channel.description:
        document["description"] = clean_xml_text(channel.description)
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def _json_item(item: FeedItem) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": item.url,
        "url": item.url,
        "title": clean_xml_text(item.title),
        "content_html": clean_xml_text(item.content_html),
        "date_published": _rfc3339(item.published),
    }
    if item.summary:
        entry["summary"] = clean_xml_text(item.summary)
    if item.authors:
        entry["authors"] = [{"name": clean_xml_text(author)} for author in item.authors]
    if item.categories:
        entry["tags"] = [clean_xml_text(category) for category in item.categories]
    if item.kind:
        # JSON Feed reserves keys starting with "_" for extensions readers may ignore.
        entry[JSON_FEED_EXTENSION] = {"kind": item.kind}
    return entry


def _require_aware(item: FeedItem) -> None:
    if item.published.tzinfo is None or item.published.utcoffset() is None:
        raise ValueError(f"feed item {item.url} has a naive published date-time: {item.published.isoformat()}")


def _newest(ordered: Sequence[FeedItem]) -> dt.datetime:
    return _utc(ordered[0].published) if ordered else EMPTY_FEED_DATE


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.timezone.utc)


def _rfc3339(moment: dt.datetime) -> str:
    return _utc(moment).isoformat().replace("+00:00", "Z")

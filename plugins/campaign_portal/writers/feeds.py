"""RSS 2.0 and JSON Feed 1.1 builders: pure functions from feed items to bytes.

No MkDocs and no clock: every date in the output comes from the items, so the
same input always gives byte-identical feeds. Each item is written on its own
and the feed is the items joined in order, so an item that is in many feeds
(the site's, its campaign's, its leaders') can be written once and reused.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import format_datetime as _rfc822
from functools import cached_property
from typing import Any
from xml.sax.saxutils import escape

GENERATOR = "Learning Campaign Portal"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_EXTENSION = "_campaign_portal"
EMPTY_FEED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
RSS_DOCS = "https://www.rssboard.org/rss-specification"
_RSS_NAMESPACES = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
)

_XML_TEXT_ENTITIES = {"\r": "&#13;"}
_XML_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
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

    # An item is a key in the site's caches several times per build (in each feed it is in, and
    # for each of its written forms): its hash, over long HTML, is worked out once.
    @cached_property
    def _hash(self) -> int:
        return hash(
            (self.title, self.url, self.published, self.content_html, self.summary, self.authors, self.categories, self.kind)
        )

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True)
class FeedChannel:
    """The feed itself: what it is called and which page it belongs to."""

    title: str
    url: str  # absolute URL of the HTML page the feed belongs to
    feed_url: str  # absolute URL of the RSS feed, feed.xml (its atom:link rel="self")
    json_feed_url: str  # absolute URL of its JSON Feed twin, feed.json (that feed's own feed_url)
    description: str
    language: str = "en"


def clean_xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (lxml refuses them, readers choke on them)."""
    return _XML_FORBIDDEN.sub("", text)


def _xml_text(text: str) -> str:
    # As lxml writes text: a carriage return survives only as a character reference.
    return escape(clean_xml_text(text), _XML_TEXT_ENTITIES)


def _xml_attribute(value: str) -> str:
    return '"' + escape(clean_xml_text(value), _XML_ATTRIBUTE_ENTITIES) + '"'


def sort_feed_items(items: Sequence[FeedItem]) -> list[FeedItem]:
    """Items newest first; items published at the same instant are ordered by URL."""
    for item in items:
        _require_aware(item)
    return sorted(items, key=lambda item: (EMPTY_FEED_DATE - item.published, item.url))


def build_rss(
    channel: FeedChannel, items: Sequence[FeedItem], *, render_item: Callable[[FeedItem], str] | None = None
) -> bytes:
    """The RSS 2.0 document for ``channel``, newest item first, as UTF-8 bytes.

    ``lastBuildDate`` and ``pubDate`` are the newest item's date (or a fixed
    epoch for an empty feed), so rebuilding unchanged content changes nothing.
    Each item is written by ``render_item`` (default :func:`rss_item`): a caller
    that puts one item in many feeds can pass a memoised one and write it once.
    """
    ordered = sort_feed_items(items)
    built = _rfc822(_newest(ordered))
    head = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f"<rss {_RSS_NAMESPACES} version=\"2.0\">\n"
        "  <channel>\n"
        f"    <title>{_xml_text(channel.title)}</title>\n"
        f"    <link>{_xml_text(channel.url)}</link>\n"
        f"    <description>{_xml_text(channel.description or channel.title)}</description>\n"
        f"    <atom:link href={_xml_attribute(channel.feed_url)} rel=\"self\" type=\"application/rss+xml\"/>\n"
        f"    <docs>{RSS_DOCS}</docs>\n"
        f"    <generator>{_xml_text(GENERATOR)}</generator>\n"
        f"    <language>{_xml_text(channel.language)}</language>\n"
        f"    <lastBuildDate>{built}</lastBuildDate>\n"
        f"    <pubDate>{built}</pubDate>\n"
    )
    write = rss_item if render_item is None else render_item
    return "".join([head, *map(write, ordered), "  </channel>\n</rss>\n"]).encode("utf-8")


def rss_item(item: FeedItem) -> str:
    """One ``<item>`` of an RSS 2.0 channel, indented to its place."""
    lines = [
        "    <item>",
        f"      <title>{_xml_text(item.title)}</title>",
        f"      <link>{_xml_text(item.url)}</link>",
        # RSS <description> is the short text; the whole HTML goes to content:encoded.
        f"      <description>{_xml_text(item.summary or item.title)}</description>",
        f"      <content:encoded>{_xml_text(item.content_html)}</content:encoded>",
        f"      <guid isPermaLink=\"true\">{_xml_text(item.url)}</guid>",
        *(f"      <category>{_xml_text(category)}</category>" for category in item.categories),
        f"      <pubDate>{_rfc822(_utc(item.published))}</pubDate>",
        # RSS <author> must be an e-mail address; display names belong in dc:creator.
        *(f"      <dc:creator>{_xml_text(author)}</dc:creator>" for author in item.authors),
        "    </item>\n",
    ]
    return "\n".join(lines)


def build_json_feed(
    channel: FeedChannel, items: Sequence[FeedItem], *, render_item: Callable[[FeedItem], str] | None = None
) -> bytes:
    """The JSON Feed 1.1 twin of :func:`build_rss`: same items, same order, sorted keys.

    The document reads exactly as ``json.dumps(document, sort_keys=True, indent=2)``;
    each item is written by ``render_item`` (default :func:`json_item`).
    """
    ordered = sort_feed_items(items)
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": clean_xml_text(channel.title),
        "home_page_url": channel.url,
        # JSON Feed 1.1: "the URL of the feed", that is of this JSON document, not of its RSS twin.
        "feed_url": channel.json_feed_url,
        "language": channel.language,
        "items": [],
    }
    if channel.description:
        document["description"] = clean_xml_text(channel.description)
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2)
    if ordered:
        write = json_item if render_item is None else render_item
        # Quotes inside JSON strings are escaped, so the only `"items": []` is the key itself.
        listed = "[\n    " + ",\n    ".join(map(write, ordered)) + "\n  ]"
        text = text.replace('"items": []', f'"items": {listed}', 1)
    return (text + "\n").encode("utf-8")


def json_item(item: FeedItem) -> str:
    """One item of a JSON feed, as :func:`build_json_feed` places it (indented two levels)."""
    return _indented_json(_json_item(item), "\n    ")


def _indented_json(value: Any, indent: str) -> str:
    """``json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2)`` of text, lists and dicts
    of them, each line after the first starting with ``indent``: the same text, written with the
    standard library's C encoder for each value (with ``indent`` set, ``json`` encodes in Python)."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = (f"{_JSON(key)}: {_indented_json(value[key], inner)}" for key in sorted(value))
        return "{" + inner + ("," + inner).join(members) + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented_json(member, inner) for member in value) + indent + "]"
    return _JSON(value)


_JSON = json.JSONEncoder(ensure_ascii=False).encode


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

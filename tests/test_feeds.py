"""Unit tests of the RSS and JSON Feed builders, read back with feedparser, lxml and json."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Callable
from email.utils import format_datetime
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from campaign_portal.writers.feeds import (
    FeedChannel,
    FeedItem,
    build_json_feed,
    build_rss,
    json_item,
    rss_item,
)

UTC = dt.timezone.utc
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
SITE = "https://learn.example.com"
CHANNEL = FeedChannel(
    title="Coaching for Growth",
    url=f"{SITE}/campaigns/coaching/",
    feed_url=f"{SITE}/campaigns/coaching/feed.xml",
    json_feed_url=f"{SITE}/campaigns/coaching/feed.json",
    description="News from the Coaching for Growth campaign",
    language="en",
)


def make_item(
    slug: str,
    published: dt.datetime,
    *,
    title: str | None = None,
    summary: str | None = None,
    content_html: str | None = None,
    authors: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    kind: str = "",
) -> FeedItem:
    url = f"{SITE}/campaigns/coaching/{slug}/"
    return FeedItem(
        title=f"Item {slug}" if title is None else title,
        url=url,
        published=published,
        content_html=f'<p>Read <a href="{url}">{slug}</a>.</p>' if content_html is None else content_html,
        summary=f"Summary of {slug}" if summary is None else summary,
        authors=authors,
        categories=categories,
        kind=kind,
    )


KICKOFF = make_item(
    "kickoff",
    dt.datetime(2027, 1, 11, 8, 0, tzinfo=UTC),
    authors=("Amara Okafor",),
    categories=("coaching", "Announcement"),
    kind="announcement",
)
LUNCH = make_item(
    "events/lunch",
    dt.datetime(2027, 1, 6, 9, 0, tzinfo=UTC),
    authors=("Amara Okafor", "Daniel Kim"),
    categories=("Lunch & learn",),
    kind="event",
)
# Same instant as TESTIMONIAL_B, so the URL decides the order.
TESTIMONIAL_B = make_item("b-testimonial", dt.datetime(2027, 2, 1, 0, 0, tzinfo=UTC), kind="testimonial")
TESTIMONIAL_A = make_item("a-testimonial", dt.datetime(2027, 2, 1, 0, 0, tzinfo=UTC), kind="testimonial")
STORY = make_item("story", dt.datetime(2027, 4, 15, 0, 0, tzinfo=UTC), kind="story")

ITEMS = [LUNCH, TESTIMONIAL_B, KICKOFF, STORY, TESTIMONIAL_A]
NEWEST_FIRST = [STORY, TESTIMONIAL_A, TESTIMONIAL_B, KICKOFF, LUNCH]


def parse_rss(rss: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(rss)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def channel_text(rss: bytes, tag: str) -> str | None:
    text: str | None = etree.fromstring(rss).findtext(f"channel/{tag}", namespaces=NS)
    return text


def test_rss_is_well_formed_rss_2_0() -> None:
    rss = build_rss(CHANNEL, ITEMS)
    parsed = parse_rss(rss)
    assert parsed.version == "rss20"
    assert rss.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert parsed.feed.title == "Coaching for Growth"
    assert parsed.feed.link == f"{SITE}/campaigns/coaching/"
    assert parsed.feed.subtitle == "News from the Coaching for Growth campaign"
    assert parsed.feed.language == "en"


def test_rss_has_an_atom_self_link_to_the_feed_url() -> None:
    root = etree.fromstring(build_rss(CHANNEL, ITEMS))
    self_links = root.findall("channel/atom:link[@rel='self']", namespaces=NS)
    assert [link.get("href") for link in self_links] == [f"{SITE}/campaigns/coaching/feed.xml"]
    assert self_links[0].get("type") == "application/rss+xml"
    assert root.findtext("channel/link") == f"{SITE}/campaigns/coaching/"


def test_items_are_newest_first_with_url_as_tie_breaker() -> None:
    parsed = parse_rss(build_rss(CHANNEL, ITEMS))
    assert [entry.link for entry in parsed.entries] == [item.url for item in NEWEST_FIRST]
    assert TESTIMONIAL_A.url < TESTIMONIAL_B.url  # the tie the test relies on


def test_last_build_date_and_pub_date_are_the_newest_item() -> None:
    rss = build_rss(CHANNEL, ITEMS)
    assert channel_text(rss, "lastBuildDate") == "Thu, 15 Apr 2027 00:00:00 +0000"
    assert channel_text(rss, "pubDate") == "Thu, 15 Apr 2027 00:00:00 +0000"
    parsed = parse_rss(rss)
    assert calendar.timegm(parsed.feed.updated_parsed) == int(STORY.published.timestamp())
    assert parsed.feed.updated_parsed == parsed.entries[0].published_parsed


def test_every_date_in_a_feed_is_an_item_date() -> None:
    """No clock: the only dates written are the items' own, so a rebuild of the same items is identical."""
    rss = build_rss(CHANNEL, ITEMS)
    root = etree.fromstring(rss)
    written = {node.text for node in root.iter("pubDate", "lastBuildDate")}
    item_dates = {format_datetime(item.published.astimezone(UTC)) for item in ITEMS}
    assert written and written <= item_dates
    assert len(root.findall("channel/item/pubDate")) == len(ITEMS)
    json_dates = {item["date_published"] for item in json.loads(build_json_feed(CHANNEL, ITEMS))["items"]}
    assert json_dates == {item.published.strftime("%Y-%m-%dT%H:%M:%SZ") for item in ITEMS}


def test_generator_is_fixed() -> None:
    rss = build_rss(CHANNEL, ITEMS)
    assert channel_text(rss, "generator") == "Learning Campaign Portal"


def test_guid_is_the_canonical_url_and_a_permalink() -> None:
    rss = build_rss(CHANNEL, ITEMS)
    root = etree.fromstring(rss)
    guids = root.findall("channel/item/guid")
    assert [guid.text for guid in guids] == [item.url for item in NEWEST_FIRST]
    assert {guid.get("isPermaLink") for guid in guids} == {"true"}
    parsed = parse_rss(rss)
    assert [entry.id for entry in parsed.entries] == [item.url for item in NEWEST_FIRST]


def test_authors_are_dc_creators_not_rss_authors() -> None:
    rss = build_rss(CHANNEL, ITEMS)
    root = etree.fromstring(rss)
    assert root.findall("channel/item/author") == []
    lunch = root.xpath("channel/item[guid=$url]", url=LUNCH.url)[0]
    assert [creator.text for creator in lunch.findall("dc:creator", namespaces=NS)] == ["Amara Okafor", "Daniel Kim"]
    entries = {entry.id: entry for entry in parse_rss(rss).entries}
    assert entries[KICKOFF.url].author == "Amara Okafor"
    assert [author["name"] for author in entries[LUNCH.url].authors] == ["Amara Okafor", "Daniel Kim"]
    assert "author" not in entries[STORY.url]


def test_content_summary_and_categories() -> None:
    rss = build_rss(CHANNEL, ITEMS)
    root = etree.fromstring(rss)
    kickoff = root.xpath("channel/item[guid=$url]", url=KICKOFF.url)[0]
    assert kickoff.findtext("content:encoded", namespaces=NS) == KICKOFF.content_html
    assert kickoff.findtext("description") == "Summary of kickoff"
    entries = {entry.id: entry for entry in parse_rss(rss).entries}
    assert entries[KICKOFF.url].content[0].value == KICKOFF.content_html
    assert entries[KICKOFF.url].summary == "Summary of kickoff"
    assert [tag.term for tag in entries[KICKOFF.url].tags] == ["coaching", "Announcement"]
    assert [tag.term for tag in entries[LUNCH.url].tags] == ["Lunch & learn"]


def test_empty_summary_does_not_copy_the_html_into_description() -> None:
    item = make_item("quiet", dt.datetime(2027, 1, 11, tzinfo=UTC), summary="")
    root = etree.fromstring(build_rss(CHANNEL, [item]))
    assert root.findtext("channel/item/description") == "Item quiet"


def test_item_dates_are_written_in_utc() -> None:
    summer = make_item("summer", dt.datetime(2027, 7, 1, 9, 30, tzinfo=ZoneInfo("Europe/London")))
    rss = build_rss(CHANNEL, [summer])
    assert etree.fromstring(rss).findtext("channel/item/pubDate") == "Thu, 01 Jul 2027 08:30:00 +0000"
    assert channel_text(rss, "lastBuildDate") == "Thu, 01 Jul 2027 08:30:00 +0000"


HOSTILE = (
    "<script>alert('x')</script> & \"quoted\" ]]> </content:encoded> \x00\x01\x08\x0b\x0c\x1f\ud800\ufffe\uffff end"
)
HOSTILE_CLEAN = "<script>alert('x')</script> & \"quoted\" ]]> </content:encoded>  end"


def test_hostile_strings_still_give_valid_xml() -> None:
    item = make_item(
        "hostile",
        dt.datetime(2027, 1, 11, tzinfo=UTC),
        title=HOSTILE,
        summary=HOSTILE,
        content_html=f"<p>{HOSTILE}</p><![CDATA[ x ]]>",
        authors=(HOSTILE,),
        categories=(HOSTILE,),
    )
    channel = FeedChannel(
        title=f"Channel {HOSTILE}",
        url=CHANNEL.url,
        feed_url=CHANNEL.feed_url,
        json_feed_url=CHANNEL.json_feed_url,
        description=HOSTILE,
    )
    rss = build_rss(channel, [item])
    parsed = parse_rss(rss)
    root = etree.fromstring(rss)  # lxml is stricter than feedparser and raises on any bad character
    node = root.find("channel/item")
    assert node is not None
    assert node.findtext("title") == HOSTILE_CLEAN
    assert node.findtext("description") == HOSTILE_CLEAN
    assert node.findtext("content:encoded", namespaces=NS) == f"<p>{HOSTILE_CLEAN}</p><![CDATA[ x ]]>"
    assert node.findtext("dc:creator", namespaces=NS) == HOSTILE_CLEAN
    assert node.findtext("category") == HOSTILE_CLEAN
    assert root.findtext("channel/title") == f"Channel {HOSTILE_CLEAN}"
    assert len(parsed.entries) == 1
    assert parsed.entries[0].title == HOSTILE_CLEAN
    # feedparser sanitises HTML it hands out: the script is gone, the text stays.
    assert "<script" not in parsed.entries[0].content[0].value
    assert parsed.entries[0].content[0].value == '<p> & "quoted" ]]>   end</p>'


def test_rss_is_byte_identical_and_independent_of_input_order() -> None:
    first = build_rss(CHANNEL, ITEMS)
    assert build_rss(CHANNEL, ITEMS) == first
    assert build_rss(CHANNEL, list(reversed(ITEMS))) == first
    assert build_rss(CHANNEL, tuple(NEWEST_FIRST)) == first


def test_empty_feed_uses_the_fixed_epoch() -> None:
    rss = build_rss(CHANNEL, [])
    parsed = parse_rss(rss)
    assert parsed.entries == []
    assert channel_text(rss, "lastBuildDate") == "Sat, 01 Jan 2000 00:00:00 +0000"
    assert channel_text(rss, "pubDate") == "Sat, 01 Jan 2000 00:00:00 +0000"
    assert build_rss(CHANNEL, []) == rss


def test_naive_published_is_refused() -> None:
    naive = make_item("naive", dt.datetime(2027, 1, 11, 8, 0))  # noqa: DTZ001
    with pytest.raises(ValueError, match="naive published"):
        build_rss(CHANNEL, [naive])
    with pytest.raises(ValueError, match="naive published"):
        build_json_feed(CHANNEL, [naive])


def test_json_feed_is_json_feed_1_1_with_sorted_keys() -> None:
    raw = build_json_feed(CHANNEL, ITEMS)
    document = json.loads(raw)
    assert raw.decode("utf-8") == json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "Coaching for Growth"
    assert document["home_page_url"] == f"{SITE}/campaigns/coaching/"
    # JSON Feed 1.1: feed_url is the URL of the feed itself, not of its RSS twin.
    assert document["feed_url"] == f"{SITE}/campaigns/coaching/feed.json"
    assert document["description"] == "News from the Coaching for Growth campaign"
    assert document["language"] == "en"


def test_json_feed_items_match_the_rss_order_and_content() -> None:
    document = json.loads(build_json_feed(CHANNEL, ITEMS))
    rss_ids = [entry.id for entry in parse_rss(build_rss(CHANNEL, ITEMS)).entries]
    assert [item["id"] for item in document["items"]] == rss_ids == [item.url for item in NEWEST_FIRST]
    lunch = next(item for item in document["items"] if item["id"] == LUNCH.url)
    assert lunch == {
        "id": LUNCH.url,
        "url": LUNCH.url,
        "title": "Item events/lunch",
        "content_html": LUNCH.content_html,
        "summary": "Summary of events/lunch",
        "date_published": "2027-01-06T09:00:00Z",
        "authors": [{"name": "Amara Okafor"}, {"name": "Daniel Kim"}],
        "tags": ["Lunch & learn"],
        "_campaign_portal": {"kind": "event"},
    }
    for item in document["items"]:
        assert item["url"].startswith("https://")


def test_json_feed_is_byte_identical_and_cleans_text_like_rss() -> None:
    item = make_item("hostile", dt.datetime(2027, 1, 11, tzinfo=UTC), title=HOSTILE, kind="")
    raw = build_json_feed(CHANNEL, [item])
    assert build_json_feed(CHANNEL, [item]) == raw
    (entry,) = json.loads(raw)["items"]
    assert entry["title"] == HOSTILE_CLEAN
    assert "_campaign_portal" not in entry
    assert "authors" not in entry


def test_items_can_be_written_once_and_reused_across_feeds() -> None:
    """What the site does for an item that is in many feeds: the same bytes as writing it each time."""
    written: dict[FeedItem, str] = {}
    calls: list[FeedItem] = []

    def remembered(write: Callable[[FeedItem], str]) -> Callable[[FeedItem], str]:
        def render(item: FeedItem) -> str:
            if item not in written:
                calls.append(item)
                written[item] = write(item)
            return written[item]

        return render

    rss_items, json_items = remembered(rss_item), remembered(json_item)
    assert build_rss(CHANNEL, ITEMS, render_item=rss_items) == build_rss(CHANNEL, ITEMS)
    assert build_rss(CHANNEL, ITEMS[:2], render_item=rss_items) == build_rss(CHANNEL, ITEMS[:2])
    assert len(calls) == len(ITEMS)
    written.clear()
    calls.clear()
    assert build_json_feed(CHANNEL, ITEMS, render_item=json_items) == build_json_feed(CHANNEL, ITEMS)
    assert build_json_feed(CHANNEL, ITEMS[1:], render_item=json_items) == build_json_feed(CHANNEL, ITEMS[1:])
    assert len(calls) == len(ITEMS)


def test_line_ends_and_quotes_survive_a_round_trip() -> None:
    text = 'Line one\r\nline "two"\ttab <b>&amp;</b>'
    item = make_item("line-ends", dt.datetime(2027, 1, 11, tzinfo=UTC), title=text, summary=text, content_html=text)
    channel = FeedChannel(
        title=text,
        url=CHANNEL.url,
        feed_url=f'{SITE}/feed.xml?a="b"&c=d',
        json_feed_url=f'{SITE}/feed.json?a="b"&c=d',
        description=text,
    )
    root = etree.fromstring(build_rss(channel, [item]))
    assert root.findtext("channel/title") == text
    assert root.findtext("channel/item/title") == text
    assert root.findtext("channel/item/content:encoded", namespaces=NS) == text
    assert root.find("channel/atom:link", namespaces=NS).get("href") == channel.feed_url  # type: ignore[union-attr]
    assert json.loads(build_json_feed(channel, [item]))["items"][0]["title"] == text


def test_json_items_are_written_as_json_dumps_writes_them() -> None:
    """Items are written value by value (the C encoder); the text is json.dumps(..., indent=2)'s."""
    import random

    from campaign_portal.writers.feeds import _indented_json

    rng = random.Random(2)
    characters = 'ab "\\\n\t\x00\x1f\u2028é😀<>&/'

    def value(depth: int = 0) -> Any:
        roll = rng.random()
        if depth < 3 and roll < 0.2:
            return {"".join(rng.choice(characters) for _ in range(rng.randrange(0, 5))): value(depth + 1) for _ in range(rng.randrange(0, 4))}
        if depth < 3 and roll < 0.4:
            return [value(depth + 1) for _ in range(rng.randrange(0, 4))]
        return "".join(rng.choice(characters) for _ in range(rng.randrange(0, 20)))

    for _ in range(3000):
        document = value()
        expected = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2)
        assert _indented_json(document, "\n") == expected
        assert _indented_json(document, "\n    ") == expected.replace("\n", "\n    ")


_FEED_TEXT = st.lists(
    st.sampled_from(["x", " ", "&", "&amp;", "<b>", "]]>", '"', "'", "\r", "\r\n", "\n", "\t", "\x00", "\x0b", "\ufffe",
                     "\ud800", "\u2028", "é", "e\u0301", "😀", "\\", "\\u0041", "items\": []", "</item>"]),
    max_size=12,
).map("".join)  # fmt: skip


@given(_FEED_TEXT, _FEED_TEXT, _FEED_TEXT, st.lists(_FEED_TEXT, max_size=2), st.lists(_FEED_TEXT, max_size=2))
@settings(max_examples=150, deadline=None)
def test_items_written_directly_read_back_as_their_values(
    title: str, html: str, summary: str, authors: list[str], categories: list[str]
) -> None:
    """RSS and JSON Feed items are written as text, not through lxml and json.dumps of the whole
    document: read back by an XML parser and as JSON, every value is the one given (less what
    XML cannot hold), and the JSON is what json.dumps of the document writes."""
    from campaign_portal.writers.feeds import clean_xml_text

    channel = FeedChannel(title or "t", CHANNEL.url, CHANNEL.feed_url, CHANNEL.json_feed_url, summary)
    item = FeedItem(title, f"{SITE}/i/", dt.datetime(2027, 1, 4, 9, tzinfo=UTC), html, summary, tuple(authors),
                    tuple(categories), "event")  # fmt: skip
    root = etree.fromstring(build_rss(channel, [item, item]))
    for written in root.findall("channel/item"):
        assert (written.findtext("title") or "") == clean_xml_text(title)
        assert (written.findtext("content:encoded", namespaces=NS) or "") == clean_xml_text(html)
        assert (written.findtext("description") or "") == clean_xml_text(summary or title)
        assert [element.text or "" for element in written.findall("dc:creator", NS)] == [clean_xml_text(a) for a in authors]
        assert [element.text or "" for element in written.findall("category")] == [clean_xml_text(c) for c in categories]
    assert root.findtext("channel/title") == clean_xml_text(channel.title)
    document = json.loads(build_json_feed(channel, [item]))
    assert build_json_feed(channel, [item]).decode() == json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    (entry,) = document["items"]
    assert (entry["title"], entry["content_html"], entry.get("summary", "")) == tuple(map(clean_xml_text, (title, html, summary)))
    assert [author["name"] for author in entry.get("authors", [])] == [clean_xml_text(author) for author in authors]
    assert entry.get("tags", []) == [clean_xml_text(category) for category in categories]

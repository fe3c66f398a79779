"""The feeds of a built portal: every RSS feed and its JSON Feed twin, read with feedparser and json,
and the pages that advertise them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from campaign_portal.model import EVENT_TYPE_LABELS, Event, SourceRef

from conftest import (
    EVENT,
    EXAMPLE_NOW,
    LEADERS_YML,
    MINIMAL_CAMPAIGN,
    BuildPortal,
    BuiltSite,
    build_project,
    prepare_project,
)

SITE_URL = "https://learning.example.com/"
RSS = "application/rss+xml"
JSON_FEED = "application/feed+json"


def site_uri(site: BuiltSite, path: Path) -> str:
    return path.relative_to(site.site_dir).as_posix()


def rss_files(site: BuiltSite) -> list[Path]:
    return sorted(site.site_dir.rglob("feed.xml"))


def repeats_a_type(title: str) -> bool:
    """"Workshop: Workshop: ..." (after an optional "Cancelled: ")."""
    title = title.removeprefix("Cancelled: ")
    return any(title.startswith(f"{label}: {label}") for label in EVENT_TYPE_LABELS.values())


def test_example_feeds_parse_and_say_each_type_once(example_site: BuiltSite) -> None:
    feeds = rss_files(example_site)
    assert len(feeds) > 5
    event_titles = []
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "rss20"
        for entry in parsed.entries:
            # One round of XML escaping: a reader shows "&", never "&amp;".
            for text in (entry.title, entry.summary):
                assert "&amp;" not in text and "&lt;" not in text, f"{path}: {text}"
                assert not repeats_a_type(text), f"{path}: {text}"
            if "/events/" in entry.link:
                event_titles.append(entry.title)
    # The issue's own examples, as readers show them now.
    assert any(t.startswith("Lunch & learn: the weekly one-to-one that people look forward to (") for t in event_titles)
    assert any(t.startswith("Cancelled: Lunch & learn: coaching in a busy support queue (") for t in event_titles)
    assert any(t.startswith("Workshop: the stay conversation (") for t in event_titles)


def test_json_feeds_are_json_feed_1_1_at_their_own_url(example_site: BuiltSite) -> None:
    for rss_path in rss_files(example_site):
        json_path = rss_path.with_name("feed.json")
        document = json.loads(json_path.read_bytes())
        uri = site_uri(example_site, json_path)
        # Required by JSON Feed 1.1: version, title, items; each item an id and content.
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert isinstance(document["title"], str) and document["title"]
        assert isinstance(document["items"], list)
        assert document["feed_url"] == urljoin(SITE_URL, uri), uri
        assert document["home_page_url"] == urljoin(SITE_URL, uri.removesuffix("feed.json")), uri
        rss = feedparser.parse(rss_path.read_bytes())
        assert rss.feed.title == document["title"]
        assert [entry.link for entry in rss.entries] == [item["url"] for item in document["items"]]
        assert [entry.title for entry in rss.entries] == [item["title"] for item in document["items"]]
        for item in document["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item.get("content_html") or item.get("content_text"), item["id"]
            assert dt.datetime.fromisoformat(item["date_published"].replace("Z", "+00:00")).tzinfo is not None
            assert not repeats_a_type(item["title"]) and "&amp;" not in item["title"], item["title"]


def alternates(site: BuiltSite, page: Path) -> list[tuple[str, str, str]]:
    """(type, href resolved against the page's URL, title) of each feed link in the page's head."""
    soup = site.html(site_uri(site, page))
    page_url = urljoin(SITE_URL, site_uri(site, page).removesuffix("index.html"))
    return [
        (link["type"], urljoin(page_url, link["href"]), link.get("title", ""))
        for link in soup.head.find_all("link", rel="alternate")
        if link.get("type") in (RSS, JSON_FEED)
    ]


def test_every_page_with_an_rss_feed_advertises_its_json_twin(example_site: BuiltSite) -> None:
    pages_with_feeds = 0
    for page in sorted(example_site.site_dir.rglob("index.html")):
        links = alternates(example_site, page)
        rss = [href for kind, href, _ in links if kind == RSS]
        json_feeds = [href for kind, href, _ in links if kind == JSON_FEED]
        assert [re.sub(r"feed\.xml$", "feed.json", href) for href in rss] == json_feeds, page
        for href in rss + json_feeds:
            target = example_site.site_dir / urlsplit(href).path.lstrip("/")
            assert target.is_file(), f"{page} advertises {href}, which is not in the site"
        assert all(title for _, _, title in links), page
        pages_with_feeds += bool(rss)
    # Home, campaigns, events, each campaign, event and leader page.
    assert pages_with_feeds > 20


def test_a_title_that_does_not_say_its_type_gets_it_in_the_feed(build_portal: BuildPortal) -> None:
    campaign = MINIMAL_CAMPAIGN + EVENT.replace("title: Lunch and learn", "title: The weekly one-to-one")
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": campaign})
    titles = [entry.title for entry in feedparser.parse(site.path("feed.xml").read_bytes()).entries]
    assert any(title.startswith("Lunch & learn: The weekly one-to-one (") for title in titles), titles


@pytest.mark.parametrize(
    ("title", "typed"),
    [
        ("Workshop: the stay conversation", "Workshop: the stay conversation"),
        ("workshop - pricing", "workshop - pricing"),
        ("Lunch and learn: coaching", "Lunch and learn: coaching"),
        ("Lunch & learn: coaching", "Lunch & learn: coaching"),
        ("Coaching over lunch", "Lunch & learn: Coaching over lunch"),
        ("Lunchtime talk", "Lunch & learn: Lunchtime talk"),
    ],
)
def test_typed_title(title: str, typed: str) -> None:
    event = Event(
        id="e",
        title=title,
        type="workshop" if title.lower().startswith("workshop") else "lunch-and-learn",
        local_start=dt.datetime(2027, 1, 20, 12, 30),  # noqa: DTZ001
        timezone="Europe/London",
        duration=60,
        hosts=("amara-okafor",),
        source=SourceRef("campaigns/x.yml", 1),
        location="HQ",
    )
    assert event.typed_title == typed


def test_the_site_feed_carries_the_newest_items_up_to_site_feed_items(
    example_site: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site feed is cut to the newest ``site_feed_items``, RSS and JSON alike; other feeds are not."""
    full_rss = feedparser.parse(example_site.path("feed.xml").read_bytes()).entries
    full_json = json.loads(example_site.path("feed.json").read_text(encoding="utf-8"))["items"]
    assert 3 < len(full_rss) <= 100  # the example's site feed is whole under the default of 100
    root = prepare_project(tmp_path / "capped", example=True)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("      campaigns_dir: campaigns\n") == 1
    config.write_text(
        text.replace("      campaigns_dir: campaigns\n", "      campaigns_dir: campaigns\n      site_feed_items: 3\n"),
        encoding="utf-8",
    )
    monkeypatch.setenv("PORTAL_NOW", EXAMPLE_NOW)
    capped = build_project(root)
    assert capped.warnings == []

    rss = feedparser.parse(capped.path("feed.xml").read_bytes())
    assert not rss.bozo
    assert [entry.id for entry in rss.entries] == [entry.id for entry in full_rss[:3]]
    kept = [entry.published_parsed for entry in rss.entries]
    assert all(kept[-1] >= entry.published_parsed for entry in full_rss[3:])  # none left out is newer
    items = json.loads(capped.path("feed.json").read_text(encoding="utf-8"))["items"]
    assert [item["id"] for item in items] == [item["id"] for item in full_json[:3]]
    # Campaign and leader feeds keep every item.
    for path in rss_files(example_site):
        uri = site_uri(example_site, path)
        if uri != "feed.xml":
            assert capped.path(uri).read_bytes() == path.read_bytes(), uri

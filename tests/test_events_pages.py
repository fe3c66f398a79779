"""The events list: upcoming first, grouped by month, in pages; past events on their own pages;
cancelled events marked and never "next"; every event page with its calendar links; times with
their zone's usual abbreviation. Built from real sites and read with BeautifulSoup."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from campaign_portal.load import load_portal
from campaign_portal.publishing import select_public
from campaign_portal.rules import dates, urls
from campaign_portal.rules.schedule import event_order

from conftest import LEADERS_YML, MINIMAL_CAMPAIGN, PROJECT_ROOT, BuildPortal, BuiltSite, build_project, prepare_project

# About what a phone on a slow connection opens in a second or two; issue 15 sets the bar.
PAGE_BYTES_LIMIT = 300_000


@pytest.fixture(scope="module")
def bench_generate() -> ModuleType:
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    return importlib.import_module("bench.generate")


def generated_site(root: Path, bench_generate: ModuleType, campaigns: int, per_page: int | None) -> BuiltSite:
    prepare_project(root)
    bench_generate.generate(root / "campaigns", campaigns=campaigns, seed=2)
    if per_page is not None:
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert "      campaigns_dir: campaigns\n" in text
        config.write_text(
            text.replace(
                "      campaigns_dir: campaigns\n",
                f"      campaigns_dir: campaigns\n      events_per_page: {per_page}\n",
            ),
            encoding="utf-8",
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_NOW", bench_generate.BENCH_NOW_TEXT)
        site = build_project(root)
    assert site.warnings == []
    return site


def list_pages(site: BuiltSite, first: str) -> list[str]:
    """The URIs of a paged list, following its rel=next links from the first page."""
    pages = [first]
    while True:
        link = site.content(pages[-1]).select_one(".portal-pager a[rel=next]")
        if link is None:
            return pages
        pages.append(_normal(pages[-1], str(link["href"])))


def _normal(page: str, href: str) -> str:
    """The site URI a relative link on ``page`` points to."""
    parts = [part for part in page.split("/") if part]
    for part in href.split("/"):
        if part == "..":
            parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts) + "/"


def event_links(site: BuiltSite, uri: str) -> list[str]:
    return [_normal(uri, str(a["href"])) for a in site.content(uri).select(".portal-event-month .portal-card__link")]


def test_events_are_paged_by_month_upcoming_first_and_past_apart(tmp_path: Path, bench_generate: ModuleType) -> None:
    site = generated_site(tmp_path / "project", bench_generate, campaigns=30, per_page=15)
    public = select_public(load_portal(tmp_path / "project" / "campaigns").portal, bench_generate.BENCH_NOW)
    pairs = sorted(((c, e) for c in public.campaigns.values() for e in c.events), key=lambda pair: event_order(*pair))
    now = bench_generate.BENCH_NOW
    upcoming = [urls.event_uri(c, e) for c, e in pairs if e.ends > now]
    past = [urls.event_uri(c, e) for c, e in reversed(pairs) if e.ends <= now]
    assert len(upcoming) > 30 and len(past) > 30, "the data set should need several pages of each"

    upcoming_pages = list_pages(site, "events/")
    past_pages = list_pages(site, "events/past/")
    assert upcoming_pages[:3] == ["events/", "events/page/2/", "events/page/3/"]
    assert past_pages[:2] == ["events/past/", "events/past/page/2/"]
    assert len(upcoming_pages) == -(-len(upcoming) // 15) and len(past_pages) == -(-len(past) // 15)
    # Every event exactly once, in order: soonest first, then past ones latest first.
    assert [link for uri in upcoming_pages for link in event_links(site, uri)] == upcoming
    assert [link for uri in past_pages for link in event_links(site, uri)] == past
    for uri in upcoming_pages + past_pages:
        content = site.content(uri)
        assert len(content.select(".portal-event-card")) <= 15
        # Each month heading heads the events that start in that month, in the event's own zone.
        for month in content.select(".portal-event-month"):
            label = month.select_one("h2").get_text(strip=True)
            for time in month.select("time.portal-when"):
                assert dates.month_label(dt.datetime.fromisoformat(str(time["datetime"]))) == label
        assert content.select_one(".portal-pager [aria-current=page]").get_text(strip=True) == str(
            (upcoming_pages if uri in upcoming_pages else past_pages).index(uri) + 1
        )
    # Only the first page is in the navigation and the search index; the rest repeat event pages.
    index = (site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"location":"events/"' in index
    assert '"location":"events/past/"' not in index and '"location":"events/page/2/"' not in index
    sitemap = (site.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert "/events/past/page/2/" in sitemap


def test_no_events_page_is_over_300_kb_at_the_default_page_size(tmp_path: Path, bench_generate: ModuleType) -> None:
    site = generated_site(tmp_path / "project", bench_generate, campaigns=36, per_page=None)
    pages = sorted(site.site_dir.glob("events/**/index.html"))
    sizes = {page.relative_to(site.site_dir).as_posix(): page.stat().st_size for page in pages}
    assert len(sizes) >= 3, sizes  # upcoming, past and at least one more page
    full = [
        uri
        for uri in sizes
        if len(BeautifulSoup(site.site_dir.joinpath(uri).read_text(), "lxml").select(".portal-event-card")) == 100
    ]
    assert full, "no page holds the default 100 events: the size check would prove nothing"
    assert max(sizes.values()) < PAGE_BYTES_LIMIT, sizes


CAMPAIGN = MINIMAL_CAMPAIGN + """\
events:
  - id: cancelled-first
    title: Cancelled kick-off
    type: town-hall
    starts: 2027-01-14T09:30
    timezone: Asia/Singapore
    duration: 60
    location: Singapore office
    hosts: [amara-okafor]
    status: cancelled
  - id: singapore
    title: Coaching in Singapore
    type: workshop
    starts: 2027-01-15T09:30
    timezone: Asia/Singapore
    duration: 90
    location: Singapore office
    hosts: [amara-okafor]
  - id: london-summer
    title: Coaching in London
    type: lunch-and-learn
    starts: 2027-07-01T12:30
    timezone: Europe/London
    duration: 60
    online: https://meet.example.com/j/1
    hosts: [amara-okafor]
  - id: old-one
    title: Before it all
    type: webinar
    starts: 2026-11-02T16:00
    timezone: America/Sao_Paulo
    duration: 60
    online: https://meet.example.com/j/2
    hosts: [amara-okafor]
    recording: https://video.example.com/v/1
"""


def test_cancelled_events_are_marked_and_never_next(build_portal: BuildPortal) -> None:

    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CAMPAIGN}, now="2027-01-10T00:00:00Z")
    home = site.content("")
    next_events = home.select_one("#next-events").find_parent("section")
    assert [a.get_text(strip=True) for a in next_events.select(".portal-card__link")] == [
        "Coaching in Singapore",
        "Coaching in London",
    ]
    assert home.select_one(".portal-hero__next-title").get_text(strip=True) == "Coaching in Singapore"
    assert "Cancelled kick-off" not in home.get_text()
    events = site.content("events/")
    cards = events.select(".portal-event-card")
    assert [card.select_one("h3").get_text(strip=True) for card in cards] == [
        "Cancelled kick-off",
        "Coaching in Singapore",
        "Coaching in London",
    ]
    assert cards[0].select_one(".portal-badge--cancelled").get_text() == "Cancelled"
    assert [h2.get_text() for h2 in events.select(".portal-event-month h2")] == ["January 2027", "July 2027"]
    assert [card["data-where"] for card in cards] == ["in-person", "in-person", "online"]
    assert [card["data-type"] for card in cards] == ["town-hall", "workshop", "lunch-and-learn"]
    past = site.content("events/past/")
    assert [h3.get_text(strip=True) for h3 in past.select(".portal-event-card h3")] == ["Before it all"]


def test_times_read_in_the_events_zone_with_its_usual_abbreviation(build_portal: BuildPortal) -> None:

    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CAMPAIGN}, now="2027-01-10T00:00:00Z")
    events = site.content("events/")
    times = {
        t.find_parent("article").select_one("h3").get_text(strip=True): t for t in events.select("time.portal-when")
    }
    singapore = times["Coaching in Singapore"]
    assert singapore.get_text() == "Fri 15 Jan 2027, 09:30–11:00 SGT"
    # The hours and the zone stay together on a phone.
    assert singapore.select_one(".portal-nowrap").get_text() == "09:30–11:00 SGT"
    # The aware moments the browser needs for the reader's own time.
    start = dt.datetime.fromisoformat(str(singapore["datetime"]))
    assert start.astimezone(dt.timezone.utc) == dt.datetime(2027, 1, 15, 1, 30, tzinfo=dt.timezone.utc)
    assert dt.datetime.fromisoformat(str(singapore["data-ends"])) - start == dt.timedelta(minutes=90)
    assert singapore["data-zone"] == "Asia/Singapore"
    assert times["Coaching in London"].get_text() == "Thu 1 Jul 2027, 12:30–13:30 BST"
    assert site.content("events/past/").select_one("time").get_text() == "Mon 2 Nov 2026, 16:00–17:00 BRT"


@pytest.mark.parametrize(
    ("zone", "moment", "label"),
    [
        ("Europe/London", (2027, 1, 5, 12), "GMT"),
        ("Europe/London", (2027, 7, 5, 12), "BST"),
        ("America/New_York", (2027, 1, 5, 12), "EST"),
        ("America/New_York", (2027, 7, 5, 12), "EDT"),
        ("Asia/Singapore", (2027, 1, 5, 12), "SGT"),
        ("Asia/Kolkata", (2027, 1, 5, 12), "IST"),
        ("Australia/Sydney", (2027, 1, 5, 12), "AEDT"),
        # Before 1982 Singapore kept UTC+7:30: the usual name would be wrong, the offset is clear.
        ("Asia/Singapore", (1975, 1, 5, 12), "UTC+7:30"),
        ("Asia/Kathmandu", (2027, 1, 5, 12), "UTC+5:45"),
        ("America/Noronha", (2027, 1, 5, 12), "UTC-2"),
        ("UTC", (2027, 1, 5, 12), "UTC"),
    ],
)
def test_zone_labels(zone: str, moment: tuple[int, int, int, int], label: str) -> None:
    assert dates.zone_label(dt.datetime(*moment, tzinfo=ZoneInfo(zone))) == label


def test_every_event_page_keeps_its_calendar_links(build_portal: BuildPortal) -> None:

    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CAMPAIGN}, now="2027-01-10T00:00:00Z")
    past = site.content("campaigns/coaching/events/old-one/")
    links = [a.get_text(strip=True) for a in past.select(".portal-calendar-actions a")]
    assert links == ["Download .ics (Outlook, Apple)", "Google Calendar", "Outlook on the web"]
    assert (
        past.select_one(".portal-calendar-actions a")["href"]
        == "../../../../campaigns/coaching/events/old-one/event.ics"
    )
    assert site.exists("campaigns/coaching/events/old-one/event.ics")
    cancelled = site.content("campaigns/coaching/events/cancelled-first/")
    assert [a.get_text(strip=True) for a in cancelled.select(".portal-calendar-actions a")] == [
        "Download the cancellation (.ics)"
    ]
    upcoming = site.content("campaigns/coaching/events/singapore/")
    assert len(upcoming.select(".portal-calendar-actions a")) == 3


def test_a_site_without_events_says_so_on_both_lists(build_portal: BuildPortal) -> None:

    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": MINIMAL_CAMPAIGN})
    assert "No upcoming events yet" in site.content("events/").get_text()
    assert "No event has taken place yet" in site.content("events/past/").get_text()
    assert site.content("events/").select(".portal-pager, form") == []


def test_project_example_builds_the_past_events_page() -> None:
    # The URL table of the format reference lists the new pages.
    reference = (PROJECT_ROOT / "content" / "format.md").read_text(encoding="utf-8")
    assert "| `/events/past/` |" in reference and "`/events/page/<n>/`" in reference

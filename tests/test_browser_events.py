"""The events list in a real browser: its filters, the reader's own time beside the event's, and
both after Material's instant navigation; without JavaScript, everything shows as built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from test_browser import OpenTab, open_tab  # noqa: F401 - the fixture, used by name

from conftest import BuiltSite, build_at, prepare_project, set_site_url

NOW = "2027-01-12T09:00:00Z"

LEADERS = """\
amara-okafor:
  name: Amara Okafor
  title: Chief Operating Officer
"""


def campaign(title: str, events: str) -> str:
    return f"""\
title: {title}
summary: A campaign.
starts: 2027-01-11
business_case:
  problem: A problem.
  outcome: An outcome.
events:
{events}"""


def event(
    event_id: str, kind: str, starts: str, zone: str, *, location: str = "", online: str = "", extra: str = ""
) -> str:
    lines = [
        f"  - id: {event_id}",
        f"    title: {event_id.replace('-', ' ').capitalize()}",
        f"    type: {kind}",
        f"    starts: {starts}",
        f"    timezone: {zone}",
        "    duration: 60",
        "    hosts: [amara-okafor]",
    ]
    if location:
        lines.append(f"    location: {location}")
    if online:
        lines.append(f"    online: {online}")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


CAMPAIGNS = {
    "leaders.yml": LEADERS,
    "coaching.yml": campaign(
        "Coaching",
        event("singapore-workshop", "workshop", "2027-01-20T09:30", "Asia/Singapore", location="Singapore office")
        + event(
            "new-york-lunch",
            "lunch-and-learn",
            "2027-01-20T12:00",
            "America/New_York",
            location="NY",
            online="https://meet.example.com/a",
        )
        + event("london-webinar", "webinar", "2027-02-03T16:00", "Europe/London", online="https://meet.example.com/b"),
    ),
    "selling.yml": campaign(
        "Selling",
        event("selling-webinar", "webinar", "2027-02-10T17:00", "Europe/London", online="https://meet.example.com/c")
        + event("selling-town-hall", "town-hall", "2027-03-01T10:00", "Europe/Berlin", location="Berlin office")
        + event("old-town-hall", "town-hall", "2026-12-01T10:00", "Europe/Berlin", location="Berlin office"),
    ),
}


def build(root: Path, *, site_url: str | None = None, site_dir: Path | None = None, per_page: int = 3) -> BuiltSite:
    prepare_project(root, CAMPAIGNS)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "      campaigns_dir: campaigns\n", f"      campaigns_dir: campaigns\n      events_per_page: {per_page}\n"
    )
    config.write_text(text, encoding="utf-8")
    if site_url is not None:
        set_site_url(root, site_url)
    return build_at(root, NOW, site_dir=site_dir)


@pytest.fixture(scope="module")
def events_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build(tmp_path_factory.mktemp("events-portal"), per_page=10)


@pytest.mark.browser
def test_filters_narrow_the_list_and_without_javascript_everything_shows(
    events_site: BuiltSite,
    serve_directory: Any,
    open_tab: OpenTab,  # noqa: F811
) -> None:
    base_url = serve_directory(events_site.site_dir)
    tab = open_tab(base_url, timezone_id="Asia/Singapore")
    tab.open("events/")
    page = tab.page
    titles = page.locator(".portal-event-card:visible h3")
    everything = ["Singapore workshop", "New york lunch", "London webinar", "Selling webinar", "Selling town hall"]
    expect(titles).to_have_text(everything)
    status = page.locator(".portal-filter__status")
    expect(status).to_have_text("Showing all 5 events")

    page.get_by_label("Where", exact=True).select_option(label="Online")
    expect(titles).to_have_text(["New york lunch", "London webinar", "Selling webinar"])
    page.get_by_label("Type", exact=True).select_option(label="Webinar")
    expect(titles).to_have_text(["London webinar", "Selling webinar"])
    expect(status).to_have_text("Showing 2 of 5 events")
    page.get_by_label("Campaign", exact=True).select_option(label="Selling")
    expect(titles).to_have_text(["Selling webinar"])
    # Months without a match disappear with their heading.
    expect(page.locator(".portal-event-month:visible h2")).to_have_text(["February 2027"])
    assert page.url.endswith("events/?type=webinar&campaign=selling&where=online")

    page.get_by_label("Where", exact=True).select_option(label="In person")
    expect(titles).to_have_count(0)
    expect(page.locator(".portal-event-filter__none")).to_be_visible()
    page.get_by_label("Type", exact=True).select_option(label="All types")
    page.get_by_label("Campaign", exact=True).select_option(label="All campaigns")
    expect(titles).to_have_text(["Singapore workshop", "New york lunch", "Selling town hall"])

    # A filtered address opens filtered.
    tab.open("events/?type=town-hall")
    expect(page.get_by_label("Type", exact=True)).to_have_value("town-hall")
    expect(titles).to_have_text(["Selling town hall"])

    plain = open_tab(base_url, java_script_enabled=False)
    plain.open("events/")
    expect(plain.page.locator("form[data-portal-event-filter]")).to_be_hidden()
    expect(plain.page.locator(".portal-event-card:visible h3")).to_have_text(everything)
    assert tab.outside_requests == [] and tab.console_errors == [] and tab.page_errors == []


@pytest.mark.browser
def test_times_show_the_readers_own_zone_when_it_differs(
    events_site: BuiltSite,
    serve_directory: Any,
    open_tab: OpenTab,  # noqa: F811
) -> None:
    base_url = serve_directory(events_site.site_dir)
    tokyo = open_tab(base_url, timezone_id="Asia/Tokyo")
    tokyo.open("events/")
    when = tokyo.page.locator(".portal-event-card__when")
    # 12:00 in New York on 20 January is 17:00 UTC: 02:00 the next day in Tokyo.
    expect(when.nth(1)).to_have_text("Wed 20 Jan 2027, 12:00–13:00 EST · Thu 21 Jan, 02:00–03:00 in your time zone")
    # 09:30 in Singapore is 10:30 the same day in Tokyo.
    expect(when.nth(0)).to_have_text("Wed 20 Jan 2027, 09:30–10:30 SGT · 10:30–11:30 in your time zone")
    tokyo.open("campaigns/coaching/events/london-webinar/")
    expect(tokyo.page.locator(".portal-facts .portal-local-time")).to_have_text(
        "Thu 4 Feb, 01:00–02:00 in your time zone"
    )

    # A reader in the event's own zone, or at the same offset, sees it once.
    singapore = open_tab(base_url, timezone_id="Asia/Singapore")
    singapore.open("events/")
    expect(singapore.page.locator(".portal-event-card__when").nth(0)).to_have_text("Wed 20 Jan 2027, 09:30–10:30 SGT")
    expect(singapore.page.locator(".portal-event-card__when").nth(1)).to_have_text(
        "Wed 20 Jan 2027, 12:00–13:00 EST · Thu 21 Jan, 01:00–02:00 in your time zone"
    )
    lisbon = open_tab(base_url, timezone_id="Europe/Lisbon")
    lisbon.open("events/")
    expect(lisbon.page.locator(".portal-event-card__when").nth(2)).to_have_text("Wed 3 Feb 2027, 16:00–17:00 GMT")

    plain = open_tab(base_url, java_script_enabled=False, timezone_id="Asia/Tokyo")
    plain.open("events/")
    expect(plain.page.locator(".portal-event-card__when").nth(1)).to_have_text("Wed 20 Jan 2027, 12:00–13:00 EST")


@pytest.mark.browser
def test_times_never_wrap_apart_on_a_phone(
    events_site: BuiltSite,
    serve_directory: Any,
    open_tab: OpenTab,  # noqa: F811
) -> None:
    tab = open_tab(
        serve_directory(events_site.site_dir),
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        timezone_id="Asia/Tokyo",
    )
    tab.open("events/")
    # Each run of hours with its zone sits on one line, however the rest wraps.
    heights = tab.page.eval_on_selector_all(
        ".portal-event-card .portal-nowrap",
        "spans => spans.map(span => span.getClientRects().length)",
    )
    assert heights and set(heights) == {1}
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
def test_paged_lists_keep_the_filter_and_work_with_instant_navigation(
    tmp_path: Path,
    serve_directory: Any,
    open_tab: OpenTab,  # noqa: F811
) -> None:
    site_dir = tmp_path / "served"
    site_dir.mkdir()
    base_url = serve_directory(site_dir)
    build(tmp_path / "project", site_url=base_url, site_dir=site_dir, per_page=3)
    tab = open_tab(base_url, timezone_id="Asia/Tokyo")
    page = tab.page
    tab.open("")
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-tabs").get_by_role("link", name="Events").click()
    page.wait_for_url(base_url + "events/")
    expect(page.locator("form[data-portal-event-filter]")).to_be_visible()
    expect(page.locator(".portal-local-time").first).to_contain_text("in your time zone")
    page.get_by_label("Type", exact=True).select_option(label="Webinar")
    expect(page.locator(".portal-event-card:visible h3")).to_have_text(["London webinar"])
    expect(page.locator(".portal-filter__status")).to_have_text("Showing 1 of 3 events on this page")

    page.get_by_role("navigation", name="Pages of upcoming events").get_by_role("link", name="Later").click()
    page.wait_for_url(base_url + "events/page/2/?type=webinar")
    expect(page.get_by_label("Type", exact=True)).to_have_value("webinar")
    expect(page.locator(".portal-event-card:visible h3")).to_have_text(["Selling webinar"])
    expect(page.locator(".portal-local-time").first).to_contain_text("in your time zone")

    page.get_by_role("link", name="Past 1").click()
    page.wait_for_url(base_url + "events/past/")
    expect(page.locator(".portal-event-card h3")).to_have_text(["Old town hall"])
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded, not swapped in"
    assert tab.outside_requests == [] and tab.console_errors == [] and tab.page_errors == []

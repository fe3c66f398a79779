"""What people click, in a real browser: Debian's Chromium driven by Playwright.

Most tests use a small portal built here, whose every message is known to the letter, so the
clipboard, the email drafts and the search can be checked for exact values. The example portal
(``example_site``) is used where breadth matters: every page type is loaded and checked for
console errors, requests leaving the machine, accessibility and phone layout.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ElementHandle, Locator, Page, Request, Route, expect

from conftest import BuiltSite, build_at, prepare_project, set_site_url

FIXTURE_NOW = "2027-01-12T09:00:00Z"

FIXTURE_LEADERS = """\
amara-okafor:
  name: Amara Okafor
  title: Chief Operating Officer
  division: Operations
  photo: assets/leaders/amara.svg
  email: amara.okafor@example.com
daniel-kim:
  name: Daniel Kim
  title: Chief Technology Officer
"""

# The title and subject carry "&" and "<": the clipboard must get them as typed, not as entities.
FIXTURE_COACHING = """\
title: Coaching & Growth
summary: |
  Warehouse supervisors practise three coaching conversations, from the
  stocktake huddle to the **stay conversation**.
starts: 2027-01-11
ends: 2027-03-26
audience: Frontline people managers
tags: [coaching, management]
sponsors: [amara-okafor]
business_case:
  problem: Regretted attrition is 14%.
  outcome: Cut it to 10%.
kpis:
  - name: Regretted attrition
    unit: "%"
    baseline: 14
    target: 10
    current: 12.5
    better: lower
messages:
  - id: kickoff
    title: Kick-off announcement
    leaders: [amara-okafor, daniel-kim]
    subject: "Why {{ campaign.title }} matters <to me>"
    body: |
      Hi team,

      **{{ campaign.title }}** starts today. Read the [campaign page]({{ campaign.url }}).

      {{ leader.first_name }}
    short: "{{ campaign.title }} starts today: {{ campaign.url }}"
testimonials:
  - leader: daniel-kim
    date: 2027-01-11
    quote: The first huddle changed how my team plans.
events:
  - id: huddle-lunch
    title: Huddles that stick
    type: lunch-and-learn
    starts: 2027-01-20T12:00
    timezone: America/New_York
    duration: 60
    location: New York office, 28th floor
    online: https://meet.example.com/j/huddle
    hosts: [amara-okafor]
    registration: https://forms.example.com/huddle
  - id: town-hall
    title: Why coaching
    type: town-hall
    starts: 2027-01-25T16:00
    timezone: Europe/London
    duration: 45
    location: London HQ
    hosts: [daniel-kim]
    status: cancelled
"""

FIXTURE_SELLING = """\
title: Consultative Selling
summary: Account executives learn discovery that finds the cost of doing nothing.
starts: 2027-03-01
tags: [sales, coaching]
business_case:
  problem: Win rate is 18%.
  outcome: Raise it to 25%.
"""

FIXTURE_PHOTO = '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="#3f51b5"/></svg>\n'

KICKOFF_SUBJECT = "Why Coaching & Growth matters <to me>"
KICKOFF_TEXT = (
    "Hi team,\n\n"
    "Coaching & Growth starts today. Read the campaign page (https://learning.example.com/campaigns/coaching/).\n\n"
    "Amara"
)
KICKOFF_HTML = (
    "<p>Hi team,</p>\n"
    "<p><strong>Coaching &amp; Growth</strong> starts today. Read the "
    '<a href="https://learning.example.com/campaigns/coaching/" rel="noopener noreferrer">campaign page</a>.</p>\n'
    "<p>Amara</p>"
)
# What portal.js puts around the message so that Outlook does not paste it in Times New Roman.
RICH_TEXT_WRAPPER = '<div style="font-family: Aptos, Calibri, Arial, Helvetica, sans-serif; font-size: 11pt;">{}</div>'
KICKOFF_CHAT = "Coaching & Growth starts today: https://learning.example.com/campaigns/coaching/"

READ_CLIPBOARD = """async () => {
  const flavours = {};
  for (const item of await navigator.clipboard.read()) {
    for (const type of item.types) {
      flavours[type] = await (await item.getType(type)).text();
    }
  }
  return flavours;
}"""

# Elements wider than the viewport, unless a scrolling or clipping box around them holds them.
OVERFLOWING_ELEMENTS = """() => {
  const limit = document.documentElement.clientWidth + 0.5;
  const clipped = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(box).overflowX)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll(".md-content *")]
    .filter((element) => element.getClientRects().length && element.getBoundingClientRect().right > limit)
    .filter((element) => !clipped(element))
    .map((element) => element.tagName.toLowerCase() + "." + [...element.classList].join("."));
}"""


def build_fixture_portal(root: Path, *, site_url: str | None = None, site_dir: Path | None = None) -> BuiltSite:
    """The small portal of this module, optionally with ``site_url`` pointing where it is served."""
    prepare_project(
        root,
        {"leaders.yml": FIXTURE_LEADERS, "coaching.yml": FIXTURE_COACHING, "selling.yml": FIXTURE_SELLING},
        content={"assets/leaders/amara.svg": FIXTURE_PHOTO},
    )
    if site_url is not None:
        set_site_url(root, site_url)
    return build_at(root, FIXTURE_NOW, site_dir=site_dir)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_fixture_portal(tmp_path_factory.mktemp("browser-portal"))


@dataclass
class Tab:
    """One page in its own browser context, with everything that went wrong on the way."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def open(self, uri: str, *, settle: bool = True) -> None:
        """Load a page; with ``settle``, also wait until the network is idle, so late errors show."""
        response = self.page.goto(self.base_url + uri)
        assert response is not None and response.status == 200, f"{uri}: {response and response.status}"
        if settle:
            self.page.wait_for_load_state("networkidle")

    def read_clipboard(self) -> dict[str, str]:
        flavours: dict[str, str] = self.page.evaluate(READ_CLIPBOARD)
        return flavours

    def clear_clipboard(self) -> None:
        self.page.evaluate("navigator.clipboard.writeText('(nothing copied)')")

    def copy(self, scope: Locator, name: str) -> dict[str, str]:
        """Click the copy button called ``name`` in ``scope``; return what landed on the clipboard."""
        self.clear_clipboard()
        button = scope.get_by_role("button", name=name, exact=True).element_handle()
        button.click()
        wait_until_copied(button)
        assert button.inner_text() == "Copied"
        return self.read_clipboard()


def wait_until_copied(button: ElementHandle) -> None:
    button.wait_for_element_state("stable")
    button.owner_frame().wait_for_function(  # type: ignore[union-attr]
        "button => button.classList.contains('portal-copy--done') || button.classList.contains('portal-copy--failed')",
        arg=button,
    )
    assert "portal-copy--done" in (button.get_attribute("class") or ""), "the copy failed"


OpenTab = Callable[..., Tab]


@pytest.fixture
def open_tab(chromium: Any) -> Iterator[OpenTab]:
    """Open a tab on a served site: clipboard allowed, anything not on 127.0.0.1 blocked and recorded."""
    contexts: list[BrowserContext] = []

    def open_(base_url: str, **options: Any) -> Tab:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(**options)
        contexts.append(context)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
        page = context.new_page()
        tab = Tab(page, base_url)

        def route(route: Route, request: Request) -> None:
            parts = urlsplit(request.url)
            if parts.scheme in ("data", "blob") or parts.hostname == "127.0.0.1":
                route.continue_()
            else:
                tab.outside_requests.append(request.url)
                route.abort()

        context.route("**/*", route)
        page.on(
            "console",
            lambda message: message.type == "error" and tab.console_errors.append(f"{page.url}: {message.text}"),
        )
        page.on("pageerror", lambda error: tab.page_errors.append(f"{page.url}: {error}"))
        return tab

    yield open_
    for context in contexts:
        context.close()


# -- the leader kit ---------------------------------------------------------------------------------


@pytest.mark.browser
def test_copy_buttons_put_the_exact_message_on_the_clipboard(
    fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(fixture_site.site_dir))
    tab.open("leaders/amara-okafor/")
    message = tab.page.locator("#coaching--kickoff")

    assert tab.copy(message, "Copy subject") == {"text/plain": KICKOFF_SUBJECT}
    assert tab.copy(message, "Copy message (plain text)") == {"text/plain": KICKOFF_TEXT}
    assert tab.copy(message, "Copy message (formatted)") == {
        "text/html": RICH_TEXT_WRAPPER.format(KICKOFF_HTML),
        "text/plain": KICKOFF_TEXT,
    }
    assert tab.copy(message, "Copy chat version") == {"text/plain": KICKOFF_CHAT}

    # Each button said "Copied"; a status region tells screen-reader users too, and the labels come back.
    expect(tab.page.locator("#portal-copy-status")).to_have_text("Copied chat version")
    expect(message.locator(".portal-copy--done")).to_have_count(0, timeout=5000)
    expect(message.get_by_role("button", name="Copy chat version", exact=True)).to_be_visible()
    assert tab.console_errors == [] and tab.page_errors == []


@pytest.mark.browser
def test_copy_works_without_the_async_clipboard(
    fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    """A plain-http intranet is not a secure context: there is no navigator.clipboard there."""
    tab = open_tab(serve_directory(fixture_site.site_dir))
    tab.open("leaders/amara-okafor/")
    tab.clear_clipboard()
    insecure = tab.page.context.new_page()
    insecure.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });")
    insecure.goto(tab.base_url + "leaders/amara-okafor/")
    assert insecure.evaluate("navigator.clipboard === undefined")

    button = (
        insecure.locator("#coaching--kickoff").get_by_role("button", name="Copy message (formatted)").element_handle()
    )
    button.click()
    wait_until_copied(button)

    assert tab.read_clipboard() == {"text/html": RICH_TEXT_WRAPPER.format(KICKOFF_HTML), "text/plain": KICKOFF_TEXT}


@pytest.mark.browser
def test_reminders_copy_with_the_event_time_in_its_own_zone(
    fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(fixture_site.site_dir))
    tab.open("leaders/amara-okafor/")
    day_before = tab.page.locator("#coaching--huddle-lunch--day-before")
    morning_of = tab.page.locator("#coaching--huddle-lunch--morning-of")

    # A week ahead they are "coming up": one line each, folded, the kit hidden until opened.
    coming = tab.page.locator("details.portal-plan-item")
    expect(coming.locator("summary .portal-plan-item__when")).to_have_text(
        ["Send on Tue 19 Jan 2027", "Send on Wed 20 Jan 2027"]
    )
    expect(day_before).to_be_hidden()
    coming.first.locator("summary").click()
    expect(day_before).to_be_visible()
    expect(morning_of).to_be_hidden()
    coming.nth(1).locator("summary").click()
    expect(day_before.locator(".portal-message__campaign")).to_have_text(
        "Wed 20 Jan 2027, 12:00–13:00 EST · Coaching & Growth"
    )

    assert tab.copy(day_before, "Copy subject") == {"text/plain": "Tomorrow: Huddles that stick"}
    assert tab.copy(day_before, "Copy message (plain text)") == {
        "text/plain": "Hi all,\n\n"
        "A reminder that tomorrow I'm hosting Huddles that stick, part of Coaching & Growth.\n\n"
        "- When: Wednesday 20 January 2027, 12:00 EST\n"
        "- Where: New York office, 28th floor\n"
        "- Join online: https://meet.example.com/j/huddle\n"
        "- Save your place: https://forms.example.com/huddle\n\n"
        "Details: https://learning.example.com/campaigns/coaching/events/huddle-lunch/\n\n"
        "I hope to see you there.\n\n"
        "Amara"
    }
    assert tab.copy(day_before, "Copy chat version") == {
        "text/plain": "Tomorrow 12:00 EST: Huddles that stick. Join me: https://learning.example.com/campaigns/coaching/events/huddle-lunch/"
    }
    assert tab.copy(morning_of, "Copy subject") == {"text/plain": "Today at 12:00 EST: Huddles that stick"}
    morning_html = (
        "<p>Good morning,</p>\n"
        "<p>Today at 12:00 EST I'm hosting <strong>Huddles that stick</strong>. It's 60 minutes well spent.</p>\n"
        "<ul>\n<li>Where: New York office, 28th floor</li>\n"
        '<li>Join online: <a href="https://meet.example.com/j/huddle" rel="noopener noreferrer">'
        "https://meet.example.com/j/huddle</a></li>\n</ul>\n"
        '<p>Details: <a href="https://learning.example.com/campaigns/coaching/events/huddle-lunch/" '
        'rel="noopener noreferrer">https://learning.example.com/campaigns/coaching/events/huddle-lunch/</a></p>\n'
        "<p>Amara</p>"
    )
    morning_text = (
        "Good morning,\n\n"
        "Today at 12:00 EST I'm hosting Huddles that stick. It's 60 minutes well spent.\n\n"
        "- Where: New York office, 28th floor\n"
        "- Join online: https://meet.example.com/j/huddle\n\n"
        "Details: https://learning.example.com/campaigns/coaching/events/huddle-lunch/\n\n"
        "Amara"
    )
    assert tab.copy(morning_of, "Copy message (formatted)") == {
        "text/html": RICH_TEXT_WRAPPER.format(morning_html),
        "text/plain": morning_text,
    }
    assert tab.copy(morning_of, "Copy chat version") == {
        "text/plain": "Today 12:00 EST: Huddles that stick. https://meet.example.com/j/huddle"
    }


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_to_send_now_comes_first_and_above_the_fold(
    viewport: dict[str, int], fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(fixture_site.site_dir), viewport=viewport)
    tab.open("leaders/amara-okafor/")
    headings = tab.page.locator("article h2")
    expect(headings.first).to_have_text("To send now")
    expect(headings).to_contain_text(["To send now", "Coming up", "Events Amara hosts"])
    # The heading and the first message's send-by date are on the first screen, without scrolling.
    send_by = tab.page.locator("#coaching--kickoff .portal-message__send-on")
    expect(send_by).to_have_text("Send by Wednesday 20 January 2027, 12:00 EST")
    box = send_by.bounding_box()
    assert box is not None and box["y"] + box["height"] <= viewport["height"], box
    # The open kit is a full card: its copy buttons are there without opening anything.
    expect(tab.page.locator("#coaching--kickoff").get_by_role("button", name="Copy subject")).to_be_visible()


@pytest.mark.browser
def test_the_leader_page_has_no_serious_accessibility_violations_open_or_folded(
    fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(fixture_site.site_dir))
    tab.open("leaders/amara-okafor/")
    axe = Axe()
    found: list[str] = []
    for state in ("folded", "open"):
        if state == "open":
            folded = tab.page.locator("details:not([open]) > summary")
            while folded.count():
                folded.first.click()
            expect(tab.page.locator("#coaching--huddle-lunch--morning-of")).to_be_visible()
            # Opening items scrolls the page, and Material fades its tabs out on scroll: judge the
            # settled page, not a frame of that transition (half-faded text fails any contrast check).
            tab.page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
        for violation in axe.run(tab.page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                found.append(f"{state}: {violation['id']} at {[node['target'] for node in violation['nodes']][:3]}")
    assert found == []


@pytest.mark.browser
def test_email_drafts_open_as_mailto_and_download_as_unsent_eml(
    fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(fixture_site.site_dir))
    tab.open("leaders/amara-okafor/")
    message = tab.page.locator("#coaching--kickoff")

    mailto = message.get_by_role("link", name="Open as email draft").get_attribute("href") or ""
    parts = urlsplit(mailto)
    assert (parts.scheme, parts.path) == ("mailto", "")
    assert parse_qs(parts.query) == {"subject": [KICKOFF_SUBJECT], "body": [KICKOFF_TEXT.replace("\n", "\r\n")]}

    with tab.page.expect_download() as download_info:
        message.get_by_role("link", name="Download draft (.eml)").click()
    download = download_info.value
    assert download.suggested_filename == "kickoff.eml"
    draft = email.message_from_bytes(Path(download.path()).read_bytes(), policy=email.policy.default)
    assert draft["Subject"] == KICKOFF_SUBJECT
    assert draft["X-Unsent"] == "1"
    assert draft["From"] == "amara.okafor@example.com"
    assert draft.get_content_type() == "multipart/alternative"
    plain = draft.get_body(("plain",))
    html = draft.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().replace("\r\n", "\n") == KICKOFF_TEXT + "\n"  # type: ignore[attr-defined]
    assert html.get_content().replace("\r\n", "\n") == (  # type: ignore[attr-defined]
        f"<!DOCTYPE html><html><body>{KICKOFF_HTML}</body></html>\n"
    )
    assert tab.console_errors == [] and tab.page_errors == []


@pytest.mark.browser
def test_leader_page_shows_a_photo_or_initials_testimonials_and_hosted_events(
    fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(fixture_site.site_dir))
    tab.open("leaders/amara-okafor/")
    photo = tab.page.locator(".portal-profile img.portal-avatar")
    expect(photo).to_have_attribute("src", tab.base_url + "assets/leaders/amara.svg")
    assert photo.evaluate("image => image.complete && image.naturalWidth") == 96
    expect(tab.page.locator("#events ~ .portal-plan-events a")).to_have_text(["Huddles that stick"])

    tab.open("leaders/daniel-kim/")
    expect(tab.page.locator(".portal-profile .portal-avatar--initials")).to_have_text("DK")
    expect(tab.page.locator(".portal-profile img")).to_have_count(0)
    expect(tab.page.locator("#testimonials ~ .portal-grid blockquote")).to_have_text(
        ["The first huddle changed how my team plans."]
    )
    expect(tab.page.locator("#coaching--kickoff .portal-message__body")).to_have_text(
        "Hi team, Coaching & Growth starts today. Read the campaign page. Daniel"
    )
    assert tab.console_errors == [] and tab.page_errors == []


# -- the portal --------------------------------------------------------------------------------------


@pytest.mark.browser
def test_event_page_adds_to_calendar_and_cancelled_events_are_marked(
    fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(fixture_site.site_dir))
    tab.open("events/")
    cards = tab.page.locator(".portal-event-month .portal-event-card")
    expect(cards.locator("h3")).to_have_text(["Huddles that stick", "Why coaching"])
    cancelled = cards.nth(1)
    expect(cancelled.locator(".portal-badge--cancelled")).to_have_text("Cancelled")
    assert cancelled.locator("h3 s").evaluate("title => getComputedStyle(title).textDecorationLine") == "line-through"

    # The whole card opens the event.
    cards.nth(0).locator(".portal-event-card__where").click(force=True)
    tab.page.wait_for_url(tab.base_url + "campaigns/coaching/events/huddle-lunch/")
    expect(tab.page.locator(".portal-facts time")).to_have_text("Wed 20 Jan 2027, 12:00–13:00 EST")
    actions = tab.page.locator(".portal-calendar-actions a")
    expect(actions).to_have_text(["Download .ics (Outlook, Apple)", "Google Calendar", "Outlook on the web"])
    google = urlsplit(actions.nth(1).get_attribute("href") or "")
    assert (google.netloc, parse_qs(google.query)["dates"]) == (
        "calendar.google.com",
        ["20270120T170000Z/20270120T180000Z"],
    )
    outlook = urlsplit(actions.nth(2).get_attribute("href") or "")
    assert (outlook.netloc, parse_qs(outlook.query)["startdt"]) == ("outlook.office.com", ["2027-01-20T17:00:00Z"])
    with tab.page.expect_download() as download_info:
        actions.nth(0).click()
    calendar = icalendar.Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Huddles that stick"
    assert event.decoded("DTSTART").isoformat() == "2027-01-20T12:00:00-05:00"

    tab.open("campaigns/coaching/events/town-hall/")
    expect(tab.page.locator(".portal-notice--cancelled")).to_contain_text("This event is cancelled.")
    expect(tab.page.locator("#add-to-calendar")).to_have_count(0)
    assert tab.outside_requests == [] and tab.console_errors == [] and tab.page_errors == []


@pytest.mark.browser
def test_campaign_page_charts_kpis_with_lower_is_better(
    fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(fixture_site.site_dir))
    tab.open("campaigns/coaching/")
    kpi = tab.page.locator(".portal-kpi")
    expect(kpi.get_by_role("img")).to_have_accessible_name(
        "Regretted attrition: from 14% towards a target of 10%, latest 12.5%. 2.5 points to go."
    )
    expect(kpi.locator(".portal-kpi__verdict")).to_have_text("2.5 points to go")
    expect(kpi.get_by_role("table")).to_have_accessible_name("Regretted attrition: the values")

    def middle(selector: str) -> float:
        box = kpi.locator(selector).bounding_box()
        assert box is not None
        return box["y"] + box["height"] / 2

    # Drawn: 14 (the baseline) above 12.5 above the target line at 10, and the target zone below that line.
    assert middle(".portal-kpi__baseline") < middle(".portal-kpi__point--latest") < middle(".portal-kpi__target")
    zone = kpi.locator(".portal-kpi__zone").bounding_box()
    target = kpi.locator(".portal-kpi__target").bounding_box()
    assert zone is not None and target is not None
    assert abs(zone["y"] - (target["y"] + target["height"] / 2)) < 2 and zone["height"] > 10
    expect(tab.page.locator(".portal-case__step h3")).to_have_text(["The problem", "The outcome we want"])


@pytest.mark.browser
def test_topic_filter_narrows_the_campaigns_page(
    fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    base_url = serve_directory(fixture_site.site_dir)
    tab = open_tab(base_url)
    tab.open("campaigns/")
    page = tab.page
    topics = page.get_by_role("list", name="Show campaigns about").get_by_role("button")
    expect(topics).to_have_text(["All topics", "coaching", "management", "sales"])
    status = page.locator(".portal-filter__status")
    visible_titles = page.locator(".portal-campaign-card:visible h3")
    expect(status).to_have_text("Showing all 2 campaigns")
    expect(visible_titles).to_have_text(["Coaching & Growth", "Consultative Selling"])

    page.get_by_role("button", name="sales").click()
    expect(page.get_by_role("button", name="sales")).to_have_attribute("aria-pressed", "true")
    expect(visible_titles).to_have_text(["Consultative Selling"])
    expect(page.locator("#active")).to_be_hidden()
    expect(status).to_have_text("Showing 1 of 2 campaigns: sales")

    page.get_by_role("button", name="management").click()
    expect(visible_titles).to_have_text(["Coaching & Growth"])
    expect(page.locator("#upcoming")).to_be_hidden()

    page.get_by_role("button", name="All topics").click()
    expect(visible_titles).to_have_text(["Coaching & Growth", "Consultative Selling"])
    expect(status).to_have_text("Showing all 2 campaigns")

    # Without JavaScript the topics are links to the tag pages.
    plain = open_tab(base_url, java_script_enabled=False)
    plain.open("campaigns/")
    links = plain.page.locator(".portal-filter a")
    expect(links).to_have_text(["coaching", "management", "sales"])
    assert [links.nth(i).get_attribute("href") for i in range(3)] == [
        "../tags/coaching/",
        "../tags/management/",
        "../tags/sales/",
    ]
    links.nth(2).click()
    plain.page.wait_for_url(base_url + "tags/sales/")
    expect(plain.page.locator(".portal-campaign-card h3")).to_have_text(["Consultative Selling"])


@pytest.mark.browser
def test_search_finds_a_campaign_by_a_word_of_its_summary(
    fixture_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(fixture_site.site_dir))
    tab.open("")
    search = tab.page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially("stocktake")
    # Results render as each letter is typed; Material adds ?h=<query> to each link so that the page
    # highlights what was searched for, so this link only exists once the whole word is in.
    campaign = tab.page.locator(f'a.md-search-result__link[href="{tab.base_url}campaigns/coaching/?h=stocktake"]')
    expect(campaign.locator("h1")).to_have_text("Coaching & Growth")
    hrefs: list[str] = tab.page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link", "links => links.map(link => link.getAttribute('href'))"
    )
    assert [href for href in hrefs if "campaigns/selling/" in href] == []
    assert tab.outside_requests == [] and tab.console_errors == [] and tab.page_errors == []


@pytest.mark.browser
def test_instant_navigation_keeps_copy_buttons_and_filter_working(
    tmp_path: Path, serve_directory: Any, open_tab: OpenTab
) -> None:
    # Material navigates instantly only to pages listed in sitemap.xml, whose URLs come from
    # site_url: serve first, then build with site_url set to where the site is served.
    site_dir = tmp_path / "served"
    site_dir.mkdir()
    base_url = serve_directory(site_dir)
    build_fixture_portal(tmp_path / "project", site_url=base_url, site_dir=site_dir)

    tab = open_tab(base_url)
    page = tab.page
    tab.open("")
    page.evaluate("window.__sameDocument = true")

    page.locator(".md-tabs").get_by_role("link", name="Leaders").click()
    page.wait_for_url(base_url + "leaders/")
    page.get_by_role("link", name="Amara Okafor").click()
    page.wait_for_url(base_url + "leaders/amara-okafor/")
    expect(page.locator("article h1")).to_have_text("Amara Okafor")
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded, not swapped in"

    assert tab.copy(page.locator("#coaching--kickoff"), "Copy subject") == {"text/plain": KICKOFF_SUBJECT}

    page.locator(".md-tabs").get_by_role("link", name="Campaigns").click()
    page.wait_for_url(base_url + "campaigns/")
    page.get_by_role("button", name="sales").click()
    expect(page.locator(".portal-campaign-card:visible h3")).to_have_text(["Consultative Selling"])
    assert page.evaluate("window.__sameDocument") is True
    assert tab.outside_requests == [] and tab.console_errors == [] and tab.page_errors == []


# -- the example portal: every page type --------------------------------------------------------------

# Every kind of page: home, the lists, a campaign, events upcoming, cancelled and past, a leader,
# a topic, and the hand-written pages for L&D staff.
EXAMPLE_PAGES = [
    "",
    "campaigns/",
    "campaigns/coaching-for-growth/",
    "campaigns/coaching-for-growth/events/one-to-one-lunch-london/",
    "campaigns/coaching-for-growth/events/coaching-lunch-new-york/",
    "campaigns/coaching-for-growth/brief/",
    "campaigns/safety-first-2026/",
    "campaigns/safety-first-2026/brief/",
    "campaigns/coaching-for-growth/events/kickoff-town-hall/",
    "events/",
    "events/past/",
    "leaders/",
    "leaders/amara-okafor/",
    "tags/coaching/",
    "authoring/",
    "format/",
    "publishing/",
]
MAIN_PAGES = EXAMPLE_PAGES


@pytest.mark.browser
def test_pages_log_no_errors_and_request_nothing_beyond_the_intranet(
    example_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(example_site.site_dir))
    loaded: list[str] = []
    tab.page.on("requestfinished", lambda request: loaded.append(request.url))
    for uri in EXAMPLE_PAGES:
        tab.open(uri)
    assert tab.console_errors == []
    assert tab.page_errors == []
    assert tab.outside_requests == []
    # The checks saw real traffic: styles, scripts and the search index all came from the local server.
    assert any(url.endswith("assets/portal/portal.js") for url in loaded)
    assert any(url.endswith("search/search_index.json") for url in loaded)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_pages_have_no_serious_accessibility_violations(
    scheme: str, example_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(example_site.site_dir), color_scheme=scheme)
    axe = Axe()
    found: list[str] = []
    for uri in MAIN_PAGES:
        tab.open(uri, settle=False)
        expected = "slate" if scheme == "dark" else "default"
        assert tab.page.locator("body").get_attribute("data-md-color-scheme") == expected
        results = axe.run(tab.page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append(f"/{uri}: {violation['id']} ({violation['impact']}) at {targets}")
    assert found == []


@pytest.mark.browser
def test_phone_width_has_no_horizontal_scrolling(
    example_site: BuiltSite, serve_directory: Any, open_tab: OpenTab
) -> None:
    tab = open_tab(serve_directory(example_site.site_dir), viewport={"width": 390, "height": 844}, is_mobile=True)
    too_wide: dict[str, Any] = {}
    for uri in MAIN_PAGES:
        tab.open(uri, settle=False)
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        overflowing = tab.page.evaluate(OVERFLOWING_ELEMENTS)
        if width > 390 or overflowing:
            too_wide[uri] = (width, overflowing[:5])
    assert too_wide == {}

"""A probe campaign with script in every text field, built into a real site and opened in a real browser.

Every payload tries to set ``window.__xss`` or open a dialog. The build may
warn (it removes what it must), but no generated page, feed or calendar may run
any of it, and the text must still read as the author typed it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import EXAMPLE_NOW, BuiltSite, build_project, prepare_project

SENTINEL = "window.__xss=1;alert(1)"
# Breaks out of HTML text, attributes (both quotes), <title>, <textarea>, <script> and JSON/JS strings.
INLINE = (
    f'<script>{SENTINEL}</script><img src=x onerror="{SENTINEL}"><svg onload="{SENTINEL}">'
    f"\"'><img src=x onerror={SENTINEL}></title></textarea></script><script>{SENTINEL}</script>"
    f'javascript:{SENTINEL} "}};{SENTINEL};// \u2028 `${{{SENTINEL}}}`'
)
# Markdown fields also get links and raw HTML with bad schemes, reference links and mXSS tricks.
MARKDOWN = (
    INLINE
    + f"""

[link](javascript:{SENTINEL}) [ref][r] <javascript:{SENTINEL}> [data](data:text/html,<script>{SENTINEL}</script>)
<a href="jav&#x09;ascript:{SENTINEL}">tab</a> <a href="&#106;avascript:{SENTINEL}">entity</a>
![img](x" onerror="{SENTINEL}) <iframe src="javascript:{SENTINEL}"></iframe>
<details open ontoggle="{SENTINEL}"><summary>s</summary>d</details>
<math><mtext><table><mglyph><style><img src=x onerror="{SENTINEL}">
<div style="background:url(javascript:{SENTINEL})" onclick="{SENTINEL}">div</div>

[r]: javascript:{SENTINEL}
"""
)


# One paragraph of the same: a campaign summary also becomes a calendar's X-WR-CALDESC.
INLINE_MARKDOWN = (
    f"{INLINE} [link](javascript:{SENTINEL}) <javascript:{SENTINEL}> <a href=\"jav&#x09;ascript:{SENTINEL}\">tab</a> "
    f'![img](x" onerror="{SENTINEL}) <b onmouseover="{SENTINEL}">bold</b>'
)


def text(field: str) -> str:
    return f"Probe {field} {INLINE}"


def markdown(field: str) -> str:
    return f"Probe {field} {MARKDOWN}"


def template(field: str) -> str:
    # Template fields: the payload as written, and values inserted by the template.
    return f"Probe {field} {INLINE} {{{{ campaign.title }}}} {{{{ leader.name }}}} {{{{ next_event.title if next_event else '' }}}}"


def hostile_files() -> dict[str, str]:
    leaders = {
        "probe-leader": {
            "name": text("leader name"),
            "title": text("leader title"),
            "division": text("division"),
            "bio": markdown("bio"),
            "email": "probe@example.com",
        },
        "other-leader": {"name": "Other " + INLINE, "title": "Host"},
    }
    event = {
        "id": "probe-event",
        "title": text("event title"),
        "type": "workshop",
        "starts": "2026-12-10T12:30",
        "timezone": "Europe/London",
        "duration": 60,
        "location": text("location"),
        "online": "https://meet.example.com/j/1?x=%22%3E%3Cscript%3E",
        "hosts": ["probe-leader", "other-leader"],
        "description": markdown("event description"),
        "registration": "https://forms.example.com/a'onmouseover='alert(1)",
    }
    past = {
        **event,
        "id": "probe-past",
        "title": text("past event title"),
        "starts": "2026-11-10T12:30",
        "recording": "https://video.example.com/v/1#\"><script>alert(1)</script>",
    }
    campaign = {
        "title": text("campaign title"),
        "summary": f"Probe summary {INLINE_MARKDOWN}",
        "starts": "2026-11-01",
        "audience": text("audience"),
        "tags": [text("tag"), "plain"],
        "sponsors": ["probe-leader"],
        "business_case": {"problem": markdown("problem"), "outcome": markdown("outcome")},
        "kpis": [{"name": text("kpi name"), "unit": text("unit"), "baseline": 10, "target": 20, "current": 12}],
        "messages": [
            {
                "id": "probe-message",
                "title": text("message title"),
                "leaders": ["probe-leader", "other-leader"],
                "subject": template("subject"),
                "body": template("body") + "\n\n" + MARKDOWN,
                "short": template("short"),
            }
        ],
        "testimonials": [
            {"leader": "probe-leader", "date": "2026-11-20", "quote": text("quote"), "story": markdown("story")}
        ],
        "events": [event, past],
        "story": {
            "publish": "2026-11-24",
            "what_changed": markdown("what changed"),
            "why_it_mattered": markdown("why it mattered"),
            "what_we_learned": markdown("what we learned"),
        },
    }

    def dump(data: Any) -> str:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)

    return {"leaders.yml": dump(leaders), "probe-campaign.yml": dump(campaign)}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    root = prepare_project(tmp_path_factory.mktemp("hostile"))
    for name, content in hostile_files().items():
        (root / "campaigns" / name).write_text(content, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_NOW", EXAMPLE_NOW)
        site = build_project(root)
    yield site


def html_pages(site: BuiltSite) -> list[str]:
    return [path.relative_to(site.site_dir).as_posix() for path in site.all_files() if path.suffix == ".html"]


# -- the build, without a browser ------------------------------------------------------------


def test_the_probe_builds_every_page_and_warns_naming_file_and_line(hostile_site: BuiltSite) -> None:
    pages = html_pages(hostile_site)
    for expected in (
        "index.html",
        "campaigns/probe-campaign/index.html",
        "campaigns/probe-campaign/events/probe-event/index.html",
        "leaders/probe-leader/index.html",
        "events/index.html",
    ):
        assert expected in pages
    removals = [w for w in hostile_site.warnings if "removed from" in w and "for safety" in w]
    assert removals, hostile_site.warnings
    assert all(re.match(r"^campaigns/(probe-campaign|leaders)\.yml:\d+: ", w) for w in removals), removals
    # Every problem of the probe is a removal (or the warning that its payload makes a subject
    # too long for mail clients): nothing made the build fail or drop an item.
    others = [w for w in hostile_site.warnings if w not in removals]
    assert [w for w in others if "mail clients cut subjects after about 78" not in w] == []


_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")


def test_no_page_carries_the_payload_as_markup(hostile_site: BuiltSite) -> None:
    for uri in html_pages(hostile_site):
        soup = BeautifulSoup(hostile_site.text(uri), "lxml")
        for script in soup.find_all("script"):
            assert "__xss" not in script.get_text(), f"{uri}: a script carries the payload"
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                values = value if isinstance(value, list) else [value]
                if name.lower().startswith("on"):
                    assert "__xss" not in " ".join(values), f"{uri}: <{element.name} {name}> from campaign text"
                if name.lower() in _URL_ATTRIBUTES:
                    for url in values:
                        cleaned = re.sub(r"[\t\n\r]", "", url).strip().lower()
                        assert not cleaned.startswith(("javascript:", "data:", "vbscript:")), f"{uri}: {name}={url!r}"
        assert not soup.find_all(["iframe", "object", "embed", "math"]), uri
        # The payload is still there, as text people can read.
        if uri == "campaigns/probe-campaign/index.html":
            assert "<script>window.__xss=1;alert(1)</script>" in soup.get_text()


def test_feeds_calendars_and_the_search_index_carry_the_payload_as_text(hostile_site: BuiltSite) -> None:
    site = hostile_site
    rss = feedparser.parse(site.text("campaigns/probe-campaign/feed.xml"))
    assert not rss.bozo, rss.get("bozo_exception")
    assert any("Probe message title <script>" in entry.title for entry in rss.entries)
    for entry in rss.entries:
        for content in entry.get("content", []):
            assert "<script" not in content.value and "onerror" not in content.value.replace("onerror=", "")
    json_feed = json.loads(site.text("campaigns/probe-campaign/feed.json"))
    assert any("<script>" in item["title"] for item in json_feed["items"])
    for item in json_feed["items"]:
        assert "<script" not in item.get("content_html", "")
    calendar = icalendar.Calendar.from_ical(site.path("events/calendar.ics").read_bytes())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert any(summary.startswith("Probe event title <script>") for summary in summaries)
    index = json.loads(site.text("search/search_index.json"))
    assert index["docs"]
    for doc in index["docs"]:
        assert "<script" not in doc["title"] and "<script" not in doc["text"], doc["location"]


def test_copy_buttons_and_mailto_links_hold_the_text_as_typed(hostile_site: BuiltSite) -> None:
    soup = hostile_site.content("leaders/probe-leader/")
    # The copy buttons and the mailto link (portal.js) read the subject and the text from the page.
    subjects = [p.get_text() for p in soup.select(".portal-message__subject")]
    assert any(subject.startswith("Probe subject <script>window.__xss=1;alert(1)</script>") for subject in subjects)
    assert all("<script" not in str(body) for body in soup.select(".portal-message__body"))
    assert all(not link.has_attr("href") for link in soup.select("a.portal-mailto"))


# -- in the browser ------------------------------------------------------------------------------


@pytest.mark.browser
def test_no_generated_page_runs_the_payload_in_a_browser(
    hostile_site: BuiltSite, chromium: Any, serve_directory: Any
) -> None:
    base = serve_directory(hostile_site.site_dir)
    context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"], base_url=base)
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    checked = 0
    try:
        for uri in html_pages(hostile_site):
            page.goto(base + uri)
            page.wait_for_load_state("load")
            # Open every <details> and press every copy button, as a leader would.
            folded = page.locator("details:not([open]) > summary")
            while folded.count():
                folded.first.click()
            buttons = page.locator(".portal-copy")
            for index in range(buttons.count()):
                buttons.nth(index).click()
            if uri == "leaders/probe-leader/index.html":
                page.locator(".portal-message--announcement .portal-copy").first.click()
                copied = page.evaluate("navigator.clipboard.readText()")
                assert copied.startswith("Probe subject <script>window.__xss=1;alert(1)</script>")
            if uri == "index.html":
                # Search renders titles and text from the index: type a word every payload shares.
                page.keyboard.press("/")
                page.keyboard.type("Probe")
                page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
            page.wait_for_timeout(50)
            assert page.evaluate("typeof window.__xss") == "undefined", f"{uri} ran the payload"
            checked += 1
    finally:
        context.close()
    assert dialogs == []
    assert checked >= 8


def test_the_loader_reports_each_removal_at_the_line_of_its_field(tmp_path: Path) -> None:
    """The probe's payloads are text, not broken YAML: the only problems are removals, each at its field."""
    from campaign_portal.load import load_portal

    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    files = hostile_files()
    for name, content in files.items():
        (campaigns / name).write_text(content, encoding="utf-8")
    result = load_portal(campaigns)
    assert set(result.portal.campaigns) == {"probe-campaign"}
    assert set(result.portal.leaders) == {"probe-leader", "other-leader"}

    def line_of(name: str, key: str, occurrence: int = 0) -> int:
        lines = [n for n, line in enumerate(files[name].splitlines(), 1) if line.lstrip(" -").startswith(f"{key}:")]
        return lines[occurrence]

    found = {(problem.path, problem.line, problem.message.split(" for safety")[0]) for problem in result.problems}
    assert found == {
        ("campaigns/leaders.yml", line_of("leaders.yml", "bio"), "removed from the bio"),
        ("campaigns/probe-campaign.yml", line_of("probe-campaign.yml", "summary"), "removed from the summary"),
        ("campaigns/probe-campaign.yml", line_of("probe-campaign.yml", "problem"), "removed from the business problem"),
        ("campaigns/probe-campaign.yml", line_of("probe-campaign.yml", "outcome"), "removed from the outcome"),
        ("campaigns/probe-campaign.yml", line_of("probe-campaign.yml", "story"), "removed from a testimonial story"),
        ("campaigns/probe-campaign.yml", line_of("probe-campaign.yml", "description"), "removed from an event description"),
        ("campaigns/probe-campaign.yml", line_of("probe-campaign.yml", "description", 1), "removed from an event description"),
        ("campaigns/probe-campaign.yml", line_of("probe-campaign.yml", "what_changed"), "removed from the story"),
        ("campaigns/probe-campaign.yml", line_of("probe-campaign.yml", "why_it_mattered"), "removed from the story"),
        ("campaigns/probe-campaign.yml", line_of("probe-campaign.yml", "what_we_learned"), "removed from the story"),
    }

"""What Material's search index reads from the portal's pages: words kept apart, no avatar initials.

Material's search parser joins the text between tags without separators, so a term written
right against its value (``<dt>Where</dt><dd>London HQ</dd>``) is indexed as "WhereLondon HQ",
and a person searching for "London" does not find it. These tests build a real site and read
the index MkDocs writes.
"""

from __future__ import annotations

import json
import re
import textwrap

from bs4 import BeautifulSoup

from campaign_portal.plugin.events import TEMPLATES_DIR
from campaign_portal.plugin.filters import OUTSIDE_SEARCH_PARTS, page_environment

from conftest import LEADERS_YML, MINIMAL_CAMPAIGN, BuildPortal, BuiltSite

CAMPAIGN = MINIMAL_CAMPAIGN + textwrap.dedent(
    """\
    audience: Frontline people managers
    sponsors: [amara-okafor, daniel-kim]
    events:
      - id: lunch
        title: Coaching conversations that stick
        type: lunch-and-learn
        starts: 2027-01-20T12:30
        timezone: Europe/London
        duration: 60
        location: London HQ
        online: https://meet.example.com/j/1
        capacity: 40
        hosts: [amara-okafor, daniel-kim]
    """
)


def index_text(site: BuiltSite, location: str) -> str:
    """The text of the index entry for the page at ``location`` (its first section)."""
    index = json.loads(site.text("search/search_index.json"))
    entries = [doc for doc in index["docs"] if doc["location"] == location]
    assert entries, f"no search entry for {location}"
    return str(BeautifulSoup(entries[0]["text"], "html.parser").get_text())


def test_event_facts_are_indexed_as_separate_words(build_portal: BuildPortal) -> None:
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CAMPAIGN}, now="2027-01-01T00:00:00Z")
    text = " ".join(index_text(site, "campaigns/coaching/events/lunch/").split())
    assert "Where London HQ Online https://meet.example.com/j/1" in text
    assert "Places 40" in text
    # The hosts: each chip's name and title apart, the two chips apart, no initials ("AO", "DK").
    assert "Hosted by Amara Okafor Chief Operating Officer Daniel Kim Chief Technology Officer" in text
    assert "AO" not in text.split() and "DK" not in text.split()
    # The page itself still shows the initials (aria-hidden) and the facts in order.
    page = site.content("campaigns/coaching/events/lunch/")
    assert [span.get_text() for span in page.select(".portal-facts .portal-avatar--initials")] == ["AO", "DK"]
    assert [dt.get_text() for dt in page.select(".portal-facts dt")] == ["When", "Where", "Online", "Hosted by", "Places"]
    # The calendar buttons are on the page, not in the index.
    assert [a.get_text() for a in page.select(".portal-calendar-actions a")] == [
        "Download .ics (Outlook, Apple)",
        "Google Calendar",
        "Outlook on the web",
    ]
    index = json.loads(site.text("search/search_index.json"))
    event_text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("campaigns/coaching/events/lunch/"))
    assert "Google Calendar" not in event_text and "Download .ics" not in event_text


def test_sponsor_chips_on_the_campaign_page_are_indexed_apart(build_portal: BuildPortal) -> None:
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CAMPAIGN}, now="2027-01-01T00:00:00Z")
    index = json.loads(site.text("search/search_index.json"))
    sponsors = [doc for doc in index["docs"] if doc["location"] == "campaigns/coaching/#sponsors"]
    assert len(sponsors) == 1
    text = " ".join(BeautifulSoup(sponsors[0]["text"], "html.parser").get_text().split())
    assert text == "Amara Okafor Chief Operating Officer Daniel Kim Chief Technology Officer"
    # An event card is found by its title and time; its date block (a picture of the date) is not indexed.
    [events] = [doc for doc in index["docs"] if doc["location"] == "campaigns/coaching/#events"]
    events_text = " ".join(BeautifulSoup(events["text"], "html.parser").get_text().split())
    assert "Coaching conversations that stick" in events_text and "Wed 20 Jan 2027" in events_text
    assert not re.search(r"Jan 20(?!\d)", events_text)  # "Jan 2027" is the time, in words
    page = site.content("campaigns/coaching/")
    assert [d.get_text(" ", strip=True) for d in page.select(".portal-event-card__date")] == ["Jan 20"]


def test_brief_facts_keep_each_term_apart_from_its_value(build_portal: BuildPortal) -> None:
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CAMPAIGN}, now="2027-01-01T00:00:00Z")
    facts = site.content("campaigns/coaching/brief/").select_one(".portal-brief__facts")
    assert facts is not None
    text = facts.get_text()
    assert "For Frontline people managers" in text and "ForFrontline" not in text
    assert "Sponsors Amara Okafor" in text


MESSAGES_AND_KPIS = CAMPAIGN + textwrap.dedent(
    """\
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
        leaders: [amara-okafor]
        publish: 2027-01-11T08:00:00+00:00
        subject: "{{ leader.first_name }} on {{ campaign.title }}"
        body: |
          Hi team, **{{ campaign.title }}** starts today.
        short: "{{ campaign.title }} starts today"
    """
)


def test_a_leaders_message_is_indexed_by_its_subject_not_its_copy_controls(build_portal: BuildPortal) -> None:
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": MESSAGES_AND_KPIS}, now="2027-01-12T09:00:00Z")
    page = site.content("leaders/amara-okafor/")
    card = page.select_one("article.portal-message")
    assert card is not None
    # Every copy control is on the page, under its label.
    assert [b["data-copy"] for b in card.select("button.portal-copy")] == ["subject", "text", "html", "short"]
    heads = [" ".join(p.get_text(" ").split()) for p in card.select(".portal-message__head")]
    assert heads == [
        "Subject Copy subject",
        "Message Copy message (plain text) Copy message (formatted)",
        "Chat version Copy chat version",
    ]
    index = json.loads(site.text("search/search_index.json"))
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("leaders/amara-okafor/"))
    assert "Amara on Coaching for Growth" in text  # the subject is found
    assert "Copy" not in text and "Chat version" not in text  # the controls are not
    assert "starts today" not in text  # nor the leader's copies of the body and chat line
    # The parts kept aside from search are all back in place: no page keeps a mark.
    assert card.select_one("section.portal-message__body strong") is not None
    assert card.select_one(".portal-message__short").get_text() == "Coaching for Growth starts today"  # type: ignore[union-attr]
    assert not [path for path in site.site_dir.rglob("*.html") if "portal-outside-search" in path.read_text(encoding="utf-8")]


def test_a_part_kept_from_search_stays_in_place_when_nothing_collects_it() -> None:
    env = page_environment([str(TEMPLATES_DIR)], "Portal")
    template = env.from_string("<p>{% filter outside_search %}<b>{{ word }}</b>{% endfilter %}</p>")
    assert template.render(word="a<b") == "<p><b>a&lt;b</b></p>"
    parts: list[str] = []
    collecting = OUTSIDE_SEARCH_PARTS.set(parts)
    try:
        assert template.render(word="a<b") == "<p><!--portal-outside-search-0--></p>"
    finally:
        OUTSIDE_SEARCH_PARTS.reset(collecting)
    assert parts == ["<b>a&lt;b</b>"]


def test_a_kpi_is_indexed_by_its_caption_and_keeps_its_chart_and_table(build_portal: BuildPortal) -> None:
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": MESSAGES_AND_KPIS}, now="2027-01-12T09:00:00Z")
    figure = site.content("campaigns/coaching/").select_one("figure.portal-kpi")
    assert figure is not None and figure.select_one("svg.portal-kpi__chart text") is not None
    rows = [[cell.get_text() for cell in row.select("th, td")] for row in figure.select("table tbody tr")]
    assert rows[0] == ["Baseline", "14%"] and rows[-1] == ["Target", "10%"]
    index = json.loads(site.text("search/search_index.json"))
    [measures] = [doc for doc in index["docs"] if doc["location"] == "campaigns/coaching/#measures"]
    text = " ".join(BeautifulSoup(measures["text"], "html.parser").get_text().split())
    assert "Regretted attrition" in text and "Lower is better" in text
    assert "the values" not in text and "Baseline" not in text  # the table and the chart's labels are not indexed

"""What Material's search index reads from the portal's pages: words kept apart, no avatar initials.

Material's search parser joins the text between tags without separators, so a term written
right against its value (``<dt>Where</dt><dd>London HQ</dd>``) is indexed as "WhereLondon HQ",
and a person searching for "London" does not find it. These tests build a real site and read
the index MkDocs writes.
"""

from __future__ import annotations

import json
import textwrap

from bs4 import BeautifulSoup

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


def test_sponsor_chips_on_the_campaign_page_are_indexed_apart(build_portal: BuildPortal) -> None:
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CAMPAIGN}, now="2027-01-01T00:00:00Z")
    index = json.loads(site.text("search/search_index.json"))
    sponsors = [doc for doc in index["docs"] if doc["location"] == "campaigns/coaching/#sponsors"]
    assert len(sponsors) == 1
    text = " ".join(BeautifulSoup(sponsors[0]["text"], "html.parser").get_text().split())
    assert text == "Amara Okafor Chief Operating Officer Daniel Kim Chief Technology Officer"


def test_brief_facts_keep_each_term_apart_from_its_value(build_portal: BuildPortal) -> None:
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CAMPAIGN}, now="2027-01-01T00:00:00Z")
    facts = site.content("campaigns/coaching/brief/").select_one(".portal-brief__facts")
    assert facts is not None
    text = facts.get_text()
    assert "For Frontline people managers" in text and "ForFrontline" not in text
    assert "Sponsors Amara Okafor" in text

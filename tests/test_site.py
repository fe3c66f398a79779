"""Integration: build the real site in a temporary folder and read the HTML as a browser would get it."""

from __future__ import annotations

import json
import textwrap

import pytest
from bs4 import BeautifulSoup

from conftest import LEADERS_YML, MINIMAL_CAMPAIGN, BuildPortal, BuiltSite

FULL_CAMPAIGN = MINIMAL_CAMPAIGN + textwrap.dedent(
    """\
    audience: Frontline people managers
    tags: [coaching, management]
    sponsors: [amara-okafor]
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
        publish: 2027-01-11T08:00:00+00:00
        subject: "{{ leader.first_name }} on {{ campaign.title }}"
        body: |
          Hi team,

          **{{ campaign.title }}** starts today.{% if next_event %} First up: {{ next_event.title }}.{% endif %}

          {{ leader.first_name }}
        short: "{{ campaign.title }} starts today: {{ campaign.url }}"
    testimonials:
      - leader: daniel-kim
        date: 2027-02-01
        quote: The first coaching conversation changed how my team plans.
    events:
      - id: lunch
        title: Coaching conversations that stick
        type: lunch-and-learn
        starts: 2027-01-20T12:30
        timezone: Europe/London
        duration: 60
        location: London HQ, room 4.02
        hosts: [amara-okafor]
      - id: town-hall
        title: Why coaching
        type: town-hall
        starts: 2027-01-05T16:00
        timezone: America/New_York
        duration: 45
        online: https://meet.example.com/j/1
        hosts: [daniel-kim]
    story:
      publish: 2027-04-15
      what_changed: Attrition fell to 11.2%.
      why_it_mattered: Each leaver costs 28,000.
      what_we_learned: Short sessions work.
    """
)


def portal_files(campaign: str = FULL_CAMPAIGN) -> dict[str, str]:
    return {"leaders.yml": LEADERS_YML, "coaching.yml": campaign}


def test_every_url_of_the_spec_is_generated(build_portal: BuildPortal) -> None:
    site = build_portal(portal_files(), now="2027-05-01T00:00:00Z")
    for uri in [
        "",
        "campaigns/",
        "campaigns/coaching/",
        "campaigns/coaching/events/lunch/",
        "campaigns/coaching/events/lunch/event.ics",
        "campaigns/coaching/calendar.ics",
        "campaigns/coaching/feed.xml",
        "leaders/",
        "leaders/amara-okafor/",
        "leaders/amara-okafor/feed.xml",
        "events/",
        "events/calendar.ics",
        "feed.xml",
    ]:
        assert site.exists(uri), uri


def test_campaign_page_shows_what_the_spec_lists(build_portal: BuildPortal) -> None:
    site = build_portal(portal_files(), now="2027-05-01T00:00:00Z")
    page = site.content("campaigns/coaching/")
    text = page.get_text(" ", strip=True)
    assert page.h1 and page.h1.get_text(strip=True) == "Coaching for Growth"
    assert "Frontline managers learn three coaching conversations." in text
    assert "Regretted attrition is 14%." in text and "Cut it to 10%." in text
    chart = page.select_one("svg.portal-kpi__chart")
    assert chart is not None
    assert chart["aria-label"] == "Regretted attrition: from 14% towards a target of 10%, latest 12.5%. 2.5 points to go."
    assert [a.get_text(" ", strip=True) for a in page.select(".portal-chips .portal-leader-chip strong")] == ["Amara Okafor"]
    assert page.select_one("#announcement-kickoff") is not None
    assert page.select_one("#testimonial-daniel-kim-2027-02-01") is not None
    assert [a["href"] for a in page.select(".portal-event-card__body h3 a")] == [
        "../../campaigns/coaching/events/lunch/",
        "../../campaigns/coaching/events/town-hall/",
    ]
    assert "Attrition fell to 11.2%." in page.select_one("#story").find_next("ol", class_="portal-story__parts").get_text()


def test_event_page_shows_time_in_its_own_zone_and_calendar_links(build_portal: BuildPortal) -> None:
    site = build_portal(portal_files(), now="2027-01-01T00:00:00Z")
    page = site.content("campaigns/coaching/events/town-hall/")
    when = page.select_one(".portal-facts time")
    assert when is not None
    assert when["datetime"] == "2027-01-05T16:00:00-05:00"
    assert when.get_text() == "Tue 5 Jan 2027, 16:00–16:45 EST"
    links = [a["href"] for a in page.select(".portal-calendar-actions a")]
    assert links[0] == "../../../../campaigns/coaching/events/town-hall/event.ics"
    assert links[1].startswith("https://calendar.google.com/calendar/render?")
    assert "dates=20270105T210000Z%2F20270105T214500Z" in links[1]


def test_leader_page_has_each_personalised_message(build_portal: BuildPortal) -> None:
    site = build_portal(portal_files(), now="2027-01-12T00:00:00Z")
    page = site.content("leaders/daniel-kim/")
    message = page.select_one("#coaching--kickoff")
    assert message is not None
    assert message.select_one(".portal-message__subject").get_text(strip=True) == "Daniel on Coaching for Growth"
    body = message.select_one(".portal-message__body")
    assert body.select_one("strong").get_text() == "Coaching for Growth"
    assert "First up: Coaching conversations that stick." in body.get_text()
    # Each text is on the page once, where the copy buttons (portal.js) read it.
    assert [b["data-copy"] for b in message.select("button.portal-copy")] == ["subject", "text", "html", "short"]
    assert message["data-text"] == (
        "Hi team,\n\nCoaching for Growth starts today. First up: Coaching conversations that stick.\n\nDaniel"
    )
    assert message.select_one(".portal-message__short").get_text() == (
        "Coaching for Growth starts today: https://learning.example.com/campaigns/coaching/"
    )
    assert "Daniel on Coaching for Growth" not in str(message).replace(
        '<p class="portal-message__subject">Daniel on Coaching for Growth</p>', "", 1
    )
    amara = site.content("leaders/amara-okafor/").select_one("#coaching--kickoff .portal-message__subject")
    assert amara.get_text(strip=True) == "Amara on Coaching for Growth"


def test_reminders_for_hosted_events(build_portal: BuildPortal) -> None:
    site = build_portal(portal_files(), now="2027-01-12T00:00:00Z")
    page = site.content("leaders/amara-okafor/")
    day_before = page.select_one("#coaching--lunch--day-before")
    morning_of = page.select_one("#coaching--lunch--morning-of")
    assert day_before is not None and morning_of is not None
    assert day_before.select_one(".portal-message__subject").get_text(strip=True) == "Tomorrow: Coaching conversations that stick"
    # A week ahead, both are "coming up": folded, with their send day on the summary line.
    for reminder, day in ((day_before, "Tue 19 Jan 2027"), (morning_of, "Wed 20 Jan 2027")):
        item = reminder.find_parent("details")
        assert item is not None and item.find_previous("h2").get_text(strip=True) == "Coming up"
        assert item.select_one("summary .portal-plan-item__when").get_text(strip=True) == f"Send on {day}"
    assert morning_of.select_one(".portal-message__subject").get_text(strip=True) == (
        "Today at 12:30 GMT: Coaching conversations that stick"
    )


def test_reminder_wording_can_be_replaced_in_mkdocs_yml(build_portal: BuildPortal) -> None:
    site = build_portal(
        portal_files(),
        now="2027-01-12T00:00:00Z",
        config_extra="""\
        """,
    )
    assert site.exists("leaders/amara-okafor/")
    config = (site.root / "mkdocs.yml").read_text()
    config = config.replace(
        "campaigns_dir: campaigns",
        "campaigns_dir: campaigns\n      reminders:\n        day_before:\n          subject: 'See you tomorrow at {{ event.title }}'",
    )
    (site.root / "mkdocs.yml").write_text(config)
    from conftest import build_project

    rebuilt = build_project(site.root)
    subject = rebuilt.content("leaders/amara-okafor/").select_one("#coaching--lunch--day-before .portal-message__subject")
    assert subject.get_text(strip=True) == "See you tomorrow at Coaching conversations that stick"


def test_events_page_lists_upcoming_soonest_first_then_past(build_portal: BuildPortal) -> None:
    site = build_portal(portal_files(), now="2027-01-10T00:00:00Z")
    upcoming = [a.get_text(strip=True) for a in site.content("events/").select(".portal-event-card h3 a")]
    past = [a.get_text(strip=True) for a in site.content("events/past/").select(".portal-event-card h3 a")]
    assert upcoming == ["Coaching conversations that stick"]
    assert past == ["Why coaching"]


def test_generated_pages_join_navigation_and_search(build_portal: BuildPortal) -> None:
    site = build_portal(portal_files(), now="2027-05-01T00:00:00Z")
    nav = site.html("campaigns/").select("nav.md-nav--primary a.md-nav__link")
    hrefs = [a.get("href") for a in nav]
    assert "coaching/" in hrefs
    index = json.loads(site.text("search/search_index.json"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "campaigns/coaching/" in locations
    texts = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("campaigns/coaching/"))
    assert "three coaching conversations" in texts


def test_strict_build_fails_on_bad_input_and_plain_build_warns(build_portal: BuildPortal) -> None:
    from mkdocs.exceptions import Abort

    broken = portal_files(FULL_CAMPAIGN.replace("timezone: Europe/London", "timezone: Europe/Londn"))
    broken["extra.yml"] = MINIMAL_CAMPAIGN.replace("title: Coaching for Growth", "titel: Extra")
    site = build_portal(broken, now="2027-05-01T00:00:00Z", expect_warnings=True)
    assert "campaigns/coaching.yml:39: unknown time zone 'Europe/Londn'; did you mean 'Europe/London'?" in site.warnings
    assert "campaigns/extra.yml:1: unknown key 'titel' in the campaign; did you mean 'title'?" in site.warnings
    # What is valid is still built.
    assert site.exists("campaigns/coaching/events/town-hall/")
    assert not site.exists("campaigns/coaching/events/lunch/")
    with pytest.raises(Abort):
        build_portal(broken, now="2027-05-01T00:00:00Z", expect_warnings=True, strict=True)


def test_example_portal_builds_cleanly(example_site: BuiltSite) -> None:
    home = example_site.content("")
    assert home.select(".portal-campaign-card"), "the home page lists campaigns"
    assert home.select(".portal-event-card"), "the home page lists events"
    assert example_site.warnings == []


def test_a_leader_has_one_avatar_colour_on_every_page(example_site: BuiltSite) -> None:
    tones: dict[str, set[str]] = {}
    for path in example_site.all_files():
        if path.suffix != ".html":
            continue
        for chip in BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").select("a.portal-leader-chip"):
            leader = chip["href"].rstrip("/").rsplit("/", 1)[-1]
            classes = chip.select_one(".portal-avatar--initials")["class"]  # type: ignore[index]
            tones.setdefault(leader, set()).update(name for name in classes if name.startswith("portal-avatar--tone-"))
    assert len(tones) >= 5
    assert all(len(found) == 1 for found in tones.values()), tones
    assert len({tone for found in tones.values() for tone in found}) >= 3, "leaders are told apart by colour"


def test_yaml_content_cannot_inject_markup(build_portal: BuildPortal) -> None:
    hostile = FULL_CAMPAIGN.replace(
        "title: Coaching for Growth", 'title: "<script>alert(1)</script> Coaching"'
    ).replace("audience: Frontline people managers", 'audience: "\\" onmouseover=\\"alert(1)"')
    site = build_portal(portal_files(hostile), now="2027-05-01T00:00:00Z")
    raw = site.text("campaigns/coaching/")
    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Coaching" in raw
    page = site.content("campaigns/coaching/")
    assert not page.select("[onmouseover]")


def test_feed_content_links_are_absolute(build_portal: BuildPortal) -> None:
    import feedparser

    campaign = FULL_CAMPAIGN.replace(
        "    quote: The first coaching conversation changed how my team plans.\n",
        "    quote: The first coaching conversation changed how my team plans.\n"
        "    story: Read [the guide](authoring/) and [the events](/events/).\n",
    )
    site = build_portal(portal_files(campaign), now="2027-05-01T00:00:00Z")
    feed = feedparser.parse(site.path("feed.xml").read_bytes())
    assert feed.bozo == 0
    testimonial = next(e for e in feed.entries if e.link.endswith("#testimonial-daniel-kim-2027-02-01"))
    html = testimonial.content[0].value
    assert 'href="https://learning.example.com/authoring/"' in html
    assert 'href="https://learning.example.com/events/"' in html


def test_search_finds_a_message_once_not_in_every_leaders_copy(build_portal: BuildPortal) -> None:
    site = build_portal(portal_files(), now="2027-01-12T00:00:00Z")
    docs = json.loads(site.text("search/search_index.json"))["docs"]

    def indexed(page: str) -> str:
        return " ".join(doc["title"] + " " + doc["text"] for doc in docs if doc["location"].startswith(page))

    for leader in ("leaders/daniel-kim/", "leaders/amara-okafor/"):
        text = indexed(leader)
        assert "Kick-off announcement" in text  # the leader's page is found by what they have to send
        assert "on Coaching for Growth" in text  # and by its subject
        assert "First up: Coaching conversations" not in text  # not by every personal copy of the body
        assert "starts today: https://" not in text  # nor of the chat version
    # The body's words stay findable where employees read the announcement.
    assert "First up: Coaching conversations that stick" in indexed("campaigns/coaching/")
    # The copies are still on the leader's page, for the copy buttons.
    page = site.content("leaders/daniel-kim/")
    assert "First up: Coaching conversations that stick" in page.select_one("#coaching--kickoff").get_text()

"""The leader's action plan: where each message and reminder sits on their page at several moments
of a campaign, what the home page and the leaders index count, and the leader's own calendar."""

from __future__ import annotations

import datetime as dt
import textwrap
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from bs4 import BeautifulSoup

from conftest import LEADERS_YML, BuildPortal, BuiltSite

# Launch on Monday 11 January 2027; a town hall on Monday 18 January in London (so its
# day-before reminder is due on Friday 15th); a lunch in New York on Wednesday 31 March, after
# the clocks changed in both places (so its times are checked across daylight saving), and
# a cancelled workshop. The follow-up has its own send_by; the kick-off is to send until the
# town hall starts.
CAMPAIGN = """\
title: Coaching for Growth
summary: Frontline managers learn three coaching conversations.
starts: 2027-01-11
ends: 2027-04-30
publish: 2027-01-04T09:00:00+00:00
business_case:
  problem: Regretted attrition is 14%.
  outcome: Cut it to 10%.
messages:
  - id: kickoff
    title: Kick-off announcement
    leaders: [amara-okafor, daniel-kim]
    publish: 2027-01-11T08:00:00+00:00
    subject: "{{ campaign.title }} starts today"
    body: |
      Hi team,

      {{ campaign.title }} starts today. Join me at {{ next_event.title }}: <{{ next_event.url }}>

      {{ leader.first_name }}
    short: "{{ campaign.title }} starts today: {{ campaign.url }}"
  - id: follow-up
    title: Follow-up
    leaders: [amara-okafor]
    publish: 2027-02-01T08:00:00+00:00
    send_by: 2027-02-12
    subject: How is coaching going?
    body: Tell me how your first conversations went.
events:
  - id: town-hall
    title: Why coaching
    type: town-hall
    starts: 2027-01-18T16:00
    timezone: Europe/London
    duration: 45
    location: London HQ
    hosts: [amara-okafor]
  - id: lunch
    title: Huddles that stick
    type: lunch-and-learn
    starts: 2027-03-31T12:00
    timezone: America/New_York
    duration: 60
    location: New York office
    hosts: [amara-okafor, daniel-kim]
  - id: workshop
    title: Called off
    type: workshop
    starts: 2027-01-20T10:00
    timezone: Europe/London
    duration: 60
    location: London HQ
    hosts: [amara-okafor]
    status: cancelled
"""
FILES = {"leaders.yml": LEADERS_YML, "coaching.yml": CAMPAIGN}


def sections(site: BuiltSite, leader: str = "amara-okafor") -> dict[str, list[str]]:
    """The anchors of the messages under each heading of the plan, in page order."""
    page = site.content(f"leaders/{leader}/")
    found: dict[str, list[str]] = {}
    for section in page.select("section.portal-plan-section"):
        heading = section.find("h2")
        assert heading is not None
        found[heading.get_text(strip=True)] = [str(article["id"]) for article in section.select("article.portal-message")]
    return found


def test_before_launch_everything_is_coming_up_with_the_day_it_is_due(build_portal: BuildPortal) -> None:
    site = build_portal(FILES, now="2027-01-06T12:00:00Z")
    # The messages are not public before their own moment; the reminders of public events are.
    assert sections(site) == {
        "To send now": [],
        "Coming up": [
            "coaching--town-hall--day-before",
            "coaching--town-hall--morning-of",
            "coaching--lunch--day-before",
            "coaching--lunch--morning-of",
        ],
    }
    page = site.content("leaders/amara-okafor/")
    # The first section on the page is "To send now", even when it is empty, and it says what is next.
    assert page.select("h2")[0].get_text(strip=True) == "To send now"
    assert " ".join(page.select_one(".portal-empty").get_text(" ").split()) == (
        "Nothing to send right now. Next: The day before: Why coaching (Send on Friday 15 January 2027)."
    )
    whens = [s.get_text(strip=True) for s in page.select("#coming-up ~ .portal-plan-list summary .portal-plan-item__when")]
    assert whens == ["Send on Fri 15 Jan 2027", "Send on Mon 18 Jan 2027", "Send on Tue 30 Mar 2027", "Send on Wed 31 Mar 2027"]
    assert "kickoff" not in str(page)
    # No reminder for the cancelled workshop, anywhere.
    assert "workshop" not in str(page.select(".portal-plan-section"))


def test_mid_campaign_the_open_windows_come_first_each_with_its_send_by(build_portal: BuildPortal) -> None:
    # Friday 15 January: the kick-off is open until the town hall; Monday's reminders are due
    # today (the day before) and on the next working day (the morning of).
    site = build_portal(FILES, now="2027-01-15T08:00:00Z")
    plan = sections(site)
    assert plan["To send now"] == [
        "coaching--town-hall--day-before",
        "coaching--kickoff",
        "coaching--town-hall--morning-of",
    ]
    assert plan["Coming up"] == ["coaching--lunch--day-before", "coaching--lunch--morning-of"]
    page = site.content("leaders/amara-okafor/")
    send_on = {
        str(article["id"]): article.select_one(".portal-message__send-on").get_text(strip=True)
        for article in page.select("#to-send-now ~ article")
    }
    assert send_on == {
        "coaching--town-hall--day-before": "Send on Friday 15 January 2027",
        "coaching--kickoff": "Send by Monday 18 January 2027, 16:00 GMT",
        "coaching--town-hall--morning-of": "Send on Monday 18 January 2027",
    }
    # The home page and the leaders index count only what is to send now.
    home = site.content("")
    assert [a.get_text(strip=True) for a in home.select(".portal-announcements__title")] == ["Kick-off announcement"]
    cards = {
        card.select_one("h2").get_text(strip=True): " ".join(card.get_text(" ").split())
        for card in site.content("leaders/").select("article")
    }
    assert "3 to send now" in cards["Amara Okafor"]
    assert "1 to send now" in cards["Daniel Kim"]
    # Sessions still to come: the cancelled workshop is not one of them.
    assert "hosts 2 upcoming sessions" in cards["Amara Okafor"]
    assert "hosts 1 upcoming session" in cards["Daniel Kim"]


def test_after_the_window_a_message_is_sent_earlier_and_still_copyable(build_portal: BuildPortal) -> None:
    site = build_portal(FILES, now="2027-02-13T09:00:00Z")
    plan = sections(site)
    assert plan["To send now"] == []
    assert plan["Sent earlier"] == ["coaching--follow-up", "coaching--kickoff"]  # the latest first
    page = site.content("leaders/amara-okafor/")
    follow_up = page.select_one("#coaching--follow-up")
    details = follow_up.find_parent("details")
    assert details is not None and not details.has_attr("open")
    assert details.select_one("summary").get_text(" ", strip=True).startswith("Was due by Fri 12 Feb 2027")
    # Collapsed, but the whole kit is there: the copy buttons, the text they copy, the draft.
    assert [b["data-copy"] for b in follow_up.select("button.portal-copy")] == ["subject", "text", "html"]
    assert follow_up["data-text"] == "Tell me how your first conversations went."
    assert follow_up.select_one("a.portal-eml")["href"] == "../../leaders/amara-okafor/drafts/coaching/follow-up.eml"
    assert site.content("").select(".portal-announcements__title") == []
    # The town hall is over: the index counts only the lunch still to come.
    amara = site.content("leaders/").select_one(".portal-leader-card:has(a[href$='amara-okafor/'])")
    assert "hosts 1 upcoming session" in " ".join(amara.get_text(" ").split())


def test_the_leaders_index_shows_each_role_once(build_portal: BuildPortal) -> None:
    leaders = LEADERS_YML + textwrap.dedent(
        """\
        marcus-johnson:
          name: Marcus Johnson
          title: Head of Customer Success
          division: Customer Success
        """
    )
    campaign = CAMPAIGN.replace("hosts: [amara-okafor, daniel-kim]", "hosts: [amara-okafor, daniel-kim, marcus-johnson]")
    site = build_portal({"leaders.yml": leaders, "coaching.yml": campaign}, now="2027-01-06T12:00:00Z")
    roles = [p.get_text(strip=True) for p in site.content("leaders/").select(".portal-leader-card__title")]
    assert roles == ["Chief Operating Officer · Operations", "Chief Technology Officer", "Head of Customer Success"]
    assert site.content("leaders/marcus-johnson/").select_one(".portal-profile__title").get_text(strip=True) == (
        "Head of Customer Success"
    )


# -- the leader's calendar -----------------------------------------------------------------------------


def leader_calendar(site: BuiltSite, leader: str = "amara-okafor") -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(site.path(f"leaders/{leader}/calendar.ics").read_bytes())


def test_the_leader_calendar_holds_hosted_events_and_each_message_on_its_day(build_portal: BuildPortal) -> None:
    site = build_portal(FILES, now="2027-01-15T08:00:00Z")
    calendar = leader_calendar(site)
    entries = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    # Events: the same UID as in the campaign's calendar and everyone's.
    everyone = {str(event["UID"]) for event in icalendar.Calendar.from_ical(site.path("events/calendar.ics").read_bytes()).walk("VEVENT")}
    hosted = {uid for uid, event in entries.items() if not uid.endswith("--send@learning-portal")}
    assert hosted == {"coaching--town-hall@learning-portal", "coaching--lunch@learning-portal", "coaching--workshop@learning-portal"}
    assert hosted <= everyone
    assert str(entries["coaching--workshop@learning-portal"]["STATUS"]) == "CANCELLED"
    town_hall = entries["coaching--town-hall@learning-portal"]
    assert town_hall.decoded("DTSTART") == dt.datetime(2027, 1, 18, 16, 0, tzinfo=ZoneInfo("Europe/London"))
    # The lunch is after the clocks changed in New York (14 March): 12:00 EDT is 16:00 UTC.
    lunch = entries["coaching--lunch@learning-portal"]
    assert lunch.decoded("DTSTART").astimezone(dt.timezone.utc) == dt.datetime(2027, 3, 31, 16, 0, tzinfo=dt.timezone.utc)

    # Each message and reminder on the day it becomes due, as an all-day entry with an alarm.
    tasks = {uid: event for uid, event in entries.items() if uid.endswith("--send@learning-portal")}
    expected_days = {
        "coaching--kickoff--amara-okafor--send@learning-portal": dt.date(2027, 1, 11),
        "coaching--town-hall--day-before--amara-okafor--send@learning-portal": dt.date(2027, 1, 15),
        "coaching--town-hall--morning-of--amara-okafor--send@learning-portal": dt.date(2027, 1, 18),
        "coaching--lunch--day-before--amara-okafor--send@learning-portal": dt.date(2027, 3, 30),
        "coaching--lunch--morning-of--amara-okafor--send@learning-portal": dt.date(2027, 3, 31),
    }
    assert {uid: event.decoded("DTSTART") for uid, event in tasks.items()} == expected_days
    kickoff = tasks["coaching--kickoff--amara-okafor--send@learning-portal"]
    assert str(kickoff["SUMMARY"]) == "Send: Kick-off announcement"
    description = str(kickoff["DESCRIPTION"])
    assert description.startswith("Send by Monday 18 January 2027, 16:00 GMT\n\nSubject: Coaching for Growth starts today\n\nHi team,")
    assert "Amara" in description
    assert description.endswith("Copy it from your page: https://learning.example.com/leaders/amara-okafor/#coaching--kickoff")
    assert str(kickoff["URL"]) == "https://learning.example.com/leaders/amara-okafor/#coaching--kickoff"
    for task in tasks.values():
        alarms = task.walk("VALARM")
        assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER") in (dt.timedelta(hours=8), dt.timedelta(hours=9))
        assert task.decoded("DTEND") - task.decoded("DTSTART") == dt.timedelta(days=1)

    # recurring-ical-events reads the same entries on the days they fall on.
    on_friday = recurring_ical_events.of(calendar).at((2027, 1, 15))
    assert {str(event["UID"]) for event in on_friday} == {"coaching--town-hall--day-before--amara-okafor--send@learning-portal"}
    in_march = recurring_ical_events.of(calendar).between((2027, 3, 30), (2027, 4, 1))
    assert {str(event["UID"]) for event in in_march} == {
        "coaching--lunch@learning-portal",
        "coaching--lunch--day-before--amara-okafor--send@learning-portal",
        "coaching--lunch--morning-of--amara-okafor--send@learning-portal",
    }


def test_the_leader_calendar_is_stable_and_never_holds_what_is_not_public(build_portal: BuildPortal) -> None:
    embargoed = CAMPAIGN.replace(
        "    subject: How is coaching going?", "    subject: How is coaching going?\n    publish: 2027-03-01T00:00:00Z"
    ).replace("    publish: 2027-02-01T08:00:00+00:00\n    send_by: 2027-02-12\n", "")
    files = {"leaders.yml": LEADERS_YML, "coaching.yml": embargoed}
    first = build_portal(files, now="2027-01-15T08:00:00Z")
    again = build_portal(files, now="2027-01-15T08:00:00Z")
    later = build_portal(files, now="2027-01-20T08:00:00Z")
    uids = [str(event["UID"]) for event in leader_calendar(first).walk("VEVENT")]
    assert not any("follow-up" in uid for uid in uids)
    assert "How is coaching going" not in first.path("leaders/amara-okafor/calendar.ics").read_text()
    assert first.path("leaders/amara-okafor/calendar.ics").read_bytes() == again.path("leaders/amara-okafor/calendar.ics").read_bytes()
    # Days later, each entry still there keeps its UID and its content; the reminders of the
    # town hall, which is over, are gone.
    before = {str(event["UID"]): event.to_ical() for event in leader_calendar(first).walk("VEVENT")}
    after = {str(event["UID"]): event.to_ical() for event in leader_calendar(later).walk("VEVENT")}
    assert set(before) - set(after) == {
        "coaching--town-hall--day-before--amara-okafor--send@learning-portal",
        "coaching--town-hall--morning-of--amara-okafor--send@learning-portal",
    }
    assert all(before[uid] == after[uid] for uid in after)
    daniel = [str(event["UID"]) for event in leader_calendar(first, "daniel-kim").walk("VEVENT")]
    assert sorted(daniel) == [
        "coaching--kickoff--daniel-kim--send@learning-portal",
        "coaching--lunch--day-before--daniel-kim--send@learning-portal",
        "coaching--lunch--morning-of--daniel-kim--send@learning-portal",
        "coaching--lunch@learning-portal",
    ]


def test_the_leader_page_offers_to_subscribe_with_webcal_and_https(build_portal: BuildPortal) -> None:
    site = build_portal(FILES, now="2027-01-15T08:00:00Z")
    page = site.content("leaders/amara-okafor/")
    control = page.select_one(".portal-plan-subscribe")
    links = {a.get_text(" ", strip=True): a["href"] for a in control.select("a")}
    assert links == {
        "Subscribe to my calendar": "webcal://learning.example.com/leaders/amara-okafor/calendar.ics",
        "https link": "https://learning.example.com/leaders/amara-okafor/calendar.ics",
    }
    # It comes before the plan, with the jump links.
    assert control.find_next("h2").get_text(strip=True) == "To send now"
    assert isinstance(page, BeautifulSoup)


# -- channel variants ------------------------------------------------------------------------------

CHANNELS = CAMPAIGN.replace(
    '    short: "{{ campaign.title }} starts today: {{ campaign.url }}"',
    '    short: "**{{ campaign.title }}** starts today: [join me]({{ next_event.url }}), or see {{ campaign.url }}#why."',
).replace(
    "      {{ campaign.title }} starts today. Join me at {{ next_event.title }}: <{{ next_event.url }}>",
    "      {{ campaign.title }} starts today. Join me at {{ next_event.title }}: <{{ next_event.url }}>\n"
    "      See also [the guide](https://www.example.org/guide) and [FAQ]({{ campaign.url }}?tab=faq#top).",
)
TAGGING = """\
plugins:
  - search
  - campaign-portal:
      campaigns_dir: campaigns
      link_tagging: true
"""


def build_with_options(build_portal: BuildPortal, files: dict[str, str], options: str, **kwargs: object) -> BuiltSite:
    site = build_portal(files, now="2027-01-15T08:00:00Z", **kwargs)
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      campaigns_dir: campaigns\n" in config
    (site.root / "mkdocs.yml").write_text(config.replace("      campaigns_dir: campaigns\n", "      campaigns_dir: campaigns\n" + options))
    from conftest import build_project

    return build_project(site.root)


def test_the_chat_version_is_plain_text_with_links_as_chat_expects(build_portal: BuildPortal) -> None:
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CHANNELS}, now="2027-01-15T08:00:00Z")
    short = site.content("leaders/amara-okafor/").select_one("#coaching--kickoff .portal-message__short")
    assert short.get_text() == (
        "Coaching for Growth starts today: join me (https://learning.example.com/campaigns/coaching/events/town-hall/), "
        "or see https://learning.example.com/campaigns/coaching/#why."
    )


def test_link_tagging_is_off_by_default_and_tags_only_portal_links(build_portal: BuildPortal) -> None:
    files = {"leaders.yml": LEADERS_YML, "coaching.yml": CHANNELS}
    plain = build_portal(files, now="2027-01-15T08:00:00Z")
    assert "utm_" not in plain.text("leaders/amara-okafor/index.html")
    assert "utm_" not in plain.text("leaders/amara-okafor/drafts/coaching/kickoff.eml")

    tagged = build_with_options(build_portal, files, "      link_tagging: true\n")
    message = tagged.content("leaders/daniel-kim/").select_one("#coaching--kickoff")
    email_tags = "utm_source=email&utm_medium=leader&utm_campaign=coaching&utm_content=daniel-kim"
    chat_tags = "utm_source=chat&utm_medium=leader&utm_campaign=coaching&utm_content=daniel-kim"
    links = [a["href"] for a in message.select(".portal-message__body a")]
    assert links == [
        f"https://learning.example.com/campaigns/coaching/events/town-hall/?{email_tags}",
        "https://www.example.org/guide",  # outside site_url: never tagged
        f"https://learning.example.com/campaigns/coaching/?tab=faq&{email_tags}#top",
    ]
    assert f"(https://learning.example.com/campaigns/coaching/?tab=faq&{email_tags}#top)" in message["data-text"]
    assert message.select_one(".portal-message__short").get_text() == (
        f"Coaching for Growth starts today: join me (https://learning.example.com/campaigns/coaching/events/town-hall/?{chat_tags}), "
        f"or see https://learning.example.com/campaigns/coaching/?{chat_tags}#why."
    )
    import email
    import email.policy

    draft = email.message_from_bytes(
        tagged.path("leaders/daniel-kim/drafts/coaching/kickoff.eml").read_bytes(), policy=email.policy.default
    )
    plain_part = draft.get_body(("plain",))
    assert plain_part is not None and email_tags in plain_part.get_content()  # type: ignore[attr-defined]
    # Reminders too; pages themselves never carry the tags.
    reminder = tagged.content("leaders/amara-okafor/").select_one("#coaching--town-hall--day-before")
    assert "utm_content=amara-okafor" in reminder["data-text"]
    assert "utm_" not in str(tagged.content("campaigns/coaching/").select("a"))
    assert "utm_" not in tagged.text("campaigns/coaching/feed.xml") + tagged.text("feed.xml")


def test_a_long_subject_is_a_warning_at_its_line(build_portal: BuildPortal) -> None:
    long_subject = CAMPAIGN.replace(
        '    subject: "{{ campaign.title }} starts today"',
        '    subject: "{{ campaign.title }} starts today, and here is everything you need to know to take part in it"',
    )
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": long_subject}, now="2027-01-15T08:00:00Z", expect_warnings=True)
    assert [w for w in site.warnings if "subject" in w] == [
        "campaigns/coaching.yml:14: the subject of 'Kick-off announcement' is 92 characters long for Amara Okafor; "
        "mail clients cut subjects after about 78: shorten it"
    ]


def test_a_long_message_falls_back_from_mailto_to_the_draft_file(build_portal: BuildPortal) -> None:
    long_body = CAMPAIGN.replace("      Hi team,\n", "      Hi team,\n\n      " + "Coaching works. " * 90 + "\n")
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": long_body}, now="2027-01-15T08:00:00Z")
    message = site.content("leaders/amara-okafor/").select_one("#coaching--kickoff")
    assert not message.has_attr("data-mailto") and message.select("a.portal-mailto") == []
    assert "too long for a one-click email link" in message.get_text()
    short = site.content("leaders/amara-okafor/").select_one("#coaching--town-hall--day-before")
    assert short.has_attr("data-mailto") and len(short.select("a.portal-mailto")) == 1


def test_real_calendar_clients_read_the_leader_calendar_alike(build_portal: BuildPortal) -> None:
    """Mozilla's ical.js and Python's ical read the hosted events at the zoneinfo moments (across
    the daylight-saving changes) and each message and reminder as an all-day entry on its day."""
    from ical.calendar_stream import IcsCalendarStream

    from ical_clients import icaljs_events

    site = build_portal(FILES, now="2027-01-15T08:00:00Z")
    ics = site.path("leaders/amara-okafor/calendar.ics").read_bytes()
    london, new_york = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
    timed = {
        "coaching--town-hall@learning-portal": dt.datetime(2027, 1, 18, 16, 0, tzinfo=london),
        "coaching--workshop@learning-portal": dt.datetime(2027, 1, 20, 10, 0, tzinfo=london),
        "coaching--lunch@learning-portal": dt.datetime(2027, 3, 31, 12, 0, tzinfo=new_york),  # EDT
    }
    days = {
        "coaching--kickoff--amara-okafor--send@learning-portal": "2027-01-11",
        "coaching--town-hall--day-before--amara-okafor--send@learning-portal": "2027-01-15",
        "coaching--town-hall--morning-of--amara-okafor--send@learning-portal": "2027-01-18",
        "coaching--lunch--day-before--amara-okafor--send@learning-portal": "2027-03-30",
        "coaching--lunch--morning-of--amara-okafor--send@learning-portal": "2027-03-31",
    }
    utc = dt.timezone.utc

    read = icaljs_events(ics)
    assert set(read) == set(timed) | set(days)
    for uid, start in timed.items():
        assert read[uid]["start"] == start.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ"), uid
    for uid, day in days.items():
        assert (read[uid]["start_wall"], read[uid]["summary"][:6]) == (day, "Send: "), uid
    assert read["coaching--kickoff--amara-okafor--send@learning-portal"]["description"].startswith(
        "Send by Monday 18 January 2027, 16:00 GMT\n\nSubject: Coaching for Growth starts today"
    )

    calendar = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    by_uid = {event.uid: event for event in calendar.events}
    assert set(by_uid) == set(timed) | set(days)
    for uid, start in timed.items():
        assert by_uid[uid].dtstart.astimezone(utc) == start.astimezone(utc), uid
    for uid, day in days.items():
        assert by_uid[uid].dtstart == dt.date.fromisoformat(day), uid
        assert [alarm.trigger for alarm in by_uid[uid].alarm] in ([dt.timedelta(hours=8)], [dt.timedelta(hours=9)])

"""The send window of a message and the working-day rules of reminders (rules/schedule.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from campaign_portal.model import BusinessCase, Campaign, Event, Message, SourceRef, TemplateText
from campaign_portal.rules import schedule

from conftest import BuiltSite, build_project, prepare_project

UTC = dt.timezone.utc
SOURCE = SourceRef("campaigns/coaching.yml", 1)


def make_event(event_id: str, local_start: str, *, status: str = "scheduled", zone: str = "Europe/London") -> Event:
    return Event(
        id=event_id,
        title=event_id,
        type="town-hall",
        local_start=dt.datetime.fromisoformat(local_start),
        timezone=zone,
        duration=60,
        hosts=("amara-okafor",),
        location="London HQ",
        status=status,  # type: ignore[arg-type]
        source=SOURCE,
    )


def make_message(*, publish: dt.datetime | None = None, send_by: dt.datetime | None = None) -> Message:
    text = TemplateText("Hi", SOURCE)
    return Message(
        id="kickoff", title="Kick-off", leaders=("amara-okafor",), subject=text, body=text, source=SOURCE,
        publish=publish, send_by=send_by,
    )  # fmt: skip


def make_campaign(*events: Event, publish: dt.datetime | None = None) -> Campaign:
    return Campaign(
        id="coaching", title="Coaching", summary="s", starts=dt.date(2027, 1, 11),
        business_case=BusinessCase("p", "o"), source=SOURCE, publish=publish, events=events,
    )  # fmt: skip


def test_a_message_without_next_event_is_to_send_for_fourteen_days_from_its_moment() -> None:
    window = schedule.send_window(make_campaign(), make_message())
    assert window.opens == dt.datetime(2027, 1, 11, tzinfo=UTC)  # the campaign's first day
    assert window.closes == dt.datetime(2027, 1, 25, tzinfo=UTC)
    assert window.last_day == dt.date(2027, 1, 24)
    assert window.state(dt.datetime(2027, 1, 10, 23, 59, tzinfo=UTC)) == "coming"
    assert window.state(dt.datetime(2027, 1, 11, tzinfo=UTC)) == "now"
    assert window.state(dt.datetime(2027, 1, 24, 23, 59, tzinfo=UTC)) == "now"
    assert window.state(dt.datetime(2027, 1, 25, tzinfo=UTC)) == "sent"


def test_the_window_closes_when_the_next_scheduled_event_starts() -> None:
    town_hall = make_event("town-hall", "2027-01-14T16:00")
    cancelled = make_event("cancelled", "2027-01-12T10:00", status="cancelled")
    before = make_event("before", "2027-01-04T10:00")  # before the message's moment: not its next event
    campaign = make_campaign(before, cancelled, town_hall, publish=dt.datetime(2027, 1, 4, 9, tzinfo=UTC))
    window = schedule.send_window(campaign, make_message(publish=dt.datetime(2027, 1, 11, 8, tzinfo=UTC)))
    assert window.opens == dt.datetime(2027, 1, 11, 8, tzinfo=UTC)
    assert window.closes == town_hall.starts
    assert window.last_day == dt.date(2027, 1, 14)
    # An event more than 14 days away does not stretch the window.
    late = make_campaign(make_event("late", "2027-03-01T10:00"))
    assert schedule.send_window(late, make_message()).closes == dt.datetime(2027, 1, 25, tzinfo=UTC)


def test_send_by_sets_the_window_and_a_closed_window_is_sent() -> None:
    send_by = dt.datetime(2027, 2, 1, tzinfo=UTC)  # what the loader makes of `send_by: 2027-01-31`
    window = schedule.send_window(make_campaign(make_event("soon", "2027-01-12T10:00")), make_message(send_by=send_by))
    assert (window.opens, window.closes, window.last_day) == (
        dt.datetime(2027, 1, 11, tzinfo=UTC),
        send_by,
        dt.date(2027, 1, 31),
    )
    assert window.state(dt.datetime(2027, 2, 1, 0, 0, 1, tzinfo=UTC)) == "sent"


def test_a_day_before_reminder_for_a_monday_event_is_due_on_the_friday_before() -> None:
    monday = make_event("monday", "2027-01-18T09:30")
    assert schedule.reminder_day(monday, "day_before") == dt.date(2027, 1, 15)
    assert schedule.reminder_day(monday, "morning_of") == dt.date(2027, 1, 18)
    window = schedule.reminder_window(monday, "day_before")
    # To send from the start of the working day before (Thursday) to the end of Friday, London time.
    assert window.opens == dt.datetime(2027, 1, 14, tzinfo=monday.zone)
    assert window.closes == dt.datetime(2027, 1, 16, tzinfo=monday.zone)
    morning = schedule.reminder_window(monday, "morning_of")
    assert morning.opens == dt.datetime(2027, 1, 15, tzinfo=monday.zone)  # on Friday, Monday's is next
    assert morning.closes == monday.starts  # never after the event has started
    assert morning.state(dt.datetime(2027, 1, 16, 12, tzinfo=UTC)) == "now"  # the weekend in between


def test_the_working_week_comes_from_the_settings() -> None:
    sunday = make_event("sunday", "2027-01-17T10:00", zone="Asia/Dubai")
    sunday_to_thursday = frozenset({6, 0, 1, 2, 3})
    assert schedule.reminder_day(sunday, "day_before", sunday_to_thursday) == dt.date(2027, 1, 14)
    assert schedule.reminder_day(sunday, "day_before") == dt.date(2027, 1, 15)  # Monday to Friday
    tuesday = make_event("tuesday", "2027-01-19T10:00")
    assert schedule.reminder_day(tuesday, "day_before") == dt.date(2027, 1, 18)
    assert schedule.next_working_day(dt.date(2027, 1, 15)) == dt.date(2027, 1, 18)


@pytest.mark.parametrize(
    ("status", "now", "live"),
    [
        ("scheduled", dt.datetime(2027, 1, 18, 9, tzinfo=UTC), True),
        ("cancelled", dt.datetime(2027, 1, 15, 9, tzinfo=UTC), False),
        ("scheduled", dt.datetime(2027, 1, 18, 10, 30, tzinfo=UTC), False),  # over
    ],
)
def test_a_reminder_of_a_cancelled_or_past_event_is_never_to_send(status: str, now: dt.datetime, live: bool) -> None:
    event = make_event("monday", "2027-01-18T09:30", status=status)
    assert schedule.reminder_is_live(event, now) is live


def test_a_window_in_the_event_zone_across_a_daylight_saving_change() -> None:
    # Clocks go forward in London on Sunday 28 March 2027: the Monday's reminder window still
    # opens at local midnight on Thursday and the morning's one closes at 09:30 BST.
    monday = make_event("monday", "2027-03-29T09:30")
    window = schedule.reminder_window(monday, "morning_of")
    assert window.opens.astimezone(UTC) == dt.datetime(2027, 3, 26, 0, tzinfo=UTC)  # GMT
    assert window.closes.astimezone(UTC) == dt.datetime(2027, 3, 29, 8, 30, tzinfo=UTC)  # BST


def test_send_window_reads_the_campaign_as_the_build_sees_it() -> None:
    soon = make_event("soon", "2027-01-13T10:00")
    campaign = make_campaign(soon)
    without = dataclasses.replace(campaign, events=())  # e.g. the event is not public yet
    assert schedule.send_window(campaign, make_message()).closes == soon.starts
    assert schedule.send_window(without, make_message()).closes == dt.datetime(2027, 1, 25, tzinfo=UTC)


# -- the working week in mkdocs.yml -------------------------------------------------------------------

SUNDAY_EVENT = """\
events:
  - id: lunch
    title: Lunch and learn
    type: lunch-and-learn
    starts: 2027-01-17T12:30
    timezone: Asia/Dubai
    duration: 60
    location: Dubai office
    hosts: [amara-okafor]
"""


def build_with_working_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, days: str) -> BuiltSite:
    from conftest import LEADERS_YML, MINIMAL_CAMPAIGN

    root = prepare_project(
        tmp_path / "project", {"leaders.yml": LEADERS_YML, "coaching.yml": MINIMAL_CAMPAIGN + SUNDAY_EVENT}
    )
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      campaigns_dir: campaigns\n" in text
    config.write_text(
        text.replace(
            "      campaigns_dir: campaigns\n", f"      campaigns_dir: campaigns\n      working_days: {days}\n"
        )
    )
    monkeypatch.setenv("PORTAL_NOW", "2027-01-05T09:00:00Z")
    return build_project(root, strict=True)


def test_mkdocs_yml_sets_the_working_week(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_with_working_days(tmp_path, monkeypatch, "[Sunday, monday, tuesday, wednesday, thursday]")
    day_before = site.content("leaders/amara-okafor/").select_one("#coaching--lunch--day-before")
    assert day_before is not None
    item = day_before.find_parent("details")
    assert item is not None
    assert item.select_one(".portal-plan-item__when").get_text(strip=True) == "Send on Thu 14 Jan 2027"


def test_an_empty_working_week_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.exceptions import Abort, ConfigurationError

    with pytest.raises((Abort, ConfigurationError, SystemExit)):
        build_with_working_days(tmp_path, monkeypatch, "[]")


def test_site_changes_list_every_moment_a_build_sees_a_send_window_close() -> None:
    """A build reads the window with the events public at that moment; portal due must name each
    moment that view changes, also when the message's first event goes public only after a later
    one has started (the window then closes at the later one's start)."""
    from campaign_portal.model import Leader, Portal
    from campaign_portal.publishing import select_public

    late = dataclasses.replace(
        make_event("announced-late", "2027-01-14T10:00"), publish=dt.datetime(2027, 1, 20, tzinfo=UTC)
    )
    campaign = make_campaign(
        late,
        make_event("public", "2027-01-16T10:00"),
        make_event("called-off", "2027-01-13T10:00", status="cancelled"),
        publish=dt.datetime(2027, 1, 4, tzinfo=UTC),
    )
    campaign = dataclasses.replace(campaign, messages=(make_message(publish=dt.datetime(2027, 1, 8, tzinfo=UTC)),))
    portal = Portal(
        leaders={"amara-okafor": Leader("amara-okafor", "Amara Okafor", "COO", SOURCE)},
        campaigns={"coaching": campaign},
    )
    listed = [change.moment for change in schedule.site_changes(portal) if "kickoff" in change.what]

    def state(now: dt.datetime) -> str:
        seen_by_build = select_public(portal, now).campaigns["coaching"].events
        return schedule.send_window(dataclasses.replace(campaign, events=seen_by_build), campaign.messages[0]).state(now)

    assert dt.datetime(2027, 1, 16, 10, tzinfo=UTC) in listed  # 'public' starts first among public events
    previous = dt.datetime(2027, 1, 5, tzinfo=UTC)
    seen = {state(previous)}
    for _ in range(40 * 24):
        now = previous + dt.timedelta(hours=1)
        if state(now) != state(previous):
            assert any(previous < moment <= now for moment in listed), f"unlisted change by {now}"
        seen.add(state(now))
        previous = now
    assert seen == {"coming", "now", "sent"}

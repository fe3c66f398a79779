"""Unit tests of the iCalendar builder, read back with icalendar and recurring_ical_events."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events
from icalendar import Calendar

from campaign_portal.model import BusinessCase, Campaign, Event, SourceRef
from campaign_portal.writers.calendar import (
    PRODID,
    CalendarEntry,
    build_calendar,
    event_uid,
)

UTC = dt.timezone.utc
STAMP = dt.datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
SOURCE = SourceRef("campaigns/x.yml", 1)


def wall(text: str) -> dt.datetime:
    """A naive wall time, which is how the model stores an event's start."""
    return dt.datetime.fromisoformat(text)


def make_event(
    event_id: str,
    local_start: dt.datetime,
    timezone: str,
    duration: int = 60,
    **fields: Any,
) -> Event:
    fields.setdefault("location", "HQ, room 4.02")
    return Event(
        id=event_id,
        title=fields.pop("title", f"Event {event_id}"),
        type=fields.pop("type", "workshop"),
        local_start=local_start,
        timezone=timezone,
        duration=duration,
        hosts=("amara-okafor",),
        source=SOURCE,
        **fields,
    )


def make_campaign(campaign_id: str, *events: Event) -> Campaign:
    return Campaign(
        id=campaign_id,
        title=f"Campaign {campaign_id}",
        summary="A campaign.",
        starts=dt.date(2027, 1, 1),
        business_case=BusinessCase(problem="A problem.", outcome="An outcome."),
        source=SourceRef(f"campaigns/{campaign_id}.yml", 1),
        events=events,
    )


def entries_of(campaign: Campaign, stamp: dt.datetime = STAMP) -> list[CalendarEntry]:
    return [
        CalendarEntry(
            campaign=campaign,
            event=event,
            url=f"https://learn.example.com/campaigns/{campaign.id}/events/{event.id}/",
            description=f"About {event.title}.",
            stamp=stamp,
        )
        for event in campaign.events
    ]


# One campaign whose events exercise every zone rule the tests care about.
WORLD = make_campaign(
    "world",
    make_event("kolkata", wall("2027-03-14T10:00"), "Asia/Kolkata"),
    make_event("la-dst-day", wall("2027-03-14T10:00"), "America/Los_Angeles"),
    make_event("la-crossing", wall("2027-03-14T01:30"), "America/Los_Angeles", duration=90),
    make_event("london-summer", wall("2027-07-01T12:30"), "Europe/London"),
    make_event("london-winter", wall("2027-01-20T12:30"), "Europe/London"),
)

EXPECTED_UTC = {
    "kolkata": (dt.datetime(2027, 3, 14, 4, 30, tzinfo=UTC), dt.datetime(2027, 3, 14, 5, 30, tzinfo=UTC)),
    "la-dst-day": (dt.datetime(2027, 3, 14, 17, 0, tzinfo=UTC), dt.datetime(2027, 3, 14, 18, 0, tzinfo=UTC)),
    "la-crossing": (dt.datetime(2027, 3, 14, 9, 30, tzinfo=UTC), dt.datetime(2027, 3, 14, 11, 0, tzinfo=UTC)),
    "london-summer": (dt.datetime(2027, 7, 1, 11, 30, tzinfo=UTC), dt.datetime(2027, 7, 1, 12, 30, tzinfo=UTC)),
    "london-winter": (dt.datetime(2027, 1, 20, 12, 30, tzinfo=UTC), dt.datetime(2027, 1, 20, 13, 30, tzinfo=UTC)),
}


def parse(ics: bytes) -> Calendar:
    return Calendar.from_ical(ics)


def vevents_by_uid(calendar: Calendar) -> dict[str, Any]:
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def test_event_uid_is_built_from_the_ids_only() -> None:
    assert event_uid("coaching", "lunch") == "coaching--lunch@learning-portal"
    assert event_uid("coaching", "lunch", domain="learn.example.com") == "coaching--lunch@learn.example.com"
    # Hyphens inside ids never make two different pairs collide.
    assert event_uid("a-b", "c") != event_uid("a", "b-c")


def test_uid_in_output_is_stable_across_stamps_and_urls() -> None:
    first = vevents_by_uid(parse(build_calendar(entries_of(WORLD), name="World")))
    later_entries = [
        CalendarEntry(entry.campaign, entry.event, None, "changed", dt.datetime(2027, 6, 1, tzinfo=UTC))
        for entry in entries_of(WORLD)
    ]
    later = vevents_by_uid(parse(build_calendar(later_entries, name="World")))
    expected = {event_uid("world", event_id) for event_id in EXPECTED_UTC}
    assert set(first) == expected
    assert set(later) == expected


def test_recurring_ical_events_reports_the_right_utc_instants() -> None:
    calendar = parse(build_calendar(entries_of(WORLD), name="World"))
    occurrences = recurring_ical_events.of(calendar).between(dt.date(2027, 1, 1), dt.date(2028, 1, 1))
    reported = {
        str(occurrence["UID"]).split("--")[1].split("@")[0]: (
            occurrence["DTSTART"].dt.astimezone(UTC),
            occurrence["DTEND"].dt.astimezone(UTC),
        )
        for occurrence in occurrences
    }
    assert reported == EXPECTED_UTC


def test_dst_crossing_event_keeps_its_length_and_local_wall_times() -> None:
    calendar = parse(build_calendar(entries_of(WORLD), name="World"))
    crossing = vevents_by_uid(calendar)[event_uid("world", "la-crossing")]
    start, end = crossing["DTSTART"].dt, crossing["DTEND"].dt
    # 01:30 PST plus 90 minutes is 04:00 PDT: three wall-clock hours, ninety real minutes.
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (
        wall("2027-03-14T01:30"),
        wall("2027-03-14T04:00"),
    )
    assert end.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(minutes=90)


def test_start_and_end_carry_the_event_zone_as_tzid() -> None:
    calendar = parse(build_calendar(entries_of(WORLD), name="World"))
    zones = {event.id: event.timezone for event in WORLD.events}
    for uid, vevent in vevents_by_uid(calendar).items():
        event_id = uid.split("--")[1].split("@")[0]
        assert vevent["DTSTART"].params["TZID"] == zones[event_id]
        assert vevent["DTEND"].params["TZID"] == zones[event_id]
    raw = build_calendar(entries_of(WORLD), name="World")
    assert b"DTSTART;TZID=America/Los_Angeles:20270314T013000\r\n" in raw
    assert b"DTEND;TZID=America/Los_Angeles:20270314T040000\r\n" in raw
    assert b"DTSTART;TZID=Asia/Kolkata:20270314T100000\r\n" in raw


def test_each_used_zone_has_exactly_one_vtimezone() -> None:
    calendar = parse(build_calendar(entries_of(WORLD), name="World"))
    tzids = [str(timezone["TZID"]) for timezone in calendar.walk("VTIMEZONE")]
    assert tzids == ["America/Los_Angeles", "Asia/Kolkata", "Europe/London"]
    assert calendar.get_missing_tzids() == set()


def test_vtimezones_alone_give_the_right_utc_instants() -> None:
    """Clients that do not know IANA names convert with the VTIMEZONE rules, so those must be right."""
    calendar = parse(build_calendar(entries_of(WORLD), name="World"))
    rules = {str(timezone["TZID"]): timezone.to_tz(lookup_tzid=False) for timezone in calendar.timezones}
    for uid, vevent in vevents_by_uid(calendar).items():
        event_id = uid.split("--")[1].split("@")[0]
        zone = rules[vevent["DTSTART"].params["TZID"]]
        start = vevent["DTSTART"].dt.replace(tzinfo=zone).astimezone(UTC)
        end = vevent["DTEND"].dt.replace(tzinfo=zone).astimezone(UTC)
        assert (start, end) == EXPECTED_UTC[event_id], event_id


def test_vevents_are_sorted_by_utc_start_then_campaign_then_event() -> None:
    # 12:30 GMT and 18:00 IST are the same instant.
    same_instant_b = make_campaign(
        "b-campaign",
        make_event("z-last", wall("2027-01-20T18:00"), "Asia/Kolkata"),
        make_event("a-first", wall("2027-01-20T12:30"), "Europe/London"),
    )
    same_instant_a = make_campaign(
        "a-campaign",
        make_event("m-event", wall("2027-01-20T12:30"), "Europe/London"),
        make_event("early", wall("2027-01-20T09:00"), "Europe/London"),
    )
    entries = entries_of(same_instant_b) + entries_of(same_instant_a)
    calendar = parse(build_calendar(entries, name="Sorted"))
    assert [str(vevent["UID"]) for vevent in calendar.walk("VEVENT")] == [
        "a-campaign--early@learning-portal",
        "a-campaign--m-event@learning-portal",
        "b-campaign--a-first@learning-portal",
        "b-campaign--z-last@learning-portal",
    ]


def test_cancelled_event_is_status_cancelled_with_sequence_one() -> None:
    campaign = make_campaign(
        "c",
        make_event("on", wall("2027-02-01T12:00"), "Europe/London"),
        make_event("off", wall("2027-02-02T12:00"), "Europe/London", status="cancelled"),
    )
    vevents = vevents_by_uid(parse(build_calendar(entries_of(campaign), name="C")))
    assert (str(vevents["c--off@learning-portal"]["STATUS"]), vevents["c--off@learning-portal"]["SEQUENCE"]) == (
        "CANCELLED",
        1,
    )
    assert (str(vevents["c--on@learning-portal"]["STATUS"]), vevents["c--on@learning-portal"]["SEQUENCE"]) == (
        "CONFIRMED",
        0,
    )


def test_event_properties() -> None:
    online_only = make_event(
        "webinar",
        wall("2027-02-03T15:00"),
        "Europe/London",
        title="Lunch & learn: coaching, conversations; that stick",
        type="lunch-and-learn",
        location=None,
        online="https://meet.example.com/j/123",
    )
    campaign = make_campaign("coaching", online_only)
    stamp = dt.datetime(2027, 1, 6, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    entry = CalendarEntry(
        campaign=campaign,
        event=online_only,
        url="https://learn.example.com/campaigns/coaching/events/webinar/",
        description="Join online: https://meet.example.com/j/123\nRegister: https://forms.example.com/abc",
        stamp=stamp,
    )
    raw = build_calendar([entry], name="Coaching")
    vevent = vevents_by_uid(parse(raw))["coaching--webinar@learning-portal"]
    assert str(vevent["SUMMARY"]) == "Lunch & learn: coaching, conversations; that stick"
    assert str(vevent["LOCATION"]) == "https://meet.example.com/j/123"
    assert str(vevent["URL"]) == "https://learn.example.com/campaigns/coaching/events/webinar/"
    assert str(vevent["DESCRIPTION"]) == (
        "Join online: https://meet.example.com/j/123\nRegister: https://forms.example.com/abc"
    )
    assert vevent.categories == ["Lunch & learn"]
    assert b"DTSTAMP:20270106T090000Z\r\n" in raw
    assert b"LAST-MODIFIED:20270106T090000Z\r\n" in raw
    assert b"ORGANIZER" not in raw


def test_location_wins_over_online_and_url_is_optional() -> None:
    both = make_event(
        "both", wall("2027-02-03T15:00"), "Europe/London", location="London HQ", online="https://meet.example.com/j/1"
    )
    entry = CalendarEntry(make_campaign("c", both), both, None, "", STAMP)
    vevent = vevents_by_uid(parse(build_calendar([entry], name="C")))["c--both@learning-portal"]
    assert str(vevent["LOCATION"]) == "London HQ"
    assert "URL" not in vevent
    assert "DESCRIPTION" not in vevent


def test_calendar_properties_and_crlf() -> None:
    raw = build_calendar(entries_of(WORLD), name="All events, worldwide", description="Every public event")
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-1] == b""  # the output ends with CRLF
    assert all(not line.endswith(b"\r") and b"\n" not in line for line in lines)
    calendar = parse(raw)
    assert str(calendar["PRODID"]) == PRODID == "-//Learning Campaign Portal//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "All events, worldwide"
    assert str(calendar["X-WR-CALDESC"]) == "Every public event"
    assert len(calendar.walk("VEVENT")) == len(WORLD.events)


@pytest.mark.parametrize(("refresh_hours", "duration"), [(1, b"PT1H"), (6, b"PT6H")])
def test_subscribable_calendar_asks_clients_to_refresh(refresh_hours: int, duration: bytes) -> None:
    raw = build_calendar(entries_of(WORLD), name="World", subscribable=True, refresh_hours=refresh_hours)
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:" + duration + b"\r\n" in raw
    assert b"\r\nX-PUBLISHED-TTL:" + duration + b"\r\n" in raw
    calendar = parse(raw)
    assert calendar.refresh_interval == dt.timedelta(hours=refresh_hours)


def test_plain_calendar_has_no_refresh_properties() -> None:
    raw = build_calendar(entries_of(WORLD), name="World")
    assert b"REFRESH-INTERVAL" not in raw
    assert b"X-PUBLISHED-TTL" not in raw
    assert b"X-WR-CALDESC" not in raw  # no description given


def test_refresh_hours_must_be_positive() -> None:
    with pytest.raises(ValueError, match="refresh_hours"):
        build_calendar(entries_of(WORLD), name="World", subscribable=True, refresh_hours=0)


def test_output_is_byte_identical_and_independent_of_input_order() -> None:
    entries = entries_of(WORLD)
    first = build_calendar(entries, name="World", subscribable=True)
    assert build_calendar(entries, name="World", subscribable=True) == first
    assert build_calendar(list(reversed(entries)), name="World", subscribable=True) == first


def test_output_does_not_depend_on_the_hash_seed() -> None:
    """Sets of zone names iterate differently per process; the VTIMEZONE order must not."""
    script = textwrap.dedent(
        f"""
        import sys, hashlib, datetime as dt
        sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
        from test_calendars import WORLD, entries_of
        from campaign_portal.writers.calendar import build_calendar
        print(hashlib.sha256(build_calendar(entries_of(WORLD), name="World")).hexdigest())
        """
    )
    digests = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        digests.add(result.stdout.strip())
    assert digests == {hashlib.sha256(build_calendar(entries_of(WORLD), name="World")).hexdigest()}


def test_control_characters_are_removed_from_text() -> None:
    event = make_event("ctl", wall("2027-02-03T15:00"), "Europe/London", title="Bell\x07 and\x00 tab\tok")
    entry = CalendarEntry(make_campaign("c", event), event, None, "line one\r\nline two\x1b", STAMP)
    raw = build_calendar([entry], name="C\x01")
    assert not any(byte < 0x20 and byte not in (0x09, 0x0A, 0x0D) for byte in raw)
    calendar = parse(raw)
    vevent = vevents_by_uid(calendar)["c--ctl@learning-portal"]
    assert str(vevent["SUMMARY"]) == "Bell and tab\tok"
    assert str(vevent["DESCRIPTION"]) == "line one\nline two"
    assert str(calendar["X-WR-CALNAME"]) == "C"


def test_empty_calendar_is_valid() -> None:
    raw = build_calendar([], name="Nothing yet", subscribable=True)
    calendar = parse(raw)
    assert calendar.walk("VEVENT") == []
    assert calendar.walk("VTIMEZONE") == []
    assert str(calendar["X-WR-CALNAME"]) == "Nothing yet"
    assert recurring_ical_events.of(calendar).between(dt.date(2027, 1, 1), dt.date(2028, 1, 1)) == []


def test_naive_stamp_is_refused() -> None:
    event = WORLD.events[0]
    entry = CalendarEntry(WORLD, event, None, "", wall("2027-01-05T09:00"))  # naive on purpose
    with pytest.raises(ValueError, match=r"campaigns/x\.yml:1: calendar stamp must be time-zone aware"):
        build_calendar([entry], name="World")

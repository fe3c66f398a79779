"""Calendars read by four real clients (ical.js under node, ical, icalendar, vobject) land every
event on the same UTC moments as zoneinfo, over years of daylight-saving changes."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign_portal.model import BusinessCase, Campaign, Event, SourceRef
from campaign_portal.writers.calendar import CalendarEntry, build_calendar, event_uid

from ical_clients import CLIENTS, expected_moments, icaljs_events, icaljs_moments, icaljs_read, mismatches

UTC = dt.timezone.utc
STAMP = dt.datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
ZONES = ("Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "Australia/Sydney")
SPAN = (dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2029, 1, 1, tzinfo=UTC))


def transitions(zone: str, start: dt.datetime, end: dt.datetime) -> Iterator[dt.datetime]:
    """Each instant in [start, end) where the zone's UTC offset changes, found by an hourly scan."""
    tz = ZoneInfo(zone)
    step = dt.timedelta(hours=1)
    moment = start
    offset = moment.astimezone(tz).utcoffset()
    while moment < end:
        later = moment + step
        later_offset = later.astimezone(tz).utcoffset()
        if later_offset != offset:
            minute = moment
            while (minute + dt.timedelta(minutes=1)).astimezone(tz).utcoffset() == offset:
                minute += dt.timedelta(minutes=1)
            yield minute + dt.timedelta(minutes=1)
        moment, offset = later, later_offset


def span_events(zone: str) -> list[Event]:
    """Events in ``zone`` across 2026-2028: one a month, and around every change of offset one
    the day before, one starting an hour before the change and crossing it, one starting in the
    repeated hour (fall back), one ending in its second pass, and one just after the change."""
    tz = ZoneInfo(zone)
    slug = zone.lower().replace("/", "-").replace("_", "-")
    walls: list[tuple[str, dt.datetime, int]] = []
    for year in (2026, 2027, 2028):
        for month in range(1, 13):
            walls.append((f"monthly-{year}-{month:02d}", dt.datetime(year, month, 10, 14, 0), 60))  # noqa: DTZ001
    for number, change in enumerate(transitions(zone, *SPAN)):
        before = change.astimezone(tz) - dt.timedelta(microseconds=1)
        # The wall time at which the change happens, read on the clock as it was before it.
        onset = (change - dt.timedelta(minutes=1)).astimezone(tz).replace(tzinfo=None) + dt.timedelta(minutes=1)
        gained = (change.astimezone(tz).utcoffset() or dt.timedelta()) - (before.utcoffset() or dt.timedelta())
        walls.append((f"change-{number}-day-before", onset - dt.timedelta(days=1), 60))
        walls.append((f"change-{number}-crossing", onset - dt.timedelta(hours=1), 180))
        walls.append((f"change-{number}-after", onset + dt.timedelta(hours=3), 45))
        if gained < dt.timedelta(0):  # clocks go back: the hour before the onset happens twice
            walls.append((f"change-{number}-in-repeated-hour", onset - dt.timedelta(minutes=30), 60))
            walls.append((f"change-{number}-ends-in-second-pass", onset - dt.timedelta(minutes=90), 90))
    return [
        Event(
            id=f"{slug}-{name}",
            title=f"{zone} {name}",
            type="workshop",
            local_start=local_start,
            timezone=zone,
            duration=duration,
            hosts=("amara-okafor",),
            source=SourceRef("campaigns/span.yml", 1),
            location="HQ",
        )
        for name, local_start, duration in walls
    ]


def span_campaign() -> Campaign:
    events = tuple(event for zone in ZONES for event in span_events(zone))
    return Campaign(
        id="span",
        title="Span",
        summary="Events over three years.",
        starts=dt.date(2026, 1, 1),
        business_case=BusinessCase(problem="A problem.", outcome="An outcome."),
        source=SourceRef("campaigns/span.yml", 1),
        events=events,
    )


@functools.cache
def span_calendar() -> tuple[bytes, dict[str, tuple[dt.datetime, dt.datetime]]]:
    """The 2026-2028 calendar and the UTC moments zoneinfo gives each of its events."""
    campaign = span_campaign()
    entries = [CalendarEntry(campaign, event, None, f"About {event.title}.", STAMP) for event in campaign.events]
    expected = expected_moments((event_uid("span", e.id), e.starts, e.ends) for e in campaign.events)
    return build_calendar(entries, name="Span"), expected


def test_the_span_calendar_has_events_around_every_change() -> None:
    _, expected = span_calendar()
    # 36 monthly events per zone; London, New York, Los Angeles and Sydney change their clocks
    # 6 times in the span, 3 forward (3 events each) and 3 back (5 events each); Kolkata never.
    changes = {zone: len(list(transitions(zone, *SPAN))) for zone in ZONES}
    assert changes == {
        "Europe/London": 6,
        "America/New_York": 6,
        "America/Los_Angeles": 6,
        "Asia/Kolkata": 0,
        "Australia/Sydney": 6,
    }
    assert len(expected) == 36 * 5 + 4 * 3 * (3 + 5)
    # The example from issue 15: the webinar at 14:00 in New York on 12 May 2026 is 18:00Z.
    may = ZoneInfo("America/New_York")
    assert dt.datetime(2026, 5, 12, 14, 0, tzinfo=may).astimezone(UTC) == dt.datetime(2026, 5, 12, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_every_client_reads_every_event_at_the_zoneinfo_moments(client: str) -> None:
    ics, expected = span_calendar()
    assert mismatches(expected, CLIENTS[client](ics)) == []


@pytest.mark.parametrize("client", ["ical", "icalendar", "vobject"])
def test_clients_with_their_own_zone_database_agree_too(client: str) -> None:
    """As written (TZIDs they know, so their own IANA copy), not only through our VTIMEZONEs."""
    ics, expected = span_calendar()
    assert mismatches(expected, CLIENTS[client](ics, own_zones=False)) == []  # type: ignore[call-arg]


def test_icaljs_reads_the_issue_example_at_18z() -> None:
    campaign = Campaign(
        id="safety",
        title="Safety",
        summary="S.",
        starts=dt.date(2026, 1, 1),
        business_case=BusinessCase(problem="P.", outcome="O."),
        source=SourceRef("campaigns/safety.yml", 1),
        events=(
            Event(
                id="webinar",
                title="Webinar",
                type="webinar",
                local_start=dt.datetime(2026, 5, 12, 14, 0),  # noqa: DTZ001
                timezone="America/New_York",
                duration=45,
                hosts=("amara-okafor",),
                source=SourceRef("campaigns/safety.yml", 1),
                online="https://meet.example.com/x",
            ),
            Event(
                id="later",
                title="Later",
                type="webinar",
                local_start=dt.datetime(2027, 11, 30, 14, 0),  # noqa: DTZ001
                timezone="America/New_York",
                duration=45,
                hosts=("amara-okafor",),
                source=SourceRef("campaigns/safety.yml", 1),
                online="https://meet.example.com/x",
            ),
        ),
    )
    entries = [CalendarEntry(campaign, event, None, "", STAMP) for event in campaign.events]
    moments = icaljs_moments(build_calendar(entries, name="Safety"))
    assert moments["safety--webinar@learning-portal"][0] == dt.datetime(2026, 5, 12, 18, 0, tzinfo=UTC)


def one_event_calendar(event: Event, *, description: str = "", name: str = "One") -> bytes:
    campaign = Campaign(
        id="one",
        title="One",
        summary="S.",
        starts=dt.date(2026, 1, 1),
        business_case=BusinessCase(problem="P.", outcome="O."),
        source=SourceRef("campaigns/one.yml", 1),
        events=(event,),
    )
    return build_calendar([CalendarEntry(campaign, event, None, description, STAMP)], name=name)


def make_event(local_start: str, zone: str, duration: int = 60, **fields: str) -> Event:
    return Event(
        id=fields.pop("id", "e"),
        title=fields.pop("title", "E"),
        type="workshop",
        local_start=dt.datetime.fromisoformat(local_start),
        timezone=zone,
        duration=duration,
        hosts=("amara-okafor",),
        source=SourceRef("campaigns/one.yml", 1),
        location="HQ",
    )


def vtimezone_lines(ics: bytes, tzid: str) -> list[str]:
    text = ics.decode("utf-8")
    start = text.index(f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n")
    return text[start : text.index("END:VTIMEZONE", start)].split("\r\n")


def test_onsets_are_the_wall_time_before_the_change() -> None:
    """RFC 5545: DTSTART of an observance is the local time before the change, on TZOFFSETFROM's clock."""
    lines = vtimezone_lines(one_event_calendar(make_event("2026-06-01T12:00", "Europe/London")), "Europe/London")
    # Spring 2026: 01:00 GMT becomes 02:00 BST; autumn: 02:00 BST becomes 01:00 GMT.
    spring = lines.index("DTSTART:20260329T010000")
    assert lines[spring - 1 : spring + 6] == [
        "BEGIN:DAYLIGHT",
        "DTSTART:20260329T010000",
        "RDATE:20260329T010000",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "TZNAME:BST",
        "END:DAYLIGHT",
    ]
    autumn = lines.index("DTSTART:20261025T020000")
    assert lines[autumn - 1 : autumn + 6] == [
        "BEGIN:STANDARD",
        "DTSTART:20261025T020000",
        "RDATE:20261025T020000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "TZNAME:GMT",
        "END:STANDARD",
    ]
    # The change in force on 1 January (October 2025) comes first; nothing past the event's year.
    assert [line for line in lines if line.startswith("DTSTART")] == [
        "DTSTART:20251026T020000",
        "DTSTART:20260329T010000",
        "DTSTART:20261025T020000",
    ]


def test_every_observance_is_one_change_and_none_repeats() -> None:
    ics, _ = span_calendar()
    text = ics.decode("utf-8")
    assert "RRULE" not in text
    for zone in ZONES:
        lines = vtimezone_lines(ics, zone)
        starts = [line.split(":")[1] for line in lines if line.startswith("DTSTART")]
        rdates = [line.split(":")[1] for line in lines if line.startswith("RDATE")]
        assert starts == rdates == sorted(set(starts)), zone
    # A zone that does not change its clocks is one fixed observance.
    assert vtimezone_lines(ics, "Asia/Kolkata")[2:9] == [
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "RDATE:19700101T000000",
        "TZOFFSETFROM:+0530",
        "TZOFFSETTO:+0530",
        "TZNAME:IST",
        "END:STANDARD",
    ]


def test_each_zone_covers_the_years_of_its_own_events() -> None:
    london = make_event("2026-06-01T12:00", "Europe/London", id="london")
    sydney = make_event("2028-06-01T12:00", "Australia/Sydney", id="sydney")
    campaign = Campaign(
        id="two",
        title="Two",
        summary="S.",
        starts=dt.date(2026, 1, 1),
        business_case=BusinessCase(problem="P.", outcome="O."),
        source=SourceRef("campaigns/two.yml", 1),
        events=(london, sydney),
    )
    ics = build_calendar([CalendarEntry(campaign, e, None, "", STAMP) for e in campaign.events], name="Two")
    london_starts = [line for line in vtimezone_lines(ics, "Europe/London") if line.startswith("DTSTART")]
    sydney_starts = [line for line in vtimezone_lines(ics, "Australia/Sydney") if line.startswith("DTSTART")]
    assert london_starts[-1] == "DTSTART:20261025T020000"
    assert sydney_starts[0] == "DTSTART:20271003T020000"  # in force on 1 January 2028
    assert sydney_starts[-1] == "DTSTART:20281001T020000"


def test_a_wall_time_that_names_no_single_moment_is_written_in_utc() -> None:
    # 00:30 EDT + 90 minutes ends at 01:00 EST, the second pass of the repeated hour.
    ics = one_event_calendar(make_event("2026-11-01T00:30", "America/New_York", 90))
    assert b"DTSTART;TZID=America/New_York:20261101T003000\r\n" in ics
    assert b"DTEND:20261101T060000Z\r\n" in ics
    # A start inside the repeated hour is the first pass (zoneinfo's fold=0), written in UTC too.
    ics = one_event_calendar(make_event("2026-11-01T01:30", "America/New_York", 60))
    assert b"DTSTART:20261101T053000Z\r\n" in ics
    assert b"DTEND;TZID=America/New_York:20261101T013000" not in ics
    for read in CLIENTS.values():
        assert read(ics)["one--e@learning-portal"][0] == dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\u2028b", "a\nb"),
        ("a\u2029b", "a\n\nb"),
        ("a\x85b", "a\nb"),
        ("a\x0bb\x0cc", "a\nb\nc"),
        ("a\x1cb\x1dc\x1ed", "a\nb\nc\nd"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("bell\x07", "bell"),
    ],
)
def test_unicode_line_breaks_become_escaped_newlines_in_text(raw: str, clean: str) -> None:
    ics = one_event_calendar(make_event("2026-06-01T12:00", "Europe/London", title=f"T {raw}"), description=raw, name=raw)
    text = ics.decode("utf-8")
    for character in "\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e\x07":
        assert character not in text
    assert "\n" not in text.replace("\r\n", "")
    (event,) = icaljs_events(ics).values()
    assert event["description"] == clean
    assert event["summary"] == f"T {clean}"


def test_text_special_characters_survive_every_reader(tmp_path: Path) -> None:
    title = 'Sales, service; and a back\\slash: "quoted" \u00e9t\u00e9 \U0001f389'
    ics = one_event_calendar(make_event("2026-06-01T12:00", "Europe/London", title=title), description=title + "\nline")
    (event,) = icaljs_events(ics).values()
    assert (event["summary"], event["description"]) == (title, title + "\nline")
    assert b"SUMMARY:Sales\\, service\\; and a back\\\\slash: " in ics.replace(b"\r\n ", b"")
    ics = one_event_calendar(make_event("2026-06-01T12:00", "Europe/London"), name=title)
    assert b"X-WR-CALNAME;VALUE=TEXT:Sales\\, service\\; and a back\\\\slash" in ics
    path = tmp_path / "named.ics"
    path.write_bytes(ics)
    assert icaljs_read([path])[path]["name"] == title

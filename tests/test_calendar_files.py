"""The calendars of a built portal (each event.ics, each campaign's calendar.ics, events/calendar.ics)
checked against RFC 5545's form and read by ical.js and the Python clients at zoneinfo's moments."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from campaign_portal.load import load_portal
from campaign_portal.writers.calendar import event_uid

from conftest import PROJECT_ROOT, BuildPortal, BuiltSite
from ical_clients import (
    CLIENTS,
    expected_moments,
    icaljs_moments_of_files,
    icaljs_read,
    mismatches,
    rfc5545_problems,
)

UTC = dt.timezone.utc


def example_moments() -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Every example event's UTC start and end, as zoneinfo gives them from the loaded YAML."""
    portal = load_portal(PROJECT_ROOT / "campaigns").portal
    return expected_moments(
        (event_uid(campaign.id, event.id), event.starts, event.ends)
        for campaign in portal.campaigns.values()
        for event in campaign.events
    )


def calendars(site: BuiltSite) -> list[Path]:
    """The event calendars. A leader's own calendar also holds all-day entries (the days messages
    are due), which these timed-event readers do not take: test_leader_plan reads it with the
    same clients."""
    return sorted(path for path in site.site_dir.rglob("*.ics") if path.parent.parent.name != "leaders")


def test_the_example_has_the_calendars_the_spec_lists(example_site: BuiltSite) -> None:
    names = {path.relative_to(example_site.site_dir).as_posix() for path in calendars(example_site)}
    assert "events/calendar.ics" in names
    assert any(name.endswith("/calendar.ics") and name.startswith("campaigns/") for name in names)
    assert sum(name.endswith("/event.ics") for name in names) >= 10


def test_every_calendar_keeps_rfc_5545s_form(example_site: BuiltSite) -> None:
    problems = {
        path.relative_to(example_site.site_dir).as_posix(): found
        for path in calendars(example_site)
        if (found := rfc5545_problems(path.read_bytes()))
    }
    assert problems == {}


def test_icaljs_reads_every_calendar_at_the_zoneinfo_moments(example_site: BuiltSite) -> None:
    expected = example_moments()
    paths = calendars(example_site)
    read = icaljs_moments_of_files(paths)
    seen: set[str] = set()
    for path in paths:
        moments = read[path]
        assert moments, f"{path}: no events"
        assert mismatches({uid: expected[uid] for uid in moments}, moments) == [], path
        seen.update(moments)
    # The example: the Safety First webinar, 12 May 2026 at 14:00 in New York, is 18:00Z.
    everyone = read[example_site.site_dir / "events" / "calendar.ics"]
    webinar = everyone["safety-first-2026--near-miss-webinar@learning-portal"]
    assert webinar[0] == dt.datetime(2026, 5, 12, 18, 0, tzinfo=UTC)
    assert len(seen) >= 10


@pytest.mark.parametrize(
    ("client", "own_zones"),
    [("ical", True), ("ical", False), ("icalendar", True), ("icalendar", False), ("vobject", True)],
)
def test_python_clients_read_every_calendar_at_the_zoneinfo_moments(
    example_site: BuiltSite, client: str, own_zones: bool
) -> None:
    # vobject as written is left out here: it keeps the first VTIMEZONE it meets for a TZID for the
    # whole process, whatever file (of another test) it came from; the next test covers that case.
    expected = example_moments()
    for path in calendars(example_site):
        moments = CLIENTS[client](path.read_bytes(), own_zones=own_zones)  # type: ignore[call-arg]
        assert mismatches({uid: expected[uid] for uid in moments}, moments) == [], path


def vtimezones(ics: bytes) -> dict[str, bytes]:
    """Each VTIMEZONE of the calendar, whole, by its TZID."""
    blocks = re.findall(rb"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", ics, re.S)
    return {re.search(rb"\r\nTZID:([^\r]+)\r\n", block)[1].decode(): block for block in blocks}  # type: ignore[index]


def test_every_calendar_of_a_site_carries_the_same_vtimezone_for_a_zone(example_site: BuiltSite) -> None:
    """A reader that keeps the first VTIMEZONE of a TZID for later files (vobject does) reads
    every calendar of the site right, whichever it reads first."""
    seen: dict[str, set[bytes]] = {}
    for path in calendars(example_site):
        for tzid, block in vtimezones(path.read_bytes()).items():
            seen.setdefault(tzid, set()).add(block)
    assert {"Europe/London", "America/New_York", "Asia/Kolkata"} <= seen.keys()
    assert {tzid: len(blocks) for tzid, blocks in seen.items()} == dict.fromkeys(seen, 1)


def test_an_event_reads_the_same_in_all_three_calendars(example_site: BuiltSite) -> None:
    """Same UID, DTSTAMP, summary, text and status in its own file, its campaign's and everyone's."""
    read = icaljs_read(calendars(example_site))
    everyone = read[example_site.site_dir / "events" / "calendar.ics"]["events"]
    for path, result in read.items():
        for uid, event in result["events"].items():
            assert event == everyone[uid], f"{path}: {uid}"
            campaign_id = uid.split("--")[0]
            campaign = read[example_site.site_dir / "campaigns" / campaign_id / "calendar.ics"]["events"]
            assert event == campaign[uid], f"{path}: {uid}"


def test_uids_and_stamps_do_not_change_with_the_day_of_the_build(build_portal: BuildPortal) -> None:
    """A client updates the event it has (same UID) and only when DTSTAMP or SEQUENCE says so."""
    early = build_portal(example=True, now="2026-11-25T12:00:00Z")
    later = build_portal(example=True, now="2027-03-20T12:00:00Z")
    before = icaljs_read([early.path("events/calendar.ics")])[early.path("events/calendar.ics")]["events"]
    after = icaljs_read([later.path("events/calendar.ics")])[later.path("events/calendar.ics")]["events"]
    assert before.keys() <= after.keys()
    for uid in before:
        assert (before[uid]["dtstamp"], before[uid]["sequence"]) == (after[uid]["dtstamp"], after[uid]["sequence"]), uid


def test_the_checker_finds_what_it_looks_for() -> None:
    """rfc5545_problems is a test helper: it must fail on each defect it is said to catch."""
    base = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//x//EN",
        "BEGIN:VEVENT",
        "UID:a@x",
        "DTSTAMP:20260101T000000Z",
        "DTSTART:20260101T100000Z",
        "SUMMARY:fine\\, escaped\\; text\\n",
        "END:VEVENT",
        "END:VCALENDAR",
    ]

    def problems(lines: list[str], end: str = "\r\n") -> list[str]:
        return rfc5545_problems((end.join(lines) + end).encode("utf-8"))

    assert problems(base) == []
    assert problems(base, "\n")
    assert problems([*base[:7], "SUMMARY:" + "x" * 80, *base[8:]])
    assert problems([*base[:7], "SUMMARY:a, b", *base[8:]])
    assert problems([*base[:5], "DTSTAMP:20260101T000000", *base[6:]])
    assert problems([*base[:6], "DTSTART;TZID=Europe/London:20260101T100000", *base[7:]])
    assert problems([*base[:8], *base[3:9], *base[9:]])  # the same UID twice
    # A fold inside the two octets of an "é": each physical line must be UTF-8 on its own.
    summary = ("SUMMARY:" + "é" * 20).encode("utf-8")
    before, after = "\r\n".join(base[:7]).encode(), "\r\n".join(base[8:]).encode()
    assert rfc5545_problems(before + b"\r\n" + summary[:9] + b"\r\n " + summary[9:] + b"\r\n" + after + b"\r\n")
    assert rfc5545_problems(before + b"\r\n" + summary[:10] + b"\r\n " + summary[10:] + b"\r\n" + after + b"\r\n") == []

"""The calendar writer writes its lines directly: byte for byte what the icalendar library writes.

``writers.calendar`` writes each calendar, VEVENT and task line by line (for speed); the
reference here builds the same components with icalendar's objects, as the writer did before,
and the bytes must be equal for awkward text: escapes, line breaks, ``\\N``, non-ASCII
characters and backslashes or carets where a line folds, every zone rule, cancelled events,
missing places and links, tasks with alarms, subscribable calendars.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any
from unittest import mock

import icalendar.prop.text
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Alarm, Calendar, vDuration, vText
from icalendar import Event as CalendarEvent

from campaign_portal.writers.calendar import (
    _CALENDAR_END,
    PRODID,
    CalendarEntry,
    TaskEntry,
    _duration,
    _fold,
    _text,
    _vtimezone_ical,
    build_calendar,
    clean_ical_text,
    event_uid,
    sort_calendar_entries,
    zoned_or_utc,
)
from test_calendars import STAMP, make_campaign, make_event, wall

UTC = dt.timezone.utc


# --- the reference: the writer as it was, on icalendar's component objects --------------------

_ICALENDAR_ESCAPE = icalendar.prop.text._escape_char


def _escape_keeping_a_typed_backslash_n(text: str | bytes) -> str:
    """icalendar's TEXT escaping without its first step, which reads a "\\N" typed in the text
    as a line break ("C:\\New" came back as "C:" and "ew" on the next line)."""
    text = text.decode() if isinstance(text, bytes) else text
    return str(_ICALENDAR_ESCAPE(text.replace("\\N", "\ue000"))).replace("\ue000", "\\\\N")


def _as_written(function: Callable[..., bytes]) -> Callable[..., bytes]:
    def reference(*args: Any, **kwargs: Any) -> bytes:
        with mock.patch.object(icalendar.prop.text, "_escape_char", _escape_keeping_a_typed_backslash_n):
            return function(*args, **kwargs)

    return reference


def reference_vevent(campaign_id: str, entry: CalendarEntry) -> CalendarEvent:
    event, stamp = entry.event, entry.stamp.astimezone(UTC)
    vevent = CalendarEvent()
    vevent.add("UID", event_uid(campaign_id, event.id))
    vevent.add("DTSTAMP", stamp)
    vevent.add("LAST-MODIFIED", stamp)
    vevent.add("DTSTART", zoned_or_utc(event.starts))
    vevent.add("DTEND", zoned_or_utc(event.ends))
    vevent.add("SUMMARY", clean_ical_text(event.title))
    place = event.location or event.online
    if place:
        vevent.add("LOCATION", clean_ical_text(place))
    if entry.url:
        vevent.add("URL", entry.url)
    if entry.description:
        vevent.add("DESCRIPTION", clean_ical_text(entry.description))
    vevent.add("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("SEQUENCE", 1 if event.cancelled else 0)
    vevent.add("CATEGORIES", [clean_ical_text(event.type_label)])
    return vevent


@_as_written
def reference_task(task: TaskEntry) -> bytes:
    stamp = task.stamp.astimezone(UTC)
    vevent = CalendarEvent()
    vevent.add("UID", task.uid)
    vevent.add("DTSTAMP", stamp)
    vevent.add("LAST-MODIFIED", stamp)
    vevent.add("DTSTART", task.day)
    vevent.add("DTEND", task.day + dt.timedelta(days=1))
    summary = " ".join(clean_ical_text(task.summary).split())
    vevent.add("SUMMARY", summary)
    if task.url:
        vevent.add("URL", task.url)
    vevent.add("DESCRIPTION", clean_ical_text(task.description))
    vevent.add("TRANSP", "TRANSPARENT")
    vevent.add("STATUS", "CONFIRMED")
    vevent.add("SEQUENCE", 0)
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", summary)
    alarm.add("TRIGGER", task.alarm_after, parameters={"RELATED": "START"})
    vevent.add_component(alarm)
    ical: bytes = vevent.to_ical()
    return ical


@_as_written
def reference_calendar(
    entries: list[CalendarEntry], *, name: str, description: str = "", subscribable: bool = False,
    refresh_hours: int = 1, tasks: tuple[TaskEntry, ...] = (),
) -> bytes:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    text = {"VALUE": "TEXT"}
    calendar.add("X-WR-CALNAME", vText(" ".join(clean_ical_text(name).split())), parameters=text)
    if description:
        calendar.add("X-WR-CALDESC", vText(clean_ical_text(description)), parameters=text)
    if subscribable:
        refresh = dt.timedelta(hours=refresh_hours)
        calendar.add("REFRESH-INTERVAL", vDuration(refresh), parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(refresh))
    head: bytes = calendar.to_ical()[: -len(_CALENDAR_END)]
    ordered = sort_calendar_entries(entries)
    vevents = [reference_vevent(entry.campaign.id, entry) for entry in ordered]
    holder = Calendar()
    for vevent in vevents:
        holder.add_component(vevent)
    tzids = sorted(holder.get_missing_tzids())
    years: dict[str, list[int]] = {}
    for entry in ordered:
        if entry.event.timezone in tzids:
            years.setdefault(entry.event.timezone, []).extend((entry.event.starts.year, entry.event.ends.year))
    zones = b"".join(
        _vtimezone_ical(tzid, dt.date(min(years[tzid]), 1, 1), dt.date(max(years[tzid]) + 1, 1, 1)) for tzid in tzids
    )
    task_ical = b"".join(reference_task(task) for task in sorted(tasks, key=lambda task: (task.day, task.uid)))
    return head + zones + b"".join(vevent.to_ical() for vevent in vevents) + task_ical + _CALENDAR_END


# --- awkward values -----------------------------------------------------------------------------

AWKWARD_TEXTS = [
    "Plain",
    "Commas, semicolons; and a back\\slash",
    "A literal \\N and \\n in text",
    "Lines\r\nand\nbreaks\rand a \u2028 separator\u2029paragraph",
    "Ünïcödé " * 12,
    "€" * 40,
    "😀 emoji " * 11,
    # a backslash or caret on each side of the 74th byte of a folded line
    *(("x" * n) + "\\" + ("y" * 90) for n in range(60, 76)),
    *(("x" * n) + "^" + ("y" * 90) for n in range(60, 76)),
    *(("é" * n) + "," + ("ü" * 60) for n in range(25, 40)),
    "a" * 500,
]


def awkward_events() -> list[CalendarEntry]:
    zones = ["Europe/London", "Asia/Kolkata", "America/Los_Angeles", "UTC", "Australia/Lord_Howe"]
    starts = [wall("2027-03-14T01:30"), wall("2027-11-07T01:30"), wall("2027-07-01T12:30"), wall("2027-10-03T02:10")]
    entries = []
    for index, (text, zone, start) in enumerate(zip(AWKWARD_TEXTS, itertools.cycle(zones), itertools.cycle(starts))):
        event = make_event(
            f"e{index}",
            start,
            zone,
            duration=30 + 17 * index,
            title=text[:200],
            location=None if index % 3 == 0 else text,
            online=None if index % 2 else f"https://meet.example.com/{index}?a=b,c;d",
            status="cancelled" if index % 4 == 1 else "scheduled",
        )
        campaign = make_campaign(f"c{index % 5}", event)
        entries.append(
            CalendarEntry(
                campaign=campaign,
                event=event,
                url=None if index % 5 == 4 else f"https://learn.example.com/campaigns/c/events/e{index}/",
                description="" if index % 6 == 5 else text,
                stamp=STAMP if index % 2 else STAMP.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30))),
            )
        )
    return entries


def awkward_tasks() -> tuple[TaskEntry, ...]:
    return tuple(
        TaskEntry(
            uid=f"c--m{index}--amara-okafor--send@learning-portal",
            day=dt.date(2027, 1, 1) + dt.timedelta(days=index),
            summary=text[:120],
            description=text,
            url=None if index % 3 == 2 else f"https://learn.example.com/leaders/amara-okafor/#m{index}",
            stamp=STAMP,
            alarm_after=dt.timedelta(hours=9) if index % 4 else dt.timedelta(hours=8, minutes=30),
        )
        for index, text in enumerate(AWKWARD_TEXTS)
    )


@pytest.mark.parametrize("subscribable", [False, True])
@pytest.mark.parametrize("description", ["", "Every public event, worldwide; with \\ and ^ and\nbreaks " * 3])
def test_calendars_are_byte_for_byte_icalendars(subscribable: bool, description: str) -> None:
    entries, tasks = awkward_events(), awkward_tasks()
    options = {"name": "Awkward, calendar; " + "ä" * 40, "description": description, "subscribable": subscribable}
    assert build_calendar(entries, tasks=tasks, **options) == reference_calendar(entries, tasks=tasks, **options)
    assert build_calendar(entries, **options) == reference_calendar(entries, **options)
    assert build_calendar([], tasks=tasks, **options) == reference_calendar([], tasks=tasks, **options)
    assert build_calendar([], **options) == reference_calendar([], **options)


def test_each_event_alone_is_byte_for_byte_icalendars() -> None:
    for entry in awkward_events():
        assert build_calendar([entry], name=entry.event.title) == reference_calendar([entry], name=entry.event.title)


def test_folding_keeps_lines_within_75_octets_and_characters_whole() -> None:
    for text in AWKWARD_TEXTS:
        folded = _fold("DESCRIPTION:" + _text(clean_ical_text(text)))
        assert folded.endswith(b"\r\n")
        lines = folded[:-2].split(b"\r\n")
        assert all(len(line) <= 75 for line in lines)
        assert all(line.startswith(b" ") for line in lines[1:])
        # unfolded, decoded: the text comes back whole (no character was cut)
        assert b"".join(line[1:] if number else line for number, line in enumerate(lines)).decode() == "DESCRIPTION:" + _text(clean_ical_text(text))


@pytest.mark.parametrize(
    "span",
    [dt.timedelta(0), dt.timedelta(hours=9), dt.timedelta(hours=8, minutes=30), dt.timedelta(days=1, hours=9),
     dt.timedelta(hours=1, seconds=5), dt.timedelta(days=2), dt.timedelta(minutes=-15), dt.timedelta(days=-1, hours=2),
     dt.timedelta(seconds=59)],
)
def test_durations_read_as_icalendars(span: dt.timedelta) -> None:
    assert _duration(span) == vDuration(span).to_ical().decode()


# --- any text, written directly and read back -------------------------------------------------

_TEXT_PIECES = st.sampled_from(
    ["x", "yy", " ", ",", ";", ":", "\\", "\\N", "^", "\n", "\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x00", "\x7f",
     "é", "e\u0301", "€", "😀", "👩\u200d💻", "漢", '"', "\t"]
)  # fmt: skip
_AWKWARD_TEXT = st.lists(_TEXT_PIECES, min_size=1, max_size=60).map("".join).filter(lambda text: clean_ical_text(text).strip())


@given(_AWKWARD_TEXT, _AWKWARD_TEXT, st.sampled_from(["Europe/London", "UTC", "Australia/Lord_Howe"]), st.booleans(), st.integers(0, 80))
@example("C:\\New folder", "x", "UTC", False, 0)  # icalendar's own writer turned the typed "\\N" into a line break
@settings(max_examples=150, deadline=None)
def test_any_text_is_written_as_icalendar_writes_it_and_reads_back(
    title: str, text: str, zone: str, cancelled: bool, pad: int
) -> None:
    text = "p" * pad + text  # moves every awkward character across the 75-octet fold
    event = make_event("e", wall("2027-03-28T01:30"), zone, title=title, location=text,
                       status="cancelled" if cancelled else "scheduled")  # fmt: skip
    entry = CalendarEntry(make_campaign("c", event), event, "https://x.example/e/", text, STAMP)
    task = TaskEntry("c--m--a--send@learning-portal", dt.date(2027, 1, 4), title, text, None, STAMP)
    written = build_calendar([entry], name=title, description=text, tasks=(task,))
    assert written == reference_calendar([entry], name=title, description=text, tasks=(task,))
    assert all(len(line) <= 75 for line in written.split(b"\r\n"))
    calendar = Calendar.from_ical(written)
    vevent, vtask = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == clean_ical_text(title)
    assert str(vevent["DESCRIPTION"]) == str(vevent["LOCATION"]) == str(vtask["DESCRIPTION"]) == clean_ical_text(text)
    assert str(vtask["SUMMARY"]) == " ".join(clean_ical_text(title).split())
    assert str(vevent["STATUS"]) == ("CANCELLED" if cancelled else "CONFIRMED")
    assert vevent.decoded("DTSTART") == zoned_or_utc(event.starts)

"""Read iCalendar bytes with four real clients and compare what each makes of every event with zoneinfo.

The clients:

- ``ical.js``: Mozilla's parser (Thunderbird, many web calendars), run under node through
  ``tests/js/read_ics.mjs``; ``make test`` installs it with ``npm ci`` in ``tests/js``.
- ``ical``: Python's ``ical`` package (Home Assistant's calendar).
- ``icalendar`` and ``vobject``: the two long-standing Python readers.

``ical``, ``icalendar`` and ``vobject`` use their own copy of the IANA database for a TZID they
know, and read a VTIMEZONE only for a TZID they do not. ``own_zones=True`` (the default) renames
every TZID of the calendar to one no database knows, so that they too must read the VTIMEZONEs
the calendar carries, as a client without the IANA database does; ``own_zones=False`` reads the
calendar as it was written. ical.js always reads the calendar's own VTIMEZONEs.

Each reader returns ``{uid: (start, end)}`` with both as aware UTC datetimes::

    from ical_clients import CLIENTS, expected_moments, mismatches
    for name, read in CLIENTS.items():
        assert mismatches(expected_moments(events), read(ics_bytes)) == [], name
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

UTC = dt.timezone.utc
JS_DIR = Path(__file__).resolve().parent / "js"
READ_ICS = JS_DIR / "read_ics.mjs"

Moments = dict[str, tuple[dt.datetime, dt.datetime]]
Reader = Callable[[bytes], Moments]

_rename_counter = itertools.count()
_TZID = re.compile(r"(TZID[:=])(\"?)([^\";:\r\n]+)")


def require_icaljs() -> str:
    """The path of node, or skip the test when ical.js is not installed (fail instead under CI)."""
    node = shutil.which("node")
    installed = (JS_DIR / "node_modules" / "ical.js" / "package.json").is_file()
    if node and installed:
        return node
    reason = "ical.js is not installed: run `make test` (or `npm ci` in tests/js)" if node else "node is not installed"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def icaljs_read(paths: Sequence[Path]) -> dict[Path, dict[str, Any]]:
    """What ical.js reads in each file: ``{"events": {uid: {...}}, "error": ..., ...}`` (see read_ics.mjs)."""
    node = require_icaljs()
    if not paths:
        return {}
    completed = subprocess.run(
        [node, str(READ_ICS), *map(str, paths)], capture_output=True, text=True, check=False, cwd=JS_DIR
    )
    assert completed.returncode == 0, completed.stderr
    raw: dict[str, dict[str, Any]] = json.loads(completed.stdout)
    return {Path(path): result for path, result in raw.items()}


def icaljs_moments_of_files(paths: Sequence[Path]) -> dict[Path, Moments]:
    """``{path: {uid: (start, end)}}`` as ical.js reads each file; one node process for all of them."""
    results = {}
    for path, result in icaljs_read(paths).items():
        assert result["error"] is None, f"ical.js cannot read {path}: {result['error']}"
        assert result["duplicates"] == [], f"{path}: UIDs given twice: {result['duplicates']}"
        for uid, event in result["events"].items():
            for side in ("start", "end"):
                tzid = event[f"{side}_tzid"]
                # A TZID whose VTIMEZONE ical.js did not find leaves the time floating, read in the
                # reader's own zone: that is a defect even when this machine's zone hides it.
                assert tzid is None or event[f"{side}_zone"] == tzid, (
                    f"{path}: {uid}: ical.js found no VTIMEZONE for {side} TZID {tzid}"
                )
        results[path] = {uid: (_instant(event["start"]), _instant(event["end"])) for uid, event in result["events"].items()}
    return results


def icaljs_moments(ics: bytes) -> Moments:
    """``{uid: (start, end)}`` as ical.js reads the calendar."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calendar.ics"
        path.write_bytes(ics)
        return icaljs_moments_of_files([path])[path]


def icaljs_events(ics: bytes) -> dict[str, dict[str, Any]]:
    """``{uid: {...}}``: everything read_ics.mjs reports of each VEVENT (summary, description, status...)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calendar.ics"
        path.write_bytes(ics)
        result = icaljs_read([path])[path]
    assert result["error"] is None, f"ical.js cannot read the calendar: {result['error']}"
    events: dict[str, dict[str, Any]] = result["events"]
    return events


def ical_moments(ics: bytes, *, own_zones: bool = True) -> Moments:
    """``{uid: (start, end)}`` as Python's ``ical`` package reads the calendar."""
    from ical.calendar_stream import IcsCalendarStream

    text = (rename_tzids(ics) if own_zones else ics).decode("utf-8")
    calendar = IcsCalendarStream.calendar_from_ics(text)
    moments: Moments = {}
    for event in calendar.events:
        assert event.uid not in moments, f"UID given twice: {event.uid}"
        moments[event.uid] = (_utc(event.dtstart), _utc(event.end))
    return moments


def icalendar_moments(ics: bytes, *, own_zones: bool = True) -> Moments:
    """``{uid: (start, end)}`` as the ``icalendar`` package reads the calendar."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(rename_tzids(ics) if own_zones else ics)
    moments: Moments = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in moments, f"UID given twice: {uid}"
        moments[uid] = (_utc(event.decoded("DTSTART")), _utc(event.decoded("DTEND")))
    return moments


def vobject_moments(ics: bytes, *, own_zones: bool = True) -> Moments:
    """``{uid: (start, end)}`` as ``vobject`` reads the calendar."""
    import vobject

    logger = logging.getLogger()
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # vobject logs, at the root, each zone it looks up and misses
    try:
        calendar = vobject.readOne((rename_tzids(ics) if own_zones else ics).decode("utf-8"))
    finally:
        logger.setLevel(level)
    # vobject registers a VTIMEZONE only when it differs from UTC somewhere in 2000-2020 (its
    # tzinfo_eq), so a zone at +0000 before its first observance in the calendar (London) is
    # left out and its times float. The zone it built from the VTIMEZONE (through dateutil's
    # tzical) is what it would use: with our own TZID names, times are placed with it.
    zones = {zone.tzid.value: zone.gettzinfo() for zone in getattr(calendar, "vtimezone_list", [])}

    def moment(prop: Any) -> dt.datetime:
        value = prop.value
        if isinstance(value, dt.datetime) and value.tzinfo is None and own_zones:
            tzid = prop.params.get("X-VOBJ-ORIGINAL-TZID", [None])[0]
            if tzid in zones:
                value = value.replace(tzinfo=zones[tzid])
        return _utc(value)

    moments: Moments = {}
    for event in getattr(calendar, "vevent_list", []):
        uid = event.uid.value
        assert uid not in moments, f"UID given twice: {uid}"
        moments[uid] = (moment(event.dtstart), moment(event.dtend))
    return moments


CLIENTS: dict[str, Reader] = {
    "ical.js": icaljs_moments,
    "ical": ical_moments,
    "icalendar": icalendar_moments,
    "vobject": vobject_moments,
}


def rename_tzids(ics: bytes) -> bytes:
    """The calendar with every TZID (in VTIMEZONE and in TZID= parameters) given a name that no
    time-zone database knows, unique to this call, so a reader has to use the VTIMEZONEs.

    Lines are unfolded first (a TZID may be split by folding); readers accept long lines.
    """
    prefix = f"X-Portal-Check-{next(_rename_counter)}-"
    text = re.sub(rb"\r\n[ \t]", b"", ics).decode("utf-8")
    return _TZID.sub(lambda match: f"{match[1]}{match[2]}{prefix}{match[3].replace('/', '-')}", text).encode("utf-8")


# Properties whose value is one TEXT (RFC 5545 3.3.11): a comma or semicolon in it is escaped.
_SINGLE_TEXT = {"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "X-WR-CALNAME", "X-WR-CALDESC", "TZNAME"}
_CONTENT_LINE = re.compile(r'^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):(.*)$')
_PARAMETER = re.compile(r';([A-Za-z0-9-]+)=("[^"]*"|[^";:]*)')
_TEXT_ESCAPE = re.compile(r"\\(.)|([,;])", re.S)
_UTC_DATE_TIME = re.compile(r"^\d{8}T\d{6}Z$")


def rfc5545_problems(ics: bytes) -> list[str]:
    """What in ``ics`` breaks RFC 5545's form, one line each (an empty list when nothing does):
    CRLF line ends, lines folded at 75 octets without splitting a character, content-line syntax,
    components nested and closed, VERSION and PRODID, each VEVENT's one UID (unique in the file),
    one DTSTAMP in UTC and a DTSTART, a VTIMEZONE for every TZID used, observances complete,
    TEXT escaping, and no control characters."""
    problems: list[str] = []
    if not ics.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    if re.search(rb"\r(?!\n)|(?<!\r)\n", ics):
        problems.append("a line ends with a bare CR or LF")
    physical = ics.split(b"\r\n")[:-1] if ics.endswith(b"\r\n") else ics.split(b"\r\n")
    logical: list[str] = []
    for number, line in enumerate(physical, 1):
        if len(line) > 75:
            problems.append(f"line {number} is {len(line)} octets, more than 75")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number} is not UTF-8 on its own (folded inside a character?)")
            text = line.decode("utf-8", "replace")
        if text[:1] in (" ", "\t"):
            if not logical:
                problems.append(f"line {number} continues nothing")
            else:
                logical[-1] += text[1:]
        else:
            logical.append(text)

    stack: list[dict[str, Any]] = []
    components: list[dict[str, Any]] = []
    for line in logical:
        match = _CONTENT_LINE.match(line)
        if not match:
            problems.append(f"not a content line: {line[:60]!r}")
            continue
        name, params, value = match[1].upper(), match[2], match[3]
        if re.search(r"[\x00-\x08\x0a-\x1f\x7f]", value):
            problems.append(f"{name}: control character in {value[:40]!r}")
        if name == "BEGIN":
            component = {"name": value.upper(), "props": [], "children": []}
            (stack[-1]["children"] if stack else components).append(component)
            stack.append(component)
            continue
        if name == "END":
            if not stack or stack[-1]["name"] != value.upper():
                problems.append(f"END:{value} closes {stack[-1]['name'] if stack else 'nothing'}")
            else:
                stack.pop()
            continue
        if not stack:
            problems.append(f"{name} outside any component")
            continue
        parameters = {key.upper(): raw.strip('"') for key, raw in _PARAMETER.findall(params)}
        stack[-1]["props"].append((name, parameters, value))
        if name in _SINGLE_TEXT:
            for escaped in _TEXT_ESCAPE.finditer(value):
                if escaped[2]:
                    problems.append(f"{name}: unescaped {escaped[2]!r} in {value[:50]!r}")
                elif escaped[1] not in "\\;,nN":
                    problems.append(f"{name}: bad escape \\{escaped[1]} in {value[:50]!r}")
    if stack:
        problems.append(f"{stack[-1]['name']} is never closed")
    if [c["name"] for c in components] != ["VCALENDAR"]:
        problems.append(f"the file holds {[c['name'] for c in components]}, not one VCALENDAR")
        return problems

    def values(component: dict[str, Any], name: str) -> list[tuple[dict[str, str], str]]:
        return [(parameters, value) for prop, parameters, value in component["props"] if prop == name]

    calendar = components[0]
    if [v for _, v in values(calendar, "VERSION")] != ["2.0"]:
        problems.append("VCALENDAR needs one VERSION:2.0")
    if len(values(calendar, "PRODID")) != 1:
        problems.append("VCALENDAR needs one PRODID")
    zones = {}
    for zone in (c for c in calendar["children"] if c["name"] == "VTIMEZONE"):
        tzid = values(zone, "TZID")
        if len(tzid) != 1:
            problems.append("a VTIMEZONE needs one TZID")
            continue
        zones[tzid[0][1]] = zone
        observances = [c for c in zone["children"] if c["name"] in ("STANDARD", "DAYLIGHT")]
        if not observances:
            problems.append(f"VTIMEZONE {tzid[0][1]} has no STANDARD or DAYLIGHT")
        for observance in observances:
            for needed in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                if len(values(observance, needed)) != 1:
                    problems.append(f"VTIMEZONE {tzid[0][1]}: an observance needs one {needed}")
    uids: set[str] = set()
    for event in (c for c in calendar["children"] if c["name"] == "VEVENT"):
        uid = [v for _, v in values(event, "UID")]
        label = uid[0] if len(uid) == 1 else "a VEVENT"
        if len(uid) != 1:
            problems.append("a VEVENT needs one UID")
        elif uid[0] in uids:
            problems.append(f"UID {uid[0]} is given twice")
        uids.update(uid)
        stamps = [v for _, v in values(event, "DTSTAMP")]
        if len(stamps) != 1 or not _UTC_DATE_TIME.match(stamps[0]):
            problems.append(f"{label}: needs one DTSTAMP in UTC, has {stamps}")
        if len(values(event, "DTSTART")) != 1:
            problems.append(f"{label}: needs one DTSTART")
        if values(event, "DTEND") and values(event, "DURATION"):
            problems.append(f"{label}: has both DTEND and DURATION")
        for prop, parameters, _ in event["props"]:
            if "TZID" in parameters and parameters["TZID"] not in zones:
                problems.append(f"{label}: {prop} uses TZID {parameters['TZID']}, which has no VTIMEZONE")
    return problems


def expected_moments(events: Iterable[tuple[str, dt.datetime, dt.datetime]]) -> Moments:
    """``{uid: (start, end)}`` in UTC from ``(uid, start, end)`` with aware (zoneinfo) datetimes."""
    return {uid: (_utc(start), _utc(end)) for uid, start, end in events}


def mismatches(expected: Mapping[str, tuple[dt.datetime, dt.datetime]], got: Moments) -> list[str]:
    """Every difference between two readings, one line each: a missing or extra UID, a wrong start or end."""
    lines = [f"{uid}: missing" for uid in sorted(expected.keys() - got.keys())]
    lines += [f"{uid}: not expected" for uid in sorted(got.keys() - expected.keys())]
    for uid in sorted(expected.keys() & got.keys()):
        for side, want, have in zip(("start", "end"), expected[uid], got[uid], strict=True):
            if want != have:
                lines.append(f"{uid}: {side} {have:%Y-%m-%dT%H:%M:%SZ}, expected {want:%Y-%m-%dT%H:%M:%SZ}")
    return lines


def count_mismatched_events(expected: Mapping[str, tuple[dt.datetime, dt.datetime]], got: Moments) -> int:
    """How many events a reader places wrongly (a wrong start or end, or missing)."""
    return sum(1 for uid, moments in expected.items() if got.get(uid) != moments)


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _utc(value: Any) -> dt.datetime:
    assert isinstance(value, dt.datetime), f"expected a date-time, got {value!r}"
    assert value.tzinfo is not None and value.utcoffset() is not None, f"floating time {value!r}"
    return value.astimezone(UTC)

"""The date readers (load/fields.py) and formats (rules/dates.py) at their edges.

Written against the survivors of a mutation run (``python -m bench.mutate``): each test pins
a boundary or a branch that no other test told apart (a year bound, the day a date-only
deadline covers, what a zone without an abbreviation reads as, a value that is not a date).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from campaign_portal.load.fields import FieldReader
from campaign_portal.model import Event, Problem, SourceRef
from campaign_portal.rules import dates
from campaign_portal.rules.schedule import NEVER

UTC = dt.timezone.utc


def wall(text: str) -> dt.datetime:
    """A wall time without a zone, as an event's ``starts`` is read."""
    return dt.datetime.fromisoformat(text)


def read(text: str) -> tuple[FieldReader, object, list[str]]:
    problems: list[Problem] = []
    reader = FieldReader("x.yml", problems)
    data = reader.parse_bytes(text.encode())
    assert data is not None
    return reader, data, [str(problem) for problem in problems]


def moment_of(value: str) -> tuple[dt.datetime | None, list[str]]:
    reader, data, _ = read(f"publish: {value}\n")
    problems: list[Problem] = reader.problems
    result = reader.moment(data, "publish")  # type: ignore[arg-type]
    return result, [str(problem) for problem in problems]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1900-01-01", dt.datetime(1900, 1, 1, tzinfo=UTC)),
        ("2999-12-31", dt.datetime(2999, 12, 31, tzinfo=UTC)),
        ("1900-01-01T00:00:00Z", dt.datetime(1900, 1, 1, tzinfo=UTC)),
        ("2999-12-31T23:59:59+01:00", dt.datetime(2999, 12, 31, 22, 59, 59, tzinfo=UTC)),
        ("2027-01-04t09:00:00z", dt.datetime(2027, 1, 4, 9, tzinfo=UTC)),
    ],
)
def test_the_first_and_last_years_are_readable(value: str, expected: dt.datetime) -> None:
    assert moment_of(value) == (expected, [])


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1899-12-31", "x.yml:1: 'publish' is in the year 1899; use a year from 1900 to 2999"),
        ("3000-01-01", "x.yml:1: 'publish' is in the year 3000; use a year from 1900 to 2999"),
        ("1899-12-31T23:00:00-05:00", "x.yml:1: 'publish' is in the year 1899; use a year from 1900 to 2999"),
        ("3000-01-01T00:00:00Z", "x.yml:1: 'publish' is in the year 3000; use a year from 1900 to 2999"),
    ],
)
def test_a_year_out_of_range_is_reported_and_never_public(value: str, problem: str) -> None:
    assert moment_of(value) == (NEVER, [problem])


def test_a_moment_not_written_is_none_and_no_problem() -> None:
    reader, data, _ = read("title: x\n")
    assert reader.moment(data, "publish") is None  # type: ignore[arg-type]
    assert reader.deadline(data, "send_by") is None  # type: ignore[arg-type]
    assert reader.problems == []


def test_a_date_in_a_date_field_is_read_and_a_bad_one_reported() -> None:
    reader, data, _ = read("a: 2027-01-11\nb: 2027-02-30\nc: 11/01/2027\nd: 1899-01-01\n")
    assert reader.date(data, "a") == dt.date(2027, 1, 11)  # type: ignore[arg-type]
    assert reader.date(data, "b") is None  # type: ignore[arg-type]
    assert reader.date(data, "c") is None  # type: ignore[arg-type]
    assert reader.date(data, "d") is None  # type: ignore[arg-type]
    assert reader.date(data, "missing") is None  # type: ignore[arg-type]
    assert [str(problem) for problem in reader.problems] == [
        "x.yml:2: 'b' is an impossible date: '2027-02-30'",
        "x.yml:3: 'c' must be a date written YYYY-MM-DD, not '11/01/2027'",
        "x.yml:4: 'd' is in the year 1899; use a year from 1900 to 2999",
    ]


def test_a_date_only_deadline_covers_that_whole_day_in_utc() -> None:
    reader, data, _ = read("a: 2027-01-11\nb: 2027-01-11T17:00:00+01:00\nc: 2027-01-11T17:00\nd: []\n")
    assert reader.deadline(data, "a") == dt.datetime(2027, 1, 12, tzinfo=UTC)  # type: ignore[arg-type]
    assert reader.deadline(data, "b") == dt.datetime(2027, 1, 11, 16, tzinfo=UTC)  # type: ignore[arg-type]
    assert reader.deadline(data, "c") is None  # type: ignore[arg-type]
    assert reader.deadline(data, "d") is None  # type: ignore[arg-type]
    assert len(reader.problems) == 2


def test_an_empty_publish_is_reported_but_a_required_one_only_once() -> None:
    reader, data, _ = read("publish:\n")
    assert reader.moment(data, "publish") == NEVER  # type: ignore[arg-type]
    assert reader.moment(data, "publish", required=True) == NEVER  # type: ignore[arg-type]
    assert [str(problem) for problem in reader.problems] == [
        "x.yml:1: 'publish' is empty; give a date (YYYY-MM-DD) or a date-time with an offset, or remove it "
        "(until then the item stays unpublished)",
        "x.yml:1: 'publish' must not be empty",
    ]


@pytest.mark.parametrize(
    ("starts", "zone", "expected", "problems"),
    [
        ("2027-01-20T12:30", "Europe/London", wall("2027-01-20T12:30"), []),
        ("1900-01-01T00:00", "UTC", wall("1900-01-01T00:00"), []),
        ("2999-12-31T23:59", "UTC", wall("2999-12-31T23:59"), []),
        ("3000-01-01T00:00", "UTC", None, ["x.yml:1: 'starts' is in the year 3000; use a year from 1900 to 2999"]),
        ("2027-03-28T01:30", "Europe/London", None, [
            "x.yml:1: 'starts' 2027-03-28T01:30 does not exist in Europe/London: the clocks change that night; pick another time"
        ]),
        ("2027-03-28T01:30", None, wall("2027-03-28T01:30"), []),  # no zone to check against (reported elsewhere)
        ("2027-02-30T10:00", "UTC", None, ["x.yml:1: 'starts' is an impossible date-time: '2027-02-30T10:00'"]),
    ],
)  # fmt: skip
def test_an_event_start_is_a_wall_time_that_exists(
    starts: str, zone: str | None, expected: dt.datetime | None, problems: list[str]
) -> None:
    reader, data, _ = read(f"starts: {starts}\n")
    assert reader.local_start(data, zone) == expected  # type: ignore[arg-type]
    assert [str(problem) for problem in reader.problems] == problems


# -- rules/dates.py -----------------------------------------------------------------------------


def test_dates_and_times_read_in_their_own_zone() -> None:
    london = dt.datetime(2027, 1, 20, 12, 30, tzinfo=ZoneInfo("Europe/London"))
    assert dates.format_date(dt.date(2027, 1, 20)) == "Wednesday 20 January 2027"
    assert dates.format_date(london) == "Wednesday 20 January 2027"
    assert dates.format_time(london) == "12:30 GMT"
    assert dates.format_datetime(london) == "Wednesday 20 January 2027, 12:30 GMT"
    assert dates.format_datetime(dt.date(2027, 1, 20)) == "Wednesday 20 January 2027"
    assert dates.short_date(dt.date(2027, 1, 5)) == "5 Jan 2027"


def test_what_is_not_a_date_reads_as_it_is() -> None:
    assert dates.format_date("soon") == "soon"
    assert dates.format_time("noon") == "noon"
    assert dates.format_date(None) == "None"
    assert dates.format_time(dt.date(2027, 1, 20)) == "2027-01-20"


def test_a_zone_without_an_abbreviation_reads_as_its_offset() -> None:
    def at(zone: dt.tzinfo) -> dt.datetime:
        return dt.datetime(2027, 1, 20, tzinfo=zone)

    assert dates.zone_label(at(ZoneInfo("Asia/Singapore"))) == "SGT"
    assert dates.zone_label(at(dt.timezone(dt.timedelta(hours=8), "+08"))) == "UTC+8"
    assert dates.zone_label(at(dt.timezone(dt.timedelta(hours=-3), "-03"))) == "UTC-3"
    assert dates.zone_label(at(dt.timezone(dt.timedelta(hours=5, minutes=30), "+0530"))) == "UTC+5:30"
    assert dates.zone_label(dt.datetime(2027, 1, 20, tzinfo=ZoneInfo("Asia/Kolkata"))) == "IST"
    assert dates.zone_label(wall("2027-01-20T00:00")) == ""  # naive: no zone at all
    assert dates.format_time(wall("2027-01-20T09:05")) == "09:05"


def event(starts: str, minutes: int, zone: str = "Europe/London") -> Event:
    return Event(
        id="e", title="E", type="webinar", local_start=dt.datetime.fromisoformat(starts), timezone=zone,
        duration=minutes, hosts=("a",), source=SourceRef("x.yml", 1),
    )  # fmt: skip


def test_an_event_reads_on_one_day_or_across_two() -> None:
    assert dates.event_when(event("2027-01-20T12:30", 60)) == "Wed 20 Jan 2027, 12:30–13:30 GMT"
    assert dates.event_when(event("2027-01-20T23:30", 60)) == "Wed 20 Jan 2027, 23:30 – Thu 21 Jan 00:30 GMT"
    assert dates.event_when(event("2027-03-27T23:30", 120)) == "Sat 27 Mar 2027, 23:30 – Sun 28 Mar 02:30 BST"


def test_offsets_read_in_hours_and_minutes_and_zero_is_utc() -> None:
    assert dates.utc_offset_label(dt.timedelta(0)) == "UTC"
    assert dates.utc_offset_label(dt.timedelta(minutes=1)) == "UTC+0:01"
    assert dates.utc_offset_label(dt.timedelta(minutes=-1)) == "UTC-0:01"
    assert dates.utc_offset_label(dt.timedelta(hours=-9, minutes=-30)) == "UTC-9:30"
    zero = dt.datetime(2027, 1, 20, tzinfo=dt.timezone(dt.timedelta(0), "+00"))
    assert dates.zone_label(zero) == "UTC"


def test_a_month_reads_in_full() -> None:
    assert dates.month_label(dt.date(2027, 1, 5)) == "January 2027"


def test_an_empty_event_start_is_reported() -> None:
    reader, data, _ = read("starts: ''\n")
    assert reader.local_start(data, "UTC") is None  # type: ignore[arg-type]
    assert [str(problem) for problem in reader.problems] == ["x.yml:1: 'starts' must not be empty"]

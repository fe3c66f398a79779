"""The embargo fails closed, and "now" is read safely.

A ``publish`` that is written but cannot be read is reported, and its item stays unpublished
in every build: a plain build, a strict one, a preview, and with ``PORTAL_NOW`` unset (the
production case: the clock). ``PORTAL_NOW`` itself is a date-time with an offset or a bare
date; anything else (no offset, out of range, overflowing) is one clear line, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from campaign_portal import cli
from campaign_portal.load import load_portal
from campaign_portal.publishing import NowError, read_now, select_public
from campaign_portal.rules.schedule import NEVER

from conftest import LEADERS_YML, MINIMAL_CAMPAIGN, BuildPortal, build_project, prepare_project

UNREADABLE = {
    "no-offset": "2027-06-01T09:00",
    "impossible-date": "2027-02-30",
    "year-out-of-range": "3000-01-01",
    "impossible-time": "2027-06-01T25:00:00Z",
    "not-a-date": "next monday",
    "empty": "''",
    "a-list": "[2027-06-01]",
    "left-empty": "",
}

MESSAGE = """\
messages:
  - id: {id}
    title: Hello
    leaders: [amara-okafor]
    publish: {publish}
    subject: Subject {id}
    body: Body {id}
"""

EVENT = """\
events:
  - id: {id}
    title: Event {id}
    type: webinar
    starts: 2027-01-20T12:30
    timezone: Europe/London
    duration: 60
    online: https://example.com/join
    hosts: [amara-okafor]
    publish: {publish}
"""


def campaign(publish: str | None = None, extra: str = "") -> str:
    text = MINIMAL_CAMPAIGN.replace("Coaching for Growth", "Campaign title")
    if publish is not None:
        text += f"publish: {publish}\n"
    return text + extra


def load(tmp_path: Path, files: dict[str, str]) -> tuple[object, list[str]]:
    folder = tmp_path / "campaigns"
    folder.mkdir()
    (folder / "leaders.yml").write_text(LEADERS_YML, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = load_portal(folder)
    return result.portal, [str(problem) for problem in result.problems]


# -- the loader and the selection ----------------------------------------------------------------


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_an_unreadable_campaign_publish_is_reported_and_never_public(tmp_path: Path, case: str) -> None:
    portal, found = load(tmp_path, {"late.yml": campaign(UNREADABLE[case])})
    assert len(found) == 1 and found[0].startswith("campaigns/late.yml:7: 'publish' "), found
    late = portal.campaigns["late"]  # type: ignore[attr-defined]
    assert late.publish == NEVER
    far_future = dt.datetime(2999, 12, 31, 23, 59, tzinfo=dt.timezone.utc)
    for preview in (False, True):
        public = select_public(portal, far_future, preview=preview)  # type: ignore[arg-type]
        assert "late" not in public.campaigns
        assert public.scheduled == {}


@pytest.mark.parametrize("kind", ["message", "event"])
def test_an_unreadable_item_publish_keeps_only_that_item_back(tmp_path: Path, kind: str) -> None:
    block = (MESSAGE if kind == "message" else EVENT).format(id="early", publish="2027-06-01T09:00")
    portal, found = load(tmp_path, {"coaching.yml": campaign(extra=block)})
    assert found == [
        "campaigns/coaching.yml:11: 'publish' needs a time-zone offset, for example '2027-06-01T09:00+00:00' or '2027-06-01T09:00Z'"
        if kind == "message"
        else "campaigns/coaching.yml:16: 'publish' needs a time-zone offset, for example '2027-06-01T09:00+00:00' or '2027-06-01T09:00Z'"
    ]
    now = dt.datetime(2999, 1, 1, tzinfo=dt.timezone.utc)
    for preview in (False, True):
        public = select_public(portal, now, preview=preview)  # type: ignore[arg-type]
        shown = public.campaigns["coaching"]
        assert shown.messages == () and shown.events == ()
        assert public.scheduled == {}


def test_a_story_with_an_unreadable_publish_stays_hidden(tmp_path: Path) -> None:
    story = "story:\n  publish: 2027-13-01\n  what_changed: a\n  why_it_mattered: b\n  what_we_learned: c\n"
    portal, found = load(tmp_path, {"coaching.yml": campaign(extra=story)})
    assert found == ["campaigns/coaching.yml:8: 'publish' is an impossible date: '2027-13-01'"]
    public = select_public(portal, dt.datetime(2999, 1, 1, tzinfo=dt.timezone.utc), preview=True)  # type: ignore[arg-type]
    assert public.campaigns["coaching"].story is None


def test_a_readable_publish_is_unchanged(tmp_path: Path) -> None:
    portal, found = load(tmp_path, {"coaching.yml": campaign("2027-06-01T09:00:00+02:00"), "other.yml": campaign()})
    assert found == []
    assert portal.campaigns["coaching"].publish == dt.datetime(2027, 6, 1, 7, tzinfo=dt.timezone.utc)  # type: ignore[attr-defined]
    assert portal.campaigns["other"].publish is None  # type: ignore[attr-defined]
    before = select_public(portal, dt.datetime(2027, 6, 1, 6, 59, tzinfo=dt.timezone.utc))  # type: ignore[arg-type]
    at = select_public(portal, dt.datetime(2027, 6, 1, 7, 0, tzinfo=dt.timezone.utc))  # type: ignore[arg-type]
    assert list(before.campaigns) == ["other"]
    assert list(at.campaigns) == ["coaching", "other"]


# -- whole builds ------------------------------------------------------------------------------------


def test_a_plain_build_with_the_clock_publishes_nothing_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PORTAL_NOW unset (production): the clock decides, and unreadable moments stay closed."""
    monkeypatch.delenv("PORTAL_NOW", raising=False)
    files = {"leaders.yml": LEADERS_YML, "open.yml": campaign("2001-01-01")}
    for case, value in UNREADABLE.items():
        files[f"closed-{case}.yml"] = campaign(value)
    files["items.yml"] = campaign(
        "2001-01-01",
        MESSAGE.format(id="hidden-message", publish="2027-06-01T09:00")
        + EVENT.format(id="hidden-event", publish="2027-02-30").replace("events:\n", "events:\n", 1),
    )
    root = prepare_project(tmp_path / "project", files)
    site = build_project(root)
    assert len(site.warnings) == len(UNREADABLE) + 2, site.warnings
    assert all(": 'publish' " in warning for warning in site.warnings)
    assert (site.site_dir / "campaigns/open/index.html").is_file()
    assert (site.site_dir / "campaigns/items/index.html").is_file()
    for case in UNREADABLE:
        assert not (site.site_dir / f"campaigns/closed-{case}").exists()
    every_byte = b"".join(path.read_bytes() for path in site.site_dir.rglob("*") if path.is_file())
    assert b"hidden-message" not in every_byte and b"Subject hidden" not in every_byte
    assert b"hidden-event" not in every_byte and b"Event hidden" not in every_byte
    assert b"closed-" not in every_byte


def test_read_now_without_portal_now_is_the_clock() -> None:
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    now = read_now({})
    after = dt.datetime.now(dt.timezone.utc)
    assert now.tzinfo is not None and now.utcoffset() == dt.timedelta(0)
    assert before <= now <= after
    assert read_now({"PORTAL_NOW": "   "}) >= before


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-01-15", dt.datetime(2027, 1, 15, tzinfo=dt.timezone.utc)),
        ("2027-01-15T10:00:00Z", dt.datetime(2027, 1, 15, 10, tzinfo=dt.timezone.utc)),
        ("2027-01-15t10:00:00z", dt.datetime(2027, 1, 15, 10, tzinfo=dt.timezone.utc)),
        (" 2027-01-15T10:00:00+05:30 ", dt.datetime(2027, 1, 15, 4, 30, tzinfo=dt.timezone.utc)),
        ("1900-01-01", dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)),
        ("2999-12-31T23:59:59-23:59", dt.datetime(3000, 1, 1, 23, 58, 59, tzinfo=dt.timezone.utc)),
    ],
)
def test_read_now_accepts_a_date_or_a_date_time_with_an_offset(value: str, expected: dt.datetime) -> None:
    now = read_now({"PORTAL_NOW": value})
    assert now == expected
    assert now.tzinfo is not None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-01-15T10:00", "PORTAL_NOW='2027-01-15T10:00' needs a time-zone offset, for example 2027-01-15T10:00Z"),
        ("2027-01-15T10:00:00", "PORTAL_NOW='2027-01-15T10:00:00' needs a time-zone offset, for example 2027-01-15T10:00:00Z"),
        ("20270115", "PORTAL_NOW='20270115' is not a date-time; use a form like 2027-01-15T10:00:00Z"),
        ("tomorrow", "PORTAL_NOW='tomorrow' is not a date-time; use a form like 2027-01-15T10:00:00Z"),
        ("2027-02-30", "PORTAL_NOW='2027-02-30' is not a date-time; use a form like 2027-01-15T10:00:00Z"),
        ("9999-12-31T23:59:59-23:59", "PORTAL_NOW='9999-12-31T23:59:59-23:59' is out of range; use a year from 1900 to 2999"),
        ("0001-01-01T00:00:00+23:59", "PORTAL_NOW='0001-01-01T00:00:00+23:59' is out of range; use a year from 1900 to 2999"),
        ("3000-01-01", "PORTAL_NOW='3000-01-01' is out of range; use a year from 1900 to 2999"),
        ("1899-12-31T23:59:59Z", "PORTAL_NOW='1899-12-31T23:59:59Z' is out of range; use a year from 1900 to 2999"),
    ],
)
def test_a_bad_portal_now_is_one_clear_line(value: str, message: str) -> None:
    with pytest.raises(NowError) as raised:
        read_now({"PORTAL_NOW": value})
    assert str(raised.value) == message


@pytest.mark.parametrize("value", ["2027-01-15T10:00", "9999-12-31T23:59:59-23:59"])
def test_portal_validate_says_what_is_wrong_with_portal_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    root = prepare_project(tmp_path / "project", {"leaders.yml": LEADERS_YML, "coaching.yml": campaign()})
    monkeypatch.setenv("PORTAL_NOW", value)
    assert cli.main(["validate", "--project", str(root)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("portal: error: PORTAL_NOW=") and "Traceback" not in "\n".join(err)


def test_a_bare_date_portal_now_builds_at_midnight_utc(build_portal: BuildPortal) -> None:
    files = {"leaders.yml": LEADERS_YML, "before.yml": campaign("2027-01-14T23:59:59Z"), "at.yml": campaign("2027-01-15")}
    files["after.yml"] = campaign("2027-01-15T00:00:01Z")
    site = build_portal(files, now="2027-01-15")
    assert site.exists("campaigns/before/") and site.exists("campaigns/at/")
    assert not site.exists("campaigns/after/")


def test_an_unreadable_moment_is_no_change_to_wait_for(tmp_path: Path) -> None:
    """`portal next` and `portal due` never announce a publication that will not happen."""
    from campaign_portal.rules.schedule import site_changes

    block = MESSAGE.format(id="later", publish="2027-06-01T09:00")
    portal, found = load(tmp_path, {"late.yml": campaign("2027-02-30"), "coaching.yml": campaign(extra=block)})
    assert len(found) == 2
    changes = site_changes(portal)  # type: ignore[arg-type]
    assert changes and all(change.moment != NEVER for change in changes)
    assert not [change for change in changes if "is published" in change.what]


def test_the_photo_of_a_leader_with_nothing_public_is_not_published(build_portal: BuildPortal) -> None:
    leaders = (
        LEADERS_YML.replace("  division: Operations\n", "  division: Operations\n  photo: assets/amara.jpg\n")
        + "  photo: assets/daniel.jpg\n"
    )
    block = MESSAGE.format(id="later", publish="2027-06-01T09:00:00Z").replace("[amara-okafor]", "[daniel-kim]")
    files = {"leaders.yml": leaders, "coaching.yml": campaign(extra="sponsors: [amara-okafor]\n" + block)}
    content = {"assets/amara.jpg": "amara's photo", "assets/daniel.jpg": "daniel's photo", "assets/other.jpg": "x"}
    before = build_portal(files, content=content, now="2027-05-01T00:00:00Z")
    assert before.exists("assets/amara.jpg") and before.exists("assets/other.jpg")
    assert not before.exists("assets/daniel.jpg")
    after = build_portal(files, content=content, now="2027-06-01T09:00:00Z")
    assert after.exists("assets/daniel.jpg") and after.exists("leaders/daniel-kim/")

"""publishing.py as a unit: the embargo's edges, previews, schedule keys, "today", withheld photos, PORTAL_NOW's forms.

Written against the survivors of a mutation run (``python -m bench.mutate --only publishing``):
each test tells apart a change no build test noticed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from campaign_portal.load import load_portal
from campaign_portal.model import Portal
from campaign_portal.publishing import (
    NowError,
    PublicPortal,
    parse_moment,
    read_now,
    schedule_key,
    select_public,
    withheld_photos,
)
from campaign_portal.rules.schedule import NEVER

from conftest import LEADERS_YML, MINIMAL_CAMPAIGN

UTC = dt.timezone.utc
PUBLISH = dt.datetime(2027, 6, 1, 9, tzinfo=UTC)

ITEMS = """\
sponsors: [amara-okafor]
messages:
  - id: hello
    title: Hello
    leaders: [daniel-kim]
    publish: 2027-06-01T09:00:00Z
    subject: Hi
    body: Hello
events:
  - id: talk
    title: Talk
    type: webinar
    starts: 2027-06-20T12:30
    timezone: Europe/London
    duration: 60
    online: https://example.com/join
    hosts: [daniel-kim]
    publish: 2027-06-01T09:00:00Z
testimonials:
  - leader: daniel-kim
    date: 2027-06-02
    quote: It helped.
story:
  publish: 2027-06-01T09:00:00Z
  what_changed: a
  why_it_mattered: b
  what_we_learned: c
"""


def load(tmp_path: Path, campaigns: dict[str, str], leaders: str = LEADERS_YML) -> Portal:
    folder = tmp_path / "campaigns"
    folder.mkdir(parents=True)
    (folder / "leaders.yml").write_text(leaders, encoding="utf-8")
    for name, text in campaigns.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = load_portal(folder)
    assert result.problems == [], result.problems
    return result.portal


@pytest.fixture
def portal(tmp_path: Path) -> Portal:
    return load(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN + ITEMS})


def test_each_item_is_public_from_its_moment_exactly(portal: Portal) -> None:
    before = select_public(portal, PUBLISH - dt.timedelta(seconds=1))
    at = select_public(portal, PUBLISH)
    hidden, shown = before.campaigns["coaching"], at.campaigns["coaching"]
    assert (hidden.messages, hidden.events, hidden.testimonials, hidden.story) == ((), (), (), None)
    assert [m.id for m in shown.messages] == ["hello"] and [e.id for e in shown.events] == ["talk"]
    assert shown.testimonials == () and shown.story is not None
    assert len(select_public(portal, dt.datetime(2027, 6, 2, tzinfo=UTC)).campaigns["coaching"].testimonials) == 1
    # Daniel has nothing public before: only the sponsor is a public leader.
    assert list(before.leaders) == ["amara-okafor"]
    assert list(at.leaders) == ["amara-okafor", "daniel-kim"]
    assert before.scheduled == {} and at.scheduled == {}


def test_a_preview_keeps_scheduled_items_and_says_when_each_goes_live(portal: Portal) -> None:
    now = PUBLISH - dt.timedelta(days=1)
    preview = select_public(portal, now, preview=True)
    campaign = preview.campaigns["coaching"]
    assert [m.id for m in campaign.messages] == ["hello"] and campaign.story is not None
    testimonial = campaign.testimonials[0]
    assert preview.scheduled == {
        ("message", "coaching", "hello"): PUBLISH,
        ("event", "coaching", "talk"): PUBLISH,
        ("testimonial", "coaching", testimonial.anchor): dt.datetime(2027, 6, 2, tzinfo=UTC),
        ("story", "coaching"): PUBLISH,
    }
    assert preview.schedule_of(campaign) is None
    assert preview.schedule_of(campaign, campaign.messages[0]) == PUBLISH
    assert preview.schedule_of(campaign, testimonial) == dt.datetime(2027, 6, 2, tzinfo=UTC)
    assert preview.scheduled_for("event", "coaching", "talk") == PUBLISH
    assert preview.scheduled_for("event", "coaching", "nope") is None
    assert "daniel-kim" in preview.leaders


def test_schedule_keys_name_each_kind_of_item(portal: Portal) -> None:
    campaign = portal.campaigns["coaching"]
    assert schedule_key(campaign) == ("campaign", "coaching")
    assert schedule_key(campaign, campaign.messages[0]) == ("message", "coaching", "hello")
    assert schedule_key(campaign, campaign.events[0]) == ("event", "coaching", "talk")
    testimonial = campaign.testimonials[0]
    assert schedule_key(campaign, testimonial) == ("testimonial", "coaching", testimonial.anchor)
    assert campaign.story is not None and schedule_key(campaign, campaign.story) == ("story", "coaching")


def test_a_scheduled_campaign_in_preview_is_marked(tmp_path: Path) -> None:
    portal = load(tmp_path, {"later.yml": MINIMAL_CAMPAIGN + "publish: 2027-06-01T09:00:00Z\n"})
    now = PUBLISH - dt.timedelta(days=1)
    assert select_public(portal, now).campaigns == {}
    preview = select_public(portal, now, preview=True)
    assert list(preview.campaigns) == ["later"]
    assert preview.schedule_of(preview.campaigns["later"]) == PUBLISH


def test_an_unreadable_moment_is_never_in_a_preview_either(portal: Portal) -> None:
    import dataclasses

    campaign = portal.campaigns["coaching"]
    closed = dataclasses.replace(campaign, messages=(dataclasses.replace(campaign.messages[0], publish=NEVER),))
    preview = select_public(Portal(leaders=portal.leaders, campaigns={"coaching": closed}), PUBLISH, preview=True)
    assert preview.campaigns["coaching"].messages == ()
    assert ("message", "coaching", "hello") not in preview.scheduled


def test_today_is_the_utc_date_of_now() -> None:
    public = PublicPortal(now=dt.datetime(2027, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))), leaders={}, campaigns={})
    assert public.today == dt.date(2026, 12, 31)


def test_a_photo_waits_for_its_leader(tmp_path: Path, portal: Portal) -> None:
    leaders = (
        LEADERS_YML.replace("  division: Operations\n", "  division: Operations\n  photo: assets/shared.jpg\n")
        + "  photo: assets/daniel.jpg\nnobody-yet:\n  name: No Body\n  title: Waiting\n  photo: assets/shared.jpg\n"
    )
    with_photos = load(tmp_path / "photos", {"coaching.yml": MINIMAL_CAMPAIGN + ITEMS}, leaders)
    before = select_public(with_photos, PUBLISH - dt.timedelta(seconds=1))
    assert withheld_photos(with_photos, before) == {"assets/daniel.jpg"}  # shared.jpg is also a public leader's
    assert withheld_photos(with_photos, select_public(with_photos, PUBLISH)) == set()


def test_now_from_the_clock_has_whole_seconds() -> None:
    now = read_now({})
    assert now.microsecond == 0 and now.tzinfo is UTC


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2027-01-15T10:00:00Z", dt.datetime(2027, 1, 15, 10, tzinfo=UTC)),
        ("2027-01-15T10:00Z", dt.datetime(2027, 1, 15, 10, tzinfo=UTC)),
        ("2027-01-15", dt.datetime(2027, 1, 15, tzinfo=UTC)),
        ("2027-01-15T10:00:00+02:00", dt.datetime(2027, 1, 15, 8, tzinfo=UTC)),
    ],
)
def test_parse_moment_reads_z_offsets_and_bare_dates(raw: str, expected: dt.datetime) -> None:
    assert parse_moment(raw, "X") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2027-01-15Z", "X='2027-01-15Z' is not a date-time; use a form like 2027-01-15T10:00:00Z"),
        ("Z", "X='Z' is not a date-time; use a form like 2027-01-15T10:00:00Z"),
        ("2027-01-1Z", "X='2027-01-1Z' is not a date-time; use a form like 2027-01-15T10:00:00Z"),
        ("2027-01-15T10", "X='2027-01-15T10' needs a time-zone offset, for example 2027-01-15T10Z"),
    ],
)
def test_parse_moment_refuses_what_it_cannot_read(raw: str, message: str) -> None:
    with pytest.raises(NowError) as raised:
        parse_moment(raw, "X")
    assert str(raised.value) == message

"""`portal due --since` and `portal next`: the moments at which the site changes by itself.

CI rebuilds only when `portal due` says something fell due since the last deploy, so a
moment it misses, or reports a second late or early, is an item that goes live late.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from campaign_portal import cli
from campaign_portal.load import load_portal
from campaign_portal.model import Portal
from campaign_portal.publishing import select_public
from campaign_portal.rules.schedule import site_changes

from conftest import LEADERS_YML, MINIMAL_CAMPAIGN, PROJECT_ROOT, BuildPortal, BuiltSite, prepare_project

# Published at 09:00 in Paris, which is 08:00 UTC in January.
PUBLISHED = MINIMAL_CAMPAIGN + textwrap.dedent(
    """\
    ends: 2027-03-26
    publish: 2027-01-05T09:00:00+01:00
    messages:
      - id: kickoff
        title: Kick-off
        leaders: [amara-okafor]
        publish: 2027-01-08T17:30:00-05:00
        subject: Hello
        body: Hi {{ leader.first_name }}.
    events:
      - id: lunch
        title: Lunch and learn
        type: lunch-and-learn
        starts: 2027-01-20T12:30
        timezone: America/New_York
        duration: 60
        location: New York office
        hosts: [amara-okafor]
      - id: called-off
        title: Town hall
        type: town-hall
        starts: 2027-02-10T10:00
        timezone: Europe/London
        duration: 60
        location: London HQ
        hosts: [daniel-kim]
        status: cancelled
    """
)
CAMPAIGN_PUBLISHED = "2027-01-05T08:00:00Z  campaign coaching is published"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return prepare_project(tmp_path / "project", {"leaders.yml": LEADERS_YML, "coaching.yml": PUBLISHED})


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, now: str, *argv: str
) -> tuple[int, list[str], str]:
    monkeypatch.setenv("PORTAL_NOW", now)
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err


def test_due_exactly_at_the_moment(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build at 08:00:00 shows the campaign (public once its moment has come), so it is due.
    status, out, _ = run(
        capsys, monkeypatch, "2027-01-05T08:00:00Z", "due", "--since", "2027-01-05T07:50:00Z", "--project", str(project)
    )
    assert status == 0
    assert out == [CAMPAIGN_PUBLISHED]


def test_due_one_second_before(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, _ = run(
        capsys, monkeypatch, "2027-01-05T07:59:59Z", "due", "--since", "2027-01-05T07:50:00Z", "--project", str(project)
    )
    assert status == 1
    assert out == ["Nothing fell due after 2027-01-05T07:50:00Z up to 2027-01-05T07:59:59Z."]


def test_since_exactly_at_the_moment_is_not_due_again(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The deploy built at 08:00:00 already showed it: the next check has nothing to do.
    status, _, _ = run(
        capsys, monkeypatch, "2027-01-05T08:09:00Z", "due", "--since", "2027-01-05T08:00:00Z", "--project", str(project)
    )
    assert status == 1
    status, out, _ = run(
        capsys, monkeypatch, "2027-01-05T08:09:00Z", "due", "--since", "2027-01-05T07:59:59Z", "--project", str(project)
    )
    assert (status, out) == (0, [CAMPAIGN_PUBLISHED])


@pytest.mark.parametrize(
    ("since", "now", "expected"),
    [
        # 09:00 in Paris is 08:00 UTC: the moment in the file's offset, the check in others.
        ("2027-01-05T08:59:59+01:00", "2027-01-05T08:00:00Z", 0),
        ("2027-01-05T09:00:00+01:00", "2027-01-05T08:05:00Z", 1),
        ("2027-01-05T02:59:59-05:00", "2027-01-05T13:30:00+05:30", 0),
        ("2027-01-05T03:00:00-05:00", "2027-01-05T13:40:00+05:30", 1),
        ("2027-01-05T07:00:00Z", "2027-01-05T08:59:59+01:00", 1),
    ],
)
def test_due_across_offsets(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    since: str,
    now: str,
    expected: int,
) -> None:
    status, _, _ = run(capsys, monkeypatch, now, "due", "--since", since, "--project", str(project))
    assert status == expected


def test_an_items_own_later_moment_is_due_in_its_own_offset(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 17:30 in New York on 8 January is 22:30 UTC.
    status, out, _ = run(
        capsys, monkeypatch, "2027-01-08T22:30:00Z", "due", "--since", "2027-01-08T22:29:59Z", "--project", str(project)
    )
    assert (status, out) == (0, ["2027-01-08T22:30:00Z  message coaching/kickoff is published"])
    status, _, _ = run(
        capsys, monkeypatch, "2027-01-08T22:29:59Z", "due", "--since", "2027-01-08T12:00:00Z", "--project", str(project)
    )
    assert status == 1


def test_next_one_second_before_and_at_the_moment(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, _ = run(capsys, monkeypatch, "2027-01-05T07:59:59Z", "next", "--project", str(project))
    assert (status, out) == (0, [CAMPAIGN_PUBLISHED])
    # At the moment itself it has happened: next is the one after.
    status, out, _ = run(capsys, monkeypatch, "2027-01-05T08:00:00Z", "next", "--project", str(project))
    assert (status, out) == (0, ["2027-01-08T22:30:00Z  message coaching/kickoff is published"])


def test_next_lists_everything_at_the_same_moment_and_reminders_in_the_events_zone(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, _ = run(capsys, monkeypatch, "2027-01-10T12:00:00+01:00", "next", "--project", str(project))
    assert (status, out) == (0, ["2027-01-11T00:00:00Z  campaign coaching starts"])
    # The reminder of the day before a session on Wednesday 20 January in New York is due on
    # Tuesday, and is to send from the working day before, Monday, at the start of that day in
    # New York (05:00 UTC).
    status, out, _ = run(capsys, monkeypatch, "2027-01-18T04:59:59Z", "next", "--project", str(project))
    assert (status, out) == (0, ["2027-01-18T05:00:00Z  reminder day_before of event coaching/lunch is to send"])
    status, out, _ = run(capsys, monkeypatch, "2027-01-19T04:59:59Z", "next", "--project", str(project))
    assert (status, out) == (0, ["2027-01-19T05:00:00Z  reminder morning_of of event coaching/lunch is to send"])


def test_events_ending_and_campaigns_ending_are_changes_but_a_cancelled_event_has_no_reminders(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, _ = run(
        capsys, monkeypatch, "2027-03-30T00:00:00Z", "due", "--since", "2027-01-20T00:00:00Z", "--project", str(project)
    )
    assert status == 0
    assert out == [
        "2027-01-20T05:00:00Z  reminder day_before of event coaching/lunch is no longer to send",
        # The kick-off is to send until its next event starts, and so is the morning's reminder.
        "2027-01-20T17:30:00Z  message coaching/kickoff is no longer to send",
        "2027-01-20T17:30:00Z  reminder morning_of of event coaching/lunch is no longer to send",
        "2027-01-20T18:30:00Z  event coaching/lunch is over",
        "2027-02-10T11:00:00Z  event coaching/called-off is over",
        "2027-03-27T00:00:00Z  campaign coaching is over",
    ]


def test_next_with_nothing_left(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, err = run(capsys, monkeypatch, "2030-01-01T00:00:00Z", "next", "--project", str(project))
    assert (status, out) == (1, [])
    assert err == "Nothing is scheduled after 2030-01-01T00:00:00Z.\n"


def test_errors_are_status_2_not_an_answer(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, _, err = run(
        capsys, monkeypatch, "2027-01-05T08:00:00Z", "due", "--since", "2027-01-05T08:00", "--project", str(project)
    )
    assert status == 2
    assert "--since='2027-01-05T08:00' needs a time-zone offset" in err
    (project / "campaigns" / "broken.yml").write_text("titel: x\n", encoding="utf-8")
    status, _, err = run(
        capsys, monkeypatch, "2027-01-05T08:00:00Z", "due", "--since", "2027-01-05T07:00:00Z", "--project", str(project)
    )
    assert status == 2
    assert "campaigns/broken.yml:1:" in err
    status, _, err = run(capsys, monkeypatch, "2027-01-05T08:00:00Z", "next", "--project", str(tmp_path / "nowhere"))
    assert status == 2


def public_at(portal: Portal, moment: dt.datetime) -> tuple[object, ...]:
    public = select_public(portal, moment)
    return (public.campaigns, public.leaders)


def test_the_embargo_changes_exactly_at_the_publish_changes_of_the_examples() -> None:
    """What is public changes at each publish moment `due` reports, and at no other moment."""
    portal = load_portal(PROJECT_ROOT / "campaigns").portal
    second = dt.timedelta(seconds=1)
    moments = sorted({change.moment for change in site_changes(portal) if change.what.endswith("is published")})
    assert len(moments) > 3
    for moment in moments:
        assert public_at(portal, moment - second) != public_at(portal, moment), moment
    for start, end in zip(
        [moments[0] - dt.timedelta(days=400), *moments], [*moments, moments[-1] + dt.timedelta(days=400)], strict=True
    ):
        assert public_at(portal, start) == public_at(portal, end - second), (start, end)


def site_bytes(site: BuiltSite) -> dict[str, bytes]:
    return {path.relative_to(site.site_dir).as_posix(): path.read_bytes() for path in site.all_files()}


def test_the_built_site_changes_at_a_reported_moment_and_not_between_two(
    build_portal: BuildPortal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between two moments `portal next` would name, a rebuild gives the same bytes: nothing goes live late."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # the sitemap's date, the one clock in the site
    campaigns = {"leaders.yml": LEADERS_YML, "coaching.yml": PUBLISHED}
    before = site_bytes(build_portal(campaigns, now="2027-01-08T22:29:59Z"))
    at = site_bytes(build_portal(campaigns, now="2027-01-08T22:30:00Z"))  # the kick-off message goes live
    later = site_bytes(build_portal(campaigns, now="2027-01-10T23:59:59Z"))  # the campaign starts at midnight
    assert before != at
    assert at == later

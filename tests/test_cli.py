"""The `portal` command: validate, new campaign, and a build that never leaves a broken site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from campaign_portal import cli
from campaign_portal.load import load_portal

from conftest import EVENT, LEADERS_YML, MINIMAL_CAMPAIGN, BuildPortal, build_project, prepare_project

NOW = "2027-01-04T12:00:00Z"

BROKEN_CAMPAIGN = MINIMAL_CAMPAIGN.replace(
    "title: Coaching for Growth", "titel: Coaching for Growth"
) + textwrap.dedent(
    """\
    sponsors: [amara-okafr]
    """
)
BROKEN_PROBLEMS = [
    "campaigns/broken.yml:1: the campaign is missing the required key 'title'",
    "campaigns/broken.yml:1: unknown key 'titel' in the campaign; did you mean 'title'?",
    "campaigns/broken.yml:7: unknown leader 'amara-okafr' in 'sponsors'; did you mean 'amara-okafor'?; leaders are listed in campaigns/leaders.yml",
]

# A message that only fails when rendered, scheduled for later: the build of today cannot see it.
SCHEDULED_TEMPLATE_ERROR = MINIMAL_CAMPAIGN + textwrap.dedent(
    """\
    messages:
      - id: kickoff
        title: Kick-off
        leaders: [amara-okafor]
        publish: 2027-06-01T09:00:00Z
        subject: "Hello"
        body: |
          Hi {{ leader.firstname }},

          Welcome.
    """
)
TEMPLATE_PROBLEM = (
    "campaigns/scheduled.yml:14: template error: 'dict object' has no attribute 'firstname'; "
    "see the authoring guide for the names a message can use"
)

EVENT_CAMPAIGN = MINIMAL_CAMPAIGN + EVENT


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_NOW", NOW)
    monkeypatch.delenv("PORTAL_PREVIEW", raising=False)


def project(tmp_path: Path, campaigns: dict[str, str] | None = None, *, example: bool = False) -> Path:
    files = {"leaders.yml": LEADERS_YML, **(campaigns or {})} if not example else campaigns
    return prepare_project(tmp_path / "project", files, example=example)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: its bytes and modification time, by relative path."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))


# -- portal validate ---------------------------------------------------------------------------


def test_validate_the_example_says_ok_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, example=True)
    loaded = load_portal(root / "campaigns").portal
    status, out, err = run(capsys, "validate", "--project", str(root))
    assert (status, err) == (0, "")
    assert out == (
        f"OK: {len(loaded.campaigns)} campaigns and {len(loaded.leaders)} leaders in campaigns/, no problems found.\n"
    )
    assert not (root / "site").exists(), "validate builds no site"


def test_validate_prints_each_problem_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"broken.yml": BROKEN_CAMPAIGN, "fine.yml": MINIMAL_CAMPAIGN})
    status, out, err = run(capsys, "validate", "--project", str(root))
    assert (status, err) == (1, "")
    assert out == "\n".join([*BROKEN_PROBLEMS, "3 problems found; fix them and run portal validate again."]) + "\n"


def test_validate_reports_exactly_what_the_build_warns_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], build_portal: BuildPortal
) -> None:
    files = {"leaders.yml": LEADERS_YML, "broken.yml": BROKEN_CAMPAIGN, "events.yml": EVENT_CAMPAIGN}
    site = build_portal(files, now=NOW, expect_warnings=True)
    status, out, _ = run(capsys, "validate", "--project", str(site.root))
    assert status == 1
    assert out.splitlines()[:-1] == sorted(site.warnings)


def test_validate_renders_scheduled_messages_that_the_build_cannot_see_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, {"scheduled.yml": SCHEDULED_TEMPLATE_ERROR})
    assert build_project(root).warnings == [], "today's build does not render the scheduled message"
    status, out, _ = run(capsys, "validate", "--project", str(root))
    assert status == 1
    assert out.splitlines() == [TEMPLATE_PROBLEM, "1 problem found; fix them and run portal validate again."]


def test_validate_renders_reminder_wording_from_mkdocs_yml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"events.yml": EVENT_CAMPAIGN})
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "campaigns_dir: campaigns\n",
            "campaigns_dir: campaigns\n      reminders:\n        day_before:\n          subject: 'Tomorrow: {{ event.nope }}'\n",
        ),
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "validate", "--project", str(root))
    assert status == 1
    problem = (
        "mkdocs.yml (reminders.day_before.subject):1: template error: 'dict object' has no attribute 'nope'; "
        "see the authoring guide for the names a message can use"
    )
    assert out.splitlines() == [problem, "1 problem found; fix them and run portal validate again."]
    status, out, _ = run(capsys, "validate", "--project", str(root), "--format", "github")
    assert out.splitlines()[0] == f"::error::{problem}"


def test_validate_checks_leader_photos_in_docs_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    leaders = LEADERS_YML.replace(
        "  email: amara.okafor@example.com\n", "  email: amara.okafor@example.com\n  photo: assets/amara.jpg\n"
    )
    root = project(tmp_path, {"leaders.yml": leaders, "coaching.yml": MINIMAL_CAMPAIGN})
    status, out, _ = run(capsys, "validate", "--project", str(root))
    assert status == 1
    assert (
        out.splitlines()[0] == "campaigns/leaders.yml:6: 'photo' names content/assets/amara.jpg, which does not exist"
    )
    (root / "content" / "assets").mkdir(exist_ok=True)
    (root / "content" / "assets" / "amara.jpg").write_bytes(b"\xff\xd8\xff")
    status, out, _ = run(capsys, "validate", "--project", str(root))
    assert (status, out) == (0, "OK: 1 campaign and 2 leaders in campaigns/, no problems found.\n")


def test_validate_reads_campaigns_dir_from_mkdocs_yml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN})
    (root / "campaigns").rename(root / "learning")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("campaigns_dir: campaigns", "campaigns_dir: learning"),
        encoding="utf-8",
    )
    (root / "learning" / "broken.yml").write_text(BROKEN_CAMPAIGN, encoding="utf-8")
    status, out, _ = run(capsys, "validate", "--project", str(root))
    assert status == 1
    assert out.splitlines()[0] == BROKEN_PROBLEMS[0].replace("campaigns/", "learning/")
    (root / "learning" / "broken.yml").unlink()
    assert run(capsys, "validate", "--project", str(root))[:2] == (
        0,
        "OK: 1 campaign and 2 leaders in learning/, no problems found.\n",
    )


def test_validate_github_format_annotates_files_relative_to_the_working_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"broken.yml": BROKEN_CAMPAIGN})
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "validate", "--project", "project", "--format", "github")
    assert status == 1
    assert out.splitlines() == [
        "::error file=project/campaigns/broken.yml,line=1::the campaign is missing the required key 'title'",
        "::error file=project/campaigns/broken.yml,line=1::unknown key 'titel' in the campaign; did you mean 'title'?",
        "::error file=project/campaigns/broken.yml,line=7::unknown leader 'amara-okafr' in 'sponsors'; did you mean "
        "'amara-okafor'?; leaders are listed in campaigns/leaders.yml",
        "3 problems found; fix them and run portal validate again.",
    ]
    assert root == tmp_path / "project"


def test_github_annotations_escape_what_would_end_the_command(tmp_path: Path) -> None:
    (tmp_path / "a,b:c.yml").write_text("x", encoding="utf-8")
    annotation = cli._github_annotation(cli.Problem("a,b:c.yml", 3, "100% wrong\nsecond line"), tmp_path)
    assert annotation.endswith("::100%25 wrong%0Asecond line")
    assert annotation.startswith("::error file=")
    assert "a%2Cb%3Ac.yml,line=3::" in annotation


def test_validate_without_mkdocs_yml_explains(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", "--project", str(tmp_path))
    assert (status, out) == (1, "")
    assert (
        err
        == f"portal: error: no mkdocs.yml in {tmp_path.as_posix()}; run portal in the portal's folder or pass --project DIR\n"
    )


def test_validate_rejects_a_bad_portal_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN})
    monkeypatch.setenv("PORTAL_NOW", "tomorrow")
    status, _, err = run(capsys, "validate", "--project", str(root))
    assert status == 1
    assert err == "portal: error: PORTAL_NOW='tomorrow' is not a date-time; use a form like 2027-01-15T10:00:00Z\n"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2
    assert "usage: portal" in capsys.readouterr().err


# -- portal new campaign ---------------------------------------------------------------------


def test_new_campaign_writes_a_starter_that_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, example=True)
    status, out, err = run(capsys, "new", "campaign", "customer-empathy", "--project", str(root))
    assert (status, err) == (0, "")
    assert (
        out
        == f"Created {(root / 'campaigns' / 'customer-empathy.yml').as_posix()}: fill in the placeholders, then run portal validate.\n"
    )
    text = (root / "campaigns" / "customer-empathy.yml").read_text(encoding="utf-8")
    assert 'title: "Customer empathy"\n' in text
    # Four weeks from PORTAL_NOW, published a week before: merging the starter publishes nothing yet.
    assert "\nstarts: 2027-02-01\n" in text
    assert "\npublish: 2027-01-25T09:00:00+00:00\n" in text
    assert "\nsponsors: [amara-okafor]\n" in text  # the first leader id in leaders.yml, as a placeholder
    assert "$" not in text.replace("$schema=", ""), "every placeholder was filled"
    status, out, _ = run(capsys, "validate", "--project", str(root))
    assert status == 0, out
    loaded = load_portal(root / "campaigns")
    assert loaded.problems == []
    assert loaded.portal.campaigns["customer-empathy"].sponsors == ("amara-okafor",)


def test_the_starter_is_embargoed_until_its_publish_moment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN})
    assert run(capsys, "new", "campaign", "customer-empathy", "--project", str(root))[0] == 0
    site = build_project(root, strict=True)
    assert not (site.site_dir / "campaigns" / "customer-empathy").exists()
    monkeypatch.setenv("PORTAL_NOW", "2027-01-25T09:00:00Z")
    site = build_project(root, strict=True)
    assert (site.site_dir / "campaigns" / "customer-empathy" / "index.html").is_file()


def test_new_campaign_without_leaders_names_no_sponsor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = prepare_project(tmp_path / "project")
    assert run(capsys, "new", "campaign", "first-one", "--project", str(root))[0] == 0
    text = (root / "campaigns" / "first-one.yml").read_text(encoding="utf-8")
    assert "\n# sponsors: [leader-id]\n" in text
    assert "\nsponsors:" not in text
    problems = [str(problem) for problem in load_portal(root / "campaigns").problems]
    assert problems == ["campaigns/leaders.yml:1: the registry of leaders is missing; create campaigns/leaders.yml"]


def test_new_campaign_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN})
    before = (root / "campaigns" / "coaching.yml").read_bytes()
    status, out, err = run(capsys, "new", "campaign", "coaching", "--project", str(root))
    assert (status, out) == (1, "")
    assert (
        err
        == f"portal: error: {(root / 'campaigns' / 'coaching.yml').as_posix()} already exists; pick another id or edit that file\n"
    )
    assert (root / "campaigns" / "coaching.yml").read_bytes() == before


@pytest.mark.parametrize(
    ("campaign_id", "message"),
    [
        (
            "Customer Empathy",
            "'Customer Empathy' is not a campaign id: use lowercase letters, digits and single hyphens, "
            "at most 64 characters, for example 'customer-empathy'",
        ),
        (
            "double--hyphen",
            "'double--hyphen' is not a campaign id: use lowercase letters, digits and single hyphens, "
            "at most 64 characters, for example 'double-hyphen'",
        ),
        (
            "../escape",
            "'../escape' is not a campaign id: use lowercase letters, digits and single hyphens, at most 64 characters, for example 'escape'",
        ),
        (
            "a" * 65,
            f"'{'a' * 65}' is not a campaign id: use lowercase letters, digits and single hyphens, at most 64 characters, for example '{'a' * 64}'",
        ),
        ("leaders", "'leaders' cannot be a campaign id: leaders.yml is the registry of leaders"),
    ],
)
def test_new_campaign_refuses_invalid_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], campaign_id: str, message: str
) -> None:
    root = prepare_project(tmp_path / "project")
    status, out, err = run(capsys, "new", "campaign", campaign_id, "--project", str(root))
    assert (status, out, err) == (1, "", f"portal: error: {message}\n")
    assert list((root / "campaigns").iterdir()) == []
    assert not (tmp_path / "escape.yml").exists()


# -- portal build ------------------------------------------------------------------------------


def test_build_writes_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"coaching.yml": EVENT_CAMPAIGN})
    status, out, err = run(capsys, "build", "--project", str(root), "--strict")
    site = root / "site"
    count = sum(1 for path in site.rglob("*") if path.is_file())
    assert (status, err) == (0, "")
    assert out == f"Built the site in {site.as_posix()}/ ({count} files).\n"
    assert (site / "campaigns" / "coaching" / "events" / "lunch" / "event.ics").is_file()
    assert leftovers(root) == []
    # An ordinary folder that a web server can read, not a private temporary one.
    umask = os.umask(0)
    os.umask(umask)
    assert site.stat().st_mode & 0o777 == 0o777 & ~umask


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"coaching.yml": EVENT_CAMPAIGN})
    assert run(capsys, "build", "--project", str(root))[0] == 0
    site = root / "site"
    site.chmod(0o750)
    before = snapshot(site)
    (root / "campaigns" / "broken.yml").write_text(BROKEN_CAMPAIGN, encoding="utf-8")
    status, out, err = run(capsys, "build", "--project", str(root), "--strict")
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        *(f"WARNING -  {problem}" for problem in BROKEN_PROBLEMS),
        "portal: the build failed: Aborted with 3 warnings in strict mode!",
        f"{site.as_posix()}/ was left as it was.",
    ]
    assert snapshot(site) == before
    assert leftovers(root) == []
    # A plain build warns and succeeds; the new site replaces the old one and keeps its permissions.
    status, out, err = run(capsys, "build", "--project", str(root))
    assert status == 0
    assert err.splitlines() == [f"WARNING -  {problem}" for problem in BROKEN_PROBLEMS]
    assert snapshot(site) != before
    assert site.stat().st_mode & 0o777 == 0o750
    assert leftovers(root) == []


def test_a_failed_first_build_creates_no_site_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"broken.yml": BROKEN_CAMPAIGN})
    status, _, err = run(capsys, "build", "--project", str(root), "--strict")
    assert status == 1
    assert err.splitlines()[-1] == f"{(root / 'site').as_posix()}/ was not created."
    assert not (root / "site").exists()
    assert leftovers(root) == []


def test_a_build_that_crashes_half_way_leaves_the_previous_site_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"coaching.yml": EVENT_CAMPAIGN})
    assert run(capsys, "build", "--project", str(root))[0] == 0
    before = snapshot(root / "site")
    written: list[Path] = []

    def crash(config: object, **_: object) -> None:
        site_dir = Path(config["site_dir"])  # type: ignore[index]
        (site_dir / "index.html").write_text("half", encoding="utf-8")
        written.append(site_dir)
        raise RuntimeError("disk full")

    monkeypatch.setattr("mkdocs.commands.build.build", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        cli.main(["build", "--project", str(root)])
    assert written and written[0].parent == root and written[0] != root / "site"
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_build_site_dir_option_is_relative_to_the_working_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN})
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "build", "--project", "project", "--site-dir", "public")
    assert status == 0
    assert out.startswith("Built the site in public/ (")
    assert (tmp_path / "public" / "campaigns" / "coaching" / "index.html").is_file()
    assert not (root / "site").exists()


@pytest.mark.parametrize("site_dir", [".", "content", "campaigns", ".."])
def test_build_refuses_a_site_dir_that_would_replace_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, site_dir: str
) -> None:
    root = project(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN})
    before = snapshot(tmp_path)
    monkeypatch.chdir(root)
    status, out, err = run(capsys, "build", "--site-dir", site_dir)
    assert (status, out) == (1, "")
    # MkDocs itself refuses a site folder holding docs_dir; the campaigns folder is portal's to guard.
    assert err.splitlines()[-1] == {
        "campaigns": "portal: error: refusing to build into campaigns: it is campaigns, which the new site would "
        "replace; choose another --site-dir",
    }.get(site_dir, "portal: error: mkdocs.yml: Aborted with a configuration error!")
    assert snapshot(tmp_path) == before


def test_validate_does_not_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_build(*_: object, **__: object) -> None:
        raise AssertionError("validate must not build the site")

    monkeypatch.setattr("mkdocs.commands.build.build", no_build)
    root = project(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN})
    assert run(capsys, "validate", "--project", str(root))[0] == 0


# -- the installed command ---------------------------------------------------------------------


def test_the_portal_console_script_runs(tmp_path: Path) -> None:
    """Once through the real entry point, as CI and pre-commit call it."""
    script = Path(sys.executable).with_name("portal")
    assert script.is_file(), "the project is installed with its console script (pip install -e .)"
    root = project(tmp_path, {"broken.yml": BROKEN_CAMPAIGN})
    environment = {**os.environ, "PORTAL_NOW": NOW}
    result = subprocess.run(
        [str(script), "validate", "--format", "github"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert (
        result.stdout.splitlines()[0]
        == "::error file=campaigns/broken.yml,line=1::the campaign is missing the required key 'title'"
    )
    assert result.stderr == ""
    shutil.rmtree(root / "campaigns")
    result = subprocess.run(
        [str(script), "validate"], cwd=root, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stdout == (
        "campaigns:1: the campaigns folder does not exist; create it\n1 problem found; fix them and run portal validate again.\n"
    )


def test_a_build_cleans_up_what_killed_builds_left(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A build killed midway leaves `.site.building-*` and `.site.previous-*`; the next build removes them.

    One killed between its two renames left no site folder at all, only the retired one: it is
    put back, so that a next build that fails still leaves that site in place.
    """
    root = project(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN + "titel: typo\n"})
    for name in (".site.building-abc123", ".site.previous-def456/site", ".site.previous-ghi789"):
        (root / name).mkdir(parents=True)
        (root / name / "big.bin").write_bytes(b"x" * 1000)
    (root / ".site.previous-def456" / "site" / "index.html").write_text("the old site", encoding="utf-8")
    (root / ".site.building-link").symlink_to(root / "content")  # not a folder of ours: left alone
    (root / ".site-notes").write_text("kept", encoding="utf-8")
    status, _, err = run(capsys, "build", "--project", str(root), "--strict")
    assert status == 1
    assert err.startswith("Removed 3 folders left by an interrupted build.\n"), err
    assert leftovers(root) == [".site-notes", ".site.building-link"]
    assert any((root / "content").iterdir())  # what the link pointed at is still there
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "the old site"
    assert sorted(path.name for path in (root / "site").iterdir()) == ["big.bin", "index.html"]


def test_two_builds_into_one_site_folder_do_not_run_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import fcntl

    root = project(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN})
    (root / ".site.building-running").mkdir()
    with open(root / ".site.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another build, still running
        status, _, err = run(capsys, "build", "--project", str(root))
    assert status == 1
    assert err == f"portal: error: another portal build is writing {(root / 'site').as_posix()}/ now; wait for it to finish\n"
    assert (root / ".site.building-running").is_dir()  # the running build's folder is not touched

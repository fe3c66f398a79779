"""The CI templates companies copy as they are: valid against their official schemas, clean
under zizmor's static analysis, every action pinned to a commit, least privilege per job."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import ENGINE, LEADERS_YML, MINIMAL_CAMPAIGN, PROJECT_ROOT, prepare_project, set_site_url

pytestmark = pytest.mark.skipif(ENGINE != "mkdocs", reason="the CI templates are checked once, in the MkDocs run")

GITHUB = PROJECT_ROOT / ".github" / "workflows" / "portal.yml"
GITLAB = PROJECT_ROOT / ".gitlab-ci.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def tool(name: str) -> str:
    """A command installed beside this Python (the test extras), so the suite runs the same everywhere."""
    path = Path(sys.executable).parent / name
    assert path.exists(), f"{name} is missing: install the test extras (pip install -e '.[test]')"
    return str(path)


def workflow() -> dict[str, object]:
    loaded = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.mark.parametrize(("path", "schema"), [(GITHUB, "vendor.github-workflows"), (GITLAB, "vendor.gitlab-ci")])
def test_templates_validate_against_their_official_schemas(path: Path, schema: str) -> None:
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_reports_nothing_on_the_github_workflow() -> None:
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--persona=pedantic", str(GITHUB)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    lines = [line.strip() for line in GITHUB.read_text(encoding="utf-8").splitlines()]
    uses = [line.split("uses:", 1)[1].strip() for line in lines if re.match(r"^(- )?uses:", line)]
    assert len(uses) >= 5
    for action in uses:
        assert PINNED.match(action), action


def test_checkouts_keep_no_credentials_and_jobs_ask_for_their_own_permissions() -> None:
    loaded = workflow()
    assert loaded["permissions"] == {}
    jobs = loaded["jobs"]
    assert isinstance(jobs, dict)
    for name, job in jobs.items():
        assert job.get("permissions"), f"job {name} has no permissions of its own"
        for step in job["steps"]:
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name
    write = {name for name, job in jobs.items() if "write" in job["permissions"].values()}
    assert write == {"deploy"}


def test_scheduled_checks_run_every_ten_minutes_and_previews_show_drafts() -> None:
    loaded = workflow()
    # PyYAML reads the key `on` as True (YAML 1.1).
    triggers = loaded.get("on", loaded.get(True))  # type: ignore[call-overload]
    assert triggers["schedule"] == [{"cron": "2-59/10 * * * *"}]
    text = GITHUB.read_text(encoding="utf-8")
    assert "portal due --since" in text
    gitlab = GITLAB.read_text(encoding="utf-8")
    assert "portal due --since" in gitlab
    assert "*/10 * * * *" in gitlab
    preview_steps = [step for step in loaded["jobs"]["validate"]["steps"] if step.get("env", {}).get("PORTAL_PREVIEW")]  # type: ignore[index]
    assert [step["run"] for step in preview_steps] == ["portal build --strict --site-dir preview"]
    assert "PORTAL_PREVIEW=1 portal build" in gitlab


# -- the "is a rebuild due?" scripts, run as CI runs them against a live site on loopback ---------

DUE_CAMPAIGN = MINIMAL_CAMPAIGN + "publish: 2027-01-05T09:00:00+01:00\n"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def live_site(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A project whose site_url is a web server on loopback serving ``served/``."""
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    root = prepare_project(tmp_path / "project", {"leaders.yml": LEADERS_YML, "coaching.yml": DUE_CAMPAIGN})
    set_site_url(root, f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        yield root, served
    finally:
        server.shutdown()
        server.server_close()


def ci_environment(**values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "CI_"))}
    return {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}", **values}


def github_due_script() -> str:
    steps = workflow()["jobs"]["build"]["steps"]  # type: ignore[index]
    return next(step["run"] for step in steps if step.get("id") == "due")


def gitlab_due_script() -> str:
    loaded = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    return str(loaded["pages"]["script"][0])


def run_github(root: Path, tmp_path: Path, now: str, event: str = "schedule") -> str:
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    env = ci_environment(GITHUB_EVENT_NAME=event, GITHUB_SHA=COMMIT, GITHUB_OUTPUT=str(output), PORTAL_NOW=now)
    result = subprocess.run(
        ["bash", "-e", "-c", github_due_script()], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return output.read_text(encoding="utf-8")


def run_gitlab(root: Path, now: str) -> int:
    env = ci_environment(CI_PIPELINE_SOURCE="schedule", CI_COMMIT_SHA=COMMIT, CI_DEFAULT_BRANCH="main", PORTAL_NOW=now)
    return subprocess.run(
        ["sh", "-e", "-c", gitlab_due_script()], cwd=root, env=env, capture_output=True, text=True, check=False
    ).returncode


@pytest.mark.parametrize(
    ("stamp", "now", "deploy", "gitlab_too"),
    [
        (f"2027-01-05T07:55:00Z\n{COMMIT}\n", "2027-01-05T07:59:59Z", "false", True),  # nothing due yet
        (f"2027-01-05T07:55:00Z\n{COMMIT}\n", "2027-01-05T08:00:00Z", "true", True),  # 09:00 in Paris
        (f"2027-01-05T08:00:00Z\n{COMMIT}\n", "2027-01-05T08:10:00Z", "false", False),  # that build showed it
        (f"2027-01-05T08:00:00Z\n{'f' * 40}\n", "2027-01-05T08:10:00Z", "true", True),  # another commit
        (None, "2027-01-05T08:10:00Z", "true", False),  # no deployed-at.txt: the first deploy
        ("<!DOCTYPE html>\n<title>Sign in</title>\n", "2027-01-05T08:10:00Z", "true", True),  # a login page
    ],
)
def test_the_scheduled_check_deploys_only_when_something_fell_due(
    live_site: tuple[Path, Path], tmp_path: Path, stamp: str | None, now: str, deploy: str, gitlab_too: bool
) -> None:
    root, served = live_site
    if stamp is not None:
        (served / "deployed-at.txt").write_text(stamp, encoding="utf-8")
    assert run_github(root, tmp_path, now) == f"deploy={deploy}\n"
    if gitlab_too:
        assert run_gitlab(root, now) == (3 if deploy == "false" else 0)


def test_pushes_always_deploy_and_a_broken_campaign_builds_to_fail_visibly(
    live_site: tuple[Path, Path], tmp_path: Path
) -> None:
    root, served = live_site
    (served / "deployed-at.txt").write_text(f"2027-01-05T07:55:00Z\n{COMMIT}\n", encoding="utf-8")
    assert run_github(root, tmp_path, "2027-01-05T07:56:00Z", event="push") == "deploy=true\n"
    (root / "campaigns" / "broken.yml").write_text("titel: x\n", encoding="utf-8")
    assert run_github(root, tmp_path, "2027-01-05T07:56:00Z") == "deploy=true\n"
    assert run_gitlab(root, "2027-01-05T07:56:00Z") == 0


def test_make_build_is_the_atomic_portal_build_and_make_test_covers_both_engines() -> None:
    def commands(target: str) -> str:
        result = subprocess.run(["make", "-n", target], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
        return result.stdout

    assert "portal build --strict" in commands("build")
    assert "mkdocs build" not in commands("build")
    assert "PORTAL_ENGINE=properdocs" in commands("test-properdocs")
    assert "test-properdocs" in commands("test")

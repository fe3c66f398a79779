"""The engine: the portal builds on MkDocs 1.6 and on ProperDocs, its maintained fork.

`make test` runs the whole suite twice, the second time with PORTAL_ENGINE=properdocs; these
tests check that the switch really happened and that the commands the README gives run clean.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from campaign_portal.engine import EngineError, active_engine, use_engine

from conftest import ENGINE, LEADERS_YML, MINIMAL_CAMPAIGN, prepare_project

BANNER = "end of life"
BIN = Path(sys.executable).parent


def test_the_engine_asked_for_is_the_one_that_builds() -> None:
    import mkdocs
    from mkdocs.commands import build

    assert active_engine() == ENGINE
    assert mkdocs.__name__ == ENGINE
    assert build.__name__ == f"{ENGINE}.commands.build"


def test_an_unknown_engine_is_one_clear_line() -> None:
    with pytest.raises(EngineError, match=r"PORTAL_ENGINE='zensical' is not an engine; use one of: mkdocs, properdocs"):
        use_engine({"PORTAL_ENGINE": "Zensical"})
    assert use_engine({}) == "mkdocs" or ENGINE == "properdocs"


def environment(**values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_MKDOCS_2_WARNING", "PORTAL_ENGINE")}
    return {**env, "PORTAL_NOW": "2027-01-04T12:00:00Z", **values}


def test_portal_build_on_properdocs_counts_the_plugins_warnings_for_strict(tmp_path: Path) -> None:
    # An unknown key is a warning of the plugin: with --strict the build must fail on it.
    root = prepare_project(
        tmp_path / "project", {"leaders.yml": LEADERS_YML, "coaching.yml": MINIMAL_CAMPAIGN + "colour: blue\n"}
    )
    command = [sys.executable, "-m", "campaign_portal.cli", "build", "--project", str(root), "--strict"]
    failed = subprocess.run(
        command, env=environment(PORTAL_ENGINE="properdocs"), capture_output=True, text=True, check=False
    )
    assert failed.returncode == 1, failed.stderr
    assert "unknown key 'colour' in the campaign" in failed.stderr
    assert "Aborted with 1 warnings in strict mode!" in failed.stderr
    (root / "campaigns" / "coaching.yml").write_text(MINIMAL_CAMPAIGN, encoding="utf-8")
    built = subprocess.run(
        command, env=environment(PORTAL_ENGINE="properdocs"), capture_output=True, text=True, check=False
    )
    assert (built.returncode, built.stderr) == (0, "")
    assert (root / "site" / "campaigns" / "coaching" / "index.html").is_file()


def test_the_readme_commands_run_without_the_end_of_life_banner(tmp_path: Path) -> None:
    root = prepare_project(tmp_path / "project", {"leaders.yml": LEADERS_YML, "coaching.yml": MINIMAL_CAMPAIGN})
    mkdocs = [str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(tmp_path / "a")]
    plain = subprocess.run(mkdocs, env=environment(), capture_output=True, text=True, check=False)
    assert plain.returncode == 0, plain.stderr
    assert BANNER in plain.stderr  # what the Makefile and the README's commands avoid
    quiet = subprocess.run(
        mkdocs, env=environment(NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True, check=False
    )
    assert (quiet.returncode, quiet.stderr) == (0, "")
    properdocs = [
        str(BIN / "properdocs"),
        "build",
        "--strict",
        "-q",
        "-f",
        str(root / "mkdocs.yml"),
        "-d",
        str(tmp_path / "b"),
    ]
    switched = subprocess.run(properdocs, env=environment(), capture_output=True, text=True, check=False)
    assert (switched.returncode, switched.stderr) == (0, "")
    assert (tmp_path / "b" / "campaigns" / "coaching" / "index.html").is_file()

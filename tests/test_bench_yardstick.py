"""The benchmark's yardstick, data shape and event split are what they claim (no timing here)."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from conftest import PROJECT_ROOT


def _bench(name: str) -> ModuleType:
    if str(PROJECT_ROOT) not in sys.path:  # `pytest` run from elsewhere than the project root
        sys.path.insert(0, str(PROJECT_ROOT))
    return importlib.import_module(f"bench.{name}")


def _moment(value: object) -> dt.datetime:
    assert isinstance(value, dt.datetime | dt.date)
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def test_the_issue_12_shape_has_its_fixed_counts_and_nothing_embargoed(tmp_path: Path) -> None:
    generate = _bench("generate")
    data = generate.generate(tmp_path / "campaigns", campaigns=12, shape=generate.ISSUE_12, seed=5)
    leaders = yaml.safe_load((tmp_path / "campaigns" / "leaders.yml").read_text(encoding="utf-8"))
    assert data.campaigns == 12 and len(leaders) == data.leaders == 8  # at least 8, else campaigns / 2
    files = [path for path in data.campaign_files]
    assert len(files) == 12
    for path in files:
        campaign = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert len(campaign["events"]) == 4
        assert [len(message["leaders"]) for message in campaign["messages"]] == [2, 2]
        assert len(campaign["testimonials"]) == 2
        assert _moment(campaign.get("publish", generate.BENCH_NOW)) <= generate.BENCH_NOW
        assert all("publish" not in event for event in campaign["events"])
    bigger = generate.generate(tmp_path / "more", campaigns=40, shape=generate.ISSUE_12, seed=5)
    assert bigger.leaders == 20
    # 40 campaign pages and their 40 briefs, 160 event pages, the leaders, the tag pages and the four indexes.
    assert 80 + 160 + 4 < bigger.expected_pages <= 80 + 160 + 20 + 4 + 40


def test_plain_pages_are_ordinary_pages_of_a_fixed_size_that_mkdocs_builds_strictly(tmp_path: Path) -> None:
    baseline = _bench("baseline")
    root = baseline.prepare_plain(tmp_path / "plain", pages=40, seed=2)
    library = sorted((root / "content" / baseline.LIBRARY).rglob("*.md"))
    guides = len(list((Path(__file__).resolve().parents[1] / "content").glob("*.md")))  # the portal's own pages, copied
    assert len(library) == 40 - len(baseline.NAV_PAGES) - guides
    for path in library:
        text = path.read_text(encoding="utf-8")
        assert baseline.PLAIN_PAGE_BYTES - 60 <= len(text) <= baseline.PLAIN_PAGE_BYTES  # characters, nearly all ASCII
        assert re.search(r"^## ", text, re.M) and re.search(r"^- ", text, re.M)
        assert re.search(r"^    \$ ", text, re.M) and "| --- |" in text
        assert re.search(r"\]\((\.\./section-\d+/)?page-\d+\.md\)", text) and "](https://" in text
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    pages = [path for path in (root / "site").rglob("*.html") if path.name != "404.html"]
    assert len(pages) == 40
    assert "campaign-portal" not in (root / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_split_times_each_plugin_event_by_the_name_it_has_in_the_config(tmp_path: Path) -> None:
    generate = _bench("generate")
    project = tmp_path / "portal"
    project.mkdir()
    for folder in ("content", "overrides"):
        shutil.copytree(PROJECT_ROOT / folder, project / folder)
    shutil.copy2(PROJECT_ROOT / "mkdocs.yml", project / "mkdocs.yml")
    generate.generate(project / "campaigns", campaigns=3, shape=generate.ISSUE_12, seed=1)
    completed = subprocess.run(
        [sys.executable, "-m", "bench.split", str(project)],
        cwd=PROJECT_ROOT,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    pages = [path for path in (project / "site-split").rglob("*.html") if path.name != "404.html"]
    calls = result["calls"]
    assert calls["plugin campaign-portal: files"] == 1
    assert calls["plugin campaign-portal: page_content"] == len(pages)
    assert calls["plugin material/search: page_context"] == len(pages)
    assert calls["mkdocs: write other files (.ics)"] > 0  # the portal's calendars, written by MkDocs
    # Exclusive times, so the parts add up to the build (the rest is what no timer covers).
    assert sum(result["seconds"].values()) == pytest.approx(result["cpu_s"], rel=0.05)

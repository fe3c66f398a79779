"""`mkdocs serve` rebuilds: the same plugin instance, the config loaded again, and nothing grows.

This follows mkdocs/commands/serve.py: the config is loaded and ``on_startup(command="serve")``
is called once, the first build uses that config, and every later build loads the config
again (MkDocs hands back the same plugin instance, since it has ``on_startup``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from conftest import EXAMPLE_NOW, LEADERS_YML, MINIMAL_CAMPAIGN, PROJECT_ROOT, WarningCollector, prepare_project

SERVE_URL = "http://127.0.0.1:8000/"
EXAMPLE_FILES = ("leaders.yml", "coaching-for-growth.yml")
# A campaign whose summary loses an <iframe>: its warning must be logged on every build, once.
WARNING_CAMPAIGN = """\
title: Rebuilt often
summary: Watch this <iframe src="https://video.example.com/x"></iframe> and learn.
starts: 2026-11-01
business_case:
  problem: Rebuilds might pile things up.
  outcome: They do not.
"""


@dataclass
class Snapshot:
    outputs: dict[str, bytes]
    warnings: list[str]
    theme_dirs: list[str]
    extra_css: list[str]
    extra_javascript: list[str]
    files: int
    plugin: object
    plugin_pages: int
    plugin_cache: int | None


def _serve_builds(root: Path, count: int) -> list[Snapshot]:
    """Build ``count`` times as `mkdocs serve` does, returning what each build left behind."""
    site_dir = root / "site"

    def get_config() -> MkDocsConfig:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
        config.site_url = SERVE_URL
        return config

    collector = WarningCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    snapshots: list[Snapshot] = []
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        for number in range(count):
            if number:
                config = get_config()
            collector.messages = []
            files_seen: list[int] = []

            def count_files(files: object, *, seen: list[int] = files_seen, **kwargs: object) -> object:
                seen.append(len(files))  # type: ignore[arg-type]
                return files

            # The last on_files hook sees every file the build will write.
            config.plugins.events["files"].append(count_files)
            build(config, serve_url=SERVE_URL, dirty=False)
            plugin = config.plugins["campaign-portal"]
            snapshots.append(
                Snapshot(
                    outputs={
                        path.relative_to(site_dir).as_posix(): path.read_bytes()
                        for path in sorted(site_dir.rglob("*"))
                        if path.is_file()
                    },
                    warnings=list(collector.messages),
                    theme_dirs=list(config.theme.dirs),
                    extra_css=[str(item) for item in config.extra_css],
                    extra_javascript=[str(item) for item in config.extra_javascript],
                    files=files_seen[-1],
                    plugin=plugin,
                    plugin_pages=len(plugin.specs),  # type: ignore[attr-defined]
                    plugin_cache=len(cache) if (cache := getattr(plugin, "output_cache", None)) is not None else None,
                )
            )
    finally:
        config.plugins.on_shutdown()
        logger.removeHandler(collector)
    return snapshots


@pytest.fixture(scope="module")
def rebuilds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Snapshot]]:
    # One example campaign (messages, events, testimonials, a story) keeps three builds quick.
    files = {name: (PROJECT_ROOT / "campaigns" / name).read_text(encoding="utf-8") for name in EXAMPLE_FILES}
    root = prepare_project(tmp_path_factory.mktemp("rebuilds"), {**files, "rebuilt-often.yml": WARNING_CAMPAIGN})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_NOW", EXAMPLE_NOW)
        yield _serve_builds(root, 3)


def test_every_rebuild_writes_the_same_pages_feeds_and_calendars(rebuilds: list[Snapshot]) -> None:
    first = rebuilds[0].outputs
    assert "campaigns/coaching-for-growth/index.html" in first
    assert "campaigns/coaching-for-growth/feed.xml" in first
    assert "events/calendar.ics" in first
    for later in rebuilds[1:]:
        assert sorted(later.outputs) == sorted(first)
        changed = [uri for uri, content in later.outputs.items() if content != first[uri]]
        assert changed == []


def test_nothing_grows_between_rebuilds(rebuilds: list[Snapshot]) -> None:
    first = rebuilds[0]
    assert all(snapshot.plugin is first.plugin for snapshot in rebuilds), "serve keeps one plugin instance"
    for later in rebuilds[1:]:
        assert later.theme_dirs == first.theme_dirs
        assert later.extra_css == first.extra_css
        assert later.extra_javascript == first.extra_javascript
        assert later.files == first.files
        assert later.plugin_pages == first.plugin_pages
        assert later.plugin_cache == first.plugin_cache


def test_each_rebuild_reports_the_same_warnings_once(rebuilds: list[Snapshot]) -> None:
    expected = ["campaigns/rebuilt-often.yml:2: removed from the summary for safety: <iframe>"]
    for snapshot in rebuilds:
        assert snapshot.warnings == expected


def test_a_config_object_built_again_gains_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first serve build reuses the startup config; building one config twice must not add to it."""
    monkeypatch.setenv("PORTAL_NOW", EXAMPLE_NOW)
    root = prepare_project(tmp_path / "project", {"leaders.yml": LEADERS_YML, "rebuilt-often.yml": MINIMAL_CAMPAIGN})
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url=SERVE_URL)
        before = (list(config.theme.dirs), list(config.extra_css), [str(s) for s in config.extra_javascript])
        build(config, serve_url=SERVE_URL)
        after = (list(config.theme.dirs), list(config.extra_css), [str(s) for s in config.extra_javascript])
    finally:
        config.plugins.on_shutdown()
    assert after == before


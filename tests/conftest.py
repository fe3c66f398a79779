"""Shared fixtures: build a real site from the project's mkdocs.yml in a temporary folder."""

from __future__ import annotations

import logging
import re
import shutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from campaign_portal.engine import engine_logger, use_engine

# PORTAL_ENGINE=properdocs runs every test on ProperDocs (`make test` does both): chosen before
# anything imports MkDocs.
ENGINE = use_engine()

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_NOW = "2026-11-25T12:00:00Z"


@dataclass
class BuiltSite:
    """A site built into ``root / 'site'``, with what the build logged."""

    root: Path
    site_dir: Path
    warnings: list[str] = field(default_factory=list)

    def path(self, uri: str) -> Path:
        path = self.site_dir / uri
        return path / "index.html" if uri.endswith("/") or uri == "" else path

    def exists(self, uri: str) -> bool:
        return self.path(uri).is_file()

    def text(self, uri: str) -> str:
        return self.path(uri).read_text(encoding="utf-8")

    def html(self, uri: str) -> BeautifulSoup:
        return BeautifulSoup(self.text(uri), "lxml")

    def content(self, uri: str) -> BeautifulSoup:
        """Only the page's article, without navigation and search chrome."""
        article = self.html(uri).select_one("article.md-content__inner")
        assert article is not None, f"{uri} has no article"
        return BeautifulSoup(str(article), "lxml")

    def all_files(self) -> list[Path]:
        return sorted(path for path in self.site_dir.rglob("*") if path.is_file())


class WarningCollector(logging.Handler):
    """Collects the messages of the warnings a build logs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def prepare_project(
    root: Path,
    campaigns: dict[str, str] | None = None,
    *,
    example: bool = False,
    config_extra: str = "",
    content: dict[str, str] | None = None,
) -> Path:
    """Lay out a project in ``root``: the real mkdocs.yml, content/ and overrides/, and campaign files."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(PROJECT_ROOT / "content", root / "content", dirs_exist_ok=True)
    if (PROJECT_ROOT / "overrides").is_dir():
        shutil.copytree(PROJECT_ROOT / "overrides", root / "overrides", dirs_exist_ok=True)
    config = (PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if config_extra:
        config += "\n" + textwrap.dedent(config_extra)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    campaigns_dir = root / "campaigns"
    if example:
        shutil.copytree(PROJECT_ROOT / "campaigns", campaigns_dir, dirs_exist_ok=True)
    campaigns_dir.mkdir(exist_ok=True)
    for name, text in (campaigns or {}).items():
        (campaigns_dir / name).write_text(textwrap.dedent(text), encoding="utf-8")
    for name, text in (content or {}).items():
        target = root / "content" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def build_project(root: Path, *, strict: bool = False, site_dir: Path | None = None) -> BuiltSite:
    """Build the project in ``root`` with MkDocs' own build, collecting warnings."""
    collector = WarningCollector()
    logger = engine_logger()
    logger.addHandler(collector)
    try:
        config = load_config(
            config_file=str(root / "mkdocs.yml"),
            site_dir=str(site_dir or root / "site"),
            strict=strict,
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(collector)
    return BuiltSite(root=root, site_dir=Path(config.site_dir), warnings=collector.messages)


def set_site_url(root: Path, site_url: str) -> None:
    """Point the project's ``site_url`` at ``site_url`` (where a test serves the site, say)."""
    config = root / "mkdocs.yml"
    text, count = re.subn(r"(?m)^site_url: .*$", f"site_url: {site_url}", config.read_text(encoding="utf-8"))
    assert count == 1, "mkdocs.yml should set site_url once"
    config.write_text(text, encoding="utf-8")


def build_at(root: Path, now: str, *, site_dir: Path | None = None) -> BuiltSite:
    """Build the project in ``root`` at ``PORTAL_NOW=now``, which must log no warning."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_NOW", now)
        site = build_project(root, site_dir=site_dir)
    assert site.warnings == [], "the build logged unexpected warnings"
    return site


BuildPortal = Callable[..., BuiltSite]


@pytest.fixture
def build_portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BuildPortal:
    """Build a site from campaign files (or the example data) at a given PORTAL_NOW.

    Warnings the build logs fail the test unless the test names them with
    ``expect_warnings``: a test that does not look at them should not get any.
    """
    counter = iter(range(1000))

    def run(
        campaigns: dict[str, str] | None = None,
        *,
        now: str = EXAMPLE_NOW,
        example: bool = False,
        config_extra: str = "",
        content: dict[str, str] | None = None,
        expect_warnings: bool = False,
        strict: bool = False,
    ) -> BuiltSite:
        monkeypatch.setenv("PORTAL_NOW", now)
        root = prepare_project(
            tmp_path / f"project{next(counter)}",
            campaigns,
            example=example,
            config_extra=config_extra,
            content=content,
        )
        site = build_project(root, strict=strict)
        if not expect_warnings:
            assert site.warnings == [], "the build logged unexpected warnings"
        return site

    return run


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The example portal built once at the example's "today"."""
    root = prepare_project(tmp_path_factory.mktemp("example"), example=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_NOW", EXAMPLE_NOW)
        site = build_project(root)
    assert site.warnings == [], site.warnings
    yield site


LEADERS_YML = """\
amara-okafor:
  name: Amara Okafor
  title: Chief Operating Officer
  division: Operations
  email: amara.okafor@example.com
daniel-kim:
  name: Daniel Kim
  title: Chief Technology Officer
"""

# One valid event, to append to MINIMAL_CAMPAIGN (its `- id:` is line 8 there).
EVENT = """\
events:
  - id: lunch
    title: Lunch and learn
    type: lunch-and-learn
    starts: 2027-01-20T12:30
    timezone: Europe/London
    duration: 60
    location: London HQ
    hosts: [amara-okafor]
"""

MINIMAL_CAMPAIGN = """\
title: Coaching for Growth
summary: Frontline managers learn three coaching conversations.
starts: 2027-01-11
business_case:
  problem: Regretted attrition is 14%.
  outcome: Cut it to 10%.
"""


pytest_plugins = ["browser_support"]

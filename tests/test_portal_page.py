"""Generated pages skip MkDocs' Markdown converter (PortalPage), and keep the titles mkdocs.yml's nav gives."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from campaign_portal.plugin.portal_page import PortalPage, paths_named_in_nav

from conftest import EXAMPLE_NOW, LEADERS_YML, MINIMAL_CAMPAIGN, build_project, prepare_project


def test_only_hand_written_pages_and_the_pages_the_nav_names_are_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = prepare_project(tmp_path / "project", {"leaders.yml": LEADERS_YML, "coaching.yml": MINIMAL_CAMPAIGN})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("- Events: events/index.md", "- Sessions: events/index.md"))
    converted: list[str] = []
    render = Page.render

    def counting_render(page: Page, *args: object) -> None:
        before = markdown.Markdown.__init__

        def init(md: markdown.Markdown, *a: object, **k: object) -> None:
            converted.append(page.file.src_uri)
            before(md, *a, **k)

        monkeypatch.setattr(markdown.Markdown, "__init__", init)
        try:
            render(page, *args)
        finally:
            monkeypatch.setattr(markdown.Markdown, "__init__", before)

    monkeypatch.setattr(Page, "render", counting_render)
    monkeypatch.setenv("PORTAL_NOW", EXAMPLE_NOW)
    site = build_project(root)
    assert site.warnings == []
    hand_written = sorted(path.relative_to(root / "content").as_posix() for path in (root / "content").rglob("*.md"))
    named = ["campaigns/index.md", "events/index.md", "index.md", "leaders/index.md"]
    assert sorted(converted) == sorted(hand_written + named)
    assert site.exists("campaigns/coaching/") and site.exists("events/")
    # The title the nav gives a generated page stays; the others read as the portal titles them.
    tabs = [a.get_text(strip=True) for a in site.html("campaigns/coaching/").select(".md-tabs__link")]
    assert tabs == ["Home", "Campaigns", "Sessions", "Leaders"]
    assert site.html("campaigns/coaching/").select_one("title").get_text().startswith("Coaching for Growth")


def test_a_portal_page_with_markdown_of_its_own_is_converted(tmp_path: Path) -> None:
    from mkdocs.config.defaults import MkDocsConfig

    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "theme": {"name": "material"}, "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})
    assert config.validate() == ([], [])
    file = File("page.md", src_dir=str(tmp_path / "docs"), dest_dir=str(tmp_path / "site"), use_directory_urls=True)
    files = Files([file])
    page = PortalPage(None, file, config)
    page.markdown = ""
    page.render(config, files)
    assert (page.content, list(page.toc), page.present_anchor_ids) == ("", [], set())
    page.markdown = "# Added by another plugin\n\nText."
    page.render(config, files)
    assert page.content is not None and "<p>Text.</p>" in page.content and page.title == "Added by another plugin"


def test_paths_named_in_nav_are_found_at_any_depth() -> None:
    nav = ["index.md", {"Campaigns": "campaigns/index.md"}, {"More": [{"Sessions": "/events/index.md"}, "https://x.example/"]}]
    assert {"index.md", "campaigns/index.md", "events/index.md"} <= paths_named_in_nav(nav)
    assert paths_named_in_nav(None) == set()

"""Parts of page bodies drawn once per build and reused (``filters.Fragments``, ``once_per``).

A reused part must be the part each page would draw itself: its links relative to that page (at
any depth, with and without directory URLs), its parts kept aside from search handed to that
page, and drawn from the template in overrides/ when there is one. (The whole built site with
and without the reuse is compared in test_shortcut_builds.py.)
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from campaign_portal.plugin.events import TEMPLATES_DIR
from campaign_portal.plugin.filters import OUTSIDE_SEARCH_PARTS, page_environment, put_back_outside_search

from conftest import EXAMPLE_NOW, BuildPortal, BuiltSite, prepare_project

MACROS = "portal/partials/macros.html"


class Item:
    """Stands for one of the build's items (a leader, an event): told apart by identity."""

    def __init__(self, name: str) -> None:
        self.name = name


def _environment(tmp_path: Path, templates: dict[str, str]) -> tuple[object, list[str]]:
    folder = tmp_path / "templates"
    for name, text in templates.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    drawn: list[str] = []
    env = page_environment([str(folder)], "Portal")
    env.globals["count"] = lambda name: drawn.append(name) or ""
    return env, drawn


def _render(template: object, parts: list[str] | None, **context: object) -> str:
    collecting = OUTSIDE_SEARCH_PARTS.set(parts)
    try:
        return str(template.render(**context))  # type: ignore[attr-defined]
    finally:
        OUTSIDE_SEARCH_PARTS.reset(collecting)


def test_a_part_is_drawn_once_per_name_and_arguments(tmp_path: Path) -> None:
    env, drawn = _environment(
        tmp_path,
        {
            "page.html": '{% macro chip(item) %}{% call once_per("chip", item, base) %}{{ count("chip") }}'
            "<a href=\"{{ base }}{{ item.name }}/\">{{ item.name }}</a>{% endcall %}{% endmacro %}"
            "{% for item in items %}{{ chip(item) }} {% endfor %}"
        },
    )
    page = env.get_template("page.html")  # type: ignore[attr-defined]
    ada, bob, other_ada = Item("ada"), Item("bob"), Item("ada")
    assert _render(page, [], items=[ada, bob, ada], base="../") == (
        '<a href="../ada/">ada</a> <a href="../bob/">bob</a> <a href="../ada/">ada</a> '
    )
    assert drawn == ["chip", "chip"]
    # Another page at the same depth reuses both; one at another depth gets its own links.
    assert _render(page, [], items=[bob, ada], base="../") == '<a href="../bob/">bob</a> <a href="../ada/">ada</a> '
    assert drawn == ["chip", "chip"]
    assert _render(page, [], items=[ada], base="../../") == '<a href="../../ada/">ada</a> '
    assert len(drawn) == 3
    # Items are told apart by identity, not by equal contents.
    assert _render(page, [], items=[other_ada], base="../") == '<a href="../ada/">ada</a> '
    assert len(drawn) == 4


def test_a_reused_part_hands_its_parts_kept_from_search_to_each_page(tmp_path: Path) -> None:
    env, drawn = _environment(
        tmp_path,
        {
            "page.html": "{% filter outside_search %}<i>before</i>{% endfilter %}"
            '{% call once_per("figure", item) %}{{ count("figure") }}<figure>{{ item.name }}'
            "{% filter outside_search %}<svg>{{ item.name }}</svg>{% endfilter %} and "
            "{% filter outside_search %}<table>{{ item.name }}</table>{% endfilter %}</figure>{% endcall %}"
            "{% filter outside_search %}<i>after</i>{% endfilter %}"
        },
    )
    page = env.get_template("page.html")  # type: ignore[attr-defined]
    item = Item("sales")
    alone = '<i>before</i><figure>sales<svg>sales</svg> and <table>sales</table></figure><i>after</i>'
    for _ in range(2):  # drawn, then reused: the same marks and parts on each page
        parts: list[str] = []
        html = _render(page, parts, item=item)
        assert re.findall(r"<!--portal-outside-search-(\d)-->", html) == ["0", "1", "2", "3"]
        assert parts == ["<i>before</i>", "<svg>sales</svg>", "<table>sales</table>", "<i>after</i>"]
        assert put_back_outside_search(html, parts) == alone
    assert drawn == ["figure"]
    # On a page that collects nothing (as outside the portal's pages), every part stays in place.
    assert _render(page, None, item=item) == alone
    assert drawn == ["figure"]


def _href_targets(site: BuiltSite, selector: str) -> dict[int, list[str]]:
    """For each page depth, the files the links matching ``selector`` lead to (relative to the site)."""
    targets: dict[int, list[str]] = {}
    for path in site.site_dir.rglob("*.html"):
        page = path.relative_to(site.site_dir).as_posix()
        for link in BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").select(selector):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), str(link["href"])))
            targets.setdefault(page.count("/"), []).append(target)
    return targets


@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_reused_leader_chip_links_to_the_leader_from_every_page_at_any_depth(
    directory_urls: bool, build_portal: BuildPortal
) -> None:
    site = build_portal(example=True, config_extra=f"use_directory_urls: {str(directory_urls).lower()}\n")
    targets = _href_targets(site, "a.portal-leader-chip")
    assert len(targets) >= 3  # chips on pages at three depths at least (home, campaign, event pages)
    for depth, files in targets.items():
        for target in files:
            target_file = site.site_dir / target
            if target_file.is_dir():
                target_file = target_file / "index.html"
            assert target_file.is_file(), f"a leader chip at depth {depth} leads to {target}, which is not a page"
            assert target.startswith("leaders/"), target


def _serve_session(root: Path) -> Iterator[BuiltSite]:
    """Builds as `mkdocs serve` makes them: one plugin instance, the config loaded again for each."""
    site_dir = root / "site"
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        while True:
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("PORTAL_NOW", EXAMPLE_NOW)
                build(config)
            yield BuiltSite(root=root, site_dir=site_dir)
            config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
    finally:
        config.plugins.on_shutdown()


def test_an_override_of_a_reused_part_is_the_one_every_page_shows(tmp_path: Path) -> None:
    """Added while `mkdocs serve` runs, whose rebuilds keep the loaded campaigns (the same items)."""
    root = prepare_project(tmp_path / "project", example=True)
    macros = (TEMPLATES_DIR / MACROS).read_text(encoding="utf-8")
    chip = '<a class="portal-leader-chip" href='
    kpi = (TEMPLATES_DIR / "portal/partials/kpi.html").read_text(encoding="utf-8")
    figure = '<figure class="portal-kpi '
    assert chip in macros and figure in kpi
    builds = _serve_session(root)
    assert "data-ours" not in next(builds).text("campaigns/coaching-for-growth/")
    (root / "overrides" / "portal" / "partials").mkdir(parents=True)
    (root / "overrides" / MACROS).write_text(macros.replace(chip, '<a data-ours class="portal-leader-chip" href='), encoding="utf-8")
    (root / "overrides" / "portal/partials/kpi.html").write_text(kpi.replace(figure, '<figure data-ours class="portal-kpi '), encoding="utf-8")
    site = next(builds)
    builds.close()
    pages = [BeautifulSoup(path.read_text(encoding="utf-8"), "lxml") for path in site.site_dir.rglob("*.html")]
    chips = [chip for page in pages for chip in page.select("a.portal-leader-chip")]
    figures = [figure for page in pages for figure in page.select("figure.portal-kpi")]
    assert len(chips) > 10 and len(figures) >= 4  # on many pages, a chart on a campaign page and its brief
    assert all(chip.has_attr("data-ours") for chip in chips)
    assert all(figure.has_attr("data-ours") for figure in figures)

"""Differential checks of the build shortcuts against the plain path, on whole built sites.

- Parts kept aside from search (``filters.outside_search``, put back in ``on_page_context``):
  every page is byte for byte the page rendered with nothing collecting the parts.
- Generated pages skip MkDocs' Markdown conversion (``PortalPage``): the site is byte for byte
  the site built with every page MkDocs' own (search index included).

Each on the example site and on a generated one (bench/generate.py), at a fixed PORTAL_NOW and
SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import contextvars
import importlib
import json
import sys
from pathlib import Path

import pytest

from campaign_portal.plugin import events, filters
from campaign_portal.text.markdown import MarkupRenderer, SharedRendering

from conftest import EXAMPLE_NOW, LEADERS_YML, MINIMAL_CAMPAIGN, PROJECT_ROOT, build_project, prepare_project

SEARCH_INDEX = "search/search_index.json"


def _project(root: Path, kind: str) -> tuple[Path, str]:
    if kind == "example":
        return prepare_project(root, example=True), EXAMPLE_NOW
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    generate = importlib.import_module("bench.generate")
    project = prepare_project(root)
    (project / "campaigns").rmdir()
    generate.generate(project / "campaigns", pages=60, seed=5)
    return project, generate.BENCH_NOW.isoformat().replace("+00:00", "Z")


def _built(root: Path, now: str, name: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    monkeypatch.setenv("PORTAL_NOW", now)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    site = build_project(root, site_dir=root / name)
    assert site.warnings == []
    return {
        path.relative_to(site.site_dir).as_posix(): path.read_bytes()
        for path in sorted(site.site_dir.rglob("*"))
        if path.is_file()
    }


def _differences(one: dict[str, bytes], other: dict[str, bytes]) -> list[str]:
    return sorted(name for name in one.keys() | other.keys() if one.get(name) != other.get(name))


@pytest.mark.parametrize("kind", ["example", "generated"])
def test_pages_are_those_rendered_without_parts_kept_aside_or_portal_pages(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, now = _project(tmp_path / kind, kind)
    put_back: list[int] = []
    real_part = filters._part
    monkeypatch.setattr(filters, "_part", lambda parts, mark: put_back.append(1) or real_part(parts, mark))
    shortcut = _built(root, now, "site", monkeypatch)
    assert len(put_back) > 10  # parts were kept aside and put back

    with monkeypatch.context() as patch:
        # The filter reads a variable nothing sets: every part stays where it is written.
        patch.setattr(filters, "OUTSIDE_SEARCH_PARTS", contextvars.ContextVar("unset", default=None))
        put_back.clear()
        in_place = _built(root, now, "site-in-place", monkeypatch)
        assert put_back == []
    # Parts kept aside are also marked data-search-exclude: search reads the same either way,
    # so the whole site, search index included, is byte-identical.
    assert _differences(shortcut, in_place) == []
    assert not [name for name, data in shortcut.items() if b"portal-outside-search" in data]
    docs = json.loads(shortcut[SEARCH_INDEX])["docs"]
    left_out = ("Copy subject", "Download .ics", "Download draft", "Open as email draft", "portal-outside")
    assert not [doc["location"] for doc in docs if any(words in doc["text"] for words in left_out)]

    with monkeypatch.context() as patch:
        patch.setattr(events, "make_pages", lambda *args: None)  # every page MkDocs' own, converted
        converted = _built(root, now, "site-converted", monkeypatch)
    assert _differences(shortcut, converted) == []

    # Leaders' copies of a message taken from one shared rendering: the same as each formatted alone.
    shared: list[bool] = []
    real_rendering_for = SharedRendering.rendering_for
    monkeypatch.setattr(
        SharedRendering, "rendering_for", lambda self, *args: shared.append(True) or real_rendering_for(self, *args)
    )
    with monkeypatch.context() as patch:
        patch.setattr(MarkupRenderer, "shared", lambda self, *args, **kwargs: None)
        alone = _built(root, now, "site-alone", monkeypatch)
    assert shared == []
    _built(root, now, "site-shared", monkeypatch)
    assert shared  # copies were taken from shared renderings
    assert _differences(shortcut, alone) == []


def test_a_generated_page_given_markdown_by_another_plugin_is_converted_as_mkdocs_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hook that gives every page without Markdown a heading and a link (its table of contents,
    its anchors): the site is the one MkDocs' own pages make."""
    root = prepare_project(
        tmp_path / "hooked",
        {"leaders.yml": LEADERS_YML, "coaching.yml": MINIMAL_CAMPAIGN},
        config_extra="hooks:\n  - hooks/added.py\n",
    )
    (root / "hooks").mkdir()
    (root / "hooks" / "added.py").write_text(
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    return markdown or '# Added heading\\n\\n## Part two\\n\\nSee [the part](#part-two).\\n'\n",
        encoding="utf-8",
    )
    shortcut = _built(root, EXAMPLE_NOW, "site", monkeypatch)
    with monkeypatch.context() as patch:
        patch.setattr(events, "make_pages", lambda *args: None)
        converted = _built(root, EXAMPLE_NOW, "site-converted", monkeypatch)
    assert _differences(shortcut, converted) == []
    assert b"Part two" in shortcut["campaigns/coaching/index.html"]  # the hook's Markdown reached the page (its toc)

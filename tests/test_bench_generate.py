"""The benchmark's data generator writes valid, realistic, reproducible campaign data (no timing here)."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from campaign_portal import feeds, site
from campaign_portal.loader import load_portal
from campaign_portal.publishing import select_public
from campaign_portal.site import OutputCache, SiteContent, SiteSettings, build_site

from conftest import PROJECT_ROOT

SETTINGS = SiteSettings(site_name="Learning Portal", site_url="https://learning.example.com/")


@pytest.fixture(scope="module")
def bench_generate() -> ModuleType:
    if str(PROJECT_ROOT) not in sys.path:  # `pytest` run from elsewhere than the project root
        sys.path.insert(0, str(PROJECT_ROOT))
    return importlib.import_module("bench.generate")


def test_generated_data_has_no_problem_and_the_pages_it_promises(bench_generate: ModuleType, tmp_path: Path) -> None:
    data = bench_generate.generate(tmp_path / "campaigns", pages=60, seed=3)
    result = load_portal(tmp_path / "campaigns", display_root=tmp_path)
    assert [str(problem) for problem in result.problems] == []
    assert len(result.portal.campaigns) == data.campaigns
    assert len(result.portal.leaders) == data.leaders
    public = select_public(result.portal, bench_generate.BENCH_NOW)
    content = build_site(public, SETTINGS)
    assert content.problems == [] and content.warnings == []
    assert len(content.pages) == data.expected_pages
    assert 45 <= data.expected_pages <= 75


def test_generated_data_exercises_the_format(bench_generate: ModuleType, tmp_path: Path) -> None:
    bench_generate.generate(tmp_path / "campaigns", campaigns=24, seed=1)
    portal = load_portal(tmp_path / "campaigns").portal
    campaigns = list(portal.campaigns.values())
    events = [event for campaign in campaigns for event in campaign.events]
    messages = [message for campaign in campaigns for message in campaign.messages]
    assert len({event.timezone for event in events}) >= 5
    assert {event.type for event in events} == {"lunch-and-learn", "town-hall", "workshop", "webinar"}
    assert any(event.cancelled for event in events)
    assert all(len(message.leaders) >= 2 for message in messages)
    bodies = " ".join(message.body.text for message in messages)
    for name in ("leader.first_name", "campaign.title", "campaign.url", "next_event.title", "events[:3]"):
        assert name in bodies
    assert all(campaign.kpis and campaign.testimonials and campaign.sponsors for campaign in campaigns)
    assert any(campaign.story is not None for campaign in campaigns)
    assert any(testimonial.story for campaign in campaigns for testimonial in campaign.testimonials)
    # Some of it is still embargoed at the benchmark's "now", as in a real portal.
    public = select_public(portal, bench_generate.BENCH_NOW)
    assert 0 < len(public.campaigns) < len(portal.campaigns)


def test_generation_is_deterministic_from_the_seed(bench_generate: ModuleType, tmp_path: Path) -> None:
    def written(folder: Path) -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}

    bench_generate.generate(tmp_path / "a", campaigns=5, seed=7)
    bench_generate.generate(tmp_path / "b", campaigns=5, seed=7)
    bench_generate.generate(tmp_path / "c", campaigns=5, seed=8)
    assert written(tmp_path / "a") == written(tmp_path / "b")
    assert written(tmp_path / "a") != written(tmp_path / "c")
    with pytest.raises(FileExistsError):
        bench_generate.generate(tmp_path / "a", campaigns=5, seed=7)


def test_a_carried_over_output_cache_changes_nothing_and_does_not_grow(
    bench_generate: ModuleType, tmp_path: Path
) -> None:
    bench_generate.generate(tmp_path / "campaigns", campaigns=3, seed=2)
    public = select_public(load_portal(tmp_path / "campaigns").portal, bench_generate.BENCH_NOW)
    fresh = build_site(public, SETTINGS)
    cache = OutputCache()
    build_site(public, SETTINGS, cache)
    size = len(cache)
    for _ in range(2):  # what `mkdocs serve` does on each rebuild
        again = build_site(public, SETTINGS, cache)
        assert [(f.uri, f.content) for f in again.files] == [(f.uri, f.content) for f in fresh.files]
        assert [page.src_uri for page in again.pages] == [page.src_uri for page in fresh.pages]
        assert len(cache) <= size


def test_after_an_edit_only_that_campaigns_messages_and_feed_items_are_made_again(
    bench_generate: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A serve rebuild reuses every rendered message and written feed item the edit did not touch."""
    campaigns_dir = tmp_path / "campaigns"
    bench_generate.generate(campaigns_dir, campaigns=6, seed=4)
    rendered: list[object] = []
    written: list[feeds.FeedItem] = []
    monkeypatch.setattr(site, "render_template", _counting(site.render_template, rendered))
    monkeypatch.setattr(feeds, "rss_item", _counting(feeds.rss_item, written))

    def build(cache: OutputCache) -> SiteContent:
        public = select_public(load_portal(campaigns_dir).portal, bench_generate.BENCH_NOW)
        return build_site(public, SETTINGS, cache)

    cache = OutputCache()
    build(cache)
    assert rendered and written
    rendered.clear()
    written.clear()
    build(cache)  # nothing changed: the site feed and every other feed are reused whole
    assert (rendered, written) == ([], [])

    public_ids = set(select_public(load_portal(campaigns_dir).portal, bench_generate.BENCH_NOW).campaigns)
    edited = next(path for path in sorted(campaigns_dir.glob("*.yml")) if path.stem in public_ids)
    text, edits = re.subn(r"(?m)^title: ", "title: Edited ", edited.read_text(encoding="utf-8"), count=1)
    assert edits == 1
    edited.write_text(text, encoding="utf-8")
    fresh = build_site(select_public(load_portal(campaigns_dir).portal, bench_generate.BENCH_NOW), SETTINGS)
    rendered.clear()
    written.clear()
    again = build(cache)
    assert [(f.uri, f.content) for f in again.files] == [(f.uri, f.content) for f in fresh.files]
    assert rendered and written
    # Only items of the edited campaign: on its page, or a leader's copy of its messages.
    own = f"/campaigns/{edited.stem}/"
    assert all(own in item.url or f"#{edited.stem}--" in item.url for item in written)
    site_feed_items = next(f.content for f in again.files if f.uri == "feed.xml").count(b"<item>")
    assert len(set(written)) < site_feed_items / 2


def _counting(function: Callable[..., Any], calls: list[Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return function(*args, **kwargs)

    return counted

"""The benchmark's data generator writes valid, realistic, reproducible campaign data (no timing here).

The serve carry-over (OutputCache) is tested in test_site_caches.py, on the example data."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

from campaign_portal.load import load_portal
from campaign_portal.publishing import select_public
from campaign_portal.site import SiteSettings, build_site

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

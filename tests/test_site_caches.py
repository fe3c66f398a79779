"""The site build's caches: the per-build memo and the serve carry-over (OutputCache), counted, never timed."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from campaign_portal.load import load_portal
from campaign_portal.publishing import select_public
from campaign_portal.site import OutputCache, SiteContent, SiteSettings, build_site, messages
from campaign_portal.site.caches import Memo
from campaign_portal.writers import feeds

from conftest import EXAMPLE_NOW, PROJECT_ROOT

SETTINGS = SiteSettings(site_name="Learning Portal", site_url="https://learning.example.com/")
NOW = dt.datetime.fromisoformat(EXAMPLE_NOW.replace("Z", "+00:00"))


def test_the_memo_makes_each_key_once() -> None:
    memo = Memo()
    made: list[str] = []

    def make(value: str) -> str:
        made.append(value)
        return value.upper()

    assert memo.get(("a",), make, "a") == "A"
    assert memo.get(("a",), make, "ignored") == "A"
    assert memo.get(("b",), make, "b") == "B"
    assert made == ["a", "b"]


def test_the_output_cache_keeps_only_what_the_last_build_used() -> None:
    cache = OutputCache()
    made: list[str] = []

    def make(value: str) -> str:
        made.append(value)
        return value

    cache.get("kept", make, "kept")
    cache.get("dropped", make, "dropped")
    cache.next_build()
    cache.get("kept", make, "kept")  # reused: not made again
    cache.next_build()
    assert made == ["kept", "dropped"]
    assert len(cache) == 1
    cache.get("dropped", make, "dropped")  # not used in the last build: made again
    assert made == ["kept", "dropped", "dropped"]


def test_a_carried_over_output_cache_changes_nothing_and_does_not_grow(tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "campaigns", tmp_path / "campaigns")
    public = select_public(load_portal(tmp_path / "campaigns").portal, NOW)
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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A serve rebuild reuses every rendered message and written feed item the edit did not touch."""
    campaigns_dir = tmp_path / "campaigns"
    shutil.copytree(PROJECT_ROOT / "campaigns", campaigns_dir)
    rendered: list[object] = []
    written: list[feeds.FeedItem] = []
    monkeypatch.setattr(messages, "render_template", _counting(messages.render_template, rendered))
    monkeypatch.setattr(feeds, "rss_item", _counting(feeds.rss_item, written))

    def build(cache: OutputCache) -> SiteContent:
        public = select_public(load_portal(campaigns_dir).portal, NOW)
        return build_site(public, SETTINGS, cache)

    cache = OutputCache()
    build(cache)
    assert rendered and written
    rendered.clear()
    written.clear()
    build(cache)  # nothing changed: the site feed and every other feed are reused whole
    assert (rendered, written) == ([], [])

    public_ids = set(select_public(load_portal(campaigns_dir).portal, NOW).campaigns)
    edited = next(path for path in sorted(campaigns_dir.glob("*.yml")) if path.stem in public_ids)
    text, edits = re.subn(r"(?m)^title: ", "title: Edited ", edited.read_text(encoding="utf-8"), count=1)
    assert edits == 1
    edited.write_text(text, encoding="utf-8")
    fresh = build_site(select_public(load_portal(campaigns_dir).portal, NOW), SETTINGS)
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

"""The pieces of ``mkdocs serve --dirty`` made exact (plugin/incremental.py, plugin/material_search.py).

The whole, with a real server and every kind of edit, is tests/test_serve_dirty.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from campaign_portal.load import load_portal
from campaign_portal.plugin import material_search
from campaign_portal.plugin.incremental import HELPERS, CollectorPause, _same_time, delete_outputs, same_spec
from campaign_portal.plugin.template_cache import TemplateCodeCache
from campaign_portal.rules.schedule import changes_due, site_changes
from campaign_portal.site import PageSpec

from conftest import EXAMPLE_NOW, PROJECT_ROOT, prepare_project

SERVE_URL = "http://127.0.0.1:8000/"


def _spec(**context: object) -> PageSpec:
    return PageSpec(src_uri="x/index.md", url="x/", title="X", template="portal/x.html", context=dict(context))


def test_a_spec_is_the_same_when_every_name_templates_read_is() -> None:
    read = {"campaign", "events"}
    last = _spec(campaign="a", events=[1, 2], portal=object(), markup=object())
    assert same_spec(last, _spec(campaign="a", events=[1, 2], portal=object(), markup=object()), read)
    assert not same_spec(last, _spec(campaign="b", events=[1, 2], portal=object(), markup=object()), read)
    assert not same_spec(last, _spec(campaign="a", events=[1], portal=object(), markup=object()), read)
    assert not same_spec(last, _spec(campaign="a", events=[1, 2], markup=object()), read), "a name gone"
    assert not same_spec(None, last, read)
    retitled = PageSpec(src_uri="x/index.md", url="x/", title="Y", template="portal/x.html", context=last.context)
    assert not same_spec(last, retitled, read)
    assert {"markup", "phase_of", "is_past", "now", "today", "tag_slug"} <= HELPERS


def test_a_spec_is_not_the_same_when_an_equal_value_is_written_differently() -> None:
    """Values equal by == that a page writes differently: a moment on another clock (Scheduled for
    "09:00 UTC" or "10:00 UTC+01:00"), Markup and text, dict keys in another order."""
    from markupsafe import Markup

    from campaign_portal.rules.dates import format_datetime

    utc = dt.datetime(2027, 1, 4, 9, tzinfo=dt.timezone.utc)
    paris = dt.datetime(2027, 1, 4, 10, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert utc == paris and format_datetime(utc) != format_datetime(paris)
    read = {"campaign"}

    def spec(campaign: object, scheduled_for: dt.datetime | None = None) -> PageSpec:
        return PageSpec("x/index.md", "x/", "X", "portal/x.html", {"campaign": campaign}, scheduled_for=scheduled_for)

    assert same_spec(spec({"publish": utc, "tags": ["a"]}, utc), spec({"publish": utc, "tags": ["a"]}, utc), read)
    assert not same_spec(spec({"publish": utc}), spec({"publish": paris}), read)
    assert not same_spec(spec([(1, utc)]), spec([(1, paris)]), read)
    assert not same_spec(spec("x", utc), spec("x", paris), read)
    assert not same_spec(spec("<b>"), spec(Markup("<b>")), read)
    assert not same_spec(spec({"a": 1, "b": 2}), spec({"b": 2, "a": 1}), read)

    @dataclasses.dataclass(frozen=True)
    class Item:
        title: str
        publish: dt.datetime

    assert same_spec(spec([Item("a", utc)]), spec([Item("a", utc)]), read)
    assert not same_spec(spec([Item("a", utc)]), spec([Item("a", paris)]), read)


def test_time_is_the_same_until_the_site_changes_by_itself_or_the_day_turns() -> None:
    morning = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)
    noon = morning.replace(hour=12)
    asked: list[tuple[dt.datetime, dt.datetime]] = []

    def none_between(since: dt.datetime, now: dt.datetime) -> bool:
        asked.append((since, now))
        return False

    assert _same_time(morning, morning, lambda since, now: True)
    assert _same_time(morning, noon, none_between) and asked == [(morning, noon)]
    assert _same_time(noon, morning, none_between) and asked[-1] == (morning, noon)
    assert not _same_time(morning, noon, lambda since, now: True)
    assert not _same_time(morning, morning + dt.timedelta(days=1), none_between)


def test_outputs_are_deleted_with_the_folders_they_leave_empty_and_nothing_outside(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for uri in ("a/b/index.html", "a/keep.html", "c/index.html"):
        (site / uri).parent.mkdir(parents=True, exist_ok=True)
        (site / uri).write_text(uri)
    outside = tmp_path / "outside.txt"
    outside.write_text("not the site's")
    delete_outputs(site, ["a/b/index.html", "c/index.html", "../outside.txt", "missing.html"])
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == ["a", "a/keep.html"]
    assert outside.exists()


def _config(root: Path, site_dir: Path) -> MkDocsConfig:
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
    config.site_url = SERVE_URL
    return config


def test_materials_search_index_is_the_list_the_portal_hands_it(tmp_path: Path) -> None:
    """What material_search relies on in the installed Material: fails when an upgrade changes it."""
    root = prepare_project(tmp_path / "project")
    config = _config(root, tmp_path / "site")
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        plugin = material_search.search_plugin(config)
        assert plugin is not None and not material_search.other_search_plugin(config)
        config = config.plugins.on_config(config)
        entries = material_search.entries_so_far(plugin)
        assert entries == [] and entries is plugin.search_index.entries
        plugin.search_index_prev = type(plugin.search_index)(**plugin.config)
        plugin.search_index_prev.entries = [{"location": "stale/", "title": "Stale", "text": ""}]
        mine = [{"location": "a/", "title": "A", "text": "a"}, {"location": "b/#x", "title": "B", "text": "b"}]
        material_search.replace_entries(plugin, mine)
        plugin.on_post_build(config=config)
        written = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert written["docs"] == mine
    finally:
        _end_serve(config)


def test_a_dirty_rebuild_writes_only_what_an_edit_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_NOW", EXAMPLE_NOW)
    names = ("leaders.yml", "coaching-for-growth.yml", "consultative-selling.yml")
    root = prepare_project(tmp_path / "project", {n: (PROJECT_ROOT / "campaigns" / n).read_text() for n in names})
    site = tmp_path / "site"
    config = _config(root, site)
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, serve_url=SERVE_URL, dirty=True)
        before = _mtimes(site)
        edited = root / "campaigns" / "consultative-selling.yml"
        text = edited.read_text(encoding="utf-8")
        old = "    location: New York office, 28th floor, Hudson room\n"
        assert text.count(old) == 1
        edited.write_text(text.replace(old, "    location: New York office, 29th floor\n"), encoding="utf-8")
        build(_config(root, site), serve_url=SERVE_URL, dirty=True)
        after = _mtimes(site)
        build(_config(root, site), serve_url=SERVE_URL, dirty=True)  # nothing changed
        again = _mtimes(site)
        assert gc.isenabled(), "the collector runs again after each build"
    finally:
        _end_serve(config)
    # What MkDocs and Material write on every build whatever changed.
    always = {"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}
    assert sorted(uri for uri in again if again[uri] != after[uri] and uri not in always) == []
    rewritten = sorted(uri for uri in after if after[uri] != before.get(uri) and uri not in always)
    pages = [uri for uri in rewritten if uri.endswith(".html")]
    assert "campaigns/consultative-selling/events/discovery-workshop-new-york/index.html" in pages
    # Pages whose context holds the edited campaign are built again (their HTML may show the change);
    # the other campaign's pages, the hand-written ones and every file not a page stay as they were.
    assert [uri for uri in rewritten if uri.startswith("campaigns/coaching-for-growth/")] == []
    assert [uri for uri in rewritten if uri.split("/")[0] in ("authoring", "format", "publishing")] == []
    # A file that is not a page is written when its bytes change: exactly those that show the edit.
    showing = sorted(
        uri
        for uri in after
        if not uri.endswith(".html") and uri not in always and b"29th floor" in (site / uri).read_bytes()
    )
    assert [uri for uri in rewritten if not uri.endswith(".html")] == showing != []


def _end_serve(config: MkDocsConfig) -> None:
    """What a serve process ending would drop: MkDocs keeps plugin instances for the whole process,
    and Material's search would otherwise merge this index into a later build's in this process."""
    config.plugins.on_shutdown()
    plugin = material_search.search_plugin(config)
    if plugin is not None:
        plugin.search_index_prev = None


def _mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def test_compiled_templates_are_kept_only_while_source_and_settings_stay(tmp_path: Path) -> None:
    cache = TemplateCodeCache()
    template = tmp_path / "t.html"
    template.write_text("{% if x %}\n  {{ x }}\n{% endif %}", encoding="utf-8")

    def render(**settings: bool) -> str:
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), **settings)
        cache.attach(environment)
        return environment.get_template("t.html").render(x="a")

    assert render() == "\n  a\n" and len(cache) == 1
    assert render() == "\n  a\n"
    assert render(trim_blocks=True, lstrip_blocks=True) == "  a\n", "other settings: compiled again"
    template.write_text("{{ x }}{{ x }}", encoding="utf-8")
    assert render(trim_blocks=True, lstrip_blocks=True) == "aa", "an edited template: compiled again"


@contextmanager
def _own_plugin_instances() -> Iterator[None]:
    """A build with plugin instances of its own: MkDocs keeps one instance per plugin for the whole
    process (its `plugins` option's cache), which the serve session in the same test is using."""
    cache = dict(MkDocsConfig._schema)["plugins"].plugin_cache
    saved = dict(cache)
    cache.clear()
    try:
        yield
    finally:
        cache.clear()
        cache.update(saved)


def test_a_dirty_rebuild_after_the_clock_passed_a_change_equals_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ("leaders.yml", "coaching-for-growth.yml")
    root = prepare_project(tmp_path / "project", {n: (PROJECT_ROOT / "campaigns" / n).read_text() for n in names})
    loaded = load_portal(root / "campaigns")
    campaign = loaded.portal.campaigns["coaching-for-growth"]
    # The day before the campaign starts (twice, with nothing changing in between), then the day
    # it starts: its phase ("Starting soon", "Running now") changes on every page that shows it.
    day_before = dt.datetime.combine(campaign.starts - dt.timedelta(days=1), dt.time(10), dt.timezone.utc)
    quiet, earlier = day_before, day_before + dt.timedelta(minutes=1)
    later = day_before + dt.timedelta(days=1)
    assert not changes_due(site_changes(loaded.portal), quiet, earlier)
    site = tmp_path / "site"
    config = _config(root, site)
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        monkeypatch.setenv("PORTAL_NOW", quiet.isoformat())
        build(config, serve_url=SERVE_URL, dirty=True)
        before = _mtimes(site)
        monkeypatch.setenv("PORTAL_NOW", earlier.isoformat())
        build(_config(root, site), serve_url=SERVE_URL, dirty=True)
        always = {"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}
        assert [uri for uri, time in _mtimes(site).items() if time != before[uri] and uri not in always] == []
        monkeypatch.setenv("PORTAL_NOW", later.isoformat())
        build(_config(root, site), serve_url=SERVE_URL, dirty=True)
    finally:
        _end_serve(config)
    fresh_dir = tmp_path / "fresh"
    with _own_plugin_instances():
        fresh = _config(root, fresh_dir)
        fresh.plugins.on_startup(command="build", dirty=False)
        try:
            build(fresh, serve_url=SERVE_URL)
        finally:
            fresh.plugins.on_shutdown()
    served, built = _mtimes(site).keys(), _mtimes(fresh_dir).keys()
    assert sorted(served) == sorted(built)
    index = "search/search_index.json"
    differ = [uri for uri in built if uri not in (index, "sitemap.xml.gz") and (site / uri).read_bytes() != (fresh_dir / uri).read_bytes()]
    assert differ == []
    entries = [sorted(json.dumps(e, sort_keys=True) for e in json.loads((d / index).read_bytes())["docs"]) for d in (site, fresh_dir)]
    assert entries[0] == entries[1]


def test_the_collector_is_paused_for_a_rebuild_only_and_left_off_when_it_was_off() -> None:
    pause = CollectorPause()
    assert gc.isenabled()
    pause.pause()
    assert not gc.isenabled()
    pause.resume()
    assert gc.isenabled()
    gc.disable()
    try:
        pause.pause()
        pause.resume()
        assert not gc.isenabled()
    finally:
        gc.enable()

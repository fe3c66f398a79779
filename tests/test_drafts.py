"""Drafts: never in a published build, whatever their moment; in a preview, shown and marked "Draft".

The project is test_embargo's, with each of its embargoed items made a draft instead: the
message, the event, the testimonial, the story and a whole campaign. Built long after every
moment, a published build must hold no trace of any of them (the same byte search through
every file as the embargo test), while a preview (``portal build --preview``) shows each one,
marked, under a banner on every page (``PORTAL_PREVIEW=1 portal build`` is the same). A plain
``mkdocs build`` is never a preview, whatever the variable or the serve-only option say.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from campaign_portal import cli
from test_embargo import (
    AFTER,
    ALL_MARKERS,
    BEFORE,
    CAMPAIGN_FILES,
    EMBARGOED_CAMPAIGN,
    LEADERS,
    PUBLIC_CAMPAIGN,
    PUBLISH,
    build_with_command,
    leaks,
    scheduled_marks,
)

from conftest import BuiltSite, prepare_project

BANNER = "Preview: drafts and scheduled items shown."


def as_drafts(text: str) -> str:
    """The embargoed items of test_embargo's campaigns as drafts whose moments have long passed."""
    text = re.sub(rf"^    publish: {re.escape(PUBLISH)}\n", "    draft: true\n", text, flags=re.M)  # message, event
    text = re.sub(rf"^  publish: {re.escape(PUBLISH)}\n", "  publish: 2027-01-01\n  draft: true\n", text, flags=re.M)  # story
    text = re.sub(rf"^publish: {re.escape(PUBLISH)}\n", "draft: true\n", text, flags=re.M)  # the campaign
    return text.replace(
        "    quote: Snorkelwise is how I would describe the first week.\n",
        "    quote: Snorkelwise is how I would describe the first week.\n    draft: true\n",
    )


DRAFT_FILES = {
    "leaders.yml": LEADERS,
    "aurora-skills.yml": as_drafts(PUBLIC_CAMPAIGN),
    "nebula-secrets.yml": as_drafts(EMBARGOED_CAMPAIGN),
}


def test_the_draft_project_has_a_draft_of_every_kind_and_no_embargo_left() -> None:
    text = DRAFT_FILES["aurora-skills.yml"] + DRAFT_FILES["nebula-secrets.yml"]
    assert PUBLISH not in text
    assert text.count("draft: true") == 5  # message, testimonial, event, story, campaign
    assert CAMPAIGN_FILES.keys() == DRAFT_FILES.keys()


def portal_build(root: Path, *, preview: bool = False, site_dir: str | None = None) -> BuiltSite:
    args = ["build", "--project", str(root), "--strict"]
    if preview:
        args.append("--preview")
    if site_dir is not None:
        args += ["--site-dir", site_dir]
    assert cli.main(args) == 0
    folder = root / (site_dir or ("site-preview" if preview else "site"))
    return BuiltSite(root=root, site_dir=folder)


def draft_badges(site: BuiltSite, uri: str) -> list[str]:
    return [" ".join(badge.get_text().split()) for badge in site.content(uri).select(".portal-badge--draft")]


def banner_pages(site: BuiltSite) -> list[str]:
    found = []
    for path in site.all_files():
        if path.suffix == ".html":
            uri = path.relative_to(site.site_dir).as_posix()
            banner = site.html(uri).select_one("aside.portal-preview-banner")
            if banner is not None and BANNER in " ".join(banner.get_text().split()):
                found.append(uri)
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepare_project(tmp_path_factory.mktemp("drafts"), DRAFT_FILES)


@pytest.fixture(scope="module")
def published(project: Path) -> BuiltSite:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_NOW", AFTER)
        patch.setenv("PORTAL_PREVIEW", "0")
        patch.chdir(project)
        return portal_build(project)


@pytest.fixture(scope="module")
def preview(project: Path) -> BuiltSite:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_NOW", AFTER)
        patch.delenv("PORTAL_PREVIEW", raising=False)
        patch.chdir(project)
        return portal_build(project, preview=True)


def test_a_published_build_holds_no_trace_of_a_draft(published: BuiltSite) -> None:
    assert {".html", ".json", ".xml", ".ics", ".eml"} <= {path.suffix for path in published.all_files()}
    assert published.exists("campaigns/aurora-skills/")
    assert "public hello" in published.text("campaigns/aurora-skills/index.html").lower()
    assert leaks(published, ALL_MARKERS) == {}
    assert banner_pages(published) == []
    pages = [p.relative_to(published.site_dir).as_posix() for p in published.all_files() if p.suffix == ".html"]
    assert not any(published.html(uri).select(".portal-badge--draft") for uri in pages)


def test_a_preview_shows_every_draft(preview: BuiltSite) -> None:
    assert set(leaks(preview, ALL_MARKERS)) == set(ALL_MARKERS)
    assert preview.exists("campaigns/nebula-secrets/")
    assert preview.exists("campaigns/aurora-skills/events/hidden-gala/")
    assert preview.exists("leaders/amara-okafor/drafts/aurora-skills/secret-memo.eml")


def test_a_preview_marks_each_draft(preview: BuiltSite) -> None:
    # The draft campaign, and its message, event and testimonial, which are drafts with it.
    assert draft_badges(preview, "campaigns/nebula-secrets/") == ["Draft"] * 4
    campaign = preview.content("campaigns/aurora-skills/")
    for selector in ("#announcement-secret-memo", "#story", "#testimonial-ignatius-marblewick-2027-06-01"):
        element = campaign.select_one(selector)
        assert element is not None, selector
        assert [" ".join(b.get_text().split()) for b in element.select(".portal-badge--draft")] == ["Draft"], selector
    assert campaign.select_one("#announcement-public-hello .portal-badge--draft") is None
    assert len(draft_badges(preview, "campaigns/aurora-skills/")) == 4
    assert draft_badges(preview, "campaigns/aurora-skills/events/hidden-gala/") == ["Draft"]
    assert "Draft" in draft_badges(preview, "leaders/amara-okafor/")
    # The moments have passed: nothing is marked scheduled.
    assert scheduled_marks(preview) == []


def test_every_page_of_a_preview_carries_the_banner(preview: BuiltSite) -> None:
    pages = [p.relative_to(preview.site_dir).as_posix() for p in preview.all_files() if p.suffix == ".html"]
    expected = [uri for uri in pages if uri != "404.html"]
    assert {"index.html", "authoring/index.html", "campaigns/nebula-secrets/index.html"} <= set(expected)
    assert sorted(banner_pages(preview)) == sorted(expected)


def test_a_preview_goes_beside_the_site_never_over_it(project: Path, published: BuiltSite, preview: BuiltSite) -> None:
    assert published.site_dir == project / "site"
    assert preview.site_dir == project / "site-preview"
    assert leaks(published, ALL_MARKERS) == {}


def test_a_preview_before_the_moment_marks_draft_and_scheduled_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = dict(CAMPAIGN_FILES)
    files["aurora-skills.yml"] = PUBLIC_CAMPAIGN.replace(
        "    short: Wobbleberry chat version\n", "    short: Wobbleberry chat version\n    draft: true\n"
    )
    root = prepare_project(tmp_path, files)
    monkeypatch.setenv("PORTAL_NOW", BEFORE)
    monkeypatch.chdir(root)
    site = portal_build(root, preview=True)
    memo = site.content("campaigns/aurora-skills/").select_one("#announcement-secret-memo")
    assert memo is not None
    assert memo.select(".portal-badge--draft") and memo.select(".portal-badge--scheduled")
    public = portal_build(root)
    assert leaks(public, ALL_MARKERS) == {}
    assert scheduled_marks(public) == [] and banner_pages(public) == []


def test_a_draft_value_that_is_not_yes_or_no_keeps_the_item_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail closed: 'draft: maybe' is reported, and the message is not published meanwhile."""
    files = dict(DRAFT_FILES)
    files["aurora-skills.yml"] = files["aurora-skills.yml"].replace(
        "    draft: true\n    subject: Marzipanoid", "    draft: maybe\n    subject: Marzipanoid"
    )
    assert "draft: maybe" in files["aurora-skills.yml"]
    root = prepare_project(tmp_path, files)
    monkeypatch.setenv("PORTAL_NOW", AFTER)
    monkeypatch.chdir(root)
    assert cli.main(["build", "--project", str(root), "--strict"]) == 1
    assert cli.main(["build", "--project", str(root)]) == 0
    assert leaks(BuiltSite(root=root, site_dir=root / "site"), ["Quetzalmemo", "Marzipanoid"]) == {}


def test_portal_preview_variable_makes_portal_build_a_preview(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the pull-request CI runs: PORTAL_PREVIEW=1 portal build --strict --site-dir preview."""
    monkeypatch.setenv("PORTAL_NOW", AFTER)
    monkeypatch.setenv("PORTAL_PREVIEW", "1")
    monkeypatch.chdir(project)
    site = portal_build(project, site_dir="preview")
    assert set(leaks(site, ALL_MARKERS)) == set(ALL_MARKERS)
    assert "index.html" in banner_pages(site)


def test_a_plain_mkdocs_build_is_never_a_preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_NOW", AFTER)
    monkeypatch.setenv("PORTAL_PREVIEW", "1")
    root = prepare_project(tmp_path, DRAFT_FILES)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace("campaigns_dir: campaigns\n", "campaigns_dir: campaigns\n      preview_scheduled: true\n"),
        encoding="utf-8",
    )
    assert "preview_scheduled: true" in (root / "mkdocs.yml").read_text(encoding="utf-8")
    site = build_with_command(root, "build")
    assert site.warnings == []
    assert leaks(site, ALL_MARKERS) == {}
    assert banner_pages(site) == []


def test_a_draft_never_falls_due(tmp_path: Path) -> None:
    """`portal due` and `portal next` (CI's 10-minute check) never wait for a draft: no moment publishes it."""
    from campaign_portal.load import load_portal
    from campaign_portal.rules.schedule import site_changes

    root = prepare_project(tmp_path, DRAFT_FILES)
    drafts = load_portal(root / "campaigns").portal
    scheduled = load_portal(prepare_project(tmp_path / "scheduled", CAMPAIGN_FILES) / "campaigns").portal
    what = [change.what for change in site_changes(drafts)]
    assert not any("nebula" in line or "secret-memo" in line or "hidden-gala" in line for line in what), what
    assert not any("story of aurora-skills" in line or "ignatius" in line for line in what), what
    # The same items, scheduled instead of drafts, are changes to wait for: the check can see them.
    scheduled_what = [change.what for change in site_changes(scheduled)]
    assert any("secret-memo is published" in line for line in scheduled_what), scheduled_what
    assert any("nebula-secrets is published" in line for line in scheduled_what), scheduled_what

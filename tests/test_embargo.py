"""Embargo everywhere: an item that is not yet public leaves no trace in any file of the built site.

The fixture gives every embargoed item words found nowhere else (in the data, the project's
pages or the theme), so a search through every byte of the site is a real test. The
same search after the publish moment must find them, in every kind of file where they
belong: that proves the search can see inside each format (gzip, folded iCalendar lines,
encoded email parts), so an empty result before the moment means something.
"""

from __future__ import annotations

import email
import email.policy
import gzip
import html
import logging
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import BuiltSite, prepare_project

BEFORE = "2027-01-15T10:00:00Z"
AFTER = "2027-06-02T00:00:00Z"
PUBLISH = "2027-06-01T09:00:00+00:00"
SCHEDULED_BADGE = "Scheduled for Tuesday 1 June 2027, 09:00 UTC"

LEADERS = """\
amara-okafor:
  name: Amara Okafor
  title: Chief Operating Officer
  email: amara.okafor@example.com
ottoline-quarrier:
  name: Ottoline Quarrier
  title: Chief Vellichorant Officer
bartholomew-vexley:
  name: Bartholomew Vexley
  title: Director of Brumblecraft
  email: bartholomew.vexley@example.com
cordelia-thistlewood:
  name: Cordelia Thistlewood
  title: Head of Grommetry
ignatius-marblewick:
  name: Ignatius Marblewick
  title: Lead Snickerdoodler
"""

# A public campaign with one public item of each kind, and one embargoed item of each kind.
PUBLIC_CAMPAIGN = f"""\
title: Aurora Skills
summary: Everyone practises the aurora habits.
starts: 2027-01-11
ends: 2027-12-17
tags: [shared-topic]
sponsors: [amara-okafor]
business_case:
  problem: Teams lack the aurora habits.
  outcome: Every team uses them by the end of 2027.
messages:
  - id: public-hello
    title: Public hello
    leaders: [amara-okafor]
    subject: Hello from {{{{ leader.first_name }}}}
    body: |
      Hi team,

      Sessions coming up:{{% for event in events %}} {{{{ event.title }}}};{{% endfor %}}

      {{{{ leader.first_name }}}}
  - id: secret-memo
    title: Quetzalmemo announcement
    leaders: [amara-okafor, bartholomew-vexley]
    publish: {PUBLISH}
    subject: Marzipanoid news from {{{{ leader.first_name }}}}
    body: |
      Hi team,

      This is the xylophonic message, and its lines are long enough that an email client would fold or encode them along the way.

      {{{{ leader.first_name }}}}
    short: Wobbleberry chat version
testimonials:
  - leader: amara-okafor
    date: 2027-01-12
    quote: The aurora habits work.
  - leader: ignatius-marblewick
    date: 2027-06-01
    quote: Snorkelwise is how I would describe the first week.
events:
  - id: public-lunch
    title: Aurora lunch
    type: lunch-and-learn
    starts: 2027-03-01T12:30
    timezone: Europe/London
    duration: 60
    location: London HQ, room 1
    hosts: [amara-okafor]
  - id: hidden-gala
    title: Zanzibarian gala
    type: town-hall
    starts: 2027-07-01T15:00
    timezone: Europe/London
    duration: 90
    location: Plumtastic hall
    online: https://meet.example.com/j/gala
    hosts: [amara-okafor, cordelia-thistlewood]
    description: A flibbertigibbet of an afternoon.
    publish: {PUBLISH}
story:
  publish: {PUBLISH}
  what_changed: Gobbledygookery dropped by half.
  why_it_mattered: Wibblewobble costs money.
  what_we_learned: Kerfuffleism helps.
"""

# A campaign that is embargoed as a whole: nothing of it may show, whatever its items say.
EMBARGOED_CAMPAIGN = f"""\
title: Obsidianova Programme
summary: A quixotical campaign nobody may see yet.
starts: 2027-07-05
publish: {PUBLISH}
tags: [shared-topic, Moonquake]
sponsors: [ottoline-quarrier]
business_case:
  problem: Too little brontosaural thinking.
  outcome: Plenty of it.
messages:
  - id: nebula-launch
    title: Launch of the programme
    leaders: [ottoline-quarrier]
    publish: 2027-01-01T00:00:00+00:00
    subject: Umbrageous news
    body: The programme is here.
events:
  - id: nebula-town-hall
    title: Nebula town hall
    type: town-hall
    starts: 2027-07-06T10:00
    timezone: Europe/London
    duration: 60
    online: https://meet.example.com/j/nebula
    hosts: [ottoline-quarrier]
testimonials:
  - leader: ottoline-quarrier
    date: 2027-01-02
    quote: Thunderclumping good.
"""

CAMPAIGN_FILES = {
    "leaders.yml": LEADERS,
    "aurora-skills.yml": PUBLIC_CAMPAIGN,
    "nebula-secrets.yml": EMBARGOED_CAMPAIGN,
}

# What identifies each embargoed item: its title, id, URL path and unique words from its text.
EMBARGOED: dict[str, list[str]] = {
    "campaign": [
        "Obsidianova",
        "nebula-secrets",
        "campaigns/nebula-secrets/",
        "quixotical",
        "brontosaural",
        "Moonquake",
        "nebula-launch",
        "Umbrageous",
        "nebula-town-hall",
        "Thunderclumping",
    ],
    "message": ["Quetzalmemo", "secret-memo", "Marzipanoid", "xylophonic", "Wobbleberry"],
    "event": [
        "Zanzibarian",
        "hidden-gala",
        "campaigns/aurora-skills/events/hidden-gala/",
        "flibbertigibbet",
        "Plumtastic",
    ],
    "testimonial": ["Snorkelwise", "testimonial-ignatius-marblewick-2027-06-01"],
    "story": ["Gobbledygookery", "Wibblewobble", "Kerfuffleism"],
    # Leaders whose only content is embargoed: no page, not listed, not counted.
    "leader": [
        "ottoline-quarrier",
        "Quarrier",
        "Vellichorant",
        "bartholomew-vexley",
        "Vexley",
        "Brumblecraft",
        "cordelia-thistlewood",
        "Thistlewood",
        "Grommetry",
        "ignatius-marblewick",
        "Marblewick",
        "Snickerdoodler",
    ],
}
ALL_MARKERS = [marker for markers in EMBARGOED.values() for marker in markers]

# After the publish moment, each item must show in every kind of output that carries it.
EXPECTED_AFTER: dict[str, list[str]] = {
    "campaigns/nebula-secrets/index.html": ["Obsidianova", "quixotical", "brontosaural", "Quarrier", "Thunderclumping"],
    "campaigns/index.html": ["Obsidianova", "Moonquake"],
    "tags/moonquake/index.html": ["Obsidianova"],
    "tags/shared-topic/index.html": ["Obsidianova"],
    "campaigns/aurora-skills/index.html": [
        "Quetzalmemo",
        "Marzipanoid",
        "Zanzibarian",
        "Snorkelwise",
        "Marblewick",
        "testimonial-ignatius-marblewick-2027-06-01",
        "Gobbledygookery",
        "Kerfuffleism",
    ],
    "campaigns/aurora-skills/events/hidden-gala/index.html": [
        "Zanzibarian",
        "flibbertigibbet",
        "Plumtastic",
        "Thistlewood",
    ],
    "campaigns/aurora-skills/events/hidden-gala/event.ics": ["Zanzibarian", "flibbertigibbet", "Plumtastic"],
    "campaigns/aurora-skills/calendar.ics": ["Zanzibarian", "hidden-gala"],
    "campaigns/aurora-skills/feed.xml": ["Quetzalmemo", "Zanzibarian", "Snorkelwise", "Gobbledygookery"],
    "campaigns/aurora-skills/feed.json": ["Quetzalmemo", "Zanzibarian", "Snorkelwise", "Gobbledygookery"],
    "campaigns/nebula-secrets/calendar.ics": ["nebula-town-hall"],
    "events/index.html": ["Zanzibarian", "Nebula town hall"],
    "events/calendar.ics": ["Zanzibarian", "hidden-gala", "nebula-town-hall"],
    "feed.xml": ["Quetzalmemo", "Zanzibarian", "Snorkelwise", "Gobbledygookery", "nebula-launch", "Thunderclumping"],
    "feed.json": ["Quetzalmemo", "Zanzibarian", "Snorkelwise", "Gobbledygookery", "nebula-launch", "Thunderclumping"],
    "leaders/index.html": ["Quarrier", "Vexley", "Thistlewood", "Marblewick", "Snickerdoodler"],
    "leaders/amara-okafor/index.html": [
        "Marzipanoid",
        "xylophonic",
        "Wobbleberry",
        "Zanzibarian",
        "sessions coming up: aurora lunch; zanzibarian gala;",
    ],
    "leaders/amara-okafor/feed.xml": ["Marzipanoid", "Zanzibarian"],
    "leaders/amara-okafor/drafts/aurora-skills/secret-memo.eml": ["Marzipanoid", "xylophonic"],
    "leaders/amara-okafor/drafts/aurora-skills/hidden-gala.day-before.eml": ["Zanzibarian", "Plumtastic"],
    "leaders/bartholomew-vexley/index.html": ["Marzipanoid", "Brumblecraft"],
    "leaders/bartholomew-vexley/drafts/aurora-skills/secret-memo.eml": ["xylophonic", "bartholomew.vexley@example.com"],
    "leaders/cordelia-thistlewood/index.html": ["Zanzibarian", "Grommetry"],
    "leaders/ignatius-marblewick/index.html": ["Snorkelwise"],
    "leaders/ottoline-quarrier/index.html": ["Obsidianova", "Umbrageous"],
    "leaders/ottoline-quarrier/drafts/nebula-secrets/nebula-launch.eml": ["Umbrageous"],
    "search/search_index.json": [
        "Obsidianova",
        "Quetzalmemo",
        "Zanzibarian",
        "Snorkelwise",
        "Gobbledygookery",
        "Vexley",
    ],
    "sitemap.xml": [
        "campaigns/nebula-secrets/",
        "campaigns/aurora-skills/events/hidden-gala/",
        "leaders/ottoline-quarrier/",
        "tags/moonquake/",
    ],
    "sitemap.xml.gz": [
        "campaigns/nebula-secrets/",
        "campaigns/aurora-skills/events/hidden-gala/",
        "leaders/ignatius-marblewick/",
    ],
}


def searchable_text(path: Path) -> str:
    """Everything a reader could get out of ``path``, lowercased: decompressed, unfolded, decoded."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    parts = [text]
    if path.suffix == ".ics":
        # RFC 5545 folds long lines; a word can be split across two physical lines.
        parts.append(re.sub(r"\r?\n[ \t]", "", text))
    if path.suffix == ".eml":
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        parts.extend(str(value) for value in message.values())
        parts.extend(part.get_content() for part in message.walk() if part.get_content_maintype() == "text")
    if path.suffix in (".html", ".xml", ".json", ".gz"):
        parts.append(html.unescape(text))
    return "\n".join(parts).lower()


def site_texts(site: BuiltSite) -> dict[str, str]:
    """Each file of the site by its path in the site, with its searchable text (path included)."""
    texts = {}
    for path in site.all_files():
        uri = path.relative_to(site.site_dir).as_posix()
        texts[uri] = uri.lower() + "\n" + searchable_text(path)
    return texts


def leaks(site: BuiltSite, markers: list[str]) -> dict[str, list[str]]:
    """For each marker, the files of ``site`` (or their paths) that mention it."""
    found: dict[str, list[str]] = {}
    for uri, text in site_texts(site).items():
        for marker in markers:
            if marker.lower() in text:
                found.setdefault(marker, []).append(uri)
    return found


def scheduled_marks(site: BuiltSite) -> list[str]:
    """The pages of ``site`` that mark something as scheduled (a preview badge)."""
    return [
        path.relative_to(site.site_dir).as_posix()
        for path in site.all_files()
        if path.suffix == ".html"
        and site.html(path.relative_to(site.site_dir).as_posix()).select(".portal-badge--scheduled")
    ]


def leader_counts(site: BuiltSite, leader_id: str) -> tuple[int, int]:
    """The counts on a leader's card on the leaders page: (messages and reminders to send now, upcoming sessions hosted)."""
    for card in site.content("leaders/").select("article"):
        link = card.select_one("h2 a")
        if link is None or not str(link.get("href", "")).rstrip("/").endswith(f"/{leader_id}"):
            continue
        text = " ".join(card.get_text(" ").split())
        messages = re.search(r"(\d+) to send now", text)
        hosted = re.search(r"hosts (\d+) upcoming sessions?", text)
        return (int(messages[1]) if messages else 0, int(hosted[1]) if hosted else 0)
    raise AssertionError(f"{leader_id} is not listed on the leaders page")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuiltSite]:
    """The same project built before and after the publish moment."""
    built = {}
    for name, now in (("before", BEFORE), ("after", AFTER)):
        root = prepare_project(tmp_path_factory.mktemp(name), CAMPAIGN_FILES)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PORTAL_NOW", now)
            patch.delenv("PORTAL_PREVIEW", raising=False)
            built[name] = build_with_command(root, "build")
        assert built[name].warnings == [], built[name].warnings
    return built


def build_with_command(root: Path, command: str) -> BuiltSite:
    """Build like conftest.build_project, but as MkDocs does for ``command`` ("build" or "serve")."""
    collector: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            collector.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "site"))
        config.plugins.on_startup(command=command, dirty=False)
        try:
            build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(handler)
    return BuiltSite(root=root, site_dir=Path(config.site_dir), warnings=collector)


def test_before_the_moment_no_file_mentions_an_embargoed_item(sites: dict[str, BuiltSite]) -> None:
    site = sites["before"]
    files = site.all_files()
    suffixes = {path.suffix for path in files}
    # Every kind of output the issue names was built and searched.
    assert {".html", ".json", ".xml", ".gz", ".ics", ".eml"} <= suffixes
    assert site.exists("search/search_index.json") and site.exists("sitemap.xml") and site.exists("sitemap.xml.gz")
    assert leaks(site, ALL_MARKERS) == {}


def test_before_the_moment_the_public_items_are_there(sites: dict[str, BuiltSite]) -> None:
    site = sites["before"]
    texts = site_texts(site)
    assert "aurora lunch" in texts["events/calendar.ics"]
    assert "public hello" in texts["campaigns/aurora-skills/index.html"]
    assert "the aurora habits work." in texts["feed.xml"]
    # The public message lists upcoming public events only.
    assert "sessions coming up: aurora lunch;" in texts["leaders/amara-okafor/index.html"]
    assert site.exists("tags/shared-topic/")


def test_before_the_moment_pages_counts_and_navigation_leave_embargoed_items_out(sites: dict[str, BuiltSite]) -> None:
    site = sites["before"]
    for uri in [
        "campaigns/nebula-secrets/",
        "campaigns/nebula-secrets/feed.xml",
        "campaigns/nebula-secrets/calendar.ics",
        "campaigns/aurora-skills/events/hidden-gala/",
        "campaigns/aurora-skills/events/hidden-gala/event.ics",
        "tags/moonquake/",
        "leaders/ottoline-quarrier/",
        "leaders/bartholomew-vexley/",
        "leaders/cordelia-thistlewood/",
        "leaders/ignatius-marblewick/",
        "leaders/amara-okafor/drafts/aurora-skills/secret-memo.eml",
    ]:
        assert not site.exists(uri), uri
    listed = [str(link.get("href")) for link in site.content("leaders/").select("article h2 a")]
    assert listed == ["../leaders/amara-okafor/"]
    assert leader_counts(site, "amara-okafor") == (1, 1)  # the lunch; the embargoed gala is not counted
    nav = [str(link.get("href")) for link in site.html("").select("nav.md-nav--primary a")]
    assert any("campaigns/aurora-skills/" in href for href in nav)
    assert not any("nebula" in href for href in nav)
    search = site.text("search/search_index.json")
    assert "campaigns/aurora-skills/" in search


def test_after_the_moment_every_item_appears_in_every_output(sites: dict[str, BuiltSite]) -> None:
    site = sites["after"]
    texts = site_texts(site)
    missing = {
        uri: [marker for marker in markers if marker.lower() not in texts.get(uri, "")]
        for uri, markers in EXPECTED_AFTER.items()
    }
    assert {uri: markers for uri, markers in missing.items() if markers} == {}
    assert set(leaks(site, ALL_MARKERS)) == set(ALL_MARKERS)
    # The card counts what is to send now: the memo (the kick-off's window closed in January);
    # and the sessions still to come: the gala, now public (the March lunch is over).
    assert leader_counts(site, "amara-okafor") == (1, 1)
    nav = [str(link.get("href")) for link in site.html("").select("nav.md-nav--primary a")]
    assert any("campaigns/nebula-secrets/" in href for href in nav)


def test_nothing_is_marked_scheduled_in_a_build(sites: dict[str, BuiltSite]) -> None:
    for site in sites.values():
        assert scheduled_marks(site) == []


# -- previews under `mkdocs serve` -----------------------------------------------------------


def preview_project(root: Path, *, option: bool) -> Path:
    prepare_project(root, CAMPAIGN_FILES)
    if option:
        config_path = root / "mkdocs.yml"
        config = config_path.read_text(encoding="utf-8")
        assert config.count("campaigns_dir: campaigns\n") == 1
        config = config.replace(
            "campaigns_dir: campaigns\n", "campaigns_dir: campaigns\n      preview_scheduled: true\n"
        )
        config_path.write_text(config, encoding="utf-8")
    return root


def scheduled_badges(site: BuiltSite, uri: str) -> list[str]:
    return [" ".join(badge.get_text().split()) for badge in site.content(uri).select(".portal-badge--scheduled")]


def set_preview_variable(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    """PORTAL_PREVIEW set to ``value``, or not set at all for None."""
    if value is None:
        monkeypatch.delenv("PORTAL_PREVIEW", raising=False)
    else:
        monkeypatch.setenv("PORTAL_PREVIEW", value)


@pytest.mark.parametrize(
    ("option", "variable"),
    [(True, None), (False, "1")],
    ids=["preview_scheduled option", "PORTAL_PREVIEW=1"],
)
def test_serve_previews_scheduled_items_marked_scheduled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: bool, variable: str | None
) -> None:
    monkeypatch.setenv("PORTAL_NOW", BEFORE)
    set_preview_variable(monkeypatch, variable)
    site = build_with_command(preview_project(tmp_path, option=option), "serve")
    assert site.warnings == []
    assert site.exists("campaigns/nebula-secrets/")
    assert site.exists("campaigns/aurora-skills/events/hidden-gala/")
    # The campaign, and its message, event and testimonial, which wait for it.
    assert scheduled_badges(site, "campaigns/nebula-secrets/") == [SCHEDULED_BADGE] * 4
    assert scheduled_badges(site, "campaigns/aurora-skills/events/hidden-gala/") == [SCHEDULED_BADGE]
    # The public campaign page marks its scheduled message, event, testimonial and story.
    campaign = site.content("campaigns/aurora-skills/")
    assert len(scheduled_badges(site, "campaigns/aurora-skills/")) == 4
    for selector, badge in [
        ("#announcement-secret-memo", SCHEDULED_BADGE),
        ("#story", SCHEDULED_BADGE),
        # A testimonial is public from its date, which means midnight UTC.
        ("#testimonial-ignatius-marblewick-2027-06-01", "Scheduled for Tuesday 1 June 2027, 00:00 UTC"),
    ]:
        element = campaign.select_one(selector)
        assert element is not None, selector
        assert badge in " ".join(element.get_text().split()), selector
    assert campaign.select_one("#announcement-public-hello .portal-badge--scheduled") is None
    event_links = [
        link
        for link in campaign.select("a[href*='hidden-gala']")
        if link.find_parent(class_="portal-event-card") is not None
    ]
    assert event_links, "the scheduled event is listed on its campaign page"
    assert all(
        SCHEDULED_BADGE in " ".join(link.find_parent(class_="portal-event-card").get_text().split())
        for link in event_links
    )
    assert SCHEDULED_BADGE in " ".join(site.content("leaders/amara-okafor/").get_text().split())
    assert {"campaigns/nebula-secrets/index.html", "campaigns/aurora-skills/index.html"} <= set(scheduled_marks(site))


@pytest.mark.parametrize(
    ("command", "option", "variable"),
    [
        ("build", True, "1"),
        ("build", True, None),
        ("build", False, "1"),
        ("serve", False, None),
        ("serve", False, "0"),
    ],
    ids=[
        "build with option and PORTAL_PREVIEW=1",
        "build with option",
        "build with PORTAL_PREVIEW=1",
        "serve, not asked",
        "serve, PORTAL_PREVIEW=0",
    ],
)
def test_no_preview_unless_serving_and_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, option: bool, variable: str | None
) -> None:
    monkeypatch.setenv("PORTAL_NOW", BEFORE)
    set_preview_variable(monkeypatch, variable)
    site = build_with_command(preview_project(tmp_path, option=option), command)
    assert site.warnings == []
    assert site.exists("campaigns/aurora-skills/")
    assert leaks(site, ALL_MARKERS) == {}
    assert scheduled_marks(site) == []


def test_a_build_after_a_serve_in_the_same_process_is_not_a_preview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs keeps one plugin instance per process; a build must not inherit a serve's preview."""
    monkeypatch.setenv("PORTAL_NOW", BEFORE)
    monkeypatch.setenv("PORTAL_PREVIEW", "1")
    served = build_with_command(preview_project(tmp_path / "served", option=True), "serve")
    assert served.exists("campaigns/nebula-secrets/")
    built = build_with_command(preview_project(tmp_path / "built", option=True), "build")
    assert leaks(built, ALL_MARKERS) == {}
    assert scheduled_marks(built) == []

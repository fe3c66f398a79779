"""The MkDocs plugin: wires MkDocs events to the pure core, nothing more."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from .loader import LoadCache, load_portal
from .messages import format_date, format_datetime, format_time, zone_label
from .model import Event
from .publishing import NowError, read_now, select_public
from .site import DEFAULT_REMINDERS, OutputCache, PageSpec, SiteSettings, build_site

# Under mkdocs.plugins so that `mkdocs build --strict` counts the warnings; no prefix, so that
# each problem reads exactly `campaigns/<file>.yml:<line>: <what is wrong>`.
log = logging.getLogger("mkdocs.plugins.campaign_portal")

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
ASSETS_DIR = PACKAGE_DIR / "assets"
ASSET_URIS = {"css": "assets/portal/portal.css", "js": "assets/portal/portal.js"}
PREVIEW_VARIABLE = "PORTAL_PREVIEW"
_ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-"


class ReminderWording(base.Config):
    """Jinja templates for one reminder; each sees `leader`, `campaign`, `event` and `site`."""

    subject = c.Optional(c.Type(str))
    """The email subject. Default: "Tomorrow: {{ event.title }}" (day before) or "Today at ...: ..." (morning of)."""
    body = c.Optional(c.Type(str))
    """The email body, Markdown. Defaults to a short note with when, where and the event link."""
    short = c.Optional(c.Type(str))
    """The one-line chat version."""


class RemindersConfig(base.Config):
    day_before = c.SubConfig(ReminderWording)
    """Wording of the reminder a host sends the day before the event."""
    morning_of = c.SubConfig(ReminderWording)
    """Wording of the reminder a host sends on the morning of the event."""


class PortalConfig(base.Config):
    campaigns_dir = c.Type(str, default="campaigns")
    """Folder of campaign YAML files and leaders.yml, relative to mkdocs.yml."""
    preview_scheduled = c.Type(bool, default=False)
    """Under `mkdocs serve` only: also show items that are not yet public, marked "Scheduled for <date>".
    The environment variable PORTAL_PREVIEW=1 turns it on too. `mkdocs build` never includes them."""
    reminders = c.SubConfig(RemindersConfig)
    """Replace the built-in wording of host reminders (see the authoring guide)."""
    nav_campaigns_limit = c.Type(int, default=25)
    """List each campaign under "Campaigns" in the navigation while there are at most this many;
    beyond that only the index is listed, which keeps large portals fast."""
    home_events = c.Type(int, default=6)
    """How many upcoming events the home page shows."""
    home_testimonials = c.Type(int, default=4)
    """How many of the newest testimonials the home page shows."""
    home_announcements = c.Type(int, default=5)
    """How many of the newest announcements the home page shows."""


class CampaignPortalPlugin(BasePlugin[PortalConfig]):
    """Generates the portal's pages, feeds and calendars from campaigns/."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        # Not per-build state: outputs by their whole input, which `mkdocs serve` carries from one
        # rebuild to the next (see OutputCache: never stale, never more than one build's worth).
        self.output_cache: OutputCache | None = None
        self.load_cache: LoadCache | None = None
        self._reset()

    def _reset(self) -> None:
        self.now: dt.datetime | None = None
        self.preview = False
        self.campaigns_path = Path()
        self.specs: dict[str, PageSpec] = {}
        self.env: jinja2.Environment | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.is_serve = command == "serve"
        self.output_cache = OutputCache() if self.is_serve else None
        self.load_cache = LoadCache() if self.is_serve else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
        try:
            self.now = read_now()
        except NowError as error:
            raise PluginError(str(error)) from None
        self.preview = self.is_serve and (
            self.config.preview_scheduled
            or os.environ.get(PREVIEW_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")
        )
        self.campaigns_path = Path(config.config_file_path or ".").parent / self.config.campaigns_dir
        # Lowest priority, so that a template in overrides/ always wins.
        if str(TEMPLATES_DIR) not in config.theme.dirs:
            config.theme.dirs.append(str(TEMPLATES_DIR))
        if ASSET_URIS["css"] not in config.extra_css:
            config.extra_css.append(ASSET_URIS["css"])
        if ASSET_URIS["js"] not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(ASSET_URIS["js"])
        return config

    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.now is not None
        result = load_portal(
            self.campaigns_path,
            display_root=Path(config.config_file_path or ".").parent,
            asset_exists=lambda path: files.get_file_from_path(path) is not None,
            cache=self.load_cache,
        )
        for problem in result.problems:
            log.warning(str(problem))
        public = select_public(result.portal, self.now, preview=self.preview)
        content = build_site(public, self.site_settings(config), self.output_cache)
        for problem in content.problems:
            log.warning(str(problem))
        for warning in content.warnings:
            log.warning(warning)

        taken = {file.dest_uri: file for file in files}
        for uri in ASSET_URIS.values():
            self._add(files, taken, File.generated(config, uri, abs_src_path=str(ASSETS_DIR / Path(uri).name)), "the portal's assets")
        for spec in content.pages:
            # Leaf pages join the navigation through on_nav, under their index page, or not at all.
            inclusion = InclusionLevel.NOT_IN_NAV if spec.nav_parent or not spec.in_nav else InclusionLevel.INCLUDED
            file = File.generated(config, spec.src_uri, content="", inclusion=inclusion)
            if self._add(files, taken, file, f"the generated page '{spec.title}'"):
                self.specs[spec.src_uri] = spec
        for generated in content.files:
            self._add(files, taken, File.generated(config, generated.uri, content=generated.content), generated.what)
        return files

    def _add(self, files: Files, taken: dict[str, File], file: File, what: str) -> bool:
        existing = taken.get(file.dest_uri) or files.get_file_from_path(file.src_uri)
        if existing is not None:
            log.warning(
                f"{self.config.campaigns_dir}: {what} would be written to {file.dest_uri}, "
                f"which content/{existing.src_uri} already uses; rename or remove one of them"
            )
            return False
        files.append(file)
        taken[file.dest_uri] = file
        return True

    def site_settings(self, config: MkDocsConfig) -> SiteSettings:
        """The site-wide settings the core needs, read from mkdocs.yml and this plugin's options."""
        reminders = {kind: dict(parts) for kind, parts in DEFAULT_REMINDERS.items()}
        for kind in reminders:
            for part, text in self.config.reminders[kind].items():
                if text:
                    reminders[kind][part] = text
        return SiteSettings(
            site_name=config.site_name,
            site_url=config.site_url or None,
            reminders=reminders,
            home_events=self.config.home_events,
            home_testimonials=self.config.home_testimonials,
            home_announcements=self.config.home_announcements,
            nav_campaigns_limit=self.config.nav_campaigns_limit,
        )

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """List campaign pages under the Campaigns index, as a section the index page heads."""
        children: dict[str, list[Page]] = {}
        for spec in self.specs.values():
            file = files.get_file_from_path(spec.src_uri)
            if spec.nav_parent and spec.in_nav and file is not None and isinstance(file.page, Page):
                children.setdefault(spec.nav_parent, []).append(file.page)
        for parent_uri, pages in children.items():
            parent_file = files.get_file_from_path(parent_uri)
            index = parent_file.page if parent_file is not None else None
            if not isinstance(index, Page) or index not in nav.pages:
                continue
            pages.sort(key=lambda page: (self.specs[page.file.src_uri].title.lower(), page.file.src_uri))
            _nest_under(nav, index, pages)
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return markdown
        # Material prints page titles and descriptions unescaped (they normally come from
        # trusted Markdown), so text from campaign files is escaped before it gets there.
        page.meta["title"] = str(escape(spec.title))
        page.meta["template"] = "portal/page.html"
        # Portal pages have no table of contents, so the cards get its width. Pages outside the
        # navigation (and the home page, a landing page) drop the empty section sidebar too;
        # on phones the drawer still shows the whole site.
        listed = spec.in_nav and spec.src_uri != "index.md"
        page.meta.setdefault("hide", ["toc"] if listed else ["navigation", "toc"])
        page.meta["portal_feeds"] = spec.feeds
        if spec.description:
            page.meta["description"] = str(escape(" ".join(spec.description.split())))
        if spec.scheduled_for is not None:
            page.meta["portal_scheduled_for"] = spec.scheduled_for
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return html
        template = self._environment(config).get_template(spec.template)
        return template.render(spec.context, page=page, base=_base_of(page.url), spec=spec)

    def _environment(self, config: MkDocsConfig) -> jinja2.Environment:
        if self.env is None:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(config.theme.dirs),
                autoescape=True,
                trim_blocks=True,
                lstrip_blocks=True,
                undefined=jinja2.StrictUndefined,
                # A new environment each build: no need to check every template file's date on every page.
                auto_reload=False,
            )
            env.filters["date"] = format_date
            env.filters["time"] = format_time
            env.filters["datetime"] = format_datetime
            env.filters["short_date"] = _short_date
            env.filters["event_when"] = _event_when
            env.filters["iso"] = lambda value: value.isoformat()
            env.filters["url"] = _relative_url
            env.filters["number"] = _number
            env.filters["avatar_tone"] = _avatar_tone
            env.globals["site_name"] = config.site_name
            self.env = env
        return self.env

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.campaigns_path))
        return server


def _nest_under(nav: Navigation, index: Page, pages: list[Page]) -> None:
    """Replace ``index`` in the navigation with a section that it heads, holding ``pages``."""
    parent = index.parent
    if parent is not None and parent.children and parent.children[0] is index:
        # The automatic navigation already made a section of the index's folder.
        section = parent
        section.children.extend(pages)
    else:
        section = Section(index.title or "", [index, *pages])
        section.parent = parent
        siblings = parent.children if parent is not None else nav.items
        siblings[siblings.index(index)] = section
        index.parent = section
    for page in pages:
        page.parent = section
    position = nav.pages.index(index) + 1
    nav.pages[position:position] = pages
    for previous, following in zip(nav.pages, nav.pages[1:], strict=False):
        previous.next_page, following.previous_page = following, previous


@jinja2.pass_context
def _relative_url(context: Any, uri: str) -> str:
    """A site-relative URI as a link that works from the current page, at any site sub-path."""
    return str(context.get("base", "")) + uri


def _base_of(page_url: str) -> str:
    depth = page_url.count("/")
    return "../" * depth if depth else "./"


def _short_date(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def _event_when(event: Event) -> Markup:
    """`Wed 20 Jan 2027, 12:30–13:30 GMT` in the event's own zone."""
    start, end = event.starts, event.ends
    day = f"{start:%a} {start.day} {start:%b %Y}"
    if end.date() == start.date():
        return escape(f"{day}, {start:%H:%M}–{end:%H:%M} {zone_label(end)}")
    return escape(f"{day}, {start:%H:%M} – {end:%a} {end.day} {end:%b %H:%M} {zone_label(end)}")


@functools.lru_cache(maxsize=4096)
def _avatar_tone(leader_id: str) -> int:
    """One of six colours for a leader's initials, the same on every page: a small hash of the id."""
    total = 0
    for character in leader_id:
        total = (total * 11 + _ID_CHARACTERS.find(character) + 1) % 997
    return total % 6


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)

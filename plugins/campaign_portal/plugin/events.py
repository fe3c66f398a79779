"""The MkDocs plugin: wires MkDocs events to the pure core (``pipeline``), nothing more."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..load import LoadCache, screen_folder_files
from ..model import Portal, Problem
from ..pipeline import build_portal
from ..publishing import NowError, preview_requested, read_now, withheld_photos
from ..rules import urls
from ..rules.schedule import changes_due, site_changes
from ..site import OutputCache, PageSpec, SiteContent, SiteSettings
from ..writers.brand import brand_css
from .config import PortalConfig, brand_problems, site_settings
from .filters import OUTSIDE_SEARCH_PARTS, base_of, page_environment, put_back_outside_search
from .incremental import CollectorPause, IncrementalBuilds, PortalFile
from .nav import nest_children, title_generated_pages
from .portal_page import make_pages
from .template_cache import TemplateCodeCache

# Under mkdocs.plugins so that `mkdocs build --strict` counts the warnings; no prefix, so that
# each problem reads exactly `campaigns/<file>.yml:<line>: <what is wrong>`.
log = logging.getLogger("mkdocs.plugins.campaign_portal")

PACKAGE_DIR = Path(__file__).parent.parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
ASSETS_DIR = PACKAGE_DIR / "assets"
ASSET_URIS = {"css": "assets/portal/portal.css", "js": "assets/portal/portal.js"}
BRAND_CSS_URI = "assets/portal/brand.css"
PREVIEW_BANNER = "portal/partials/preview-banner.html"
# Where the preview banner goes: Material's announcement bar, else the top of the body.
_ANNOUNCE_SLOT = '<div data-md-component="announce">'
_BODY_START = re.compile(r"<body[^>]*>")


class _DirtyNotice(logging.Filter):
    """MkDocs warns on every ``--dirty`` build that navigation and links may be wrong; under
    ``mkdocs serve --dirty`` the portal keeps them right (``IncrementalBuilds``), so it says that instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and str(record.msg).startswith("A 'dirty' build is being performed"):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args = "campaign-portal: rebuilding only what the change touched (--dirty)", ()
        return True


DIRTY_NOTICE = _DirtyNotice()


class CampaignPortalPlugin(BasePlugin[PortalConfig]):
    """Generates the portal's pages, feeds and calendars from campaigns/."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        # `portal build --preview` (or PORTAL_PREVIEW=1 portal build) only, never a plain `mkdocs build`:
        # a build for reviewers that shows drafts and scheduled items, with a banner on every page.
        # Asked for before each start-up and used up by it: MkDocs keeps one plugin instance per process.
        self.preview_build = False
        self._preview_requested = False
        # Not per-build state: what `mkdocs serve` carries from one rebuild to the next, keyed
        # on content (see LoadCache and OutputCache: never stale, never more than one build's worth).
        self.output_cache: OutputCache | None = None
        self.load_cache: LoadCache | None = None
        # `mkdocs serve --dirty` only: what each rebuild needs to write no more than an edit changed.
        self.incremental: IncrementalBuilds | None = None
        self.collector = CollectorPause()
        # One per environment: compiled code depends on the environment's settings, not only the source.
        self.theme_code: TemplateCodeCache | None = None
        self.body_code: TemplateCodeCache | None = None
        self._reset()

    def _reset(self) -> None:
        self.now: dt.datetime | None = None
        self.preview = False
        self.campaigns_path = Path()
        self.specs: dict[str, PageSpec] = {}
        self.outside_search: dict[str, list[str]] = {}  # page src_uri -> its parts kept from search (filters.outside_search)
        self.env: jinja2.Environment | None = None
        self._portal: tuple[Portal, frozenset[int]] | None = None  # for the moments the site changes by itself

    def request_preview_build(self) -> None:
        """Make the next build (and only the next) a preview: drafts and scheduled items shown."""
        self._preview_requested = True

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.is_serve = command == "serve"
        self.preview_build, self._preview_requested = self._preview_requested and command == "build", False
        self.output_cache = OutputCache() if self.is_serve else None
        self.load_cache = LoadCache() if self.is_serve else None
        self.incremental = IncrementalBuilds() if self.is_serve and dirty else None
        self.theme_code = TemplateCodeCache() if self.is_serve else None
        self.body_code = TemplateCodeCache() if self.is_serve else None
        build_log = logging.getLogger(mkdocs_build.__name__)
        build_log.removeFilter(DIRTY_NOTICE)
        if self.incremental is not None:
            build_log.addFilter(DIRTY_NOTICE)

    def on_shutdown(self) -> None:
        logging.getLogger(mkdocs_build.__name__).removeFilter(DIRTY_NOTICE)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.incremental is not None:
            self.collector.pause()  # the first event of a build; resumed at its end (CollectorPause)
        self._reset()
        try:
            self.now = read_now()
        except NowError as error:
            raise PluginError(str(error)) from None
        self.preview = self.preview_build or (self.is_serve and (self.config.preview_scheduled or preview_requested()))
        self.campaigns_path = Path(config.config_file_path or ".").parent / self.config.campaigns_dir
        # Lowest priority, so that a template in overrides/ always wins.
        if str(TEMPLATES_DIR) not in config.theme.dirs:
            config.theme.dirs.append(str(TEMPLATES_DIR))
        if ASSET_URIS["css"] not in config.extra_css:
            config.extra_css.append(ASSET_URIS["css"])
        if ASSET_URIS["js"] not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(ASSET_URIS["js"])
        self._apply_brand(config)
        return config

    def _apply_brand(self, config: MkDocsConfig) -> None:
        """The brand on every page: the logo in the header and as favicon, the colours in a stylesheet
        after the portal's, and the brand for the theme's templates as ``config.extra.portal_brand``."""
        wrong = brand_problems(self.config)
        if wrong:
            raise PluginError("campaign-portal: " + "; ".join(wrong))
        brand = self.config.brand
        if brand.logo:
            config.theme["logo"] = brand.logo
            config.theme["favicon"] = brand.logo
        if (brand.primary or brand.accent) and BRAND_CSS_URI not in config.extra_css:
            config.extra_css.append(BRAND_CSS_URI)
        config.extra["portal_brand"] = {name: brand[name] for name in ("company", "logo", "primary", "accent")}

    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.now is not None
        for problem in screen_content(files, config):
            log.warning(str(problem))
        settings = self.site_settings(config)
        built = build_portal(
            self.campaigns_path,
            settings,
            now=self.now,
            preview=self.preview,
            display_root=Path(config.config_file_path or ".").parent,
            asset_exists=lambda path: files.get_file_from_path(path) is not None,
            load_cache=self.load_cache,
            output_cache=self.output_cache,
        )
        for problem in built.problems:
            log.warning(str(problem))
        self._portal = (built.loaded.portal, settings.working_days)
        for photo in withheld_photos(built.loaded.portal, built.public):
            photo_file = files.get_file_from_path(photo)
            if photo_file is not None:
                files.remove(photo_file)
        self._add_content(files, config, built.content)
        return files

    def _add_content(self, files: Files, config: MkDocsConfig, content: SiteContent) -> None:
        taken = {file.dest_uri: file for file in files}
        for uri in ASSET_URIS.values():
            asset = PortalFile.generated(config, uri, abs_src_path=str(ASSETS_DIR / Path(uri).name))
            self._add(files, taken, asset, "the portal's assets")
        brand = self.config.brand
        if brand.primary or brand.accent:
            stylesheet = PortalFile.generated(config, BRAND_CSS_URI, content=brand_css(brand.primary, brand.accent))
            self._add(files, taken, stylesheet, "the brand's colours")
        if brand.logo and files.get_file_from_path(brand.logo) is None:
            log.warning(f"mkdocs.yml: the brand's 'logo' names content/{brand.logo}, which does not exist")
        for spec in content.pages:
            # Leaf pages join the navigation through on_nav, under their index page, or not at all.
            inclusion = InclusionLevel.NOT_IN_NAV if spec.nav_parent or not spec.in_nav else InclusionLevel.INCLUDED
            file = PortalFile.generated(config, spec.src_uri, content="", inclusion=inclusion)
            if self._add(files, taken, file, f"the generated page '{spec.title}'"):
                self.specs[spec.src_uri] = spec
        for generated in content.files:
            self._add(files, taken, PortalFile.generated(config, generated.uri, content=generated.content), generated.what)
        make_pages(files, config, list(self.specs))

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
        return site_settings(self.config, config.site_name, config.site_url)

    @event_priority(-50)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """List campaign pages under the Campaigns index, as a section the index page heads.

        Late, so that under ``mkdocs serve --dirty`` the navigation is final when the plugin
        decides which pages this build writes (``IncrementalBuilds``, before MkDocs reads any page)."""
        nest_children(nav, files, self.specs)
        title_generated_pages(nav, self.specs)
        if self.incremental is not None:
            assert self.now is not None
            built = self.incremental.plan(
                config,
                files,
                nav,
                self.specs,
                template_dirs=self._template_dirs(config),
                environment=self._environment(config),
                extra=f"preview={self.preview}",
                now=self.now,
                changes_between=self._site_changes_between,
            )
            log.debug(f"campaign-portal: this rebuild writes {built} pages")
        return nav

    def _site_changes_between(self, since: dt.datetime, now: dt.datetime) -> bool:
        """Whether the site changes by itself after ``since`` and no later than ``now`` (``portal due``'s list)."""
        if self._portal is None:
            return True
        portal, working_days = self._portal
        return bool(changes_due(site_changes(portal, working_days), since, now))

    def _template_dirs(self, config: MkDocsConfig) -> list[str]:
        custom = [config.theme.custom_dir] if config.theme.custom_dir else []
        return [*custom, str(TEMPLATES_DIR)]

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
        listed = spec.in_nav and spec.src_uri not in ("index.md", urls.page_source(urls.SITE_URIS["events"]))
        page.meta.setdefault("hide", ["toc"] if listed else ["navigation", "toc"])
        page.meta["portal_feeds"] = spec.feeds
        if spec.description:
            page.meta["description"] = str(escape(" ".join(spec.description.split())))
        if spec.scheduled_for is not None:
            page.meta["portal_scheduled_for"] = spec.scheduled_for
        if not spec.searchable:
            page.meta["search"] = {"exclude": True}
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return html
        template = self._environment(config).get_template(spec.template)
        parts: list[str] = []
        collecting = OUTSIDE_SEARCH_PARTS.set(parts)
        try:
            html = template.render(spec.context, page=page, base=base_of(page.url), spec=spec)
        finally:
            OUTSIDE_SEARCH_PARTS.reset(collecting)
        if parts:
            self.outside_search[page.file.src_uri] = parts
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """In a preview, every page (hand-written ones too) says so at the top."""
        if not self.preview:
            return output
        banner = self._environment(config).get_template(PREVIEW_BANNER).render()
        if _ANNOUNCE_SLOT in output:
            return output.replace(_ANNOUNCE_SLOT, _ANNOUNCE_SLOT + banner, 1)
        body = _BODY_START.search(output)
        return output[: body.end()] + banner + output[body.end() :] if body else banner + output

    @event_priority(-100)
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        """After Material's search indexed the page (priority 0): the parts kept from it back in; its entries kept."""
        parts = self.outside_search.pop(page.file.src_uri, None)
        if parts and page.content:
            page.content = put_back_outside_search(page.content, parts)
        if self.incremental is not None:
            self.incremental.page_built(page, config)
        return context

    @event_priority(100)
    def _post_build_first(self, *, config: MkDocsConfig) -> None:
        """Before Material's search writes its index (priority 0): the whole index; stale outputs removed."""
        if self.incremental is not None:
            self.incremental.finish(config, self.specs)

    @event_priority(-100)
    def _post_build_last(self, *, config: MkDocsConfig) -> None:
        self.collector.resume()

    on_post_build = CombinedEvent(_post_build_first, _post_build_last)

    def on_build_error(self, *, error: Exception) -> None:
        if self.incremental is not None:
            self.incremental.abandon()
        self.collector.resume()

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """Under ``mkdocs serve``, the theme's templates compiled once for the session (TemplateCodeCache)."""
        if self.theme_code is not None and env.bytecode_cache is None:
            self.theme_code.attach(env)
        return env

    def _environment(self, config: MkDocsConfig) -> jinja2.Environment:
        if self.env is None:
            self.env = page_environment(config.theme.dirs, config.site_name)
            if self.body_code is not None:
                self.body_code.attach(self.env)
        return self.env

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.campaigns_path))
        return server


def screen_content(files: Files, config: MkDocsConfig) -> list[Problem]:
    """Take out of ``files`` what in docs_dir is not a plain file inside it (links out, to nothing, loops, FIFOs).

    Returns the problems, one for each; ``portal validate`` runs the same screen.
    """
    docs_dir = Path(config.docs_dir)
    root = Path(config.config_file_path or ".").parent
    own = [
        (file.src_uri, path)
        for file in files
        if file.abs_src_path and file.generated_by is None
        and docs_dir in (path := Path(file.abs_src_path)).parents  # not the theme's files
    ]
    problems, refused = screen_folder_files(own, docs_dir, _shown(docs_dir, root), lambda path: _shown(path, root))
    for uri in refused:
        refused_file = files.get_file_from_path(uri)
        if refused_file is not None:
            files.remove(refused_file)
    return problems


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()

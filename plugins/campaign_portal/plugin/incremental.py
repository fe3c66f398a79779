"""``mkdocs serve --dirty`` made exact: rebuild only the outputs an edit changed, and serve what a fresh build makes.

MkDocs' dirty builds skip every page and file whose ``File.is_modified()`` is False, never delete
an output, and count every generated file as modified. ``IncrementalBuilds`` is what the plugin
carries from one serve build to the next to decide, soundly, what an edit changed:

- Something every page shows changed (``global_signature``: mkdocs.yml, the preview switch, the
  theme's templates in ``custom_dir`` and the package, and the navigation: the title and URL of
  every item, in order, and the source of each hand-written page in it): every page is built.
  So is every page on the first build and after a failed one.
- The build's "now" moved past a moment at which the site changes by itself (``site_changes``,
  what ``portal due`` reads) or to another day: every page is built. Otherwise the templates'
  helpers that read the time (``TIME_HELPERS``) answer as before.
- A generated page is built when its ``PageSpec`` differs from the last build's (title,
  description, template, and each value in its template's context that some portal template
  reads, by name; the per-build helpers in ``HELPERS`` aside): its body is that template
  rendered from that spec, and the rest of its HTML is the navigation and the configuration.
- A hand-written page is built when its source is newer than its output (MkDocs' own test), when
  the set of pages changed (its links are checked against them), or when it is in the navigation
  (its title, read from its source, goes into every page's navigation).
- A generated file that is not a page (feed, calendar, email draft) is written when its bytes differ.
- Outputs of the last build that this build no longer makes are deleted from site_dir (only those).
- The search index is kept per page: the entries of each page built now, the last build's for the
  others, in page order (see ``material_search``).

Plugins that make a page's HTML depend on other pages in other ways are not known here; with a
search plugin other than Material's, every build rebuilds everything.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from ..site import PageSpec
from . import material_search
from .material_search import Entry

# What site/pages.py puts in every page's context for the templates to call: the same code every
# build, whose answers depend only on the build's "now" (see the time check in ``plan``).
TIME_HELPERS = frozenset({"now", "today", "phase_of", "is_past"})
HELPERS = TIME_HELPERS | {"markup", "tag_slug"}


class PortalFile(File):
    """A file whose ``is_modified()`` the portal decides under ``mkdocs serve --dirty``.

    ``portal_modified`` None (always, outside a dirty serve) keeps MkDocs' own answer.
    """

    portal_modified: bool | None = None

    def is_modified(self) -> bool:
        if self.portal_modified is not None:
            return self.portal_modified
        return super().is_modified()


def _in_serve(files: Files) -> list[File]:
    return [file for file in files if InclusionLevel.is_in_serve(file.inclusion)]


@dataclass
class _Built:
    """What the last successful build made, as far as the next one needs to know."""

    signature: str
    now: dt.datetime
    pages: frozenset[str]
    specs: dict[str, PageSpec]
    contents: dict[str, bytes]  # generated non-page files, by dest_uri
    search: dict[str, list[Entry]] | None  # entries by page src_uri; None without Material's search


@dataclass
class _Building:
    files: Files
    signature: str
    now: dt.datetime
    pages: frozenset[str]
    outputs: set[str]
    search_mark: int = 0
    search: dict[str, list[Entry]] = field(default_factory=dict)  # the pages built now


class IncrementalBuilds:
    """The carry-over of one ``mkdocs serve --dirty`` session (see the module's docstring)."""

    def __init__(self) -> None:
        self._last: _Built | None = None
        self._building: _Building | None = None
        # Every output a build since the last successful one may have left in site_dir.
        self._written: set[str] = set()

    def plan(
        self,
        config: MkDocsConfig,
        files: Files,
        nav: Navigation,
        specs: Mapping[str, PageSpec],
        *,
        template_dirs: Iterable[str],
        environment: jinja2.Environment,
        extra: str,
        now: dt.datetime,
        changes_between: Callable[[dt.datetime, dt.datetime], bool],
    ) -> int:
        """Mark what this build must write (before MkDocs reads any page); returns how many pages.

        ``template_dirs``: the templates a project edits (not Material's), which ``environment``
        (the one that draws page bodies) reads; ``extra``: any other
        setting every page shows (the preview switch); ``changes_between(since, now)``: whether
        the site changes by itself after ``since`` and no later than ``now``."""
        template_dirs = list(template_dirs)
        signature = global_signature(config, nav, template_dirs, extra)
        served = _in_serve(files)
        pages = frozenset(file.src_uri for file in served if file.is_documentation_page())
        last = self._last
        # A search plugin whose index cannot be kept per page sees only the pages built: build them all.
        everything = (
            last is None
            or last.signature != signature
            or material_search.other_search_plugin(config)
            or not _same_time(last.now, now, changes_between)
        )
        read = _names_templates_read(environment, template_dirs, signature) - HELPERS
        compared: dict[tuple[int, int], bool] = {}
        page_set_changed = last is None or last.pages != pages
        in_nav = {page.file.src_uri for page in nav.pages}
        built = 0
        for file in served:
            if file.is_documentation_page():
                spec = specs.get(file.src_uri)
                if spec is not None and isinstance(file, PortalFile):
                    file.portal_modified = everything or last is None or not same_spec(
                        last.specs.get(file.src_uri), spec, read, compared
                    )
                elif type(file) is File or isinstance(file, PortalFile):
                    file.__class__ = PortalFile  # a hand-written page: see PortalFile
                    assert isinstance(file, PortalFile)
                    file.portal_modified = everything or page_set_changed or file.src_uri in in_nav or None
                built += file.is_modified()
            elif isinstance(file, PortalFile) and file.abs_src_path is None:
                previous = None if last is None else last.contents.get(file.dest_uri)
                file.portal_modified = previous is None or previous != file.content_bytes
        outputs = {file.dest_uri for file in served}
        self._written |= outputs
        self._building = _Building(files, signature, now, pages, outputs)
        return built

    def page_built(self, page: Page, config: MkDocsConfig) -> None:
        """After Material's search indexed ``page`` (on_page_context, later than its own): keep its entries."""
        building = self._building
        search = material_search.search_plugin(config)
        if building is None or search is None:
            return
        entries = material_search.entries_so_far(search)
        building.search[page.file.src_uri] = entries[building.search_mark :]
        building.search_mark = len(entries)

    def finish(self, config: MkDocsConfig, specs: Mapping[str, PageSpec]) -> None:
        """Before Material writes the search index: the whole index, stale outputs deleted, state kept."""
        building, last = self._building, self._last
        if building is None:
            return
        served = _in_serve(building.files)
        search = material_search.search_plugin(config)
        by_page: dict[str, list[Entry]] | None = None
        if search is not None:
            by_page = {}
            previous = (last.search if last is not None else None) or {}
            for file in served:
                if file.is_documentation_page():
                    uri = file.src_uri
                    by_page[uri] = building.search[uri] if uri in building.search else previous.get(uri, [])
            material_search.replace_entries(search, [entry for entries in by_page.values() for entry in entries])
        delete_outputs(Path(config.site_dir), self._written - building.outputs)
        self._written = set(building.outputs)
        contents = {
            file.dest_uri: file.content_bytes
            for file in served
            if isinstance(file, PortalFile) and file.abs_src_path is None and not file.is_documentation_page()
        }
        self._last = _Built(building.signature, building.now, building.pages, dict(specs), contents, by_page)
        self._building = None

    def abandon(self) -> None:
        """A build failed part-way: what site_dir holds is unknown, so the next build makes everything."""
        self._last = None
        self._building = None


class CollectorPause:
    """Python's cyclic garbage collector paused for one dirty rebuild, then one full collection.

    A rebuild allocates a build's worth of MkDocs objects (a File per output, a Page per page, the
    navigation), and the collector ran about two full collections over the whole heap, carried
    caches included, during each one: about 0.35 s of 2 s of CPU at 600 campaigns. Paused, it
    collects once at the end of the build instead, so what a rebuild leaves as garbage is freed
    then; a collector someone else turned off stays off.
    """

    def __init__(self) -> None:
        self._paused = False

    def pause(self) -> None:
        if gc.isenabled():
            gc.disable()
            self._paused = True

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            gc.enable()
            gc.collect()


def _same_time(last: dt.datetime, now: dt.datetime, changes_between: Callable[[dt.datetime, dt.datetime], bool]) -> bool:
    """Whether every answer of the time helpers is the same at ``now`` as at ``last``."""
    if last == now:
        return True
    if last.astimezone(dt.timezone.utc).date() != now.astimezone(dt.timezone.utc).date():
        return False
    return not changes_between(min(last, now), max(last, now))


def same_spec(
    last: PageSpec | None,
    spec: PageSpec,
    read: frozenset[str] | set[str],
    compared: dict[tuple[int, int], bool] | None = None,
) -> bool:
    """Whether a page made from ``spec`` is the one made from ``last``: the same fields, and the same
    value under each context name in ``read`` (the names templates read; helpers compared elsewhere).

    ``compared`` remembers comparisons by the two values' ids, for values many pages share (the
    leaders); its caller keeps both builds' specs, so no id is reused meanwhile."""
    if last is None:
        return False
    if compared is None:
        compared = {}
    for name in _SPEC_FIELDS:
        old, value = getattr(last, name), getattr(spec, name)
        if old != value or not _same_clocks(old, value, compared):
            return False
    before, after = last.context, spec.context
    if before.keys() != after.keys():
        return False
    for name, value in after.items():
        if name in read:
            old = before[name]
            key = (id(old), id(value))
            same = compared.get(key)
            if same is None:
                same = compared[key] = bool(old == value) and _same_clocks(old, value, compared)
            if not same:
                return False
    return True


_SPEC_FIELDS = tuple(f.name for f in fields(PageSpec) if f.name != "context")


def _same_clocks(old: Any, new: Any, seen: dict[tuple[int, int], bool] | None = None) -> bool:
    """For two values already equal (``==``): whether they also read the same where ``==`` does not
    look. Date-times are equal as moments, but a page writes one on its own clock ("09:00 UTC" for
    2027-01-04T09:00Z, "10:00 UTC+01:00" for 10:00+01:00), and equal dicts may list their keys in
    another order. ``seen`` (same_spec's ``compared``) skips pairs of objects already walked: the
    campaigns, events and leaders most pages share are walked once per rebuild."""
    if old is new:
        return True
    if type(old) is not type(new):  # Markup("<b>") == "<b>", 1 == 1.0 == True: written differently
        return False
    if isinstance(old, dt.datetime):
        return bool(old.tzinfo == new.tzinfo and old.utcoffset() == new.utcoffset())
    if isinstance(old, (str, int, float, dt.date, type(None))):
        return True
    if seen is None:
        seen = {}
    key = (id(old), id(new))
    if key in seen:
        return seen[key]
    seen[key] = True  # a cycle reads the same as far as it goes
    if isinstance(old, Mapping):
        same = list(old) == list(new) and all(_same_clocks(old[k], new[k], seen) for k in old)
    elif isinstance(old, (list, tuple)):
        same = len(old) == len(new) and all(_same_clocks(a, b, seen) for a, b in zip(old, new, strict=True))
    elif hasattr(old, "__dataclass_fields__"):
        same = all(_same_clocks(getattr(old, name), getattr(new, name, None), seen) for name in old.__dataclass_fields__)
    else:
        same = True  # compared by == alone, as before
    seen[key] = same
    return same


_read_names: dict[str, frozenset[str]] = {}


def _names_templates_read(environment: jinja2.Environment, template_dirs: list[str], signature: str) -> frozenset[str]:
    """Every variable name some template under ``portal/`` in ``template_dirs`` reads (Jinja's own
    analysis), worked out again only when a template changed (they are part of ``signature``)."""
    if signature not in _read_names:
        names: set[str] = set()
        for folder in template_dirs:
            for path in sorted((Path(folder) / "portal").rglob("*.html")):
                parsed = environment.parse(path.read_text(encoding="utf-8"))
                names |= jinja2.meta.find_undeclared_variables(parsed)
        _read_names.clear()
        _read_names[signature] = frozenset(names)
    return _read_names[signature]


def global_signature(config: MkDocsConfig, nav: Navigation, template_dirs: Iterable[str], extra: str) -> str:
    """A digest of everything every page shows besides its own content (see the module's docstring)."""
    digest = hashlib.sha256(extra.encode())
    if config.config_file_path and os.path.isfile(config.config_file_path):
        digest.update(Path(config.config_file_path).read_bytes())
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"\0{path}\0{stat.st_mtime_ns}\0{stat.st_size}".encode())
    digest.update(repr(list(_nav_signature(nav.items))).encode())
    return digest.hexdigest()


def _nav_signature(items: Iterable[StructureItem]) -> Iterable[Any]:
    for item in items:
        if isinstance(item, Section):
            yield ("section", item.title, list(_nav_signature(item.children)))
        elif isinstance(item, Link):
            yield ("link", item.title, item.url)
        elif isinstance(item, Page):
            # A hand-written page's title (and meta) come from its source.
            source = hashlib.sha256(item.file.content_bytes).hexdigest() if item.file.abs_src_path else None
            yield ("page", item.title, item.url, item.file.src_uri, source)


def delete_outputs(site_dir: Path, uris: Iterable[str]) -> None:
    """Delete these outputs (site-relative URIs) from ``site_dir``, and folders they leave empty."""
    root = site_dir.resolve()
    for uri in sorted(uris):
        path = (root / uri).resolve()
        if root not in path.parents or not path.is_file():
            continue
        path.unlink()
        folder = path.parent
        while folder != root and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

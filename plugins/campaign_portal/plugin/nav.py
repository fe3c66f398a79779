"""Campaign pages in MkDocs' navigation: listed under the Campaigns index, as a section it heads."""

from __future__ import annotations

from markupsafe import escape
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ..site import PageSpec


def nest_children(nav: Navigation, files: Files, specs: dict[str, PageSpec]) -> None:
    """Put each page that names a ``nav_parent`` (and is in the navigation) under that index page."""
    children: dict[str, list[Page]] = {}
    for spec in specs.values():
        file = files.get_file_from_path(spec.src_uri)
        if spec.nav_parent and spec.in_nav and file is not None and isinstance(file.page, Page):
            children.setdefault(spec.nav_parent, []).append(file.page)
    for parent_uri, pages in children.items():
        parent_file = files.get_file_from_path(parent_uri)
        index = parent_file.page if parent_file is not None else None
        if not isinstance(index, Page) or index not in nav.pages:
            continue
        pages.sort(key=lambda page: (specs[page.file.src_uri].title.lower(), page.file.src_uri))
        _nest_under(nav, index, pages)


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


def title_generated_pages(nav: Navigation, specs: dict[str, PageSpec]) -> None:
    """Give each generated page in the navigation its title now, as it will read once built.

    A page's title is otherwise known only once MkDocs has read it; under ``mkdocs serve --dirty``
    the pages an edit did not change are not read, and the navigation of the pages that are
    rebuilt must still name them. Titles from mkdocs.yml's ``nav`` stay as they are.
    """
    for page in nav.pages:
        spec = specs.get(page.file.src_uri)
        if spec is not None and page.title is None:
            page.title = str(escape(spec.title))

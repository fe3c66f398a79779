"""Generated pages as MkDocs pages: the portal renders their bodies, so there is no Markdown to convert."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc


class PortalPage(Page):
    """A page whose body the portal's templates write (``on_page_content``).

    Its source is empty, and MkDocs would still build a Markdown converter with every
    extension in mkdocs.yml to convert it, once per page: a tenth of a millisecond each,
    thousands of times in a large portal. The result is the same empty body and table of
    contents, without the converter.
    """

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown:  # another plugin gave the page Markdown of its own: convert it as usual
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()


def make_pages(files: Files, config: MkDocsConfig, src_uris: list[str]) -> None:
    """A ``PortalPage`` for each generated page that mkdocs.yml's ``nav`` does not name.

    MkDocs takes the page a plugin made as it is, so a title the ``nav`` gives would be lost:
    the pages it names (a handful of indexes at most) stay MkDocs' own.
    """
    named = paths_named_in_nav(config.nav)
    for uri in src_uris:
        file = files.get_file_from_path(uri)
        if file is not None and file.page is None and uri not in named:
            PortalPage(None, file, config)


def paths_named_in_nav(nav_config: Any) -> set[str]:
    """Every path mkdocs.yml's ``nav`` names, as MkDocs looks it up, with and without a leading slash."""
    named: set[str] = set()

    def walk(data: Any) -> None:
        if isinstance(data, dict):
            for value in data.values():
                walk(value)
        elif isinstance(data, list):
            for item in data:
                walk(item)
        elif isinstance(data, str):
            named.update({PurePath(data).as_posix(), PurePath(data.lstrip("/")).as_posix()})

    walk(nav_config)
    return named

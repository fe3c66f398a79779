"""The one sequence both the MkDocs plugin and ``portal validate`` run: load, select what is public, build.

Pure: no MkDocs. The plugin passes its caches under ``mkdocs serve``; the CLI builds with
scheduled items included, so that a problem in an embargoed item is found before it is published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .load import LoadCache, LoadResult, load_portal
from .model import Problem
from .publishing import PublicPortal, select_public
from .site import OutputCache, SiteContent, SiteSettings, build_site
from .text.markdown import deferred_problems


@dataclass(frozen=True)
class Built:
    loaded: LoadResult
    public: PublicPortal
    content: SiteContent

    @property
    def problems(self) -> list[Problem]:
        """Every problem, in the order found: the loader's, then rendering's, then the sanitiser's."""
        return [*self.loaded.problems, *self.content.problems, *self.content.warnings]


def build_portal(
    campaigns_dir: Path,
    settings: SiteSettings,
    *,
    now: dt.datetime,
    preview: bool = False,
    display_root: Path | None = None,
    asset_exists: Callable[[str], bool] | None = None,
    load_cache: LoadCache | None = None,
    output_cache: OutputCache | None = None,
) -> Built:
    loaded = load_portal(campaigns_dir, display_root=display_root, asset_exists=asset_exists, cache=load_cache)
    public = select_public(loaded.portal, now, preview=preview)
    content = build_site(public, settings, output_cache)
    # Texts the loader proved clean were not rendered at load: each is rendered on first use (the
    # site's, or this check's for what the site does not show), once, and reported as at load.
    content.warnings.extend(deferred_problems(loaded.deferred))
    return Built(loaded, public, content)

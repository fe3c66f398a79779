"""The one place that reaches into Material's search plugin (``material/plugins/search/plugin.py``).

Under ``mkdocs serve --dirty`` MkDocs renders only the pages whose file is modified, so Material's
search plugin sees only those pages. It then merges them into the previous build's index with a
shortcut that assumes exactly one page changed (it drops the previous entries whose location
starts with the first new entry's page, and appends the new ones); an edit that changes several
pages would leave stale or duplicated entries. The portal keeps each page's entries itself
(``IncrementalBuilds``) and hands Material the whole, correct list before it writes the index.

What this relies on, checked by tests/test_incremental.py against the installed Material:
``SearchPlugin.search_index`` (a ``SearchIndex`` made in its on_config, whose ``entries`` list
``on_page_context`` appends each page's entries to, at priority 0) and
``SearchPlugin.search_index_prev`` (the previous index, merged in by ``generate_search_index`` in
its on_post_build, at priority 0, when set).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig

Entry = dict[str, Any]


def search_plugin(config: MkDocsConfig) -> Any | None:
    """Material's search plugin in this build, or None when there is none (or not one we know)."""
    for plugin in config.plugins.values():
        if type(plugin).__module__ == "material.plugins.search.plugin" and type(plugin).__name__ == "SearchPlugin":
            return plugin
    return None


def other_search_plugin(config: MkDocsConfig) -> bool:
    """Whether a search plugin other than Material's is in the build (its index could not be kept right)."""
    return any(
        name.split("/")[-1] == "search" and search_plugin(config) is not plugin for name, plugin in config.plugins.items()
    )


def entries_so_far(plugin: Any) -> list[Entry]:
    """The entries Material's search index holds so far in this build (the list itself)."""
    if not plugin.config.enabled:
        return []
    entries: list[Entry] = plugin.search_index.entries
    return entries


def replace_entries(plugin: Any, entries: list[Entry]) -> None:
    """Make ``entries`` the whole index Material writes in its on_post_build, with no merging."""
    if not plugin.config.enabled:
        return
    plugin.search_index.entries = entries
    plugin.search_index_prev = None

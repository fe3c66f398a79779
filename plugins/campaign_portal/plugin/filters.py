"""What the page templates may call: filters for dates and numbers, and the helpers that answer
"where is this item?" (``url_for``), "when does it go live?" (``scheduled``) and "is it a draft?"
(``draft``) from the rules."""

from __future__ import annotations

import contextvars
import functools
import re
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from ..model import Event
from ..rules import dates, numbers, urls

_ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-"


def page_environment(dirs: list[str], site_name: str) -> jinja2.Environment:
    """The Jinja environment that draws the bodies of portal pages, from the theme's folders."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        # A new environment each build: no need to check every template file's date on every page.
        auto_reload=False,
    )
    env.filters["date"] = dates.format_date
    env.filters["time"] = dates.format_time
    env.filters["datetime"] = dates.format_datetime
    env.filters["short_date"] = dates.short_date
    env.filters["day"] = dates.day_label
    env.filters["send_day"] = lambda value, short=False: dates.day_label(value) if short else dates.format_date(value)
    env.filters["event_when"] = event_when
    env.filters["event_when_parts"] = dates.event_when_parts
    env.filters["iso"] = lambda value: value.isoformat()
    env.filters["url"] = relative_url
    env.filters["number"] = number
    env.filters["measure"] = numbers.measure
    env.filters["avatar_tone"] = avatar_tone
    env.globals["site_name"] = site_name
    env.globals["url_for"] = url_for
    env.globals["tag_url"] = tag_url
    env.globals["scheduled"] = scheduled
    env.globals["draft"] = draft
    env.filters["outside_search"] = outside_search
    return env


# The parts of the page being rendered that search does not index (plugin.events sets it per page).
OUTSIDE_SEARCH_PARTS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("outside_search_parts", default=None)
OUTSIDE_SEARCH_MARK = "<!--portal-outside-search-{}-->"
_OUTSIDE_SEARCH_MARKS = re.compile(r"<!--portal-outside-search-(\d+)-->")


def outside_search(html: str) -> Markup:
    """Markup the search index leaves out (copy controls, leaders' copies, charts), kept aside.

    Material's search parser reads every tag of a page, excluded ones too; a part it must not
    index is cheaper for it as one comment. The part is put back in place of its comment once
    search has read the page (``CampaignPortalPlugin.on_page_context``), so the page is the same.
    Rendered with nothing collecting the parts, a part stays where it is.
    """
    parts = OUTSIDE_SEARCH_PARTS.get()
    if parts is None:
        return Markup(html)
    parts.append(str(html))
    return Markup(OUTSIDE_SEARCH_MARK.format(len(parts) - 1))


def put_back_outside_search(html: str, parts: list[str]) -> str:
    """``html`` with each part ``outside_search`` kept aside back in place of its mark."""
    return _OUTSIDE_SEARCH_MARKS.sub(lambda mark: _part(parts, mark), html)


def _part(parts: list[str], mark: re.Match[str]) -> str:
    """The part a mark stands for; a mark the page did not make (out of range) stays as it is."""
    index = int(mark[1])
    return parts[index] if index < len(parts) else mark[0]


@jinja2.pass_context
def relative_url(context: Any, uri: str) -> str:
    """A site-relative URI as a link that works from the current page, at any site sub-path."""
    return str(context.get("base", "")) + uri


@jinja2.pass_context
def url_for(context: Any, item: Any, child: Any = None) -> str:
    """The link to an item (``rules.urls.url_for``) from the current page."""
    return str(context.get("base", "")) + urls.url_for(item, child)


@jinja2.pass_context
def tag_url(context: Any, tag: str) -> str:
    """The link to a tag's page, from the tag as written in a campaign file."""
    return str(context.get("base", "")) + quote(urls.tag_uri_of(tag), safe="/")


@jinja2.pass_context
def scheduled(context: Any, campaign: Any, item: Any = None) -> Any:
    """When a previewed item goes live, or None for an item that is public."""
    return context["portal"].schedule_of(campaign, item)


@jinja2.pass_context
def draft(context: Any, campaign: Any, item: Any = None) -> bool:
    """Whether a previewed item is a draft (or in a draft campaign); never in a published build."""
    return bool(context["portal"].is_draft(campaign, item))


def base_of(page_url: str) -> str:
    depth = page_url.count("/")
    return "../" * depth if depth else "./"


def event_when(event: Event) -> Markup:
    """`Wed 20 Jan 2027, 12:30–13:30 GMT` in the event's own zone."""
    return escape(dates.event_when(event))


@functools.lru_cache(maxsize=4096)
def avatar_tone(leader_id: str) -> int:
    """One of six colours for a leader's initials, the same on every page: a small hash of the id."""
    total = 0
    for character in leader_id:
        total = (total * 11 + _ID_CHARACTERS.find(character) + 1) % 997
    return total % 6


def number(value: float) -> str:
    """``12,500``, ``1.5``: as ``rules.numbers`` writes every number (KPI charts use it directly)."""
    return numbers.format_number(value)

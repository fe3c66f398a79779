"""What the site build returns: page specifications and generated files, and the messages it rendered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..model import Campaign, Event, Leader, Message, Problem
from ..rules.schedule import SendWindow


@dataclass(frozen=True)
class FeedLink:
    title: str
    uri: str  # site-relative
    kind: str  # "rss" | "json"


@dataclass(frozen=True)
class PageSpec:
    """A generated page: its file, title, body template and what the template sees."""

    src_uri: str
    url: str
    title: str
    template: str
    context: dict[str, Any]
    description: str = ""
    in_nav: bool = False
    nav_parent: str | None = None  # src_uri of the index page this page is listed under
    feeds: tuple[FeedLink, ...] = ()
    scheduled_for: dt.datetime | None = None
    searchable: bool = True  # False: left out of the search index (lists that repeat other pages)


@dataclass(frozen=True)
class GeneratedFile:
    uri: str
    content: bytes
    what: str  # for collision reports: which item produced it


@dataclass(frozen=True)
class RenderedMessage:
    """One message as one leader sends it: ready to copy, with its email draft."""

    anchor: str
    kind: str  # "announcement" | "reminder"
    title: str
    subject: str
    body_markdown: str
    body_html: Markup
    body_text: str
    short: str | None
    mailto: str | None
    eml_uri: str
    leader: Leader
    campaign: Campaign
    message: Message | None = None
    event: Event | None = None
    reminder: str | None = None
    send_on: dt.date | None = None
    scheduled_for: dt.datetime | None = None
    window: SendWindow | None = None  # when it is to send (rules.schedule)
    eml: bytes = field(default=b"", repr=False, compare=False)
    # The body as the portal's own pages and feeds show it, when it differs from the copy the
    # leader sends (links tagged for analytics are only in what the leader sends).
    untagged: tuple[Markup, str] | None = field(default=None, repr=False, compare=False)

    @property
    def public_html(self) -> Markup:
        return self.untagged[0] if self.untagged is not None else self.body_html

    @property
    def public_text(self) -> str:
        return self.untagged[1] if self.untagged is not None else self.body_text


@dataclass
class SiteContent:
    pages: list[PageSpec] = field(default_factory=list)
    files: list[GeneratedFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # what the Markdown sanitiser changed

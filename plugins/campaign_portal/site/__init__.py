"""The portal's pages, feeds and calendars, computed from the public data. Pure: no MkDocs.

``build_site`` (``build``) reads a ``PublicPortal`` and returns page specifications (a body
template and its context, ``pages``) and generated files (bytes: ``files``, through the
writers), with the personal messages (``messages``), feed items (``feed_items``) and calendar
entries (``calendar_entries``) they are made of. ``indexes`` holds every lookup, ``caches``
the per-build memo and the serve carry-over.
"""

from __future__ import annotations

from .build import build_site
from .caches import OutputCache
from .content import FeedLink, GeneratedFile, PageSpec, RenderedMessage, SiteContent
from .settings import DEFAULT_REMINDERS, REMINDER_LABELS, SiteSettings

__all__ = [
    "DEFAULT_REMINDERS",
    "REMINDER_LABELS",
    "FeedLink",
    "GeneratedFile",
    "OutputCache",
    "PageSpec",
    "RenderedMessage",
    "SiteContent",
    "SiteSettings",
    "build_site",
]

"""How dates and times read, everywhere: pages, messages, feeds' summaries and page descriptions.

Always in the value's own zone (an event's), never the reader's or the build machine's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import Event


def format_date(value: Any) -> str:
    """``Wednesday 20 January 2027``."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value:%A} {value.day} {value:%B %Y}"
    return str(value)


def zone_label(value: dt.datetime) -> str:
    """The zone's abbreviation (``GMT``, ``EST``, ``IST``); ``UTC+08`` where tzdata has only an offset."""
    name = value.tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" and name else name


def format_time(value: Any) -> str:
    """``12:30 GMT``: the time in the value's own zone, with the zone's abbreviation."""
    if isinstance(value, dt.datetime):
        return f"{value:%H:%M} {zone_label(value)}".strip()
    return str(value)


def format_datetime(value: Any) -> str:
    """``Wednesday 20 January 2027, 12:30 GMT``."""
    if isinstance(value, dt.datetime):
        return f"{format_date(value)}, {format_time(value)}"
    return format_date(value)


def short_date(value: dt.date) -> str:
    """``20 Jan 2027``."""
    return f"{value.day} {value:%b %Y}"


def event_when(event: Event) -> str:
    """``Wed 20 Jan 2027, 12:30–13:30 GMT`` in the event's own zone (not escaped)."""
    start, end = event.starts, event.ends
    day = f"{start:%a} {start.day} {start:%b %Y}"
    if end.date() == start.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M} {zone_label(end)}"
    return f"{day}, {start:%H:%M} – {end:%a} {end.day} {end:%b %H:%M} {zone_label(end)}"

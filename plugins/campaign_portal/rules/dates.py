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


# The abbreviations people use for zones where tzdata writes only an offset ("+08"), with the
# offset each stands for: a moment at another offset (history, a changed rule) reads as UTC+h.
USUAL_ABBREVIATIONS: dict[str, tuple[str, dt.timedelta]] = {
    "Asia/Singapore": ("SGT", dt.timedelta(hours=8)),
    "Asia/Kuala_Lumpur": ("MYT", dt.timedelta(hours=8)),
    "Asia/Dubai": ("GST", dt.timedelta(hours=4)),
    "Asia/Bangkok": ("ICT", dt.timedelta(hours=7)),
    "Asia/Ho_Chi_Minh": ("ICT", dt.timedelta(hours=7)),
    "America/Sao_Paulo": ("BRT", dt.timedelta(hours=-3)),
    "America/Argentina/Buenos_Aires": ("ART", dt.timedelta(hours=-3)),
    "America/Bogota": ("COT", dt.timedelta(hours=-5)),
    "America/Lima": ("PET", dt.timedelta(hours=-5)),
}


def zone_label(value: dt.datetime) -> str:
    """The zone's usual abbreviation: tzdata's where it is a name (``GMT``, ``BST``, ``EST``,
    ``IST``), the one people use where tzdata has only an offset (``SGT``), else ``UTC+8``."""
    name = value.tzname() or ""
    if not name or name[:1] not in "+-":
        return name
    usual = USUAL_ABBREVIATIONS.get(str(getattr(value.tzinfo, "key", "")))
    offset = value.utcoffset()
    if usual is not None and usual[1] == offset:
        return usual[0]
    return utc_offset_label(offset or dt.timedelta(0))


def utc_offset_label(offset: dt.timedelta) -> str:
    """``UTC+8``, ``UTC+5:30``, ``UTC-3``, ``UTC``."""
    minutes = round(offset.total_seconds() / 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


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


def day_label(value: dt.date) -> str:
    """``Wed 20 Jan 2027``."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def short_date(value: dt.date) -> str:
    """``20 Jan 2027``."""
    return f"{value.day} {value:%b %Y}"


def event_when(event: Event) -> str:
    """``Wed 20 Jan 2027, 12:30–13:30 GMT`` in the event's own zone (not escaped)."""
    day, hours = event_when_parts(event)
    return f"{day}, {hours}"


def event_when_parts(event: Event) -> tuple[str, str]:
    """``("Wed 20 Jan 2027", "12:30–13:30 GMT")``: the day, and the hours that must stay on one line."""
    start, end = event.starts, event.ends
    day = f"{start:%a} {start.day} {start:%b %Y}"
    if end.date() == start.date():
        return day, f"{start:%H:%M}–{end:%H:%M} {zone_label(end)}"
    return day, f"{start:%H:%M} – {end:%a} {end.day} {end:%b %H:%M} {zone_label(end)}"


def month_label(value: dt.date) -> str:
    """``January 2027``."""
    return f"{value:%B %Y}"

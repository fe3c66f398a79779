"""The data model: plain frozen dataclasses (``portal``) and the one problem type (``problems``).

Nothing here imports another part of the package, MkDocs or the clock.
"""

from __future__ import annotations

from .portal import (
    EMAIL_PATTERN,
    EVENT_TYPE_LABELS,
    EVENT_TYPES,
    KPI_LEVELS,
    BusinessCase,
    Campaign,
    ContentFile,
    Event,
    EventType,
    Kpi,
    KpiLevel,
    Leader,
    Measurement,
    Message,
    Portal,
    Story,
    TemplateText,
    Testimonial,
    ascii_email,
    email_problem,
    is_email,
    midnight_utc,
)
from .problems import Problem, SourceRef

__all__ = [
    "EMAIL_PATTERN",
    "EVENT_TYPES",
    "EVENT_TYPE_LABELS",
    "KPI_LEVELS",
    "BusinessCase",
    "Campaign",
    "ContentFile",
    "Event",
    "EventType",
    "Kpi",
    "KpiLevel",
    "Leader",
    "Measurement",
    "Message",
    "Portal",
    "Problem",
    "SourceRef",
    "Story",
    "TemplateText",
    "Testimonial",
    "ascii_email",
    "email_problem",
    "is_email",
    "midnight_utc",
]

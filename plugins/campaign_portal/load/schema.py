"""The fields of each kind of item in campaigns/, as data: name, kind of value, required, default, meaning.

The readers in ``leaders`` and ``campaigns`` check every mapping against its table (unknown keys
with a did-you-mean, missing and empty required keys) and read each field with the
``FieldReader`` method its ``kind`` names. The JSON Schema editors use (``json_schema``) is made
from these same tables, and a test holds the format reference (content/format.md) to them, so
neither can drift from what the loader accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import EVENT_TYPES, KPI_LEVELS


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # the FieldReader method that reads it: text, markdown, slug, date, moment, url, ...
    required: bool = False
    default: Any = None
    doc: str = ""
    items: tuple[Field, ...] = ()  # for a mapping or a list of mappings: the fields of each
    choices: tuple[str, ...] = ()  # for a choice: the values it takes
    maximum: int | None = None  # for a whole number: the largest value it takes


def keys_of(table: tuple[Field, ...]) -> dict[str, bool]:
    """Each field's name and whether it is required, in the table's order."""
    return {field.name: field.required for field in table}


LEADER_FIELDS = (
    Field("name", "text", True, doc="The leader's full name, as colleagues know it."),
    Field("title", "text", True, doc="Their job title."),
    Field("division", "text", doc="The part of the company they lead."),
    Field("photo", "content path", doc="A picture in content/, such as assets/leaders/<id>.jpg."),
    Field("bio", "markdown", doc="A short biography, Markdown."),
    Field("email", "email", doc="One plain address: the sender of their email drafts."),
)
BUSINESS_CASE_FIELDS = (
    Field("problem", "markdown", True, doc="The business problem the campaign addresses."),
    Field("outcome", "markdown", True, doc="The business outcome it aims for."),
)
MEASUREMENT_FIELDS = (
    Field("date", "date", True, doc="When the value was measured, YYYY-MM-DD."),
    Field("value", "number", True, doc="The value measured."),
)
KPI_FIELDS = (
    Field("name", "text", True, doc="What is measured."),
    Field("unit", "text", doc="The unit of the numbers, such as % or days."),
    Field("baseline", "number", True, doc="The value before the campaign."),
    Field("target", "number", True, doc="The value the campaign aims for."),
    Field("current", "number", doc="The value now; without it, the latest value in 'history'."),
    Field("better", "choice", default="higher", doc="Whether higher or lower values are better.", choices=("higher", "lower")),
    Field("history", "list", doc="Dated measurements, oldest first.", items=MEASUREMENT_FIELDS),
    Field("level", "choice", doc="reaction, learning, behaviour or results (the Kirkpatrick levels).", choices=KPI_LEVELS),
)
MESSAGE_FIELDS = (
    Field("id", "slug", True, doc="The message's id, unique in its campaign."),
    Field("title", "text", True, doc="What the message is, for the leader's page."),
    Field("leaders", "leader ids", True, doc="The leaders who send it; each gets a personal copy."),
    Field("publish", "moment", doc="When it becomes public (a date, or a date-time with an offset)."),
    Field("subject", "template", True, doc="The email subject, a message template."),
    Field("body", "template", True, doc="The email body, a Markdown message template."),
    Field("short", "template", doc="The one-line chat version, a message template."),
    Field(
        "send_by",
        "deadline",
        doc="When it stops being 'to send' (a date: to the end of that day, UTC; or a date-time with an offset). "
        "Default: until its next event starts, at most 14 days.",
    ),
    Field("draft", "yes/no", default=False, doc="true keeps it out of every published build; previews show it."),
)
TESTIMONIAL_FIELDS = (
    Field("leader", "leader id", True, doc="The leader who said it."),
    Field("date", "date", True, doc="When it was said; also when it becomes public."),
    Field("quote", "text", True, doc="The quote."),
    Field("story", "markdown", doc="The longer story behind it, Markdown."),
    Field("draft", "yes/no", default=False, doc="true keeps it out of every published build; previews show it."),
)
EVENT_FIELDS = (
    Field("id", "slug", True, doc="The event's id, unique in its campaign."),
    Field("title", "text", True, doc="The event's title."),
    Field("type", "choice", True, doc="lunch-and-learn, town-hall, workshop or webinar.", choices=EVENT_TYPES),
    Field("starts", "local date-time", True, doc="The local wall time in 'timezone', without an offset."),
    Field("timezone", "time zone", True, doc="An IANA zone such as Europe/London."),
    Field("duration", "whole number", True, doc="Minutes, at most a week.", maximum=7 * 24 * 60),
    Field("location", "text", doc="Where it takes place (a location, an online link, or both)."),
    Field("online", "url", doc="The http(s) link to join online."),
    Field("hosts", "leader ids", True, doc="The leaders who host it."),
    Field("description", "markdown", doc="What it is about, Markdown."),
    Field("registration", "url", doc="The http(s) link to register."),
    Field("capacity", "whole number", doc="How many people can attend.", maximum=1_000_000),
    Field("status", "choice", default="scheduled", doc="scheduled or cancelled.", choices=("scheduled", "cancelled")),
    Field("recording", "url", doc="The http(s) link to the recording."),
    Field("publish", "moment", doc="When it becomes public."),
    Field("draft", "yes/no", default=False, doc="true keeps it out of every published build; previews show it."),
)
EVENT_PLACE_FIELDS = ("location", "online")  # an event needs at least one of them
STORY_FIELDS = (
    Field("publish", "moment", True, doc="When the results story becomes public."),
    Field("what_changed", "markdown", True, doc="What changed, Markdown."),
    Field("why_it_mattered", "markdown", True, doc="Why it mattered, Markdown."),
    Field("what_we_learned", "markdown", True, doc="What we learned, Markdown."),
    Field("draft", "yes/no", default=False, doc="true keeps it out of every published build; previews show it."),
)
CAMPAIGN_FIELDS = (
    Field("title", "text", True, doc="The campaign's title."),
    Field("summary", "markdown", True, doc="One or two sentences for cards and feeds, Markdown."),
    Field("starts", "date", True, doc="The first day, YYYY-MM-DD."),
    Field("ends", "date", doc="The last day, not before 'starts'."),
    Field("publish", "moment", doc="When the campaign becomes public; everything in it waits for it."),
    Field("audience", "text", doc="Who it is for."),
    Field("image", "content path", doc="A picture in content/ for its cards and page, such as assets/campaigns/<id>.jpg."),
    Field("tags", "tags", doc="Topics; each has a page listing its campaigns."),
    Field("sponsors", "leader ids", doc="The leaders who sponsor it."),
    Field("business_case", "mapping", True, doc="Why the business runs it.", items=BUSINESS_CASE_FIELDS),
    Field("kpis", "list", doc="The measures it moves.", items=KPI_FIELDS),
    Field("messages", "list", doc="Announcements leaders send.", items=MESSAGE_FIELDS),
    Field("testimonials", "list", doc="What leaders said.", items=TESTIMONIAL_FIELDS),
    Field("events", "list", doc="Lunch-and-learns, town halls, workshops and webinars.", items=EVENT_FIELDS),
    Field("story", "mapping", doc="The results story, once there are results.", items=STORY_FIELDS),
    Field("draft", "yes/no", default=False, doc="true keeps the campaign and everything in it out of every published build; previews show it."),
)

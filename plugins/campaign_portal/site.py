"""The portal's pages, feeds and calendars, computed from the public data.

Pure: no MkDocs. ``build_site`` reads a ``PublicPortal`` and returns page
specifications (a body template and its context) and generated files (bytes).
Every lookup is a dict built once here, so the cost grows linearly with the
data and no page scans all items.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urljoin

from markupsafe import Markup

from . import calendars, feeds
from .email_draft import build_eml, mailto_link
from .loader import Problem, slugify
from .markup import MarkupRenderer
from .messages import (
    CompiledTemplate,
    MessageTemplateError,
    compile_template,
    format_datetime,
    render_template,
)
from .model import Campaign, Event, Leader, Message, SourceRef, TemplateText, Testimonial, midnight_utc
from .publishing import PublicPortal

DEFAULT_REMINDERS: dict[str, dict[str, str]] = {
    "day_before": {
        "subject": "Tomorrow: {{ event.title }}",
        "body": (
            "Hi all,\n\n"
            "A reminder that tomorrow I'm hosting **{{ event.title }}**, part of {{ campaign.title }}.\n\n"
            "- When: {{ event.starts | datetime }}\n"
            "{% if event.location %}- Where: {{ event.location }}\n{% endif %}"
            "{% if event.online %}- Join online: <{{ event.online }}>\n{% endif %}"
            "{% if event.registration %}- Save your place: <{{ event.registration }}>\n{% endif %}"
            "\nDetails: <{{ event.url }}>\n\n"
            "I hope to see you there.\n\n"
            "{{ leader.first_name }}"
        ),
        "short": "Tomorrow {{ event.starts | time }}: {{ event.title }}. Join me: {{ event.url }}",
    },
    "morning_of": {
        "subject": "Today at {{ event.starts | time }}: {{ event.title }}",
        "body": (
            "Good morning,\n\n"
            "Today at {{ event.starts | time }} I'm hosting **{{ event.title }}**. "
            "It's {{ event.duration }} minutes well spent.\n\n"
            "{% if event.location %}- Where: {{ event.location }}\n{% endif %}"
            "{% if event.online %}- Join online: <{{ event.online }}>\n{% endif %}"
            "\nDetails: <{{ event.url }}>\n\n"
            "{{ leader.first_name }}"
        ),
        "short": "Today {{ event.starts | time }}: {{ event.title }}. {{ event.online or event.url }}",
    },
}
# An href the sanitiser let through without a scheme (nh3 always writes double quotes).
_RELATIVE_HREF = re.compile(r'(\shref=)"(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|//)([^"]*)"')
REMINDER_LABELS = {"day_before": "The day before", "morning_of": "The morning of"}


@dataclass(frozen=True)
class SiteSettings:
    site_name: str
    site_url: str | None = None
    reminders: dict[str, dict[str, str]] = field(default_factory=lambda: DEFAULT_REMINDERS)
    home_events: int = 6
    home_testimonials: int = 4
    home_announcements: int = 5
    nav_campaigns_limit: int = 25


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


@dataclass(frozen=True)
class GeneratedFile:
    uri: str
    content: bytes
    what: str  # for collision reports: which item produced it


@dataclass(frozen=True)
class RenderedMessage:
    """One message as one leader sends it: ready to copy."""

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


@dataclass
class SiteContent:
    pages: list[PageSpec] = field(default_factory=list)
    files: list[GeneratedFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_Output = TypeVar("_Output")


class OutputCache:
    """What the costly pure steps made (rendered messages, drafts, calendars, feeds), by their
    whole input, carried from one ``mkdocs serve`` build to the next.

    A build reuses the previous build's output for every input that did not change (a changed input
    is a different key, so nothing can be stale) and keeps only what it used itself, so the cache
    never holds more than one build's outputs. After editing one campaign, only its outputs are made again.
    """

    def __init__(self) -> None:
        self._previous: dict[Hashable, Any] = {}
        self._current: dict[Hashable, Any] = {}

    def get(self, key: Hashable, make: Callable[..., _Output], *arguments: Any) -> _Output:
        """The output for ``key``: this build's, the previous build's, or ``make(*arguments)``."""
        if key in self._current:
            value: _Output = self._current[key]
            return value
        value = self._previous.pop(key) if key in self._previous else make(*arguments)
        self._current[key] = value
        return value

    def keep(self, key: Hashable) -> None:
        """Carry the previous build's output for ``key`` into this one without using it: it is
        part of a larger output that was reused whole, and will be needed when that one changes."""
        if key in self._previous:
            self._current[key] = self._previous.pop(key)

    def discard(self, key: Hashable) -> None:
        self._current.pop(key, None)

    def next_build(self) -> None:
        self._previous, self._current = self._current, {}

    def __len__(self) -> int:
        return len(self._previous) + len(self._current)


_Context = tuple[dict[str, Any], Hashable]


def _with_values(context: dict[str, Any]) -> _Context:
    """A message context and a hashable copy of its values: the key of what a template renders
    from it. Its values are plain (text, numbers, dates), so the copy is one tuple."""
    return context, tuple(context.items())


def campaign_uri(campaign: Campaign | str) -> str:
    return f"campaigns/{campaign if isinstance(campaign, str) else campaign.id}/"


def event_uri(campaign: Campaign | str, event: Event | str) -> str:
    return f"{campaign_uri(campaign)}events/{event if isinstance(event, str) else event.id}/"


def leader_uri(leader: Leader | str) -> str:
    return f"leaders/{leader if isinstance(leader, str) else leader.id}/"


def tag_uri(slug: str) -> str:
    return f"tags/{slug}/"


def event_sort_key(pair: tuple[Campaign, Event]) -> tuple[dt.datetime, str, str]:
    campaign, event = pair
    return (event.starts.astimezone(dt.timezone.utc), campaign.id, event.id)


class _SiteBuilder:
    def __init__(self, public: PublicPortal, settings: SiteSettings, cache: OutputCache | None = None) -> None:
        self.public = public
        self.settings = settings
        self.cache = cache if cache is not None else OutputCache()
        self.markup = MarkupRenderer()
        self.content = SiteContent()
        self.now = public.now
        self.today = public.today
        self.campaigns = sorted(public.campaigns.values(), key=lambda c: (c.starts, c.id))
        self.leaders = public.leaders
        self.events = sorted(
            ((campaign, event) for campaign in self.campaigns for event in campaign.events), key=event_sort_key
        )
        self.events_by_campaign: dict[str, list[tuple[Campaign, Event]]] = defaultdict(list)
        for pair in self.events:
            self.events_by_campaign[pair[0].id].append(pair)
        # What this build made once and uses many times (see _once).
        self._made: dict[Hashable, Any] = {}
        self._site_context = _with_values({"name": settings.site_name, "url": settings.site_url or ""})
        self._site_root = settings.site_url.rstrip("/") + "/" if settings.site_url else "/"
        self.reminder_templates = self._compile_reminders()

    # -- URLs ------------------------------------------------------------------

    def absolute(self, uri: str) -> str:
        """A site URL as readers outside the site need it: absolute when site_url is known.

        ``uri`` is a path this module made from ids (slugs), so no ``..`` or query to resolve.
        """
        return self._site_root + uri

    def text(self, markdown: str | None) -> str:
        """``MarkupRenderer.text``, worked out once per distinct text (and kept across serve rebuilds)."""
        if not markdown:
            return ""
        return self.cache.get(("text", markdown), self.markup.text, markdown)

    # -- dates ------------------------------------------------------------------

    def is_past(self, event: Event) -> bool:
        return event.ends <= self.now

    def announced_at(self, campaign: Campaign, message: Message) -> dt.datetime:
        """The message's moment, as the spec defines it for its template's ``events``."""
        moment = message.publish or campaign.publish
        return moment if moment is not None else midnight_utc(campaign.starts)

    def scheduled(self, *key: str) -> dt.datetime | None:
        return self.public.scheduled_for(*key)

    # -- templates for messages ---------------------------------------------------

    def _compile_reminders(self) -> dict[str, dict[str, CompiledTemplate]]:
        compiled: dict[str, dict[str, CompiledTemplate]] = {}
        for kind, parts in self.settings.reminders.items():
            compiled[kind] = {}
            for part, text in parts.items():
                try:
                    compiled[kind][part] = compile_template(
                        TemplateText(text, SourceRef(f"mkdocs.yml (reminders.{kind}.{part})", 1)),
                        markdown=part != "subject",
                    )
                except MessageTemplateError as error:
                    self.content.problems.append(Problem(error.source.path, error.source.line, error.message))
        return compiled

    def _once(self, key: Hashable, make: Callable[..., _Output], *arguments: Any) -> _Output:
        """``make(*arguments)``, made once per build: a leader, campaign or event is in many
        messages, feeds and calendars."""
        if key not in self._made:
            self._made[key] = make(*arguments)
        value: _Output = self._made[key]
        return value

    # Each message context comes with a hashable copy of its values (see _with_values).

    def leader_context(self, leader: Leader) -> _Context:
        return self._once(("leader context", leader.id), self._make_leader_context, leader)

    def _make_leader_context(self, leader: Leader) -> _Context:
        return _with_values(
            {
                "id": leader.id,
                "name": leader.name,
                "first_name": leader.first_name,
                "title": leader.title,
                "division": leader.division,
                "email": leader.email,
            }
        )

    def campaign_context(self, campaign: Campaign) -> _Context:
        return self._once(("campaign context", campaign.id), self._make_campaign_context, campaign)

    def _make_campaign_context(self, campaign: Campaign) -> _Context:
        return _with_values(
            {
                "id": campaign.id,
                "title": campaign.title,
                "summary": campaign.summary,
                "starts": campaign.starts,
                "ends": campaign.ends,
                "url": self.absolute(campaign_uri(campaign)),
                "audience": campaign.audience,
            }
        )

    def event_context(self, campaign: Campaign, event: Event) -> _Context:
        return self._once(("event context", campaign.id, event.id), self._make_event_context, campaign, event)

    def event_when(self, campaign: Campaign, event: Event) -> str:
        """``Wednesday 20 January 2027, 12:30 GMT``, formatted once per event and build."""
        when: str = self.event_context(campaign, event)[0]["when"]
        return when

    def _make_event_context(self, campaign: Campaign, event: Event) -> _Context:
        return _with_values(
            {
                "id": event.id,
                "title": event.title,
                "type": event.type_label,
                "starts": event.starts,
                "ends": event.ends,
                "timezone": event.timezone,
                "duration": event.duration,
                "location": event.location,
                "online": event.online,
                "registration": event.registration,
                "url": self.absolute(event_uri(campaign, event)),
                # Also tells apart two moments that are equal but in different zones.
                "when": format_datetime(event.starts),
            }
        )

    def rendered_parts(
        self, templates: dict[str, CompiledTemplate], context: dict[str, Any], values: Hashable
    ) -> dict[str, str] | None:
        """``_render_parts``, kept across serve rebuilds while the templates and ``values`` (a
        hashable copy of everything in ``context``) are the same: rendering is deterministic."""
        key = ("parts", tuple(templates.items()), values)
        parts = self.cache.get(key, self._render_parts, templates, context)
        if parts is None:
            self.cache.discard(key)  # rendered again next time, so that its problem is reported on every build
        return parts

    def _render_parts(
        self, templates: dict[str, CompiledTemplate], context: dict[str, Any]
    ) -> dict[str, str] | None:
        rendered: dict[str, str] = {}
        for part, template in templates.items():
            try:
                rendered[part] = render_template(template, context)
            except MessageTemplateError as error:
                self.content.problems.append(Problem(error.source.path, error.source.line, error.message))
                return None
        return rendered

    # -- messages -------------------------------------------------------------------

    def announcements(self) -> list[RenderedMessage]:
        rendered: list[RenderedMessage] = []
        site, site_values = self._site_context
        for campaign in self.campaigns:
            campaign_events = self.events_by_campaign[campaign.id]
            campaign_ctx, campaign_values = self.campaign_context(campaign)
            for message in campaign.messages:
                moment = self.announced_at(campaign, message)
                upcoming_contexts = [
                    self.event_context(campaign, event)
                    for _, event in campaign_events
                    if not event.cancelled and event.starts > moment
                ]
                upcoming = [context for context, _ in upcoming_contexts]
                upcoming_values = tuple(values for _, values in upcoming_contexts)
                templates = {
                    "subject": compile_template(message.subject, markdown=False),
                    "body": compile_template(message.body),
                }
                if message.short is not None:
                    templates["short"] = compile_template(message.short)
                for leader_id in message.leaders:
                    leader = self.leaders[leader_id]
                    leader_ctx, leader_values = self.leader_context(leader)
                    context = {
                        "leader": leader_ctx,
                        "campaign": campaign_ctx,
                        "events": upcoming,
                        "next_event": upcoming[0] if upcoming else None,
                        "site": site,
                    }
                    values = (leader_values, campaign_values, upcoming_values, site_values)
                    parts = self.rendered_parts(templates, context, values)
                    if parts is None:
                        continue
                    rendered.append(
                        self.rendered_message(
                            parts,
                            kind="announcement",
                            anchor=f"{campaign.id}--{message.id}",
                            title=message.title,
                            leader=leader,
                            campaign=campaign,
                            message=message,
                            eml_uri=f"{leader_uri(leader)}drafts/{campaign.id}/{message.id}.eml",
                            source=message.body.source,
                            scheduled_for=self.scheduled("message", campaign.id, message.id),
                        )
                    )
        return rendered

    def reminders(self) -> list[RenderedMessage]:
        rendered: list[RenderedMessage] = []
        site, site_values = self._site_context
        for campaign, event in self.events:
            if event.cancelled or self.is_past(event):
                continue
            campaign_ctx, campaign_values = self.campaign_context(campaign)
            event_ctx, event_values = self.event_context(campaign, event)
            for leader_id in event.hosts:
                leader = self.leaders[leader_id]
                leader_ctx, leader_values = self.leader_context(leader)
                context = {
                    "leader": leader_ctx,
                    "campaign": campaign_ctx,
                    "event": event_ctx,
                    "site": site,
                }
                values = (leader_values, campaign_values, event_values, site_values)
                for kind, templates in self.reminder_templates.items():
                    parts = self.rendered_parts(templates, context, values)
                    if parts is None:
                        continue
                    local_day = event.starts.date()
                    send_on = local_day - dt.timedelta(days=1) if kind == "day_before" else local_day
                    slug = kind.replace("_", "-")
                    rendered.append(
                        self.rendered_message(
                            parts,
                            kind="reminder",
                            anchor=f"{campaign.id}--{event.id}--{slug}",
                            title=f"{REMINDER_LABELS.get(kind, kind)}: {event.title}",
                            leader=leader,
                            campaign=campaign,
                            event=event,
                            reminder=kind,
                            send_on=send_on,
                            eml_uri=f"{leader_uri(leader)}drafts/{campaign.id}/{event.id}.{slug}.eml",
                            source=event.source,
                            scheduled_for=self.scheduled("event", campaign.id, event.id),
                        )
                    )
        return rendered

    def rendered_message(self, parts: dict[str, str], *, source: SourceRef, **fields: Any) -> RenderedMessage:
        subject = " ".join(parts.get("subject", "").split())
        body = parts.get("body", "")
        short = parts.get("short")
        leader: Leader = fields["leader"]

        def make() -> tuple[Markup, str, str | None, str | None, bytes]:
            # markup.text, not self.text: this runs once per cache entry, and an entry made
            # inside another would be dropped whenever the outer one is reused.
            # Bodies are Markdown: a single line break is a space, as authors wrapping long
            # lines in YAML expect; paragraphs are separated by a blank line.
            body_html = self.markup.html(body, source, what="a message body")
            body_text = self.markup.text(body)
            short_text = " ".join(self.markup.text(short).split()) if short else None
            eml = build_eml(subject, body_text, str(body_html), sender=leader.email)
            return body_html, body_text, short_text, mailto_link(subject, body_text), eml

        key = ("message", subject, body, short, leader.email, source)
        warned = len(self.markup.warnings)
        body_html, body_text, short_text, mailto, eml = self.cache.get(key, make)
        if len(self.markup.warnings) > warned:
            self.cache.discard(key)  # made again next time, so that its warning is given on every build
        message = RenderedMessage(
            subject=subject,
            body_markdown=body,
            body_html=body_html,
            body_text=body_text,
            short=short_text,
            mailto=mailto,
            **fields,
        )
        self.content.files.append(
            GeneratedFile(message.eml_uri, eml, f"the email draft of {message.anchor} for {leader.id}")
        )
        return message

    # -- feeds ------------------------------------------------------------------------

    def feed_items(
        self,
        announcements: Iterable[RenderedMessage],
        events: Iterable[tuple[Campaign, Event]],
        testimonials: Iterable[tuple[Campaign, Testimonial]],
        stories: Iterable[Campaign],
        *,
        personal: bool = False,
    ) -> list[feeds.FeedItem]:
        """The items of one feed. ``personal``: announcements as the leader's own copies."""
        items: list[feeds.FeedItem] = []
        for rendered in announcements:
            if personal:
                items.append(self._announcement_item(rendered, personal=True))
            else:
                assert rendered.message is not None
                # Every item but a leader's personal copy is in several feeds.
                key = ("announcement item", rendered.campaign.id, rendered.message.id)
                items.append(self._once(key, self._announcement_item, rendered))
        items.extend(self._once(("event item", c.id, e.id), self._event_item, c, e) for c, e in events)
        items.extend(
            self._once(("testimonial item", c.id, t.anchor), self._testimonial_item, c, t) for c, t in testimonials
        )
        items.extend(self._once(("story item", c.id), self._story_item, c) for c in stories)
        return items

    def _announcement_item(self, rendered: RenderedMessage, *, personal: bool = False) -> feeds.FeedItem:
        campaign, message = rendered.campaign, rendered.message
        assert message is not None
        if personal:
            url = self.absolute(leader_uri(rendered.leader)) + f"#{rendered.anchor}"
            authors: tuple[str, ...] = (rendered.leader.name,)
        else:
            url = self.absolute(campaign_uri(campaign)) + f"#announcement-{message.id}"
            authors = tuple(self.leaders[leader_id].name for leader_id in message.leaders)
        return feeds.FeedItem(
            title=rendered.subject if personal else f"{rendered.title}: {campaign.title}",
            url=url,
            published=self.announced_at(campaign, message),
            content_html=self.absolute_html(rendered.body_html),
            summary=_first_paragraph(rendered.body_text),
            authors=authors,
            categories=campaign.tags,
            kind="announcement",
        )

    def _event_item(self, campaign: Campaign, event: Event) -> feeds.FeedItem:
        published = event.publish or campaign.publish or midnight_utc(campaign.starts)
        status = "Cancelled: " if event.cancelled else ""
        when = self.event_when(campaign, event)
        return feeds.FeedItem(
            title=f"{status}{event.type_label}: {event.title} ({when})",
            url=self.absolute(event_uri(campaign, event)),
            published=max(published, campaign.publish or published),
            content_html=self.absolute_html(self.markup.html(event.description, event.source)),
            summary=f"{event.type_label} on {when}. {self.event_place(event)}",
            authors=tuple(self.leaders[host].name for host in event.hosts),
            categories=campaign.tags,
            kind="event",
        )

    def _testimonial_item(self, campaign: Campaign, testimonial: Testimonial) -> feeds.FeedItem:
        leader = self.leaders[testimonial.leader]
        story_html = self.markup.html(testimonial.story, testimonial.source)
        quote = Markup("<blockquote><p>{}</p></blockquote>").format(testimonial.quote)
        return feeds.FeedItem(
            title=f"{leader.name} on {campaign.title}",
            url=self.absolute(campaign_uri(campaign)) + f"#{testimonial.anchor}",
            published=max(testimonial.publish, campaign.publish or testimonial.publish),
            content_html=self.absolute_html(quote + story_html),
            summary=testimonial.quote,
            authors=(leader.name,),
            categories=campaign.tags,
            kind="testimonial",
        )

    def _story_item(self, campaign: Campaign) -> feeds.FeedItem:
        story = campaign.story
        assert story is not None
        body = Markup("").join(
            Markup("<h3>{}</h3>").format(heading) + self.markup.html(text, story.source)
            for heading, text in (
                ("What changed", story.what_changed),
                ("Why it mattered", story.why_it_mattered),
                ("What we learned", story.what_we_learned),
            )
        )
        return feeds.FeedItem(
            title=f"Results: {campaign.title}",
            url=self.absolute(campaign_uri(campaign)) + "#story",
            published=max(story.publish, campaign.publish or story.publish),
            content_html=self.absolute_html(body),
            summary=self.text(story.what_changed)[:300],
            authors=tuple(self.leaders[s].name for s in campaign.sponsors),
            categories=campaign.tags,
            kind="story",
        )

    def absolute_html(self, html: Markup | str) -> str:
        """HTML for a feed reader: a relative link in campaign text is read from the site's root."""
        if not self.settings.site_url:
            return str(html)
        root = self.settings.site_url.rstrip("/") + "/"

        def absolute(match: re.Match[str]) -> str:
            return f'{match.group(1)}"{urljoin(root, match.group(2).lstrip("/"))}"'

        return _RELATIVE_HREF.sub(absolute, str(html))

    def event_place(self, event: Event) -> str:
        if event.location and event.online:
            return f"{event.location}, and online."
        if event.location:
            return f"{event.location}."
        return "Online."

    def write_feed(self, uri: str, channel: feeds.FeedChannel, items: list[feeds.FeedItem], what: str) -> None:
        key = ("feed", channel, tuple(items))
        rss = self.cache.get(("rss", key), lambda: feeds.build_rss(channel, items, render_item=self.rss_item))
        self.content.files.append(GeneratedFile(uri, rss, what))
        json_uri = uri.rsplit("/", 1)[0] + "/feed.json" if "/" in uri else "feed.json"
        json_feed = self.cache.get(
            ("json", key), lambda: feeds.build_json_feed(channel, items, render_item=self.json_item)
        )
        self.content.files.append(GeneratedFile(json_uri, json_feed, what))
        for item in items:
            self.cache.keep(("rss item", item))
            self.cache.keep(("json item", item))

    # An item is in its campaign's feed, the site's and its leaders': each is written once, and
    # under serve once for as long as it is unchanged, so one edit does not rewrite every feed's items.
    def rss_item(self, item: feeds.FeedItem) -> str:
        return self.cache.get(("rss item", item), feeds.rss_item, item)

    def json_item(self, item: feeds.FeedItem) -> str:
        return self.cache.get(("json item", item), feeds.json_item, item)

    def build_calendar(self, entries: list[calendars.CalendarEntry], **options: Any) -> bytes:
        """``calendars.build_calendar``, which reads no more of an entry's campaign than its id."""
        key = (
            "calendar",
            tuple((entry.campaign.id, entry.event, entry.url, entry.description, entry.stamp) for entry in entries),
            tuple(sorted(options.items())),
        )
        return self.cache.get(key, lambda: calendars.build_calendar(entries, **options))

    # -- calendars ----------------------------------------------------------------------

    def calendar_entry(self, campaign: Campaign, event: Event) -> calendars.CalendarEntry:
        return self._once(("calendar entry", campaign.id, event.id), self._make_calendar_entry, campaign, event)

    def _make_calendar_entry(self, campaign: Campaign, event: Event) -> calendars.CalendarEntry:
        lines = [self.text(event.description)]
        if event.online:
            lines.append(f"Join online: {event.online}")
        if event.registration:
            lines.append(f"Register: {event.registration}")
        if event.recording:
            lines.append(f"Recording: {event.recording}")
        hosts = ", ".join(self.leaders[host].name for host in event.hosts)
        lines.append(f"Hosted by {hosts}. Part of {campaign.title}.")
        page = self.absolute(event_uri(campaign, event))
        if self.settings.site_url:
            lines.append(f"Details: {page}")
        stamp = event.publish or campaign.publish or midnight_utc(campaign.starts)
        return calendars.CalendarEntry(
            campaign=campaign,
            event=event,
            url=page if self.settings.site_url else None,
            description="\n\n".join(line for line in lines if line),
            stamp=stamp,
        )

    # -- the whole site -----------------------------------------------------------------

    def build(self) -> SiteContent:
        announcements = self.announcements()
        reminders = self.reminders()
        content = self.content

        by_campaign_announcements: dict[str, list[RenderedMessage]] = defaultdict(list)
        by_leader_messages: dict[str, list[RenderedMessage]] = defaultdict(list)
        first_copy: dict[tuple[str, str], RenderedMessage] = {}
        for rendered in announcements:
            assert rendered.message is not None
            by_leader_messages[rendered.leader.id].append(rendered)
            key = (rendered.campaign.id, rendered.message.id)
            if key not in first_copy:
                first_copy[key] = rendered
                by_campaign_announcements[rendered.campaign.id].append(rendered)
        by_leader_reminders: dict[str, list[RenderedMessage]] = defaultdict(list)
        for rendered in reminders:
            by_leader_reminders[rendered.leader.id].append(rendered)

        by_campaign_events = self.events_by_campaign
        by_leader_events: dict[str, list[tuple[Campaign, Event]]] = defaultdict(list)
        for pair in self.events:
            for host in pair[1].hosts:
                by_leader_events[host].append(pair)
        testimonials = sorted(
            ((c, t) for c in self.campaigns for t in c.testimonials),
            key=lambda pair: (pair[1].date, pair[0].id, pair[1].anchor),
            reverse=True,
        )
        by_leader_testimonials: dict[str, list[tuple[Campaign, Testimonial]]] = defaultdict(list)
        by_campaign_testimonials: dict[str, list[tuple[Campaign, Testimonial]]] = defaultdict(list)
        for said in testimonials:
            by_leader_testimonials[said[1].leader].append(said)
            by_campaign_testimonials[said[0].id].append(said)
        by_leader_sponsored: dict[str, list[Campaign]] = defaultdict(list)
        ordered_campaigns = self.ordered_campaigns()
        by_tag: dict[str, list[Campaign]] = defaultdict(list)
        tag_names: dict[str, str] = {}
        for campaign in ordered_campaigns:
            for tag in campaign.tags:
                tag_names.setdefault(slugify(tag), tag)
                by_tag[slugify(tag)].append(campaign)
        for campaign in self.campaigns:
            for sponsor in campaign.sponsors:
                by_leader_sponsored[sponsor].append(campaign)
        stories = [c for c in self.campaigns if c.story is not None]

        upcoming = [pair for pair in self.events if not self.is_past(pair[1])]
        past = [pair for pair in reversed(self.events) if self.is_past(pair[1])]
        newest_announcements = sorted(
            by_campaign_announcements_flat(by_campaign_announcements),
            key=lambda r: (self.announced_at(r.campaign, r.message), r.anchor),  # type: ignore[arg-type]
            reverse=True,
        )
        common = {
            "portal": self.public,
            "now": self.now,
            "today": self.today,
            "markup": self.markup,
            "leaders": self.leaders,
            "phase_of": lambda c: c.phase(self.today),
            "is_past": self.is_past,
            "tag_slug": slugify,
        }

        def page(src_uri: str, title: str, template: str, context: dict[str, Any], **extra: Any) -> None:
            content.pages.append(
                PageSpec(
                    src_uri=src_uri,
                    url=src_uri[: -len("index.md")],
                    title=title,
                    template=template,
                    context={**common, **context},
                    **extra,
                )
            )

        site_feed = FeedLink(f"{self.settings.site_name}: everything new", "feed.xml", "rss")
        page(
            "index.md",
            self.settings.site_name,
            "portal/home.html",
            {
                "active_campaigns": [c for c in ordered_campaigns if c.phase(self.today) == "active"],
                "upcoming_campaigns": [c for c in ordered_campaigns if c.phase(self.today) == "upcoming"],
                "next_events": upcoming[: self.settings.home_events],
                "testimonials": testimonials[: self.settings.home_testimonials],
                "announcements": newest_announcements[: self.settings.home_announcements],
                "stories": sorted(stories, key=lambda c: c.story.publish, reverse=True)[:2],  # type: ignore[union-attr]
            },
            in_nav=True,
            feeds=(site_feed,),
            description="Learning campaigns, events and leader messages.",
        )
        page(
            "campaigns/index.md",
            "Campaigns",
            "portal/campaigns.html",
            {"campaigns": ordered_campaigns, "tags": sorted(tag_names.items(), key=lambda t: t[1].lower())},
            in_nav=True,
            feeds=(site_feed,),
            description="Every learning campaign, active first.",
        )
        for slug, campaigns in sorted(by_tag.items()):
            page(
                f"{tag_uri(slug)}index.md",
                f"Campaigns about {tag_names[slug]}",
                "portal/tag.html",
                {"tag": tag_names[slug], "campaigns": campaigns},
            )
        page(
            "events/index.md",
            "Events",
            "portal/events.html",
            {"upcoming": upcoming, "past": past},
            in_nav=True,
            feeds=(site_feed,),
            description="Lunch-and-learns, town halls, workshops and webinars.",
        )
        page(
            "leaders/index.md",
            "Leaders",
            "portal/leaders.html",
            {
                "leader_list": sorted(self.leaders.values(), key=lambda leader: (leader.name.lower(), leader.id)),
                "message_counts": {k: len(v) for k, v in by_leader_messages.items()},
                "event_counts": {k: len(v) for k, v in by_leader_events.items()},
            },
            in_nav=True,
            description="The leaders behind our learning campaigns.",
        )

        for campaign in self.campaigns:
            events = by_campaign_events[campaign.id]
            feed_uri = f"{campaign_uri(campaign)}feed.xml"
            summary_text = self.text(campaign.summary)
            page(
                f"{campaign_uri(campaign)}index.md",
                campaign.title,
                "portal/campaign.html",
                {
                    "campaign": campaign,
                    "announcements": by_campaign_announcements[campaign.id],
                    "upcoming": [p for p in events if not self.is_past(p[1])],
                    "past": [p for p in reversed(events) if self.is_past(p[1])],
                    "testimonials": by_campaign_testimonials[campaign.id],
                    "calendar_uri": f"{campaign_uri(campaign)}calendar.ics",
                    "feed_uri": feed_uri,
                },
                in_nav=len(self.campaigns) <= self.settings.nav_campaigns_limit,
                nav_parent="campaigns/index.md",
                feeds=(FeedLink(f"{campaign.title}: news", feed_uri, "rss"),),
                description=summary_text[:200],
                scheduled_for=self.scheduled("campaign", campaign.id),
            )
            self.write_feed(
                feed_uri,
                feeds.FeedChannel(
                    title=f"{campaign.title} · {self.settings.site_name}",
                    url=self.absolute(campaign_uri(campaign)),
                    feed_url=self.absolute(feed_uri),
                    description=summary_text[:500] or campaign.title,
                ),
                self.feed_items(
                    by_campaign_announcements[campaign.id],
                    events,
                    by_campaign_testimonials[campaign.id],
                    [campaign] if campaign.story else [],
                ),
                f"the feed of campaign {campaign.id}",
            )
            content.files.append(
                GeneratedFile(
                    f"{campaign_uri(campaign)}calendar.ics",
                    self.build_calendar(
                        [self.calendar_entry(c, e) for c, e in events],
                        name=f"{campaign.title} · {self.settings.site_name}",
                        description=summary_text[:500],
                        subscribable=True,
                    ),
                    f"the calendar of campaign {campaign.id}",
                )
            )
            for _, event in events:
                uri = event_uri(campaign, event)
                entry = self.calendar_entry(campaign, event)
                page(
                    f"{uri}index.md",
                    event.title,
                    "portal/event.html",
                    {
                        "campaign": campaign,
                        "event": event,
                        "ics_uri": f"{uri}event.ics",
                        "calendar_links": self.cache.get(
                            ("calendar links", event, entry.description, entry.url),
                            add_to_calendar_links,
                            event,
                            entry.description,
                            entry.url,
                        ),
                        "past": self.is_past(event),
                    },
                    feeds=(FeedLink(f"{campaign.title}: news", feed_uri, "rss"),),
                    description=f"{event.type_label} on {self.event_when(campaign, event)}",
                    scheduled_for=self.scheduled("event", campaign.id, event.id),
                )
                content.files.append(
                    GeneratedFile(
                        f"{uri}event.ics",
                        self.build_calendar([entry], name=event.title),
                        f"the calendar file of event {campaign.id}/{event.id}",
                    )
                )

        for leader in sorted(self.leaders.values(), key=lambda item: item.id):
            feed_uri = f"{leader_uri(leader)}feed.xml"
            messages = by_leader_messages[leader.id]
            page(
                f"{leader_uri(leader)}index.md",
                leader.name,
                "portal/leader.html",
                {
                    "leader": leader,
                    "messages": messages,
                    "reminders": by_leader_reminders[leader.id],
                    "testimonials": by_leader_testimonials[leader.id],
                    "hosted_upcoming": [p for p in by_leader_events[leader.id] if not self.is_past(p[1])],
                    "hosted_past": [p for p in reversed(by_leader_events[leader.id]) if self.is_past(p[1])],
                    "sponsored": by_leader_sponsored[leader.id],
                    "feed_uri": feed_uri,
                },
                feeds=(FeedLink(f"{leader.name}: messages to send", feed_uri, "rss"),),
                description=f"{leader.name}, {leader.title}: messages ready to send, reminders and events.",
            )
            self.write_feed(
                feed_uri,
                feeds.FeedChannel(
                    title=f"{leader.name} · {self.settings.site_name}",
                    url=self.absolute(leader_uri(leader)),
                    feed_url=self.absolute(feed_uri),
                    description=f"Messages ready for {leader.name} to send, events they host and their testimonials.",
                ),
                self.feed_items(
                    messages, by_leader_events[leader.id], by_leader_testimonials[leader.id], [], personal=True
                ),
                f"the feed of leader {leader.id}",
            )

        self.write_feed(
            "feed.xml",
            feeds.FeedChannel(
                title=self.settings.site_name,
                url=self.absolute(""),
                feed_url=self.absolute("feed.xml"),
                description="Announcements, events, testimonials and results from our learning campaigns.",
            ),
            self.feed_items(newest_announcements, self.events, testimonials, stories),
            "the site feed",
        )
        content.files.append(
            GeneratedFile(
                "events/calendar.ics",
                self.build_calendar(
                    [self.calendar_entry(c, e) for c, e in self.events],
                    name=f"{self.settings.site_name}: all events",
                    description="Every learning event: lunch-and-learns, town halls, workshops and webinars.",
                    subscribable=True,
                ),
                "the calendar of all events",
            )
        )
        content.warnings.extend(str(warning) for warning in self.markup.warnings)
        return content

    def ordered_campaigns(self) -> list[Campaign]:
        """Active first (ending soonest), then upcoming (starting soonest), then completed (newest first)."""
        rank = {"active": 0, "upcoming": 1, "completed": 2}

        def key(campaign: Campaign) -> tuple[int, int, str]:
            phase = campaign.phase(self.today)
            if phase == "active":
                end = campaign.ends or dt.date.max
                return (rank[phase], end.toordinal(), campaign.id)
            if phase == "upcoming":
                return (rank[phase], campaign.starts.toordinal(), campaign.id)
            assert campaign.ends is not None
            return (rank[phase], -campaign.ends.toordinal(), campaign.id)

        return sorted(self.campaigns, key=key)


def by_campaign_announcements_flat(grouped: dict[str, list[RenderedMessage]]) -> list[RenderedMessage]:
    return [rendered for messages in grouped.values() for rendered in messages]


def _first_paragraph(text: str) -> str:
    return text.split("\n\n", 1)[0][:400]


def add_to_calendar_links(event: Event, description: str, url: str | None) -> dict[str, str]:
    """Google Calendar and Outlook on the web links that prefill the event."""
    from urllib.parse import urlencode

    start_utc = event.starts.astimezone(dt.timezone.utc)
    end_utc = event.ends.astimezone(dt.timezone.utc)
    location = event.location or event.online or ""
    details = description if len(description) < 1200 else description[:1200] + "…"
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{start_utc:%Y%m%dT%H%M%SZ}/{end_utc:%Y%m%dT%H%M%SZ}",
            "details": details,
            "location": location,
            "ctz": event.timezone,
        }
    )
    outlook = "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": event.title,
            "startdt": start_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "enddt": end_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "body": details,
            "location": location,
        }
    )
    return {"google": google, "outlook": outlook}


def build_site(public: PublicPortal, settings: SiteSettings, cache: OutputCache | None = None) -> SiteContent:
    """Every generated page and file for ``public``, with problems found while rendering.

    ``cache`` carries unchanged outputs over from the previous build (``mkdocs serve``).
    """
    content = _SiteBuilder(public, settings, cache).build()
    if cache is not None:
        cache.next_build()
    return content

"""Personal messages: each announcement as each of its leaders sends it, and each host's reminders.

A message is rendered from its templates and the contexts (``contexts``), then its body is made
safe HTML and plain text, a mailto: link and an email draft. The drafts are files of their own
(``drafts``), written by the build, not as a side effect of rendering.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from markupsafe import Markup

from ..model import Campaign, Event, Leader, Message, Problem, SourceRef, TemplateText
from ..rules import schedule, urls
from ..text.markdown import SharedRendering, html_to_text
from ..text.templates import CompiledTemplate, MessageTemplateError, RenderBudgets, compile_template, render_template
from ..writers.eml import build_eml, mailto_link
from .content import GeneratedFile, RenderedMessage
from .contexts import campaign_context, event_context, leader_context, site_context
from .scope import Scope
from .settings import REMINDER_LABELS

Templates = dict[str, CompiledTemplate]
BODY = "a message body"
# Mail clients show about this many characters of a subject (RFC 5322's recommended line length).
MAX_SUBJECT = 78


def compile_reminders(scope: Scope) -> dict[str, Templates]:
    """The reminder wording from the settings, compiled; a wrong one is a problem at its option."""
    compiled: dict[str, Templates] = {}
    for kind, parts in scope.settings.reminders.items():
        compiled[kind] = {}
        for part, text in parts.items():
            try:
                compiled[kind][part] = compile_template(
                    TemplateText(text, SourceRef(f"mkdocs.yml (reminders.{kind}.{part})", 1)),
                    markdown=part != "subject",
                )
            except MessageTemplateError as error:
                scope.problems.append(error.problem)
    return compiled


def _rendered_parts(
    scope: Scope, templates: Templates, context: dict[str, Any], values: Hashable
) -> dict[str, str] | None:
    """Each part rendered, kept across serve rebuilds while the templates and ``values`` (a
    hashable copy of everything in ``context``) are the same: rendering is deterministic. A
    template that fails is kept with its problem, which is reported on every build (once, however
    many leaders it fails for)."""
    key = ("parts", tuple(templates.items()), values)
    parts, problems = scope.cache.get(key, _render_parts, templates, context, scope.render_budgets)
    scope.report(problems)
    return parts


def _render_parts(
    templates: Templates, context: dict[str, Any], budgets: RenderBudgets
) -> tuple[dict[str, str] | None, tuple[Problem, ...]]:
    rendered: dict[str, str] = {}
    for part, template in templates.items():
        try:
            rendered[part] = render_template(template, context, budgets)
        except MessageTemplateError as error:
            return None, (error.problem,)
    return rendered, ()


def _message_templates(message: Message) -> Templates:
    templates = {
        "subject": compile_template(message.subject, markdown=False),
        "body": compile_template(message.body),
    }
    if message.short is not None:
        templates["short"] = compile_template(message.short)
    return templates


def announcements(scope: Scope) -> list[RenderedMessage]:
    """Every leader's copy of every public message, campaign by campaign."""
    rendered: list[RenderedMessage] = []
    site, site_values = site_context(scope)
    for campaign in scope.campaigns:
        campaign_ctx, campaign_values = campaign_context(scope, campaign)
        for message in campaign.messages:
            moment = schedule.announced_at(campaign, message)
            upcoming_contexts = [
                event_context(scope, campaign, event)
                for _, event in scope.events_by_campaign[campaign.id]
                if not event.cancelled and event.starts > moment
            ]
            upcoming = [context for context, _ in upcoming_contexts]
            upcoming_values = tuple(values for _, values in upcoming_contexts)
            templates = _message_templates(message)
            shared = None
            if len(message.leaders) > 1:
                probe_context = {
                    "campaign": campaign_ctx,
                    "events": upcoming,
                    "next_event": upcoming[0] if upcoming else None,
                    "site": site,
                }
                first_leader = leader_context(scope, scope.leaders[message.leaders[0]])[0]
                shared = _SharedBody(scope, templates["body"], probe_context, list(first_leader))
            window = schedule.send_window(campaign, message)
            for leader_id in message.leaders:
                leader = scope.leaders[leader_id]
                leader_ctx, leader_values = leader_context(scope, leader)
                context = {
                    "leader": leader_ctx,
                    "campaign": campaign_ctx,
                    "events": upcoming,
                    "next_event": upcoming[0] if upcoming else None,
                    "site": site,
                }
                values = (leader_values, campaign_values, upcoming_values, site_values)
                parts = _rendered_parts(scope, templates, context, values)
                if parts is None:
                    continue
                rendered.append(
                    _rendered_message(
                        scope,
                        parts,
                        kind="announcement",
                        anchor=urls.announcement_anchor(campaign, message),
                        title=message.title,
                        leader=leader,
                        campaign=campaign,
                        message=message,
                        eml_uri=urls.announcement_draft_uri(leader, campaign, message),
                        source=message.body.source,
                        scheduled_for=scope.public.schedule_of(campaign, message),
                        shared=(shared, leader_ctx) if shared is not None else None,
                        window=window,
                    )
                )
    return rendered


def reminders(scope: Scope, templates_by_kind: dict[str, Templates]) -> list[RenderedMessage]:
    """Each host's reminders of each event still to come, in event order."""
    rendered: list[RenderedMessage] = []
    site, site_values = site_context(scope)
    for campaign, event in scope.events:
        if event.cancelled or scope.is_past(event):
            continue
        campaign_ctx, campaign_values = campaign_context(scope, campaign)
        event_ctx, event_values = event_context(scope, campaign, event)
        for leader_id in event.hosts:
            leader = scope.leaders[leader_id]
            leader_ctx, leader_values = leader_context(scope, leader)
            context = {"leader": leader_ctx, "campaign": campaign_ctx, "event": event_ctx, "site": site}
            values = (leader_values, campaign_values, event_values, site_values)
            for kind, templates in templates_by_kind.items():
                parts = _rendered_parts(scope, templates, context, values)
                if parts is not None:
                    rendered.append(_reminder(scope, parts, kind, leader, campaign, event))
    return rendered


def _reminder(
    scope: Scope, parts: dict[str, str], kind: str, leader: Leader, campaign: Campaign, event: Event
) -> RenderedMessage:
    return _rendered_message(
        scope,
        parts,
        kind="reminder",
        anchor=urls.reminder_anchor(campaign, event, kind),
        title=f"{REMINDER_LABELS.get(kind, kind)}: {event.title}",
        leader=leader,
        campaign=campaign,
        event=event,
        reminder=kind,
        send_on=schedule.reminder_day(event, kind, scope.settings.working_days),
        window=schedule.reminder_window(event, kind, scope.settings.working_days),
        eml_uri=urls.reminder_draft_uri(leader, campaign, event, kind),
        source=event.source,
        scheduled_for=scope.public.schedule_of(campaign, event),
    )


def _rendered_message(
    scope: Scope,
    parts: dict[str, str],
    *,
    source: SourceRef,
    shared: tuple[_SharedBody, dict[str, Any]] | None = None,
    **fields: Any,
) -> RenderedMessage:
    subject = " ".join(parts.get("subject", "").split())
    body = parts.get("body", "")
    short = parts.get("short")
    leader: Leader = fields["leader"]
    markup = scope.markup
    untagged = None
    if scope.settings.link_tagging and scope.settings.site_url:
        untagged = (markup.html(body), markup.text(body))
        campaign: Campaign = fields["campaign"]
        site_url = scope.settings.site_url
        body = urls.tag_portal_links(body, site_url, urls.leader_link_tags("email", campaign, leader))
        if short:
            short = urls.tag_portal_links(short, site_url, urls.leader_link_tags("chat", campaign, leader))
    message: Message | None = fields.get("message")
    if len(subject) > MAX_SUBJECT and message is not None:
        markup.warn(
            message.subject.source,
            "a subject",
            f"the subject of '{fields['title']}' is {len(subject)} characters long for {leader.name}; "
            f"mail clients cut subjects after about {MAX_SUBJECT}: shorten it",
        )

    def make() -> tuple[Markup, str, str | None, str | None, bytes, str | None]:
        # Bodies are Markdown: a single line break is a space, as authors wrapping long
        # lines in YAML expect; paragraphs are separated by a blank line. All copies of one
        # template share one Markdown time budget (``budget=source``), so a slow template
        # costs its time once per build, not once per leader.
        # A copy that differs from its template's others only in the leader's plain words takes
        # their one rendering (_SharedBody); it rendered clean, so there is nothing to notice.
        shared_copy = shared[0].rendering(body, shared[1]) if shared is not None else None
        notice = None
        if shared_copy is not None:
            body_html, body_text = shared_copy
        else:
            body_html = markup.html(body, budget=source)
            notice = markup.notice(body, what=BODY, budget=source)
            body_text = html_to_text(str(body_html))
        short_text = " ".join(markup.text(short, budget=(source, "short")).split()) if short else None
        eml = build_eml(subject, body_text, str(body_html), sender=leader.email)
        return body_html, body_text, short_text, mailto_link(subject, body_text), eml, notice

    key = ("message", subject, body, short, leader.email, source)
    body_html, body_text, short_text, mailto, eml, notice = scope.cache.get(key, make)
    if notice is not None:  # what the sanitiser changed, said on every build, reused or not
        markup.warn(source, BODY, notice)
    return RenderedMessage(
        subject=subject,
        body_markdown=body,
        body_html=body_html,
        body_text=body_text,
        short=short_text,
        mailto=mailto,
        eml=eml,
        untagged=untagged,
        **fields,
    )


class _SharedBody:
    """One Markdown rendering of a message body for all its leaders (``MarkupRenderer.shared``).

    The body template is rendered once more with a token (a made-up word) in place of each of the
    leader's values; a leader's copy that equals that probe with the tokens replaced by their own
    values, each plain words, takes the probe's HTML with the same replacement instead of being
    formatted again. Any other copy (a value with punctuation, a template that tests the leader's
    values) is formatted on its own, as before.
    """

    def __init__(
        self, scope: Scope, template: CompiledTemplate, context: dict[str, Any], leader_keys: list[str]
    ) -> None:
        self._scope = scope
        self._template = template
        self._context = context
        self._tokens = {key: f"Qzxj{_letters(number)}Jxzq" for number, key in enumerate(leader_keys)}
        self._shared: SharedRendering | None = None
        self._made = False

    def rendering(self, body: str, leader_ctx: dict[str, Any]) -> tuple[Markup, str] | None:
        """This leader's copy ``body`` as HTML and as plain text, taken from the shared rendering; or None."""
        if not self._made:
            self._made = True
            probe = {**self._context, "leader": dict(self._tokens)}
            try:
                text = render_template(self._template, probe, self._scope.render_budgets)
            except MessageTemplateError:
                return None
            self._shared = self._scope.markup.shared(text, list(self._tokens.values()), budget=self._template.source)
        if self._shared is None:
            return None
        values = {token: leader_ctx.get(key) for key, token in self._tokens.items()}
        found = self._shared.rendering_for(body, values)
        return (Markup(found[0]), found[1]) if found is not None else None


def _letters(number: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "ba": a token's distinguishing part, letters only."""
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text = chr(ord("a") + digit) + text
        if not number:
            return text


def drafts(messages: list[RenderedMessage]) -> list[GeneratedFile]:
    """Each message's email draft, as the file a leader downloads."""
    return [
        GeneratedFile(message.eml_uri, message.eml, f"the email draft of {message.anchor} for {message.leader.id}")
        for message in messages
    ]

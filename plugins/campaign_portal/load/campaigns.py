"""``<campaign-id>.yml``: one campaign with its KPIs, messages, testimonials, events and story.

Each item is read field by field with ``FieldReader``, following its table in ``schema``;
problems are recorded at their lines and the item is left out when a required value is wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..model import (
    EVENT_TYPES,
    KPI_LEVELS,
    BusinessCase,
    Campaign,
    ContentFile,
    Event,
    Kpi,
    Leader,
    Measurement,
    Message,
    Problem,
    Story,
    Testimonial,
)
from ..rules import schedule
from ..rules.slugs import same_tag, tag_slug
from .fields import FieldReader, show, strip
from .schema import (
    BUSINESS_CASE_FIELDS,
    CAMPAIGN_FIELDS,
    EVENT_FIELDS,
    KPI_FIELDS,
    MEASUREMENT_FIELDS,
    MESSAGE_FIELDS,
    STORY_FIELDS,
    TESTIMONIAL_FIELDS,
)
from .yaml_lines import YamlList, YamlMap


def tag_collision(tag: str, other: str, slug: str, where: str) -> str:
    return (
        f"tag '{show(tag)}' would share the page tags/{slug}/ with tag '{show(other)}' ({where}); "
        "they are different topics, so rename one of them"
    )


def drop_tag_collisions(campaigns: dict[str, Campaign]) -> tuple[dict[str, Campaign], list[Problem]]:
    """Tags of different campaigns that would share a page: each reported, naming both, and left out.

    The first campaign by id keeps its tag; the same topic written another way (``Leadership``,
    ``leadership``) is the same tag and shares its page.
    """
    first: dict[str, tuple[str, Campaign, int]] = {}
    problems: list[Problem] = []
    kept: dict[str, Campaign] = {}
    for campaign_id, campaign in campaigns.items():
        tags: list[str] = []
        lines: list[int] = []
        lines_of = campaign.tag_lines or (campaign.source.line,) * len(campaign.tags)
        for tag, line in zip(campaign.tags, lines_of, strict=True):
            slug = tag_slug(tag)
            seen = first.setdefault(slug, (tag, campaign, line))
            if seen[1] is not campaign and not same_tag(tag, seen[0]):
                where = f"{seen[1].source.path}:{seen[2]}"
                problems.append(Problem(campaign.source.path, line, tag_collision(tag, seen[0], slug, where)))
                continue
            tags.append(tag)
            lines.append(line)
        changed = len(tags) != len(campaign.tags)
        kept[campaign_id] = dataclasses.replace(campaign, tags=tuple(tags), tag_lines=tuple(lines)) if changed else campaign
    return kept, problems


# The largest value of each whole-number field, from its table (the JSON Schema reads the same).
_LIMITS = {field.name: field.maximum for field in EVENT_FIELDS if field.maximum is not None}


class CampaignReader(FieldReader):
    """Reads one campaign file's mapping into a ``Campaign``."""

    def campaign(self, campaign_id: str, data: YamlMap, leaders: dict[str, Leader]) -> Campaign | None:
        self.mapping(data, data.line, "the campaign", CAMPAIGN_FIELDS)
        title = self.text(data, "title", required=True)
        summary = self.markdown(data, "summary", "the summary", required=True)
        starts = self.date(data, "starts")
        ends = self.date(data, "ends")
        if starts and ends and ends < starts:
            self.problem(data.line_of("ends"), f"'ends' ({ends}) is before 'starts' ({starts})")
            ends = None
        publish = self.moment(data, "publish")
        business_case = self.business_case(data)
        tags, tag_lines = self.tags(data)
        sponsors = self.leader_ids(data, "sponsors", leaders)
        kpis = tuple(kpi for item, line in self.items(data, "kpis") if (kpi := self.kpi(item, line)))
        messages = self.unique(
            self.message(item, line, leaders, publish, starts) for item, line in self.items(data, "messages")
        )
        testimonials = self.testimonials(data, leaders)
        events = self.unique(self.event(item, line, leaders) for item, line in self.items(data, "events"))
        story = self.story(data)
        audience = strip(self.text(data, "audience"))
        image = self.content_path(data, "image", f"assets/campaigns/{campaign_id}.jpg")
        draft = self.flag(data, "draft")
        if title is None or summary is None or starts is None or business_case is None:
            return None
        return Campaign(
            id=campaign_id,
            title=title.strip(),
            summary=summary,
            starts=starts,
            ends=ends,
            publish=publish,
            audience=audience,
            image=ContentFile(image, self.ref(data.line_of("image"))) if image is not None else None,
            tags=tags,
            tag_lines=tag_lines,
            sponsors=sponsors,
            business_case=business_case,
            kpis=kpis,
            messages=messages,
            testimonials=testimonials,
            events=events,
            story=story,
            source=self.ref(data.line),
            draft=draft,
        )

    def unique(self, items: Iterable[Message | Event | None]) -> tuple[Any, ...]:
        seen: dict[str, int] = {}
        kept: list[Any] = []
        for item in items:
            if item is None:
                continue
            if item.id in seen:
                kind = "message" if isinstance(item, Message) else "event"
                self.problem(item.source.line, f"duplicate {kind} id '{item.id}' (first used on line {seen[item.id]})")
                continue
            seen[item.id] = item.source.line
            kept.append(item)
        return tuple(kept)

    def business_case(self, data: YamlMap) -> BusinessCase | None:
        if data.get("business_case") is None:  # missing or empty: reported with the campaign's keys
            return None
        case = self.mapping(data["business_case"], data.line_of("business_case"), "'business_case'", BUSINESS_CASE_FIELDS)
        if case is None:
            return None
        problem = self.markdown(case, "problem", "the business problem", required=True)
        outcome = self.markdown(case, "outcome", "the outcome", required=True)
        if problem is None or outcome is None:
            return None
        return BusinessCase(problem=problem, outcome=outcome)

    def tags(self, data: YamlMap) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """The tags and their lines; one topic written twice is kept once, two topics with one slug are a problem."""
        tags: dict[str, tuple[str, int]] = {}  # slug -> the tag and its line
        for item, line in self.items(data, "tags"):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
                self.problem(line, "each tag must be a short piece of text")
                continue
            tag = str(item).strip()
            slug = tag_slug(tag)
            if not slug:
                self.problem(line, f"tag '{show(tag)}' needs at least one letter or digit")
                continue
            if slug in tags:
                if not same_tag(tag, tags[slug][0]):
                    self.problem(line, tag_collision(tag, tags[slug][0], slug, f"line {tags[slug][1]}"))
                continue
            tags[slug] = (tag, line)
        return tuple(tag for tag, _ in tags.values()), tuple(line for _, line in tags.values())

    def kpi(self, item: Any, line: int) -> Kpi | None:
        entry = self.mapping(item, line, "a KPI", KPI_FIELDS)
        if entry is None:
            return None
        name = self.text(entry, "name", required=True)
        unit = strip(self.text(entry, "unit"))
        baseline = self.number(entry, "baseline")
        target = self.number(entry, "target")
        current = self.number(entry, "current")
        better = self.choice(entry, "better", ("higher", "lower"), "higher")
        history = self.history(entry)
        level = self.choice(entry, "level", KPI_LEVELS)
        if current is not None and history and current != history[-1].value:
            latest = history[-1]
            self.problem(
                entry.line_of("current"),
                f"'current' ({current:g}) is not the latest value in 'history' ({latest.value:g} on {latest.date}); "
                "make them equal, or leave 'current' out",
            )
        if name is None or baseline is None or target is None or better is None:
            return None
        return Kpi(
            name=name.strip(),
            unit=unit or None,
            baseline=baseline,
            target=target,
            current=current if current is not None else (history[-1].value if history else None),
            better=better,  # type: ignore[arg-type]
            history=history,
            level=level,  # type: ignore[arg-type]
        )

    def history(self, entry: YamlMap) -> tuple[Measurement, ...]:
        """A KPI's dated values; each date must come after the one before it."""
        measurements: list[Measurement] = []
        previous: tuple[Any, int] | None = None  # the last readable date and its line
        for item, line in self.items(entry, "history"):
            point = self.mapping(item, line, "a 'history' entry", MEASUREMENT_FIELDS)
            if point is None:
                continue
            day = self.date(point, "date")
            value = self.number(point, "value")
            if day is not None:
                if previous is not None and day <= previous[0]:
                    self.problem(
                        point.line_of("date"),
                        f"'history' dates must increase: {day} is not after {previous[0]} (line {previous[1]}); "
                        "list measurements oldest first, one per date",
                    )
                    continue
                previous = (day, point.line_of("date"))
            if day is not None and value is not None:
                measurements.append(Measurement(date=day, value=value))
        return tuple(measurements)

    def message(
        self,
        item: Any,
        line: int,
        leaders: dict[str, Leader],
        campaign_publish: dt.datetime | None,
        starts: dt.date | None,
    ) -> Message | None:
        entry = self.mapping(item, line, "a message", MESSAGE_FIELDS)
        if entry is None:
            return None
        message_id = self.slug(entry, "id", "message id")
        title = self.text(entry, "title", required=True)
        senders = self.leader_ids(entry, "leaders", leaders, required=True)
        publish = self.moment(entry, "publish")
        send_by = self.deadline(entry, "send_by")
        if send_by is not None and starts is not None:
            self.check_send_window(entry, schedule.message_moment(publish, campaign_publish, starts), send_by)
        subject = self.template(entry, "subject")
        body = self.template(entry, "body")
        short = self.template(entry, "short") if entry.get("short") is not None else None
        draft = self.flag(entry, "draft")
        if message_id is None or title is None or not senders or subject is None or body is None:
            return None
        return Message(
            id=message_id,
            title=title.strip(),
            leaders=senders,
            publish=publish,
            send_by=send_by,
            subject=subject,
            body=body,
            short=short,
            source=self.ref(entry.line),
            draft=draft,
        )

    def check_send_window(self, entry: YamlMap, opens: dt.datetime, send_by: dt.datetime) -> None:
        """A message's ``send_by`` must leave it a moment to be sent: after the message's moment."""
        if send_by > opens or opens == schedule.NEVER:  # an unreadable publish is reported already
            return
        written = show(strip(self.text(entry, "send_by")))
        self.problem(
            entry.line_of("send_by"),
            f"'send_by' ({written}) closes the send window before it opens ({opens.isoformat()}, "
            "the message's 'publish', else the campaign's, else its first day); give a later 'send_by'",
        )

    def testimonials(self, data: YamlMap, leaders: dict[str, Leader]) -> tuple[Testimonial, ...]:
        testimonials: list[Testimonial] = []
        anchors: set[str] = set()
        for item, line in self.items(data, "testimonials"):
            entry = self.mapping(item, line, "a testimonial", TESTIMONIAL_FIELDS)
            if entry is None:
                continue
            leader = self.leader_ids(entry, "leader", leaders)
            day = self.date(entry, "date")
            quote = self.text(entry, "quote", required=True)
            story = self.markdown(entry, "story", "a testimonial story")
            draft = self.flag(entry, "draft")
            if "leader" in entry and isinstance(entry["leader"], YamlList):
                self.problem(entry.line_of("leader"), "'leader' takes one leader id; give each leader a testimonial of their own")
                continue
            if not leader or day is None or quote is None:
                continue
            # The anchor doubles as the feed guid, so it must not move when others are added.
            anchor = f"testimonial-{leader[0]}-{day.isoformat()}"
            number = 2
            while anchor in anchors:
                anchor = f"testimonial-{leader[0]}-{day.isoformat()}-{number}"
                number += 1
            anchors.add(anchor)
            testimonials.append(
                Testimonial(
                    leader=leader[0],
                    date=day,
                    quote=quote.strip(),
                    story=story,
                    source=self.ref(entry.line),
                    anchor=anchor,
                    draft=draft,
                )
            )
        return tuple(testimonials)

    def event(self, item: Any, line: int, leaders: dict[str, Leader]) -> Event | None:
        entry = self.mapping(item, line, "an event", EVENT_FIELDS)
        if entry is None:
            return None
        event_id = self.slug(entry, "id", "event id")
        title = self.text(entry, "title", required=True)
        event_type = self.choice(entry, "type", EVENT_TYPES)
        timezone = self.timezone(entry)
        local_start = self.local_start(entry, timezone)
        duration = self.positive_int(entry, "duration", maximum=_LIMITS["duration"])
        hosts = self.leader_ids(entry, "hosts", leaders, required=True)
        location = strip(self.text(entry, "location"))
        online = self.url(entry, "online")
        if location is None and online is None and "location" not in entry and "online" not in entry:
            self.problem(entry.line, "an event needs a 'location', an 'online' link, or both")
        registration = self.url(entry, "registration")
        recording = self.url(entry, "recording")
        capacity = self.positive_int(entry, "capacity", maximum=_LIMITS["capacity"])
        status = self.choice(entry, "status", ("scheduled", "cancelled"), "scheduled")
        publish = self.moment(entry, "publish")
        description = self.markdown(entry, "description", "an event description")
        draft = self.flag(entry, "draft")
        if (
            event_id is None
            or title is None
            or event_type is None
            or timezone is None
            or local_start is None
            or duration is None
            or not hosts
            or status is None
            or (location is None and online is None)
        ):
            return None
        return Event(
            id=event_id,
            title=title.strip(),
            type=event_type,  # type: ignore[arg-type]
            local_start=local_start,
            timezone=timezone,
            duration=duration,
            hosts=hosts,
            location=location,
            online=online,
            description=description,
            registration=registration,
            capacity=capacity,
            status=status,  # type: ignore[arg-type]
            recording=recording,
            publish=publish,
            source=self.ref(entry.line),
            draft=draft,
        )

    def story(self, data: YamlMap) -> Story | None:
        if data.get("story") is None:
            return None
        entry = self.mapping(data["story"], data.line_of("story"), "the 'story'", STORY_FIELDS)
        if entry is None:
            return None
        publish = self.moment(entry, "publish", required=True)
        what_changed = self.markdown(entry, "what_changed", "the story", required=True)
        why_it_mattered = self.markdown(entry, "why_it_mattered", "the story", required=True)
        what_we_learned = self.markdown(entry, "what_we_learned", "the story", required=True)
        draft = self.flag(entry, "draft")
        if publish is None or what_changed is None or why_it_mattered is None or what_we_learned is None:
            return None
        return Story(
            publish=publish,
            what_changed=what_changed,
            why_it_mattered=why_it_mattered,
            what_we_learned=what_we_learned,
            source=self.ref(entry.line),
            draft=draft,
        )

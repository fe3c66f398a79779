"""The site-wide settings the core needs (from mkdocs.yml and the plugin's options), and the
default wording of host reminders."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.schedule import DEFAULT_WORKING_DAYS

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
    # ``date.weekday()`` numbers of the working week: reminders fall on these days.
    working_days: frozenset[int] = DEFAULT_WORKING_DAYS
    events_per_page: int = 100
    # The site feed carries the newest items only: readers fetch all of it on every poll.
    site_feed_items: int = 100
    company: str | None = None
    headline: str | None = None
    # Tag links to the portal in leaders' messages for the intranet's analytics (utm_*).
    link_tagging: bool = False

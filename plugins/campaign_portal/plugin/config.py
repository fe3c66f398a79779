"""The plugin's options in mkdocs.yml, as MkDocs config classes (documented in the publishing guide)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..rules.schedule import WEEKDAYS
from ..site import DEFAULT_REMINDERS, SiteSettings
from ..writers.brand import is_colour


class WorkingDays(c.ListOfItems[str]):
    """Day names (monday ... sunday); at least one, each once."""

    def __init__(self) -> None:
        super().__init__(c.Choice(WEEKDAYS), default=list(WEEKDAYS[:5]))

    def run_validation(self, value: object) -> list[str]:
        if isinstance(value, list):
            value = [item.lower() if isinstance(item, str) else item for item in value]
        days = super().run_validation(value)
        if not days:
            raise base.ValidationError("name at least one working day, such as [monday, tuesday, wednesday, thursday, friday]")
        return days


class ReminderWording(base.Config):
    """Jinja templates for one reminder; each sees `leader`, `campaign`, `event` and `site`."""

    subject = c.Optional(c.Type(str))
    """The email subject. Default: "Tomorrow: {{ event.title }}" (day before) or "Today at ...: ..." (morning of)."""
    body = c.Optional(c.Type(str))
    """The email body, Markdown. Defaults to a short note with when, where and the event link."""
    short = c.Optional(c.Type(str))
    """The one-line chat version."""


class RemindersConfig(base.Config):
    day_before = c.SubConfig(ReminderWording)
    """Wording of the reminder a host sends the day before the event."""
    morning_of = c.SubConfig(ReminderWording)
    """Wording of the reminder a host sends on the morning of the event."""


class BrandConfig(base.Config):
    """The company's identity, applied on every page of the site (portal pages and hand-written ones)."""

    company = c.Optional(c.Type(str))
    """The company's name, as employees say it: the home page reads "Learning at <company>"."""
    logo = c.Optional(c.Type(str))
    """A picture in content/ (SVG or PNG, light on the primary colour), shown in the header of every
    page and used as the favicon: `assets/brand/logo.svg`."""
    primary = c.Optional(c.Type(str))
    """The main colour, `#rrggbb`: the header, buttons, date tiles and links. Text on it turns white or
    near-black, whichever reads better, and links are darkened or lightened until they read well."""
    accent = c.Optional(c.Type(str))
    """The second colour, `#rrggbb`: links and buttons being pointed at, and focus rings."""
    headline = c.Optional(c.Type(str))
    """The home page's heading. Default: "Learning at <company>", or "Learning campaigns" without a company."""


class PortalConfig(base.Config):
    campaigns_dir = c.Type(str, default="campaigns")
    """Folder of campaign YAML files and leaders.yml, relative to mkdocs.yml."""
    preview_scheduled = c.Type(bool, default=False)
    """Under `mkdocs serve` only: also show drafts and items that are not yet public, marked "Draft" or
    "Scheduled for <date>", under a "Preview" banner. The environment variable PORTAL_PREVIEW=1 turns it
    on too. A build never includes them, except `portal build --preview` (a preview for reviewers)."""
    reminders = c.SubConfig(RemindersConfig)
    """Replace the built-in wording of host reminders (see the authoring guide)."""
    nav_campaigns_limit = c.Type(int, default=25)
    """List each campaign under "Campaigns" in the navigation while there are at most this many;
    beyond that only the index is listed, which keeps large portals fast."""
    home_events = c.Type(int, default=6)
    """How many upcoming events the home page shows."""
    home_testimonials = c.Type(int, default=4)
    """How many of the newest testimonials the home page shows."""
    home_announcements = c.Type(int, default=5)
    """How many of the newest announcements the home page shows."""
    link_tagging = c.Type(bool, default=False)
    """Add utm_source (email or chat), utm_medium=leader, utm_campaign=<campaign id> and
    utm_content=<leader id> to each link to the portal (inside site_url) in leaders' messages and
    reminders, so that the intranet's analytics see which leader's message brought readers.
    Links to other sites are never changed. Default: off."""
    working_days = WorkingDays()
    """The working week, as day names: a reminder for the day before an event is due on the working
    day before it (Friday, for a Monday event). Default: [monday, tuesday, wednesday, thursday, friday]."""
    brand = c.SubConfig(BrandConfig)
    """The company's name, logo and colours (see the publishing guide)."""
    events_per_page = c.Type(int, default=100)
    """How many events a page of the events list shows before it continues on the next page
    (`/events/page/2/`, past events at `/events/past/`): keeps each page quick on a phone."""
    site_feed_items = c.Type(int, default=100)
    """How many of the newest items the site's feed (`/feed.xml`, `/feed.json`) carries: a feed
    reader fetches the whole feed on every poll. Campaign and leader feeds carry all of theirs."""


def site_settings(options: PortalConfig, site_name: str, site_url: str | None) -> SiteSettings:
    """The site-wide settings the core needs, from mkdocs.yml and the plugin's options."""
    reminders = {kind: dict(parts) for kind, parts in DEFAULT_REMINDERS.items()}
    for kind in reminders:
        for part, text in options.reminders[kind].items():
            if text:
                reminders[kind][part] = text
    return SiteSettings(
        site_name=site_name,
        site_url=site_url or None,
        reminders=reminders,
        home_events=options.home_events,
        home_testimonials=options.home_testimonials,
        home_announcements=options.home_announcements,
        nav_campaigns_limit=options.nav_campaigns_limit,
        working_days=frozenset(WEEKDAYS.index(day) for day in options.working_days),
        events_per_page=max(1, options.events_per_page),
        site_feed_items=max(1, options.site_feed_items),
        company=options.brand.company,
        headline=options.brand.headline,
        link_tagging=options.link_tagging,
    )


def brand_problems(options: PortalConfig) -> list[str]:
    """What is wrong in the `brand` options, each as a sentence that says how to fix it."""
    wrong = []
    for name in ("primary", "accent"):
        value = options.brand[name]
        if value is not None and not is_colour(value):
            wrong.append(f"brand: '{name}' must be a colour written #rrggbb (such as #1f3a93), not '{value}'")
    return wrong

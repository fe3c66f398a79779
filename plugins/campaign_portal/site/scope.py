"""What one site build shares: the public data in the orders pages need, the settings, the
caches, the Markdown renderer and the problems found while rendering."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..model import Campaign, Event, Problem
from ..publishing import PublicPortal
from ..rules import schedule, urls
from ..text.markdown import MarkupRenderer
from ..text.templates import RenderBudgets
from .caches import Memo, OutputCache
from .settings import SiteSettings

EventPair = tuple[Campaign, Event]


class Scope:
    def __init__(self, public: PublicPortal, settings: SiteSettings, cache: OutputCache | None = None) -> None:
        self.public = public
        self.settings = settings
        self.cache = cache if cache is not None else OutputCache()
        self.memo = Memo()
        self.markup = MarkupRenderer()
        self.problems: list[Problem] = []
        self._reported: set[Problem] = set()
        self.render_budgets = RenderBudgets()  # message templates' time, per template and build
        self.now = public.now
        self.today = public.today
        self.campaigns = sorted(public.campaigns.values(), key=lambda c: (c.starts, c.id))
        self.leaders = public.leaders
        self.events: list[EventPair] = sorted(
            ((campaign, event) for campaign in self.campaigns for event in campaign.events),
            key=lambda pair: schedule.event_order(*pair),
        )
        self.events_by_campaign: dict[str, list[EventPair]] = defaultdict(list)
        for pair in self.events:
            self.events_by_campaign[pair[0].id].append(pair)

    def report(self, problems: Iterable[Problem]) -> None:
        """Add ``problems`` found while rendering, each once (a template failing for every leader is one problem)."""
        for problem in problems:
            if problem not in self._reported:
                self._reported.add(problem)
                self.problems.append(problem)

    def absolute(self, uri: str) -> str:
        """``uri`` as readers outside the site need it (``uri`` is made from slugs: nothing to resolve)."""
        return urls.absolute(uri, self.settings.site_url)

    def text(self, markdown: str | None) -> str:
        """``MarkupRenderer.text``, worked out once per distinct text (and kept across serve rebuilds)."""
        if not markdown:
            return ""
        return self.cache.get(("text", markdown), self.markup.text, markdown)

    def is_past(self, event: Event) -> bool:
        return schedule.is_past(event, self.now)

    def split_by_time(self, pairs: list[EventPair]) -> tuple[list[EventPair], list[EventPair]]:
        """Events still to come (soonest first) and past ones (latest first)."""
        upcoming = [pair for pair in pairs if not self.is_past(pair[1])]
        past = [pair for pair in reversed(pairs) if self.is_past(pair[1])]
        return upcoming, past

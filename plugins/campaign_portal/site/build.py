"""The whole site: every page and generated file for the public data, assembled from the parts."""

from __future__ import annotations

from ..publishing import PublicPortal
from .caches import OutputCache
from .content import SiteContent
from .files import campaign_files, leader_files, site_files
from .indexes import build_indexes
from .messages import announcements, compile_reminders, drafts, reminders
from .pages import (
    brief_page,
    campaign_page,
    campaigns_page,
    event_page,
    events_pages,
    home_page,
    leader_page,
    leaders_page,
    tag_pages,
)
from .scope import Scope
from .settings import SiteSettings


def build_site(public: PublicPortal, settings: SiteSettings, cache: OutputCache | None = None) -> SiteContent:
    """Every generated page and file for ``public``, with problems found while rendering.

    ``cache`` carries unchanged outputs over from the previous build (``mkdocs serve``).
    """
    scope = Scope(public, settings, cache)
    reminder_templates = compile_reminders(scope)
    announced = announcements(scope)
    reminded = reminders(scope, reminder_templates)
    indexes = build_indexes(scope, announced, reminded)
    content = SiteContent(problems=scope.problems)
    content.files += drafts(announced) + drafts(reminded)
    content.pages += [home_page(scope, indexes), campaigns_page(scope, indexes), *tag_pages(scope, indexes)]
    content.pages += [*events_pages(scope), leaders_page(scope, indexes)]
    for campaign in scope.campaigns:
        content.pages.append(campaign_page(scope, indexes, campaign))
        content.pages.append(brief_page(scope, campaign))
        content.pages += [event_page(scope, campaign, event) for _, event in scope.events_by_campaign[campaign.id]]
        content.files += campaign_files(scope, indexes, campaign)
    for leader in sorted(scope.leaders.values(), key=lambda item: item.id):
        content.pages.append(leader_page(scope, indexes, leader))
        content.files += leader_files(scope, indexes, leader)
    content.files += site_files(scope, indexes)
    content.warnings.extend(scope.markup.warnings)
    if cache is not None:
        cache.next_build()
    return content

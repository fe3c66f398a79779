"""Load campaigns/ into the model, collecting every problem in every file.

Each rule of the spec's "Bad input" section is checked here (``fields``: one value; ``leaders``
and ``campaigns``: one item kind each, following ``schema``), so the MkDocs build and
``portal validate`` report exactly the same problems. Problems are values: the loader never
raises for bad input, it returns what was valid together with a list of ``Problem``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..model import Campaign, Leader, Portal, Problem
from ..rules.slugs import MAX_SLUG_LENGTH, WINDOWS_RESERVED_NAMES, slug_problem
from ..text.markdown import CheckedMarkdown, MarkupRenderer
from .cache import LoadCache, Loaded, LoadKey
from .campaigns import CampaignReader, drop_tag_collisions
from .fields import show
from .leaders import LEADERS_FILE, LeadersReader
from .paths import path_problem, screen_folder_files

__all__ = ["LEADERS_FILE", "LoadCache", "LoadResult", "load_portal", "screen_folder_files"]


@dataclass
class LoadResult:
    portal: Portal
    problems: list[Problem] = field(default_factory=list)
    # The Markdown texts of every file read that were proven clean and not rendered at load
    # (``MarkupRenderer.check``): ``deferred_problems`` renders and checks them after the build.
    deferred: list[CheckedMarkdown] = field(default_factory=list)


def load_portal(
    campaigns_dir: Path,
    *,
    display_root: Path | None = None,
    asset_exists: Callable[[str], bool] | None = None,
    cache: LoadCache | None = None,
) -> LoadResult:
    """Load ``leaders.yml`` and every ``<campaign-id>.yml`` in ``campaigns_dir``.

    ``display_root`` is the folder paths in problems are relative to (the
    project root, so that messages read ``campaigns/x.yml:12: ...``).
    ``asset_exists`` checks that a leader's photo and a campaign's image are files in content/.
    ``cache`` carries unchanged files' results from one load to the next.
    """
    root = display_root if display_root is not None else campaigns_dir.parent

    def display(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    if not campaigns_dir.is_dir():
        return LoadResult(Portal(), [Problem(display(campaigns_dir), 1, "the campaigns folder does not exist; create it")])
    problems: list[Problem] = []
    markup = MarkupRenderer()
    folder = display(campaigns_dir)
    leaders = _load_leaders(campaigns_dir / LEADERS_FILE, display, problems, markup, asset_exists)
    campaigns: dict[str, Campaign] = {}
    previous = cache.entries if cache is not None else {}
    current: dict[LoadKey, Loaded] = {}
    leader_ids = tuple(leaders)
    for path in sorted(campaigns_dir.iterdir()):
        reader = _campaign_file(path, display(path), problems, markup, folder)
        if reader is None:
            continue
        raw = reader.read(path)
        if raw is None:
            continue
        key = LoadCache.key(reader.path, raw, leader_ids)
        loaded = previous.get(key)
        if loaded is None:
            before, deferred_before = len(problems), len(markup.deferred)
            data = reader.parse_bytes(raw)
            campaign = reader.campaign(path.stem, data, leaders) if data is not None else None
            loaded = (campaign, tuple(problems[before:]), tuple(markup.deferred[deferred_before:]))
        else:
            problems.extend(loaded[1])
            markup.deferred.extend(loaded[2])
        current[key] = loaded
        if loaded[0] is not None and not reader.misnamed:
            campaigns[path.stem] = loaded[0]
    if cache is not None:
        cache.entries = current
    campaigns, collisions = drop_tag_collisions(campaigns)
    problems.extend(collisions)
    if asset_exists is not None:
        campaigns = _with_existing_images(campaigns, asset_exists, problems)
    return LoadResult(Portal(leaders=leaders, campaigns=campaigns), sorted(set(problems)), markup.deferred)


def _with_existing_images(
    campaigns: dict[str, Campaign], asset_exists: Callable[[str], bool], problems: list[Problem]
) -> dict[str, Campaign]:
    """Campaigns whose ``image`` is missing from content/ lose it, with a problem at its line.

    Checked on every load, after the carry-over: a file's result stays valid while its bytes do,
    but an image can appear in or vanish from content/ without the campaign file changing."""
    checked = dict(campaigns)
    for campaign_id, campaign in campaigns.items():
        image = campaign.image
        if image is not None and not asset_exists(image.path):
            problems.append(Problem.at(image.source, f"'image' names content/{image.path}, which does not exist"))
            checked[campaign_id] = replace(campaign, image=None)
    return checked


def _load_leaders(
    path: Path,
    display: Callable[[Path], str],
    problems: list[Problem],
    markup: MarkupRenderer,
    asset_exists: Callable[[str], bool] | None,
) -> dict[str, Leader]:
    if not path.is_symlink() and not path.exists():
        problems.append(Problem(display(path), 1, "the registry of leaders is missing; create campaigns/leaders.yml"))
        return {}
    wrong = path_problem(path, path.parent, display(path.parent))
    if wrong is None and not path.is_file():
        wrong = "is a folder; the registry of leaders is a file"
    if wrong is not None:
        problems.append(Problem(display(path), 1, wrong))
        return {}
    reader = LeadersReader(display(path), problems, markup)
    data = reader.parse(path)
    return reader.leaders(data, asset_exists) if data is not None else {}


def _campaign_file(
    path: Path, shown: str, problems: list[Problem], markup: MarkupRenderer, folder: str
) -> CampaignReader | None:
    """A reader for ``path`` when it is a campaign file with a good name; else None (with a problem if it is wrong)."""
    if path.name == LEADERS_FILE or path.name.startswith("."):
        return None
    # Resolved first: nothing outside campaigns/ is read, and nothing odd in it goes unmentioned.
    wrong = path_problem(path, path.parent, folder)
    if wrong is None and path.is_dir():
        wrong = (
            f"is a folder, not a campaign file; campaign files are plain files directly in {folder}/"
            if path.suffix.lower() in (".yml", ".yaml")
            else f"is a sub-folder, which is not read; put campaign files directly in {folder}/"
        )
    if wrong is not None:
        problems.append(Problem(shown, 1, wrong))
        return None
    if path.suffix in (".yaml", ".YML", ".YAML") and path.is_file():
        problems.append(Problem(shown, 1, f"campaign files end in .yml; rename it to {path.stem}.yml"))
        return None
    if path.suffix != ".yml" or not path.is_file():
        return None
    campaign_id = path.stem
    if slug_problem(campaign_id) is not None:
        if campaign_id in WINDOWS_RESERVED_NAMES:
            wrong = f"is a name Windows reserves ({campaign_id.upper()}); rename the file"
        else:
            wrong = f"must be a campaign id: lowercase letters, digits and single hyphens, at most {MAX_SLUG_LENGTH} characters"
        problems.append(Problem(shown, 1, f"the file name '{show(path.name)}' {wrong}"))
        # Still read and checked, so the next run does not find more, but never published.
        return CampaignReader(shown, problems, markup, misnamed=True)
    return CampaignReader(shown, problems, markup)

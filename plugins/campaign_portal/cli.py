"""The ``portal`` command: validate campaigns, start a new one, build the site safely.

``portal validate`` runs the same checks as the build (the loader's, then rendering every
message and reminder, scheduled ones included) without building a site, so it is fast
enough for a pre-commit hook and gives pull requests their annotations.
``portal new campaign <id>`` writes a commented starter file that validates as it is.
``portal schema campaign|leaders`` prints the JSON Schema editors use while an author types.
``portal build`` builds into a temporary folder beside the target and swaps it in only
when the build succeeded: a failed build never leaves a half-written or empty site;
``portal build --preview`` builds the reviewers' preview, drafts and scheduled items shown.
``portal due --since <moment>`` and ``portal next`` tell CI whether the site changed by
itself since the last deploy, and when it next will (``rules.schedule.site_changes``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .engine import EngineError, engine_logger, use_engine
from .load import LEADERS_FILE, load_portal
from .load.json_schema import SCHEMA_NAMES, schema_text
from .model import Problem
from .pipeline import build_portal
from .publishing import PREVIEW_VARIABLE, NowError, parse_moment, preview_requested, read_now
from .rules.schedule import SiteChange, changes_due, next_changes, site_changes
from .rules.slugs import MAX_SLUG_LENGTH, is_slug, slugify
from .site import SiteSettings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .plugin import CampaignPortalPlugin

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
DEFAULT_CAMPAIGNS_DIR = "campaigns"
STARTER_NAME = "campaign.yml"
# A new campaign starts four weeks out and is published a week before it starts, so that a
# starter merged before it is finished stays hidden for three weeks while real dates are picked.
STARTER_LEAD_DAYS = 28
STARTER_PUBLISH_DAYS_BEFORE = 7


class CommandError(Exception):
    """Something stops the command before it can do its work (no mkdocs.yml, a bad option)."""


@dataclass(frozen=True)
class Project:
    """A portal project: mkdocs.yml loaded as MkDocs loads it, and the portal's settings in it."""

    root: Path
    config: MkDocsConfig
    plugin: CampaignPortalPlugin | None

    @property
    def campaigns_dir(self) -> str:
        return self.plugin.config.campaigns_dir if self.plugin is not None else DEFAULT_CAMPAIGNS_DIR

    @property
    def campaigns_path(self) -> Path:
        return self.root / self.campaigns_dir

    def settings(self) -> SiteSettings:
        if self.plugin is not None:
            # The plugin's own reading of its options (reminder wording and all), so both agree.
            return self.plugin.site_settings(self.config)
        return SiteSettings(site_name=self.config.site_name, site_url=self.config.site_url or None)


# -- the command line ------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal",
        description="Validate learning campaigns, start a new one, and build the portal safely.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check every campaign file, as the build does, without building the site",
        description="Check leaders.yml and every campaign file as the build does, and render every "
        "message and reminder (scheduled ones too), without building the site.",
    )
    _add_project_option(validate)
    validate.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="'text' (default): file:line: message; 'github': GitHub Actions error annotations",
    )

    new = commands.add_parser("new", help="start a new campaign from a commented starter file")
    new.add_argument("kind", choices=("campaign",), help="what to create")
    new.add_argument("id", help="the campaign id: lowercase letters, digits and single hyphens; also its file name")
    _add_project_option(new)

    build = commands.add_parser(
        "build",
        help="build the site into a temporary folder and swap it in only if the build succeeds",
        description="Build the site. The build goes to a temporary folder beside the site folder, "
        "which replaces the site folder only when the build succeeded.",
    )
    _add_project_option(build)
    build.add_argument(
        "--site-dir",
        metavar="DIR",
        help="where the site goes, relative to the working folder (default: site_dir in mkdocs.yml, normally site/)",
    )
    build.add_argument("--strict", action="store_true", help="fail on any warning, as `mkdocs build --strict` does")
    build.add_argument(
        "--preview",
        action="store_true",
        help="build a preview for reviewers: drafts and scheduled items shown and marked, a banner on every page; "
        f"goes to <site_dir>-preview/ (normally site-preview/) unless --site-dir is given. {PREVIEW_VARIABLE}=1 "
        "does the same. Never deploy it.",
    )
    _add_schedule_commands(commands)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a campaign file or of leaders.yml, for editors",
        description="Print the JSON Schema (draft 2020-12) of a campaign file or of leaders.yml, made from "
        "the loader's own field tables. Editors use it for completion, hover help and misspelt keys; "
        "save it as schemas/campaign.schema.json and schemas/leaders.schema.json (see the authoring guide).",
    )
    schema.add_argument("name", choices=SCHEMA_NAMES, help="which schema: campaign or leaders")
    return parser


def _add_project_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", default=".", metavar="DIR", help="the folder holding mkdocs.yml (default: .)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``portal`` with ``argv`` (default: the command line); returns the exit status."""
    arguments = build_parser().parse_args(argv)
    try:
        try:
            use_engine()
        except EngineError as error:
            raise CommandError(str(error)) from None
        if arguments.command == "validate":
            return validate(Path(arguments.project), output_format=arguments.format)
        if arguments.command == "new":
            return new_campaign(Path(arguments.project), arguments.id)
        if arguments.command == "schema":
            sys.stdout.write(schema_text(arguments.name))
            return 0
        if arguments.command in SCHEDULE_COMMANDS:
            return run_schedule_command(arguments)
        return build(
            Path(arguments.project),
            site_dir=arguments.site_dir,
            strict=arguments.strict,
            preview=arguments.preview or preview_requested(),
        )
    except CommandError as error:
        print(f"portal: error: {error}", file=sys.stderr)
        # For due and next, 1 is an answer ("nothing due", "nothing scheduled"): an error is 2.
        return 2 if arguments.command in SCHEDULE_COMMANDS else 1


# -- loading the project -----------------------------------------------------------------------


def find_config(project: Path) -> Path:
    """The project's mkdocs.yml (or mkdocs.yaml), or a CommandError saying what is wrong."""
    for name in CONFIG_NAMES:
        if (project / name).is_file():
            return project / name
    if not project.is_dir():
        raise CommandError(f"the project folder {project} does not exist")
    raise CommandError(f"no mkdocs.yml in {_display(project)}; run portal in the portal's folder or pass --project DIR")


def load_project(project: Path, *, site_dir: str | None = None, strict: bool | None = None) -> Project:
    """mkdocs.yml read by MkDocs itself, so that every option means what it means to the build."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .plugin import CampaignPortalPlugin

    config_file = find_config(project)
    try:
        with _mkdocs_log_to(sys.stderr):
            # MkDocs ignores an override that is None, keeping mkdocs.yml's value.
            config = load_config(config_file=str(config_file), site_dir=site_dir, strict=strict)
    except MkDocsException as error:
        raise CommandError(f"{_display(config_file)}: {error.format_message()}") from None
    plugins = [plugin for plugin in config.plugins.values() if isinstance(plugin, CampaignPortalPlugin)]
    return Project(root=config_file.parent, config=config, plugin=plugins[0] if plugins else None)


@contextmanager
def _mkdocs_log_to(stream: TextIO) -> Iterator[None]:
    """Show MkDocs' warnings and errors as `mkdocs build` does, for the duration of a command."""
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = engine_logger()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _display(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it, as people typed it."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return absolute.as_posix()


# -- portal validate ---------------------------------------------------------------------------


def check_project(project: Project) -> tuple[list[Problem], str]:
    """Every problem the build would report about the campaigns, and a summary of what was checked.

    The loader's checks, then every message and reminder rendered with scheduled items
    included, so that a problem in an embargoed item is found now and not when a
    scheduled build publishes it.
    """
    from mkdocs.structure.files import get_files

    try:
        now = read_now()
    except NowError as error:
        raise CommandError(str(error)) from None
    from .plugin.events import screen_content

    docs = get_files(project.config)
    content_problems = screen_content(docs, project.config)
    built = build_portal(
        project.campaigns_path,
        project.settings(),
        now=now,
        preview=True,
        display_root=project.root,
        asset_exists=lambda path: docs.get_file_from_path(path) is not None,
    )
    problems = set(built.problems) | set(content_problems)
    portal = built.loaded.portal
    summary = (
        f"{_count(len(portal.campaigns), 'campaign')} and {_count(len(portal.leaders), 'leader')} "
        f"in {project.campaigns_dir}/, no problems found"
    )
    return sorted(problems), summary


def validate(project_dir: Path, *, output_format: str = "text") -> int:
    """``portal validate``: print each problem (as text or GitHub annotations); 1 if any, else 0."""
    project = load_project(project_dir)
    problems, summary = check_project(project)
    for problem in problems:
        print(_github_annotation(problem, project.root) if output_format == "github" else str(problem))
    if problems:
        print(f"{_count(len(problems), 'problem')} found; fix them and run portal validate again.")
        return 1
    print(f"OK: {summary}.")
    return 0


def _github_annotation(problem: Problem, root: Path) -> str:
    """A GitHub Actions workflow command that puts ``problem`` on the file's line in a pull request."""
    path = root / problem.path
    if not problem.path or not path.is_file():
        # Not about a file (reminder wording in mkdocs.yml options, for example): the whole text.
        return f"::error::{_escape_github(str(problem), data=True)}"
    # Annotations name files relative to the repository, which is the working folder in CI.
    file = _escape_github(_display(path), data=False)
    return f"::error file={file},line={problem.line}::{_escape_github(problem.message, data=True)}"


def _escape_github(text: str, *, data: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text if data else text.replace(":", "%3A").replace(",", "%2C")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# -- portal new campaign -------------------------------------------------------------------------


def starter_text() -> str:
    """The commented starter campaign shipped with the package, with its placeholders."""
    return (package_files("campaign_portal") / "starter" / STARTER_NAME).read_text(encoding="utf-8")


def render_starter(campaign_id: str, *, sponsor: str | None, today: dt.date) -> str:
    """The starter file for ``campaign_id``: dates from ``today``, ``sponsor`` as a placeholder sponsor."""
    starts = today + dt.timedelta(days=STARTER_LEAD_DAYS)
    publish = starts - dt.timedelta(days=STARTER_PUBLISH_DAYS_BEFORE)
    # A sponsor only when there is a leader to name: an unknown id would not validate.
    sponsors = f"sponsors: [{sponsor}]" if sponsor else "# sponsors: [leader-id]"
    return Template(starter_text()).substitute(
        id=campaign_id,
        title=json.dumps(campaign_id.replace("-", " ").capitalize()),
        starts=starts.isoformat(),
        publish=f"{publish.isoformat()}T09:00:00+00:00",
        sponsors=sponsors,
        leaders_file=LEADERS_FILE,
    )


def new_campaign(project_dir: Path, campaign_id: str) -> int:
    """``portal new campaign <id>``: write the starter as ``<campaigns_dir>/<id>.yml``, never over a file."""
    if campaign_id == Path(LEADERS_FILE).stem:
        raise CommandError(f"'{campaign_id}' cannot be a campaign id: {LEADERS_FILE} is the registry of leaders")
    if not is_slug(campaign_id):
        suggestion = slugify(campaign_id)
        hint = f", for example '{suggestion}'" if suggestion and suggestion != campaign_id else ""
        raise CommandError(
            f"'{campaign_id}' is not a campaign id: use lowercase letters, digits and single hyphens, "
            f"at most {MAX_SLUG_LENGTH} characters{hint}"
        )
    project = load_project(project_dir)
    target = project.campaigns_path / f"{campaign_id}.yml"
    if target.exists():
        raise CommandError(f"{_display(target)} already exists; pick another id or edit that file")
    leaders = load_portal(project.campaigns_path).portal.leaders if project.campaigns_path.is_dir() else {}
    try:
        today = read_now().date()
    except NowError as error:
        raise CommandError(str(error)) from None
    # Leaders come sorted by id: the placeholder sponsor is the first of them.
    text = render_starter(campaign_id, sponsor=next(iter(leaders), None), today=today)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as file:
        file.write(text)
    print(f"Created {_display(target)}: fill in the placeholders, then run portal validate.")
    return 0


# -- portal due / portal next ------------------------------------------------------------------

SCHEDULE_COMMANDS = ("due", "next")


def _add_schedule_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    due = commands.add_parser(
        "due",
        help="exit 0 if the site changed by itself since a moment (something went public or fell due), else 1",
        description="List what made the site change by itself after MOMENT and up to now (an item's publish "
        "moment, a message's send window, a reminder falling due, a campaign starting or ending, an event "
        "ending). Exit status 0 if anything did: rebuild; 1 if nothing did; 2 on an error.",
    )
    due.add_argument(
        "--since",
        required=True,
        metavar="MOMENT",
        help="the moment of the last build, an ISO date-time with an offset such as 2027-01-15T10:00:00Z",
    )
    _add_project_option(due)
    upcoming = commands.add_parser(
        "next",
        help="print the next moment at which the site changes by itself, and what changes",
        description="Print the next moment after now at which the site changes by itself, one line per "
        "change (the moment in UTC, then what changes). Exit status 1 if nothing is scheduled.",
    )
    _add_project_option(upcoming)


def run_schedule_command(arguments: argparse.Namespace) -> int:
    """``portal due`` or ``portal next``, with "now" from ``PORTAL_NOW`` or the clock."""
    try:
        now = read_now()
        since = parse_moment(arguments.since, "--since") if arguments.command == "due" else None
    except NowError as error:
        raise CommandError(str(error)) from None
    changes = load_site_changes(Path(arguments.project))
    if since is not None:
        return due(changes, since=since, now=now)
    return next_change(changes, now=now)


def load_site_changes(project_dir: Path) -> list[SiteChange]:
    """The project's site changes; with problems in the campaigns, a CommandError (the build would fail)."""
    project = load_project(project_dir)
    loaded = load_portal(project.campaigns_path)
    if loaded.problems:
        for problem in sorted(loaded.problems):
            print(problem, file=sys.stderr)
        raise CommandError(
            f"{_count(len(loaded.problems), 'problem')} in {project.campaigns_dir}/; run portal validate"
        )
    return site_changes(loaded.portal, project.settings().working_days)


def due(changes: list[SiteChange], *, since: dt.datetime, now: dt.datetime) -> int:
    """``portal due``: print each change after ``since`` up to ``now``; 0 if there is one, else 1."""
    fell_due = changes_due(changes, since, now)
    for change in fell_due:
        print(f"{_iso_utc(change.moment)}  {change.what}")
    if not fell_due:
        print(f"Nothing fell due after {_iso_utc(since)} up to {_iso_utc(now)}.")
        return 1
    return 0


def next_change(changes: list[SiteChange], *, now: dt.datetime) -> int:
    """``portal next``: the changes at the first moment after ``now``; 1 when there is none."""
    coming = next_changes(changes, now)
    for change in coming:
        print(f"{_iso_utc(change.moment)}  {change.what}")
    if not coming:
        print(f"Nothing is scheduled after {_iso_utc(now)}.", file=sys.stderr)
        return 1
    return 0


def _iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- portal build ------------------------------------------------------------------------------------


def build(project_dir: Path, *, site_dir: str | None = None, strict: bool = False, preview: bool = False) -> int:
    """Build into a fresh folder beside the site folder; replace the site folder only on success.

    With ``preview``, the build shows drafts and scheduled items, marked, under a banner on every
    page, and goes to ``<site_dir>-preview`` unless ``site_dir`` is given, so that it never
    replaces the site that is deployed.
    """
    # MkDocs validates the real site folder (not inside docs_dir, and so on) before anything is built.
    site_path = str(Path(site_dir).absolute()) if site_dir else None
    project = load_project(project_dir, site_dir=site_path, strict=True if strict else None)
    config = project.config
    if preview:
        if project.plugin is None:
            raise CommandError("--preview needs the campaign-portal plugin in mkdocs.yml")
        if site_dir is None:
            config["site_dir"] = str(Path(config.site_dir).with_name(Path(config.site_dir).name + "-preview"))
    target = Path(config.site_dir)
    _check_site_dir(target, project)
    shown = _display(target) + "/"
    target.parent.mkdir(parents=True, exist_ok=True)
    with _building_lock(target, shown):
        return _build_and_swap(config, target, shown, preview_of=project.plugin if preview else None)


def _build_and_swap(
    config: MkDocsConfig, target: Path, shown: str, *, preview_of: CampaignPortalPlugin | None = None
) -> int:
    """Build into a staging folder and swap it in; ``preview_of``: the plugin to make this build a preview."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    _remove_leftovers(target)
    existed = target.exists()
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        config["site_dir"] = str(staging)
        with _mkdocs_log_to(sys.stderr):
            if preview_of is not None:
                preview_of.request_preview_build()  # used up by this start-up, this build only
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config)
            finally:
                config.plugins.on_shutdown()
        staging.chmod(_folder_mode(target))
        _swap_in(staging, target)
    except (MkDocsException, OSError) as error:
        reason = error.format_message() if isinstance(error, MkDocsException) else str(error)
        print(f"portal: the build failed: {reason}", file=sys.stderr)
        print(f"{shown} was left as it was." if existed else f"{shown} was not created.", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    count = sum(1 for path in target.rglob("*") if path.is_file())
    what = "a preview (drafts and scheduled items shown; do not deploy it)" if preview_of else "the site"
    print(f"Built {what} in {shown} ({_count(count, 'file')}).")
    return 0


LEFTOVER_KINDS = ("building", "previous")


@contextmanager
def _building_lock(target: Path, shown: str) -> Iterator[None]:
    """One ``portal build`` into ``target`` at a time, so that what another build left is known to be stale.

    A lock file beside the site folder (``.<site>.lock``), held for the build and removed after
    it; the system releases the lock when the process ends, however it ends.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, and leftovers are still cleaned up
        yield
        return
    lock = target.parent / f".{target.name}.lock"
    with open(lock, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommandError(f"another portal build is writing {shown} now; wait for it to finish") from None
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)  # removed while still held: nothing is left beside the site
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(target: Path) -> None:
    """Remove the staging and retired folders of builds that were killed (``.<site>.building-*``, ``.<site>.previous-*``).

    A build killed between its two renames left no site folder, only the retired one: that is
    put back first, so the site is never lost.
    """
    if not target.exists():
        retired = sorted(target.parent.glob(f".{target.name}.previous-*/{target.name}"), key=lambda p: p.stat().st_mtime)
        if retired:
            retired[-1].rename(target)
    removed = 0
    for kind in LEFTOVER_KINDS:
        for leftover in sorted(target.parent.glob(f".{target.name}.{kind}-*")):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
                removed += not leftover.exists()
    if removed:
        print(f"Removed {_count(removed, 'folder')} left by an interrupted build.", file=sys.stderr)


def _check_site_dir(target: Path, project: Project) -> None:
    """Refuse a site folder that the swap would take away with the project's own files."""
    resolved = target.resolve()
    for kept in (project.root, Path(project.config.docs_dir), project.campaigns_path):
        kept = kept.resolve()
        if resolved == kept or resolved in kept.parents:
            relation = "is" if resolved == kept else "holds"
            raise CommandError(
                f"refusing to build into {_display(target)}: it {relation} {_display(kept)}, which the new site "
                "would replace; choose another --site-dir"
            )
    if target.exists() and not target.is_dir():
        raise CommandError(f"{_display(target)} is not a folder; choose another --site-dir")


def _folder_mode(target: Path) -> int:
    """The existing site folder's permissions, else those of a new folder (mkdtemp's are private)."""
    if target.is_dir():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging``: two renames on the same file system, undone if the second fails."""
    if not target.exists():
        staging.rename(target)
        return
    retired_root = Path(tempfile.mkdtemp(prefix=f".{target.name}.previous-", dir=target.parent))
    retired = retired_root / target.name
    try:
        target.rename(retired)
    except OSError:
        retired_root.rmdir()
        raise
    try:
        staging.rename(target)
    except OSError:
        retired.rename(target)
        retired_root.rmdir()
        raise
    shutil.rmtree(retired_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

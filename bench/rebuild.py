"""Serve rebuilds, measured: ``python -m bench.rebuild PROJECT [--rebuilds 3] [--dirty] [--cprofile FILE]``.

Does what ``mkdocs serve`` does (the same plugin instances, a fresh config per
build, ``serve_url`` set), edits one campaign file before each rebuild, and
times each build and the portal plugin's own share of it: its event handlers
(on_config, on_files, on_nav, and every on_page_markdown and on_page_content)
and, inside on_files, loading and validating (``load_portal``), the embargo
(``select_public``) and generating the pages, feeds, calendars and drafts
(``build_site``).

The timers wrap the plugin's methods from outside, in this process only, so
normal builds carry no instrumentation at all. They count CPU time (the build
runs in one thread), which a busy machine disturbs far less than wall time;
each build's wall time is reported too. Prints one JSON object.

``--dirty`` builds as ``mkdocs serve --dirty`` does (what ``make serve`` runs: only what an edit
changed is written); ``--cprofile FILE`` writes a cProfile of the last rebuild to FILE.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import logging
import os
import resource
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .generate import BENCH_NOW_TEXT

PLUGIN_EVENTS = ("on_config", "on_files", "on_nav", "on_page_markdown", "on_page_content")
CORE_STEPS = ("load_portal", "select_public", "build_site")
SERVE_URL = "http://127.0.0.1:8000/"


class Timers:
    """CPU seconds spent in each wrapped callable during the current build."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)  # keeps mkdocs_priority from @event_priority
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.process_time() - start

        return timed

    def take(self) -> dict[str, float]:
        taken = dict(self.seconds)
        self.seconds.clear()
        return taken


def install_timers(timers: Timers) -> None:
    """Wrap the plugin's event methods and the core steps it calls; before any config is loaded."""
    from campaign_portal import pipeline, plugin

    for event in PLUGIN_EVENTS:
        setattr(plugin.CampaignPortalPlugin, event, timers.wrap(event, getattr(plugin.CampaignPortalPlugin, event)))
    # The plugin runs the core through pipeline.build_portal, which calls each step by its name there.
    for step in CORE_STEPS:
        setattr(pipeline, step, timers.wrap(step, getattr(pipeline, step)))


def edit_campaign(path: Path, number: int) -> None:
    """What an author does: change a campaign's title and its summary's first line."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("title: "):
            title = line[len("title: ") :].rstrip("\n").split(" [edit ")[0].strip("'\"")
            lines[index] = f"title: {json.dumps(f'{title} [edit {number}]', ensure_ascii=False)}\n"
            break
    else:
        raise ValueError(f"{path} has no top-level title to edit")
    path.write_text("".join(lines), encoding="utf-8")


def current_rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def measure(project: Path, rebuilds: int, dirty: bool = False, cprofile: Path | None = None) -> dict[str, Any]:
    os.environ.setdefault("PORTAL_NOW", BENCH_NOW_TEXT)
    timers = Timers()
    install_timers(timers)

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    site_dir = project / "site-serve"

    def get_config() -> Any:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))
        config.site_url = SERVE_URL
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=dirty)
    campaign_files = sorted(path for path in (project / "campaigns").glob("*.yml") if path.name != "leaders.yml")
    edited = campaign_files[len(campaign_files) // 2]
    builds: list[dict[str, Any]] = []
    try:
        for number in range(rebuilds + 1):
            if number:
                edit_campaign(edited, number)
                config = get_config()
            profile = cProfile.Profile() if cprofile is not None and number == rebuilds and number else None
            start = time.perf_counter()
            cpu = time.process_time()
            if profile is not None:
                profile.enable()
            build(config, serve_url=SERVE_URL, dirty=dirty)
            if profile is not None and cprofile is not None:
                profile.disable()
                profile.dump_stats(cprofile)
            wall = time.perf_counter() - start
            cpu = time.process_time() - cpu
            seconds = timers.take()
            plugin_total = sum(seconds.get(event, 0.0) for event in PLUGIN_EVENTS)
            core_total = sum(seconds.get(step, 0.0) for step in CORE_STEPS)
            builds.append(
                {
                    "kind": "rebuild" if number else "first build",
                    "profiled": profile is not None,
                    "wall_s": wall,
                    "cpu_s": cpu,
                    "plugin_s": plugin_total,
                    "plugin_share": plugin_total / cpu,
                    "core_s": core_total,
                    "core_share": core_total / cpu,
                    "steps_s": seconds,
                    "rss_mb": current_rss_mb(),
                    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
                }
            )
    finally:
        config.plugins.on_shutdown()
    return {"project": str(project), "edited": edited.name, "dirty": dirty, "builds": builds}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time mkdocs-serve-style rebuilds after editing one campaign file.")
    parser.add_argument("project", type=Path, help="a project folder with mkdocs.yml and campaigns/")
    parser.add_argument("--rebuilds", type=int, default=3)
    parser.add_argument("--dirty", action="store_true", help="build as mkdocs serve --dirty does")
    parser.add_argument("--cprofile", type=Path, help="write a cProfile of the last rebuild to this file")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.project.resolve(), args.rebuilds, args.dirty, args.cprofile)))


if __name__ == "__main__":
    main()

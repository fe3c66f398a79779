"""Where one full ``mkdocs build`` spends its CPU: ``python -m bench.split PROJECT [--cprofile FILE]``.

Runs one build in this process, as ``mkdocs build --strict`` does, with CPU timers
around every plugin's event methods (found through MkDocs' own ``PluginCollection``,
so nothing here depends on any plugin's module names) and around MkDocs' own steps
(reading files, Markdown, theme rendering, writing pages and other files). Each
timer counts exclusive time: a plugin event called inside ``_build_page`` is taken
out of ``_build_page``'s figure. Writing files MkDocs copies (``File.copy_file``) is
split by the file's extension, since the portal's feeds, calendars and drafts are
written there, outside any plugin event.

``--cprofile FILE`` runs the same build under cProfile, writes the stats to FILE and
prints the top functions; the event split of a profiled run is inflated by the
profiler, so take shares from a run without it. Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import logging
import os
import pstats
import resource
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .generate import BENCH_NOW_TEXT

# MkDocs' own steps in mkdocs.commands.build, looked up by name at call time, so wrapping works.
BUILD_STEPS = {
    "get_files": "mkdocs: find files",
    "get_navigation": "mkdocs: navigation",
    "_populate_page": "mkdocs: read pages",
    "_build_page": "mkdocs: render pages (theme templates)",
    "_build_theme_template": "mkdocs: theme templates (404, sitemap)",
}


class Split:
    """Exclusive CPU seconds per label: a nested timed call is subtracted from its caller."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.by_page_kind: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self._stack: list[float] = []  # time taken by timed children of each open call

    def timed(self, label: str | Callable[..., str], function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)  # keeps mkdocs_priority and the like
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            name = label(*args, **kwargs) if callable(label) else label
            page = kwargs.get("page", args[0] if args and hasattr(args[0], "file") else None)
            start = time.process_time()
            self._stack.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.process_time() - start
                children = self._stack.pop()
                self.seconds[name] += elapsed - children
                self.calls[name] += 1
                if page is not None and hasattr(page, "url"):
                    self.by_page_kind[name][page_kind(page.url)] += elapsed - children
                if self._stack:
                    self._stack[-1] += elapsed

        return wrapper


def page_kind(url: str) -> str:
    """A page's kind from its URL: ids (odd segments, or any with a digit) become ``*``."""
    parts = [part for part in url.split("/") if part]
    if not parts:
        return "(home)"
    kept = ["*" if index % 2 or any(char.isdigit() for char in part) else part for index, part in enumerate(parts)]
    return "/".join(kept) + "/"


def _file_label(file: Any, *args: Any, **kwargs: Any) -> str:
    extension = os.path.splitext(file.dest_uri)[1] or "(none)"
    return f"mkdocs: write other files ({extension})"


def instrument(config: Any, split: Split) -> None:
    """Wrap every registered plugin event of ``config`` (by the name it has in the config) and MkDocs' steps."""
    import mkdocs.utils
    from mkdocs.commands import build as build_module
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    owners = {id(plugin): name for name, plugin in config.plugins.items()}
    for event, methods in config.plugins.events.items():
        for index, method in enumerate(methods):
            owner = owners.get(id(getattr(method, "__self__", None)), "?")
            methods[index] = split.timed(f"plugin {owner}: {event}", method)
    for name, label in BUILD_STEPS.items():
        setattr(build_module, name, split.timed(label, getattr(build_module, name)))
    Page.render = split.timed("mkdocs: Markdown to HTML", Page.render)  # type: ignore[method-assign]
    Page.validate_anchor_links = split.timed("mkdocs: check anchors", Page.validate_anchor_links)  # type: ignore[method-assign]
    File.copy_file = split.timed(_file_label, File.copy_file)  # type: ignore[method-assign]
    mkdocs.utils.write_file = split.timed("mkdocs: write pages", mkdocs.utils.write_file)
    mkdocs.utils.clean_directory = split.timed("mkdocs: clean site dir", mkdocs.utils.clean_directory)


def run(project: Path, cprofile: Path | None, top: int) -> dict[str, Any]:
    os.environ.setdefault("PORTAL_NOW", BENCH_NOW_TEXT)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.setLevel(logging.WARNING)
    # The build adds its own warning counter to this logger, which silences Python's last-resort
    # output: without a handler of our own, a strict build that stops would not say why.
    mkdocs_log.addHandler(logging.StreamHandler())
    split = Split()
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site-split"), strict=True)
    load_s = time.process_time() - start_cpu
    instrument(config, split)
    config.plugins.on_startup(command="build", dirty=False)
    profiler = cProfile.Profile() if cprofile else None
    build_cpu = time.process_time()
    if profiler:
        profiler.enable()
    try:
        build(config)
    except Abort as error:
        # A strict build stops at its first warnings; a split of half a build would mislead.
        raise SystemExit(f"bench.split: the build of {project} stopped: {error.message} (its warnings are above)") from None
    finally:
        if profiler:
            profiler.disable()
    config.plugins.on_shutdown()
    build_s = time.process_time() - build_cpu
    total = time.process_time() - start_cpu
    seconds = dict(split.seconds)
    seconds["mkdocs: load config (plugins, theme)"] = load_s
    seconds["(not in any timer: the rest of mkdocs.build)"] = build_s - sum(split.seconds.values())
    result: dict[str, Any] = {
        "project": str(project),
        "cpu_s": total,
        "wall_s": time.perf_counter() - start_wall,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
        "profiled": bool(profiler),
        "seconds": seconds,
        "calls": dict(split.calls),
        "by_page_kind": {name: dict(kinds) for name, kinds in split.by_page_kind.items()},
    }
    report(result)
    if profiler and cprofile:
        cprofile.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(cprofile))
        for order in ("tottime", "cumulative"):
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(order).print_stats(top)
            print(f"\n== cProfile: top {top} by {order} ==")
            print(text.getvalue().split("\n", 6)[-1] if order == "tottime" else text.getvalue())
    return result


def groups(seconds: dict[str, float]) -> dict[str, float]:
    """Totals per owner: each plugin, MkDocs' writing of other files, the rest of MkDocs."""
    totals: dict[str, float] = defaultdict(float)
    for label, value in seconds.items():
        if label.startswith("plugin "):
            totals[label.split(":")[0]] += value
        elif label.startswith("mkdocs: write other files"):
            totals["mkdocs: write other files (all)"] += value
        else:
            totals["mkdocs and the theme (the rest)"] += value
    return dict(totals)


def report(result: dict[str, Any]) -> None:
    total = result["cpu_s"]
    seconds: dict[str, float] = result["seconds"]
    calls: dict[str, int] = result["calls"]
    print(
        f"one build of {result['project']}: {total:.2f} s CPU, {result['wall_s']:.2f} s wall, "
        f"peak RSS {result['peak_rss_mb']:.0f} MB{' (under cProfile: inflated)' if result['profiled'] else ''}"
    )
    print(f"{'where (exclusive CPU time)':<58} {'s':>8} {'share':>6} {'calls':>7}")
    for label, value in sorted(seconds.items(), key=lambda item: -item[1]):
        if value >= 0.005 or label in calls:
            print(f"{label:<58} {value:>8.2f} {100 * value / total:>5.1f}% {calls.get(label, ''):>7}")
    kinds: dict[str, dict[str, float]] = result["by_page_kind"]
    print(f"\n{'by page kind (largest page events)':<58} {'s':>8} {'share':>6}")
    for label, per_kind in sorted(kinds.items(), key=lambda item: -sum(item[1].values()))[:4]:
        for kind, value in sorted(per_kind.items(), key=lambda item: -item[1])[:6]:
            print(f"{label + ' ' + kind:<58} {value:>8.2f} {100 * value / total:>5.1f}%")
    print(f"\n{'by owner':<58} {'s':>8} {'share':>6}")
    for label, value in sorted(groups(seconds).items(), key=lambda item: -item[1]):
        print(f"{label:<58} {value:>8.2f} {100 * value / total:>5.1f}%")
    print(json.dumps(result))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Split one full mkdocs build's CPU time by plugin event and step.")
    parser.add_argument("project", type=Path, help="a folder with mkdocs.yml")
    parser.add_argument("--cprofile", type=Path, help="run under cProfile and write the stats here")
    parser.add_argument("--top", type=int, default=40, help="functions to print from the profile (default 40)")
    args = parser.parse_args(argv)
    run(args.project.resolve(), args.cprofile, args.top)


if __name__ == "__main__":
    main()

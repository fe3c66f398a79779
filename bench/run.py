"""The portal's build against an honest yardstick, side by side: ``python -m bench.run``.

For each size it generates a campaign data set (``bench.generate``, by default the
fixed shape of issue 12: 4 events, 2 messages sent by 2 leaders and 2 testimonials a
campaign, half as many leaders as campaigns) and the yardstick: plain MkDocs +
Material building as many ordinary documentation pages of a fixed size (3 kB of
Markdown each, ``bench.baseline.prepare_plain``), out of the navigation. It runs
``mkdocs build --strict`` on each in turn (portal, plain, portal, plain, ...), in a
fresh interpreter every time, with ``PORTAL_NOW`` fixed, and prints the medians, the
ratio, the cost per page and the peak resident memory of each build (from ``wait4``),
and how the cost scales from N to 4N campaigns.

``--split`` adds one in-process build of each project with timers around every
plugin event (``bench.split``): the plugin's own share of a full build, by MkDocs
event. ``--same-size`` adds the old, secondary comparison: plain pages as large as the
portal's average page, a yardstick that grows with the portal (labelled as such).
The serve latency is measured by ``bench.serve_latency``.

    python -m bench.run                               # 600 campaigns (and 150 for scaling), 3 runs each
    python -m bench.run --quick                       # a smoke run: 40 and 160 campaigns, one run each
    python -m bench.run --campaigns 600 --scale-from 150 --runs 3 --split --json bench/out/results.json

Goals (issue 12): portal / plain <= 1.3 for 600 campaigns; 4x the data at most 4.2x the
time and 4x the peak memory; the plugin's own work at most 15% of a full build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .baseline import PLAIN_PAGE_BYTES, PROJECT_ROOT, prepare_baseline, prepare_plain
from .generate import BENCH_NOW_TEXT, ISSUE_12, SHAPES, Shape, generate

GOAL_RATIO = 1.3
GOAL_SCALING = 4.2
GOAL_MEMORY = 4.0
GOAL_PLUGIN_SHARE = 0.15
_ARTICLE_START = b'<article class="md-content__inner md-typeset">'
PORTAL_PLUGIN = "campaign-portal"


@dataclass
class BuildRun:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    user_s: float = 0.0
    system_s: float = 0.0
    page_faults: int = 0  # minor faults: pages of memory touched for the first time


@dataclass
class Project:
    kind: str  # "portal" | "plain" | "same-size"
    root: Path
    pages: int = 0
    article_bytes: int = 0
    site_bytes: int = 0
    files: int = 0
    runs: list[BuildRun] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(run.wall_s for run in self.runs)

    @property
    def median_cpu_s(self) -> float:
        return statistics.median(run.cpu_s for run in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        return statistics.median(run.peak_rss_mb for run in self.runs)

    @property
    def median_user_s(self) -> float:
        return statistics.median(run.user_s for run in self.runs)

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "pages": self.pages,
            "files": self.files,
            "article_bytes": self.article_bytes,
            "site_mb": round(self.site_bytes / 1e6, 1),
            "median_s": round(self.median_s, 3),
            "median_cpu_s": round(self.median_cpu_s, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "runs": [asdict(run) for run in self.runs],
        }


def build_environment() -> dict[str, str]:
    environment = dict(os.environ, PORTAL_NOW=BENCH_NOW_TEXT, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    environment.pop("PORTAL_PREVIEW", None)
    return environment


def run_build(project: Project) -> BuildRun:
    """One ``mkdocs build --strict`` in a fresh interpreter: wall time, CPU time and peak RSS of that process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
            cwd=project.root,
            env=build_environment(),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{project.kind} build failed in {project.root}:\n{errors.read().decode()[-4000:]}")
    # ru_maxrss is in kilobytes on Linux.
    return BuildRun(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1e3,
        user_s=usage.ru_utime,
        system_s=usage.ru_stime,
        page_faults=usage.ru_minflt,
    )


def inspect_site(project: Project) -> None:
    """Count the pages and files built and the average size of a page's article."""
    site = project.root / "site"
    pages = [path for path in site.rglob("*.html") if path.name != "404.html"]
    article_total = 0
    for path in pages:
        # The page's article runs to the last </article>: portal pages hold articles of their own (cards).
        html = path.read_bytes()
        start, end = html.find(_ARTICLE_START), html.rfind(b"</article>")
        article_total += end - start - len(_ARTICLE_START) if 0 <= start < end else 0
    project.pages = len(pages)
    project.article_bytes = round(article_total / max(1, len(pages)))
    files = [path for path in site.rglob("*") if path.is_file()]
    project.files = len(files)
    project.site_bytes = sum(path.stat().st_size for path in files)


def prepare_portal(root: Path, campaigns: int, shape: Shape, seed: int) -> Project:
    root.mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "content", root / "content")
    shutil.copytree(PROJECT_ROOT / "overrides", root / "overrides")
    shutil.copy2(PROJECT_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    data = generate(root / "campaigns", campaigns=campaigns, seed=seed, shape=shape)
    print(
        f"  data ({shape.name}): {data.campaigns} campaigns, {data.leaders} leaders, {data.events} events, "
        f"{data.messages} messages ({data.personal_copies} personal copies), {data.testimonials} testimonials, "
        f"{data.yaml_bytes / 1e6:.1f} MB of YAML",
        flush=True,
    )
    return Project("portal", root)


def compare(workdir: Path, campaigns: int, shape: Shape, runs: int, seed: int, *, same_size: bool) -> list[Project]:
    """The portal, the yardstick (and the same-size pages) at one size, built ``runs`` times each, in turn.

    The portal's first build tells how many pages the plain project gets (and, for the
    secondary comparison, how large they are); that first build is timed like the others.
    """
    print(f"\n== {campaigns} campaigns ==", flush=True)
    portal = prepare_portal(workdir / f"portal-{campaigns}", campaigns, shape, seed)
    projects = [portal]
    for number in range(runs):
        for project in projects:
            result = run_build(project)
            project.runs.append(result)
            show(project, result, number, runs)
        if len(projects) == 1:
            inspect_site(portal)
            plain_root = prepare_plain(workdir / f"plain-{campaigns}", pages=portal.pages, seed=seed)
            projects.append(Project("plain", plain_root))
            if same_size:
                same_root = prepare_baseline(
                    workdir / f"same-size-{campaigns}",
                    pages=portal.pages,
                    article_bytes=portal.article_bytes,
                    seed=seed,
                )
                projects.append(Project("same-size", same_root))
            for project in projects[1:]:
                result = run_build(project)
                project.runs.append(result)
                show(project, result, number, runs)
    for project in projects:
        inspect_site(project)
        print(
            f"  {project.kind:9}: {project.pages} pages, {project.files} files, {project.site_bytes / 1e6:.0f} MB, "
            f"article {project.article_bytes / 1e3:.1f} kB on average",
            flush=True,
        )
    return projects


def show(project: Project, result: BuildRun, number: int, runs: int) -> None:
    print(
        f"  run {number + 1}/{runs} {project.kind:9}: {result.wall_s:7.2f} s wall, "
        f"{result.cpu_s:7.2f} s CPU (user {result.user_s:5.2f}, system {result.system_s:5.2f}, "
        f"{result.page_faults} page faults), peak RSS {result.peak_rss_mb:6.0f} MB",
        flush=True,
    )


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report_comparison(projects: dict[int, list[Project]], sizes: list[int], size: int, results: dict[str, Any]) -> bool:
    print("\n== results: medians; CPU is user+system time of the build process, RSS its peak ==")
    print(
        f"{'campaigns':>9} {'project':>9} {'pages':>6} {'files':>6} {'wall':>8} {'CPU':>8} "
        f"{'CPU ms/page':>11} {'peak RSS':>8} {'wall ratio':>10} {'CPU ratio':>9} {'RSS ratio':>9}"
    )
    for each in sizes:
        portal, plain = projects[each][:2]
        for project in projects[each]:
            print(
                f"{each:>9} {project.kind:>9} {project.pages:>6} {project.files:>6} {project.median_s:>7.2f}s "
                f"{project.median_cpu_s:>7.2f}s {1000 * project.median_cpu_s / project.pages:>11.2f} "
                f"{project.peak_rss_mb:>6.0f}MB {portal.median_s / project.median_s:>10.2f} "
                f"{portal.median_cpu_s / project.median_cpu_s:>9.2f} {portal.peak_rss_mb / project.peak_rss_mb:>9.2f}"
            )
    portal, plain = projects[size][:2]
    wall_ratio = portal.median_s / plain.median_s
    cpu_ratio = portal.median_cpu_s / plain.median_cpu_s
    results["ratio"] = {"wall": wall_ratio, "cpu": cpu_ratio, "rss": portal.peak_rss_mb / plain.peak_rss_mb}
    ok = cpu_ratio <= GOAL_RATIO and wall_ratio <= GOAL_RATIO
    print(
        f"\nportal / plain ({PLAIN_PAGE_BYTES / 1e3:.0f} kB pages) at {size} campaigns, {portal.pages} pages: "
        f"{wall_ratio:.2f} in wall time, {cpu_ratio:.2f} in CPU time (goal <= {GOAL_RATIO}) {verdict(ok)}"
    )
    # Runs alternate, so each portal run and the plain run after it saw the same machine: the
    # median of those pairs' ratios is steadier than the ratio of medians when the machine drifts.
    pairs = [mine.cpu_s / theirs.cpu_s for mine, theirs in zip(portal.runs, plain.runs, strict=True)]
    user_ratio = portal.median_user_s / plain.median_user_s
    results["ratio"].update(cpu_pairs=statistics.median(pairs), user=user_ratio)
    print(
        f"  run by run (portal / the plain run after it): {', '.join(f'{ratio:.2f}' for ratio in pairs)}; "
        f"median {statistics.median(pairs):.2f}\n"
        f"  user time alone: {user_ratio:.2f} (system time is mostly first touches of memory, page faults; "
        f"their cost swings between identical runs on a virtual machine)"
    )
    if len(projects[size]) > 2:
        same = projects[size][2]
        print(
            f"secondary, NOT the yardstick: portal / plain pages as large as the portal's average "
            f"({same.article_bytes / 1e3:.1f} kB of article): {portal.median_s / same.median_s:.2f} wall, "
            f"{portal.median_cpu_s / same.median_cpu_s:.2f} CPU"
        )
    return ok


def report_scaling(low_set: list[Project], high_set: list[Project], results: dict[str, Any]) -> bool:
    scaling: dict[str, Any] = {}
    for low, high in zip(low_set[:2], high_set[:2], strict=True):
        data_ratio = high.pages / low.pages
        scaling[low.kind] = {
            "pages": [low.pages, high.pages],
            "data_ratio": data_ratio,
            "cpu_ratio": high.median_cpu_s / low.median_cpu_s,
            "wall_ratio": high.median_s / low.median_s,
            "memory_ratio": high.peak_rss_mb / low.peak_rss_mb,
            "marginal_cpu_ms_per_page": 1000 * (high.median_cpu_s - low.median_cpu_s) / (high.pages - low.pages),
        }
        figures = scaling[low.kind]
        print(
            f"{low.kind:6} {low.pages} -> {high.pages} pages ({data_ratio:.2f}x the data): CPU {figures['cpu_ratio']:.2f}x, "
            f"wall {figures['wall_ratio']:.2f}x, peak RSS {figures['memory_ratio']:.2f}x, "
            f"marginal {figures['marginal_cpu_ms_per_page']:.2f} ms CPU/page"
        )
    results["scaling"] = scaling
    portal = scaling["portal"]
    # 4x the data may cost 4.2x the time: the same allowance, 5%, for a data ratio that is not exactly 4.
    linear = portal["cpu_ratio"] <= portal["data_ratio"] * GOAL_SCALING / 4
    lean = portal["memory_ratio"] <= portal["data_ratio"] * GOAL_MEMORY / 4
    print(
        f"scaling: time {verdict(linear)} (goal <= {GOAL_SCALING}x for 4x the data), "
        f"memory {verdict(lean)} (goal <= {GOAL_MEMORY}x)"
    )
    return bool(linear and lean)


def run_split(project: Project) -> dict[str, Any]:
    """One in-process build under ``bench.split``'s timers; its report is printed as it comes."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.split", str(project.root)],
        cwd=PROJECT_ROOT,
        env=build_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.split failed:\n{completed.stderr[-4000:]}")
    lines = completed.stdout.strip().splitlines()
    print("\n".join("  " + line for line in lines[:-1]), flush=True)
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def report_split(portal: Project, plain: Project, results: dict[str, Any]) -> bool:
    print(f"\n== where one full build's CPU goes ({portal.pages} pages), by plugin event and MkDocs step ==")
    print(f"portal ({portal.root}):", flush=True)
    measured = run_split(portal)
    print(f"plain ({plain.root}):", flush=True)
    measured_plain = run_split(plain)
    results["split"] = {"portal": measured, "plain": measured_plain}
    own = sum(value for label, value in measured["seconds"].items() if label.startswith(f"plugin {PORTAL_PLUGIN}:"))
    share = float(own / measured["cpu_s"])
    ok = share <= GOAL_PLUGIN_SHARE
    print(
        f"the portal plugin's own events: {own:.2f} s of {measured['cpu_s']:.2f} s = {100 * share:.1f}% of a full build "
        f"(goal <= {100 * GOAL_PLUGIN_SHARE:.0f}%) {verdict(ok)}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the portal build against plain MkDocs + Material.")
    parser.add_argument("--campaigns", type=int, default=600, help="size of the side-by-side comparison (default 600)")
    parser.add_argument(
        "--scale-from",
        type=int,
        help="N of the scaling check, which compares N with 4N campaigns (default: campaigns/4)",
    )
    parser.add_argument(
        "--shape", choices=sorted(SHAPES), default=ISSUE_12.name, help="data set shape (default issue12)"
    )
    parser.add_argument("--runs", type=int, default=3, help="timed builds of each project at each size (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="smoke run: 160 campaigns (40 for scaling), 1 run")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling check")
    parser.add_argument(
        "--split", action="store_true", help="also split one build of each by plugin event (in-process)"
    )
    parser.add_argument(
        "--same-size", action="store_true", help="also build the old, secondary yardstick (pages of the portal's size)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects (their folder is printed)")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a goal is missed")
    args = parser.parse_args(argv)
    if args.quick:
        args.campaigns, args.runs = 160, 1
    shape = SHAPES[args.shape]
    small = args.scale_from or max(1, args.campaigns // 4)
    large = small * 4

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    print(
        f"Projects in {workdir}; PORTAL_NOW={BENCH_NOW_TEXT}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs; "
        f"plain pages of {PLAIN_PAGE_BYTES} bytes of Markdown"
    )
    results: dict[str, Any] = {"now": BENCH_NOW_TEXT, "runs": args.runs, "seed": args.seed, "shape": shape.name}
    results["sizes"] = {}
    ok = True
    try:
        sizes = sorted({args.campaigns} | (set() if args.no_scaling else {small, large}))
        projects: dict[int, list[Project]] = {}
        for size in sizes:
            projects[size] = compare(workdir, size, shape, args.runs, args.seed, same_size=args.same_size)
            results["sizes"][size] = {project.kind: project.summary() for project in projects[size]}

        ok &= report_comparison(projects, sizes, args.campaigns, results)
        if not args.no_scaling:
            ok &= report_scaling(projects[small], projects[large], results)
        if args.split:
            ok &= report_split(projects[args.campaigns][0], projects[args.campaigns][1], results)
    finally:
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
            print(f"\nwrote {args.json}")
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("\nall goals met" if ok else "\nsome goals missed")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())

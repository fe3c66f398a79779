"""The portal's build against plain MkDocs + Material, side by side: ``python -m bench.run``.

For each size it generates a campaign data set (``bench.generate``) and a
plain-pages project with as many pages of the same average article size
(``bench.baseline``), then runs ``mkdocs build --strict`` on each in turn,
in a fresh interpreter every time, with ``PORTAL_NOW`` fixed. It prints the
medians, the ratio, the cost per page and the peak resident memory of each
build (from ``wait4``), checks how the cost scales from N to 4N pages, and
times ``mkdocs serve``-style rebuilds after editing one campaign file
(``bench.rebuild``), with the plugin's own share of each.

    python -m bench.run                  # 3,000 pages (and 750 for the scaling check), 3 runs each
    python -m bench.run --quick          # a smoke run: 200 and 800 pages, one run each
    python -m bench.run --pages 3000 --scale-from 1000 --runs 5 --json bench/out/results.json

Goals (issue #7): portal / plain <= 1.3 at ~3,000 pages; time(4N) / time(N) <= 4.4 and
peak memory growing no faster than the data; a serve rebuild no slower than a full build,
with the plugin's own part at most 10% of it.
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

from .baseline import PROJECT_ROOT, prepare_baseline
from .generate import BENCH_NOW_TEXT, generate

GOAL_RATIO = 1.3
GOAL_SCALING = 4.4
GOAL_PLUGIN_SHARE = 0.10
_ARTICLE_START = b'<article class="md-content__inner md-typeset">'


@dataclass
class BuildRun:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float


@dataclass
class Project:
    kind: str  # "portal" | "plain"
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
        return max(run.peak_rss_mb for run in self.runs)

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.median_s / self.pages

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "pages": self.pages,
            "files": self.files,
            "article_bytes": self.article_bytes,
            "site_mb": round(self.site_bytes / 1e6, 1),
            "median_s": round(self.median_s, 3),
            "median_cpu_s": round(self.median_cpu_s, 3),
            "ms_per_page": round(self.ms_per_page, 3),
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
    return BuildRun(wall_s=wall, cpu_s=usage.ru_utime + usage.ru_stime, peak_rss_mb=usage.ru_maxrss / 1e3)


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


def prepare_portal(root: Path, pages: int, seed: int) -> Project:
    root.mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "content", root / "content")
    shutil.copytree(PROJECT_ROOT / "overrides", root / "overrides")
    shutil.copy2(PROJECT_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    data = generate(root / "campaigns", pages=pages, seed=seed)
    print(
        f"  data: {data.campaigns} campaigns, {data.leaders} leaders, {data.events} events, "
        f"{data.messages} messages ({data.personal_copies} personal copies), {data.testimonials} testimonials, "
        f"{data.yaml_bytes / 1e6:.1f} MB of YAML",
        flush=True,
    )
    return Project("portal", root)


def compare(workdir: Path, pages: int, runs: int, seed: int, *, warmup: bool) -> tuple[Project, Project]:
    """Both projects at one size, built ``runs`` times each, in turn.

    The portal's first build tells how many pages of what average article size the plain
    project gets; ``warmup`` adds an untimed first build of each.
    """
    print(f"\n== about {pages} pages ==", flush=True)
    portal = prepare_portal(workdir / f"portal-{pages}", pages, seed)
    plain: Project | None = None
    for number in range(-1 if warmup else 0, runs):
        result = run_build(portal)
        if number >= 0:
            portal.runs.append(result)
            show(portal, result, number, runs)
        if plain is None:
            inspect_site(portal)
            plain_root = prepare_baseline(
                workdir / f"plain-{pages}", pages=portal.pages, article_bytes=portal.article_bytes, seed=seed
            )
            plain = Project("plain", plain_root)
        result = run_build(plain)
        if number >= 0:
            plain.runs.append(result)
            show(plain, result, number, runs)
    assert plain is not None
    inspect_site(plain)
    print(
        f"  portal: {portal.pages} pages, {portal.files} files, {portal.site_bytes / 1e6:.0f} MB, "
        f"article {portal.article_bytes / 1e3:.1f} kB on average\n"
        f"  plain:  {plain.pages} pages, {plain.files} files, {plain.site_bytes / 1e6:.0f} MB, "
        f"article {plain.article_bytes / 1e3:.1f} kB on average",
        flush=True,
    )
    return portal, plain


def show(project: Project, result: BuildRun, number: int, runs: int) -> None:
    print(
        f"  run {number + 1}/{runs} {project.kind:6}: {result.wall_s:7.2f} s wall, "
        f"{result.cpu_s:7.2f} s CPU, peak RSS {result.peak_rss_mb:6.0f} MB",
        flush=True,
    )


def measure_rebuilds(project: Project, rebuilds: int) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.rebuild", str(project.root), "--rebuilds", str(rebuilds)],
        cwd=PROJECT_ROOT,
        env=build_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.rebuild failed:\n{completed.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report_comparison(
    projects: dict[int, tuple[Project, Project]], sizes: list[int], size: int, results: dict[str, Any]
) -> bool:
    print("\n== results: medians; CPU is user+system time of the build process ==")
    print(
        f"{'pages':>6} {'portal wall':>11} {'plain wall':>10} {'ratio':>6} {'portal CPU':>10} {'plain CPU':>9} "
        f"{'ratio':>6} {'portal CPU ms/page':>18} {'plain CPU ms/page':>17} {'portal RSS':>10} {'plain RSS':>9}"
    )
    for each in sizes:
        portal, plain = projects[each]
        print(
            f"{portal.pages:>6} {portal.median_s:>10.2f}s {plain.median_s:>9.2f}s {portal.median_s / plain.median_s:>6.2f} "
            f"{portal.median_cpu_s:>9.2f}s {plain.median_cpu_s:>8.2f}s {portal.median_cpu_s / plain.median_cpu_s:>6.2f} "
            f"{1000 * portal.median_cpu_s / portal.pages:>18.2f} {1000 * plain.median_cpu_s / plain.pages:>17.2f} "
            f"{portal.peak_rss_mb:>8.0f}MB {plain.peak_rss_mb:>7.0f}MB"
        )
    portal, plain = projects[size]
    wall_ratio = portal.median_s / plain.median_s
    cpu_ratio = portal.median_cpu_s / plain.median_cpu_s
    results["ratio"] = {"wall": wall_ratio, "cpu": cpu_ratio}
    ok = cpu_ratio <= GOAL_RATIO
    print(
        f"\nportal / plain at {portal.pages} pages: {cpu_ratio:.2f} in CPU time, {wall_ratio:.2f} in wall time "
        f"(goal <= {GOAL_RATIO}) {verdict(ok)}"
    )
    return ok


def report_scaling(
    low_pair: tuple[Project, Project], high_pair: tuple[Project, Project], results: dict[str, Any]
) -> bool:
    scaling: dict[str, Any] = {}
    for low, high in zip(low_pair, high_pair, strict=True):
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
    # 4x the data may cost 4.4x the time: the same allowance, 10%, for a data ratio that is not exactly 4.
    linear = portal["cpu_ratio"] <= portal["data_ratio"] * GOAL_SCALING / 4
    lean = portal["memory_ratio"] <= portal["data_ratio"]
    print(f"scaling: time {verdict(linear)} (goal <= {GOAL_SCALING}x for 4x the data), memory {verdict(lean)}")
    return bool(linear and lean)


def report_serve(portal: Project, rebuilds: int, results: dict[str, Any]) -> bool:
    print(
        f"\n== serve: {rebuilds} rebuild(s), each after editing one campaign file; {portal.pages} pages ==", flush=True
    )
    measured = measure_rebuilds(portal, rebuilds)
    results["serve"] = measured
    for entry in measured["builds"]:
        steps = entry["steps_s"]
        own = steps.get("on_files", 0.0)
        print(
            f"  {entry['kind']:11}: {entry['cpu_s']:6.2f} s CPU ({entry['wall_s']:6.2f} s wall); "
            f"load+validate+generate (on_files) {own:5.2f} s = {100 * own / entry['cpu_s']:4.1f}%; "
            f"all plugin events {entry['plugin_s']:5.2f} s = {100 * entry['plugin_share']:4.1f}%; RSS {entry['rss_mb']:.0f} MB\n"
            f"               [{', '.join(f'{name} {seconds:.2f}' for name, seconds in sorted(steps.items()))}]"
        )
    later = [entry for entry in measured["builds"] if entry["kind"] == "rebuild"]
    if not later:
        return True
    rebuild_cpu = statistics.median(entry["cpu_s"] for entry in later)
    own_share = statistics.median(entry["steps_s"].get("on_files", 0.0) / entry["cpu_s"] for entry in later)
    plugin_share = statistics.median(entry["plugin_share"] for entry in later)
    fast = rebuild_cpu <= portal.median_cpu_s
    small = own_share <= GOAL_PLUGIN_SHARE
    print(
        f"rebuild median {rebuild_cpu:.2f} s CPU vs full build {portal.median_cpu_s:.2f} s CPU {verdict(fast)}; "
        f"plugin's own part {100 * own_share:.1f}% (goal <= {100 * GOAL_PLUGIN_SHARE:.0f}%) {verdict(small)}; "
        f"with page bodies {100 * plugin_share:.1f}%"
    )
    results["serve_summary"] = {
        "rebuild_median_cpu_s": rebuild_cpu,
        "own_share_median": own_share,
        "plugin_events_share_median": plugin_share,
    }
    return bool(fast and small)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the portal build against plain MkDocs + Material.")
    parser.add_argument("--pages", type=int, default=3000, help="size of the side-by-side comparison (default 3000)")
    parser.add_argument(
        "--scale-from", type=int, help="N of the scaling check, which compares N with 4N pages (default: pages/4)"
    )
    parser.add_argument("--runs", type=int, default=3, help="timed builds of each project at each size (default 3)")
    parser.add_argument("--rebuilds", type=int, default=3, help="serve rebuilds to time (default 3; 0 skips them)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="smoke run: 800 pages (200 for scaling), 1 run, 1 rebuild")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling check")
    parser.add_argument("--warmup", action="store_true", help="an untimed build of each project before the timed ones")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects (their folder is printed)")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a goal is missed")
    args = parser.parse_args(argv)
    if args.quick:
        args.pages, args.runs, args.rebuilds = 800, 1, 1
    small = args.scale_from or max(1, args.pages // 4)
    large = small * 4

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    print(f"Projects in {workdir}; PORTAL_NOW={BENCH_NOW_TEXT}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    results: dict[str, Any] = {"now": BENCH_NOW_TEXT, "runs": args.runs, "seed": args.seed, "sizes": {}}
    ok = True
    try:
        sizes = sorted({args.pages} | (set() if args.no_scaling else {small, large}))
        projects: dict[int, tuple[Project, Project]] = {}
        for size in sizes:
            projects[size] = compare(workdir, size, args.runs, args.seed, warmup=args.warmup)
            results["sizes"][size] = {kind.kind: kind.summary() for kind in projects[size]}

        ok &= report_comparison(projects, sizes, args.pages, results)
        if not args.no_scaling:
            ok &= report_scaling(projects[small], projects[large], results)
        if args.rebuilds:
            ok &= report_serve(projects[args.pages][0], args.rebuilds, results)
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

"""Two versions of the plugin's core on one project, alternating: ``python -m bench.ab PROJECT TREE_A TREE_B``.

Each run is a fresh interpreter that imports ``campaign_portal`` from ``TREE/plugins`` (a git
worktree, or a checkout of another commit) and times, in CPU seconds of that process, what the
plugin does in ``on_files``: loading and validating the campaign files (``load_portal``) and
generating every page, feed, calendar and draft (``build_site``, and the check of the Markdown
the loader deferred, ``deferred_problems``, where the tree has it), nothing else. The runs
alternate A, B, A, B, ... so that a machine shared with other jobs slows both alike; compare
the medians. Use it to measure one change at a time; ``bench.run`` measures whole builds.

    python -m bench.ab /tmp/portal-600 /work/main . --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from .generate import BENCH_NOW_TEXT

_CHILD = r"""
import json, sys, time
from pathlib import Path
project = Path(sys.argv[1])
started = time.process_time()
from campaign_portal.load import load_portal
from campaign_portal.publishing import read_now, select_public
from campaign_portal.site import build_site
from campaign_portal.plugin.config import PortalConfig, site_settings
try:  # what pipeline.build_portal runs after build_site, in trees that have it
    from campaign_portal.text.markdown import deferred_problems
except ImportError:
    deferred_problems = None
imported = time.process_time()
loaded = load_portal(project / "campaigns", display_root=project)
load_s = time.process_time() - imported
public = select_public(loaded.portal, read_now())
config = PortalConfig()
config.load_dict({})
config.validate()
content = build_site(public, site_settings(config, "Bench", "https://learning.example.com/"))
if deferred_problems is not None and hasattr(loaded, "deferred"):
    content.warnings.extend(deferred_problems(loaded.deferred))
build_s = time.process_time() - imported - load_s
print(json.dumps({"load_s": load_s, "build_s": build_s, "pages": len(content.pages), "files": len(content.files),
                  "problems": len(loaded.problems) + len(content.problems) + len(content.warnings)}))
"""


def run_in_tree(child: str, project: Path, tree: Path, *args: str) -> dict[str, float]:
    """Run the script ``child`` in a fresh interpreter that imports the plugin from ``tree``; its last line, as JSON."""
    environment = dict(os.environ, PORTAL_NOW=BENCH_NOW_TEXT, PYTHONHASHSEED="0", PYTHONPATH=str(tree / "plugins"))
    output = subprocess.run(
        [sys.executable, "-c", child, str(project), *args], env=environment, check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def run_once(project: Path, tree: Path) -> dict[str, float]:
    return run_in_tree(_CHILD, project, tree)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("project", type=Path, help="a generated project (with campaigns/)")
    parser.add_argument("trees", type=Path, nargs=2, help="two source trees, each with plugins/campaign_portal")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    results: dict[Path, list[dict[str, float]]] = {tree: [] for tree in args.trees}
    for number in range(args.runs):
        for tree in args.trees:
            result = run_once(args.project, tree.resolve())
            results[tree].append(result)
            print(
                f"run {number + 1} {tree!s:<24} load {result['load_s']:6.2f} s  build {result['build_s']:6.2f} s  "
                f"({result['pages']:.0f} pages, {result['files']:.0f} files, {result['problems']:.0f} problems)",
                flush=True,
            )
    medians = {}
    for tree, runs in results.items():
        load = statistics.median(run["load_s"] for run in runs)
        build = statistics.median(run["build_s"] for run in runs)
        medians[str(tree)] = {"load_s": load, "build_s": build, "total_s": load + build}
        print(f"median {tree!s:<24} load {load:6.2f} s  build {build:6.2f} s  total {load + build:6.2f} s CPU")
    a, b = (medians[str(tree)]["total_s"] for tree in args.trees)
    print(f"B / A = {b / a:.2f}")
    print(json.dumps(medians))


if __name__ == "__main__":
    main()

"""Loading and validating against PyYAML's C loader only parsing: ``python -m bench.load PROJECT [TREE ...]``.

Issue 12, goal 3: loading and validating the campaign YAML (``load_portal``: read, parse with
lines, check every field, every Markdown text and every message template) at most 2x the time
PyYAML's C loader (``yaml.CSafeLoader``) takes just to parse the same files.

Each run is a fresh interpreter (cold: no compiled template or rendered Markdown carried over)
that imports ``campaign_portal`` from ``TREE/plugins`` (default: this checkout), then, in CPU
seconds of that process (user+system), first parses every ``*.yml`` in ``PROJECT/campaigns``
with ``yaml.load(..., Loader=yaml.CSafeLoader)`` and then runs ``load_portal`` on the folder.
Imports are not timed. With several trees the runs alternate (A, B, A, B, ...) so that a
machine shared with other jobs slows each alike; compare the ratios and medians of one run.

    python -m bench.generate /tmp/p1250/campaigns --campaigns 1250 --shape issue12   # ~10 MB
    python -m bench.load /tmp/p1250 /tmp/before . --runs 3

``--split`` also times, inside ``load_portal``, YAML reading (``parse_yaml``), the Markdown
checks (``MarkupRenderer.check``) and template compiling (``compile_template``), by wrapping
them (the wrappers cost a little; take the totals from runs without it).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from .ab import run_in_tree

_CHILD = r"""
import functools, glob, json, os, sys, time
from pathlib import Path
import yaml
project = Path(sys.argv[1])
split = sys.argv[2] == "split"
from campaign_portal.load import load_portal
import campaign_portal.load.fields as fields
from campaign_portal.text.markdown import MarkupRenderer
parts = {}
def timed(owner, name, label):
    original = getattr(owner, name)
    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            parts[label] = parts.get(label, 0.0) + time.process_time() - started
    setattr(owner, name, wrapper)
if split:
    timed(fields, "parse_yaml", "yaml_s")
    timed(fields, "compile_template", "templates_s")
    timed(MarkupRenderer, "check", "markdown_s")
files = sorted(glob.glob(str(project / "campaigns" / "*.yml")))
size = sum(os.path.getsize(name) for name in files)
started = time.process_time()
for name in files:
    with open(name, "rb") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
parse_s = time.process_time() - started
started = time.process_time()
loaded = load_portal(project / "campaigns", display_root=project)
load_s = time.process_time() - started
print(json.dumps({"parse_s": parse_s, "load_s": load_s, "bytes": size, "files": len(files),
                  "problems": len(loaded.problems), "libyaml": yaml.__with_libyaml__, **parts}))
"""


def run_once(project: Path, tree: Path, *, split: bool = False) -> dict[str, float]:
    return run_in_tree(_CHILD, project, tree, "split" if split else "total")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("project", type=Path, help="a generated project (with campaigns/)")
    parser.add_argument("trees", type=Path, nargs="*", help="source trees with plugins/campaign_portal (default: .)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--split", action="store_true", help="also time YAML, Markdown and templates inside load_portal")
    args = parser.parse_args(argv)
    trees = args.trees or [Path(".")]
    results: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
    for number in range(args.runs):
        for tree in trees:
            result = run_once(args.project, tree.resolve(), split=args.split)
            results[tree].append(result)
            inside = "".join(
                f"  {label} {result[key]:.2f} s" for key, label in
                (("yaml_s", "yaml"), ("markdown_s", "markdown"), ("templates_s", "templates")) if key in result
            )
            print(
                f"run {number + 1} {tree!s:<24} {result['bytes'] / 1e6:.1f} MB in {result['files']:.0f} files: "
                f"C loader parse {result['parse_s']:.2f} s  load_portal {result['load_s']:.2f} s  "
                f"= {result['load_s'] / result['parse_s']:.2f}x{inside}  ({result['problems']:.0f} problems)",
                flush=True,
            )
    summary = {}
    for tree, runs in results.items():
        parse = statistics.median(run["parse_s"] for run in runs)
        load = statistics.median(run["load_s"] for run in runs)
        ratio = statistics.median(run["load_s"] / run["parse_s"] for run in runs)
        summary[str(tree)] = {"parse_s": parse, "load_s": load, "ratio": ratio}
        print(f"median {tree!s:<24} C loader parse {parse:.2f} s  load_portal {load:.2f} s  ratio {ratio:.2f}x (goal 2x)")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

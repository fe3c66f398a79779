"""Profile one whole portal build with pyinstrument: ``python -m bench.profile --pages 800``.

Generates a data set of about ``--pages`` pages (or uses ``--project``, a folder
with mkdocs.yml and campaigns/), runs one ``mkdocs build`` in this process under
pyinstrument and writes ``bench/out/profile-<pages>.txt`` and ``.html``.
``--serve`` profiles the second of two serve-style builds instead (one campaign
edited in between), which is what a ``mkdocs serve`` rebuild costs.
pyinstrument is not a dependency of the project: ``pip install pyinstrument``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from .baseline import PROJECT_ROOT
from .generate import BENCH_NOW_TEXT, generate
from .rebuild import SERVE_URL, edit_campaign

OUT = PROJECT_ROOT / "bench" / "out"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Profile one portal build with pyinstrument.")
    parser.add_argument("--pages", type=int, default=800, help="size of the generated data set (default 800)")
    parser.add_argument("--project", type=Path, help="profile this project instead of generating one")
    parser.add_argument("--serve", action="store_true", help="profile a serve rebuild after editing one campaign")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from pyinstrument import Profiler

    os.environ.setdefault("PORTAL_NOW", BENCH_NOW_TEXT)
    workdir = None
    if args.project is None:
        workdir = Path(tempfile.mkdtemp(prefix="portal-profile-"))
        project = workdir / "project"
        for folder in ("content", "overrides"):
            shutil.copytree(PROJECT_ROOT / folder, project / folder)
        shutil.copy2(PROJECT_ROOT / "mkdocs.yml", project / "mkdocs.yml")
        generate(project / "campaigns", pages=args.pages, seed=args.seed)
    else:
        project = args.project.resolve()
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site"))
        config.plugins.on_startup(command="serve" if args.serve else "build", dirty=False)
        serve_url = SERVE_URL if args.serve else None
        if args.serve:
            build(config, serve_url=serve_url)
            campaign = sorted(path for path in (project / "campaigns").glob("*.yml") if path.name != "leaders.yml")[0]
            edit_campaign(campaign, 1)
            config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site"))
        profiler = Profiler(interval=0.002)
        start = time.process_time()
        profiler.start()
        build(config, serve_url=serve_url)
        profiler.stop()
        config.plugins.on_shutdown()
        print(f"build: {time.process_time() - start:.2f} s CPU (profiled)")
        OUT.mkdir(parents=True, exist_ok=True)
        name = f"profile-{'serve-' if args.serve else ''}{args.project.name if args.project else args.pages}"
        (OUT / f"{name}.txt").write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
        (OUT / f"{name}.html").write_text(profiler.output_html(), encoding="utf-8")
        print(f"wrote {OUT / name}.txt and .html")
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

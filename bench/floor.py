"""The Markdown floor of a build: ``python -m bench.floor PROJECT``.

Issue 12, goal 3 asks the plugin's own work to be at most 15% of a full build. Part of that work
cannot shrink whatever the plugin does: every distinct Markdown text the site shows has to be
converted once by Python-Markdown (MkDocs' own Markdown library, so that campaign text reads
as the hand-written pages do) and sanitised once by nh3. This script measures that floor on a generated project:

1. one ``load_portal`` + ``build_site`` (+ the deferred Markdown check) at the bench's PORTAL_NOW, recording each text the
   renderer converts (``MarkupRenderer._render``: one call per distinct text, the cache skips repeats);
2. the same texts converted again by a plain ``markdown.Markdown`` with the portal's extensions
   (none of the renderer's pruning) and, separately, with nh3's clean after it.

Compare the floor with a full build's time (``python -m bench.run --split``): if the floor alone is
near 15% of the build, the share cannot be met by making the plugin's other work faster.
CPU seconds of this process; one run, for orientation, not a test.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from .generate import BENCH_NOW_TEXT


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("project", type=Path, help="a generated project (with campaigns/)")
    args = parser.parse_args(argv)
    os.environ["PORTAL_NOW"] = BENCH_NOW_TEXT

    import markdown

    from campaign_portal.load import load_portal
    from campaign_portal.plugin.config import PortalConfig, site_settings
    from campaign_portal.publishing import read_now, select_public
    from campaign_portal.site import build_site
    from campaign_portal.text import markdown as portal_markdown

    converted: list[tuple[str, bool]] = []
    render = portal_markdown.MarkupRenderer._render

    def recording(self: portal_markdown.MarkupRenderer, text: str, line_breaks: bool, budget: object) -> object:
        converted.append((text, line_breaks))
        return render(self, text, line_breaks, budget)

    portal_markdown.MarkupRenderer._render = recording  # type: ignore[method-assign,assignment]
    config = PortalConfig()
    config.load_dict({})
    config.validate()
    started = time.process_time()
    loaded = load_portal(args.project / "campaigns", display_root=args.project)
    build_site(select_public(loaded.portal, read_now()), site_settings(config, "Bench", "https://learning.example.com/"))
    portal_markdown.deferred_problems(loaded.deferred)  # as pipeline.build_portal: texts the site did not show
    plugin_core = time.process_time() - started
    portal_markdown.MarkupRenderer._render = render  # type: ignore[method-assign]

    plain = markdown.Markdown(extensions=portal_markdown._MARKDOWN_EXTENSIONS)
    with_breaks = markdown.Markdown(extensions=[*portal_markdown._MARKDOWN_EXTENSIONS, "nl2br"])

    def convert_all(sanitise: bool) -> float:
        started = time.process_time()
        for text, line_breaks in converted:
            html = (with_breaks if line_breaks else plain).reset().convert(text)
            if sanitise:
                portal_markdown.clean_html(html)
        return time.process_time() - started

    characters = sum(len(text) for text, _ in converted)
    print(f"{args.project}: load_portal + build_site {plugin_core:.2f} s CPU")
    print(f"  {len(converted):,} distinct texts converted, {characters / 1e6:.2f} M characters")
    print(f"  Python-Markdown alone, unpruned: {convert_all(False):.2f} s")
    print(f"  Python-Markdown + nh3 clean:     {convert_all(True):.2f} s")


if __name__ == "__main__":
    main()

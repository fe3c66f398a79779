"""The yardstick: plain MkDocs + Material building ordinary documentation pages.

``prepare_plain`` lays out a project with the portal's own ``mkdocs.yml``
(theme, features, Markdown extensions, search), minus the portal plugin, and
``pages`` Markdown pages of a fixed, typical size (``PLAIN_PAGE_BYTES`` of
Markdown each, whatever the portal produces): headings, paragraphs, lists, a
code block, a table and links to other pages and to the web. This is the
honest yardstick: what the same count of ordinary documentation pages costs.

``prepare_baseline`` is the old, secondary comparison: pages sized so that
their article HTML is on average ``article_bytes`` long, the portal's own
average. It grows with whatever the portal puts on its pages, so it cannot
say whether the portal is slow; keep it only as a labelled second line.

In both, the navigation stays the portal's small one (Home, Campaigns, Events,
Leaders, Authoring guide, Publishing); every other page is kept out of it with
``not_in_nav``, as the portal keeps its campaign, event and leader pages out
of it once there are more than ``nav_campaigns_limit`` campaigns.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import markdown

from .generate import CITIES, SENTENCES, TEAMS, _fill

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LIBRARY = "library"  # the folder of pages kept out of the navigation
NAV_PAGES = {
    "index.md": "Learning Portal",
    "campaigns/index.md": "Campaigns",
    "events/index.md": "Events",
    "leaders/index.md": "Leaders",
}
PAGES_PER_FOLDER = 100
# A typical documentation page: about 3 kB of Markdown (~500 words), about 5 kB of article HTML.
PLAIN_PAGE_BYTES = 3000


def baseline_config(portal_config: str) -> str:
    """The portal's mkdocs.yml without the campaign-portal plugin, with the library out of the nav."""
    lines = portal_config.splitlines()
    kept: list[str] = []
    skipping_indent: int | None = None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if skipping_indent is not None:
            if line.strip() and indent <= skipping_indent:
                skipping_indent = None
            else:
                continue
        if line.strip().startswith("- campaign-portal"):
            skipping_indent = indent
            continue
        kept.append(line)
    text = "\n".join(kept) + "\n"
    if "campaign-portal" in text:
        raise ValueError("could not remove the campaign-portal plugin from mkdocs.yml")
    return text + f"\nnot_in_nav: |\n  /{LIBRARY}/\n"


def _lay_out(root: Path) -> tuple[Path, int]:
    """The project without its generated pages: its config, overrides and the portal's own content pages."""
    root.mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "overrides", root / "overrides")
    (root / "mkdocs.yml").write_text(
        baseline_config((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")), encoding="utf-8"
    )
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    return content, sum(1 for _ in content.rglob("*.md"))


def _library_path(content: Path, number: int) -> Path:
    return content / LIBRARY / f"section-{number // PAGES_PER_FOLDER:03d}" / f"page-{number:05d}.md"


def prepare_plain(root: Path, *, pages: int, seed: int = 1, page_bytes: int = PLAIN_PAGE_BYTES) -> Path:
    """The honest yardstick in ``root``: ``pages`` ordinary pages in all, each ``page_bytes`` of Markdown."""
    content, existing = _lay_out(root)
    rng = random.Random(f"{seed}:plain")
    count = max(1, pages - existing - len(NAV_PAGES))
    for uri, title in NAV_PAGES.items():
        path = content / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_doc_page(rng, title, page_bytes, path, content, 0, count), encoding="utf-8")
        existing += 1
    for number in range(max(0, pages - existing)):
        path = _library_path(content, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = _doc_page(rng, f"Practice note {number + 1}", page_bytes, path, content, number, count)
        path.write_text(text, encoding="utf-8")
    return root


def _doc_page(
    rng: random.Random, title: str, markdown_bytes: int, path: Path, content: Path, number: int, count: int
) -> str:
    """An ordinary documentation page of ``markdown_bytes`` (to within a word).

    Always the same parts, so that every page costs about the same: an introduction, three
    sections with paragraphs, a list, an indented code block (Python-Markdown's own; the
    portal's config has no fenced-code extension), a table, and links to two other pages of
    the library (which MkDocs checks) and one to the web.
    """
    targets = [_library_path(content, (number + step) % count) for step in (1, 7)]
    links = [f"[{target.stem.replace('-', ' ')}]({os.path.relpath(target, path.parent)})" for target in targets]
    team, city = rng.choice(TEAMS), rng.choice(CITIES)
    head = [
        f"# {title}",
        _paragraph(rng) + f" Read it with {links[0]} and {links[1]}.",
        f"## How the {team} team in {city} does it",
        _paragraph(rng),
        "\n".join(f"- {_fill(rng, rng.choice(SENTENCES))}" for _ in range(4)),
        "## An example",
        "    $ portal validate\n    campaigns/example.yml:12: the title is empty\n    1 problem in 1 file",
        "| Team | City | Change |\n| --- | --- | --- |\n"
        + "\n".join(f"| {rng.choice(TEAMS)} | {rng.choice(CITIES)} | {rng.randint(3, 40)}% |" for _ in range(4)),
    ]
    tail = [
        "## What to read next",
        f"See [the guide](https://learning.example.com/guides/{rng.randrange(10**4)}/) for the background.",
    ]
    # Paragraphs up to the size before the last section, the last one cut to fit.
    room = markdown_bytes - len("\n\n".join(tail)) - 3  # the blank line before the tail, the final newline
    body = "\n\n".join(head)
    while len(body) < room:
        body += "\n\n" + _paragraph(rng)
    if len(body) > room:
        cut = body.rfind(" ", 0, room)
        body = body[: max(cut, room - 40)].rstrip(" ,;:") + "."
    return "\n\n".join([body, *tail]) + "\n"


def prepare_baseline(root: Path, *, pages: int, article_bytes: int, seed: int = 1) -> Path:
    """The secondary comparison in ``root``: ``pages`` pages whose article averages ``article_bytes``."""
    content, existing = _lay_out(root)
    rng = random.Random(f"{seed}:baseline")
    ratio = _html_per_markdown_byte(rng)
    existing = sum(1 for _ in content.rglob("*.md"))
    for uri, title in NAV_PAGES.items():
        path = content / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(rng, title, round(article_bytes / ratio)), encoding="utf-8")
        existing += 1
    for number in range(max(0, pages - existing)):
        path = _library_path(content, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        size = round(article_bytes / ratio * rng.uniform(0.5, 1.5))
        path.write_text(_page(rng, f"Practice note {number + 1}", size), encoding="utf-8")
    return root


def _page(rng: random.Random, title: str, markdown_bytes: int) -> str:
    """A Markdown page of about ``markdown_bytes``: headings, paragraphs, lists, a table, an admonition."""
    blocks = [f"# {title}", _paragraph(rng)]
    size = sum(len(block) + 2 for block in blocks)
    section = 0
    while size < markdown_bytes:
        kind = rng.random()
        if kind < 0.15:
            section += 1
            block = f"## {rng.choice(TEAMS).capitalize()} in {rng.choice(CITIES)} ({section})"
        elif kind < 0.6:
            block = _paragraph(rng)
        elif kind < 0.8:
            block = "\n".join(f"- {_fill(rng, rng.choice(SENTENCES))}" for _ in range(rng.randint(2, 5)))
        elif kind < 0.9:
            rows = [f"| {rng.choice(TEAMS)} | {rng.choice(CITIES)} | {rng.randint(3, 40)}% |" for _ in range(4)]
            block = "\n".join(["| Team | City | Change |", "| --- | --- | --- |", *rows])
        else:
            block = f'!!! note "From the {rng.choice(TEAMS)} team"\n    {_fill(rng, rng.choice(SENTENCES))}'
        blocks.append(block)
        size += len(block) + 2
    return "\n\n".join(blocks) + "\n"


def _paragraph(rng: random.Random) -> str:
    sentences = [_fill(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.4:
        sentences[0] = f"**{sentences[0]}**"
    if rng.random() < 0.3:
        sentences.append(f"See [the guide](https://learning.example.com/guides/{rng.randrange(10**4)}/).")
    return " ".join(sentences)


def _html_per_markdown_byte(rng: random.Random) -> float:
    """How many bytes of article HTML one byte of this Markdown makes, with the site's extensions."""
    converter = markdown.Markdown(
        extensions=["admonition", "attr_list", "tables", "toc"], extension_configs={"toc": {"permalink": True}}
    )
    sample = "".join(_page(rng, "Sample", 20_000) for _ in range(3))
    return len(converter.convert(sample)) / len(sample)

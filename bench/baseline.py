"""The yardstick: plain MkDocs + Material building hand-written Markdown pages.

``prepare_baseline`` lays out a project with the portal's own ``mkdocs.yml``
(theme, features, Markdown extensions, search), minus the portal plugin, and
``pages`` Markdown pages whose article HTML is on average ``article_bytes``
long. The navigation stays the portal's small one (Home, Campaigns, Events,
Leaders, Authoring guide); every other page is kept out of it with
``not_in_nav``, as the portal keeps its campaign, event and leader pages out
of it once there are more than ``nav_campaigns_limit`` campaigns.
"""

from __future__ import annotations

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


def prepare_baseline(root: Path, *, pages: int, article_bytes: int, seed: int = 1) -> Path:
    """Lay out the plain-pages project in ``root``: ``pages`` pages in all, the nav's five among them."""
    root.mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "overrides", root / "overrides")
    (root / "mkdocs.yml").write_text(
        baseline_config((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")), encoding="utf-8"
    )
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    rng = random.Random(f"{seed}:baseline")
    ratio = _html_per_markdown_byte(rng)
    existing = sum(1 for _ in content.rglob("*.md"))
    for uri, title in NAV_PAGES.items():
        path = content / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(rng, title, round(article_bytes / ratio)), encoding="utf-8")
        existing += 1
    for number in range(max(0, pages - existing)):
        folder = content / LIBRARY / f"section-{number // PAGES_PER_FOLDER:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        size = round(article_bytes / ratio * rng.uniform(0.5, 1.5))
        (folder / f"page-{number:05d}.md").write_text(_page(rng, f"Practice note {number + 1}", size), encoding="utf-8")
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

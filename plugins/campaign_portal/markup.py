"""Markdown from campaign files into safe HTML and clean plain text.

Campaign text is written by many hands, so every piece of Markdown is
rendered and then sanitised against an allow-list (nh3). What the sanitiser
would drop is reported, so the author learns that their ``<iframe>`` did
not make it rather than wondering where it went.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import ClassVar

import markdown
import nh3
from markupsafe import Markup

from .model import SourceRef

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "i",
    "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
_MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


@dataclass(frozen=True)
class MarkupWarning:
    source: SourceRef
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class _RemovalFinder(HTMLParser):
    """Lists what the allow-list will drop from rendered Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.removed.append(f"<{tag}>")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.removed.append(f"the {name} attribute of <{tag}>")
            elif name in _URL_ATTRIBUTES and value is not None:
                scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", unescape(value))
                if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
                    self.removed.append(f"a {scheme.group(1).lower()}: link")


class _TextMaker(HTMLParser):
    """Sanitised HTML to the plain text a person would type: paragraphs, bullets, links in brackets."""

    _BLOCKS: ClassVar[set[str]] = {"p", "ul", "ol", "blockquote", "pre", "table", "h3", "h4", "h5", "h6", "hr", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int]] = []  # one counter per open list; -1 for bullets
        self.href: list[str | None] = []
        self.link_text: list[str] = []
        self.in_pre = False

    def _newlines(self, count: int) -> None:
        text = "".join(self.parts).rstrip(" ")
        trailing = len(text) - len(text.rstrip("\n"))
        self.parts = [text + "\n" * max(count - trailing, 0)] if text else []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self._newlines(1 if tag == "tr" else 2)
        if tag == "pre":
            self.in_pre = True
        if tag == "br":
            self.parts.append("\n")
        elif tag in ("ul", "ol"):
            if self.lists:
                self._newlines(1)
            self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            self._newlines(1)
            depth = max(len(self.lists) - 1, 0)
            counter = self.lists[-1] if self.lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
                bullet = f"{counter[0]}. "
            else:
                bullet = "- "
            self.parts.append("  " * depth + bullet)
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.link_text.append("")
        elif tag in ("td", "th") and not "".join(self.parts).endswith(("\n", "")):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self._newlines(2 if tag != "tr" else 1)
        if tag == "pre":
            self.in_pre = False
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "a" and self.href:
            href = self.href.pop()
            text = self.link_text.pop().strip()
            if href and href != text and not href.startswith("mailto:"):
                self.parts.append(f" ({href})")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.in_pre:
            data = re.sub(r"\s+", " ", data)
            if "".join(self.parts[-1:]).endswith(("\n", " ")) or not self.parts:
                data = data.lstrip(" ")
        if self.link_text:
            self.link_text[-1] += data
        self.parts.append(data)

    def text(self) -> str:
        lines = [line.rstrip() for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass
class MarkupRenderer:
    """Renders Markdown for one build, caching by text and collecting warnings."""

    warnings: list[MarkupWarning] = field(default_factory=list)
    _cache: dict[tuple[str, bool], tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    _md: markdown.Markdown = field(default_factory=lambda: markdown.Markdown(extensions=_MARKDOWN_EXTENSIONS))
    # Messages are emails: a line break typed in the body is a line break in the email.
    _md_with_breaks: markdown.Markdown = field(
        default_factory=lambda: markdown.Markdown(extensions=[*_MARKDOWN_EXTENSIONS, "nl2br"])
    )
    _warned: set[tuple[SourceRef, str]] = field(default_factory=set)

    def html(
        self, text: str | None, source: SourceRef | None = None, *, what: str = "text", line_breaks: bool = False
    ) -> Markup:
        """Markdown to sanitised HTML, safe to place in a page as it is.

        When ``source`` is given, anything the sanitiser drops is reported once
        as a warning at that file:line.
        """
        if not text:
            return Markup("")
        cached = self._cache.get((text, line_breaks))
        if cached is None:
            converter = self._md_with_breaks if line_breaks else self._md
            raw = converter.reset().convert(text)
            cached = (clean_html(raw), find_removals(raw))
            self._cache[(text, line_breaks)] = cached
        clean, removed = cached
        if removed and source is not None and (source, what) not in self._warned:
            self._warned.add((source, what))
            self.warnings.append(MarkupWarning(source, f"removed from {what} for safety: {', '.join(removed)}"))
        return Markup(clean)

    def text(self, text: str | None, *, line_breaks: bool = False) -> str:
        """Markdown to plain text: what a person would paste into a chat or a plain email."""
        if not text:
            return ""
        return html_to_text(str(self.html(text, line_breaks=line_breaks)))


def find_removals(html: str) -> tuple[str, ...]:
    """What the allow-list will drop from ``html``, described for the author."""
    finder = _RemovalFinder()
    finder.feed(html)
    finder.close()
    return tuple(dict.fromkeys(finder.removed))


def clean_html(html: str) -> str:
    """Sanitise HTML against the portal's allow-list."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def html_to_text(html: str) -> str:
    """Sanitised HTML to readable plain text."""
    maker = _TextMaker()
    maker.feed(html)
    maker.close()
    return maker.text()

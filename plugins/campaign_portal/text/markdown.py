"""Markdown from campaign files into safe HTML and clean plain text.

Campaign text is written by many hands, so every piece of Markdown is
rendered and then sanitised against an allow-list (nh3). What the sanitiser
would drop is reported, so the author learns that their ``<iframe>`` did
not make it rather than wondering where it went.

Python-Markdown takes quadratic time on some inputs (thousands of unclosed
``[`` or ``<a ``) and recurses once per level of nested lists, so a text is
formatted only when it is at most ``MAX_MARKDOWN_CHARS`` long, within
``MARKDOWN_SECONDS`` and the recursion limit. Otherwise it is shown as plain,
escaped text, and the author is told.

The time limit is a budget per source: every text rendered for one ``budget`` key (a message
body's template, rendered once per leader) shares ``MARKDOWN_SECONDS`` in a build, so a slow
template costs that time once, not once per leader, and its copies show as plain text. The
limit is an interval timer (``SIGALRM``) on the main thread, which costs nothing while Markdown
runs; elsewhere (``mkdocs serve`` builds on a thread) it falls back to a trace function.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from html import escape, unescape
from html.parser import HTMLParser
from types import FrameType
from typing import Any, ClassVar

import markdown
import nh3
from markupsafe import Markup

from ..model import Problem, SourceRef

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "i",
    "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
_MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}
MAX_MARKDOWN_CHARS = 100_000
MARKDOWN_SECONDS = 2.0
# Browsers (and nh3's URL parser) drop ASCII tabs and newlines anywhere in a URL and
# C0 controls and spaces around it, so "jav&#x09;ascript:" is a javascript: link.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


class CheckedMarkdown(str):
    """Markdown from a campaign file that the loader has checked.

    The loader knows the exact line of each field, so it reports what the
    sanitiser removes (``MarkupRenderer.check``). The text carries its rendering,
    so the site shows exactly what was checked, without formatting it again.

    A text the loader proved clean from its source (``renders_cleanly``) is ``deferred``: it
    is rendered once, by the renderer that checked it (its cache), when the first of that
    renderer's deferred texts is used (``render_deferred``: all in one go), and keeps
    where it was written (``source``) and ``what`` it is, so that ``deferred_notice`` can still
    report it at its own line if rendering, against the proof, finds something.
    """

    source: SourceRef | None = None  # given by ``check`` to the texts it defers, and only to them
    what: str = "text"
    _rendered: _Rendered | None = None
    _renderer: MarkupRenderer | None = None

    @property
    def deferred(self) -> bool:
        return self.source is not None

    @property
    def rendered(self) -> _Rendered | None:
        if self._rendered is None and self._renderer is not None:
            self._renderer.render_deferred()
        return self._rendered

    @rendered.setter
    def rendered(self, rendered: _Rendered | None) -> None:
        self._rendered = rendered

    def deferred_notice(self) -> Problem | None:
        """For a deferred text: rendered now if it was not yet, what an author would have heard
        about it at load (at its own line), or None. Always None for a text rendered at load."""
        if self.source is None:
            return None
        rendered = self.rendered
        message = _describe(rendered, self.what) if rendered is not None else None
        return Problem.at(self.source, message) if message is not None else None


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
                scheme = url_scheme(value)
                if scheme is not None and scheme not in ALLOWED_URL_SCHEMES:
                    self.removed.append(f"a {scheme}: link")


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
        self.after_bullet = False  # a loose list item's <p> starts on the bullet's line
        self.links: list[tuple[str, str]] = []  # each link's (text, address), as compared below

    def _newlines(self, count: int) -> None:
        """End the text with at least ``count`` line breaks (none at its start); trailing spaces go."""
        # Only the whitespace at the end is looked at, so that long texts stay linear.
        trailing = 0
        while self.parts:
            last = self.parts[-1]
            kept = last.rstrip(" \n")
            trailing += last.count("\n", len(kept))
            if kept:
                self.parts[-1] = kept
                self.parts.append("\n" * max(count, trailing))
                return
            self.parts.pop()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and self.after_bullet:
            pass
        elif tag in self._BLOCKS:
            self._newlines(1 if tag == "tr" else 2)
        self.after_bullet = False
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
            self.after_bullet = True
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.link_text.append("")

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
            if href:
                self.links.append((text, href))
            if href and href != text and not href.startswith("mailto:"):
                self.parts.append(f" ({href})")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.after_bullet = False
        if not self.in_pre:
            data = _WHITESPACE.sub(" ", data)
            if not self.parts or self.parts[-1].endswith(("\n", " ")):
                data = data.lstrip(" ")
        if self.link_text:
            self.link_text[-1] += data
        self.parts.append(data)

    def text(self) -> str:
        lines = [line.rstrip() for line in "".join(self.parts).split("\n")]
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()

    def read_directly(self, html: str) -> bool:
        """Call the handlers as ``HTMLParser`` would for ``html`` (with ``convert_charrefs``: the
        text between two tags in one piece, entities decoded; names and attributes as written,
        values decoded), if every ``<`` in it starts a tag of ``_SIMPLE_TAG``; else stop at the
        first that does not and return False. Allowed tags are never script or style, whose
        content the parser reads as raw text."""
        position, length = 0, len(html)
        while position < length:
            start = html.find("<", position)
            if start < 0:
                start = length
            if start > position:
                self.handle_data(unescape(html[position:start]))
            if start == length:
                break
            tag = _SIMPLE_TAG.match(html, start)
            if tag is None:
                return False
            closing, name, attributes = tag.groups()
            if name not in ALLOWED_TAGS or (closing and attributes):
                return False
            if closing:
                self.handle_endtag(name)
            else:
                self.handle_starttag(name, [(key, unescape(value)) for key, value in _SIMPLE_ATTRIBUTE.findall(attributes)])
            position = tag.end()
        return True


def _text_of(html: str) -> _TextMaker:
    """A ``_TextMaker`` that has read ``html``: directly when it is the sanitiser's kind of HTML
    (text, and allowed tags with double-quoted attributes: what nh3 writes), else with the parser."""
    maker = _TextMaker()
    if not maker.read_directly(html):
        maker = _TextMaker()
        maker.feed(html)
        maker.close()
    return maker


_WHITESPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")
# A tag as the sanitiser writes it: a lowercase name, then attributes, each a space, a lowercase
# name and a double-quoted value without tags in it.
_SIMPLE_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z][a-z-]*="[^"<>]*")*)>')
_SIMPLE_ATTRIBUTE = re.compile(r' ([a-z][a-z-]*)="([^"<>]*)"')


class _TooSlow(BaseException):
    """Raised inside Markdown when it runs past its time; a BaseException so that no ``except Exception`` hides it."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the code inside once ``seconds`` have passed (wall clock), raising ``_TooSlow`` in it.

    When a debugger or coverage is already tracing, it is left alone and there is no limit.
    """
    if sys.gettrace() is not None:
        yield
        return
    if seconds <= 0:
        raise _TooSlow
    limit = _alarm_limit if _alarm_is_free() else _trace_limit
    with limit(seconds):
        yield


_alarm_armed = False


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    if _alarm_armed:  # a signal handled after the block ended is ignored
        raise _TooSlow


def _alarm_is_free() -> bool:
    """Signals reach only the main thread, and another user of SIGALRM (or its timer) is left alone."""
    return (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, _on_alarm)
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )


@contextmanager
def _alarm_limit(seconds: float) -> Iterator[None]:
    global _alarm_armed
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _alarm_armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        _alarm_armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _trace_limit(seconds: float) -> Iterator[None]:
    """The limit off the main thread: a check at every Python function call (about +30% to Markdown)."""
    deadline = time.monotonic() + seconds

    def check(frame: FrameType, event: str, arg: Any) -> None:
        if time.monotonic() > deadline:
            raise _TooSlow
        return None  # no per-line tracing: only calls are checked

    sys.settrace(check)
    try:
        yield
    finally:
        sys.settrace(None)


@dataclass(frozen=True)
class _Rendered:
    html: str
    removed: tuple[str, ...] = ()
    failure: str | None = None  # why the text is shown as plain text
    out_of_budget: bool = False  # not tried: its template's time budget was spent


@dataclass
class MarkupRenderer:
    """Renders Markdown for one build, caching by text and collecting warnings."""

    warnings: list[Problem] = field(default_factory=list)
    deferred: list[CheckedMarkdown] = field(default_factory=list)  # texts ``check`` did not render
    _cache: dict[tuple[str, bool], _Rendered] = field(default_factory=dict)
    # One converter per set of patterns and processors left out (``_inapplicable``), with and without line breaks.
    _converters: dict[tuple[bool, frozenset[tuple[str, str]]], markdown.Markdown] = field(default_factory=dict)
    _warned: set[tuple[SourceRef, str]] = field(default_factory=set)
    # Seconds of Markdown spent per budget key (a message template) in this build.
    _spent: dict[Hashable, float] = field(default_factory=dict)

    def html(
        self,
        text: str | None,
        source: SourceRef | None = None,
        *,
        what: str = "text",
        line_breaks: bool = False,
        budget: Hashable | None = None,
    ) -> Markup:
        """Markdown to sanitised HTML, safe to place in a page as it is.

        When ``source`` is given, anything the sanitiser drops is reported once
        as a warning at that file:line (not for ``CheckedMarkdown``: the loader did).
        Texts with the same ``budget`` key share one ``MARKDOWN_SECONDS`` in this build.
        """
        if not text:
            return Markup("")
        rendered = text.rendered if isinstance(text, CheckedMarkdown) and not line_breaks else None
        if rendered is None:
            rendered = self._rendered(text, line_breaks, budget)
        if source is not None and not isinstance(text, CheckedMarkdown) and (source, what) not in self._warned:
            message = _describe(rendered, what)
            if message is not None:
                self.warn(source, what, message)
        return Markup(rendered.html)

    def warn(self, source: SourceRef, what: str, message: str) -> None:
        """Report ``message`` about ``what`` at ``source``, once per renderer (that is, per build)."""
        if (source, what) not in self._warned:
            self._warned.add((source, what))
            self.warnings.append(Problem.at(source, message))

    def notice(self, text: str, *, what: str = "text", budget: Hashable | None = None) -> str | None:
        """What ``html(text, source, what=what)`` would warn about, without reporting it."""
        return _describe(self._rendered(text, False, budget), what) if text else None

    def _rendered(self, text: str, line_breaks: bool, budget: Hashable | None = None) -> _Rendered:
        """``text`` rendered, once per build."""
        rendered = self._cache.get((text, line_breaks))
        if rendered is None:
            rendered = self._render(text, line_breaks, budget)
            if not rendered.out_of_budget:  # the same text may still fit another template's budget
                self._cache[(text, line_breaks)] = rendered
        return rendered

    def _render(self, text: str, line_breaks: bool, budget: Hashable | None) -> _Rendered:
        if len(text) > MAX_MARKDOWN_CHARS:
            failure = (
                f"it is too long to format as Markdown ({len(text):,} characters; the limit is {MAX_MARKDOWN_CHARS:,})"
            )
            return _Rendered(plain_html(text, line_breaks=line_breaks), failure=failure)
        converter = self._converter(text, line_breaks)
        key = budget if budget is not None else (text, line_breaks)
        spent = self._spent.get(key, 0.0)
        start = time.monotonic()
        out_of_budget = spent >= MARKDOWN_SECONDS
        try:
            with _time_limit(MARKDOWN_SECONDS - spent):
                raw = converter.reset().convert(text)
                removed = find_removals(raw)
        except _TooSlow:
            failure = (
                f"it took longer than {MARKDOWN_SECONDS:g} seconds to format as Markdown; check its brackets and tags"
            )
        except RecursionError:
            failure = "it is nested too deeply to format as Markdown (lists or quotes inside each other)"
        else:
            return _Rendered(clean_html(raw), removed)
        finally:
            if budget is not None:
                self._spent[key] = spent + time.monotonic() - start
        # Stopped part-way, the converter keeps state that reset() does not clear (its block
        # parser's open lists): texts converted with it afterwards would lose paragraphs.
        self._converters = {kind: kept for kind, kept in self._converters.items() if kept is not converter}
        return _Rendered(plain_html(text, line_breaks=line_breaks), failure=failure, out_of_budget=out_of_budget)

    def _converter(self, text: str, line_breaks: bool) -> markdown.Markdown:
        """A converter for ``text`` without the inline patterns, block processors and preprocessors
        that cannot match anywhere in it (``_inapplicable``): each is tried on every piece of text or
        every block, and most texts use a few of them. Leaving out one that cannot match changes
        nothing in the result."""
        key = (line_breaks, _inapplicable(text))
        converter = self._converters.get(key)
        if converter is None and len(self._converters) >= _MAX_CONVERTERS:
            key = (line_breaks, frozenset())  # past so many kinds of text, new kinds share the full converter
            converter = self._converters.get(key)
        if converter is None:
            # Messages are emails: a line break typed in the body is a line break in the email.
            converter = markdown.Markdown(extensions=[*_MARKDOWN_EXTENSIONS, "nl2br"] if line_breaks else _MARKDOWN_EXTENSIONS)
            registries: dict[str, markdown.util.Registry[Any]] = {
                "inline": converter.inlinePatterns,
                "block": converter.parser.blockprocessors,
                "pre": converter.preprocessors,
            }
            for kind, name in key[1]:
                if name in registries[kind]:
                    registries[kind].deregister(name)
            self._converters[key] = converter
        return converter

    def shared(self, text: str, tokens: list[str], *, budget: Hashable | None = None) -> SharedRendering | None:
        """``text`` (holding ``tokens``, plain words of letters) rendered once for every text that
        differs from it only in plain words where the tokens stand; None when that would not be safe."""
        if "\t" in text or "]:" in text or len(text) > MAX_MARKDOWN_CHARS:
            return None  # tabs expand by column; a reference definition matches labels by their words
        pattern = re.compile("|".join(re.escape(token) for token in sorted(tokens, key=len, reverse=True)))
        found = list(pattern.finditer(text))
        if not found:
            return None
        for match in found:
            start, end = match.start(), match.end()
            while start > 0 and text[start - 1].isalnum():
                start -= 1
            while end < len(text) and text[end].isalnum():
                end += 1
            # A word is markup after "&" "#" (entities), "<" "/" (tags) or "\\", and before ":" ";" (schemes, entities).
            if (start > 0 and text[start - 1] in "&#</\\") or (end < len(text) and text[end] in ":;"):
                return None
        rendered = self._rendered(text, False, budget)
        if rendered.failure is not None or rendered.removed:
            return None
        if len(pattern.findall(rendered.html)) != len(found):
            return None
        # A space is not inert everywhere a word is ("<a.{name}@x.example>", "<abbr title={name}>"):
        # values of several words are put in only if the probe with each token as two words renders
        # as the probe does with the same change. That second rendering is made only when a copy
        # first has a value of several words (most values put in are one word: a first name).
        def doubled(written: str) -> str:
            return pattern.sub(lambda token: f"{token.group()} {token.group()}", written)

        def spaces_inert() -> bool:
            spaced = self._rendered(doubled(text), False, budget)
            return spaced.failure is None and not spaced.removed and spaced.html == doubled(rendered.html)

        return SharedRendering(text, rendered.html, pattern, spaces_inert)

    def check(
        self, text: str, *, what: str = "text", source: SourceRef | None = None
    ) -> tuple[CheckedMarkdown, str | None]:
        """``text`` checked, and what an author should hear about it (what was removed, or why
        it shows as plain text), or None.

        With ``source`` (where the text was written), a text that ``renders_cleanly`` is not
        rendered now: nothing can be reported about it, and it is rendered on first use
        (``CheckedMarkdown``). Otherwise it is rendered now, once."""
        checked = CheckedMarkdown(text)
        if source is not None and renders_cleanly(text):
            checked.source, checked.what = source, what
            checked._renderer = self
            self.deferred.append(checked)
            return checked, None
        rendered = self._rendered(text, False)
        checked.rendered = rendered
        return checked, _describe(rendered, what)

    def render_deferred(self) -> None:
        """Render every text ``check`` deferred that is not rendered yet, at the first use of one.

        All in one go, as the loader did before: rendered one at a time between the site's other
        work, the same texts took about 5% more of the plugin's CPU (bench.ab at 600 campaigns)."""
        for text in self.deferred:
            if text._rendered is None:
                text._rendered = self._rendered(text, False)
                text._renderer = None  # rendered: this renderer need not be kept alive for it

    def text(self, text: str | None, *, line_breaks: bool = False, budget: Hashable | None = None) -> str:
        """Markdown to plain text: what a person would paste into a chat or a plain email."""
        if not text:
            return ""
        return html_to_text(str(self.html(text, line_breaks=line_breaks, budget=budget)))


# -- one rendering for texts that differ only in a few plain words ---------------------------------

# A value that reads the same to Markdown and the sanitiser wherever a plain word may stand: letters
# in words separated by single spaces (no digits, punctuation, markup or entity characters).
_INERT = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")


@dataclass(frozen=True)
class SharedRendering:
    """Markdown rendered once for texts that differ only in the plain words standing for some tokens.

    ``text`` holds tokens (plain words of letters, such as a probe of a message template rendered
    with a token for each of the leader's values); ``html`` is its clean rendering. A text equal
    to ``text`` with each token replaced by a plain word (``_INERT``) renders to ``html`` with the
    same replacement: Markdown and the sanitiser treat all plain words alike, except next to the
    characters ``MarkupRenderer.shared`` refuses (entities, tags, URL schemes), in texts with
    reference-link definitions or tabs (both refused), or when rendering removed something.
    """

    text: str
    html: str
    tokens: re.Pattern[str]
    # Whether values of several words render as one word does (else they are refused); asked once,
    # when a copy first has such a value.
    check_spaces: Callable[[], bool] = field(default=lambda: True, repr=False, compare=False)

    @cached_property
    def spaces_inert(self) -> bool:
        return self.check_spaces()

    def rendering_for(self, text: str, values: dict[str, Any]) -> tuple[str, str] | None:
        """``text``'s rendering and its plain text (``html_to_text``) if ``text`` is ``self.text`` with
        ``values`` (token -> value) put in, else None."""
        if len(text) > MAX_MARKDOWN_CHARS:
            return None
        for token in set(self.tokens.findall(self.text)):
            value = values.get(token)
            if not isinstance(value, str) or not _INERT.fullmatch(value) or (" " in value and not self.spaces_inert):
                return None

        def put(written: str) -> str:
            return self.tokens.sub(lambda found: values[found.group()], written)

        if put(self.text) != text:
            return None
        html = put(self.html)
        # The plain text takes the same replacement, unless a link whose text and address differed
        # in the probe reads the same with the values put in (or the other way round), which the
        # plain text writes differently (no address after the text): "[Ann](<token>)" for Ann,
        # or two tokens standing for one word.
        if any((put(link_text) == put(href)) != (link_text == href) for link_text, href in self._probe_text[1]):
            return html, html_to_text(html)
        return html, put(self._probe_text[0])

    @cached_property
    def _probe_text(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The probe's plain text, tokens included, and its links' (text, address) pairs."""
        maker = _text_of(self.html)
        return maker.text(), tuple(maker.links)


# Python-Markdown's inline patterns, each with the characters one of its matches always holds.
# The text they are tried on is the author's (cut into pieces, with placeholders of letters,
# digits and ':' between control characters for what earlier patterns matched), so a pattern
# none of whose characters is in the text can never match. Patterns not named here are kept.
_INLINE_TRIGGERS = {
    "backtick": "`", "escape": "\\", "reference": "[", "link": "[", "image_link": "[", "image_reference": "[",
    "short_reference": "[", "short_image_ref": "[", "autolink": "<", "automail": "<", "html": "<", "entity": "&",
    "em_strong": "*_", "em_strong2": "_",
}  # fmt: skip
# The block processors likewise: each is tested on every block, and a block is the author's text
# (after Markdown's first step: see _inapplicable) cut into parts, with line prefixes ("> ",
# list markers, indentation) taken off and placeholders of letters, digits and ':' for raw
# HTML and fenced code, so a processor none of whose characters is in the text never applies.
_BLOCK_TRIGGERS = {
    "table": "|", "hashheader": "#", "setextheader": "=-", "hr": "-_*", "quote": ">", "ulist": "*+-",
}  # fmt: skip
_MAX_CONVERTERS = 96  # each is a Markdown instance with its extensions: ~1 ms to make
_TRIGGER_CHARACTERS = frozenset("".join(_INLINE_TRIGGERS.values()) + "".join(_BLOCK_TRIGGERS.values()))
# A reference definition ("[id]: https://..."), the only source of the references that the
# reference patterns look up: without one, they match nothing they can change.
_REFERENCE_DEFINITION = re.compile(r"\][ \t]*:")
_ORDERED_ITEM = re.compile(r"\d\.")  # an ordered list item starts with digits and a dot


def _inapplicable(text: str) -> frozenset[tuple[str, str]]:
    """The inline patterns, block processors and preprocessors (``(kind, name)``) that cannot
    match anywhere in ``text``, so that leaving them out changes nothing in its rendering."""
    # Markdown's first step drops the two characters it keeps for its placeholders, which can
    # bring together what they separated ("  \x02\n" becomes a hard line break), makes CR line
    # ends LF and expands tabs to spaces (so a tab is taken for indentation and spaces below).
    text = text.replace("\x02", "").replace("\x03", "")
    present = {character for character in _TRIGGER_CHARACTERS if character in text}
    names = [("inline", name) for name, characters in _INLINE_TRIGGERS.items() if present.isdisjoint(characters)]
    names += [("block", name) for name, characters in _BLOCK_TRIGGERS.items() if present.isdisjoint(characters)]
    tabbed = "\t" in text
    # Markdown's HTML block step (only where there is a "<") takes some tags out from between the
    # characters around them, or starts a new line before them: "<div>a</div>1<!-- c -->. x" is an
    # ordered list, "a\n  <div>" ends a line in two spaces. The checks of character sequences
    # below (not those of single characters) hold only for text without it.
    joined = "<" in text
    # A hard line break is two spaces before a line break.
    if "  \n" not in text and not joined and not tabbed and "\r" not in text:
        names.append(("inline", "linebreak"))
    if "!" not in text:  # an image is "![...]"
        names += [("inline", "image_link"), ("inline", "image_reference"), ("inline", "short_image_ref")]
    if _REFERENCE_DEFINITION.search(text) is None and not joined:
        names.append(("block", "reference"))
        names += [("inline", name) for name in ("reference", "short_reference", "image_reference", "short_image_ref")]
    if "    " not in text and not joined and not tabbed:  # a code block, or a list item's indented part
        names += [("block", "code"), ("block", "indent")]
    if _ORDERED_ITEM.search(text) is None and not joined:
        names.append(("block", "olist"))
    if "```" not in text and "~~~" not in text:
        names.append(("pre", "fenced_code_block"))
    if "<" not in text and "&" not in text:  # raw HTML: read with an HTML parser, which reacts only to these
        names.append(("pre", "html_block"))
    return frozenset(names)


# -- proving from the source that rendering reports nothing -----------------------------------------

# Bounds within which Python-Markdown's work on a text is small and shallow (see renders_cleanly).
CLEAN_MAX_CHARS = 4_000  # MAX_MARKDOWN_CHARS / 25
CLEAN_MAX_BRACKETS = 64  # "[": each unclosed one is a scan to the end of its paragraph
CLEAN_MAX_PREFIX = 16  # columns of a line's container markers and indentation, a tab as 4
# Anywhere in the text: raw HTML and autolinks, backslash escapes, tables, and control characters
# (those Markdown drops, and line ends other than LF); also images, fences and reference definitions.
_UNCLEAN_CHARACTER = re.compile(r"[<\\|\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# What Markdown may take off the start of a line before it looks at the rest: quote markers,
# list markers, indentation (and, for a setext underline, the underline itself).
_LINE_PREFIX = re.compile(r"(?:[ \t>*+\-.=]|\d)*")
# The start of each line (after a line break) that has such a prefix or starts with "#".
_LINE_TO_READ = re.compile(r"\n(?=[ \t>*+\-.=#]|\d)")
_ORDERED_MARKER = re.compile(r"(\d+)\.(?=[ \t]|$)")
_SIMPLE_ORDERED_ITEM = re.compile(r"([ \t>]*)\d+\.[ \t]+")
# After "](": the link's address (spaces before it skipped), as far as its scheme could reach.
_LINK_START = re.compile(r"\]\([^\S\n]*([A-Za-z0-9+.\-]*)(?=(.?))", re.DOTALL)


def renders_cleanly(text: str) -> bool:
    r"""True only when rendering ``text`` (Python-Markdown with ``_MARKDOWN_EXTENSIONS``, then
    ``find_removals``) can report nothing: no tag, attribute or link scheme outside the allow-list,
    no failure. Read from the source alone, conservatively: False whenever in doubt, and the
    loader then renders the text as before. Typical prose (paragraphs, **bold**, _em_, `code`,
    bullet lists, quotes, h3-h6, lists numbered from 1, [links](https://...)) passes.

    Each exclusion and why:

    - Longer than ``CLEAN_MAX_CHARS``, or more ``[`` than ``CLEAN_MAX_BRACKETS``: Markdown's time
      grows with the square of unclosed brackets (about 40 ms at both bounds at once, far from
      ``MARKDOWN_SECONDS``); and far below ``MAX_MARKDOWN_CHARS``.
    - ``<`` (raw HTML, comments, autolinks), ``\`` (escapes: placeholders put back into link
      addresses), ``|`` (tables: alignment is a ``style`` attribute), ``![`` (images), a fence of three
      backticks or ``~~~`` (a ``class`` for the language), ``]:`` (reference definitions: a link address
      written elsewhere), control characters (Markdown drops STX/ETX and reads CR as a line end,
      which would join or split what is checked here line by line), C1 controls, U+2028/9.
    - Per line, on its prefix: the characters Markdown may strip before a block (``>``, list
      markers, digits and dots, spaces and tabs) are taken greedily, so whatever prefix Markdown
      strips is part of it. Then:
      - a ``#`` right after the prefix, unless ``###`` or more: an ATX h1 or h2 (no space is
        needed after ``#``; inside list items and quotes too); h3-h6 are allowed;
      - a line of only prefix characters ending in ``=`` or ``-``: a setext underline (h1, h2)
        after some prefix (this also refuses ``---`` rules, which are allowed, to stay simple);
      - an ordered-list number other than ``1`` in the prefix: a list starting there gets a
        ``start`` attribute (sane_lists), which is not allowed. Allowed only for an item right
        after another (no blank line), both with the same prefix of ``>``, spaces and tabs and
        one number each: Markdown reads both into one list, started by an earlier line;
      - a prefix wider than ``CLEAN_MAX_PREFIX`` columns: nesting of lists and quotes is at most
        that deep, so Markdown's recursion stays far from the limit wherever the text is first
        rendered (in a template, deeper in the stack than at load) and its blockquote rule,
        which gives up within 100 frames of the limit, reads the same.
    - After each ``](`` (a link's address follows; spaces skipped, a line break refused, as the
      next line's prefix would be taken away): a scheme other than http, https or mailto, or the
      letters of one interrupted by what Markdown or ``url_scheme`` reads differently from the
      source: a tab or line break (dropped from URLs), ``&`` (an entity), a backtick (code put
      back as text in the address). Titles are allowed on links, and no other Markdown syntax
      makes an attribute.
    """
    if (
        len(text) > CLEAN_MAX_CHARS
        or text.count("[") > CLEAN_MAX_BRACKETS
        or _UNCLEAN_CHARACTER.search(text)
        or any(construct in text for construct in ("![", "```", "~~~"))
        or ("]" in text and _REFERENCE_DEFINITION.search(text))
    ):
        return False
    for link in _LINK_START.finditer(text):
        scheme, after = link.groups()
        if after == ":":
            if scheme.lower() not in ALLOWED_URL_SCHEMES:
                return False
        elif after in ("\t", "\n", "&", "`"):
            return False
    lines = "\n" + text  # every line after a line break
    for line in _LINE_TO_READ.finditer(lines):  # lines with an empty prefix not starting with "#" are fine
        prefix, item = _line_start(lines, line.end())
        rest = lines[line.end() + len(prefix) : line.end() + len(prefix) + 3]
        if len(prefix) + 3 * prefix.count("\t") > CLEAN_MAX_PREFIX:
            return False
        if rest[:1] == "#" and rest != "###":
            return False
        written = prefix.rstrip(" \t")
        if rest[:1] in ("", "\n") and written and written[-1] in "=-":
            return False
        numbered = any(number != "1" for number in _ORDERED_MARKER.findall(prefix))
        if numbered and (item is None or _line_start(lines, lines.rfind("\n", 0, line.start()) + 1)[1] != item):
            return False
    return True


def _line_start(lines: str, start: int) -> tuple[str, str | None]:
    """The prefix (``_LINE_PREFIX``) of the line of ``lines`` starting at ``start``; and if the line is
    one plain numbered item (a prefix of ``>``, spaces and tabs, one number, text after it), that prefix."""
    prefix = _LINE_PREFIX.match(lines, start).group()  # type: ignore[union-attr]  # matches empty
    item = _SIMPLE_ORDERED_ITEM.fullmatch(prefix)
    after = lines[start + len(prefix) : start + len(prefix) + 1]
    return prefix, item.group(1) if item is not None and after not in ("", "\n") else None


def deferred_problems(texts: Iterable[CheckedMarkdown]) -> list[Problem]:
    """What rendering finds in ``texts`` (``CheckedMarkdown.deferred``: all the loader deferred),
    each at its own line.

    Each text is rendered now unless its first use already did; the site then reuses the
    rendering. Empty unless ``renders_cleanly`` is wrong: the proof checked once more, also for
    texts the site does not show (drafts, files left out), so that a build and ``portal
    validate`` report what rendering every text at load would have."""
    problems = (text.deferred_notice() for text in texts)
    return sorted(problem for problem in problems if problem is not None)


def _describe(rendered: _Rendered, what: str) -> str | None:
    if rendered.failure is not None:
        return f"{what} is shown as plain text: {rendered.failure}"
    if rendered.removed:
        return f"removed from {what} for safety: {', '.join(rendered.removed)}"
    return None


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads in ``url`` (entities already decoded), lowercase; None for a relative URL."""
    found = _URL_SCHEME.match(
        _URL_IGNORED.sub("", url).strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
        )
    )
    return found.group(1).lower() if found else None


def plain_html(text: str, *, line_breaks: bool = False) -> str:
    """Text shown as it is written: escaped, in paragraphs, for text that cannot be formatted."""
    paragraphs = [part.strip() for part in re.split(r"\n[ \t]*\n", text) if part.strip()]
    joiner = "<br>\n" if line_breaks else "\n"
    return "".join(f"<p>{joiner.join(escape(line) for line in part.splitlines())}</p>" for part in paragraphs)


# A tag that Markdown writes and the allow-list keeps whole: an allowed tag without attributes,
# or a link with an href (and a title) free of entities and quotes, whose scheme is checked.
_KEPT_TAG = re.compile(r'</?([a-z][a-z0-9]*)(?: ?/)?>|<a href="([^"&<>]*)"(?: title="[^"&<>]*")?>')


def _nothing_removed(html: str) -> bool:
    """True when every ``<`` in ``html`` starts a tag the allow-list keeps whole (what most
    rendered Markdown is); False when ``find_removals`` has to read it with the HTML parser."""
    position = html.find("<")
    while position != -1:
        tag = _KEPT_TAG.match(html, position)
        if tag is None:
            return False
        name, href = tag.group(1, 2)
        if name is not None and name not in ALLOWED_TAGS:
            return False
        if href is not None and (scheme := url_scheme(href)) is not None and scheme not in ALLOWED_URL_SCHEMES:
            return False
        position = html.find("<", tag.end())
    return True


def find_removals(html: str) -> tuple[str, ...]:
    """What the allow-list will drop from ``html``, described for the author."""
    if _nothing_removed(html):
        return ()
    finder = _RemovalFinder()
    try:
        finder.feed(html)
        finder.close()
    except AssertionError:
        # Python's parser gives up at a marked section other than CDATA ("<![a]" after raw HTML),
        # which the sanitiser drops with the rest of what it cannot read.
        finder.removed.append("a <![...]> section")
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
    return _text_of(html).text()

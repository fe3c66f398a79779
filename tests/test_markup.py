"""Markdown from campaign files: sanitised HTML, clean plain text, and a warning for what was removed."""

from __future__ import annotations

import re
import sys

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given, settings
from hypothesis import strategies as st

from campaign_portal.model import SourceRef
from campaign_portal.text import markdown as markup
from campaign_portal.text.markdown import (
    MAX_MARKDOWN_CHARS,
    CheckedMarkdown,
    MarkupRenderer,
    html_to_text,
    plain_html,
    url_scheme,
)

SOURCE = SourceRef("campaigns/probe.yml", 7)
X = "window.__xss=1"


def render(text: str, *, line_breaks: bool = False) -> tuple[str, list[str]]:
    renderer = MarkupRenderer()
    html = str(renderer.html(text, SOURCE, what="the summary", line_breaks=line_breaks))
    return html, [str(warning) for warning in renderer.warnings]


def assert_inert(html: str) -> None:
    """Nothing in ``html`` can run script: no script-capable element, handler, style or bad URL."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        assert element.name not in {"script", "iframe", "svg", "math", "style", "img", "object", "embed", "form"}, html
        for name, value in element.attrs.items():
            assert not name.startswith("on") and name != "style", html
            if name in ("href", "src"):
                assert url_scheme(str(value)) in (None, "http", "https", "mailto"), html


HOSTILE = [
    pytest.param(f"<script>{X}</script>", "<script>", id="script"),
    pytest.param(f'<img src=x onerror="{X}">', "<img>", id="img-onerror"),
    pytest.param(f'<b onmouseover="{X}">b</b>', "the onmouseover attribute of <b>", id="event-handler"),
    pytest.param(f"[a](javascript:{X})", "a javascript: link", id="markdown-link"),
    pytest.param(f"[a](JaVaScRiPt:{X})", "a javascript: link", id="markdown-link-mixed-case"),
    pytest.param(f"[a](jav&#x09;ascript:{X})", "a javascript: link", id="markdown-link-entity-tab"),
    pytest.param(f'<a href="jav&#x09;ascript:{X}">a</a>', "a javascript: link", id="entity-tab"),
    pytest.param(f'<a href="jav&#x0A;ascript:{X}">a</a>', "a javascript: link", id="entity-newline"),
    pytest.param(f'<a href="&#106;avascript:{X}">a</a>', "a javascript: link", id="entity-letter"),
    pytest.param(f'<a href="javascript&colon;{X}">a</a>', "a javascript: link", id="entity-colon"),
    pytest.param(f'<a href=" \x01javascript:{X}">a</a>', "a javascript: link", id="leading-control"),
    pytest.param(f"[r]\n\n[r]: javascript:{X}", "a javascript: link", id="reference-link"),
    pytest.param(f'[r][x]\n\n[x]: <jav&#x09;ascript:{X}> "t"', "a javascript: link", id="reference-link-entity"),
    pytest.param(f"<javascript:{X}>", f"<javascript:{X}>", id="autolink"),
    pytest.param("[a](data:text/html;base64,PHNjcmlwdD4=)", "a data: link", id="data-link"),
    pytest.param('<a href="vbscript:msgbox(1)">a</a>', "a vbscript: link", id="vbscript"),
    pytest.param(f"![i](javascript:{X})", "<img>", id="markdown-image"),
    pytest.param(f'![i](x" onerror="{X})', "<img>", id="markdown-image-quote"),
    pytest.param(f'<iframe src="javascript:{X}"></iframe>', "<iframe>", id="iframe"),
    pytest.param('<style>body{background:url("javascript:alert(1)")}</style>', "<style>", id="style-element"),
    pytest.param(f'<p style="background:url(javascript:{X})">p</p>', "the style attribute of <p>", id="style-attribute"),
    pytest.param(f"<svg><script>{X}</script></svg>", "<svg>, <script>", id="svg"),
    pytest.param(f'<svg><a xlink:href="javascript:{X}"><text>t</text></a></svg>', "<svg>", id="svg-xlink"),
    pytest.param(f"<math><mtext><table><mglyph><style><img src=x onerror={X}>", "<math>", id="math-mxss"),
    pytest.param(f"<details open ontoggle={X}>x</details>", "<details>", id="details-ontoggle"),
    pytest.param(f'<form action="javascript:{X}"><button>b</button></form>', "<form>", id="form"),
    pytest.param(f'<noscript><p title="</noscript><img src=x onerror={X}>"></noscript>', "<noscript>", id="noscript"),
    pytest.param(f'<object data="javascript:{X}"></object><embed src="javascript:{X}">', "<object>", id="object-embed"),
    pytest.param(f'<a href="https://x.example" target="_blank" onclick="{X}">a</a>', "the onclick attribute of <a>", id="link-handler"),
    pytest.param(f"<scr<script>ipt>{X}</script>", "<script>", id="split-tag"),
]


@pytest.mark.parametrize(("text", "removed"), HOSTILE)
def test_hostile_markdown_is_made_inert_and_the_removal_named_at_file_and_line(text: str, removed: str) -> None:
    html, warnings = render(text)
    assert_inert(html)
    assert len(warnings) == 1
    assert warnings[0].startswith("campaigns/probe.yml:7: removed from the summary for safety: ")
    assert removed in warnings[0]


@pytest.mark.parametrize(("text", "_removed"), HOSTILE)
def test_hostile_markdown_is_inert_as_plain_text_and_in_message_bodies(text: str, _removed: str) -> None:
    renderer = MarkupRenderer()
    assert_inert(str(renderer.html(text, line_breaks=True)))
    plain = renderer.text(text)
    assert "javascript:" not in plain.lower().replace(f"<javascript:{X}>", "")


def test_safe_markdown_is_kept_without_warnings() -> None:
    text = (
        "**Bold**, *em*, `code <b>`, [site](https://example.com/a?b=1&c=2 \"Title\"), "
        "[mail](mailto:l-and-d@example.com), [page](../events/), <abbr title=\"Key result\">KR</abbr>\n\n"
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\n<script>shown as code</script>\n```\n"
    )
    html, warnings = render(text)
    assert warnings == []
    assert '<a href="https://example.com/a?b=1&amp;c=2" title="Title" rel="noopener noreferrer">site</a>' in html
    assert '<a href="mailto:l-and-d@example.com" rel="noopener noreferrer">mail</a>' in html
    assert '<a href="../events/" rel="noopener noreferrer">page</a>' in html
    assert "<code>code &lt;b&gt;</code>" in html
    assert "&lt;script&gt;shown as code&lt;/script&gt;" in html
    assert "<table>" in html and "<li>one</li>" in html


def test_a_marked_section_the_html_parser_cannot_read_is_a_removal_not_a_crash() -> None:
    # Python's HTML parser raised AssertionError at "<![a]", which stopped the whole build.
    for text in ("<div>\n<![a]", "<div>\n<![", "<div>\n<![if x]>y<![endif]>"):
        html, warnings = render(text)
        assert "<![" not in html
        assert len(warnings) == 1 and "removed from the summary for safety" in warnings[0], warnings
    assert "a <![...]> section" in render("<div>\n<![a]")[1][0]
    assert render("<b><![a]</b>")[1] == []  # inside a paragraph it is text, shown as written


def test_text_that_looks_like_html_stays_text() -> None:
    html, warnings = render('5 < 6 & "quotes" & 7 > 3 &lt;b&gt;')
    assert warnings == []
    assert html == "<p>5 &lt; 6 &amp; \"quotes\" &amp; 7 &gt; 3 &lt;b&gt;</p>"


def test_a_removal_is_reported_once_per_source_and_field() -> None:
    renderer = MarkupRenderer()
    for _ in range(3):
        renderer.html("<iframe></iframe>", SOURCE, what="the summary")
    renderer.html("<iframe></iframe>", SOURCE, what="the outcome")
    assert [str(w) for w in renderer.warnings] == [
        "campaigns/probe.yml:7: removed from the summary for safety: <iframe>",
        "campaigns/probe.yml:7: removed from the outcome for safety: <iframe>",
    ]


def test_checked_markdown_is_not_reported_again() -> None:
    """The loader reports removals at the field's own line; rendering the text later stays quiet."""
    checked, notice = MarkupRenderer().check("<iframe></iframe> hi", what="the bio")
    assert notice == "removed from the bio for safety: <iframe>"
    assert isinstance(checked, CheckedMarkdown) and checked == "<iframe></iframe> hi"
    renderer = MarkupRenderer()
    for text in (checked, CheckedMarkdown("<iframe></iframe> hi")):
        html = renderer.html(text, SOURCE, what="the bio")
        assert "iframe" not in html and "hi" in html
    assert renderer.warnings == []


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:x", "javascript"),
        ("  JavaScript:x", "javascript"),
        ("jav\tascript:x", "javascript"),
        ("java\nscript:x", "javascript"),
        ("\x00\x1fjavascript:x", "javascript"),
        ("https://example.com", "https"),
        ("mailto:a@example.com", "mailto"),
        ("../events/", None),
        ("#anchor", None),
        ("java\x00script:x", None),  # not a scheme for a browser either: a relative URL
    ],
)
def test_url_scheme_reads_a_url_as_a_browser_does(url: str, scheme: str | None) -> None:
    assert url_scheme(url) == scheme


# -- plain text ------------------------------------------------------------------------------


def test_plain_text_keeps_paragraphs_lists_and_link_targets() -> None:
    renderer = MarkupRenderer()
    text = "Hi **team**,\n\n- one\n- two [here](https://example.com/x)\n\n1. first\n2. second\n\nBye"
    assert renderer.text(text) == (
        "Hi team,\n\n- one\n- two here (https://example.com/x)\n\n1. first\n2. second\n\nBye"
    )


def test_plain_text_of_a_loose_list_keeps_each_item_on_its_bullet() -> None:
    assert MarkupRenderer().text("- one\n\n- two\n\n1. a\n\n2. b") == "- one\n\n- two\n\n1. a\n\n2. b"


def test_plain_text_keeps_typed_line_breaks_in_messages() -> None:
    assert MarkupRenderer().text("Thanks,\nAmara", line_breaks=True) == "Thanks,\nAmara"


def test_plain_text_of_a_long_list_takes_linear_time() -> None:
    html = "<ul>" + "<li><p>item</p></li>" * 20_000 + "</ul>"
    text = html_to_text(html)
    assert text.count("- item") == 20_000


# -- input Markdown cannot format in bounded time ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("1. " * 3000, "nested too deeply", id="deep-lists"),
        pytest.param("[" * 40_000, "took longer than", id="unclosed-brackets"),
        pytest.param("<a " * 30_000, "took longer than", id="unclosed-tags"),
        pytest.param("x" * (MAX_MARKDOWN_CHARS + 1), "too long to format", id="too-long"),
    ],
)
def test_markdown_that_cannot_be_formatted_in_bounded_time_is_shown_as_plain_text(
    text: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.gettrace() is not None and "took longer" in reason:
        pytest.skip("under a tracer (coverage, a debugger) Markdown has no time limit")
    # The same code paths, sooner: a shorter time limit, and a recursion limit just above this test's depth.
    # Cases that are not about time keep a generous limit, so that a busy machine cannot turn them into one.
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0.3 if "took longer" in reason else 60)
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 250)
    try:
        html, warnings = render(text)
    finally:
        sys.setrecursionlimit(limit)
    assert len(warnings) == 1
    assert warnings[0].startswith("campaigns/probe.yml:7: the summary is shown as plain text: ")
    assert reason in warnings[0]
    assert_inert(html)
    assert html.startswith("<p>")


def test_plain_html_escapes_and_keeps_paragraphs() -> None:
    assert plain_html("a <b>\nc\n\n\nd & e") == "<p>a &lt;b&gt;\nc</p><p>d &amp; e</p>"
    assert plain_html("a\nb", line_breaks=True) == "<p>a<br>\nb</p>"


def test_rendering_stays_fast_for_ordinary_text() -> None:
    text = ("A paragraph with **bold**, a [link](https://example.com) and `code`.\n\n- a\n- b\n\n") * 200
    html, warnings = render(text)
    assert warnings == [] and len(re.findall("<li>", html)) == 400


def test_the_time_limit_leaves_no_alarm_behind_and_a_handler_of_others_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    if sys.gettrace() is not None:
        pytest.skip("under a tracer (coverage, a debugger) Markdown has no time limit")
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0.3)
    render("[" * 40_000)
    render("A *fine* text")
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        _, warnings = render("[" * 40_000)  # someone else's SIGALRM: the trace-based limit is used instead
        assert signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert "took longer than" in warnings[0]
    assert fired == []


def test_the_time_limit_works_off_the_main_thread_where_serve_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    if sys.gettrace() is not None:
        pytest.skip("under a tracer (coverage, a debugger) Markdown has no time limit")
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0.3)
    results: list[list[str]] = []
    thread = threading.Thread(target=lambda: results.append(render("<a " * 30_000)[1]))
    thread.start()
    thread.join()
    assert "took longer than" in results[0][0]


def test_texts_of_one_template_share_one_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message body too slow for one leader is not tried again for the next: the budget is the template's."""
    if sys.gettrace() is not None:
        pytest.skip("under a tracer (coverage, a debugger) Markdown has no time limit")
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0.3)
    renderer = MarkupRenderer()
    template = SourceRef("campaigns/probe.yml", 12)
    first = renderer.notice("Hi Ann " + "[" * 40_000, what="a message body", budget=template)
    assert first is not None and "took longer than 0.3 seconds" in first
    converted: list[str] = []
    real_convert = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda self, text: converted.append(text) or real_convert(self, text))
    second = renderer.notice("Hi Bob " + "[" * 40_000, what="a message body", budget=template)
    assert second == first
    assert converted == []  # not tried: the template's budget is spent
    assert renderer.html("Hi *Cy*", budget=template) == "<p>Hi *Cy*</p>"  # its other copies show as plain text
    assert renderer.html("Hi *Cy*", budget=SourceRef("campaigns/probe.yml", 30)) != "<p>Hi *Cy*</p>"
    assert renderer.html("Hi *Di*") == "<p>Hi <em>Di</em></p>"  # texts without a budget key: their own limit


# -- one rendering for copies that differ only in plain words ------------------------------------

TOKENS = ["QzxjaJxzq", "QzxjbJxzq"]
TRICKY_TEMPLATES = [
    "Hi {a},\n\nWelcome to **the course**, {b}. See [the page](https://x.example/page?who={a}).",
    "### {a}\n\n- {a} {b}\n- *{b}*\n\n> {a}\n\n    code {a}\n\n```\n{b}\n```",
    "| who | what |\n| --- | --- |\n| {a} | {b} |",
    "{a}_{b}_ and _{a}_ and **{a}{b}**  \nnext line {a}",
    "[{a}]({a}) and [link]({b} \"{a}\")",
    "<em>{a}</em> &amp; {b}",
    "&{a}; and &#{b};",  # entities: refused
    "<{a}> and </{b}>",  # tags: refused
    "{a}:alert(1) and [x]({b}:y)",  # URL schemes: refused
    "[{a}]\n\n[Ann]: https://x.example/",  # reference definitions: refused
    "{a}\tand {b}",  # tabs: refused
    "See https://x.example/{a}/",  # a word after "/" (a tag's end, or a path): refused
    "<p onclick=\"x\">{a}</p>",  # something removed: refused
]
VALUES = ["Ann", "Amara Okafor", "div", "script", "javascript", "mailto", "amp", "Zoë Ñúñez", "Ann ", "Jean-Luc", "Ann1", "O'Neil", "a_b"]


@pytest.mark.parametrize("template", TRICKY_TEMPLATES)
def test_a_shared_rendering_is_the_rendering_of_each_copy_or_none(template: str) -> None:
    renderer = MarkupRenderer()
    probe = template.format(a=TOKENS[0], b=TOKENS[1])
    shared = renderer.shared(probe, TOKENS)
    for a in VALUES:
        for b in ("Ann", "Okafor", "div"):
            text = template.format(a=a, b=b)
            found = shared.rendering_for(text, {TOKENS[0]: a, TOKENS[1]: b}) if shared is not None else None
            if found is not None:
                direct = str(MarkupRenderer().html(text))
                assert found == (direct, html_to_text(direct)), (template, a, b)


def test_a_shared_plain_text_is_made_again_when_two_tokens_stand_for_one_word() -> None:
    # In the probe the link's text and address differ, so its plain text adds the address; with
    # one word for both, the copy's own plain text does not.
    shared = MarkupRenderer().shared(f"See [{TOKENS[0]}]({TOKENS[1]}).", TOKENS)
    assert shared is not None
    assert shared.rendering_for("See [Ann](Lee).", {TOKENS[0]: "Ann", TOKENS[1]: "Lee"})[1] == "See Ann (Lee)."  # type: ignore[index]
    assert shared.rendering_for("See [Ann](Ann).", {TOKENS[0]: "Ann", TOKENS[1]: "Ann"})[1] == "See Ann."  # type: ignore[index]


def test_the_probe_with_values_of_two_words_is_rendered_only_for_a_copy_with_such_a_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two Markdown conversions for a template of one-word values would gain nothing over two
    leaders' copies formatted on their own: the doubled probe waits for a value with a space."""
    template = "Hi team,\n\nSee **the course** and [the page](https://x.example/).\n\nThank you,\n{a}\n"
    names = ["Ann", "Lee", "Zoë", "Amara Okafor", "Ann Lee"]
    direct = {name: str(MarkupRenderer().html(template.format(a=name))) for name in names}
    converted: list[str] = []
    real_convert = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda self, text: converted.append(text) or real_convert(self, text))
    shared = MarkupRenderer().shared(template.format(a=TOKENS[0]), TOKENS)
    assert shared is not None
    for name in names[:3]:
        found = shared.rendering_for(template.format(a=name), {TOKENS[0]: name})
        assert found == (direct[name], html_to_text(direct[name]))
    assert converted == [template.format(a=TOKENS[0])]  # the probe only
    converted.clear()
    for name in names[3:]:
        found = shared.rendering_for(template.format(a=name), {TOKENS[0]: name})
        assert found == (direct[name], html_to_text(direct[name]))
    assert converted == [template.format(a=f"{TOKENS[0]} {TOKENS[0]}")]  # the doubled probe, once
    # Where a space is not inert, a copy with a value of two words is still refused.
    unquoted = MarkupRenderer().shared(f"<abbr title={TOKENS[0]}>x</abbr> {TOKENS[0]}", TOKENS)
    assert unquoted is not None
    assert unquoted.rendering_for("<abbr title=Ann>x</abbr> Ann", {TOKENS[0]: "Ann"}) is not None
    assert unquoted.rendering_for("<abbr title=Ann Lee>x</abbr> Ann Lee", {TOKENS[0]: "Ann Lee"}) is None


def test_a_shared_rendering_is_used_for_plain_words_and_refused_around_markup() -> None:
    renderer = MarkupRenderer()
    usable = [template for template in TRICKY_TEMPLATES if renderer.shared(template.format(a=TOKENS[0], b=TOKENS[1]), TOKENS)]
    assert usable == TRICKY_TEMPLATES[:6]
    shared = renderer.shared(TRICKY_TEMPLATES[0].format(a=TOKENS[0], b=TOKENS[1]), TOKENS)
    assert shared is not None
    values = {TOKENS[0]: "Zoë", TOKENS[1]: "Amara Okafor"}
    assert shared.rendering_for(TRICKY_TEMPLATES[0].format(a="Zoë", b="Amara Okafor"), values) is not None
    for a in ("Jean-Luc", "Ann1", "O'Neil", "a_b", "Ann ", "Ann  Lee"):  # not plain words: formatted on their own
        assert shared.rendering_for(TRICKY_TEMPLATES[0].format(a=a, b="Okafor"), {TOKENS[0]: a, TOKENS[1]: "Okafor"}) is None
    # A copy that is not the probe with the values put in (the template tested a value) is formatted on its own.
    assert shared.rendering_for("Hi Ann, something else", {TOKENS[0]: "Ann", TOKENS[1]: "Lee"}) is None


_SHARED_PIECES = [
    "{a}", "{b}", " ", "x", "Ann", "\n", "\n\n", "  \n", "- ", "1. ", "# ", "> ", "    ", "*", "**", "_", "`", "&", "&amp;",
    ":", ";", "/", "#", "\\", "(", ")", "[", "]", "<", ">", "[{a}](Ann)", "[Ann]({a})", "[{a}]({b})", "[{a} x]({b})",
    "[{a}]({a})", "[x](<{a} x>)", "[{a}](https://x.example/{b})", "<https://x.example/?q={a}>", "<{a}@x.example>",
    "<a.{a}@x.example>", '<abbr title="{a}">', "<abbr title={a}>", "[x]({a})", "[x](https://x.example/?q={a})", "</abbr>", "<b>", "</b>", "<!-- {a} -->", "`{a}`", "{a}_{b}_", "*{a}*",
    "| {a} | x |\n| - | - |\n| {b} | y |\n", "\n```\n{a}\n```\n", "QzxjaJxzq", "é", "\u2028", "\xa0",
]  # fmt: skip
_SHARED_VALUES = st.one_of(
    st.sampled_from(["Ann", "Lee", "x", "QzxjaJxzq", "QzxjbJxzq", "Amara Okafor", "Zoë", "Ann Ann", "amp", "http", "mailto"]),
    st.from_regex(r"[A-Za-zéßДж漢ǅ]{1,4}( [A-Za-zé]{1,3}){0,2}", fullmatch=True),
)


@given(st.lists(st.sampled_from(_SHARED_PIECES), min_size=1, max_size=12), _SHARED_VALUES, _SHARED_VALUES)
@example(["See ", "[{a}](Ann)", "."], "Ann", "Lee")  # the link's text reads as its address only with the value in
@example(["[Ann]({a})"], "Ann", "Lee")
@example(["<a.{a}@x.example>", "<!-- {a} -->"], "Amara Okafor", "Lee")  # a space ends an email autolink
@example(["<abbr title={a}>"], "Amara Okafor", "Lee")  # and an unquoted attribute
@settings(max_examples=300, deadline=None)
def test_a_shared_rendering_and_its_plain_text_are_those_of_each_copy(pieces: list[str], a: str, b: str) -> None:
    """Whatever the template and the plain words put in, a copy taken from the shared rendering
    is the HTML and plain text that formatting the copy on its own gives."""
    template = "".join(pieces)
    shared = MarkupRenderer().shared(template.format(a=TOKENS[0], b=TOKENS[1]), TOKENS)
    if shared is None:
        return
    text = template.format(a=a, b=b)
    found = shared.rendering_for(text, {TOKENS[0]: a, TOKENS[1]: b})
    if found is not None:
        direct = str(MarkupRenderer().html(text))
        assert found == (direct, html_to_text(direct))


def test_a_converter_stopped_part_way_is_not_used_again() -> None:
    # A list nested too deeply stops Markdown with its block parser's lists still open; a text
    # converted with that converter afterwards lost its paragraphs ("<li>" outside any list).
    renderer = MarkupRenderer()
    assert "nested too deeply" in str(renderer.notice("1. " * 3000))
    text = "- a\n\n    b\n\npara\n"
    assert str(renderer.html(text)) == markup.clean_html(markdown_to_html(text))


_MARKDOWN_PIECES = [
    "word ", "**b**", "*i*", "\n\n", "\n- item", "\n1. one", "\n3. three", "[l](https://x.example/a?b=c&d=e)",
    "[j](javascript:alert(1))", '[t](http://x "title")', "<b>", "<script>", '<a href="x" onclick="y">', "`code`",
    "\n```py\nx\n```\n", "# H1\n", "### H3\n", "![i](x.png)", "&amp;", "<!-- c -->", "| a | b |\n|---|:-:|\n| 1 | 2 |\n",
    "> q\n", "  \n", "<https://a.example>", "<me@x.example>", "[m](mailto:a@b)", "[d](data:x)", "[r](/rel)",
    "<br>", "<BR>", "<p title=x>", "\n---\n", "x\n===\n", "<a href='x'>", "[e](jav&#x09;ascript:x)", '<A HREF="x">',
    '<a href="java\tscript:x">', '<a href="java\nscript:x">', '<a href="\x01javascript:x">', '<a href="x" title="y">',
    '<a href="x"title="y">', '<a  href="x">', "<br/>", "<hr />", '<td align="left">', '<abbr title="x">', "</p >", "<!doctype html>",
    "<?php x ?>", "<![CDATA[<script>]]>", "<textarea><b></textarea>", '<a href="jav&#x09;ascript:x">', "[s](<java script:x>)",
    '[q](https://x.example/?a="b")', "<https://x.example/?a=<b>>", "[x](https://x.example/&lt;)", "<a href>", "<a href=\"\">",
]  # fmt: skip


@given(st.lists(st.sampled_from(_MARKDOWN_PIECES), min_size=1, max_size=10))
@settings(max_examples=300, deadline=None)
def test_removals_found_without_the_html_parser_are_those_the_parser_finds(pieces: list[str]) -> None:
    """Rendered Markdown whose tags the allow-list keeps whole is not read again with the HTML
    parser; whatever the text, the removals reported are those the parser finds."""
    import markdown

    html = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"]).convert("".join(pieces))
    for written in (html, markup.clean_html(html)):
        finder = markup._RemovalFinder()
        finder.feed(written)
        finder.close()
        assert markup.find_removals(written) == tuple(dict.fromkeys(finder.removed))


def test_ordinary_markdown_needs_no_second_reading() -> None:
    html = markdown_to_html("**Bold** and *em*, a [link](https://x.example/?a=1) and a [mail](mailto:a@b.example).\n\n- one\n- two  \nthree")
    assert markup._nothing_removed(html)
    assert not markup._nothing_removed(html.replace("<strong>", "<blink>"))
    assert not markup._nothing_removed('<a href="javascript:x">x</a>')


def markdown_to_html(text: str) -> str:
    import markdown

    return str(markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"]).convert(text))


_INLINE_PIECES = [
    "word", " ", "  \n", "\n", "\n\n", "\t", "\r\n", "\r", "**b**", "*i*", "_u_", "__s__", "***x***", "a_b_c", "\n- item",
    "\n1. one", "[l](https://x.example/a?b=c&d=e)", '[t](http://x "title")', "<b>", "</b>", "`code`", "``c`c``",
    "\n```py\nx\n```\n", "&amp;", "&", "<!-- c -->", "| a | b |\n|---|:-:|\n| 1 | 2 |\n", "> q\n", "<https://a.example>",
    "<me@x.example>", "[ref][1]", "\n[1]: https://r.example\n", "[short]", "\\*", "\\", "    code\n", "x\n===\n",
    "\x02", "klzzwxh:0", "<", "[", "]", "!",
    "\x03", "\u2028", "\x0c", "\xa0", " ", "&#x26;", "&lt;", "\n<div>\n", "</div>\n", "\\\n", "*", "_", "`", "wzxhzdk:0",
    ">", "\\<", "\\&", "\n~~~\nx  \n~~~\n", "\n[x]: <https://a.example> 'T'\n", "\x02klzzwxh:0\x03", "é", "\u3000",
]  # fmt: skip
_ONE_RENDERER = MarkupRenderer()  # its converters are reused from one example to the next, as in a build


@given(st.lists(st.sampled_from(_INLINE_PIECES), min_size=1, max_size=14), st.booleans())
@example(["word", " ", " ", "\x02", "\n- item"], False)  # Markdown drops the \x02: a hard line break
@settings(max_examples=400, deadline=None)
def test_a_converter_without_the_patterns_a_text_cannot_match_renders_it_as_the_full_one(
    pieces: list[str], line_breaks: bool
) -> None:
    text = "".join(pieces)
    extensions = ["tables", "fenced_code", "sane_lists", *(["nl2br"] if line_breaks else [])]
    expected = markdown.Markdown(extensions=extensions).convert(text)
    assert MarkupRenderer()._converter(text, line_breaks).convert(text) == expected
    assert _ONE_RENDERER._converter(text, line_breaks).reset().convert(text) == expected


def test_a_text_without_block_syntax_is_parsed_without_the_block_processors() -> None:
    converter = MarkupRenderer()._converter("Hi team,\n\nSee **the course** and [the page](https://x.example/).\n", False)
    blocks = converter.parser.blockprocessors
    assert "paragraph" in blocks and "empty" in blocks and "hr" in blocks and "ulist" in blocks  # "*" is there
    for name in ("table", "hashheader", "setextheader", "quote", "olist", "code", "indent", "reference"):
        assert name not in blocks, name
    assert "reference" not in converter.inlinePatterns and "image_link" not in converter.inlinePatterns
    assert "link" in converter.inlinePatterns
    assert "fenced_code_block" not in converter.preprocessors and "html_block" not in converter.preprocessors
    kept = MarkupRenderer()._converter("1. a\n\n    b\n\n[a]: https://r.example\n![x](y) <b>", False)
    assert {"olist", "code", "indent", "reference"} <= set(kept.parser.blockprocessors._data)
    assert {"reference", "image_link"} <= set(kept.inlinePatterns._data) and "html_block" in kept.preprocessors


def test_a_plain_paragraph_is_converted_without_the_patterns_it_cannot_match() -> None:
    converter = MarkupRenderer()._converter("Plain **words**, nothing else.\nNext line.", False)
    assert "em_strong" in converter.inlinePatterns
    assert "link" not in converter.inlinePatterns and "linebreak" not in converter.inlinePatterns
    assert "linebreak" in MarkupRenderer()._converter("Two spaces  \nbreak", False).inlinePatterns
    assert "linebreak" in MarkupRenderer()._converter("A tab\t\nbreak", False).inlinePatterns


def test_past_so_many_kinds_of_text_new_kinds_share_the_full_converter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markup, "_MAX_CONVERTERS", 2)
    renderer = MarkupRenderer()
    texts = ["plain", "*em*", "[l](https://x.example/)", "`code` and <b>x</b> &amp;"]
    for text in texts:
        expected = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"]).convert(text)
        assert renderer._converter(text, False).convert(text) == expected
    assert len(renderer._converters) == 3  # two kinds, then the full converter for the rest
    assert (False, frozenset()) in renderer._converters


# -- plain text read without the HTML parser --------------------------------------------------------


def _parsed(html: str) -> tuple[str, list[tuple[str, str]]]:
    """The plain text and links of ``html`` read by the HTML parser alone."""
    maker = markup._TextMaker()
    maker.feed(html)
    maker.close()
    return maker.text(), maker.links


_TEXT_PIECES = [
    "word", " ", "  ", "\n", "\n\n", "\t", "\r", "\xa0", "\u2028", "é", "&", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;",
    "&#x26;", "&nbsp;", "&amp", "&#", "&zz;", "<", ">", "<p>", "</p>", "<br>", "<br/>", "<br />", "<ul>", "</ul>", "<ol>",
    "</ol>", "<li>", "</li>", "<pre>", "</pre>", "<code>", "</code>", "<table>", "<tr>", "<td>", "</td>", '<td align="left">',
    "<h3>", "</h3>", "<hr>", "<strong>", "</strong>", "<blockquote>", '<a href="https://x.example/?a=1&amp;b=2">', "</a>",
    '<a href="mailto:a@x.example">', '<a href="x" title="t &quot;q&quot;">', '<a href="" rel="noopener noreferrer">',
    "<a href>", "<a href=x>", "<a href='x'>", '<a  href="x">', '<a href="x" >', '<A HREF="x">', '<a href="a>b">', "</a >",
    '</a href="x">', "<script>", "</script>", "<style>", "<textarea>", "<title>", "<div>", "<!-- c -->", "<!doctype html>",
    "<?x?>", "<![CDATA[x]]>", "</>", "<>", "<p", "<1>", '<abbr title="x">', "</abbr>", "<sub>", "<del>", "<x-y>",
]  # fmt: skip


@given(st.lists(st.sampled_from(_MARKDOWN_PIECES + _INLINE_PIECES), min_size=1, max_size=12), st.booleans())
@settings(max_examples=1000, deadline=None)
def test_the_plain_text_of_sanitised_html_read_directly_is_what_the_parser_reads(
    pieces: list[str], line_breaks: bool
) -> None:
    """Sanitised HTML is read without the HTML parser; its plain text and links are those the parser gives."""
    html = str(MarkupRenderer().html("".join(pieces), line_breaks=line_breaks))
    maker = markup._TextMaker()
    assert maker.read_directly(html)  # the sanitiser's HTML is always of the simple kind
    assert (maker.text(), maker.links) == _parsed(html)
    assert html_to_text(html) == _parsed(html)[0]


@given(st.lists(st.sampled_from(_TEXT_PIECES), min_size=1, max_size=16))
@example(["<p>", "a", "&amp", "</p>", "b &amp"])
@example(['<a href="x" title="t &quot;q&quot;">', "Ann", "</a>"])
@example(["<pre>", "a  \n b", "</pre>", "<script>", "<p>x</p>", "</script>"])
@settings(max_examples=2000, deadline=None)
def test_the_plain_text_of_any_html_is_what_the_parser_reads(pieces: list[str]) -> None:
    """Whatever the HTML (the direct reading stops at the first tag it does not know, and the
    parser reads it all again), the plain text and links are those the parser gives."""
    html = "".join(pieces)
    maker = markup._text_of(html)
    assert (maker.text(), maker.links) == _parsed(html)

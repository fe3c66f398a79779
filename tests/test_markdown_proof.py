"""The loader's proof that a Markdown text renders cleanly (``renders_cleanly``) and the texts it defers.

- A property test (derandomized): whenever the proof holds, the full rendering (a full
  ``markdown.Markdown`` with the portal's extensions, then ``find_removals``) reports nothing and
  does not fail, and the text rendered on first use gives the site the HTML of the text
  rendered at load.
- Each exclusion with an example: the proof refuses it, and where rendering really reports
  something, the loader still reports it at the field's line.
- A problem in a deferred text (the proof made to hold for everything) still reaches a build's
  output and ``portal validate``.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from campaign_portal.cli import check_project, load_project
from campaign_portal.load import LoadCache, load_portal
from campaign_portal.model import SourceRef
from campaign_portal.text import markdown as markup
from campaign_portal.text.markdown import (
    CLEAN_MAX_CHARS,
    CLEAN_MAX_PREFIX,
    CheckedMarkdown,
    MarkupRenderer,
    clean_html,
    find_removals,
    renders_cleanly,
)
from test_shortcut_markup import _PIECES, EXTENSIONS

from conftest import LEADERS_YML, BuildPortal, prepare_project

SOURCE = SourceRef("campaigns/probe.yml", 7)
_FULL = markdown.Markdown(extensions=EXTENSIONS)

# What campaign prose is made of, and the Markdown next to it that the proof must refuse or allow
# with care: line prefixes, headings, underlines, numbered items, link addresses and schemes.
_PROSE_PIECES = [
    "word", "Ann", "Okafor's", " ", "  ", "    ", "\t", "\n", "\n\n", "\n\n", ".", ",", ":", ";", "%", "(", ")", '"', "'",
    "**bold**", "*em*", "_em_", "__strong__", "`code`", "``c`c``", "*", "**", "_", "`", "a_b_c", "2024", "1.5", "€6m",
    "#", "# ", "##", "### ", "###", "####", "#x", "=", "===", "-", "--", "---", "- ", "* ", "+ ", "> ", ">", ">> ",
    "1. ", "1.", "2. ", "3. ", "10. ", "01. ", "\u0663. ", "1) ", "\n- ", "\n* ", "\n1. ", "\n2. ", "\n> ", "\n    ",
    "\n  - ", "\n    - ", "\n\t- ", "\n> - ", "\n> 1. ", "\n> 2. ", "\n### ", "\n#", "\n##", "\n===\n", "\n---\n",
    "\n-\n", "\n- - -\n", "\n***\n", "\n___\n", "[", "]", "[a]", "](", "[a](", "[a](https://x.example)",
    "[a](http://x.example/p?q=1&r=2)", "[a](mailto:a@x.example)", "[a](MAILTO:a@x.example)", "[a](/page/)", "[a](#top)",
    "[a](page.html)", '[a](https://x.example "Title")', "[a](https://x.example 'T')", "[a]( https://x.example )",
    "[a](javascript:x)", "[a](JavaScript:x)", "[a](java script:x)", "[a](java\tscript:x)", "[a](java\nscript:x)",
    "[a](\njavascript:x)", "[a](\u2003javascript:x)", "[a](&#106;avascript:x)", "[a](`javascript`:x)", "[a](`x`)",
    "[a](data:x)", "[a](vbscript:x)", "[a](ftp://x)", "[a](:x)", "[a](1x:y)", "javascript:", "https:", "&", "&amp;",
    "&#106;", "&copy;", "](javascript:", "](https:", "[a][b]", "[b]", "]:", "] :", "!", "![", "|", "\\", "<", "~~~",
    "```", "\xa0", "\u2028", "é", "\x02", "\r",
]  # fmt: skip
_CLEAN = st.sampled_from([piece for piece in _PROSE_PIECES if markup.renders_cleanly(f"x {piece} y")])
_RISKY = st.sampled_from([piece for piece in _PROSE_PIECES if not markup.renders_cleanly(f"x {piece} y")])
# Texts of pieces that are clean on their own (the proof must follow how they combine), and texts
# with pieces that are not and the converter tests' pieces among them.
_PROSE = st.one_of(
    st.lists(_CLEAN, min_size=1, max_size=24).map("".join),
    st.lists(
        st.one_of(_CLEAN, _CLEAN, _RISKY, st.sampled_from(_PIECES), st.text(alphabet="ab1.-*_+#>=:[]()`&! \t\n", max_size=6)),
        min_size=1,
        max_size=24,
    ).map("".join),
)


def _full_rendering(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` through a full converter with every processor (not the pruned ones), and what it removes."""
    raw = _FULL.reset().convert(text)
    return raw, find_removals(raw)


def test_a_text_proven_clean_renders_clean_and_the_same_on_first_use() -> None:
    """Several thousand texts of Markdown-heavy prose: the proof holds for many and is refused for
    many; wherever it holds, nothing is reported, nothing fails, and the site gets the same HTML."""
    seen = {True: 0, False: 0}

    @given(_PROSE)
    @example("Some **bold**, _em_ and `code`.\n\n- one\n- two\n\n> quoted\n\n[link](https://x.example)")
    @example("1. a\n2. b\n3. c")
    @example("> 1. a\n> 2. b")
    @example("### Agenda\n\n1. a\n2. b")
    @example("[a](b](javascript:x)")
    @settings(max_examples=5000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    def check(text: str) -> None:
        proven = renders_cleanly(text)
        seen[proven] += 1
        if not proven:
            return
        raw, removed = _full_rendering(text)  # a RecursionError here fails the test
        assert removed == ()
        eager, notice = MarkupRenderer().check(text, what="the summary")
        assert notice is None and eager.rendered is not None and eager.rendered.failure is None
        deferred, notice = MarkupRenderer().check(text, what="the summary", source=SOURCE)
        assert notice is None and deferred.deferred and deferred.rendered is not None
        assert deferred.deferred_notice() is None
        site = MarkupRenderer()
        html = str(site.html(deferred, SOURCE, what="the summary"))
        assert html == str(site.html(eager, SOURCE, what="the summary")) == clean_html(raw)
        assert site.warnings == []

    check()
    assert seen[True] >= 1500 and seen[False] >= 2000, seen


# Each exclusion: a text the proof refuses, and what rendering really reports (None: nothing;
# refused to keep the proof simple, or reported only in other texts of the same kind).
_REFUSED = [
    ("<iframe></iframe> hi", "<iframe>"),
    ("<https://x.example>", None),  # an autolink: allowed, but "<" is raw HTML too
    ("<!-- note -->", None),
    ("![a](x.png)", "<img>"),
    ("# Title", "<h1>"),
    ("#Title", "<h1>"),  # no space needed after "#"
    ("## Title", "<h2>"),
    ("- # In a list", "<h1>"),
    ("> ## In a quote", "<h2>"),
    ("1. ## In a numbered item", "<h2>"),
    ("Title\n===", "<h1>"),
    ("Title\n---", "<h2>"),
    ("> Title\n> ===", "<h1>"),
    ("---", None),  # a rule (allowed) and an underline are one kind of line
    ("```py\ncode\n```", "the class attribute of <code>"),
    ("~~~\ncode\n~~~", None),
    ("3. a\n4. b", "the start attribute of <ol>"),
    ("2024. A good year", "the start attribute of <ol>"),
    ("01. a", "the start attribute of <ol>"),
    ("\u0663. a", "the start attribute of <ol>"),
    ("- 2. x", "the start attribute of <ol>"),
    ("1. 2. x", "the start attribute of <ol>"),
    ("> 2. x", "the start attribute of <ol>"),
    ("a\n\n2. b", "the start attribute of <ol>"),
    ("1. a\n    2. b", "the start attribute of <ol>"),
    ("1. a\n\n2. b", None),  # a loose list: one list, but a blank line ends what the proof follows
    ("a | b\n:-|-:\n1 | 2", "the style attribute of <th>"),
    ("a | b\n--|--\n1 | 2", None),
    ("[x](javascript:alert(1))", "a javascript: link"),
    ("[x]( JavaScript:alert(1))", "a javascript: link"),
    ("[x](data:text/html,x)", "a data: link"),
    ("[x](java\nscript:alert(1))", "a javascript: link"),
    ("[x](\njavascript:alert(1))", "a javascript: link"),
    ("[x](&#106;avascript:alert(1))", "a javascript: link"),
    ("[x](`javascript`:alert(1))", "a javascript: link"),
    ("[x](java\tscript:alert(1))", None),
    ("[x](\\javascript:alert(1))", None),
    ("[x][r]\n\n[r]: javascript:alert(1)", "a javascript: link"),
    ("[a](b](javascript:x)", None),
    ("a\x02b", None),
    ("a\r\nb", None),
    ("x" * (CLEAN_MAX_CHARS + 1), None),
    ("[" * 65, None),
    ("> " * (CLEAN_MAX_PREFIX // 2 + 1) + "x", None),
    ("\n".join("  " * level + "- x" for level in range(CLEAN_MAX_PREFIX // 2 + 2)), None),
    ("- " * 1200 + "x", "nested too deeply"),
    ("x " * 60_000, "too long"),
]


@pytest.mark.parametrize(("text", "reported"), _REFUSED, ids=[repr(text[:24]) for text, _ in _REFUSED])
def test_each_exclusion_is_refused_and_reported_where_rendering_reports(text: str, reported: str | None) -> None:
    assert not renders_cleanly(text)
    checked, notice = MarkupRenderer().check(text, what="the summary", source=SOURCE)
    assert not checked.deferred and checked.rendered is not None
    if reported is None:
        assert notice is None
    else:
        assert notice is not None and reported in notice


@pytest.mark.parametrize(
    "text",
    [
        "Plain prose.",
        "**Bold**, *em*, _em_, __strong__ and `code`.\nA second line.",
        "- one\n- two\n  - nested\n\n1. first\n2. second\n10. tenth",
        "> A quote\n> over two lines\n\n### A heading\n\n#### Smaller",
        "[site](https://x.example/a?b=1&c=2), [mail](mailto:a@x.example), [page](/p/) and [top](#top)",
        '[titled](https://x.example "The title")',
        "Win rate: 31% to 22%; discount up to 18% (about €6m).",
        "*** \n\nx",
        "A hashtag #team and a C# course.",
    ],
)
def test_typical_prose_is_proven_clean(text: str) -> None:
    assert renders_cleanly(text)
    assert _full_rendering(text)[1] == ()


def test_deferred_texts_are_rendered_once_at_first_use_by_the_renderer_that_checked_them() -> None:
    renderer = MarkupRenderer()
    checked, _ = renderer.check("**Hi** there", what="the bio", source=SOURCE)
    again, _ = renderer.check("**Hi** there", what="the bio", source=SourceRef("campaigns/other.yml", 3))
    other, _ = renderer.check("_Bye_", what="the outcome", source=SourceRef("campaigns/other.yml", 9))
    assert checked.deferred and renderer._cache == {}  # nothing rendered at load
    site = MarkupRenderer()
    assert str(site.html(checked, SOURCE)) == "<p><strong>Hi</strong> there</p>"
    # All the renderer's deferred texts rendered at the first use of one, each distinct text once.
    assert list(renderer._cache) == [("**Hi** there", False), ("_Bye_", False)] and site._cache == {}
    assert again.rendered is checked.rendered and other._rendered is not None
    assert str(site.html(other)) == "<p><em>Bye</em></p>"


def test_a_deferred_text_renders_deep_in_the_stack_as_at_load() -> None:
    """The deepest nesting the proof allows, rendered with little stack left (as in a template):
    no RecursionError, and Markdown's blockquote rule does not give up (its output is the same)."""
    text = ">" * (CLEAN_MAX_PREFIX - 2) + " x\n" + "\n".join("  " * level + "- x" for level in range(CLEAN_MAX_PREFIX // 2))
    assert renders_cleanly(text)
    expected = MarkupRenderer().check(text)[0].rendered
    depth = len(inspect.stack(0))
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(depth + 400)  # what is left of the default 1000 below a deep template
        rendered = MarkupRenderer().check(text, source=SOURCE)[0].rendered
    finally:
        sys.setrecursionlimit(limit)
    assert rendered == expected and rendered is not None and rendered.failure is None


_CAMPAIGN = """\
title: Coaching for Growth
summary: A summary with an <iframe></iframe> in it.
starts: 2027-01-11
business_case:
  problem: Regretted attrition is 14%.
  outcome: Cut it to 10%.
"""
_REPORT = "campaigns/coaching.yml:2: removed from the summary for safety: <iframe>"


def test_a_problem_in_a_deferred_text_reaches_the_build_and_validate(
    build_portal: BuildPortal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Against the proof: if a text the loader deferred does report something when rendered, the
    build logs it at the field's own line, and ``portal validate`` reports it, as if found at load."""
    campaigns = {"leaders.yml": LEADERS_YML, "coaching.yml": _CAMPAIGN}
    assert _REPORT in build_portal(campaigns, expect_warnings=True).warnings  # found at load
    loaded = load_portal(prepare_project(tmp_path / "loaded", campaigns) / "campaigns")
    assert [str(problem) for problem in loaded.problems] == [_REPORT]

    monkeypatch.setattr(markup, "renders_cleanly", lambda text: True)  # a proof that is wrong
    loaded = load_portal(prepare_project(tmp_path / "deferred", campaigns) / "campaigns")
    summary = loaded.portal.campaigns["coaching"].summary
    assert isinstance(summary, CheckedMarkdown) and summary.deferred and loaded.problems == []
    site = build_portal(campaigns, expect_warnings=True)
    assert site.warnings.count(_REPORT) == 1
    assert "iframe" not in site.text("campaigns/coaching/")
    problems, _ = check_project(load_project(prepare_project(tmp_path / "validate", campaigns)))
    assert [str(problem) for problem in problems] == [_REPORT]


def test_a_deferred_text_in_a_draft_is_checked_too(build_portal: BuildPortal, monkeypatch: pytest.MonkeyPatch) -> None:
    """A draft is not on the published site, so no page renders it: the check after the build does."""
    monkeypatch.setattr(markup, "renders_cleanly", lambda text: True)
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": _CAMPAIGN + "draft: yes\n"}, expect_warnings=True)
    assert not site.exists("campaigns/coaching/")
    assert site.warnings == [_REPORT]


def test_a_deferred_text_in_a_misnamed_file_is_checked_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose name is not an id is read and checked but left out of the portal: its deferred
    texts are checked after the build all the same (as they were at load), and a load cache keeps them."""
    monkeypatch.setattr(markup, "renders_cleanly", lambda text: True)
    root = prepare_project(tmp_path / "p", {"leaders.yml": LEADERS_YML, "Coaching_2027.yml": _CAMPAIGN})
    report = _REPORT.replace("coaching.yml", "Coaching_2027.yml")
    problems, _ = check_project(load_project(root))
    assert report in [str(problem) for problem in problems]
    cache = LoadCache()
    first = load_portal(root / "campaigns", cache=cache)
    again = load_portal(root / "campaigns", cache=cache)  # the file's result carried over
    assert [text.source for text in again.deferred] == [text.source for text in first.deferred]
    assert [str(problem) for problem in markup.deferred_problems(again.deferred)] == [report]

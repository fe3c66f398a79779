"""Differential property tests: each Markdown shortcut against the plain path.

- A text converted by a converter without what cannot apply to it (``MarkupRenderer._converter``)
  against a full ``markdown.Markdown`` with the same extensions, sanitised the same way.
- Copies of a message taken from one shared rendering (``MarkupRenderer.shared``,
  ``SharedRendering.rendering_for``), for several leaders in every order, with the doubled
  probe accepted, refused or failing, against each copy formatted on its own.

Derandomized, so that a run in CI is the same every time; every input found to differ is kept
as an explicit example.
"""

from __future__ import annotations

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from campaign_portal.text import markdown as markup
from campaign_portal.text.markdown import MarkupRenderer, clean_html, html_to_text

EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
_FULL = {
    False: markdown.Markdown(extensions=EXTENSIONS),
    True: markdown.Markdown(extensions=[*EXTENSIONS, "nl2br"]),
}

# Markdown's significant constructs, its placeholders and characters it treats specially.
_PIECES = [
    "word", "Ann", " ", "  ", "   ", "    ", "\t", " \t", "\n", "\n\n", "\r", "\r\n", "\x02", "\x03", "\x00", "\x0b",
    "\x0c", "\x1c", "\x85", "\u2028", "\xa0", "\u3000", "|", " | ", "|---|", "---|---", ":-:", "#", "# ", "#\n", "=",
    "===", "-", "- ", "---", "- - -", "* * *", "___", "_ _ _", "*", "* ", "***", "_", "+", "+ ", ">", "> ", ">>", "1",
    "1.", "1. ", "1) ", "2. ", "10. ", "\u0663. ", ".", "[", "]", "]:", "[a]", "[a]: https://r.example",
    '[a]: <https://r.example> "t"', "[a][]", "[b][a]", "[a] [b]", "![a](x.png)", "![a][a]", "![a]", "!", "`", "``",
    "```", "~~~", "```py", "``` {.x}", "~~~ {#i .c}", "<", "<div>", "</div>", '<div markdown="1">', "<!--", "-->",
    "<!-- c -->", "<?php x ?>", "<![CDATA[x]]>", "<!DOCTYPE html>", "<b>", "</b>", "<p>", "<hr>", "  <div>", "  <p>", "<div>a</div>", "</div>x", "<hr>x", "<!-- c -->.",
    "<https://a.example>", "<me@x.example>", "&", "&amp;", "&#35;", "&#x26;", "&copy", "&copy;", "&#", "&x", "\\",
    "\\!", "\\[", "\\`", "\\*", "\\_", "\\#", "\\-", "\\+", "\\.", "\\>", "\\<", "\\&", "\\\\", "\\{", "\\|", "\\\n",
    "é", "wzxhzdk:0", "klzzwxh:0", "\x02wzxhzdk:0\x03", "\x02klzzwxh:0\x03", "\x0246\x03", "**b**", "*i*", "_u_",
    "__s__", "a_b_c", "[l](https://x.example/a?b=c&d=e)", '[t](http://x "title")', "[l](<x y>)", "`code`", "``c`c``",
    "\n    code\n", "\n\tcode\n", "\n- a\n\n    b\n", "\n1. a\n2. b\n", "\n* a\n+ b\n- c\n", "\n> q\nlazy\n",
    "\n> - a\n>     b\n", "x\n===\n", "x\n---\n", "\n| a | b |\n|---|---|\n| 1 | 2 |\n", "\na | b\n--|--\n1 | 2\n",
    "\n```\ncode  \n```\n", "\n~~~\nx\n~~~\n", "  \n", ":", ";", "(", ")", '"', "'", "@", "/", "=\n", "-\n",
    "######", "--", "3. ", "\u0663", "] :", "]\t:", "``\x02`", "~\x03~~",
]  # fmt: skip
_TEXTS = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(alphabet="ab1.-*_+#>|=:[]!`~<&\\ \t\n\r\x02\x03()", max_size=6)),
    min_size=1,
    max_size=18,
).map("".join)
_RENDERER = MarkupRenderer()  # converters reused from one example to the next, as in a build


@given(_TEXTS, st.booleans())
# Raw HTML starting a line after spaces is set on a line of its own by Markdown's HTML block
# step, which leaves "  \n": a hard line break, which the pruned converter had left out.
@example("a\n  <div>x</div>", False)
@example("a\n  <p>x", False)
@example(":=.[.x\n---\n__s___`>#\nx\n===\n  <p>~~~``` {.x}\\# &amp;\\\\x\n---\n", False)
# After a raw HTML block's end tag, a tag or comment on the same line is taken out of the text,
# joining what was on either side of it: an indented code block, an ordered list, a reference
# definition and a hard line break that the text has nowhere as such.
@example("<div>a</div>  <!-- c -->  x", False)
@example("<div>a</div>1<!-- c -->. x", False)
@example("<div>a</div>[a]<!-- c -->: https://x.example\n\n[a]", False)
@example("<div>a</div>x <!-- c --> \ny", False)
# The pruned converter's first cases: each block processor, reference definitions, placeholders.
@example("a\n\n    code\n", False)
@example("- a\n\n    b\n", False)
@example("1. a\n2. b\n", False)
@example("\u0663. a", False)
@example("a\n---\n", False)
@example("a\n===\n", True)
@example("[a]\n\n[a]: https://r.example\n", False)
@example("![a][a]\n\n[a]:\thttps://r.example\n", False)
@example("[a]\n\n[a]\x02: https://r.example\n", False)
@example("``\x02`\ncode\n```\n", False)
@example("> a\n>     code\n", False)
@example("\tcode\n", False)
@example("a &amp b", False)
@example("| a | b |\n| - | - |\n| 1 | 2 |\n", False)
@settings(max_examples=3000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
def test_a_pruned_converter_gives_the_full_converters_html(text: str, line_breaks: bool) -> None:
    try:
        expected = _FULL[line_breaks].reset().convert(text)
    except RecursionError:  # pragma: no cover - the pieces nest a few levels at most
        pytest.skip("nested too deeply")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markup, "_MAX_CONVERTERS", 100_000)  # every kind of text its own pruned converter
        assert _RENDERER._converter(text, line_breaks).reset().convert(text) == expected
        assert str(MarkupRenderer().html(text, line_breaks=line_breaks)) == clean_html(expected)


# -- copies of a message from one shared rendering ------------------------------------------------

TOKENS = ["QzxjaJxzq", "QzxjbJxzq"]
_TEMPLATE_PIECES = [
    "{a}", "{b}", "{a}", " ", "x", "Hi", "\n", "\n\n", "  \n", "- ", "1. ", "# ", "> ", "    ", "*", "**", "_", "`",
    "[", "]", "(", ")", "<", ">", "&amp;", "*{a}*", "**{b}**", "_{a}_", "`{a}`", "{a}_{b}_", "[{a}](Ann)",
    "[Ann]({a})", "[{a}]({b})", "[{a} x]({b})", "[x]({a})", '[x](https://x.example/ "{a}")', "[x](<{a} x>)",
    "<https://x.example/?q={a}>", "<x.{a}@x.example>", "<{a}.x@x.example>", '<abbr title="{a}">', "<abbr title={a}>",
    "</abbr>", "<!-- {a} -->", "{a}\n===\n", "{a}\n---\n", "| {a} | x |\n| - | - |\n| {b} | y |\n",
    "\n```\n{a}\n```\n", "x {a}  \n", "\u2028", "\xa0", "é", ":", "'",
]  # fmt: skip
_WORD = st.sampled_from(["Ann", "Lee", "Zoë", "Émile", "Ǆemal", "Ωmega", "ß", "x", "Ann", "Okafor", "Ⅷ", "²", "ǅ"])
_VALUE = st.one_of(_WORD, st.lists(_WORD, min_size=2, max_size=3).map(" ".join))
_LEADERS = st.lists(st.tuples(_VALUE, _VALUE), min_size=2, max_size=4)


def _copies(template: str, leaders: list[tuple[str, str]], renderer: MarkupRenderer, spaces: str) -> list[tuple[str, str]]:
    """Each leader's copy as a build makes it: from the shared rendering where it can, else on its own."""
    probe = template.format(a=TOKENS[0], b=TOKENS[1])
    shared = renderer.shared(probe, TOKENS)
    if shared is not None and spaces != "checked":
        # The doubled probe refused, or its rendering failing, must only send copies to the plain path.
        object.__setattr__(shared, "check_spaces", (lambda: False) if spaces == "refused" else _raise_if_called)
    copies = []
    for a, b in leaders:
        text = template.format(a=a, b=b)
        found = None
        if shared is not None and (spaces != "unasked" or " " not in a + b):
            found = shared.rendering_for(text, {TOKENS[0]: a, TOKENS[1]: b})
        if found is None:
            html = str(renderer.html(text))
            found = (html, html_to_text(html))
        copies.append(found)
    return copies


def _raise_if_called() -> bool:
    raise AssertionError("the doubled probe was asked for with values of one word only")


@given(st.lists(st.sampled_from(_TEMPLATE_PIECES), min_size=1, max_size=10), _LEADERS, st.sampled_from(["checked", "refused", "unasked"]))
@example(["x ", "{a}", "  \n", "{b}"], [("Ann", "Lee"), ("Amara Okafor", "Lee")], "checked")
@example(["x ", "{a}", "  \n", "{b}"], [("Amara Okafor", "Lee"), ("Ann", "Lee")], "checked")
@example(["<x.{a}@x.example>"], [("Ann", "Lee"), ("Ann Lee", "Lee")], "checked")
@example(["<abbr title={a}>", "{a}"], [("Ann Lee", "Lee"), ("Ann", "Lee")], "refused")
@settings(max_examples=2000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
def test_shared_copies_are_each_copy_formatted_alone_in_any_order(
    pieces: list[str], leaders: list[tuple[str, str]], spaces: str
) -> None:
    """Whatever the order of the leaders (one-word values first or not), and whether the doubled
    probe is asked, refused or never needed, each copy is the copy formatted on its own."""
    template = "".join(pieces)
    if spaces == "unasked":  # one-word values only: the doubled probe must not be needed
        leaders = [(a.split()[0], b.split()[0]) for a, b in leaders]
    alone = []
    for a, b in leaders:
        html = str(MarkupRenderer().html(template.format(a=a, b=b)))
        alone.append((html, html_to_text(html)))
    assert _copies(template, leaders, MarkupRenderer(), spaces) == alone
    assert _copies(template, leaders[::-1], MarkupRenderer(), spaces) == alone[::-1]

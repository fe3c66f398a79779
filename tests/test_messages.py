"""Message templates run in a sandbox: escapes, abuse and runaway work end in a file:line error."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from campaign_portal.load import load_portal
from campaign_portal.model import SourceRef, TemplateText
from campaign_portal.text.templates import (
    MAX_RENDERED_CHARS,
    MessageTemplateError,
    compile_template,
    render_template,
)

from conftest import LEADERS_YML, MINIMAL_CAMPAIGN

SOURCE = SourceRef("campaigns/coaching.yml", 20)
STARTS = dt.datetime(2027, 1, 20, 12, 30, tzinfo=ZoneInfo("Europe/London"))


def context(**overrides: Any) -> dict[str, Any]:
    event = {"title": "Lunch & learn", "starts": STARTS, "url": "https://x.example/e/", "location": "Room <4>"}
    values: dict[str, Any] = {
        "leader": {"id": "amara-okafor", "name": "Amara Okafor", "first_name": "Amara", "title": "COO", "email": None},
        "campaign": {"id": "c", "title": "Coaching <for> Growth & more", "summary": "Short.", "url": "https://x.example/c/"},
        "events": [event, {**event, "title": "Second"}],
        "next_event": event,
        "site": {"name": "Portal", "url": "https://x.example/"},
    }
    values.update(overrides)
    return values


def render(text: str, *, markdown: bool = True, **overrides: Any) -> str:
    return render_template(compile_template(TemplateText(text, SOURCE), markdown=markdown), context(**overrides))


def error_of(text: str, **overrides: Any) -> str:
    with pytest.raises(MessageTemplateError) as caught:
        render(text, **overrides)
    assert "Traceback" not in str(caught.value)
    return str(caught.value)


# -- what a message can do -----------------------------------------------------------------


def test_a_body_reads_the_documented_values_and_escapes_them() -> None:
    body = (
        "Hi {{ leader.first_name }}, {{ campaign.title }} starts {{ next_event.starts | datetime }}.\n"
        "{% for event in events %}- {{ loop.index }} {{ event.title | upper }} in {{ event.location }}\n{% endfor %}"
        "{{ events | map(attribute='title') | join(', ') }} · {{ events | length }} · {{ leader.email or 'none' }}"
    )
    assert render(body) == (
        "Hi Amara, Coaching &lt;for&gt; Growth &amp; more starts Wednesday 20 January 2027, 12:30 GMT.\n"
        "- 1 LUNCH &amp; LEARN in Room &lt;4&gt;\n- 2 SECOND in Room &lt;4&gt;\n"
        "Lunch &amp; learn, Second · 2 · none"
    )


def test_a_subject_is_plain_text() -> None:
    assert render("{{ campaign.title }}: {{ next_event.starts | time }}", markdown=False) == (
        "Coaching <for> Growth & more: 12:30 GMT"
    )


def test_a_template_may_call_the_few_methods_a_message_needs() -> None:
    text = "{{ campaign.title.upper() }} {{ next_event.starts.strftime('%d/%m') }} {{ leader.get('first_name') }} {{ '-'.join(['a', 'b']) if false else 'x' }}"
    assert render(text, markdown=False) == "COACHING <FOR> GROWTH & MORE 20/01 Amara x"


# -- what it cannot --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        pytest.param(
            "{{ leader.__class__.__mro__ }}",
            "campaigns/coaching.yml:20: template error: names starting with '_' are not available in a message ('__mro__')",
            id="class-mro",
        ),
        pytest.param(
            "{{ ''.__class__ }}",
            "campaigns/coaching.yml:20: template error: names starting with '_' are not available in a message ('__class__')",
            id="str-class",
        ),
        pytest.param(
            "{{ cycler.__init__.__globals__ }}",
            "campaigns/coaching.yml:20: template error: names starting with '_' are not available in a message ('__globals__')",
            id="cycler-globals",
        ),
        pytest.param(
            "{{ leader['__class__'] }}",
            "campaigns/coaching.yml:20: template error: names starting with '_' are not available in a message ('__class__')",
            id="getitem-dunder",
        ),
        pytest.param(
            "{{ events | map(attribute='__class__') | list }}",
            "campaigns/coaching.yml:20: template error: names starting with '_' are not available in a message ('__class__')",
            id="filter-attribute-dunder",
        ),
        pytest.param("{{ self }}", "campaigns/coaching.yml:20: template error: 'self' is not available in a message", id="self"),
        pytest.param(
            "{{ lipsum }}",
            "campaigns/coaching.yml:20: template error: 'lipsum' is undefined; see the authoring guide for the names a message can use",
            id="lipsum",
        ),
        pytest.param(
            "{{ config }}",
            "campaigns/coaching.yml:20: template error: 'config' is undefined; see the authoring guide for the names a message can use",
            id="config",
        ),
        pytest.param(
            "{{ cycler }}",
            "campaigns/coaching.yml:20: template error: 'cycler' is undefined; see the authoring guide for the names a message can use",
            id="cycler",
        ),
        pytest.param(
            "{% include '/etc/passwd' %}",
            "campaigns/coaching.yml:20: template error: '{% include %}' is not available in a message",
            id="include",
        ),
        pytest.param(
            "{% import 'x' as y %}",
            "campaigns/coaching.yml:20: template error: '{% import %}' is not available in a message",
            id="import",
        ),
        pytest.param(
            "{% from 'x' import y %}",
            "campaigns/coaching.yml:20: template error: '{% from ... import %}' is not available in a message",
            id="from-import",
        ),
        pytest.param(
            "{% extends '/etc/passwd' %}",
            "campaigns/coaching.yml:20: template error: '{% extends %}' is not available in a message",
            id="extends",
        ),
        pytest.param(
            "{% set x = leader.update({}) %}",
            "campaigns/coaching.yml:20: template error: '{% set %}' is not available in a message; write the value where it is needed",
            id="set-mutation",
        ),
        pytest.param(
            "{{ leader.update({'name': 'x'}) }}",
            "campaigns/coaching.yml:20: template error: 'update' of dict values is not available in a message",
            id="mutation",
        ),
        pytest.param(
            "{{ events.append(1) }}",
            "campaigns/coaching.yml:20: template error: 'append' of list values is not available in a message",
            id="list-mutation",
        ),
        pytest.param(
            "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
            "campaigns/coaching.yml:20: template error: macros are not available in a message",
            id="macro",
        ),
        pytest.param(
            "{% for e in events recursive %}{{ loop(events) }}{% endfor %}",
            "campaigns/coaching.yml:20: template error: recursive loops are not available in a message",
            id="recursive-loop",
        ),
        pytest.param(
            "{% autoescape false %}{{ campaign.title }}{% endautoescape %}",
            "campaigns/coaching.yml:20: template error: '{% autoescape %}' is not available in a message",
            id="autoescape-off",
        ),
        pytest.param(
            "{% with x = 1 %}{{ x }}{% endwith %}",
            "campaigns/coaching.yml:20: template error: '{% with %}' is not available in a message",
            id="with",
        ),
        pytest.param(
            "{{ '%s' | format(leader) }}",
            "campaigns/coaching.yml:20: template error: the filter 'format' is not available in a message; these are: "
            "abs, capitalize, count, d, date, datetime, default, dictsort, e, escape, first, float, groupby, int, items, "
            "join, last, length, list, lower, map, max, min, reject, rejectattr, replace, reverse, round, select, "
            "selectattr, sort, string, striptags, sum, time, title, trim, truncate, unique, upper, urlencode, wordcount",
            id="format-filter",
        ),
        pytest.param(
            "{{ '{0.__class__}'.format(leader) }}",
            "campaigns/coaching.yml:20: template error: 'format' of str values is not available in a message",
            id="str-format",
        ),
        pytest.param(
            "{{ '%s %s' % (leader, leader) }}",
            "campaigns/coaching.yml:20: template error: '%' formatting of text is not available in a message",
            id="percent-format",
        ),
        pytest.param(
            "{{ 'x'.ljust(1000000000) }}",
            "campaigns/coaching.yml:20: template error: 'ljust' of str values is not available in a message",
            id="ljust",
        ),
        pytest.param(
            "{{ range(10**9) | list }}",
            "campaigns/coaching.yml:20: template error: loops in a message may repeat at most 10,000 times in all",
            id="huge-range",
        ),
        pytest.param(
            "{% for a in range(5000) %}{% for b in range(5000) %}{% endfor %}{% endfor %}",
            "campaigns/coaching.yml:20: template error: loops in a message may repeat at most 10,000 times in all",
            id="nested-loops",
        ),
        pytest.param(
            "{% for c in campaign.summary * 2000 %}{% endfor %}",
            "campaigns/coaching.yml:20: template error: loops in a message may repeat at most 10,000 times in all",
            id="loop-over-long-text",
        ),
        pytest.param(
            "{{ 'x' * 10**9 }}",
            "campaigns/coaching.yml:20: template error: the text would be longer than 100,000 characters",
            id="string-repeat",
        ),
        pytest.param(
            "{{ 10 ** (10 ** 10) }}",
            "campaigns/coaching.yml:20: template error: the number is too large for a message",
            id="huge-power",
        ),
        pytest.param(
            "{% for i in range(9000) %}{{ campaign.title }}{% endfor %}",
            "campaigns/coaching.yml:20: template error: the rendered message is too long (over 100,000 characters)",
            id="long-output",
        ),
        pytest.param(
            "{{ range }}",
            "campaigns/coaching.yml:20: template error: a function cannot be written into a message; call it or remove it",
            id="function-address",
        ),
        pytest.param(
            "{{ x|e }}{% for y in [1] %}{% endfor %",
            "campaigns/coaching.yml:20: template error: expected token 'end of statement block', got '%'",
            id="syntax",
        ),
        pytest.param(
            "{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}",
            "campaigns/coaching.yml:20: template error: the template is nested too deeply; simplify it",
            id="deep-expression",
        ),
    ],
)
def test_abuse_ends_in_a_template_error_at_file_and_line(template: str, expected: str) -> None:
    assert error_of(template) == expected


def test_the_error_names_the_line_inside_the_template() -> None:
    assert error_of("Hi,\n\nall good\n{{ leader.__class__ }}") == (
        "campaigns/coaching.yml:23: template error: names starting with '_' are not available in a message ('__class__')"
    )
    assert error_of("Hi,\n{{ leader.first_name }}\n{{ leader.firstname }}") == (
        "campaigns/coaching.yml:22: template error: 'dict object' has no attribute 'firstname'; "
        "see the authoring guide for the names a message can use"
    )
    assert error_of("a\nb\n{{ 'x'.ljust(5) }}") == (
        "campaigns/coaching.yml:22: template error: 'ljust' of str values is not available in a message"
    )


@pytest.mark.parametrize(
    "template",
    [
        pytest.param("{{ (campaign.summary ~ campaign.summary ~ campaign.summary) | length }}", id="concat"),
        pytest.param("{{ [campaign.summary, campaign.summary, campaign.summary] | join | length }}", id="join"),
        pytest.param("{{ (campaign.summary + campaign.summary + campaign.summary) | length }}", id="plus"),
        pytest.param("{{ [campaign.summary, campaign.summary, campaign.summary] | string | length }}", id="string"),
        pytest.param("{{ campaign.summary | replace('a', campaign.summary) | length }}", id="replace"),
        pytest.param("{{ ([campaign.summary] * 3) | join | length }}", id="list-repeat"),
        pytest.param("{% if [campaign.summary, campaign.summary, campaign.summary] %}{% endif %}{{ [campaign.summary] * 3 }}", id="print-list"),
    ],
)
def test_text_cannot_grow_past_the_limit_of_a_message(template: str) -> None:
    summary = "a" * (MAX_RENDERED_CHARS // 2)
    message = error_of(template, campaign={"title": "t", "summary": summary})
    assert message.startswith("campaigns/coaching.yml:20: template error: ")
    assert "longer than 100,000 characters" in message or "too long" in message


def test_text_below_the_limit_is_fine() -> None:
    summary = "a" * 1000
    assert render("{{ (campaign.summary ~ campaign.summary) | length }}", campaign={"title": "t", "summary": summary}) == "2000"


def test_a_template_longer_than_any_message_is_refused() -> None:
    with pytest.raises(MessageTemplateError) as caught:
        compile_template(TemplateText("x" * (MAX_RENDERED_CHARS + 1), SOURCE))
    assert str(caught.value) == (
        "campaigns/coaching.yml:20: template error: the template is too long (100,001 characters; the limit is 100,000)"
    )


# -- through the loader: the same errors as problems ------------------------------------------------


def test_the_loader_reports_a_forbidden_template_at_its_line(tmp_path: Path) -> None:
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "leaders.yml").write_text(LEADERS_YML, encoding="utf-8")
    campaign = MINIMAL_CAMPAIGN + textwrap.dedent(
        """\
        messages:
          - id: kickoff
            title: Kick-off
            leaders: [amara-okafor]
            subject: "{{ ''.__class__.__mro__[1].__subclasses__() }}"
            body: |
              Hi,

              {% include '/etc/passwd' %}
            short: "{{ range(10**9) | list }}"
        """
    )
    (campaigns / "coaching.yml").write_text(campaign, encoding="utf-8")
    result = load_portal(campaigns)
    assert [str(problem) for problem in result.problems] == [
        "campaigns/coaching.yml:11: 'subject': template error: names starting with '_' are not available in a message ('__subclasses__')",
        "campaigns/coaching.yml:15: 'body': template error: '{% include %}' is not available in a message",
    ]
    # The huge range compiles; it fails when the site renders it, at its line, as a problem too.
    assert result.portal.campaigns["coaching"].messages == ()


# -- time: a budget per template and build, not per leader --------------------------------------


class _Clock:
    """A clock that moves two seconds each time it is read: slow work without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.reads = 0

    def monotonic(self) -> float:
        self.reads += 1
        self.now += 2.0
        return self.now


def test_a_slow_template_spends_its_time_once_for_all_its_leaders(monkeypatch: pytest.MonkeyPatch) -> None:
    from campaign_portal.text import templates

    clock = _Clock()
    monkeypatch.setattr(templates, "time", clock)
    budgets = templates.RenderBudgets()
    compiled = compile_template(TemplateText("Hi\n{% for e in events %}{{ e.title | upper }}\n{% endfor %}", SOURCE))
    with pytest.raises(MessageTemplateError) as first:
        render_template(compiled, context(events=[{"title": "x"}] * 5), budgets)
    assert str(first.value) == (
        "campaigns/coaching.yml:21: template error: the message took longer than 5 seconds to write "
        "(for all its leaders together)"
    )
    reads = clock.reads
    for name in ("Daniel", "Chen"):
        leader = {**context()["leader"], "first_name": name}
        with pytest.raises(MessageTemplateError) as again:
            render_template(compiled, context(leader=leader), budgets)
        assert str(again.value) == str(first.value)
    assert clock.reads == reads  # not run again: its time was spent
    other = compile_template(TemplateText("Hello {{ leader.first_name }}", SOURCE))
    assert render_template(other, context(), budgets) == "Hello Amara"  # another template has its own time
    monkeypatch.undo()  # the real clock
    assert render_template(compiled, context()).startswith("Hi")  # without budgets: a fresh one each render


def test_a_template_too_slow_for_every_leader_is_one_problem(
    build_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from campaign_portal.text import templates

    monkeypatch.setattr(templates, "time", _Clock())
    campaign = MINIMAL_CAMPAIGN + textwrap.dedent(
        """\
        messages:
          - id: kickoff
            title: Kick-off
            leaders: [amara-okafor, daniel-kim]
            publish: 2026-11-02T09:00:00Z
            subject: Coaching starts
            body: |
              Hi team,
              {% for word in campaign.title.split() %}{{ word | upper }} {{ word | lower }} {% endfor %}
        """
    )
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": campaign}, expect_warnings=True)
    slow = [warning for warning in site.warnings if "seconds to write" in warning]
    assert slow == [
        "campaigns/coaching.yml:15: template error: the message took longer than 5 seconds to write "
        "(for all its leaders together)"
    ]


def test_templates_alike_share_compiled_code_but_keep_their_own_text_and_lines() -> None:
    """Two messages written alike compile to one module; each still writes its own words, raw
    (its own HTML, never escaped), and an error in either is reported at that template's line."""
    from campaign_portal.text import templates

    first = compile_template(TemplateText("Hi <b>team</b> & all,\n{{ leader.first_name }}!", SOURCE))
    second = compile_template(TemplateText("Dear {colleagues},\n{{ leader.first_name }}?", SourceRef("campaigns/b.yml", 5)))
    plain = compile_template(TemplateText("Hi <b>team</b> & all,\n{{ leader.first_name }}!", SOURCE), markdown=False)
    assert first.template is second.template
    assert plain.template is not first.template  # values are escaped in one and not the other
    leader = {**context()["leader"], "first_name": "<Ann>"}
    assert render_template(first, context(leader=leader)) == "Hi <b>team</b> & all,\n&lt;Ann&gt;!"
    assert render_template(second, context(leader=leader)) == "Dear {colleagues},\n&lt;Ann&gt;?"
    assert render_template(plain, context(leader=leader)) == "Hi <b>team</b> & all,\n<Ann>!"
    shifted = compile_template(TemplateText("One line more\n\n{{ leader.missing }}", SOURCE))
    other = compile_template(TemplateText("Hello\n{{ leader.missing }}", SourceRef("campaigns/b.yml", 5)))
    assert shifted.template is not other.template  # the error lines differ, so does the code
    with pytest.raises(MessageTemplateError) as caught:
        render_template(shifted, context())
    assert str(caught.value).startswith("campaigns/coaching.yml:22: template error:")
    with pytest.raises(MessageTemplateError) as caught:
        render_template(other, context())
    assert str(caught.value).startswith("campaigns/b.yml:6: template error:")
    assert templates._TEXTS.get() == ()  # nothing left behind for the next render


def test_a_message_for_several_leaders_is_formatted_once_and_each_copy_is_their_own(
    build_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies that differ only in the leader's plain words share one Markdown rendering; a copy
    with other words (punctuation in a name) is formatted on its own; each reads as if alone."""
    import email
    from email import policy

    import markdown

    bodies: list[str] = []
    convert = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda self, text: bodies.append(text) or convert(self, text))
    leaders = LEADERS_YML + "chen-li:\n  name: Chen-Li Wu\n  title: CFO\n  email: chen@example.com\n"
    campaign = MINIMAL_CAMPAIGN + textwrap.dedent(
        """\
        messages:
          - id: kickoff
            title: Kick-off
            leaders: [amara-okafor, daniel-kim, chen-li]
            publish: 2026-11-02T09:00:00Z
            subject: Coaching starts
            body: |
              Hi **team**,

              {{ campaign.title }} starts soon: [read more]({{ campaign.url }}).

              *{{ leader.name }}*
        """
    )
    site = build_portal({"leaders.yml": leaders, "coaching.yml": campaign})
    # the probe, the probe with each token as two words (are spaces inert where the tokens stand?), Chen-Li's own
    assert len([body for body in bodies if body.startswith("Hi **team**")]) == 3
    for leader, name in (("amara-okafor", "Amara Okafor"), ("daniel-kim", "Daniel Kim"), ("chen-li", "Chen-Li Wu")):
        draft = email.message_from_bytes(site.path(f"leaders/{leader}/drafts/coaching/kickoff.eml").read_bytes(), policy=policy.default)
        html = draft.get_body(("html",)).get_content()
        text = draft.get_body(("plain",)).get_content()
        assert f"<p><em>{name}</em></p>" in html
        assert "<p>Hi <strong>team</strong>,</p>" in html
        assert text.rstrip().endswith(name)
        assert "Qzxj" not in html + text


# -- templates parsed once per shape -------------------------------------------------------

_PIECES = [
    "Hi team,", " ", "\n", "\n\n", "**", "{", "}", "%", "#", "50% off", "{{ campaign.title }}", "{{ leader.first_name }}",
    "{{ event.starts | date('d MMM') }}", '{{ "}}" }}', "{{ 'a' ~ \"b\" }}", "{{ x\n }}", "{{-x}}", "{{ x -}}", "{{{ x }}}",
    "{{ f( }}", ")", "{% if next_event %}", "{%- if x %}", "{% if x -%}", "{%+ if x %}", "{% else %}", "{% endif %}",
    "{% for event in events[:3] %}", "{% endfor %}", "{% raw %}", "{% endraw %}", "{# note #}", "\r\n", "{% set a = 1 %}",
    "{{ leader._secret }}", "{{ x | nosuch }}", "{%", "}}", "\x00",
    "Zoë Ñúñez 漢字", "\x001\x00", "\x000\x00\n", "a\\b", "'", '"', "{{ leader.name | replace('a', '}') }}",
    "{{ leader.name | replace(\"\\\"\", 'x') }}", "{{ nosuch }}", "{{ leader.name.__class__ }}", "{% for e in events %}",
    "{{ e.title | truncate(3, true, '…') }}", "\u2028", "\x0c", "\t", "{{ '%}' }}", "{% if '{{' %}", "{#", "#}",
    "{% endraw %}", "{%raw%}", "{{ 1 / 0 }}", "\n{{ leader.title }}\n",
]  # fmt: skip


def _direct(text: str, markdown: bool) -> Any:
    """What Jinja's own parse of ``text`` gives: the shared code and the texts, or the error and its line."""
    from campaign_portal.text import templates

    try:
        return templates._compile_text(text, markdown)
    except Exception as error:  # the same error must come out of both ways
        return (type(error), str(error), getattr(error, "lineno", None))


@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.booleans())
@example(["Hi team,", " ", "{{-x}}"], True)  # whitespace control takes the space before or after the tag
@example(["Hi team,", " ", "{%- if x %}", "{% endif %}"], True)
@example(["{% if x -%}", " ", "Hi team,", "{% endif %}"], False)
@example(["{{ x -}}", " ", "Hi team,"], False)
@example(["Hi team,", "{% raw %}", "{{ x }}", "{% endraw %}"], True)
@example(["Hi team,", " ", "{# note #}", " ", "{{ x }}"], True)
@example(["Hi team,", "\r\n", "{{ x }}", "\r\n"], True)
@settings(max_examples=400, deadline=None)
def test_a_template_compiled_by_its_shape_is_the_template_as_written(pieces: list[str], markdown: bool) -> None:
    """Templates are parsed once per shape (tags and line breaks, with each run of words replaced
    by a marker); the result is what parsing the template itself gives: the same compiled code,
    the same words in the same order, the same error at the same line."""
    from campaign_portal.text import templates

    text = "".join(pieces)
    templates._compile.cache_clear()
    try:
        by_shape: Any = templates._compile(text, markdown)
    except Exception as error:
        by_shape = (type(error), str(error), getattr(error, "lineno", None))
    expected = _direct(text, markdown)
    if isinstance(expected[0], type):
        assert by_shape == expected
    else:
        assert by_shape[0] is expected[0] and by_shape[1] == expected[1]


def _written(text: str, markdown: bool) -> str:
    """The template compiled and rendered for one leader, or its error with the file:line."""
    try:
        return "ok: " + render_template(compile_template(TemplateText(text, SOURCE), markdown=markdown), context())
    except MessageTemplateError as error:
        return f"error: {error}"


@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.booleans())
@example(["{% for e in events %}", "Zoë\n", "{{ e.title }}", "{% endfor %}", "\n", "{{ nosuch }}"], True)
@settings(max_examples=200, deadline=None)
def test_a_template_by_its_shape_writes_what_jinja_writes_from_the_text(pieces: list[str], markdown: bool) -> None:
    """Rendered through shapes shared with other templates, a template writes what Jinja itself
    writes from its text, and fails with the same problem at the same line as without shapes."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from campaign_portal.text import templates

    text = "".join(pieces)
    templates._compile.cache_clear()
    by_shape = _written(text, markdown)
    templates._compile.cache_clear()
    original_split = templates._split
    templates._split = lambda text: None  # type: ignore[assignment]
    try:
        as_written = _written(text, markdown)
    finally:
        templates._split = original_split
        templates._compile.cache_clear()
    assert by_shape == as_written
    if by_shape.startswith("ok: "):
        jinja = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=markdown)
        assert by_shape == "ok: " + jinja.from_string(text).render(context()).strip()


@pytest.mark.parametrize(
    ("text", "reworded"),
    [
        ("Hi {{ leader.first_name }}\n", "Dear {{ leader.first_name }}\n"),  # Jinja drops the last line break
        ("Hi {{ leader.first_name }}\n\n", "Hello, {{ leader.first_name }}\n\n"),
        ("{{ leader.first_name }}", "{{ leader.first_name }}"),
        ("Hello\nthere\n", "Good\nmorning\n"),
        ("Hello\nthere", "Good\nmorning"),
        ("Line\n{% if next_event %}\nnext: {{ next_event.title }}\n{% endif %}\nEnd\n", "A\n{% if next_event %}\nB {{ next_event.title }}\n{% endif %}\nC D\n"),
        ("{% for event in events %}- {{ event.title }}, {{ event.starts | date('d MMM') }}\n{% endfor %}", "{% for event in events %}* {{ event.title }}: {{ event.starts | date('d MMM') }}\n{% endfor %}"),
    ],
)
def test_templates_of_one_shape_are_parsed_once_and_keep_their_own_words(text: str, reworded: str) -> None:
    from campaign_portal.text import templates

    for markdown in (True, False):
        templates._compile.cache_clear()
        templates._SHAPES.clear()
        assert templates._compile(text, markdown) == templates._compile_text(text, markdown)
        assert len(templates._SHAPES) == 1 and None not in templates._SHAPES.values()
        shared, words = templates._compile(reworded, markdown)
        assert len(templates._SHAPES) == 1  # the same shape: not parsed again
        assert (shared, words) == templates._compile_text(reworded, markdown)

"""Differential tests: the YAML reader's shortcuts against the plain path.

- A plain scalar's value, worked out once per text (``yaml_lines._plain_value``, memoised) and
  under an explicit standard tag (``_construct``), against PyYAML's resolver and constructor
  asked afresh for each value, as a loader of its own does.
- Control characters looked for only in files with a backslash (an escape): written as they
  are, the parser's reader refuses every one of them, with libyaml and without.

Derandomized, so that a run in CI is the same every time.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from campaign_portal.load import yaml_lines

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = [f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "str", "timestamp")]

# What YAML 1.1's implicit types are made of: signs, digits, bases, separators, special words.
_PIECES = [
    "0", "1", "7", "9", "-", "+", ".", "_", ":", "e", "E", "x", "o", "b", "0x", "0o", "0b", "1_0", "1:30", "190:20:30",
    ".inf", ".Inf", ".NaN", ".nan", "-.inf", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "yes", "Yes",
    "no", "NO", "on", "On", "off", "OFF", "y", "n", "Y", "N", "<<", "=", "2027-01-04", "2027-1-4", "T09:00:00", " ",
    "Z", "+01:00", "1e3", "1.5e-3", "6.8523015e+5", "0.", "title", "timezone", "text",
]  # fmt: skip
_TEXTS = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(alphabet="0123456789+-._:eExobTZ ~<=ynft", max_size=5)),
    max_size=6,
).map("".join)


def _same(one: Any, other: Any) -> bool:
    if isinstance(one, float) and isinstance(other, float) and math.isnan(one):
        return math.isnan(other)
    return type(one) is type(other) and one == other


def _constructed_afresh(tag: str, text: str) -> Any:
    """The plain path: a new loader's constructor builds the value (a standard tag it cannot read: the text)."""
    if tag in (_STR, _TIMESTAMP):
        return text
    try:
        return yaml.SafeLoader("").construct_object(yaml.ScalarNode(tag, text), deep=True)
    except Exception:
        return text


@given(_TEXTS)
@example("")
@example("0o17")
@example("-0x_1F")
@example("1_000.5")
@settings(max_examples=3000, deadline=None, derandomize=True)
def test_a_plain_scalar_reads_as_a_new_resolver_and_constructor_read_it(text: str) -> None:
    tag = yaml.SafeLoader("").resolve(yaml.ScalarNode, text, (True, False))
    expected = _constructed_afresh(tag, text)
    assert _same(yaml_lines._plain_value(text), expected)
    assert _same(yaml_lines._plain_value(text), expected)  # and again, from the memo
    if text and yaml_lines._TYPED_STARTS is not None and text[0] not in yaml_lines._TYPED_STARTS:
        assert tag == _STR  # the text the reader never asks about


@given(st.sampled_from(_SCALAR_TAGS), _TEXTS)
@settings(max_examples=1000, deadline=None, derandomize=True)
def test_a_standard_tag_reads_as_a_new_constructor_reads_it(tag: str, text: str) -> None:
    assert _same(yaml_lines._construct(tag, text), _constructed_afresh(tag, text))


_CONTROL = [chr(code) for code in range(0x10000) if yaml_lines._CONTROL_CHARACTERS.fullmatch(chr(code))]


@pytest.mark.parametrize("loader", [yaml.CSafeLoader, yaml.SafeLoader], ids=["libyaml", "pure-python"])
def test_every_control_character_written_as_it_is_is_refused_by_the_reader(
    monkeypatch: pytest.MonkeyPatch, loader: type
) -> None:
    """The reader looks for control characters in values only where a backslash could have escaped one."""
    monkeypatch.setattr(yaml_lines, "_Loader", loader)
    monkeypatch.setattr(yaml_lines, "_LIBYAML", loader is yaml.CSafeLoader)
    assert len(_CONTROL) > 60
    for character in _CONTROL:
        for text in (f"title: a{character}b\n", f"title: 'a{character}b'\n", f'title: "a{character}b"\n', f"title: |\n  a{character}b\n"):
            value, problems = yaml_lines.parse_yaml(text, "c.yml")
            assert value is None, repr(text)
            assert [problem.message for problem in problems] == [
                f"the file contains the character U+{ord(character):04X}, which YAML does not allow; remove it"
            ], repr(text)
    value, problems = yaml_lines.parse_yaml('title: "a\\x1bb"\n', "c.yml")
    assert value == {"title": "ab"}
    assert [str(problem) for problem in problems] == [
        "c.yml:1: the text contains the control character U+001B, which a web page cannot show; remove it"
    ]

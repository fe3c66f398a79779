"""Percent-encoding written from a table is what urllib.parse writes, for any text."""

from __future__ import annotations

from urllib.parse import quote, quote_plus

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from campaign_portal.writers.percent import form_encoded, percent_encoded

_TEXTS = st.text(st.characters(exclude_categories=("Cs",)), max_size=60) | st.text(" \r\n%+&=?/@#~._-aZ09é漢😀", max_size=30)


@given(_TEXTS, st.sampled_from(["", "@", "/", " ", "@/", "é"]))
@example("Hello world\r\nLine two: 50% & more?", "")
@example("ann.lee+x@example.com", "@")
@example("", "")
@settings(max_examples=3000, deadline=None)
def test_percent_encoded_is_urllib_quote(text: str, safe: str) -> None:
    assert percent_encoded(text, safe) == quote(text, safe=safe)


@given(_TEXTS)
@example("Workshop: the stay conversation (Singapore office, level 21)")
@example("  a  +  b  ")
@settings(max_examples=3000, deadline=None)
def test_form_encoded_is_urllib_quote_plus(text: str) -> None:
    assert form_encoded(text) == quote_plus(text)


def test_a_lone_surrogate_is_refused_as_urllib_refuses_it() -> None:
    with pytest.raises(UnicodeEncodeError):
        quote("\ud800", safe="")
    with pytest.raises(UnicodeEncodeError):
        percent_encoded("\ud800")

"""Differential test: the field readers' shortcut for usual links against the plain path.

``fields.is_http_link`` accepts a link of the usual shape by one regular expression; every
other text goes through ``urllib.parse.urlsplit``. Both must give the same verdict on any text.
Derandomized, so that a run in CI is the same every time.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import example, given, settings
from hypothesis import strategies as st

from campaign_portal.load import fields

_PIECES = [
    "http", "https", "HTTP", "Https", "ftp", "javascript", ":", "//", "/", "///", "?", "#", "@", "[", "]", "[::1]",
    "example.com", "a.b-c.example", "-", ".", "..", ":80", ":8080", ":x", "%20", "%", " ", "\t", "\n", "\x0b", "\x1c",
    "\x85", "\xa0", "\u2028", "\u3000", "é", "ｅｘａｍｐｌｅ", "\u2100", "~", "!", "*", "'", "(", ")", ";", "=", "&",
    "+", ",", "$", "\\", "\x00", "\x7f", "j/123", "?a=b&c=d", "#top",
]  # fmt: skip
_ANY = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(alphabet="htps:/.[]@?#%-_~aZ09 \t", max_size=5)), max_size=8
).map("".join)
# Mostly links: a scheme, "://" (or something near it), a host, then anything.
_LINKS = st.one_of(
    _ANY,
    st.tuples(st.sampled_from(["http", "https", "HTTPS", "ftp", "", "http:"]), st.sampled_from(["://", ":/", "//", ""]), _ANY, _ANY).map("".join),
)


def _plain_verdict(value: str) -> bool:
    """urlsplit's scheme and host, and no space, as ``FieldReader.url`` asked them before the shortcut."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and fields._SPACE.search(value) is None


@given(_LINKS)
@example("https://meet.example.com/j/167808612")
@example("http://")
@example("http://[")
@example("http://a")
@example("https://a.example:443/p?q=1#f")
@example("https://a.example:/x")
@example("https://[::1]/x")
@example("https://a.example/ x")
@settings(max_examples=3000, deadline=None, derandomize=True)
def test_a_link_reads_as_urlsplit_reads_it(value: str) -> None:
    assert fields.is_http_link(value) == _plain_verdict(value)


def test_the_usual_links_take_the_shortcut() -> None:
    """The shortcut is the path of the links authors write (else it would only cost time)."""
    for link in ("https://meet.example.com/j/167808612", "http://intranet.example:8080/learn?id=4#agenda"):
        assert fields._PLAIN_HTTP_LINK.fullmatch(link) is not None

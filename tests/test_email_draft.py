"""The .eml drafts and mailto: links, read back with the standard library's email parser."""

from __future__ import annotations

import email
import email.policy
import random
from email.message import EmailMessage

import pytest

from campaign_portal.writers.eml import build_eml

LONG_LINE = "A sentence that keeps going without a break, as pasted from a slide deck. " * 30
BODIES = [
    "Hi team,\n\nPlain ASCII, two paragraphs.\n\nAmara",
    "Accents and symbols: café, naïve, Zürich, 東京, emoji 🎉, en dash –, euro €.",
    f"{LONG_LINE}\n\nThen a short line.",
    "Trailing spaces   \nand a tab\t\nand = signs == and =3D already\n.\n..\nFrom the start of a line\n",
    "Windows line ends\r\nand old Mac ones\rand Unix ones\n",
    "--=_portal_not-the-boundary\n--\n",
    "",
]


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert message.defects == []
    return message


def body_of(message: EmailMessage, subtype: str) -> str:
    part = message.get_body((subtype,))
    assert part is not None and part.defects == []
    content: str = part.get_content()  # type: ignore[attr-defined]
    return content.replace("\r\n", "\n")


def normalised(text: str) -> str:
    """What a reader gets back: the text with LF line ends and one final line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


@pytest.mark.parametrize("body", BODIES)
def test_both_parts_read_back_exactly(body: str) -> None:
    html = f"<p>{body}</p>"
    message = parse(build_eml("Subject", body, html, sender="amara.okafor@example.com"))
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert body_of(message, "plain") == normalised(body)
    assert body_of(message, "html") == normalised(f"<!DOCTYPE html><html><body>{html}</body></html>")


@pytest.mark.parametrize(
    "subject",
    [
        "Coaching for Growth starts today",
        "Café, Zürich and 東京: our next sessions 🎉",
        "A very long subject line " * 12,
        "=?utf-8?q?looks_encoded?= but is not",
    ],
)
def test_subject_reads_back_and_every_line_is_short(subject: str) -> None:
    raw = build_eml(subject, LONG_LINE, f"<p>{LONG_LINE}</p>")
    assert parse(raw)["Subject"] == " ".join(subject.split())
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 78
    assert raw.isascii(), "7-bit clean: every non-ASCII character is encoded"
    assert b"\n" not in raw.replace(b"\r\n", b""), "CRLF line ends only"


def test_headers_cannot_be_injected_and_the_draft_is_unsent() -> None:
    message = parse(
        build_eml("Hello\r\nBcc: everyone@example.com\nX-Evil: 1", "Hi", "<p>Hi</p>", sender="a@b.c\r\nBcc: x@y.z")
    )
    assert message["Subject"] == "Hello Bcc: everyone@example.com X-Evil: 1"
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message["From"] is None, "a sender that is not one plain address is left out"
    assert message["X-Unsent"] == "1"
    assert message["To"] == ""
    assert sorted(message.keys()) == sorted(["Subject", "To", "X-Unsent", "MIME-Version", "Content-Type"])


def test_the_sender_is_kept_when_it_is_one_plain_address() -> None:
    assert parse(build_eml("Hi", "Hi", "<p>Hi</p>", sender="sean.o'brien@example.com"))["From"] == "sean.o'brien@example.com"
    assert parse(build_eml("Hi", "Hi", "<p>Hi</p>", sender="Amara <a@b.c>"))["From"] is None


def test_same_input_same_bytes_and_the_boundary_follows_the_content() -> None:
    first = build_eml("Hi", "Body", "<p>Body</p>")
    assert build_eml("Hi", "Body", "<p>Body</p>") == first
    other = build_eml("Hi", "Other body", "<p>Other body</p>")
    assert parse(first).get_boundary() != parse(other).get_boundary()


def test_a_mailto_link_is_written_out_exactly_up_to_its_limit() -> None:
    """Links sure to be too long are not written out; every other is the full link (or None past the limit)."""
    from urllib.parse import quote

    from campaign_portal.model import ascii_email
    from campaign_portal.writers.eml import MAILTO_LIMIT, mailto_link

    def reference(subject: str, body: str, to: str | None) -> str | None:
        query = f"subject={quote(subject, safe='')}&body={quote(body.replace(chr(10), chr(13) + chr(10)), safe='')}"
        link = f"mailto:{quote(ascii_email(to) if to else '', safe='@')}?{query}"
        return link if len(link) <= MAILTO_LIMIT else None

    rng = random.Random(5)
    pieces = ["word", " ", "\n", "é", "😀", ",", "&", "%", "x" * 30, "Zoë"]
    lengths = set()
    for _ in range(3000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 700)))
        subject = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        to = rng.choice([None, "amara.okafor@example.com"])
        link = mailto_link(subject, body, to=to)
        assert link == reference(subject, body, to)
        lengths.add(link is None)
    assert lengths == {True, False}  # both sides of the limit were tried


def test_a_short_ascii_subject_is_written_as_the_standard_library_writes_it() -> None:
    from email.header import Header

    from campaign_portal.writers.eml import _encoded_subject

    rng = random.Random(1)
    alphabet = "abcXYZ019 :;,.!?()[]<>@\"'=?-_/\\\x7f"
    for length in range(0, 100):
        for _ in range(60):
            words = ("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 15))) for _ in range(12))
            subject = " ".join(" ".join(words)[:length].split())
            charset = "us-ascii" if subject.isascii() and "=?" not in subject else "utf-8"
            assert _encoded_subject(subject) == Header(subject, charset, header_name="Subject").encode(linesep="\r\n")

"""Email drafts a leader opens, checks and sends: mailto: links and .eml files."""

from __future__ import annotations

import binascii
import hashlib
from email.header import Header

from ..model import ascii_email, is_email
from .percent import percent_encoded

# Outlook and some browsers truncate or refuse longer mailto: links; past this the page offers
# the .eml draft instead.
MAILTO_LIMIT = 1800


def mailto_link(subject: str, body: str, to: str | None = None) -> str | None:
    """A mailto: link with subject and body, or None when it would be too long to open reliably."""
    address = ascii_email(to) if to and is_email(to) else None
    body = body.replace("\n", "\r\n")
    # Each character is at least one character of the link, and a space or line break three
    # ("%20", "%0D", "%0A"): a link sure to be too long is not written out (most long messages).
    breaks = subject.count(" ") + body.count(" ") + body.count("\r") + body.count("\n")
    if len(f"mailto:{address or ''}?subject={subject}&body={body}") + 2 * breaks > MAILTO_LIMIT:
        return None
    query = f"subject={percent_encoded(subject)}&body={percent_encoded(body)}"
    link = f"mailto:{percent_encoded(address or '', safe='@')}?{query}"
    return link if len(link) <= MAILTO_LIMIT else None


def build_eml(subject: str, text: str, html: str, *, sender: str | None = None) -> bytes:
    """An unsent draft (X-Unsent: 1) with plain and HTML parts, UTF-8, byte-identical for the same input.

    Outlook opens such a file as an editable draft; other clients show it ready to forward.
    Headers are one line whatever the input (no header injection), and a ``sender`` that is
    not a single plain address is left out.

    Written directly rather than through ``email.message.EmailMessage``, whose header parsing
    and folding cost ~3 ms a draft; a portal has thousands of drafts. The bodies are
    quoted-printable, so no line is longer than 76 characters and the file is 7-bit clean.
    """
    subject = " ".join(subject.split())
    html_document = f"<!DOCTYPE html><html><body>{html}</body></html>"
    # Derived from the content so that builds are reproducible. "=_" cannot occur in
    # quoted-printable text, so the boundary can never appear inside a part.
    digest = hashlib.sha256(f"{subject}\0{text}\0{html}".encode()).hexdigest()[:24]
    boundary = f"=_portal_{digest}"
    lines = [f"Subject: {_encoded_subject(subject)}"]
    address = ascii_email(sender) if sender and is_email(sender) else None
    if address is not None:  # the domain in its IDNA form, so the file stays 7-bit
        lines.append(f"From: {address}")
    lines += [
        "To: ",
        "X-Unsent: 1",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative;",
        f' boundary="{boundary}"',
        "",
    ]
    for subtype, content in (("plain", text), ("html", html_document)):
        lines += [
            f"--{boundary}",
            f'Content-Type: text/{subtype}; charset="utf-8"',
            "Content-Transfer-Encoding: quoted-printable",
            "",
            _quoted_printable(content),
        ]
    lines += [f"--{boundary}--", ""]
    return "\r\n".join(lines).encode("ascii")


def _encoded_subject(subject: str) -> str:
    """The subject as a header value: RFC 2047 words where it is not ASCII, folded at spaces to 78 columns."""
    # Text that merely looks like an encoded word ("=?...?=") is encoded too, or a reader would decode it.
    plain = subject.isascii() and "=?" not in subject
    if plain and len(subject) <= _SUBJECT_ON_ONE_LINE and subject.isprintable():
        return subject  # what Header writes for it: one line, as it is
    return Header(subject, "us-ascii" if plain else "utf-8", header_name="Subject").encode(linesep="\r\n")


# An ASCII subject this long or shorter stays on the "Subject: " line (78 columns in all).
_SUBJECT_ON_ONE_LINE = 78 - len("Subject: ")


def _quoted_printable(content: str) -> str:
    """``content`` as quoted-printable UTF-8 with CRLF line ends, ending in a line break."""
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    # The line break before a boundary belongs to the boundary, so the part's own last line
    # break is written out: a reader gets the text back with a final newline, as from set_content.
    # Encoded with LF line ends throughout (b2a_qp follows the input's), then each LF, hard
    # or soft line break alike, is written as CRLF.
    encoded = binascii.b2a_qp("\n".join(lines).encode("utf-8"), istext=True).decode("ascii")
    return encoded.replace("\n", "\r\n") + "\r\n"

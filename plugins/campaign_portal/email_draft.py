"""Email drafts a leader opens, checks and sends: mailto: links and .eml files."""

from __future__ import annotations

import hashlib
import re
from email.message import EmailMessage
from email.policy import SMTP
from urllib.parse import quote

# Outlook and some browsers truncate or refuse longer mailto: links.
MAILTO_LIMIT = 2000
# One bare address: no display name, no list, nothing a mail client would read as a second header.
_PLAIN_ADDRESS = re.compile(r"[^\s@,;<>()\[\]:\"\\]+@[^\s@,;<>()\[\]:\"\\]+")


def mailto_link(subject: str, body: str, to: str | None = None) -> str | None:
    """A mailto: link with subject and body, or None when it would be too long to open reliably."""
    query = f"subject={quote(subject, safe='')}&body={quote(body.replace(chr(10), chr(13) + chr(10)), safe='')}"
    link = f"mailto:{quote(to or '', safe='@')}?{query}"
    return link if len(link) <= MAILTO_LIMIT else None


def build_eml(subject: str, text: str, html: str, *, sender: str | None = None) -> bytes:
    """An unsent draft (X-Unsent: 1) with plain and HTML parts, UTF-8, byte-identical for the same input.

    Outlook opens such a file as an editable draft; other clients show it ready to forward.
    Headers are one line whatever the input (no header injection), and a ``sender`` that is
    not a single plain address is left out.
    """
    subject = " ".join(subject.split())
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    if sender and _PLAIN_ADDRESS.fullmatch(sender):
        message["From"] = sender
    message["To"] = ""
    message["X-Unsent"] = "1"
    message.set_content(text, charset="utf-8")
    message.add_alternative(f"<!DOCTYPE html><html><body>{html}</body></html>", subtype="html", charset="utf-8")
    # The boundary is random by default; derive it from the content so that builds are reproducible.
    digest = hashlib.sha256(f"{subject}\0{text}\0{html}".encode()).hexdigest()[:24]
    message.set_boundary(f"=_portal_{digest}")
    return message.as_bytes(policy=SMTP)

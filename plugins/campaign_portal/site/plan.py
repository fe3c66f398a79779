"""A leader's action plan: their messages and reminders by when they are to send, at the build's now.

The send windows come from ``rules.schedule`` (through ``RenderedMessage.window``); this module
only sorts each leader's copies into what to send now, what comes up later and what was sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..rules.schedule import SendState
from .content import RenderedMessage
from .scope import Scope


@dataclass
class LeaderPlan:
    now: list[RenderedMessage] = field(default_factory=list)  # window open: the soonest to close first
    coming: list[RenderedMessage] = field(default_factory=list)  # not open yet: the soonest first
    sent: list[RenderedMessage] = field(default_factory=list)  # window closed: the latest first

    def __len__(self) -> int:
        return len(self.now) + len(self.coming) + len(self.sent)


def state_of(scope: Scope, message: RenderedMessage) -> SendState:
    """Whether ``message`` is to send now, coming up or sent earlier, at the build's now."""
    assert message.window is not None
    return message.window.state(scope.now)


def leader_plan(scope: Scope, messages: Iterable[RenderedMessage]) -> LeaderPlan:
    """A leader's announcements and reminders, sorted by time rather than kind."""
    plan = LeaderPlan()
    for message in messages:
        getattr(plan, state_of(scope, message)).append(message)
    plan.now.sort(key=lambda m: (m.window.closes, m.window.opens, m.anchor))  # type: ignore[union-attr]
    plan.coming.sort(key=lambda m: (m.window.opens, m.window.closes, m.anchor))  # type: ignore[union-attr]
    plan.sent.sort(key=lambda m: (m.window.closes, m.anchor), reverse=True)  # type: ignore[union-attr]
    return plan


def to_send_now(scope: Scope, messages: Iterable[RenderedMessage]) -> list[RenderedMessage]:
    """The messages whose send window is open at the build's now, in the order given."""
    return [message for message in messages if state_of(scope, message) == "now"]

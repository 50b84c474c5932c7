"""Transports: how a `Tracker` reaches `rtp` (httpx's idea: the client sends through a transport object).

The contract is `BaseTransport`: `call(args) -> Outcome` makes any `rtp(*args)` call, whose arguments are
plain data and Python callables (rtp may call them back with plain data; a `Reply` is answered at most once,
and arguments the page cannot read reach the callable as one `Unreadable`). `send_event(value) -> Outcome`
sends a validated event value (a str, or a list of at most four str); by default it is
`call(("send", "event", {"value": value}))`, so a transport needs only `call`. Every call form of `Tracker`
goes through these two methods.

`PageTransport` is the page's global `rtp`, through `rtp_py.bridge.current()`; `CallableTransport` wraps any
Python callable, such as a recorder in tests:

    >>> calls = []
    >>> CallableTransport(lambda *args: calls.append(args)).send_event("A")
    Outcome('sent')
    >>> calls
    [('send', 'event', {'value': 'A'})]
    >>> def broken(*args):
    ...     raise RuntimeError("tag exploded")
    >>> CallableTransport(broken).send_event("A")
    Outcome('tag-error', 'rtp threw RuntimeError: tag exploded')
"""

from . import bridge
from .outcome import QUEUED, SENT, Outcome, Reply, Unreadable, failed

TYPE_CHECKING = False  # typing is not there on MicroPython: its names are for the type checker only
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BaseTransport", "CallableTransport", "PageTransport", "Outcome", "Reply", "Unreadable", "SENT",
           "QUEUED", "failed"]


class BaseTransport:
    """What a `Tracker` sends through. Implement `call`; override `send_event` for a faster event path."""

    def call(self, args: "tuple[Any, ...]") -> Outcome:
        """Make the call `rtp(*args)`; return its `Outcome` (never raise: a failing tag is `failed(reason)`)."""
        raise NotImplementedError

    def send_event(self, value: "str | list[str]") -> Outcome:
        """Send one event call's validated value: `rtp("send", "event", {"value": value})`."""
        return self.call(("send", "event", {"value": value}))


class CallableTransport(BaseTransport):
    """Sends through a Python callable taking `rtp`'s positional arguments. Whatever it raises is a tag
    error, never an exception in your code."""

    def __init__(self, rtp):
        self.rtp = rtp

    def call(self, args):
        try:
            self.rtp(*args)
        except Exception as error:  # the tag's own failure must never break the page
            return failed("rtp threw " + type(error).__name__ + ": " + str(error))
        return SENT


class PageTransport(BaseTransport):
    """Sends through the page's global `rtp` (looked up on every call), via `bridge.current()`, asked at each
    call so that tests can put a fake page in its place."""

    def send_event(self, value):
        return bridge.current().send_event(value)

    def call(self, args):
        return bridge.current().call(args)

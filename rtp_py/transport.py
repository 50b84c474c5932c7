"""Transports: how a `Tracker` reaches `rtp`, and the one outcome type every call has (httpx's idea).

A transport has two methods: `send_event(value) -> Outcome`, for a validated event value (a str, or a list
of at most four str), and `call(args) -> Outcome` for any other call, `rtp(*args)`, whose arguments are
plain data and Python callables (rtp may call them back with plain data). `PageTransport` is the page's
global `rtp`, through `bridge.page`; `CallableTransport` wraps any Python callable, such as a recorder in
tests:

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


class Outcome:
    """What became of one `rtp(...)` call: `SENT`, `QUEUED` (rtp was missing: the documented queue stub was
    installed and holds the call for rtp.js), or a tag error (`failed(reason)`: rtp threw or could not be
    read). `.reached` is True for the first two."""

    def __init__(self, status, reason=None):
        self.status = status
        self.reason = reason

    @property
    def reached(self):
        return self.status != "tag-error"

    def __repr__(self):
        if self.reason is None:
            return "Outcome(%r)" % self.status
        return "Outcome(%r, %r)" % (self.status, self.reason)


SENT = Outcome("sent")
QUEUED = Outcome("queued")


def failed(reason):
    """The outcome of a call the tag did not take, with why."""
    return Outcome("tag-error", reason)


class CallableTransport:
    """Sends through a Python callable taking `rtp`'s positional arguments. Whatever it raises is a tag
    error, never an exception in your code."""

    def __init__(self, rtp):
        self.rtp = rtp

    def send_event(self, value):
        return self.call(("send", "event", {"value": value}))

    def call(self, args):
        try:
            self.rtp(*args)
        except Exception as error:  # the tag's own failure must never break the page
            return failed("rtp threw " + type(error).__name__ + ": " + str(error))
        return SENT


class PageTransport:
    """Sends through the page's global `rtp` (looked up on every call), via `bridge.page`, which is read at
    each call so that tests can put a fake page in its place."""

    def __init__(self):
        from . import bridge  # here, not at the top: bridge imports this module's outcomes
        self._bridge = bridge

    def send_event(self, value):
        return self._bridge.page.send_event(value)

    def call(self, args):
        return self._bridge.page.call(args)

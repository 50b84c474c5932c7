"""Transports: how a `Tracker` reaches `rtp`, and the one outcome type every call has (httpx's idea).

A transport has two methods: `send_event(value) -> Outcome`, for a validated event value (a str, or a list
of at most four str), and `call(args) -> Outcome` for any other call, `rtp(*args)`, whose arguments are
plain data and Python callables (rtp may call them back with plain data). A callable that is a `Reply` is
answered at most once: the page lets go of it after its first call, or when it is cancelled (a timeout).
Arguments the page cannot read as plain data reach the callable as one `Unreadable`. `PageTransport` is the page's
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


class Unreadable:
    """What a callback receives, as its one argument, when rtp called it with arguments the page could not
    read as plain data (a cyclic object, a BigInt, a throwing getter, nesting too deep): `.problem` says why."""

    def __init__(self, problem):
        self.problem = problem

    def __repr__(self):
        return "Unreadable(%r)" % self.problem


class Reply:
    """A callback rtp answers at most once (`get visitor`'s). Calling it runs `callback(*args)` the first time
    and does nothing after. `cancel()` gives up on the answer (a timeout): the page lets go of what it made
    to relay the call (it registered that with `on_cancel`), so nothing stays alive for the page's life.

        >>> answers = []
        >>> reply = Reply(answers.append)
        >>> reply("first"); reply("second")
        >>> answers, reply.answered
        (['first'], True)
    """

    def __init__(self, callback):
        self._callback = callback
        self._release = None
        self.answered = False

    def __call__(self, *args):
        if self.answered:
            return
        self.answered = True
        self._release = None  # the page let go when it relayed the answer
        self._callback(*args)

    def on_cancel(self, release):
        """The page's way to let go of its relay if no answer comes."""
        self._release = release

    def cancel(self):
        """No answer is wanted any more: a later call does nothing, and the page lets go of its relay."""
        self.answered = True
        release, self._release = self._release, None
        if release is not None:
            release()


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

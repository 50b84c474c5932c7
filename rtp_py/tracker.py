"""`Tracker`: validated custom data events sent through a transport (the page's `rtp`, or a callable).

    >>> calls = []
    >>> tracker = Tracker(rtp=lambda *args: calls.append(args))
    >>> tracker.send_event(["a", "b", "c", "d", "e"])
    [['a', 'b', 'c', 'd'], ['e']]
    >>> calls[1]
    ('send', 'event', {'value': ['e']})
"""

from .event import Event
from .report import call_made, not_sent, report
from .session import default_store
from .transport import QUEUED, CallableTransport, PageTransport


class Tracker:
    """Sends RTP custom data events, every payload validated first.

    `rtp` is any callable taking the JS function's positional arguments as Python objects (tests pass a
    recorder). `None` means the page's global `rtp`, reached through the JS bridge, which converts
    payloads to plain JS objects (and installs the documented queue stub if `rtp` is missing).
    `transport` replaces both: any object with `send_event(value) -> Outcome` (see `rtp_py.transport`).
    `storage` remembers once-per-session events (`seen(key)`, `remember(key)`); by default the tab's
    sessionStorage in a page, a set elsewhere.
    """

    def __init__(self, rtp=None, storage=None, transport=None):
        if transport is None:
            transport = PageTransport() if rtp is None else CallableTransport(rtp)
        self.transport = transport
        self._storage = storage

    @property
    def storage(self):
        if self._storage is None:
            self._storage = default_store()
        return self._storage

    def _call(self, value):
        """Send one call's value; return True if it reached the tag. A failing tag is logged, never raised."""
        outcome = self.transport.send_event(value)
        if not outcome.reached:
            not_sent("tag-error", value, outcome.reason)
            return False
        if outcome is QUEUED:
            report("stub", "window.rtp is undefined (tag blocked or not loaded yet): installed the "
                           "documented queue stub; calls wait on rtp.q for rtp.js")
        call_made(value)
        return True

    def send_event(self, value, once_per_session=False):
        """Validate `value`, send it in calls of at most four strings, and return each sent call's value.

        Raises `ValidationError` (and sends nothing) for an invalid value. With `once_per_session=True`,
        an identical event already sent in this browser session is skipped (and logged): returns `[]`.
        A call the tag rejected (it threw) is logged and left out of the result.

            >>> Tracker(rtp=print).send_event("A")
            send event {'value': 'A'}
            ['A']
        """
        event = value if isinstance(value, Event) else Event(value)
        if once_per_session and self.storage.seen(event.key):
            not_sent("skipped", event.value, "already sent in this browser session (once per session)")
            return []
        sent = [call_value for call_value in event.calls if self._call(call_value)]
        if once_per_session and len(sent) == len(event.calls):
            self.storage.remember(event.key)
        return sent


# The tracker behind the module-level `send_event`, `on_click` and declarative tracking: the page's `rtp`.
default_tracker = Tracker()


def send_event(value, once_per_session=False):
    """Send a custom data event to the page's `rtp`; see `Tracker.send_event`. In a page (outside one it
    raises `BrowserRequired`, so this example is not run as a doctest):

        >>> send_event(["MyEvent", "download - example whitepaper"])  # doctest: +SKIP
        [['MyEvent', 'download - example whitepaper']]
    """
    return default_tracker.send_event(value, once_per_session)

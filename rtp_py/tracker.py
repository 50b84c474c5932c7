"""`Tracker`: validated custom data events sent through an injectable `rtp` callable.

    >>> calls = []
    >>> tracker = Tracker(rtp=lambda *args: calls.append(args))
    >>> tracker.send_event(["a", "b", "c", "d", "e"])
    [['a', 'b', 'c', 'd'], ['e']]
    >>> calls[1]
    ('send', 'event', {'value': ['e']})
"""

from . import bridge
from .errors import BrowserRequired, TagError
from .report import call_made, not_sent, report
from .session import default_store, event_key
from .validation import calls_of, check_event


class Tracker:
    """Sends RTP custom data events, every payload validated first.

    `rtp` is any callable taking the JS function's positional arguments as Python objects (tests pass a
    recorder). `None` means the page's global `rtp`, reached through the JS bridge, which converts
    payloads to plain JS objects (and installs the documented queue stub if `rtp` is missing).
    `storage` remembers once-per-session events (`seen(key)`, `remember(key)`); by default the tab's
    sessionStorage in a page, a set elsewhere.
    """

    def __init__(self, rtp=None, storage=None):
        self._rtp = rtp
        self._storage = storage

    @property
    def storage(self):
        if self._storage is None:
            self._storage = default_store()
        return self._storage

    def _call(self, value):
        """Send one call's value; return True if it reached the tag. A failing tag is logged, never raised."""
        try:
            if self._rtp is not None:
                self._rtp("send", "event", {"value": value})
            elif bridge.send_event(value):
                report("stub", "window.rtp is undefined (tag blocked or not loaded yet): installed the "
                               "documented queue stub; calls wait on rtp.q for rtp.js")
        except BrowserRequired:
            raise
        except TagError as error:  # the page's rtp threw (or could not be read): the bridge said what
            not_sent("tag-error", value, str(error))
            return False
        except Exception as error:  # an injected rtp's own failure must never break the page either
            not_sent("tag-error", value, "rtp threw " + type(error).__name__ + ": " + str(error))
            return False
        call_made(value)
        return True

    def send_event(self, value, once_per_session=False):
        """Validate `value`, send it in calls of at most four strings, and return each sent call's value.

        Raises `ValidationError` (and sends nothing) for an invalid value. With `once_per_session=True`,
        an identical event already sent in this browser session is skipped (and logged): returns `[]`.
        A call the tag rejected (it threw) is logged and left out of the result.

            >>> tracker.send_event("A")
            ['A']
        """
        checked = check_event(value)
        calls = calls_of(checked)
        if once_per_session:
            key = event_key(checked)
            if self.storage.seen(key):
                not_sent("skipped", checked, "already sent in this browser session (once per session)")
                return []
        sent = [call_value for call_value in calls if self._call(call_value)]
        if once_per_session and len(sent) == len(calls):
            self.storage.remember(key)
        return sent


# The tracker behind the module-level `send_event`, `on_click` and declarative tracking: the page's `rtp`.
default_tracker = Tracker()


def send_event(value, once_per_session=False):
    """Send a custom data event to the page's `rtp`; see `Tracker.send_event`.

        >>> send_event(["MyEvent", "download - example whitepaper"])
        [['MyEvent', 'download - example whitepaper']]
    """
    return default_tracker.send_event(value, once_per_session)

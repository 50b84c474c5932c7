"""`Tracker`: validated custom data events sent through an injectable `rtp` callable.

    >>> calls = []
    >>> tracker = Tracker(rtp=lambda *args: calls.append(args))
    >>> tracker.send_event(["a", "b", "c", "d", "e"])
    [['a', 'b', 'c', 'd'], ['e']]
    >>> calls[1]
    ('send', 'event', {'value': ['e']})
"""

from . import bridge
from .validation import event_calls


class Tracker:
    """Sends RTP custom data events, every payload validated first.

    `rtp` is any callable taking the JS function's positional arguments as Python objects (tests pass a
    recorder). `None` means the page's global `rtp`, reached through the JS bridge, which converts
    payloads to plain JS objects.
    """

    def __init__(self, rtp=None):
        self._rtp = rtp

    def _send(self, *args):
        (self._rtp or bridge.call_rtp)(*args)

    def send_event(self, value):
        """Validate `value`, send it in calls of at most four strings, and return each call's value.

            >>> tracker.send_event("A")
            ['A']
        """
        calls = event_calls(value)
        for call_value in calls:
            self._send("send", "event", {"value": call_value})
        return calls


# The tracker behind the module-level `send_event` and `on_click`: the page's own `rtp`.
default_tracker = Tracker()


def send_event(value):
    """Send a custom data event to the page's `rtp`; see `Tracker.send_event`.

        >>> send_event(["MyEvent", "download - example whitepaper"])
        [['MyEvent', 'download - example whitepaper']]
    """
    return default_tracker.send_event(value)

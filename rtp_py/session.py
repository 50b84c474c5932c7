"""Once-per-session memory: which events this browser session already sent.

RTP counts a custom data event once per visitor session; `send_event(..., once_per_session=True)` does the
same on the client. In a page the memory is the tab's `sessionStorage` (it survives reloads, and a new tab
or browser session starts empty); in plain Python it is a set.
"""

from . import bridge

KEY_PREFIX = "rtp_py:sent:"


def event_key(values):
    """The storage key of an event given its validated value (a str or a list of str).

    A string and a one-string list are the same event. Values never hold control characters (the
    validator rejects them), so joining on a newline is unambiguous.
    """
    if isinstance(values, str):
        values = [values]
    return KEY_PREFIX + "\n".join(values)


class MemoryStore:
    """Remembers events in a set: for plain Python and tests."""

    def __init__(self):
        self._keys = set()

    def seen(self, key):
        return key in self._keys

    def remember(self, key):
        self._keys.add(key)
        return True


class BrowserStore:
    """Remembers events in the tab's sessionStorage; falls back to memory if storage is unavailable."""

    def __init__(self):
        self._memory = MemoryStore()

    def seen(self, key):
        return self._memory.seen(key) or bridge.session_seen(key)

    def remember(self, key):
        self._memory.remember(key)
        return bridge.session_remember(key)


def default_store():
    return BrowserStore() if bridge.IN_BROWSER else MemoryStore()

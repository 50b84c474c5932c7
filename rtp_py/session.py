"""Once-per-session memory: which events this browser session already sent.

RTP counts a custom data event once per visitor session; `send_event(..., once_per_session=True)` does the
same on the client. In a page the memory is the tab's `sessionStorage` (it survives reloads, and a new tab
or browser session starts empty); where storage is unavailable (private mode, disabled, or plain Python)
it is a set, for the page's life.

    >>> store = MemoryStore()
    >>> store.remember("rtp_py:sent:A")
    True
    >>> store.seen("rtp_py:sent:A")
    True
"""

from . import bridge


class Store:
    """Once-per-session memory: what a `Tracker`'s `storage` is."""

    def seen(self, key: str) -> bool:
        """True if `key` was remembered in this browser session."""
        raise NotImplementedError

    def remember(self, key: str) -> bool:
        """Remember `key`; False if it could only be kept for the page's life."""
        raise NotImplementedError


class MemoryStore(Store):
    """Remembers events in a set: for plain Python and tests."""

    def __init__(self):
        self._keys = set()

    def seen(self, key):
        return key in self._keys

    def remember(self, key):
        self._keys.add(key)
        return True


class PageStore(Store):
    """Remembers events in the tab's sessionStorage, through `bridge.current()`, and in memory as well, so that
    it still works for the page's life where storage is unavailable."""

    def __init__(self):
        self._memory = MemoryStore()

    def seen(self, key):
        return self._memory.seen(key) or bridge.current().session_seen(key)

    def remember(self, key):
        self._memory.remember(key)
        return bridge.current().session_remember(key)


def default_store():
    return PageStore()

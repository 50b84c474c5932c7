"""`Event`: a value validated once, with the calls it becomes and its once-per-session key.

Bindings and declarative elements validate their value when they are made and keep the `Event`, so a click
does not validate it again:

    >>> event = Event(["a", "b", "c", "d", "e"])
    >>> event.calls
    [['a', 'b', 'c', 'd'], ['e']]
    >>> Event("A").key == Event(["A"]).key
    True
"""

from .validation import calls_of, check_event

KEY_PREFIX = "rtp_py:sent:"


class Event:
    """A validated event: `.value` (a str or a new list of str), `.calls` (the value of each
    `rtp('send', 'event', ...)` call, at most four strings each) and `.key` (its once-per-session key).
    Raises `ValidationError` for an invalid value."""

    def __init__(self, value):
        self.value = check_event(value)
        self.calls = calls_of(self.value)

    @property
    def key(self):
        """The storage key: a string and a one-string list are the same event. Values never hold control
        characters (the validator rejects them), so joining on a newline is unambiguous."""
        values = [self.value] if isinstance(self.value, str) else self.value
        return KEY_PREFIX + "\n".join(values)

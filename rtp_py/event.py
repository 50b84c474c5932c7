"""`Event`: a value validated once, with the calls it becomes and its once-per-session key.

Bindings and declarative elements validate their value when they are made and keep the `Event`, so a click
does not validate it again:

    >>> event = Event(["a", "b", "c", "d", "e"])
    >>> event.calls
    [['a', 'b', 'c', 'd'], ['e']]
    >>> Event("A").key == Event(["A"]).key
    True

`event_of(value)` is what `send_event` uses: sites send the same few events over and over, so a value this
page already validated is not validated again. Only exact `str` values and lists of up to eight `str` are
remembered, at most `MAX_REMEMBERED` of them; anything else is validated on every call, as is any value
that fails validation:

    >>> event_of("A") is event_of("A")
    True
    >>> event_of(["A", "B"]) is event_of(["A", "B"])
    True
"""

from .limits import MAX_REMEMBERED, MAX_REMEMBERED_ITEMS
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


_remembered: "dict[object, Event]" = {}


def remembered(table, key, make, value):
    """`table[key]`, made with `make(value)` (which may raise) and kept while `table` holds fewer than
    `MAX_REMEMBERED` entries. `key` None means "do not remember". (No closure: this is the hot path.)"""
    if key is None:
        return make(value)
    found = table.get(key)
    if found is None:
        found = make(value)
        if len(table) < MAX_REMEMBERED:
            table[key] = found
    return found


def _key(value):
    """A hashable key for a value worth remembering, or None. Exact types only: a str subclass could
    compare equal to a value it does not validate like."""
    if type(value) is str:
        return value
    if type(value) is list and len(value) <= MAX_REMEMBERED_ITEMS:
        for item in value:
            if type(item) is not str:
                return None
        return tuple(value)
    return None


def event_of(value):
    """The validated `Event` for `value`, from memory when this page already validated an equal value.
    Raises `ValidationError` for an invalid value, every time."""
    return remembered(_remembered, _key(value), Event, value)

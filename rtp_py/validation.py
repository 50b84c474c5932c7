"""Pure-Python rules for RTP custom data event values, and the split into calls of at most four.

No JavaScript here: everything runs (and is unit-tested) in plain CPython.

    >>> event_calls("download - example whitepaper")
    ['download - example whitepaper']
    >>> event_calls(["a", "b", "c", "d", "e"])
    [['a', 'b', 'c', 'd'], ['e']]
"""

from .errors import ValidationError

# RTP's documented limit: an event's value array holds at most four strings.
MAX_VALUES = 4

# RTP documents no length limit for a value. We choose one so that an accidental blob (a whole page, a
# base64 file) is an error rather than something the tag may truncate or refuse without a word.
MAX_VALUE_LENGTH = 1000

# C0 and C1 control characters (tabs and newlines included): invisible in RTP's UI and segment rules.
_CONTROL = tuple(range(0x00, 0x20)) + tuple(range(0x7F, 0xA0))
_SURROGATES = (0xD800, 0xDFFF)

# CPython and Pyodide: a printable string has no control character or surrogate, so the per-character scan
# below only runs for the rare string that is not (and to say where the problem is). MicroPython has no
# str.isprintable: it always scans.
_HAS_ISPRINTABLE = hasattr("", "isprintable")


def _type_name(value):
    return type(value).__name__


def check_string(value, field="value"):
    """Return `value` as a plain `str` if it is a valid event string, else raise `ValidationError`."""
    if not isinstance(value, str):
        raise ValidationError(field, "expected str, got " + _type_name(value))
    if not value:
        raise ValidationError(field, "must not be empty")
    if value.isspace():
        raise ValidationError(field, "must not be blank (whitespace only)")
    if len(value) > MAX_VALUE_LENGTH:
        raise ValidationError(
            field, "is %d characters long; at most %d are allowed" % (len(value), MAX_VALUE_LENGTH))
    if value[0].isspace() or value[-1].isspace():
        raise ValidationError(field, "has leading or trailing whitespace: " + repr(value))
    if _HAS_ISPRINTABLE and value.isprintable():
        return str(value)
    for index, char in enumerate(value):
        code = ord(char)
        if code in _CONTROL:
            raise ValidationError(field, "contains control character U+%04X at index %d" % (code, index))
        if _SURROGATES[0] <= code <= _SURROGATES[1]:
            raise ValidationError(field, "contains lone surrogate U+%04X at index %d" % (code, index))
    return str(value)


def check_event(value):
    """Validate an event value and return it normalised: a `str` or a new non-empty `list` of `str`.

    Accepts a `str`, a `list`/`tuple` of `str`, or the JS shape `{"value": str | list}`.
    """
    if isinstance(value, dict):
        for key in value:
            if key != "value":
                raise ValidationError(
                    str(key), "unexpected key; an event dict has only the key 'value'")
        if "value" not in value:
            raise ValidationError("value", "missing; an event dict needs the key 'value'")
        value = value["value"]
        if isinstance(value, dict):
            raise ValidationError("value", "expected str or list of str, got dict")
    if isinstance(value, str):
        return check_string(value)
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValidationError("value", "must not be an empty " + _type_name(value))
        return [check_string(item, "value[%d]" % index) for index, item in enumerate(value)]
    raise ValidationError(
        "value", "expected str, list or tuple of str, or {'value': ...}, got " + _type_name(value))


def split(values, size=MAX_VALUES):
    """Split a list into consecutive chunks of at most `size` items, keeping order and every item."""
    return [values[start:start + size] for start in range(0, len(values), size)]


def event_calls(value):
    """Validate `value` and return the value of each `rtp('send', 'event', ...)` call it becomes.

    A string is one call; a list is split into calls of at most `MAX_VALUES` strings, in order.
    """
    checked = check_event(value)
    if isinstance(checked, str):
        return [checked]
    return split(checked)

"""Pure-Python rules for RTP custom data event values, and the split into calls of at most four.

No JavaScript here: everything runs (and is unit-tested) in plain CPython.

    >>> event_calls("download - example whitepaper")
    ['download - example whitepaper']
    >>> event_calls(["a", "b", "c", "d", "e"])
    [['a', 'b', 'c', 'd'], ['e']]
"""

from .errors import ValidationError

from .limits import MAX_VALUE_LENGTH, MAX_VALUES

# C0 controls (below U+0020, tabs and newlines included), DEL and the C1 controls (U+007F-U+009F):
# invisible in RTP's UI and segment rules. Compared as ranges: a membership test in a 64-item tuple made
# each character cost ~30 us on MicroPython.
_C0_END = 0x20
_C1_START, _C1_END = 0x7F, 0xA0
_SURROGATE_START, _SURROGATE_END = 0xD800, 0xE000

# Whitespace, the same on every interpreter: exactly the characters CPython's str.isspace() accepts (read off
# CPython 3.11 for every code point). MicroPython's isspace() knows only ASCII, so the rule cannot use it.
WHITESPACE = frozenset((0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680)
                       + tuple(range(0x2000, 0x200B)) + (0x2028, 0x2029, 0x202F, 0x205F, 0x3000))

# A per-character Python loop costs ~7 us a character on MicroPython, so clean strings take a fast path
# and only the rare other string is scanned (to say where the problem is). CPython and Pyodide: a printable
# string has no control character or surrogate. MicroPython (no str.isprintable): in its UTF-8 strings, C0
# controls and DEL are single bytes, every C1 control starts with the byte 0xC2, and a lone surrogate (which
# MicroPython can hold, e.g. from chr(0xD800) or a JS string) is 0xED followed by 0xA0 to 0xBF.
_HAS_ISPRINTABLE = hasattr("", "isprintable")


def _surely_clean(value):
    if _HAS_ISPRINTABLE:
        return value.isprintable()
    data = value.encode()
    if min(data) < _C0_END or b"\x7f" in data or b"\xc2" in data:
        return False
    at = data.find(b"\xed")
    while at != -1:  # only text with U+D000-U+DFFF comes here (Hangul, or a surrogate)
        if at + 1 < len(data) and data[at + 1] >= 0xA0:
            return False
        at = data.find(b"\xed", at + 1)
    return True


def _type_name(value):
    return type(value).__name__


def _is_space(char):
    return ord(char) in WHITESPACE


def quote(value):
    """`value` in quotes for a message, the same on every interpreter (repr differs): whitespace other
    than a plain space, control characters and surrogates are written as escapes.

        >>> print(quote("\u00a0a"))
        '\\xa0a'
    """
    out = []
    for char in value:
        code = ord(char)
        if char == "\\" or char == "'":
            out.append("\\" + char)
        elif code < _C0_END or _C1_START <= code <= 0xA0 or (code in WHITESPACE and code != 0x20) \
                or _SURROGATE_START <= code < _SURROGATE_END:
            out.append(("\\x%02x" if code < 0x100 else "\\u%04x") % code)
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def check_string(value, field="value", max_length=MAX_VALUE_LENGTH):
    """Return `value` as a plain `str` if it is a valid event string, else raise `ValidationError`."""
    if not isinstance(value, str):
        raise ValidationError(field, "expected str, got " + _type_name(value))
    if not value:
        raise ValidationError(field, "must not be empty")
    if _is_space(value[0]):
        for char in value:
            if not _is_space(char):
                break
        else:
            raise ValidationError(field, "must not be blank (whitespace only)")
    if len(value) > max_length:
        raise ValidationError(
            field, "is %d characters long; at most %d are allowed" % (len(value), max_length))
    if _is_space(value[0]) or _is_space(value[-1]):
        raise ValidationError(field, "has leading or trailing whitespace: " + quote(value))
    if _surely_clean(value):
        return str(value)
    for index, char in enumerate(value):
        code = ord(char)
        if code < _C0_END or _C1_START <= code < _C1_END:
            raise ValidationError(field, "contains control character U+%04X at index %d" % (code, index))
        if _SURROGATE_START <= code < _SURROGATE_END:
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


def calls_of(checked):
    """The value of each call an already validated value becomes: a string is one call; a list is split
    into calls of at most `MAX_VALUES` strings, in order."""
    return [checked] if isinstance(checked, str) else split(checked)


def event_calls(value):
    """Validate `value` and return the value of each `rtp('send', 'event', ...)` call it becomes."""
    return calls_of(check_event(value))

"""The text of a `data-rtp-event` attribute: a plain string, or a strict JSON array when it starts with `[`.

The JSON is read here, in pure Python, rather than by `json.loads`: the two interpreters' parsers disagree
(MicroPython accepts `[1,]`, `[01]`, raw tabs in strings) and a deeply nested value can exhaust Pyodide's
stack. This reader follows RFC 8259 exactly, keeps its own stack (no recursion), takes linear time, and
builds only the top-level items: a string item is decoded; any other item stands for its type (`int`,
`float`, `bool`, `NoneType`, `list`, `dict`), which is all the event rules need to refuse it.

    >>> read_attribute('["MyEvent", "download - example whitepaper"]')
    ['MyEvent', 'download - example whitepaper']
    >>> read_attribute("download - example whitepaper")
    'download - example whitepaper'
    >>> read_attribute('["ok", 5, [[["deep"]]]]')
    ['ok', 0, []]
"""

from .errors import ValidationError

ATTRIBUTE = "data-rtp-event"

_WHITESPACE = " \t\n\r"  # JSON's own whitespace
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_DIGITS = "0123456789"
_NUMBER_CHARS = "0123456789+-.eE"
# A stand-in for each non-string item: the rules only need its type.
_LITERALS = (("true", True), ("false", False), ("null", None))


class _Invalid(Exception):
    """Not JSON; `.at` is the character index where reading stopped."""

    def __init__(self, at):
        super().__init__(at)
        self.at = at


def read_attribute(raw):
    """Read an attribute's text: the items of the JSON array if it starts with `[` (non-string items as
    stand-ins of their type), else the string itself. Not yet validated: `Event` does that, once."""
    if not raw.startswith("["):
        return raw
    try:
        return _read_array(raw)
    except _Invalid as invalid:
        raise ValidationError(
            ATTRIBUTE, "starts with '[' but is not a valid JSON array (at character %d)" % invalid.at) from None


def _skip_space(text, at):
    end = len(text)
    while at < end and text[at] in _WHITESPACE:
        at += 1
    return at


def _read_array(text):
    """The top-level array's items, each a decoded str or a stand-in of its type."""
    items = []
    stack: "list[str]" = []  # open containers below the top level: "[" or "{"
    at = _skip_space(text, 1)
    expect_value = True  # after "[" or ",": a value (or, right after "[", a "]")
    first = True
    end = len(text)
    while True:
        if at >= end:
            raise _Invalid(at)
        char = text[at]
        if expect_value:
            if char == "]" and first and not stack:
                at += 1
                break
            depth = len(stack)
            if char == '"':
                value, at = _read_string(text, at)
            elif char == "[" or char == "{":
                value = [] if char == "[" else {}
                stack.append(char)
                at = _skip_space(text, at + 1)
                if at < end and text[at] == ("]" if char == "[" else "}"):
                    stack.pop()
                    at += 1
                elif char == "{":
                    at = _read_key(text, at)
                    if depth == 0:
                        items.append(value)
                    first = False
                    continue
                else:
                    if depth == 0:
                        items.append(value)
                    first = False
                    continue
            elif char in _DIGITS or char == "-":
                value, at = _read_number(text, at)
            else:
                value, at = _read_literal(text, at)
            if depth == 0:
                items.append(value)
            expect_value = False
            first = False
            at = _skip_space(text, at)
            continue
        # after a value: ",", or the end of the innermost container
        closing = "}" if stack and stack[-1] == "{" else "]"
        if char == ",":
            at = _skip_space(text, at + 1)
            if stack and stack[-1] == "{":
                at = _read_key(text, at)
            expect_value = True
            continue
        if char != closing:
            raise _Invalid(at)
        at += 1
        if not stack:
            break
        stack.pop()
        at = _skip_space(text, at)
    if _skip_space(text, at) != end:
        raise _Invalid(_skip_space(text, at))
    return items


def _read_key(text, at):
    """An object's `"key" :`, returning where its value starts."""
    if at >= len(text) or text[at] != '"':
        raise _Invalid(at)
    _, at = _read_string(text, at)
    at = _skip_space(text, at)
    if at >= len(text) or text[at] != ":":
        raise _Invalid(at)
    return _skip_space(text, at + 1)


def _read_string(text, at):
    """The JSON string starting at `text[at] == '"'`: (decoded str, index after its closing quote). Runs of
    plain text are found with str.find, not a Python loop (which costs ~7 us a character on MicroPython)."""
    out = []
    index = at + 1
    while True:
        close = text.find('"', index)
        if close == -1:
            raise _Invalid(len(text))
        escape = text.find("\\", index, close)
        plain = text[index:close if escape == -1 else escape]
        if plain and min(plain) < " ":  # JSON forbids raw control characters in strings
            raise _Invalid(index + _first_control(plain))
        out.append(plain)
        if escape == -1:
            return "".join(out), close + 1
        kind = text[escape + 1:escape + 2]
        if kind in _ESCAPES and kind:
            out.append(_ESCAPES[kind])
            index = escape + 2
        elif kind == "u":
            code, index = _read_unicode(text, escape)
            out.append(chr(code))
        else:
            raise _Invalid(escape)


def _first_control(plain):
    for index, char in enumerate(plain):
        if char < " ":
            return index
    return 0


def _hex4(text, at):
    digits = text[at:at + 4]
    if len(digits) != 4:
        raise _Invalid(at)
    for digit in digits:
        if digit not in "0123456789abcdefABCDEF":
            raise _Invalid(at)
    return int(digits, 16)


def _read_unicode(text, at):
    """`\\uXXXX` at `at` (a surrogate pair read as one code point): (code point, index after it). A lone
    surrogate is kept as itself, as JSON allows; the event rules then refuse it."""
    code = _hex4(text, at + 2)
    after = at + 6
    if 0xD800 <= code < 0xDC00 and text[after:after + 2] == "\\u":
        low = _hex4(text, after + 2)
        if 0xDC00 <= low < 0xE000:
            return 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), after + 6
    return code, after


def _read_number(text, at):
    """A JSON number (RFC 8259's grammar exactly): (a stand-in 0 or 0.0, index after it)."""
    end = at
    while end < len(text) and text[end] in _NUMBER_CHARS:
        end += 1
    number = text[at:end]
    body = number[1:] if number.startswith("-") else number
    mantissa, exponent = body, None
    for mark in "eE":
        if mark in body:
            mantissa, exponent = body.split(mark, 1)
    whole, fraction = mantissa, None
    if "." in mantissa:
        whole, fraction = mantissa.split(".", 1)
    if not _digits(whole) or (len(whole) > 1 and whole[0] == "0"):
        raise _Invalid(at)
    if fraction is not None and not _digits(fraction):
        raise _Invalid(at)
    if exponent is not None:
        if exponent[:1] in ("+", "-"):
            exponent = exponent[1:]
        if not _digits(exponent):
            raise _Invalid(at)
    return (0 if fraction is None and exponent is None else 0.0), end


def _digits(text):
    if not text:
        return False
    for char in text:
        if char not in _DIGITS:
            return False
    return True


def _read_literal(text, at):
    for word, value in _LITERALS:
        if text.startswith(word, at):
            return value, at + len(word)
    raise _Invalid(at)

"""`check_pattern`: RTP's `%` wildcard, in pure Python, so it works before (or without) rtp.js.

`abc%` starts with abc, `%abc` ends with it, `%abc%` contains it, and a pattern without `%` matches only
the whole text; any `%` matches any run of characters, none included, wherever it stands. Comparison is
exact and case-sensitive, code point by code point: MicroPython has no Unicode case folding, and the
verdict must be the same on both interpreters (lower-case both sides yourself for ASCII-only text).

    >>> check_pattern("download - example whitepaper", "download%")
    True
    >>> check_pattern("download - example whitepaper", "%whitepaper%")
    True
    >>> check_pattern("download - example whitepaper", "whitepaper")
    False
"""

from .errors import ValidationError

WILDCARD = "%"


def check_pattern(text: str, pattern: str) -> bool:
    """True if `text` matches `pattern` (see the module docstring). Linear time: no regex, no backtracking."""
    if not isinstance(text, str):
        raise ValidationError("text", "expected str, got " + type(text).__name__)
    if not isinstance(pattern, str):
        raise ValidationError("pattern", "expected str, got " + type(pattern).__name__)
    parts = pattern.split(WILDCARD)
    if len(parts) == 1:
        return text == pattern
    first, last = parts[0], parts[-1]
    if len(first) + len(last) > len(text) or not text.startswith(first) or not text.endswith(last):
        return False
    at, end = len(first), len(text) - len(last)
    for part in parts[1:-1]:  # the middle parts, in order, leftmost first (right for a *-only glob)
        found = text.find(part, at, end)
        if found == -1:
            return False
        at = found + len(part)
    return True

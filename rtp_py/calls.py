"""The rest of the tag's call forms: each function checks its arguments and returns the exact arguments of
the `rtp(...)` call, as plain Python values. Pure Python, the same on every interpreter.

    >>> view_args("/pricing")
    ('send', 'view', '/pricing')
    >>> custom_var_args(1, "gold")
    ('set', 'customVar1', 'gold')
    >>> redirect_args("org", "Acme", "/acme")
    ('send', 'redirect', 'org', ['Acme'], '/acme')
    >>> redirect_args("abm.code", [13, 15], "/acme", matched=False)
    ('send', 'redirect', 'abm.code', [13, 15], '/acme', False)
    >>> redirect_args("location.country", {"/fr": ["France"]})
    ('send', 'redirect', 'location.country', {'/fr': ['France']})
"""

from .errors import ValidationError
from .limits import (MAX_ACCOUNT_LENGTH, MAX_CONF_DEPTH, MAX_CONF_VALUES, MAX_CUSTOM_VAR_LENGTH, MAX_URL_LENGTH,
                     MAX_VISITOR_TIMEOUT)
from .validation import WHITESPACE, check_string, quote

TYPE_CHECKING = False  # typing is not there on MicroPython: its names are for the type checker only
if TYPE_CHECKING:
    from typing import Any

# The User Context API: customVar1..customVar5, each value at most 100 characters. Marketo's pages spell the
# names two ways: customVar1..customVar5 (the parameter table) and custom1..custom5 (the trigger and pattern
# examples). A slot number sends customVar<slot>; either name, given as a string, is sent as written.
CUSTOM_VAR_SLOTS = (1, 2, 3, 4, 5)
CUSTOM_VAR_NAMES = tuple("customVar%d" % slot for slot in CUSTOM_VAR_SLOTS) + tuple(
    "custom%d" % slot for slot in CUSTOM_VAR_SLOTS)
# The fields `send redirect` documents; the values of the two id fields are numbers in Marketo's examples.
REDIRECT_FIELDS = ("matchedSegments.name", "matchedSegments.id", "abm.name", "abm.code", "org",
                   "location.country", "location.state", "location.city", "industries", "isp")
NUMERIC_REDIRECT_FIELDS = ("matchedSegments.id", "abm.code")


def _word(value, field, max_length):
    """A non-empty str without whitespace or control characters (a URL, an account id)."""
    check_string(value, field, max_length)
    for index, char in enumerate(value):
        if ord(char) in WHITESPACE:
            raise ValidationError(field, "contains whitespace at index %d; encode it (%%20)" % index)
    return str(value)


def view_args(page=None):
    """`rtp("send", "view"[, page])`; `page` is a relative path or a full URL."""
    if page is None:
        return ("send", "view")
    return ("send", "view", _word(page, "page", MAX_URL_LENGTH))


def account_args(account_id):
    """`rtp("setAccount", account_id)`."""
    return ("setAccount", _word(account_id, "account_id", MAX_ACCOUNT_LENGTH))


def custom_var_name(slot):
    """The variable's name in the call: `customVar<slot>` for a slot number 1 to 5, or one of Marketo's two
    documented spellings (`"customVar1"`..`"customVar5"`, `"custom1"`..`"custom5"`) as written."""
    if isinstance(slot, str):
        if slot not in CUSTOM_VAR_NAMES:
            raise ValidationError("slot", "expected an int from 1 to 5, or a documented name (customVar1.."
                                          "customVar5, custom1..custom5), got %s" % quote(slot))
        return slot
    if isinstance(slot, bool) or not isinstance(slot, int) or slot not in CUSTOM_VAR_SLOTS:
        raise ValidationError("slot", "expected an int from 1 to 5, got %s" % (
            repr(slot) if isinstance(slot, int) else type(slot).__name__))
    return "customVar%d" % slot


def custom_var_args(slot, value):
    """`rtp("set", "customVar<slot>", value)` (or the name given), value at most 100 characters."""
    return ("set", custom_var_name(slot), check_string(value, "value", MAX_CUSTOM_VAR_LENGTH))


def _redirect_value(value, field, numbers):
    """One value to match: a string, or for the id fields also a number (an int, or a finite float)."""
    if numbers and not isinstance(value, bool) and isinstance(value, (int, float)):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise ValidationError(field, "must be a finite number")
        return value
    if not isinstance(value, str):
        expected = "str or a number" if numbers else "str (numbers only for %s)" % " and ".join(
            NUMERIC_REDIRECT_FIELDS)
        raise ValidationError(field, "expected %s, got %s" % (expected, type(value).__name__))
    return check_string(value, field)


def _redirect_values(values, field, numbers):
    if isinstance(values, (list, tuple)):
        if not values:
            raise ValidationError(field, "must not be an empty " + type(values).__name__)
        return [_redirect_value(item, "%s[%d]" % (field, index), numbers) for index, item in enumerate(values)]
    if isinstance(values, str) or (numbers and isinstance(values, (int, float)) and not isinstance(values, bool)):
        return [_redirect_value(values, field, numbers)]
    expected = "str, a number or a list of them" if numbers else "str or list of str"
    raise ValidationError(field, "expected %s, got %s" % (expected, type(values).__name__))


def redirect_args(field, values, url=None, matched=True):
    """`rtp("send", "redirect", field, values, url)` (with `false` as a sixth argument when `matched` is False:
    redirect the visitors who do not match), or with `values` a mapping `{url: [values]}` (then no url):
    `rtp("send", "redirect", field, {url: [values]})`. Values are strings, or numbers for
    `matchedSegments.id` and `abm.code`. Matching is case-insensitive (RTP)."""
    if field not in REDIRECT_FIELDS:
        raise ValidationError("field", "expected one of %s, got %r" % (", ".join(REDIRECT_FIELDS), field))
    numbers = field in NUMERIC_REDIRECT_FIELDS
    if isinstance(values, dict):
        if url is not None or matched is not True:
            raise ValidationError("url", "the mapping form {url: [values]} takes no url and no matched")
        if not values:
            raise ValidationError("values", "must not be an empty mapping")
        mapping = {}
        for key in values:
            target = _word(key, "values: url", MAX_URL_LENGTH)
            mapping[target] = _redirect_values(values[key], "values[%r]" % target, numbers)
        return ("send", "redirect", field, mapping)
    checked = _redirect_values(values, "values", numbers)
    if url is None:
        raise ValidationError("url", "missing: where to send matched visitors (or pass values as {url: [values]})")
    if not isinstance(matched, bool):
        raise ValidationError("matched", "expected True or False, got " + type(matched).__name__)
    args = ("send", "redirect", field, checked, _word(url, "url", MAX_URL_LENGTH))
    return args if matched else args + (False,)  # true is the documented default: the examples leave it out


def campaign_args(populate=True):
    """`rtp("get", "campaign", true)`, the form of every example but one; with `populate=None`,
    `rtp("get", "campaign")`, the Redirect page's form. Marketo does not say what `true` means."""
    if populate is True:
        return ("get", "campaign", True)
    if populate is None:
        return ("get", "campaign")
    raise ValidationError("populate", "expected True (rtp('get', 'campaign', true)) or None "
                                      "(rtp('get', 'campaign')), got %r" % (populate,))


def _conf(conf):
    """A fresh copy of JSON data, checked without recursion (an explicit stack)."""
    if not isinstance(conf, dict):
        raise ValidationError("conf", "expected a dict, got " + type(conf).__name__)
    root: "dict[str, Any]" = {}
    stack: "list[tuple[Any, Any, str, int]]" = [(conf, root, "conf", 1)]
    count = 0
    while stack:
        source, target, path, depth = stack.pop()
        if depth > MAX_CONF_DEPTH:
            raise ValidationError(path, "nests deeper than %d levels" % MAX_CONF_DEPTH)
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, value in items:
            count += 1
            if count > MAX_CONF_VALUES:
                raise ValidationError("conf", "holds more than %d values" % MAX_CONF_VALUES)
            if isinstance(source, dict) and (not isinstance(key, str) or not key):
                raise ValidationError(path, "keys must be non-empty str, got %r" % (key,))
            where = "%s[%r]" % (path, key)
            if isinstance(value, (dict, list, tuple)):
                copy: "Any" = {} if isinstance(value, dict) else [None] * len(value)
                stack.append((value, copy, where, depth + 1))
                value = copy
            elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
                raise ValidationError(where, "must be a finite number")
            elif value is not None and not isinstance(value, (str, int, float, bool)):
                raise ValidationError(where, "expected JSON data, got " + type(value).__name__)
            target[key] = value
    return root


def recommendation_set_args(conf, template_id=None):
    """`rtp("set", "rcmd", "richmedia"[, template_id], conf)`."""
    copy = _conf(conf)
    if template_id is None:
        return ("set", "rcmd", "richmedia", copy)
    return ("set", "rcmd", "richmedia", _word(template_id, "template_id", MAX_ACCOUNT_LENGTH), copy)


def recommendation_get_args():
    """`rtp("get", "rcmd", "richmedia")`."""
    return ("get", "rcmd", "richmedia")


def visitor_timeout(timeout):
    """Seconds to wait for `get visitor`'s answer: a number above 0, at most 60."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise ValidationError("timeout", "expected seconds (a number), got " + type(timeout).__name__)
    if not 0 < timeout <= MAX_VISITOR_TIMEOUT:
        raise ValidationError("timeout", "expected more than 0 and at most %d seconds, got %r"
                              % (MAX_VISITOR_TIMEOUT, timeout))
    return float(timeout)


def check_callback(callback, field="callback"):
    """`callback` if it is callable."""
    if not callable(callback):
        raise ValidationError(field, "expected a callable, got " + type(callback).__name__)
    return callback

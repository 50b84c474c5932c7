"""The rest of the tag's call forms: each function checks its arguments and returns the exact arguments of
the `rtp(...)` call, as plain Python values. Pure Python, the same on every interpreter.

    >>> view_args("/pricing")
    ('send', 'view', '/pricing')
    >>> custom_var_args(1, "gold")
    ('set', 'customVar1', 'gold')
    >>> redirect_args("org", "Acme", "/acme")
    ('send', 'redirect', 'org', ['Acme'], '/acme', True)
    >>> redirect_args("location.country", {"/fr": ["France"]})
    ('send', 'redirect', 'location.country', {'/fr': ['France']})
"""

from .errors import ValidationError
from .validation import WHITESPACE, check_string

# A page for `send view`, a redirect's URL: a relative path or a full URL, as long as browsers take them.
MAX_URL_LENGTH = 2048
# RTP documents no format for an account id; ours are short codes. Our bound, to refuse a pasted blob.
MAX_ACCOUNT_LENGTH = 100
# The User Context API: customVar1..customVar5, each value at most 100 characters.
CUSTOM_VAR_SLOTS = (1, 2, 3, 4, 5)
MAX_CUSTOM_VAR_LENGTH = 100
# The fields `send redirect` documents.
REDIRECT_FIELDS = ("matchedSegments.name", "matchedSegments.id", "abm.name", "abm.code", "org",
                   "location.country", "location.state", "location.city", "industries", "isp")
# A rich-media configuration: plain JSON data, bounded so a mistake cannot send a megabyte.
MAX_CONF_DEPTH = 8
MAX_CONF_VALUES = 1000
# get_visitor's timeout, in seconds.
MAX_VISITOR_TIMEOUT = 60


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


def custom_var_args(slot, value):
    """`rtp("set", "customVar<slot>", value)`: slot 1 to 5, value at most 100 characters."""
    if isinstance(slot, str):
        raise ValidationError("slot", "expected an int from 1 to 5, got str (%r): pass the number; rtp_py sends "
                                      "customVar<slot>, the name the User Context API documents" % slot)
    if isinstance(slot, bool) or not isinstance(slot, int) or slot not in CUSTOM_VAR_SLOTS:
        raise ValidationError("slot", "expected an int from 1 to 5, got %s" % (
            repr(slot) if isinstance(slot, int) else type(slot).__name__))
    return ("set", "customVar%d" % slot, check_string(value, "value", MAX_CUSTOM_VAR_LENGTH))


def _redirect_values(values, field):
    if isinstance(values, str):
        return [check_string(values, field)]
    if isinstance(values, (list, tuple)):
        if not values:
            raise ValidationError(field, "must not be an empty " + type(values).__name__)
        return [check_string(item, "%s[%d]" % (field, index)) for index, item in enumerate(values)]
    raise ValidationError(field, "expected str or list of str, got " + type(values).__name__)


def redirect_args(field, values, url=None, matched=True):
    """`rtp("send", "redirect", field, values, url, matched)`, or with `values` a mapping `{url: [values]}`
    (then no url): `rtp("send", "redirect", field, {url: [values]})`. Matching is case-insensitive (RTP)."""
    if field not in REDIRECT_FIELDS:
        raise ValidationError("field", "expected one of %s, got %r" % (", ".join(REDIRECT_FIELDS), field))
    if isinstance(values, dict):
        if url is not None or matched is not True:
            raise ValidationError("url", "the mapping form {url: [values]} takes no url and no matched")
        if not values:
            raise ValidationError("values", "must not be an empty mapping")
        mapping = {}
        for key in values:
            target = _word(key, "values: url", MAX_URL_LENGTH)
            mapping[target] = _redirect_values(values[key], "values[%r]" % target)
        return ("send", "redirect", field, mapping)
    checked = _redirect_values(values, "values")
    if url is None:
        raise ValidationError("url", "missing: where to send matched visitors (or pass values as {url: [values]})")
    if not isinstance(matched, bool):
        raise ValidationError("matched", "expected True or False, got " + type(matched).__name__)
    return ("send", "redirect", field, checked, _word(url, "url", MAX_URL_LENGTH), matched)


def campaign_args():
    """`rtp("get", "campaign", true)`: every documented example passes true."""
    return ("get", "campaign", True)


def _conf(conf):
    """A fresh copy of JSON data, checked without recursion (an explicit stack)."""
    if not isinstance(conf, dict):
        raise ValidationError("conf", "expected a dict, got " + type(conf).__name__)
    root = {}
    stack = [(conf, root, "conf", 1)]
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
                copy = {} if isinstance(value, dict) else [None] * len(value)
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

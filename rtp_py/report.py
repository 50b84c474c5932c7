"""One place for every call rtp_py makes and every event it does not send (Plausible's `onIgnoredEvent`).

    >>> debug(True)   # every rtp(...) call is logged too
    >>> debug(False)

Not-sent events are always logged: a warning for a problem (an invalid value, the tag throwing), an info
line for an intended skip (once per session). They are also announced on the page as a DOM event,
`rtp-py:not-sent`, whose `detail` is `{kind, value, reason}`, for inspectors and tests.
"""

import json

from . import bridge
from .limits import MAX_PREVIEW

# kind -> console level
LEVELS = {
    "sent": "debug",        # an rtp(...) call made (only logged in debug mode)
    "replayed": "info",     # clicks captured during start-up, replayed (debug mode)
    "duplicate": "info",    # on_click found its elements already bound the same way (debug mode)
    "no-match": "warn",     # on_click's selector matched nothing
    "stub": "warn",         # window.rtp was missing: the documented queue stub was installed
    "skipped": "info",      # not sent on purpose: already sent in this session
    "invalid": "warn",      # not sent: the value is invalid
    "tag-error": "warn",    # not sent: rtp threw
    "not-kept": "warn",     # not sent: clicks captured before start-up that could not be kept on leaving
    "consent": "info",      # not sent: consent is denied (dropped, as the visitor asked)
    "hold-full": "warn",    # not sent: consent is pending and the hold is full
    "not-started": "warn",  # every script ran and none called start(): declarative tracking is off
    "order": "warn",        # a call out of RTP's documented order (custom variable after the view, ...)
    "personalise": "warn",  # personalisation kept the defaults (no visitor), or a when_segment handler raised
    "call": "debug",        # any other rtp(...) call made (only logged in debug mode)
    "held": "info",         # a call held until consent (debug mode; always announced as rtp-py:held)
    "released": "info",     # a held call released by the grant (debug mode; announced as rtp-py:released)
    "state": "info",        # the consent state changed (debug mode; the page gets rtp-py:consent)
    "platform": "warn",     # a consent platform is missing or unreadable, or a grant was refused (GPC)
    "tag": "info",          # insert_tag left the tag out: the user agent matches exclude_bots
}
NOT_SENT = ("skipped", "invalid", "tag-error", "not-kept", "consent", "hold-full")
DEBUG_ONLY = ("sent", "call", "replayed", "duplicate", "held", "released", "state")
# kind -> the DOM event it is announced as, `rtp-py:<name>`, whether or not it is logged
ANNOUNCED = {"held": "held", "released": "released"}
for _kind in NOT_SENT:
    ANNOUNCED[_kind] = "not-sent"


# Debug logging: None until the page's switches (`<html data-rtp-debug>`, `[rtp_py] debug = true`) are read,
# at the first report; `debug()` sets it.
_state: "dict[str, bool | None]" = {"debug": None}


@bridge.on_new_page
def _forget_debug():
    _state["debug"] = None


def _debugging():
    if _state["debug"] is None:
        _state["debug"] = bridge.current().debug_switch()
    return _state["debug"]


def debug(on: bool = True) -> None:
    """Switch debug logging on or off: with it on, every `rtp(...)` call rtp_py makes is logged."""
    _state["debug"] = bool(on)


def report(kind, message, value=None, reason=None, call=None):
    """Log one thing rtp_py did or did not do; every such message goes through here. Not-sent, held and
    released calls are also announced on the page (`value` is an event's value, `call` the arguments of
    any other call)."""
    page = bridge.current()
    if kind in ANNOUNCED:
        page.announce(ANNOUNCED[kind], kind, value, reason, call)
    if kind in DEBUG_ONLY and not _debugging():
        return
    page.console(LEVELS[kind], "[rtp_py] " + message)


def preview(value):
    """`value` as JSON for a log line, cut to `MAX_PREVIEW` characters with its full length said."""
    text = json.dumps(value)
    if len(text) <= MAX_PREVIEW:
        return text
    return "%s…(%d characters)" % (text[:MAX_PREVIEW], len(text))


def not_sent(kind, value, reason, call=None):
    """Report an event (or, with `call`, another call) that was not sent, with why; the DOM event's
    `reason` is `reason` alone."""
    what = "event not sent (%s): %s" % (kind, preview(value)) if call is None else \
        "call not made (%s): rtp(%s)" % (kind, ", ".join(preview(arg) for arg in call))
    report(kind, "%s: %s" % (what, reason), value, reason, call)


def call_made(value):
    """Report an rtp("send", "event", ...) call (debug mode only; the formatting is skipped otherwise)."""
    if _debugging():
        report("sent", 'rtp("send", "event", %s)' % json.dumps({"value": value}))


def call_logged(args):
    """Report any other rtp(...) call (debug mode only); `args` are plain data ("function" for a callback)."""
    if _debugging():
        report("call", "rtp(%s)" % ", ".join(json.dumps(arg) for arg in args))

"""rtp_py: Marketo RTP from Python in the page (PyScript on Pyodide or MicroPython): events, the whole tag,
personalisation.

Public API (import these from `rtp_py`, never from a private module):

    send_event(value, once_per_session=False)
                               validate and send an event; returns the value of each call made
    on_click(selector, value, once=False)
                               bind elements so a click sends the event (plain call or decorator)
    start()                    declarative tracking live, early clicks replayed, `rtp-ready` on <html>
    debug(on=True)             log every rtp(...) call too (not-sent events are always logged)
    send_view(page=None)       rtp("send", "view"[, page])
    set_account(account_id)    rtp("setAccount", account_id)
    set_custom_var(slot, value)
                               rtp("set", "customVar<slot>", value): slot 1 to 5 (or "custom1"...), before send_view
    redirect(field, values, url=None, matched=True)
                               rtp("send", "redirect", ...); values may be a mapping {url: [values]}
    get_campaign(populate=True)
                               rtp("get", "campaign", true); populate=None: rtp("get", "campaign")
    get_visitor(timeout=5.0)   await it: rtp("get", "visitor", callback) as a Visitor
    on_user_context_ready(callback)
                               rtp("userContextReady", callback)
    set_recommendations(conf, template_id=None)
                               rtp("set", "rcmd", "richmedia"[, template_id], conf), before the get
    get_recommendations()      rtp("get", "rcmd", "richmedia")
    check_pattern(text, pattern)
                               RTP's % wildcard, in pure Python (works before rtp.js loads)
    when_segment(name)         decorator: run the function once the visitor is known to be in segment name
    when_visitor               decorator: run the function with each Visitor the page learns (org, ABM, ...)
    consent(state=None)        set ("pending", "granted", "denied") and return the page-wide consent state
    follow_consent(platform, **settings)
                               follow "tcf", "consent-mode", "onetrust" or "cookiebot" for the state
    honour_gpc(on=True)        treat Global Privacy Control as "denied"; True if the browser sends it
    insert_tag(src, pod=None, account=None, *, query=None, e=None, exclude_bots=None)
                               insert Marketo's RTP tag once consent is granted, in your snippet's form
    Visitor                    get_visitor's answer: .segments, .abm, .org, .location, .industries, .isp
    Tracker(rtp=None, storage=None, transport=None)
                               the object behind send_event; pass a callable to record instead of send
    Binding                    what on_click returns: `.unbind()`, `.elements`, decorator call
    RtpError                   base of every rtp_py error
    ValidationError            a rejected value: `.field` names the part, `.message` the problem
    TagError                   kept for code written for 0.2; never raised (a tag failure is reported)
    BrowserRequired            a page-only feature was used in plain Python, or in a worker without isolation
    VisitorError               rtp answered get visitor with an error, or with an unreadable answer
    VisitorTimeout             no answer to get visitor within the timeout (a VisitorError)
    CAPTURE_SNIPPET            path of capture.js, the start-up capture snippet to paste into <head>
    SEGMENTS_SNIPPET           path of segments.js, the snippet for data-rtp-segment blocks, for <head>
    MAX_VALUES                 4: strings per rtp('send', 'event', ...) call (RTP's documented limit)
    MAX_VALUE_LENGTH           1000: characters per string (our choice; RTP documents none)
    MAX_HELD                   100: calls held while consent is pending (the rest are reported)

In a page, `send_event` calls the page's `rtp`; anywhere, a `Tracker` can send to any callable:

    >>> from rtp_py import Tracker
    >>> Tracker(rtp=print).send_event(list("abcdef"))
    send event {'value': ['a', 'b', 'c', 'd']}
    send event {'value': ['e', 'f']}
    [['a', 'b', 'c', 'd'], ['e', 'f']]
"""

from . import config
from .gate import consent, follow_consent, honour_gpc
from .dom import Binding, on_click
from .errors import BrowserRequired, RtpError, TagError, ValidationError, VisitorError, VisitorTimeout
from .personalise import when_segment, when_visitor
from .report import debug
from .startup import start
from .tag import insert_tag
from .tracker import (Tracker, check_pattern, get_campaign, get_recommendations, get_visitor, on_user_context_ready,
                      redirect, send_event, send_view, set_account, set_custom_var, set_recommendations)
from .limits import MAX_HELD, MAX_VALUE_LENGTH, MAX_VALUES
from .visitor import Visitor

__version__ = "0.4.0"

# Importing reads and checks the config (a bad `[rtp_py]` setting is a ValidationError naming it) and writes
# nothing to the page: `start()` is the step that acts.
config.read()

CAPTURE_SNIPPET = "rtp_py/capture.js"
SEGMENTS_SNIPPET = "rtp_py/segments.js"

__all__ = [
    "MAX_HELD",
    "MAX_VALUES",
    "MAX_VALUE_LENGTH",
    "Binding",
    "BrowserRequired",
    "CAPTURE_SNIPPET",
    "RtpError",
    "SEGMENTS_SNIPPET",
    "TagError",
    "Tracker",
    "ValidationError",
    "Visitor",
    "VisitorError",
    "VisitorTimeout",
    "check_pattern",
    "consent",
    "follow_consent",
    "debug",
    "get_campaign",
    "get_recommendations",
    "get_visitor",
    "honour_gpc",
    "insert_tag",
    "on_click",
    "on_user_context_ready",
    "redirect",
    "send_event",
    "send_view",
    "set_account",
    "set_custom_var",
    "set_recommendations",
    "start",
    "when_segment",
    "when_visitor",
]

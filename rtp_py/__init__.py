"""rtp_py: Marketo RTP custom data events from Python in the page (PyScript on Pyodide or MicroPython).

Public API (import these from `rtp_py`, never from a private module):

    send_event(value, once_per_session=False)
                               validate and send an event; returns the value of each call made
    on_click(selector, value, once=False)
                               bind elements so a click sends the event (plain call or decorator)
    start()                    declarative tracking live, early clicks replayed, `rtp-ready` on <html>
    debug(on=True)             log every rtp(...) call too (not-sent events are always logged)
    Tracker(rtp=None, storage=None, transport=None)
                               the object behind send_event; pass a callable to record instead of send
    Binding                    what on_click returns: `.unbind()`, `.elements`, decorator call
    RtpError                   base of every rtp_py error
    ValidationError            a rejected value: `.field` names the part, `.message` the problem
    TagError                   kept for code written for 0.2; never raised (a tag failure is reported)
    BrowserRequired            a page-only feature was used in plain Python
    CAPTURE_SNIPPET            path of capture.js, the start-up capture snippet to paste into <head>
    MAX_VALUES                 4: strings per rtp('send', 'event', ...) call (RTP's documented limit)
    MAX_VALUE_LENGTH           1000: characters per string (our choice; RTP documents none)

In a page, `send_event` calls the page's `rtp`; anywhere, a `Tracker` can send to any callable:

    >>> from rtp_py import Tracker
    >>> Tracker(rtp=print).send_event(list("abcdef"))
    send event {'value': ['a', 'b', 'c', 'd']}
    send event {'value': ['e', 'f']}
    [['a', 'b', 'c', 'd'], ['e', 'f']]
"""

from .dom import Binding, on_click
from .errors import BrowserRequired, RtpError, TagError, ValidationError
from .report import debug
from .startup import start
from .tracker import Tracker, send_event
from .validation import MAX_VALUE_LENGTH, MAX_VALUES

__version__ = "0.3.0"

CAPTURE_SNIPPET = "rtp_py/capture.js"

__all__ = [
    "MAX_VALUES",
    "MAX_VALUE_LENGTH",
    "Binding",
    "BrowserRequired",
    "CAPTURE_SNIPPET",
    "RtpError",
    "TagError",
    "Tracker",
    "ValidationError",
    "debug",
    "on_click",
    "send_event",
    "start",
]

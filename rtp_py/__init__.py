"""rtp_py: Marketo RTP custom data events from Python in the page (PyScript on Pyodide or MicroPython).

Public API (import these from `rtp_py`, never from a private module):

    send_event(value)          validate and send an event; returns the value of each call made
    on_click(selector, value)  bind elements so a click sends the event (plain call or decorator)
    start()                    signal that tracking is live (class `rtp-ready` on <html>)
    Tracker(rtp=None)          the object behind send_event; pass a callable to record instead of send
    Binding                    what on_click returns: `.unbind()`, `.elements`, decorator call
    RtpError                   base of every rtp_py error
    ValidationError            a rejected value: `.field` names the part, `.message` the problem
    BrowserRequired            a page-only feature was used in plain Python
    MAX_VALUES                 4: strings per rtp('send', 'event', ...) call (RTP's documented limit)
    MAX_VALUE_LENGTH           1000: characters per string (our choice; RTP documents none)

    >>> from rtp_py import send_event
    >>> send_event(list("abcdef"))
    [['a', 'b', 'c', 'd'], ['e', 'f']]
"""

from .dom import Binding, on_click
from .errors import BrowserRequired, RtpError, ValidationError
from .startup import start
from .tracker import Tracker, send_event
from .validation import MAX_VALUE_LENGTH, MAX_VALUES

__version__ = "0.1.0"

__all__ = [
    "MAX_VALUES",
    "MAX_VALUE_LENGTH",
    "Binding",
    "BrowserRequired",
    "RtpError",
    "Tracker",
    "ValidationError",
    "on_click",
    "send_event",
    "start",
]

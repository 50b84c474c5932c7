"""Personalisation by RTP segment: Python that runs for a segment, and blocks of HTML shown by segment.

    @when_segment("Whitepaper downloaders")
    def follow_up(visitor):
        document.getElementById("offer").textContent = "Read part two"

    <div data-rtp-segment="Whitepaper downloaders">Part two is out</div>
    <div data-rtp-segment-default>Download the whitepaper</div>

    @when_visitor
    def greet(visitor):
        document.getElementById("company").textContent = visitor.org

`start()` personalises the page when it has handlers or `data-rtp-segment` blocks: at once from the visitor
this tab already knows (sessionStorage), then from rtp's answer to `get visitor`. A block is shown when the
visitor is in its segment; a `data-rtp-segment-default` element is shown unless a block beside it (same
parent) is. The head snippet `segments.js` applies the known visitor before the first paint.
"""

import json

from . import bridge
from .errors import RtpError, ValidationError, VisitorError
from .report import report
from .visitor import Visitor

TYPE_CHECKING = False  # typing is not there on MicroPython: its names are for the type checker only
if TYPE_CHECKING:
    from typing import Callable

    Handler = Callable[[Visitor], object]

SEGMENT_ATTRIBUTE = "data-rtp-segment"

# Handlers are registered by the page's own script; a new page (`bridge.use`) starts without any.
_handlers: "list[tuple[str, Handler]]" = []  # (segment name, function), in the order they were registered
_visitor_handlers: "list[Handler]" = []  # functions run with every Visitor this page learns (when_visitor)
_state: "dict[str, set[tuple[str, Handler]]]" = {"done": set()}  # (segment, function) pairs run on this page


def when_segment(name: str) -> "Callable[[Handler], Handler]":
    """Decorator: run the function, with the `Visitor`, once the visitor is known to be in segment `name`
    (exact name, as RTP shows it). Runs at most once per page. Register before `start()`."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name", "expected a segment name (a non-empty str), got " + repr(name))

    def register(function: "Handler") -> "Handler":
        if not callable(function):
            raise ValidationError("function", "expected a callable, got " + type(function).__name__)
        _handlers.append((name, function))
        return function

    return register


def when_visitor(function: "Handler") -> "Handler":
    """Decorator: run the function with the `Visitor` each time this page learns who the visitor is: at
    `start()` from the visitor this tab already knows (if any), then from rtp's answer. For what is not a
    segment: the visitor's company (`.org`), ABM lists, location. Register before `start()`."""
    if not callable(function):
        raise ValidationError("function", "expected a callable, got " + type(function).__name__)
    _visitor_handlers.append(function)
    return function


@bridge.on_new_page
def forget():
    """Drop every handler and what already ran (a single-page app re-initialising; a new page)."""
    del _handlers[:]
    del _visitor_handlers[:]
    _state["done"] = set()


def wanted():
    """True if this page has anything to personalise: handlers, or blocks in the page."""
    return bool(_handlers or _visitor_handlers) or bridge.current().has_elements("[" + SEGMENT_ATTRIBUTE + "]")


def _run(function, visitor, what):
    try:
        function(visitor)
    except Exception as error:  # a handler's bug must not stop the others
        report("personalise", "%s handler %s raised %s: %s"
               % (what, getattr(function, "__name__", "?"), type(error).__name__, error))


def apply(visitor):
    """Show the blocks for the visitor's segments, run each handler of a segment they are in (once), and
    each `when_visitor` handler."""
    bridge.current().show_segments(visitor.segment_names())
    for name, function in list(_handlers):
        if visitor.in_segment(name) and (name, function) not in _state["done"]:
            _state["done"].add((name, function))
            _run(function, visitor, "when_segment(%r)" % name)
    for function in list(_visitor_handlers):
        _run(function, visitor, "when_visitor")


def _known():
    """The visitor this tab already knows (rtp's last answer, kept in sessionStorage), or None."""
    text = bridge.current().cached_visitor()
    if not text:
        return None
    try:
        return Visitor.from_answer(json.loads(text))
    except (ValueError, RtpError):  # damaged or foreign: ignore it; rtp's answer comes next
        return None


def apply_known():
    """Apply the visitor this tab already knows, at once (no flash of default content for them); with
    none, hide every block until one is known (the head snippet did that already, if the page has it)."""
    known = _known()
    if known is not None:
        apply(known)
    else:
        bridge.current().show_segments([])
    return known


async def refresh(tracker, timeout):
    """Ask rtp who the visitor is, apply the answer, and keep it for the next page. Returns the `Visitor`,
    or None if rtp gave none (reported; what was shown stays)."""
    try:
        visitor = await tracker.get_visitor(timeout)
    except VisitorError as error:
        report("personalise", "personalisation kept the default content: %s" % error)
        return None
    bridge.current().cache_visitor(json.dumps(visitor.answer))
    apply(visitor)
    return visitor

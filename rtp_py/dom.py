"""DOM binding: `on_click` sends a validated event when matching elements are clicked.

    on_click("#download-whitepaper", "download - example whitepaper")

    @on_click("#contact", ["MyEvent", "contact form opened"], once=True)
    def opened(event):
        ...  # runs after the event was sent

Binding is idempotent per element: binding the same value to an element that already has it (a script
run twice, a single-page app re-initialising) adds nothing, so one click never sends twice.
"""

from . import bridge
from .errors import ValidationError
from .event import Event
from .report import report
from .tracker import default_tracker

TYPE_CHECKING = False  # typing is not there on MicroPython: its names are for the type checker only
if TYPE_CHECKING:
    from typing import Any, Callable

    from .tracker import EventValue, Tracker

# Bindings in force. Holding them here keeps their handlers alive for as long as they are bound, even
# when the page drops the object on_click returned.
_bound: "set[Binding]" = set()
bridge.on_new_page(_bound.clear)


class Binding:
    """The live result of `on_click`: call it with a function to decorate, `.unbind()` to stop."""

    def __init__(self, selector: str, event: Event, once: "bool | str", tracker: "Tracker") -> None:
        self.selector = selector
        self.value = event.value
        self.once = once
        self.callback: "Callable[[Any], object] | None" = None
        self._event = event  # validated once, here: a click sends it without validating again
        self._tracker = tracker
        self._removers = []
        self._key = "%s:%s" % (once, event.key)
        page = bridge.current()
        matched = page.query_all(selector)
        self.elements = [element for element in matched if page.claim_binding(element, self._key)]
        for element in self.elements:
            self._removers.append(page.listen(element, "click", self._on_click))
        if self.elements:
            _bound.add(self)
        elif matched:
            report("duplicate", "on_click(%s): already bound to every match; nothing added" % repr(selector))
        else:
            report("no-match", "on_click(%s): no element matches; nothing bound" % repr(selector))

    def __call__(self, callback: "Callable[[Any], object]") -> "Callable[[Any], object]":
        """Decorator use: run `callback(event)` after each event is sent; returns `callback`."""
        if not callable(callback):
            raise ValidationError("callback", "expected a callable, got " + type(callback).__name__)
        self.callback = callback
        return callback

    @property
    def bound(self) -> bool:
        """True while at least one element is listening."""
        return bool(self._removers)

    def unbind(self) -> None:
        """Remove every listener of this binding (safe to call twice)."""
        removers, self._removers = self._removers, []
        for remove in removers:
            remove()
        for element in self.elements:
            bridge.current().release_binding(element, self._key)
        _bound.discard(self)

    def _on_click(self, event):
        if self.once is True:
            self.unbind()
        self._tracker.send_event(self._event, once_per_session=self.once == "session")
        if self.callback is not None:
            self.callback(event)


def on_click(selector: str, value: "EventValue", *, once: "bool | str" = False,
             tracker: "Tracker | None" = None) -> Binding:
    """Bind every element matching the CSS `selector` so that a click sends the event `value`.

    The value is validated first: a bad value raises `ValidationError` before anything is bound. With
    `once=True` the first click on any of the elements sends the event and unbinds them all; with
    `once="session"` the event is sent at most once per browser session (later clicks are skipped and
    logged). Use it as a plain call or as a decorator; the decorated function runs after the event is
    sent, with the DOM event.

        on_click("#download-whitepaper", "download - example whitepaper")
    """
    if not isinstance(selector, str) or not selector.strip():
        raise ValidationError("selector", "expected a non-empty CSS selector string, got " + repr(selector))
    if once is not True and once is not False and once != "session":
        raise ValidationError("once", "expected True, False or 'session', got " + repr(once))
    return Binding(selector, Event(value), once, tracker or default_tracker)

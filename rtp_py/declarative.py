"""Declarative tracking: `<button data-rtp-event="...">` sends that event when clicked.

One document-level listener (installed by `start()`) serves every element, including elements added later.
The attribute holds a plain string, or a JSON array of strings when it starts with `[`:

    <a href="/paper.pdf" data-rtp-event="download - example whitepaper">Download</a>
    <button data-rtp-event='["MyEvent", "download - example whitepaper"]' data-rtp-once>Get it</button>

`data-rtp-once` sends the event once per browser session. An invalid value is reported once per element
(a console warning naming the element and the problem) and never sent.
"""

from . import bridge
from .attribute import ATTRIBUTE, read_attribute
from .errors import ValidationError
from .report import not_sent
from .event import Event, remembered
from .limits import MAX_REMEMBERED_TEXT
from .tracker import default_tracker

ONCE_ATTRIBUTE = "data-rtp-once"
SELECTOR = "[" + ATTRIBUTE + "]"


_parsed: "dict[str, Event]" = {}


def parse(raw):
    """Read an attribute value (a JSON array if it starts with `[`, else the string itself, see
    `rtp_py.attribute`) and return the validated `Event`. A text this page already read is not read and
    validated again (see `rtp_py.event.remembered`): the same elements are clicked over and over."""
    key = raw if type(raw) is str and len(raw) <= MAX_REMEMBERED_TEXT else None
    return remembered(_parsed, key, _read, raw)


def _read(raw):
    return Event(read_attribute(raw))


def handle(element, raw, once, tracker=None, label=None):
    """Send the event an element declares, or report (once per element) why it cannot be sent.

    `raw` is the attribute's text, or the `ValidationError` the bridge found reading it from the page;
    `label` names the element when it is gone (a click kept from an earlier page).
    """
    try:
        if isinstance(raw, ValidationError):
            raise raw
        event = parse(raw)
    except ValidationError as error:
        if element is None or bridge.current().first_report(element):
            shown = raw if isinstance(raw, str) else None
            name = label or bridge.current().describe(element)
            not_sent("invalid", shown, "<%s %s>: %s" % (name, ATTRIBUTE, error))
        return
    (tracker or default_tracker).send_event(event, once_per_session=once)


def on_document_click(event):
    """The document-level click listener: act on the closest element with a data-rtp-event."""
    found = bridge.current().declarative_target(event, SELECTOR, ATTRIBUTE, ONCE_ATTRIBUTE)
    if found is not None:
        handle(*found)

"""A small CPython fake of the page: `rtp_py.contract.Page`, backed by Python objects (test_contract.py checks
that it implements every operation of the contract, with the same signatures as the real page).

Page-level logic (on_click, declarative tracking, start(), replay, once per session, reports) runs against
it in milliseconds; the real browser is kept for what only a browser shows (tests/e2e). It fakes only what
rtp_py asks of the page, with the page's documented behaviour: `rtp` missing gets the queue stub, a throwing
`rtp` is a tag error, sessionStorage may be unavailable.
"""

import asyncio
import re
import threading

from rtp_py.contract import Page
from rtp_py.errors import ValidationError
from rtp_py.outcome import QUEUED, SENT, Reply, failed


def run_async(coroutine):
    """Run a coroutine to its end on a thread of its own, and return its result or raise its exception:
    Playwright's sync API (the e2e tests, in the same pytest run) keeps an event loop in the main thread."""
    outcome = {}

    def run():
        try:
            outcome["result"] = asyncio.run(coroutine)
        except BaseException as error:  # handed back to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


class FakeElement:
    """An element: a tag, an id, attributes, a parent, and click listeners."""

    def __init__(self, tag, id="", parent=None, **attributes):
        self.tag = tag
        self.id = id
        self.parent = parent
        self.attributes = {name.replace("_", "-"): value for name, value in attributes.items()}
        self.listeners = []

    def closest_with(self, attribute):
        element = self
        while element is not None and attribute not in element.attributes:
            element = element.parent
        return element


class FakeEvent:
    def __init__(self, target):
        self.type = "click"
        self.target = target


class FakeDocument:
    def __init__(self):
        self.listeners = []


class FakePage(Page):
    """The page's side of rtp_py, in Python. `rtp` is the list of calls the tag received, or None when
    the tag is missing (then the first call installs the queue stub); `tag_error` makes the tag throw."""

    def __init__(self, elements=(), debug=False):
        self.document = FakeDocument()
        self.elements = list(elements)
        self.rtp = []
        self.tag_error = None
        self.live = False
        self.ready = False
        self.captured = []       # (element or None, raw, once, label), as the capture snippet holds them
        self.over = 0
        self.storage = {}        # the tab's sessionStorage; None = unavailable
        self.console_lines = []  # (level, message)
        self.not_sent = []       # rtp-py:not-sent details
        self.debug = debug
        self.answer = None       # what rtp answers get visitor with (None: no answer, as when rtp.js is blocked)
        self.shown_segments = None  # the names the segments rule shows (None: never set)
        self.scheduled = []      # coroutines handed to run_soon, for the test to run
        self.announced = []      # (name, detail) of every rtp-py:<name> DOM event
        self.config = {}         # the [rtp_py] table of the PyScript config
        self.consent = ""        # the page-wide consent state
        self.consent_history = []  # every page-wide state set, in order
        self.html_attribute = ""  # <html data-rtp-consent>
        self.consent_watchers = []
        self.sends_gpc = False
        self.followed = {}       # platform -> (wanted, answer callback)
        self.tag = None          # (src, pod, account, query, e) once insert_tag inserted it
        self.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"
        self._reported = set()
        self._bound = {}

    # what tests do
    def click(self, element):
        """Dispatch a click as the browser does: document capture listeners, then the element and its
        ancestors (bubbling)."""
        event = FakeEvent(element)
        for _, handler, capture in list(self.document.listeners):
            if capture:
                handler(event)
        node = element
        while node is not None:
            for _, handler, _ in list(node.listeners):
                handler(event)
            node = node.parent

    def by_id(self, element_id):
        return next(element for element in self.elements if element.id == element_id)

    # the page contract (rtp_py.contract.Page)
    def send_event(self, value):
        return self.call(("send", "event", {"value": value}))

    def call(self, args):
        if self.tag_error is not None:
            return failed(self.tag_error)
        installed = self.rtp is None
        if installed:
            self.rtp = []
        self.rtp.append(tuple(args))
        if args[:2] == ("get", "visitor") and self.answer is not None:
            args[2](self.answer)
        return QUEUED if installed else SENT

    def query_all(self, selector):
        if selector.startswith("#"):
            return [element for element in self.elements if element.id == selector[1:]]
        if selector.isalpha():
            return [element for element in self.elements if element.tag == selector]
        if selector.startswith("[") and selector.endswith("]"):
            return [element for element in self.elements if selector[1:-1] in element.attributes]
        raise ValidationError("selector", "not a valid CSS selector: " + repr(selector))

    def live_relays(self):
        return sum(1 for args in self.rtp or () for arg in args if isinstance(arg, Reply) and not arg.answered)

    def listen(self, target, event_type, handler, capture=False):
        target = self.document if target is None else target
        entry = (event_type, handler, capture)
        target.listeners.append(entry)
        return lambda: target.listeners.remove(entry)

    def claim(self):
        if self.live:
            return False
        self.live = True
        return True

    def drain_captured(self, attribute):
        captured, self.captured = self.captured, []
        over, self.over = self.over, 0
        return captured, over

    def declarative_target(self, event, selector, attribute, once_attribute):
        element = event.target.closest_with(attribute)
        if element is None:
            return None
        return element, element.attributes[attribute], once_attribute in element.attributes

    def first_report(self, element):
        if id(element) in self._reported:
            return False
        self._reported.add(id(element))
        return True

    def claim_binding(self, element, key):
        keys = self._bound.setdefault(id(element), set())
        if key in keys:
            return False
        keys.add(key)
        return True

    def release_binding(self, element, key):
        self._bound.get(id(element), set()).discard(key)

    def session_seen(self, key):
        return self.storage is not None and key in self.storage

    def session_remember(self, key):
        if self.storage is None:
            return False
        self.storage[key] = "1"
        return True

    def describe(self, element):
        return element.tag + ("#" + element.id if element.id else "")

    def debug_switch(self):
        return self.debug

    def console(self, level, message):
        self.console_lines.append((level, message))

    def announce(self, name, kind, value=None, reason=None, call=None):
        detail = {"kind": kind, "value": value, "reason": reason}
        if call is not None:
            detail["call"] = call
        self.announced.append((name, detail))
        if name == "not-sent":
            self.not_sent.append(detail)

    # consent
    def settings(self):
        return self.config

    def consent_state(self):
        return self.consent

    def html_consent(self):
        return self.html_attribute

    def set_consent(self, state):
        if state != self.consent:
            self.consent_history.append(state)
        self.consent = state

    def watch_consent(self, handler):
        self.consent_watchers.append(handler)

    def forget_stored(self):
        if self.storage is None:
            return False
        for key in [key for key in self.storage if key.startswith("rtp_py:")]:
            del self.storage[key]
        return True

    def gpc(self):
        return self.sends_gpc

    def follow(self, platform, wanted, answer):
        self.followed[platform] = (wanted, answer)

    def insert_tag(self, src, pod, account, query, e):
        if self.tag is not None:
            return False
        self.tag = (src, pod, account, query, e)
        return True

    def user_agent_matches(self, pattern, field):
        try:  # Python's re stands in for JavaScript's RegExp: the same for the patterns tests use
            return re.search(pattern, self.user_agent, re.IGNORECASE) is not None
        except re.error as error:
            raise ValidationError(field, "not a valid regular expression: %s" % error) from None

    def mark_ready(self):
        self.ready = True

    def has_elements(self, selector):
        return bool(self.query_all(selector))

    def cached_visitor(self):
        return (self.storage or {}).get("rtp_py:visitor", "")

    def cache_visitor(self, text):
        if self.storage is None:
            return False
        self.storage["rtp_py:visitor"] = text
        return True

    def show_segments(self, names):
        self.shown_segments = list(names)
        return True

    def run_soon(self, coroutine):
        self.scheduled.append(coroutine)

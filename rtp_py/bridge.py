"""The seam to the page: the only module that imports `pyscript`, and `current()`, the page every other module
asks for at call time.

`current()` is a `BrowserPage` under PyScript and a `contract.NoPage` in plain Python; `use(page)` puts
another page in its place (the unit tests' fake) and starts every page-bound state afresh (consent, handlers,
debug, the default tracker), as a new page would. Nothing here touches the page at import: the page side,
rtp_py/kit.js, is run the first time an operation needs it.

Interpreter differences are settled here, once. Three facts shape this module:
- Payloads are built as plain JS objects and arrays in kit.js (`sendEvent` gets the strings as arguments),
  not with `to_js`: Pyodide would hand the tag a borrowed proxy that dies when the call returns (and `rtp.q`
  keeps it), and MicroPython's `to_js` slows ~50x after ~100,000 conversions in one page.
- MicroPython cannot catch a JavaScript exception: it aborts the whole script. So every JS call that may
  throw (the tag, `querySelectorAll`, `sessionStorage`) goes through kit.js, which catches.
- JS `null` is `None` on MicroPython but `jsnull` on Pyodide; kit.js returns arrays, strings and booleans.
"""

import json

from . import limits
from .contract import NoPage, Page
from .errors import BrowserRequired, ValidationError
from .outcome import QUEUED, SENT, Reply, Unreadable, failed

TYPE_CHECKING = False  # typing is not there on MicroPython: its names are for the type checker only
if TYPE_CHECKING:
    from typing import Callable

try:
    from pyscript import RUNNING_IN_WORKER, config, document, window
    from pyscript.ffi import create_proxy

    IN_BROWSER = True
except ImportError:  # plain CPython: no page to talk to
    config = document = window = create_proxy = None  # type: ignore[assignment]
    IN_BROWSER = RUNNING_IN_WORKER = False

# Where the capture snippet keeps clicks when the page is hidden or left before start() (capture.js).
KEPT_KEY = "rtp_py:kept"
# Where rtp's last answer to get visitor is kept for the next page of the session (segments.js reads it).
VISITOR_KEY = "rtp_py:visitor"
# Every key rtp_py writes to sessionStorage starts so (consent denied removes them all).
STORAGE_PREFIX = "rtp_py:"

# In PyScript's worker mode, `window` and `document` are the page's only where the page is cross-origin
# isolated (PyScript reaches them through a SharedArrayBuffer); elsewhere every use of them raises.
WORKER_NEEDS_ISOLATION = (
    "rtp_py in PyScript's worker mode (<script ... worker>) needs the page's `window`, which PyScript gives a "
    "worker only on a cross-origin isolated page: serve the page with the headers "
    "'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp' (or "
    "'credentialless'), or drop the `worker` attribute")


def _page_text(text, field):
    """A string kit.js read from the page, or the `ValidationError` it stands for (too long, or a lone
    surrogate, which MicroPython could not even hold): the same verdict on both interpreters."""
    if isinstance(text, str):
        return text
    if str(text[0]) == "long":
        return ValidationError(field, "is %d characters long; at most %d are read" % (text[1], limits.MAX_PAGE_TEXT))
    return ValidationError(field, "contains lone surrogate U+%04X at index %d" % (text[1], text[2]))


def _outcome(code):
    """kit.js's answer for one rtp call as an `Outcome`: 0 sent, 1 queued on a stub it installed, or the reason
    the tag did not take it."""
    if isinstance(code, str):
        return failed(code)
    return QUEUED if code == 1 else SENT


def _package_file(name):
    """A file of the package, read from next to this module (the bundle and the wheel carry the .js files)."""
    here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
    with open(here + "/" + name) as source:
        return source.read()


class BrowserPage(Page):
    """The real page, through PyScript's bridge and kit.js (see `rtp_py.contract.Page` for each operation)."""

    def __init__(self):
        self._kit_ = None
        self._send_event = None
        self._array_of = window.Array.of
        self._callbacks = []  # proxies rtp may still call back
        self._watcher = -1    # this interpreter's consent watcher (watch_consent)

    @property
    def _kit(self):
        """kit.js's helpers, made the first time an operation needs the page."""
        if self._kit_ is None:
            make = window.Function.new("return (\n" + _package_file("kit.js") + "\n)")()
            self._kit_ = make(limits.MAX_PAGE_TEXT, KEPT_KEY, VISITOR_KEY, limits.MAX_ANSWER_DEPTH,
                              limits.MAX_ANSWER_LENGTH)
            self._send_event = self._kit_.sendEvent  # the hot path's JS function (it does not use `this`)
        return self._kit_

    def send_event(self, value):
        send = self._send_event
        if send is None:
            send = self._kit.sendEvent
        if isinstance(value, str):
            return _outcome(send(False, value))
        return _outcome(send(True, *value))

    def call(self, args):
        data, positions, functions = [], [], []
        for index, arg in enumerate(args):
            if callable(arg):
                positions.append(index)
                functions.append(self._relay(arg))
                arg = None
            data.append(arg)
        return _outcome(self._kit.call(json.dumps(data), self._array_of(*positions), self._array_of(*functions)))

    def _relay(self, callback):
        """A JS function rtp can call back: `callback(*args)` runs with its arguments as plain data (or one
        `Unreadable`). A `Reply` is let go of after its first call, or when it is cancelled; any other
        callback stays alive for the page's life, as rtp may call it at any time."""

        def relayed(text, problem=""):
            try:
                args = [Unreadable(str(problem))] if problem else json.loads(str(text))
                callback(*args)
            except Exception as error:  # a callback's bug must not break the page, the tag or the interpreter
                self.console("warn", "[rtp_py] a callback rtp called raised %s: %s" % (type(error).__name__, error))

        proxy = create_proxy(relayed)
        once = isinstance(callback, Reply)
        pair = self._kit.relay(proxy, once)
        if once:
            callback.on_cancel(pair[1])
        else:
            self._callbacks.append(proxy)
        return pair[0]

    def live_relays(self):
        return int(self._kit.liveRelays())

    def insert_tag(self, src, pod, account, query, e):
        done = self._kit.insertTag(src, pod, account, query, e)
        if isinstance(done, str):
            self.console("warn", "[rtp_py] insert_tag failed: " + done)
            return False
        return bool(done)

    def user_agent_matches(self, pattern, field):
        found = self._kit.userAgentMatches(pattern)
        if isinstance(found, str):
            raise ValidationError(field, "not a valid regular expression: " + found)
        return bool(found)

    def query_all(self, selector):
        outcome = self._kit.queryAll(selector)
        if not outcome[0]:
            raise ValidationError("selector", "not a valid CSS selector: " + repr(selector))
        nodes = outcome[1]
        return [nodes[index] for index in range(nodes.length)]

    def has_elements(self, selector):
        return bool(self._kit.hasElements(selector))

    def listen(self, target, event_type, handler, capture=False):
        # The proxy stays alive until the remover runs: without one, Pyodide would destroy the handler after
        # the binding call returns and every later click would raise.
        target = document if target is None else target
        proxy = create_proxy(handler)
        target.addEventListener(event_type, proxy, capture)

        def remove():
            target.removeEventListener(event_type, proxy, capture)
            destroy = getattr(proxy, "destroy", None)  # Pyodide only; MicroPython frees it itself
            if destroy is not None:
                destroy()

        return remove

    def declarative_target(self, event, selector, attribute, once_attribute):
        found = self._kit.declarativeTarget(event.target, selector, attribute, once_attribute)
        if not found.length:
            return None
        return found[0], _page_text(found[1], attribute), bool(found[2])

    def describe(self, element):
        return str(self._kit.describe(element))

    def first_report(self, element):
        return bool(self._kit.firstReport(element))

    def claim_binding(self, element, key):
        return bool(self._kit.claimBinding(element, key))

    def release_binding(self, element, key):
        self._kit.releaseBinding(element, key)

    def claim(self):
        return bool(self._kit.claim())

    def drain_captured(self, attribute):
        items, over = self._kit.drainCaptured()
        clicks = []
        for index in range(items.length):
            item = items[index]
            clicks.append((None if item[0] is False else item[0], _page_text(item[1], attribute),
                           bool(item[2]), str(item[3])))
        return clicks, int(over)

    def mark_ready(self):
        self._kit.markReady()

    def run_soon(self, coroutine):
        import asyncio
        return asyncio.create_task(coroutine)

    def session_seen(self, key):
        return bool(self._kit.sessionSeen(key))

    def session_remember(self, key):
        return bool(self._kit.sessionRemember(key))

    def cached_visitor(self):
        text = _page_text(self._kit.cachedVisitor(), VISITOR_KEY)
        return text if isinstance(text, str) else ""

    def cache_visitor(self, text):
        return bool(self._kit.cacheVisitor(text))

    def forget_stored(self):
        return bool(self._kit.forgetStored(STORAGE_PREFIX))

    def show_segments(self, names):
        return bool(self._kit.showSegments(_package_file("segments.js"), self._array_of(*names)))

    def settings(self):
        section = config.get("rtp_py") if isinstance(config, dict) else None
        return section if isinstance(section, dict) else {}

    def consent_state(self):
        return str(self._kit.consentState())

    def html_consent(self):
        return str(self._kit.htmlConsent())

    def set_consent(self, state):
        self._kit.setConsent(state, self._watcher)

    def watch_consent(self, handler):
        def changed(state):
            try:
                handler(str(state))
            except Exception as error:  # must not break the interpreter that changed it
                self.console("warn", "[rtp_py] consent change failed: %s: %s" % (type(error).__name__, error))

        proxy = create_proxy(changed)
        self._callbacks.append(proxy)
        self._watcher = int(self._kit.watchConsent(proxy))

    def gpc(self):
        return bool(self._kit.gpc())

    def follow(self, platform, wanted, answer):
        def relayed(text):
            try:
                snapshot = json.loads(str(text))
            except ValueError:
                snapshot = {"unreadable": "not JSON"}
            answer(snapshot)

        proxy = create_proxy(relayed)
        self._callbacks.append(proxy)
        self._kit.follow(_package_file("consent.js"), platform, json.dumps(wanted), proxy)

    def debug_switch(self):
        return self.settings().get("debug") is True or bool(document.documentElement.hasAttribute("data-rtp-debug"))

    def console(self, level, message):
        getattr(window.console, level)(message)

    def announce(self, name, kind, value=None, reason=None, call=None):
        js_value = self._array_of(*value) if isinstance(value, (list, tuple)) else value
        js_call = None if call is None else self._kit.parse(json.dumps(call))
        self._kit.announce(name, kind, js_value, reason, js_call)


def _open_page():
    if not IN_BROWSER:
        return NoPage()
    return BrowserPage()


def _check_worker():
    """In a worker on a page that is not cross-origin isolated, PyScript's `window` cannot reach the page:
    say so at import, with the fix, rather than fail deep inside the first call."""
    if IN_BROWSER and RUNNING_IN_WORKER:
        try:
            window.Array  # noqa: B018 (reading it is the check: it raises where the page is out of reach)
        except AttributeError:
            raise BrowserRequired(WORKER_NEEDS_ISOLATION) from None


_check_worker()
_current: "list[Page]" = []  # the page, once asked for
_resets: "list[Callable[[], object]]" = []  # what starts afresh on a new page: each module's page-bound state


def current() -> Page:
    """The page rtp_py talks to: the browser's under PyScript, a `NoPage` in plain Python, or the one given to
    `use()`."""
    if not _current:
        _current.append(_open_page())
    return _current[0]


def use(page: Page) -> Page:
    """Talk to `page` from now on (a `contract.Page`, such as the unit tests' fake), with every page-bound
    state started afresh, as on a new page. Returns the page."""
    _current[:] = [page]
    for reset in _resets:
        reset()
    return page


def on_new_page(reset: "Callable[[], object]") -> "Callable[[], object]":
    """Register `reset()`, run by `use()`: a module's page-bound state, started afresh."""
    _resets.append(reset)
    return reset

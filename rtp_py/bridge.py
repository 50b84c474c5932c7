"""The page: the only module that imports `pyscript`, and one object, `page`, through which rtp_py reaches it.

`page` is a `BrowserPage` under PyScript. In plain Python (CPython, the unit tests) it is a `NoPage`, whose
page-only methods raise `BrowserRequired` and whose console is stderr; tests put a fake of the same
interface in its place (`bridge.page = FakePage()`). Every other module asks `bridge.page` at call time,
never imports `pyscript` or `js`, and so runs unchanged against the fake.

Interpreter differences are settled here, once, at import time. Three facts shape this module:
- Payloads are built as plain JS objects and arrays in JS (`_kit.event` gets the strings as arguments), not
  with `to_js`: Pyodide would hand the tag a borrowed proxy that dies when the call returns (and `rtp.q`
  keeps it), and MicroPython's `to_js` slows ~50x after ~100,000 conversions in one page. One crossing
  per call also keeps the cost per event low.
- MicroPython cannot catch a JavaScript exception: it aborts the whole script. So every JS call that may
  throw (the tag, `querySelectorAll`, `sessionStorage`) goes through `_kit`, a few lines of JS that catch.
- JS `null` is `None` on MicroPython but `jsnull` on Pyodide; `_kit` returns arrays and booleans instead.
"""

import json
import sys

from .errors import BrowserRequired, ValidationError
from .transport import QUEUED, SENT, Reply, Unreadable, failed

try:
    from pyscript import RUNNING_IN_WORKER, config, document, window
    from pyscript.ffi import create_proxy

    IN_BROWSER = True
except ImportError:  # plain CPython: no page to talk to
    config = document = window = create_proxy = None
    IN_BROWSER = RUNNING_IN_WORKER = False

# Text read from the page (an attribute, a kept click) longer than this many characters is refused before
# it enters Python: no valid event comes near it, and a hostile 10 MB attribute must not reach the heap.
MAX_PAGE_TEXT = 65536
# An answer rtp passes to a callback (get visitor's) nesting deeper than this is not read into Python: the
# documented answer nests 4 deep, and parsing a hostile one could exhaust the interpreter's stack.
MAX_ANSWER_DEPTH = 32
# ... or longer than this many characters as JSON (the documented answer is about 400).
MAX_ANSWER_LENGTH = 1048576
# Where the capture snippet keeps clicks when the page is hidden or left before start() (capture.js).
KEPT_KEY = "rtp_py:kept"
# Where rtp's last answer to get visitor is kept for the next page of the session (segments.js reads it).
VISITOR_KEY = "rtp_py:visitor"

# State shared by every rtp_py on the page (both interpreters, a script included twice) lives on
# `window.rtpPy`, which the start-up capture snippet (capture.js) may already have created.
_KIT_SOURCE = """
var page = window.rtpPy = window.rtpPy || {q: []};
page.q = page.q || [];
// Page-wide, like start()'s claim: every interpreter and every copy of rtp_py shares one registry, so
// one click is one call however many times an element is bound.
page.reported = page.reported || new WeakSet();
page.bound = page.bound || new WeakMap();
var maxText = arguments[0], keptKey = arguments[1], maxDepth = arguments[2], maxJson = arguments[3];

function text(e) {
  // A thrown value as text, whatever it is: an Error, a string, an object whose message or toString
  // throws, a revoked Proxy. Reading it must never throw in turn (MicroPython would abort).
  try {
    var m = e !== null && e !== undefined ? e.message : undefined;
    if (typeof m === "string") return m;
  } catch (x) {}
  try { return String(e); } catch (x) {}
  try { return Object.prototype.toString.call(e); } catch (x) {}
  return "(a value that cannot be read)";
}

function pageText(s) {
  // A string from the page, checked before it enters Python, the same way on both interpreters:
  // too long ["long", characters], or not well-formed UTF-16 ["surrogate", code, index] (MicroPython's
  // strings cannot hold a lone surrogate). Lengths and indices count code points, as Python does.
  if (s.length > maxText) { var n = 0; for (var c of s) n++; if (n > maxText) return ["long", n]; }
  if (s.isWellFormed()) return s;
  var i = 0;
  for (var c of s) {
    var u = c.charCodeAt(0);
    if (c.length === 1 && u >= 0xD800 && u < 0xE000) return ["surrogate", u, i];
    i++;
  }
  return s;
}

function invoke(args) {
  // rtp(...args), the documented queue stub installed first if rtp is missing. 1 = stub installed,
  // 0 = sent, else a string: why the tag did not take it (reading rtp threw, rtp threw).
  var rtp, installed = 0;
  try { rtp = window.rtp; } catch (e) { return "reading window.rtp threw: " + text(e); }
  if (typeof rtp !== "function") {
    rtp = function () { rtp.q.push(arguments); };
    rtp.q = [];
    try { window.rtp = rtp; } catch (e) { return "window.rtp is not a function and cannot be replaced: " + text(e); }
    if (window.rtp !== rtp) return "window.rtp is not a function and cannot be replaced";
    installed = 1;
  }
  try { Function.prototype.apply.call(rtp, window, args); } catch (e) { return "rtp threw: " + text(e); }
  return installed;
}

function relay(callback, once) {
  // A JS function for rtp to call back. Its arguments reach Python as JSON text (plain data on both
  // interpreters), or, if they cannot be read as JSON (a cycle, a BigInt, a throwing getter, a revoked
  // Proxy) or nest deeper than maxDepth, as "" and the problem. Nothing is ever thrown back into rtp.
  // `once`: let go of the Python callback after its first call (get visitor's answer). Returns
  // [function, release]; release() lets go without a call (a timeout), and is safe to call twice.
  var live = callback;
  page.relays = (page.relays || 0) + 1;
  function free(done) {
    page.relays--;
    try { if (typeof done.destroy === "function") done.destroy(); } catch (e) {}  // Pyodide frees it now
  }
  function release() { if (live) { var done = live; live = null; free(done); } }
  function relayed() {
    if (!live) return;
    var json = "", problem = "";
    try { json = JSON.stringify(Array.prototype.slice.call(arguments)); } catch (e) { problem = text(e); }
    if (!problem && typeof json !== "string") problem = "the arguments are not JSON";
    else if (!problem && json.length > maxJson) problem = "the arguments are " + json.length + " characters of JSON";
    else if (!problem && nesting(json) > maxDepth) problem = "the arguments nest deeper than " + maxDepth + " levels";
    if (problem) json = "";
    var call = live;
    if (once) live = null;  // a second answer finds nothing to call
    try { call(json, problem); } catch (e) {}
    if (once) free(call);
  }
  return [relayed, release];
}

function nesting(json) {
  // How deep a JSON text nests, without recursion (brackets inside strings do not count).
  var depth = 0, most = 0, inString = false;
  for (var i = 0; i < json.length; i++) {
    var c = json.charCodeAt(i);
    if (inString) { if (c === 92) i++; else if (c === 34) inString = false; }
    else if (c === 34) inString = true;
    else if (c === 91 || c === 123) { if (++depth > most) most = depth; }
    else if (c === 93 || c === 125) depth--;
  }
  return most;
}

function describe(el) {
  try { return el.tagName.toLowerCase() + (el.id ? "#" + el.id : ""); } catch (e) { return "element"; }
}

return {
  event: function (isList) {
    // The hot path, one crossing per call: rtp("send", "event", {value}) with a plain Object.
    return invoke(["send", "event", {value: isList ? Array.prototype.slice.call(arguments, 1) : arguments[1]}]);
  },
  call: function (json, positions, functions) {
    // Any other call: the arguments as JSON (so they reach rtp as plain objects and arrays), with the
    // relayed Python callbacks (`functions`, made by `relay`) put back in their places.
    var args = JSON.parse(json);
    for (var i = 0; i < positions.length; i++) args[positions[i]] = functions[i];
    return invoke(args);
  },
  relay: relay,
  relays: function () { return page.relays || 0; },
  query: function (selector) {
    try { return [true, Array.from(document.querySelectorAll(selector))]; } catch (e) { return [false, text(e)]; }
  },
  claim: function () { if (page.live) return false; page.live = true; return true; },
  drain: function () {
    // Clicks captured before start: those an earlier page (or this one, while hidden) kept in
    // sessionStorage first, then this page's. Each as [element or false, text, once, description].
    var out = [], over = 0, stored = null;
    try { stored = sessionStorage.getItem(keptKey); sessionStorage.removeItem(keptKey); } catch (e) {}
    if (stored !== null) {
      try { stored = JSON.parse(stored); } catch (e) { stored = {q: [], over: 0, bad: 1}; }
      var q = stored && Array.isArray(stored.q) ? stored.q : [];
      over = (stored && +stored.over) || 0;
      for (var i = 0; i < q.length; i++) {
        var c = q[i];
        if (Array.isArray(c) && typeof c[0] === "string") {
          out.push([false, pageText(c[0]), !!c[1], String(c[2] || "element").toLowerCase()]);
        } else over++;
      }
      if (!Array.isArray(stored && stored.q)) over++;
    }
    page.q.splice(0).forEach(function (c) { out.push([c[0], pageText(c[1]), !!c[2], describe(c[0])]); });
    return [out, over];
  },
  match: function (target, selector, attribute, onceAttribute) {
    try {
      var el = target && target.closest ? target.closest(selector) : null;
      return el ? [el, pageText(el.getAttribute(attribute)), el.hasAttribute(onceAttribute)] : [];
    } catch (e) { return []; }
  },
  describe: describe,
  count: function (selector) { try { return document.querySelectorAll(selector).length; } catch (e) { return 0; } },
  stored: function (key) { try { return sessionStorage.getItem(key) || ""; } catch (e) { return ""; } },
  store: function (key, text) { try { sessionStorage.setItem(key, text); return true; } catch (e) { return false; } },
  segments: function (source, names) {
    // The segments snippet runs here if the page did not paste it; then its rule follows `names`.
    if (!page.showSegments) { try { Function(source)(); } catch (e) { return false; } }
    try { page.showSegments(names); return true; } catch (e) { return false; }
  },
  parse: function (json) { return JSON.parse(json); },
  firstReport: function (el) { if (page.reported.has(el)) return false; page.reported.add(el); return true; },
  bind: function (el, key) {
    var keys = page.bound.get(el) || new Set(); page.bound.set(el, keys);
    if (keys.has(key)) return false; keys.add(key); return true;
  },
  unbind: function (el, key) { var keys = page.bound.get(el); if (keys) keys.delete(key); },
  seen: function (key) { try { return sessionStorage.getItem(key) !== null; } catch (e) { return false; } },
  remember: function (key) { try { sessionStorage.setItem(key, "1"); return true; } catch (e) { return false; } },
  announce: function (name, kind, value, reason, call) {
    var detail = {kind: kind, value: value, reason: reason};
    if (call) detail.call = call;
    document.dispatchEvent(new CustomEvent("rtp-py:" + name, {detail: detail}));
  },
  // Consent, page-wide: one state for every interpreter. Each interpreter watches it (with `id`, the index
  // of its watcher, so that it is not told of its own changes); pages and inspectors get "rtp-py:consent".
  consentState: function () { return typeof page.consent === "string" ? page.consent : ""; },
  htmlConsent: function () { return document.documentElement.getAttribute("data-rtp-consent") || ""; },
  watchConsent: function (callback) { return (page.watchers = page.watchers || []).push(callback) - 1; },
  setConsent: function (state, id) {
    // The first state is announced after the script that set it has run (previous: null), so a start that
    // is settled at once (granted, then pending because a platform is followed) is announced as what it
    // is; every later change is announced with the state before it.
    var before = typeof page.consent === "string" ? page.consent : null;
    if (state === before) return;
    page.consent = state;
    (page.watchers || []).forEach(function (callback, i) { if (i !== id) { try { callback(state); } catch (e) {} } });
    if (page.consentAnnounced) {
      document.dispatchEvent(new CustomEvent("rtp-py:consent", {detail: {state: state, previous: before}}));
    } else if (!page.consentFirst) {
      page.consentFirst = setTimeout(function () {
        page.consentAnnounced = true;
        document.dispatchEvent(new CustomEvent("rtp-py:consent", {detail: {state: page.consent, previous: null}}));
      }, 0);
    }
  },
  forget: function (prefix) {
    // Remove what rtp_py kept in this tab's sessionStorage (consent denied).
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i--) {
        var key = sessionStorage.key(i);
        if (key !== null && key.indexOf(prefix) === 0) sessionStorage.removeItem(key);
      }
      return true;
    } catch (e) { return false; }
  },
  gpc: function () { try { return window.navigator.globalPrivacyControl === true; } catch (e) { return false; } },
  follow: function (source, name, wanted, callback) {
    // consent.js runs once, then platform `name` reports each snapshot to `callback` as JSON text.
    function send(snapshot) {
      var json;
      try { json = JSON.stringify(snapshot); } catch (e) { json = '{"unreadable": "a snapshot that is not JSON"}'; }
      callback(json);
    }
    try {
      if (!page.consentKit) Function(source)();
      page.consentKit[name](JSON.parse(wanted), send);
    } catch (e) { send({unreadable: text(e)}); }
  },
  insertTag: function (source, src, pod, account, query, e) {
    try {
      if (!page.consentKit) Function(source)();
      return page.consentKit.insertTag(src, pod, account, query, e);
    } catch (e) { return text(e); }
  },
  userAgentMatches: function (pattern) {
    // 1 or 0; a string if the pattern is not a valid regular expression.
    try { var re = new RegExp(pattern, "i"); } catch (e) { return text(e); }
    try { return re.test(String(window.navigator.userAgent)) ? 1 : 0; } catch (e) { return 0; }
  },
  warnIfNeverStarted: function (message) {
    // PyScript fires py:all-done once every script on the page has run: if none called start() by
    // then, declarative clicks are never sent. Said once per page, whichever interpreter asks.
    if (page.startCheck) return;
    page.startCheck = true;
    window.addEventListener("py:all-done", function () { if (!page.live) console.warn(message); }, {once: true});
  }
};
"""



def _page_text(text, field):
    """A string the kit read from the page, or the `ValidationError` it stands for (too long, or a lone
    surrogate, which MicroPython could not even hold): the same verdict on both interpreters."""
    if isinstance(text, str):
        return text
    if str(text[0]) == "long":
        return ValidationError(field, "is %d characters long; at most %d are read" % (text[1], MAX_PAGE_TEXT))
    return ValidationError(field, "contains lone surrogate U+%04X at index %d" % (text[1], text[2]))


def _outcome(code):
    """The kit's answer for one rtp call as an `Outcome`: 0 sent, 1 queued on a stub it installed, or the
    reason the tag did not take it."""
    if isinstance(code, str):
        return failed(code)
    return QUEUED if code == 1 else SENT


class BrowserPage:
    """The real page, through PyScript's bridge and the `_kit` JS helpers."""

    def __init__(self):
        self.document = document
        self._kit = window.Function.new(_KIT_SOURCE)(MAX_PAGE_TEXT, KEPT_KEY, MAX_ANSWER_DEPTH, MAX_ANSWER_LENGTH)
        self._event = self._kit.event  # the hot path's JS function, looked up once (it does not use `this`)
        self._array_of = window.Array.of
        self._callbacks = []  # proxies rtp may still call back
        self._watcher = -1    # this interpreter's consent watcher (watch_consent)

    def send_event(self, value):
        """Call the page's `rtp("send", "event", {value: value})`; `value` is a validated str or list of str.

        `rtp` is looked up on every call (Marketo's rtp.js replaces the queue stub when it loads). Returns
        `QUEUED` if it was missing (an ad blocker removed it, or the tag is not on the page) and the
        documented queue stub was installed to hold the call for rtp.js, `failed(reason)` if `rtp` threw
        or could not be read, else `SENT`.
        """
        if isinstance(value, str):
            return _outcome(self._event(False, value))
        return _outcome(self._event(True, *value))

    def call(self, args):
        """Call the page's `rtp(*args)`: `args` are plain data (str, int, float, bool, None, list, dict)
        and Python callables, which rtp may call back with JSON-able arguments. Returns the call's
        `Outcome`, like `send_event`."""
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
                self.console("warn", "[rtp_py] a callback rtp called raised %s: %s"
                             % (type(error).__name__, error))

        proxy = create_proxy(relayed)
        once = isinstance(callback, Reply)
        pair = self._kit.relay(proxy, once)
        if once:
            callback.on_cancel(pair[1])
        else:
            self._callbacks.append(proxy)
        return pair[0]

    def live_relays(self):
        """How many callbacks relayed to rtp are still alive on this page (all interpreters)."""
        return int(self._kit.relays())

    def query_all(self, selector):
        """Return the elements matching a CSS selector, as a Python list."""
        outcome = self._kit.query(selector)
        if not outcome[0]:
            raise ValidationError("selector", "not a valid CSS selector: " + repr(selector))
        nodes = outcome[1]
        return [nodes[index] for index in range(nodes.length)]

    def listen(self, target, event_type, handler, capture=False):
        """Add a DOM event listener that calls `handler(event)`; return a function that removes it.

        The proxy JS calls stays alive until that function runs: without one, Pyodide would destroy the
        handler after the binding call returns and every later click would raise.
        """
        proxy = create_proxy(handler)
        target.addEventListener(event_type, proxy, capture)

        def remove():
            target.removeEventListener(event_type, proxy, capture)
            destroy = getattr(proxy, "destroy", None)  # Pyodide only; MicroPython frees it itself
            if destroy is not None:
                destroy()

        return remove

    def claim(self):
        """Return True for the first rtp_py to start on this page (any interpreter), False afterwards."""
        return bool(self._kit.claim())

    def drain_captured(self, attribute):
        """Take the clicks captured before start, oldest first: those kept in sessionStorage by an earlier
        page (or this one while hidden), then this page's. Returns (clicks, over): each click is (element
        or None, raw attribute text or the `ValidationError` it stands for, once, a description such as
        `a#nav`); `over` counts clicks that could not be kept (over the snippet's bound, or unreadable)."""
        items, over = self._kit.drain()
        clicks = []
        for index in range(items.length):
            item = items[index]
            clicks.append((None if item[0] is False else item[0], _page_text(item[1], attribute),
                           bool(item[2]), str(item[3])))
        return clicks, int(over)

    def declarative_target(self, event, selector, attribute, once_attribute):
        """For a click event, return (element, raw attribute text or its `ValidationError`, once) of the
        closest match, or None."""
        found = self._kit.match(event.target, selector, attribute, once_attribute)
        if not found.length:
            return None
        return found[0], _page_text(found[1], attribute), bool(found[2])

    def first_report(self, element):
        """True the first time it is asked about `element` (so a bad element is reported once)."""
        return bool(self._kit.firstReport(element))

    def claim_binding(self, element, key):
        """True if `element` is not yet bound for `key` (and mark it bound); False for a duplicate."""
        return bool(self._kit.bind(element, key))

    def release_binding(self, element, key):
        self._kit.unbind(element, key)

    def session_seen(self, key):
        """True if `key` is in this tab's sessionStorage (False if storage is unavailable)."""
        return bool(self._kit.seen(key))

    def session_remember(self, key):
        """Store `key` in sessionStorage; False if storage is unavailable (private mode, disabled)."""
        return bool(self._kit.remember(key))

    def describe(self, element):
        """A short CSS-like name for an element, for log messages: `button#download`."""
        return str(self._kit.describe(element))

    def debug_switch(self):
        """True if `<html data-rtp-debug>` is set or pyscript.toml has `[rtp_py] debug = true`."""
        return self.settings().get("debug") is True or bool(document.documentElement.hasAttribute("data-rtp-debug"))

    def console(self, level, message):
        """Write `message` to the browser console at `level`."""
        getattr(window.console, level)(message)

    def announce(self, name, kind, value=None, reason=None, call=None):
        """Dispatch `rtp-py:<name>` on document with `{kind, value, reason}` (and `call`, the arguments of
        a call other than an event)."""
        js_value = self._array_of(*value) if isinstance(value, (list, tuple)) else value
        js_call = None if call is None else self._kit.parse(json.dumps(call))
        self._kit.announce(name, kind, js_value, reason, js_call)

    def settings(self):
        """The `[rtp_py]` table of the page's PyScript config, as a dict ({} if none)."""
        section = config.get("rtp_py") if isinstance(config, dict) else None
        return section if isinstance(section, dict) else {}

    def consent_state(self):
        """The page-wide consent state ("" if no interpreter set one yet)."""
        return str(self._kit.consentState())

    def html_consent(self):
        """`<html data-rtp-consent>`: the starting state a page declares for the capture snippet too."""
        return str(self._kit.htmlConsent())

    def set_consent(self, state):
        """Make `state` the page-wide consent state; the other interpreters' watchers are told."""
        self._kit.setConsent(state, self._watcher)

    def watch_consent(self, handler):
        """Call `handler(state)` when another interpreter changes the page-wide state."""
        def changed(state):
            try:
                handler(str(state))
            except Exception as error:  # must not break the interpreter that changed it
                self.console("warn", "[rtp_py] consent change failed: %s: %s" % (type(error).__name__, error))

        proxy = create_proxy(changed)
        self._callbacks.append(proxy)
        self._watcher = int(self._kit.watchConsent(proxy))

    def forget_stored(self):
        """Remove every `rtp_py:` key from this tab's sessionStorage."""
        return bool(self._kit.forget("rtp_py:"))

    def gpc(self):
        """True if the browser sends Global Privacy Control (`navigator.globalPrivacyControl`)."""
        return bool(self._kit.gpc())

    def follow(self, platform, wanted, answer):
        """Have consent.js follow `platform`, calling `answer(snapshot)` with each of its snapshots."""
        def relayed(text):
            try:
                snapshot = json.loads(str(text))
            except ValueError:
                snapshot = {"unreadable": "not JSON"}
            answer(snapshot)

        proxy = create_proxy(relayed)
        self._callbacks.append(proxy)
        self._kit.follow(_package_file("consent.js"), platform, json.dumps(wanted), proxy)

    def insert_tag(self, src, pod, account, query, e):
        """Insert Marketo's tag (consent.js `insertTag`): True if inserted, False if already there. `pod`,
        `query` ("rh", "aid") and `e` are "" when the snippet's form has none."""
        done = self._kit.insertTag(_package_file("consent.js"), src, pod, account, query, e)
        if isinstance(done, str):
            self.console("warn", "[rtp_py] insert_tag failed: " + done)
            return False
        return bool(done)

    def user_agent_matches(self, pattern, field):
        """True if the browser's user agent matches `pattern` (a JavaScript regular expression, without
        case); a pattern JavaScript cannot compile is a `ValidationError` on `field`."""
        found = self._kit.userAgentMatches(pattern)
        if isinstance(found, str):
            raise ValidationError(field, "not a valid regular expression: " + found)
        return bool(found)

    def warn_if_never_started(self, message):
        """Have the page warn (once, whichever interpreter asks) if no `start()` ran by the time every
        PyScript script on it is done."""
        self._kit.warnIfNeverStarted(message)

    def mark_ready(self):
        """Add the class `rtp-ready` to `<html>`: the page's signal that tracking is live."""
        document.documentElement.classList.add("rtp-ready")

    def has_elements(self, selector):
        """True if any element matches `selector` (False for an invalid one)."""
        return int(self._kit.count(selector)) > 0

    def cached_visitor(self):
        """rtp's last answer to get visitor in this tab (JSON text), or "" if none (or unreadable)."""
        text = _page_text(self._kit.stored(VISITOR_KEY), VISITOR_KEY)
        return text if isinstance(text, str) else ""

    def cache_visitor(self, text):
        """Keep rtp's answer (JSON text) for the next page of this tab; False if storage is unavailable."""
        return bool(self._kit.store(VISITOR_KEY, text))

    def show_segments(self, names):
        """Show the `data-rtp-segment` blocks of these segments (and hide the defaults beside them)."""
        return bool(self._kit.segments(_package_file("segments.js"), self._array_of(*names)))

    def run_soon(self, coroutine):
        """Run a coroutine on the page's event loop (PyScript's, on both interpreters)."""
        import asyncio
        return asyncio.create_task(coroutine)


def _package_file(name):
    """A file of the package, read from next to this module (the wheel carries segments.js, consent.js)."""
    here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
    with open(here + "/" + name) as source:
        return source.read()


class NoPage:
    """What `page` is outside a browser: page-only methods raise `BrowserRequired` (PyScript's
    `NotSupported` idea), the console is stderr, and the page's switches are off."""

    document = None

    def __getattr__(self, name):
        def unsupported(*args, **kwargs):
            raise BrowserRequired(
                "%s() needs a page running PyScript; in plain Python pass rtp=<callable> to Tracker" % name)
        return unsupported

    def console(self, level, message):
        print(message, file=sys.stderr)

    def announce(self, name, kind, value=None, reason=None, call=None):
        pass

    # Consent in plain Python: the state is this process's; there is no storage, config or platform.
    _consent = ""

    def settings(self):
        return {}

    def consent_state(self):
        return self._consent

    def html_consent(self):
        return ""

    def set_consent(self, state):
        self._consent = state

    def watch_consent(self, handler):
        pass

    def forget_stored(self):
        return False

    def gpc(self):
        return False

    def debug_switch(self):
        return False

    def warn_if_never_started(self, message):
        pass

    def session_seen(self, key):  # no sessionStorage: once-per-session memory stays in Python
        return False

    def session_remember(self, key):
        return False


# In PyScript's worker mode, `window` and `document` are the page's only where the page is cross-origin
# isolated (PyScript reaches them through a SharedArrayBuffer); elsewhere every use of them raises.
WORKER_NEEDS_ISOLATION = (
    "rtp_py in PyScript's worker mode (<script ... worker>) needs the page's `window`, which PyScript gives a "
    "worker only on a cross-origin isolated page: serve the page with the headers "
    "'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp' (or "
    "'credentialless'), or drop the `worker` attribute")


def _open_page():
    if not IN_BROWSER:
        return NoPage()
    try:
        return BrowserPage()
    except AttributeError:
        if RUNNING_IN_WORKER:
            raise BrowserRequired(WORKER_NEEDS_ISOLATION) from None
        raise


page = _open_page()

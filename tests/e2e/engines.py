"""WebKit and Firefox for the e2e tests, behind a small Playwright-like page object.

Playwright drives only its own patched browsers, which cannot be downloaded here, so the two other engines are
driven through the standard protocols their Debian builds speak:

- WebKit: WebKitGTK's MiniBrowser through WebKitWebDriver, classic WebDriver over HTTP (urllib). This build
  has no WebDriver BiDi: a new session asking for `"webSocketUrl": true` gets "session not created: Failed to
  match capabilities".
- Gecko: firefox-esr, WebDriver BiDi over a WebSocket (the `websockets` package); no geckodriver needed.

`EnginePage` offers the subset of Playwright's `Page` that engine-neutral tests use: goto, evaluate,
wait_for_function, click (a real pointer click), reload, go_back, url, add_init_script, on("console" |
"pageerror"), close. Values cross as JSON, so evaluate and wait_for_function return what JSON.stringify gives
(no handles). Selectors are CSS only. Locators, expect, route and expect_event are absent.

Every request of either browser goes through an `OfflineProxy` that refuses and records any request for a
host that is not this machine (the rule conftest applies to Chromium).

    with launch("firefox") as browser:
        page = browser.new_page("http://127.0.0.1:8000")
        page.goto("/tests/pages/tracking.html?interpreter=mpy")
"""

import contextlib
import gzip
import http.client
import http.server
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from concurrent.futures import Future
from urllib.parse import urljoin, urlsplit

from pageguard import is_local

CHROMIUM = "/usr/bin/chromium"
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
ENGINES = ("chromium", "webkit", "firefox")
DEFAULT_TIMEOUT_MS = 30_000  # Playwright's default for waits and clicks
POLL_BUDGET_MS = 1_000  # the longest a page polls before answering "still pending" (then Python asks again)
COMMAND_TIMEOUT_S = 120  # no single driver command takes this long unless the browser is stuck
SESSION_TIMEOUT_S = 60  # a MiniBrowser starts in a few seconds, even on a busy machine
# JavaScriptCore's top tiers (OMG for WebAssembly, FTL for JavaScript) off in the test's WebKit (its web process
# reads JSC_* options from the environment it inherits from MiniBrowser). They only pay off on a page that runs
# for long; a test page lives seconds, and compiling Pyodide's 10 MB of WebAssembly again with them took both
# cores: with them off, a Pyodide page starts in WebKit in about 4.5 s instead of 7.5, for half the CPU time
# (measured side by side). The tiers below them, the ones every page starts in, run as they do in Safari.
JSC_OPTIONS = ("JSC_useOMGJIT=false", "JSC_useFTLJIT=false")


class EngineError(Exception):
    """The driver refused a command (a WebDriver or BiDi error), e.g. because the page navigated meanwhile."""


class BrowserFailure(EngineError):
    """The browser failed the test, not the page: the page's process crashed (WebKit ends the session, Firefox
    shows its crash page in the tab), or the driver did not answer. Nothing the page does can end this, so waits
    stop at once; conftest runs such a test once more."""


class EvaluationError(Exception):
    """The page's own JavaScript threw, or its promise rejected, in evaluate or wait_for_function."""


class WaitTimeout(TimeoutError):
    """A wait ran out of time."""


class ConsoleMessage:
    """What Playwright's "console" event gives, as far as the guards read it: .type and .text."""

    def __init__(self, type, text):
        self.type, self.text = type, text

    def __repr__(self):
        return "ConsoleMessage(%r, %r)" % (self.type, self.text)


class PageError(Exception):
    """What the "pageerror" event gives: an uncaught exception or an unhandled rejection in the page."""


def _failed_load(status, reason, url):
    # Chromium's own words for a resource answered with an error status, which the guards count as a problem.
    return ConsoleMessage("error", "Failed to load resource: the server responded with a status of %s (%s): %s"
                          % (status, reason, url))


# ---------------------------------------------------------------------------------------------------------------
# JavaScript run in the pages. A test's expression is pasted into the function's text rather than eval'd, so it
# works under a Content-Security-Policy without 'unsafe-eval', and an expression that is not a function
# ("document.title") is read afresh on every poll, as in Playwright.

def _function(expression):
    """A JS async function (argJson, budget) evaluating `expression` the Playwright way: a function is called with
    the argument, promises are awaited. It answers JSON text, {"value": ...} or {"error": "..."}; given a budget
    in ms it polls until the value is truthy, answering {"pending": true} once the budget is spent."""
    return """async (argJson, budget) => {
  const read = async () => {
    const value = (
%s
    );
    return typeof value === "function" ? await value(argJson == null ? undefined : JSON.parse(argJson)) : value;
  };
  try {
    let value = await read();
    if (budget != null) {
      const deadline = performance.now() + budget;
      while (!value) {
        if (performance.now() > deadline) return JSON.stringify({pending: true});
        await new Promise(resolve => setTimeout(resolve, 16));
        value = await read();
      }
    }
    return JSON.stringify({value: value});
  } catch (error) {
    return JSON.stringify({error: error && error.stack ? error + "\\n" + error.stack : String(error)});
  }
}""" % expression


# Where a click lands: the centre of the element's box once it exists, is visible and enabled, is scrolled into
# view and is what the pointer would hit there (Playwright's actionability checks, in short).
_CLICK_TARGET = """selector => {
  const element = document.querySelector(selector);
  if (!element || element.disabled) return null;
  element.scrollIntoView({block: "center", inline: "center"});
  const box = element.getBoundingClientRect();
  if (!box.width || !box.height) return null;
  const x = Math.floor(box.left + box.width / 2), y = Math.floor(box.top + box.height / 2);
  const hit = document.elementFromPoint(x, y);
  return hit && (hit === element || element.contains(hit)) ? [x, y] : null;
}"""

# WebKitWebDriver exposes no console log, so on WebKit the page records its own console messages and errors in a
# hidden array that the page object empties after each command (WebKitPage._drain). WebKit's first init script.
_WEBKIT_RECORDER = """(() => {
  if (window.__enginesLog) return;
  const log = [];
  Object.defineProperty(window, "__enginesLog", {value: log});
  const describe = value => value && value.stack ? value + "\\n" + value.stack : String(value);
  const text = args => args.map(arg => {
    if (typeof arg === "string" || arg instanceof Error) return describe(arg);
    try { return JSON.stringify(arg) ?? String(arg); } catch (error) { return String(arg); }
  }).join(" ");
  for (const [method, type] of [["log", "log"], ["info", "info"], ["warn", "warning"], ["error", "error"],
                                ["debug", "debug"]]) {
    const original = console[method];
    console[method] = function (...args) {
      log.push({kind: "console", type: type, text: text(args)});
      return original.apply(this, args);
    };
  }
  addEventListener("error", event => log.push({kind: "pageerror",
    text: event.error ? describe(event.error) : event.message}));
  addEventListener("unhandledrejection", event => log.push({kind: "pageerror",
    text: "Uncaught (in promise) " + describe(event.reason)}));
})();"""


# ---------------------------------------------------------------------------------------------------------------
# The offline guard: an HTTP proxy that refuses (403) and records every request, or tunnel, for a host that is
# not this machine. Firefox bypasses it for localhost. WebKit sends everything through it, local pages included,
# because the proxy is how init scripts get into a WebKit page before its own scripts (see WebKitPage).

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer",
               "transfer-encoding", "upgrade", "content-length"}


class OfflineProxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.blocked = []  # every non-local URL asked for, in order (https:// shows host and port only)
        self.on_blocked = None  # called with each blocked URL, on the proxy's thread
        self.on_failed = None  # called with (status, reason, url) for a local answer >= 400 passed through
        self.init_scripts = []  # JS put first in every local HTML page passed through (WebKit's init scripts)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def address(self):
        return "127.0.0.1:%d" % self.server_address[1]

    def record(self, url):
        self.blocked.append(url)
        if self.on_blocked:
            self.on_blocked(url)

    def handle_error(self, request, client_address):
        pass  # a browser closing a connection mid-answer is routine (e.g. when the page navigates)

    def close(self):
        self.shutdown()
        self.server_close()


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as browsers expect of a proxy

    def log_message(self, format, *args):
        pass

    def do_CONNECT(self):
        # https:// and wss:// ask for a tunnel. Only local ones get one: WebKit's own processes reach each other
        # on 127.0.0.1 through the proxy they are given.
        url = "https://" + self.path
        if not is_local(url):
            self.server.record(url)
            return self._answer(403, b"offline guard: blocked a tunnel that would leave this machine\n")
        host, _, port = self.path.rpartition(":")
        with socket.create_connection((host.strip("[]"), int(port))) as upstream:
            self.send_response(200, "Connection established")
            self.end_headers()
            threading.Thread(target=_pipe, args=(upstream, self.connection), daemon=True).start()
            _pipe(self.connection, upstream)
        self.close_connection = True

    def _forward(self):
        url = self.path
        if not url.startswith("http://"):
            return self._answer(400, b"offline guard: proxy requests only\n")
        if not is_local(url):
            self.server.record(url)
            return self._answer(403, b"offline guard: blocked a request that would leave this machine\n")
        parts = urlsplit(url)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=120)
        try:
            upstream.putrequest(self.command, parts.path + ("?" + parts.query if parts.query else "") or "/",
                                skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in _HOP_BY_HOP:
                    upstream.putheader(name, value)
            if body:
                upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body or None)
            response = upstream.getresponse()
            data = response.read()
        finally:
            upstream.close()
        headers = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
        if response.status >= 400 and self.server.on_failed:
            self.server.on_failed(response.status, response.reason, url)
        if self.server.init_scripts and response.status == 200 and self.command == "GET" \
                and (response.getheader("Content-Type") or "").startswith("text/html"):
            data, headers = _inject(data, headers, self.server.init_scripts)
        self.send_response(response.status, response.reason)
        for name, value in headers:
            self.send_header(name, value)
        if self.command == "HEAD" or response.status in (204, 304):
            if response.getheader("Content-Length"):
                self.send_header("Content-Length", response.getheader("Content-Length"))
            self.end_headers()
        else:
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _forward

    def _answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True


def _pipe(source, target):
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)


def _inject(data, headers, scripts):
    """Put `scripts` first in an HTML page's <head>, each in a <script> that removes itself once run (so the DOM is
    as served). A compressed body is decompressed and sent as is."""
    encoding = dict((k.lower(), v.lower()) for k, v in headers).get("content-encoding", "")
    if encoding not in ("", "gzip", "deflate"):
        return data, headers  # an encoding we cannot rewrite: leave the page alone
    data = gzip.decompress(data) if encoding == "gzip" else zlib.decompress(data) if encoding else data
    tags = "".join("<script>%s\ndocument.currentScript.remove();</script>" % s.replace("</", "<\\/")
                   for s in scripts).encode()
    found = re.search(rb"<head\b[^>]*>", data, re.I) or re.search(rb"<html\b[^>]*>", data, re.I) \
        or re.search(rb"<!doctype[^>]*>", data, re.I)
    at = found.end() if found else 0
    headers = [(k, v) for k, v in headers if k.lower() not in ("content-encoding", "etag")]
    return data[:at] + tags + data[at:], headers


# ---------------------------------------------------------------------------------------------------------------
# The page object: what every engine shares. Subclasses provide the primitives at the bottom.

class EnginePage:
    engine = None

    def __init__(self, base_url=None):
        self.base_url = base_url
        self._listeners = {}
        self._events = queue.SimpleQueue()  # filled from any thread, delivered on the test's (as Playwright does)

    # Events ----------------------------------------------------------------------------------------------------
    def on(self, event, handler):
        """"console" (a ConsoleMessage), "pageerror" (a PageError), and "blocked" (a URL the offline guard
        refused; not a Playwright event). Handlers run on the test's thread, at the end of the page's next
        command or in flush()."""
        self._listeners.setdefault(event, []).append(handler)

    def _emit(self, event, value):
        self._events.put((event, value))

    def flush(self):
        """Deliver every event seen so far (call it before judging what a page did)."""
        self._drain()
        while True:
            try:
                event, value = self._events.get_nowait()
            except queue.Empty:
                return
            for handler in self._listeners.get(event, []):
                handler(value)

    # Navigation ------------------------------------------------------------------------------------------------
    def goto(self, url, wait_until="load", timeout=DEFAULT_TIMEOUT_MS):
        """Open `url` (relative to base_url) and wait for its load event, or only DOMContentLoaded."""
        self._check_wait(wait_until)
        self.flush()
        self._navigate(urljoin(self.base_url or "", url), wait_until)
        self._wait_loaded(wait_until, timeout)

    def reload(self, wait_until="load", timeout=DEFAULT_TIMEOUT_MS):
        self._check_wait(wait_until)
        self.flush()
        self._reload(wait_until)
        self._wait_loaded(wait_until, timeout)

    def go_back(self, wait_until="load", timeout=DEFAULT_TIMEOUT_MS):
        self._check_wait(wait_until)
        self.flush()
        self._go_back()
        self._wait_loaded(wait_until, timeout)

    @staticmethod
    def _check_wait(wait_until):
        if wait_until not in ("load", "domcontentloaded"):
            raise ValueError("wait_until must be 'load' or 'domcontentloaded', not %r" % wait_until)

    def _wait_loaded(self, wait_until, timeout):
        # The drivers return once the new document is there (WebKit's "normal" strategy may return while it is
        # still "interactive"); this makes "load" mean the load event has run on every engine.
        ready = "document.readyState === 'complete'" if wait_until == "load" else "document.readyState !== 'loading'"
        self.wait_for_function(ready, timeout=timeout)

    @property
    def url(self):
        return self._url()

    # Scripts ---------------------------------------------------------------------------------------------------
    def evaluate(self, expression, arg=None):
        """Playwright's evaluate: a function expression is called with `arg` (JSON-able), anything else is
        evaluated; promises are awaited; the result comes back through JSON (undefined gives None)."""
        return self._run(_function(expression), arg, None).get("value")

    def wait_for_function(self, expression, arg=None, timeout=DEFAULT_TIMEOUT_MS):
        """Wait until `expression` (as in evaluate) is truthy and return its value. The page polls it; a driver
        error (the document went away mid-poll, as when a click navigates) just starts the next poll."""
        deadline = time.monotonic() + timeout / 1000
        last_error = None
        while True:
            budget = max(0, min(POLL_BUDGET_MS, (deadline - time.monotonic()) * 1000))
            try:
                answer = self._run(_function(expression), arg, budget)
                if not answer.get("pending"):
                    return answer.get("value")
                last_error = None
            except BrowserFailure:
                raise
            except EngineError as error:
                last_error = error
            if time.monotonic() >= deadline:
                raise WaitTimeout("wait_for_function: %s still falsy after %d ms%s" % (
                    expression, timeout, "; last driver error: %s" % last_error if last_error else ""))

    def _run(self, source, arg, budget):
        try:
            answer = json.loads(self._call(source, None if arg is None else json.dumps(arg), budget))
        except BrowserFailure:
            raise
        except EngineError:
            # A script cut short by a crash fails with a plain driver error (WebKit: "Could not parse script
            # result"): if the page is gone, say so (BrowserFailure); if not, the driver's first error stands.
            try:
                self._url()
            except BrowserFailure:
                raise
            except EngineError:
                pass
            raise
        finally:
            self.flush()
        if "error" in answer:
            raise EvaluationError(answer["error"])
        return answer

    def add_init_script(self, script):
        """Run `script` (JS source) in every document loaded from now on, before the page's own scripts."""
        self._add_init_script(script)

    # Input -----------------------------------------------------------------------------------------------------
    def click(self, selector, timeout=DEFAULT_TIMEOUT_MS):
        """A real pointer click (move, press, release: WebDriver actions) at the centre of the first element
        matching the CSS `selector`, once it is visible, enabled and uncovered. The engine dispatches every
        event and follows links itself; nothing waits for a navigation the click starts."""
        x, y = self.wait_for_function(_CLICK_TARGET, selector, timeout=timeout)
        try:
            self._pointer_click(x, y)
        finally:
            self.flush()

    def close(self):
        with contextlib.suppress(Exception):
            self.flush()
        self._close()

    # What each engine provides ---------------------------------------------------------------------------------
    def _navigate(self, url, wait_until):
        raise NotImplementedError

    def _reload(self, wait_until):
        raise NotImplementedError

    def _go_back(self):
        raise NotImplementedError

    def _url(self):
        raise NotImplementedError

    def _call(self, source, arg_json, budget):
        """Run the _function() `source` with its two arguments; return the JSON text it answers."""
        raise NotImplementedError

    def _add_init_script(self, script):
        raise NotImplementedError

    def _pointer_click(self, x, y):
        raise NotImplementedError

    def _close(self):
        raise NotImplementedError

    def _drain(self):
        """Fetch events the engine does not push (WebKit)."""


def _pointer_actions(x, y):
    return [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
        {"type": "pointerMove", "x": x, "y": y, "origin": "viewport", "duration": 0},
        {"type": "pointerDown", "button": 0},
        {"type": "pointerUp", "button": 0}]}]


class _Browser:
    """What both browsers share: the offline proxy, and which page hears of what it catches."""

    def __init__(self, stack):
        self.proxy = stack.enter_context(contextlib.closing(OfflineProxy()))
        self.proxy.on_blocked = self._blocked
        self.pages = []
        self._unclaimed = []  # blocked while no page was open: the browser's own traffic, told to the next page

    def _blocked(self, url):
        if not self.pages:
            self._unclaimed.append(url)
        for page in list(self.pages):
            page._emit("blocked", url)

    def _opened(self, page):
        self.pages.append(page)
        while self._unclaimed:
            page._emit("blocked", self._unclaimed.pop(0))

    def _closed(self, page):
        self.pages.remove(page)


# ---------------------------------------------------------------------------------------------------------------
# WebKit: classic WebDriver. Each page is its own WebDriver session, i.e. a fresh MiniBrowser process (ephemeral
# storage, empty cache); Xvfb and the driver live as long as the browser.

class WebKitPage(EnginePage):
    """A page in WebKitGTK's MiniBrowser, over classic WebDriver.

    add_init_script has no WebDriver equivalent: the proxy writes the scripts first into the <head> of every HTML
    page it passes through. So they run before the page's scripts in documents fetched over HTTP (top level
    and iframes), but not in about:blank, data: or blob: documents nor under a CSP that forbids inline scripts,
    and they are fixed once the page loaded (a later add_init_script applies to the next document).
    Console messages and page errors are recorded by the page itself (the driver has no log) and read after
    every command: whatever a page logs between the last command and navigating away is lost.
    """

    engine = "webkit"

    def __init__(self, browser, base_url):
        super().__init__(base_url)
        self._browser = browser
        browser.proxy.init_scripts[:] = [_WEBKIT_RECORDER]
        browser.proxy.on_failed = lambda *failure: self._emit("console", _failed_load(*failure))
        address = browser.proxy.address
        capabilities = {"capabilities": {"alwaysMatch": {
            "pageLoadStrategy": "normal",
            "timeouts": {"script": COMMAND_TIMEOUT_S * 1000 - 10_000, "pageLoad": COMMAND_TIMEOUT_S * 1000 - 10_000,
                         "implicit": 0},
            # MiniBrowser starts through env(1) with the proxy in its environment, which GLib applies to every
            # scheme with no exception for localhost: https:// and wss:// reach the proxy as CONNECT, and local
            # pages pass through it. The WebDriver `proxy` capability cannot do both: WebKit reads its sslProxy
            # as TLS to the proxy itself, and without one https:// goes direct.
            "webkitgtk:browserOptions": {"binary": "/usr/bin/env", "args": [
                "http_proxy=http://" + address, "https_proxy=http://" + address, "no_proxy=",
                *JSC_OPTIONS, MINIBROWSER, "--automation"]},
        }}}
        try:
            session = browser.driver("POST", "/session", capabilities, timeout=SESSION_TIMEOUT_S)
        except BrowserFailure:  # a MiniBrowser that did not start (seen once in CI): a new driver starts another
            browser.restart_driver()
            session = browser.driver("POST", "/session", capabilities, timeout=SESSION_TIMEOUT_S)
        self.version = "WebKitGTK " + session["capabilities"]["browserVersion"]
        self._session = "/session/" + session["sessionId"]
        browser._opened(self)

    def _command(self, method, path, body=None):
        return self._browser.driver(method, self._session + path, body)

    def _navigate(self, url, wait_until):
        self._command("POST", "/url", {"url": url})

    def _reload(self, wait_until):
        self._command("POST", "/refresh", {})

    def _go_back(self):
        self._command("POST", "/back", {})

    def _url(self):
        return self._command("GET", "/url")

    def _call(self, source, arg_json, budget):
        return self._command("POST", "/execute/async", {
            "script": "const done = arguments[2]; (%s)(arguments[0], arguments[1]).then(done);" % source,
            "args": [arg_json, budget]})

    def _add_init_script(self, script):
        self._browser.proxy.init_scripts.append(script)

    def _pointer_click(self, x, y):
        self._command("POST", "/actions", {"actions": _pointer_actions(x, y)})
        self._command("DELETE", "/actions")

    def _drain(self):
        try:
            entries = self._command("POST", "/execute/sync", {
                "script": "const log = window.__enginesLog; return log ? log.splice(0) : [];", "args": []})
        except EngineError:
            return  # no document to read from just now (mid-navigation): the next command reads it
        for entry in entries or []:
            if entry["kind"] == "console":
                self._emit("console", ConsoleMessage(entry["type"], entry["text"]))
            else:
                self._emit("pageerror", PageError(entry["text"]))

    def _close(self):
        self._browser._closed(self)
        with contextlib.suppress(EngineError):
            self._command("DELETE", "")


# The driver is on this machine: never reach it through a proxy the environment may name (urllib would).
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class WebKitBrowser(_Browser):
    """Xvfb, WebKitWebDriver and the offline proxy; new_page() starts a MiniBrowser."""

    engine = "webkit"

    def __init__(self, stack):
        super().__init__(stack)
        self._display = stack.enter_context(_xvfb())
        self._driver = None
        stack.callback(lambda: self._driver and _stop(self._driver, group=True))
        self._start_driver()
        self.version = version("webkit")

    def _start_driver(self):
        # In a process group of its own, with the MiniBrowsers it starts: stopping the group stops them all.
        port = _free_port()
        self._driver = subprocess.Popen(
            [WEBKIT_DRIVER, "--port=%d" % port], env={**os.environ, "DISPLAY": self._display},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self._url = "http://127.0.0.1:%d" % port
        _wait_until(lambda: self.driver("GET", "/status")["ready"], "WebKitWebDriver did not start", self._driver)

    def restart_driver(self):
        """Stop the driver and every MiniBrowser it started, and start a new driver."""
        _stop(self._driver, group=True)
        self._start_driver()

    def driver(self, method, path, body=None, timeout=COMMAND_TIMEOUT_S):
        """One WebDriver command; its value, or EngineError (BrowserFailure if the session's page crashed or the
        driver did not answer)."""
        request = urllib.request.Request(self._url + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with _DIRECT.open(request, timeout=timeout) as response:
                return json.load(response)["value"]
        except urllib.error.HTTPError as error:
            value = json.load(error).get("value", {})
            # WebKitWebDriver ends a session whose web process crashed: "session deleted because of page crash or
            # hang", then "invalid session id" for every later command of it.
            failure = BrowserFailure if value.get("error") == "invalid session id" else EngineError
            raise failure("%s: %s" % (value.get("error"), value.get("message"))) from None
        except (urllib.error.URLError, TimeoutError) as error:
            raise BrowserFailure("%s %s: %s" % (method, path, getattr(error, "reason", error))) from None

    def new_page(self, base_url=None):
        return WebKitPage(self, base_url)


@contextlib.contextmanager
def _xvfb():
    """A private X display for MiniBrowser (a GTK window). Xvfb picks a free display number and writes it to a
    pipe (-displayfd), so parallel runs never collide."""
    read, write = os.pipe()
    process = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                               pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield ":" + number
    finally:
        _stop(process)


# ---------------------------------------------------------------------------------------------------------------
# Firefox: WebDriver BiDi. One firefox-esr process per browser; each page is a tab in a user context of its own
# (separate cookies, storage and cache: Playwright's fresh context), removed when the page closes.

# Firefox's remote agent already sets its "recommended preferences" (no updates, telemetry or safe browsing).
_FIREFOX_PREFS = {
    "browser.startup.page": 0,  # start on about:blank, not the new-tab page
    "browser.startup.homepage": "about:blank",
    "browser.newtabpage.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "network.proxy.type": 1,  # manual: the offline proxy, localhost excepted
    "network.proxy.no_proxies_on": "localhost, 127.0.0.1, [::1]",
    "network.proxy.allow_hijacking_localhost": False,
    "network.dns.disablePrefetch": True,
    "network.http.speculative-parallel-limit": 0,
    # What the proxy caught Firefox asking for on its own within a minute: media plug-in updates (from Mozilla and
    # Google) and remote settings (whose server pref only counts with MOZ_REMOTE_SETTINGS_DEVTOOLS set).
    "media.gmp-manager.updateEnabled": False,
    "media.gmp-manager.url": "http://127.0.0.1:9/gmp-off",
    "services.settings.server": "http://127.0.0.1:9/remote-settings-off",
}


class FirefoxPage(EnginePage):
    """A tab in firefox-esr, over WebDriver BiDi. Console messages and errors come from log.entryAdded; error
    answers (>= 400) from network.responseCompleted."""

    engine = "firefox"

    def __init__(self, browser, base_url):
        super().__init__(base_url)
        self._browser = browser
        self._user_context = browser.bidi("browser.createUserContext", {})["userContext"]
        self._context = browser.bidi("browsingContext.create", {
            "type": "tab", "userContext": self._user_context})["context"]
        self.version = browser.version
        browser._opened(self)

    def _navigate(self, url, wait_until):
        self._browser.bidi("browsingContext.navigate", {
            "context": self._context, "url": url, "wait": "complete" if wait_until == "load" else "interactive"})

    def _reload(self, wait_until):
        self._browser.bidi("browsingContext.reload", {
            "context": self._context, "wait": "complete" if wait_until == "load" else "interactive"})

    def _go_back(self):
        self._browser.bidi("browsingContext.traverseHistory", {"context": self._context, "delta": -1})

    def _url(self):
        return self._browser.bidi("browsingContext.getTree", {"root": self._context, "maxDepth": 0})[
            "contexts"][0]["url"]

    def _call(self, source, arg_json, budget):
        result = self._browser.bidi("script.callFunction", {
            "functionDeclaration": source, "awaitPromise": True, "target": {"context": self._context},
            "arguments": [{"type": "null"} if arg_json is None else {"type": "string", "value": arg_json},
                          {"type": "null"} if budget is None else {"type": "number", "value": budget}]})
        if result["type"] == "exception":  # the function catches everything it runs: this is a syntax error
            return json.dumps({"error": result["exceptionDetails"]["text"]})
        return result["result"]["value"]

    def _add_init_script(self, script):
        # A preload script is a function: top-level `var`s in `script` stay local (assign to window to share).
        self._browser.bidi("script.addPreloadScript", {
            "functionDeclaration": "() => {\n%s\n}" % script, "userContexts": [self._user_context]})

    def _pointer_click(self, x, y):
        self._browser.bidi("input.performActions", {"context": self._context, "actions": _pointer_actions(x, y)})
        self._browser.bidi("input.releaseActions", {"context": self._context})

    def _close(self):
        self._browser._closed(self)
        with contextlib.suppress(EngineError):
            self._browser.bidi("browsingContext.close", {"context": self._context})
            self._browser.bidi("browser.removeUserContext", {"userContext": self._user_context})


class FirefoxBrowser(_Browser):
    engine = "firefox"

    def __init__(self, stack):
        from websockets.sync.client import connect  # only Firefox needs it

        super().__init__(stack)
        profile = stack.enter_context(tempfile.TemporaryDirectory(prefix="engines-firefox-"))
        host, port = self.proxy.address.split(":")
        prefs = {**_FIREFOX_PREFS, "network.proxy.http": host, "network.proxy.http_port": int(port),
                 "network.proxy.ssl": host, "network.proxy.ssl_port": int(port)}
        with open(os.path.join(profile, "user.js"), "w") as f:
            f.writelines("user_pref(%s, %s);\n" % (json.dumps(k), json.dumps(v)) for k, v in prefs.items())
        process = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", profile, "--remote-debugging-port=0"],
            env={**os.environ, "MOZ_REMOTE_SETTINGS_DEVTOOLS": "1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        stack.callback(_stop, process)
        url = None
        for line in process.stderr:
            found = re.search(r"WebDriver BiDi listening on (ws://\S+)", line)
            if found:
                url = found.group(1)
                break
        if not url:
            raise RuntimeError("firefox-esr did not start its WebDriver BiDi server")
        threading.Thread(target=process.stderr.read, daemon=True).start()  # keep its stderr pipe from filling
        self._socket = stack.enter_context(connect(url + "/session", max_size=None, open_timeout=30, proxy=None))
        self._next_id, self._pending, self._lock = 0, {}, threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        capabilities = self.bidi("session.new", {"capabilities": {}})["capabilities"]
        stack.callback(self._quit, process)
        self.version = "Firefox " + capabilities["browserVersion"]
        self.bidi("session.subscribe", {"events": ["log.entryAdded", "network.responseCompleted"]})

    def bidi(self, method, params):
        """Send one BiDi command and return its result (EngineError for an error answer)."""
        future = Future()
        with self._lock:
            self._next_id += 1
            self._pending[self._next_id] = future
            message = json.dumps({"id": self._next_id, "method": method, "params": params})
        self._socket.send(message)
        try:
            answer = future.result(timeout=COMMAND_TIMEOUT_S)
        except TimeoutError:
            raise BrowserFailure("no answer to %s within %d s" % (method, COMMAND_TIMEOUT_S)) from None
        if answer.get("type") == "error":
            # A tab whose content process crashed shows Firefox's crash page, a page of the parent process that
            # scripts cannot reach; "connection closed" is Firefox gone (_read).
            crashed = answer["error"] == "connection closed" or "parent process browsing context" in answer["message"]
            failure = BrowserFailure if crashed else EngineError
            raise failure("%s: %s (%s)" % (answer["error"], answer["message"], method))
        return answer["result"]

    def _read(self):
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            for text in self._socket:
                message = json.loads(text)
                if message.get("id") is not None:
                    with self._lock:
                        future = self._pending.pop(message["id"], None)
                    if future:
                        future.set_result(message)
                elif message.get("method") == "log.entryAdded":
                    self._log(message["params"])
                elif message.get("method") == "network.responseCompleted":
                    response = message["params"]["response"]
                    # Firefox asks for /favicon.ico on its own (e.g. on a back/forward cache restore, despite the
                    # page's icon link); Chromium under Playwright never does, so that answer is not the page's.
                    if response["status"] >= 400 and urlsplit(response["url"]).path != "/favicon.ico":
                        self._tell("console", _failed_load(response["status"], response["statusText"],
                                                           response["url"]))
        with self._lock:  # Firefox went away: nobody should wait for an answer that will never come
            for future in self._pending.values():
                future.set_result({"type": "error", "error": "connection closed", "message": "Firefox exited"})
            self._pending.clear()

    def _log(self, entry):
        # "javascript" entries are uncaught exceptions and unhandled rejections, and also the engine's own error
        # reports such as CORS failures, which Chromium logs to the console instead. Only entries with a stack
        # trace count as page errors (a rejection with a DOMException or a network TypeError has none and comes
        # out as a console error: either way the guards fail the test).
        if entry["type"] == "javascript" and entry.get("stackTrace"):
            self._tell("pageerror", PageError(entry["text"]))
        elif entry["type"] == "javascript":
            self._tell("console", ConsoleMessage("error", entry["text"]))
        else:
            method = entry.get("method") or entry.get("level")
            self._tell("console", ConsoleMessage({"warn": "warning"}.get(method, method), entry["text"]))

    def _tell(self, event, value):
        # Pages are open one at a time, so an event is the open page's (a worker's has no browsing context).
        for page in list(self.pages):
            page._emit(event, value)

    def _quit(self, process):
        with contextlib.suppress(EngineError):
            self.bidi("browser.close", {})
        with contextlib.suppress(subprocess.TimeoutExpired):  # if it hangs, _stop kills it
            process.wait(timeout=30)

    def new_page(self, base_url=None):
        return FirefoxPage(self, base_url)


# ---------------------------------------------------------------------------------------------------------------

@contextlib.contextmanager
def launch(engine):
    """Start "webkit" or "firefox" with a fresh profile and its offline proxy. Yields the browser: new_page(base_url)
    opens an EnginePage (close it before opening the next), proxy.blocked lists every refused request."""
    with contextlib.ExitStack() as stack:
        yield {"webkit": WebKitBrowser, "firefox": FirefoxBrowser}[engine](stack)


def available(engine):
    """Whether this machine has what the engine needs."""
    needs = {"chromium": [CHROMIUM], "webkit": [WEBKIT_DRIVER, MINIBROWSER, "Xvfb"], "firefox": [FIREFOX]}[engine]
    return all(shutil.which(path) for path in needs)


def version(engine):
    """The installed engine's name and version, without starting a browser (for pytest's header)."""
    try:
        if engine == "webkit":
            # MiniBrowser --version needs a display; Debian's package of the engine knows its version.
            out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libwebkit2gtk-4.1-0"],
                                 capture_output=True, text=True, timeout=30).stdout
            return "WebKitGTK " + (out.split("-")[0] or "(not installed)")
        out = subprocess.run([{"chromium": CHROMIUM, "firefox": FIREFOX}[engine], "--version"],
                             capture_output=True, text=True, timeout=30).stdout
        return re.sub(r"^Mozilla | built on .*$", "", out.strip()) or "%s (not installed)" % engine
    except OSError as error:
        return "%s (unavailable: %s)" % (engine, error)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(check, message, process, timeout=30):
    """Ask `check()` until it is true; between two asks, wait on `process` (a driver that has not opened its
    port yet gives no other signal), so a driver that exits instead of starting is reported at once."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(EngineError):
            if check():
                return
        if time.monotonic() > deadline:
            raise RuntimeError(message)
        try:
            code = process.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError("%s: it exited with status %s" % (message, code))


def _stop(process, group=False):
    """Stop `process` (and, with group=True, every process of its process group): SIGTERM, then SIGKILL."""
    def signal_it(number):
        with contextlib.suppress(ProcessLookupError):
            if group:
                os.killpg(process.pid, number)
            else:
                process.send_signal(number)

    signal_it(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        signal_it(signal.SIGKILL)
        process.wait()

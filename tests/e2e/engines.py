"""WebKit and Firefox for the e2e tests, behind a small Playwright-like page object.

Playwright drives only its own patched browsers, which cannot be downloaded here, so the two other engines are
driven through the standard protocols their Debian builds speak:

- WebKit: WebKitGTK's MiniBrowser through WebKitWebDriver, classic WebDriver over HTTP (urllib). This build
  refuses the `webSocketUrl` capability ("Failed to match capabilities"): no WebDriver BiDi.
- Gecko: firefox-esr, WebDriver BiDi over a WebSocket (the `websockets` package), no geckodriver needed.

`EnginePage` offers the subset of Playwright's `Page` that engine-neutral tests use: goto, evaluate,
wait_for_function, click (a real pointer click), reload, go_back, url, add_init_script, on("console" |
"pageerror"), close. Values cross as JSON, so evaluate returns what JSON.stringify gives (no handles).
Selectors are CSS only. Everything else Playwright has (locators, expect, route, expect_event) is absent.

Each browser's traffic goes through an `OfflineProxy` that refuses and records every request for a host other
than this machine, so a test can fail on it (the same rule as conftest's route for Chromium).

    with launch("firefox", base_url="http://127.0.0.1:8000") as browser:
        page = browser.new_page()
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

from pageguard import LOCAL_HOSTS, is_local

FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
CHROMIUM = "/usr/bin/chromium"
ENGINES = ("chromium", "webkit", "firefox")
DEFAULT_TIMEOUT_MS = 30_000  # Playwright's default for waits and clicks
POLL_BUDGET_MS = 1_000  # longest one in-page wait before control returns to Python (which retries)


class EngineError(Exception):
    """The driver refused a command (WebDriver or BiDi error), e.g. because the page navigated away meanwhile."""


class EvaluationError(Exception):
    """The page's own JavaScript threw (or a promise rejected) inside evaluate or wait_for_function."""


class WaitTimeout(TimeoutError):
    """A wait ran out of time."""


class ConsoleMessage:
    """What Playwright's console event gives, as far as the guards read it: .type and .text."""

    def __init__(self, type, text):
        self.type, self.text = type, text

    def __repr__(self):
        return "ConsoleMessage(%r, %r)" % (self.type, self.text)


class PageError(Exception):
    """What the "pageerror" event gives: an uncaught exception or an unhandled rejection in the page."""


# ---------------------------------------------------------------------------------------------------------------
# The JavaScript every engine runs. A test's expression is pasted into the function's text, not eval'd, so a
# page whose Content-Security-Policy forbids eval can still be evaluated in, and so that an expression that is
# not a function ("document.title") is read afresh on every poll of wait_for_function, as in Playwright.

def _function(expression):
    """A JS async function of one JSON-text argument that evaluates `expression` the Playwright way and answers
    JSON text: {"value": ...} or {"error": "..."}. With a budget in ms it polls until the value is truthy and
    answers {"pending": true} when the budget is spent."""
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


# Where a click lands: the centre of the element's box, scrolled into view, and only once the element is there,
# visible, enabled and the one the pointer would hit there (Playwright's actionability checks, in short).
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

# WebKitWebDriver exposes no console log, so on WebKit the page records its own console messages and errors in
# a hidden array that the page object reads back (see WebKitPage._drain). It runs as WebKit's first init script.
_WEBKIT_RECORDER = """(() => {
  if (window.__enginesLog) return;
  const log = [];
  Object.defineProperty(window, "__enginesLog", {value: log});
  const text = args => args.map(arg => {
    if (typeof arg === "string") return arg;
    if (arg instanceof Error) return arg.stack ? arg + "\\n" + arg.stack : String(arg);
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
    text: event.error && event.error.stack ? event.error + "\\n" + event.error.stack : event.message}));
  addEventListener("unhandledrejection", event => log.push({kind: "pageerror",
    text: "Uncaught (in promise) " + (event.reason && event.reason.stack
      ? event.reason + "\\n" + event.reason.stack : String(event.reason))}));
})();"""


# ---------------------------------------------------------------------------------------------------------------
# The offline guard: an HTTP (and SOCKS5) proxy that refuses (403, no tunnel) and records every request for a
# host that is not this machine. Firefox bypasses it for localhost; WebKit sends everything through it, because
# on WebKit the proxy is also how init scripts get into a page before its own scripts (see WebKitPage).

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer",
               "transfer-encoding", "upgrade", "content-length"}


class OfflineProxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.blocked = []  # every non-local URL asked for, in order (read with .blocked or on_blocked)
        self.on_blocked = None  # called with each blocked URL, from the proxy's thread
        self.init_scripts = []  # JS put at the top of every local HTML page forwarded (WebKit's init scripts)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def address(self):
        return "127.0.0.1:%d" % self.server_address[1]

    def record(self, url):
        self.blocked.append(url)
        if self.on_blocked:
            self.on_blocked(url)

    def close(self):
        self.shutdown()
        self.server_close()


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the browser expects of a proxy

    def log_message(self, format, *args):
        pass

    def handle(self):
        # WebKit sends https:// and wss:// through a SOCKS5 proxy (its `sslProxy` would mean TLS to the proxy),
        # so the same port answers SOCKS5 too: a SOCKS5 greeting starts with byte 5, no HTTP request does.
        if self.connection.recv(1, socket.MSG_PEEK) == b"\x05":
            return self._refuse_socks()
        return super().handle()

    def _refuse_socks(self):
        read = self.rfile.read
        read(ord(read(2)[1:]))  # version 5, then the client's authentication methods: we take "none"
        self.wfile.write(b"\x05\x00")
        _, _, _, kind = read(4)  # version, command (connect), reserved, address type
        host = {1: lambda: socket.inet_ntop(socket.AF_INET, read(4)), 3: lambda: read(ord(read(1))).decode(),
                4: lambda: "[%s]" % socket.inet_ntop(socket.AF_INET6, read(16))}[kind]()
        port = int.from_bytes(read(2), "big")
        if host not in LOCAL_HOSTS:
            self.server.record("socks5://%s:%d" % (host, port))
        self.wfile.write(b"\x05\x02\x00\x01" + bytes(6))  # "connection not allowed by ruleset"

    def do_CONNECT(self):  # https:// and wss:// ask for a tunnel: nothing we serve needs one, so none is given
        url = "https://" + self.path
        if not is_local(url):
            self.server.record(url)
        self._answer(403, b"offline guard: no tunnels\n")

    def _forward(self):
        url = self.path
        if not url.startswith("http://"):  # a direct request, not a proxy request
            return self._answer(400, b"offline guard: proxy requests only\n")
        if not is_local(url):
            self.server.record(url)
            return self._answer(403, b"offline guard: blocked a request that would leave this machine\n")
        parts = urlsplit(url)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=120)
        try:
            upstream.putrequest(self.command, url[len("%s://%s" % (parts.scheme, parts.netloc)):] or "/",
                                skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in _HOP_BY_HOP:
                    upstream.putheader(name, value)
            if body:
                upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body or None)
            response = upstream.getresponse()
            data = response.read()
            headers = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
            if self.server.init_scripts and response.status == 200 and self.command == "GET" \
                    and response.getheader("Content-Type", "").startswith("text/html"):
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
        finally:
            upstream.close()

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _forward

    def _answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True


def _inject(data, headers, scripts):
    """Put `scripts` first in an HTML page's <head> (each removes its own <script> element once run, so the page's
    DOM is as served). The body is decompressed first if needed, and sent as identity."""
    encoding = dict((k.lower(), v) for k, v in headers).get("content-encoding", "").lower()
    if encoding == "gzip":
        data = gzip.decompress(data)
    elif encoding == "deflate":
        data = zlib.decompress(data)
    elif encoding:
        return data, headers  # an encoding we cannot rewrite: leave the page alone
    tags = "".join("<script>%s\ndocument.currentScript.remove();</script>" % s.replace("</", "<\\/")
                   for s in scripts).encode()
    match = re.search(rb"<head\b[^>]*>", data, re.I) or re.search(rb"<html\b[^>]*>", data, re.I) \
        or re.search(rb"<!doctype[^>]*>", data, re.I)
    at = match.end() if match else 0
    headers = [(k, v) for k, v in headers if k.lower() not in ("content-encoding", "etag")]
    return data[:at] + tags + data[at:], headers


# ---------------------------------------------------------------------------------------------------------------
# The page object. Engine subclasses implement the few primitives at the bottom; everything else is shared.

class EnginePage:
    engine = None

    def __init__(self, base_url=None):
        self.base_url = base_url
        self._listeners = {}
        self._events = queue.SimpleQueue()  # filled from any thread, dispatched on the test's (as Playwright does)

    # Events ------------------------------------------------------------------------------------------------
    def on(self, event, handler):
        """"console" (a ConsoleMessage), "pageerror" (a PageError) and "blocked" (the URL the offline guard
        refused; not a Playwright event). Handlers run on the test's thread, during the page's next call or
        flush()."""
        self._listeners.setdefault(event, []).append(handler)

    def _emit(self, event, value):
        self._events.put((event, value))

    def flush(self):
        """Deliver every event seen so far (call before judging what a page did)."""
        self._drain()
        while True:
            try:
                event, value = self._events.get_nowait()
            except queue.Empty:
                return
            for handler in self._listeners.get(event, []):
                handler(value)

    # Navigation ----------------------------------------------------------------------------------------------
    def goto(self, url, wait_until="load", timeout=DEFAULT_TIMEOUT_MS):
        if wait_until not in ("load", "domcontentloaded"):
            raise ValueError("wait_until must be 'load' or 'domcontentloaded'")
        self.flush()
        self._navigate(urljoin(self.base_url or "", url), wait_until)
        self._wait_loaded(wait_until, timeout)
        self.flush()

    def reload(self, wait_until="load", timeout=DEFAULT_TIMEOUT_MS):
        self.flush()
        self._reload(wait_until)
        self._wait_loaded(wait_until, timeout)
        self.flush()

    def go_back(self, wait_until="load", timeout=DEFAULT_TIMEOUT_MS):
        self.flush()
        self._go_back()
        self._wait_loaded(wait_until, timeout)
        self.flush()

    def _wait_loaded(self, wait_until, timeout):
        # The drivers already wait for the new document; this makes "load" mean the load event has run.
        ready = "document.readyState === 'complete'" if wait_until == "load" else "document.readyState !== 'loading'"
        self.wait_for_function(ready, timeout=timeout)

    @property
    def url(self):
        return self._url()

    # Scripts ------------------------------------------------------------------------------------------------
    def evaluate(self, expression, arg=None):
        """Playwright's evaluate: a function expression is called with `arg`, anything else is evaluated;
        promises are awaited; the result comes back through JSON (undefined gives None)."""
        answer = self._run(_function(expression), json.dumps(arg) if arg is not None else None, None)
        self.flush()
        return answer.get("value")

    def wait_for_function(self, expression, arg=None, timeout=DEFAULT_TIMEOUT_MS):
        """Wait until `expression` (as in evaluate) is truthy and return that value. The page polls it; if the
        page navigates meanwhile the driver errors and the wait simply starts again in the new document."""
        deadline = time.monotonic() + timeout / 1000
        source, arg_json = _function(expression), json.dumps(arg) if arg is not None else None
        last_error = None
        while True:
            budget = max(0, min(POLL_BUDGET_MS, (deadline - time.monotonic()) * 1000))
            try:
                answer = self._run(source, arg_json, budget)
                if not answer.get("pending"):
                    self.flush()
                    return answer.get("value")
            except EngineError as error:  # the document went away mid-poll: try again in the next one
                last_error = error
            if time.monotonic() >= deadline:
                self.flush()
                raise WaitTimeout("wait_for_function timed out after %d ms: %s%s" % (
                    timeout, expression, " (last driver error: %s)" % last_error if last_error else ""))

    def _run(self, source, arg_json, budget):
        answer = json.loads(self._call(source, arg_json, budget))
        if "error" in answer:
            self.flush()
            raise EvaluationError(answer["error"])
        return answer

    def add_init_script(self, script):
        """Run `script` (JS source text) in every document loaded from now on, before the page's own scripts."""
        self._add_init_script(script)

    # Input -------------------------------------------------------------------------------------------------
    def click(self, selector, timeout=DEFAULT_TIMEOUT_MS):
        """A real pointer click (move, press, release) at the centre of the first element matching the CSS
        `selector`, once it is visible, enabled and not covered. The engine itself dispatches every event and
        follows a link; nothing waits for a navigation the click starts."""
        x, y = self.wait_for_function(_CLICK_TARGET, selector, timeout=timeout)
        self._pointer_click(x, y)
        self.flush()

    def close(self):
        with contextlib.suppress(Exception):
            self.flush()
        self._close()

    # What each engine provides -------------------------------------------------------------------------------
    def _navigate(self, url, wait_until): raise NotImplementedError
    def _reload(self, wait_until): raise NotImplementedError
    def _go_back(self): raise NotImplementedError
    def _url(self): raise NotImplementedError
    def _call(self, source, arg_json, budget): raise NotImplementedError  # -> the function's JSON answer
    def _add_init_script(self, script): raise NotImplementedError
    def _pointer_click(self, x, y): raise NotImplementedError
    def _close(self): raise NotImplementedError

    def _drain(self):  # engines that have to fetch their events (WebKit) do it here
        pass


def _pointer_actions(x, y):
    return [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
        {"type": "pointerMove", "x": x, "y": y, "origin": "viewport", "duration": 0},
        {"type": "pointerDown", "button": 0},
        {"type": "pointerUp", "button": 0}]}]


# ---------------------------------------------------------------------------------------------------------------
# WebKit: classic WebDriver. One WebDriver session per page, i.e. a fresh MiniBrowser process (ephemeral
# storage, empty cache) for every page; the driver and Xvfb live as long as the browser object.

class WebKitPage(EnginePage):
    """A page in WebKitGTK's MiniBrowser, over classic WebDriver (HTTP, JSON).

    add_init_script has no WebDriver equivalent here: the proxy writes the scripts into every HTML response it
    forwards, first thing in <head>. So they run before the page's scripts in documents fetched over HTTP
    (top-level and iframes), but not in about:blank, data: or blob: documents, nor in pages whose CSP forbids
    inline scripts, and a page restored from the back/forward cache keeps the scripts it had (as anywhere).
    """

    engine = "webkit"

    def __init__(self, browser, base_url):
        super().__init__(base_url)
        self._browser = browser
        browser.proxy.init_scripts[:] = [_WEBKIT_RECORDER]
        session = browser.driver("POST", "/session", {"capabilities": {"alwaysMatch": {
            "pageLoadStrategy": "normal",
            "timeouts": {"script": 600_000, "pageLoad": 300_000, "implicit": 0},
            # No noProxy: every request, local ones included, goes through the proxy (see add_init_script).
            "proxy": {"proxyType": "manual", "httpProxy": browser.proxy.address,
                      "socksProxy": browser.proxy.address, "socksVersion": 5},
            "webkitgtk:browserOptions": {"binary": MINIBROWSER, "args": ["--automation"]},
        }}})
        self.version = session["capabilities"]["browserVersion"]
        self._session = "/session/" + session["sessionId"]

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
        # Reads and empties the page's own record; what a page logged after the last call before it navigated
        # away is lost (WebDriver has no event to catch it with).
        try:
            entries = self._command("POST", "/execute/sync", {
                "script": "const log = window.__enginesLog; return log ? log.splice(0) : [];", "args": []})
        except EngineError:
            return
        for entry in entries or []:
            if entry["kind"] == "console":
                self._emit("console", ConsoleMessage(entry["type"], entry["text"]))
            else:
                self._emit("pageerror", PageError(entry["text"]))

    def _close(self):
        with contextlib.suppress(EngineError):
            self._command("DELETE", "")


# The driver is on this machine: never reach it through a proxy the environment may name (urllib would).
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class WebKitBrowser:
    """Xvfb, WebKitWebDriver and the offline proxy; new_page() starts a MiniBrowser."""

    engine = "webkit"

    def __init__(self, stack):
        self.proxy = stack.enter_context(contextlib.closing(OfflineProxy()))
        display = stack.enter_context(_xvfb())
        port = _free_port()
        driver = subprocess.Popen([WEBKIT_DRIVER, "--port=%d" % port], env={**os.environ, "DISPLAY": display},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stack.callback(_stop, driver)
        self._url = "http://127.0.0.1:%d" % port
        _wait_until(lambda: self.driver("GET", "/status")["ready"], "WebKitWebDriver did not start")
        self.version = "WebKitGTK " + _webkit_version()

    def driver(self, method, path, body=None):
        request = urllib.request.Request(self._url + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with _NO_PROXY.open(request, timeout=900) as response:
                return json.load(response)["value"]
        except urllib.error.HTTPError as error:
            value = json.load(error).get("value", {})
            raise EngineError("%s: %s" % (value.get("error"), value.get("message"))) from None
        except urllib.error.URLError as error:
            raise EngineError(str(error)) from None

    def new_page(self, base_url=None):
        return WebKitPage(self, base_url)


@contextlib.contextmanager
def _xvfb():
    """A private X display (MiniBrowser is a GTK window). Xvfb picks a free display number and writes it to a
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
# Firefox: WebDriver BiDi. One firefox-esr process per browser; each page is a tab in its own user context
# (separate cookies, storage and cache: Playwright's fresh context), removed when the page closes.

# Firefox's remote agent already applies its "recommended preferences" (no updates, telemetry, safe browsing,
# ...). These add what it leaves on, and route everything but localhost through the offline proxy.
_FIREFOX_PREFS = {
    "browser.startup.page": 0,  # start on about:blank, not the new-tab page
    "browser.startup.homepage": "about:blank",
    "browser.newtabpage.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "network.proxy.type": 1,  # manual
    "network.proxy.no_proxies_on": "localhost, 127.0.0.1, [::1]",
    "network.proxy.allow_hijacking_localhost": False,
    "network.proxy.share_proxy_settings": True,
    "network.dns.disablePrefetch": True,
    "network.http.speculative-parallel-limit": 0,
}


class FirefoxPage(EnginePage):
    engine = "firefox"

    def __init__(self, browser, base_url):
        super().__init__(base_url)
        self._browser = browser
        self._user_context = browser.bidi("browser.createUserContext", {})["userContext"]
        self._context = browser.bidi("browsingContext.create", {
            "type": "tab", "userContext": self._user_context})["context"]
        self.version = browser.version
        browser.pages.append(self)

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
        if result["type"] == "exception":  # our function catches everything, so this is a syntax error
            raise EvaluationError(result["exceptionDetails"]["text"])
        return result["result"]["value"]

    def _add_init_script(self, script):
        # A function body, not a classic script: top-level `var`s stay local; assign to window to share.
        self._browser.bidi("script.addPreloadScript", {
            "functionDeclaration": "() => {\n%s\n}" % script, "userContexts": [self._user_context]})

    def _pointer_click(self, x, y):
        self._browser.bidi("input.performActions", {"context": self._context, "actions": _pointer_actions(x, y)})
        self._browser.bidi("input.releaseActions", {"context": self._context})

    def _close(self):
        self._browser.pages.remove(self)
        with contextlib.suppress(EngineError):
            self._browser.bidi("browsingContext.close", {"context": self._context})
            self._browser.bidi("browser.removeUserContext", {"userContext": self._user_context})


class FirefoxBrowser:
    engine = "firefox"

    def __init__(self, stack):
        from websockets.sync.client import connect  # only Firefox needs it

        self.proxy = stack.enter_context(contextlib.closing(OfflineProxy()))
        self.pages = []
        profile = stack.enter_context(tempfile.TemporaryDirectory(prefix="rtp-firefox-"))
        prefs = {**_FIREFOX_PREFS}
        for scheme in ("http", "ssl"):
            host, port = self.proxy.address.split(":")
            prefs["network.proxy.%s" % scheme], prefs["network.proxy.%s_port" % scheme] = host, int(port)
        with open(os.path.join(profile, "user.js"), "w") as f:
            f.writelines("user_pref(%s, %s);\n" % (json.dumps(k), json.dumps(v)) for k, v in prefs.items())
        process = subprocess.Popen([FIREFOX, "--headless", "--no-remote", "--profile", profile,
                                    "--remote-debugging-port=0"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        stack.callback(_stop, process)
        url = None
        for line in process.stderr:  # Firefox says where it listens, then keeps talking: drain it in the background
            found = re.search(r"WebDriver BiDi listening on (ws://\S+)", line)
            if found:
                url = found.group(1)
                break
        if not url:
            raise RuntimeError("firefox-esr did not start its WebDriver BiDi server")
        threading.Thread(target=process.stderr.read, daemon=True).start()
        self._socket = stack.enter_context(connect(url + "/session", max_size=None, open_timeout=30, proxy=None))
        self._next_id, self._pending, self._lock = 0, {}, threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        capabilities = self.bidi("session.new", {"capabilities": {}})["capabilities"]
        stack.callback(self._quit, process)
        self.version = "Firefox " + capabilities["browserVersion"]
        self.bidi("session.subscribe", {"events": ["log.entryAdded"]})

    def bidi(self, method, params):
        """Send one BiDi command and return its result (raising EngineError on an error answer)."""
        future = Future()
        with self._lock:
            self._next_id += 1
            self._pending[self._next_id] = future
            message = json.dumps({"id": self._next_id, "method": method, "params": params})
        self._socket.send(message)
        answer = future.result(timeout=900)
        if answer.get("type") == "error":
            raise EngineError("%s: %s (%s)" % (answer["error"], answer["message"], method))
        return answer["result"]

    def _read(self):
        from websockets.exceptions import ConnectionClosed

        try:
            for text in self._socket:
                message = json.loads(text)
                if "id" in message and message["id"] is not None:
                    with self._lock:
                        future = self._pending.pop(message["id"], None)
                    if future:
                        future.set_result(message)
                elif message.get("method") == "log.entryAdded":
                    self._log(message["params"])
        except ConnectionClosed:
            pass
        with self._lock:  # the browser went away: nobody waits for an answer that will never come
            for future in self._pending.values():
                future.set_result({"type": "error", "error": "connection closed", "message": "Firefox exited"})
            self._pending.clear()

    def _log(self, entry):
        # Pages run one at a time, so every entry (a worker's too, which has no browsing context) is the open
        # page's. "javascript" entries are uncaught errors and unhandled rejections: Playwright's pageerror.
        for page in list(self.pages):
            if entry["type"] == "javascript":
                page._emit("pageerror", PageError(entry["text"]))
            else:
                method = entry.get("method") or entry.get("level")
                page._emit("console", ConsoleMessage({"warn": "warning"}.get(method, method), entry["text"]))

    def new_page(self, base_url=None):
        return FirefoxPage(self, base_url)

    def _quit(self, process):
        with contextlib.suppress(EngineError):
            self.bidi("browser.close", {})
        with contextlib.suppress(subprocess.TimeoutExpired):  # _stop kills it then
            process.wait(timeout=30)


# ---------------------------------------------------------------------------------------------------------------

@contextlib.contextmanager
def launch(engine):
    """Start "webkit" or "firefox" with a fresh profile and its offline proxy; yields the browser, whose
    new_page(base_url) opens an EnginePage and whose proxy.blocked lists every refused request."""
    browsers = {"webkit": WebKitBrowser, "firefox": FirefoxBrowser}
    with contextlib.ExitStack() as stack:
        browser = browsers[engine](stack)
        yield browser


def version(engine):
    """The installed engine's version, without starting a browser (for pytest's header)."""
    try:
        if engine == "webkit":
            return "WebKitGTK " + _webkit_version()
        command = {"chromium": [CHROMIUM, "--version"], "firefox": [FIREFOX, "--version"]}[engine]
        out = subprocess.run(command, capture_output=True, text=True, timeout=30).stdout
        return re.sub(r"^Mozilla | built on .*$", "", out.strip())
    except (OSError, subprocess.SubprocessError) as error:
        return "%s (unavailable: %s)" % (engine, error)


def _webkit_version():
    # MiniBrowser --version needs a display; the package that ships the engine knows its version (Debian).
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libwebkit2gtk-4.1-0"],
                         capture_output=True, text=True, timeout=30).stdout
    return out.split("-")[0] or "(not installed)"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(check, message, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except EngineError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(message)
        time.sleep(0.05)  # start-up poll of a driver that is not listening yet


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def available(engine):
    """Whether this machine has the engine installed (tests skip the others)."""
    needs = {"chromium": [CHROMIUM], "webkit": [WEBKIT_DRIVER, MINIBROWSER, "Xvfb"], "firefox": [FIREFOX]}[engine]
    return all(shutil.which(path) for path in needs)

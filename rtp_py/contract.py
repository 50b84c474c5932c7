"""The page contract: every operation rtp_py asks of the page, in one class (httpx's `BaseTransport` idea).

Three pages implement it, and a unit test fails if their methods or signatures differ from `Page`'s:

- `rtp_py.bridge.BrowserPage`, the real page, through PyScript's bridge and rtp_py/kit.js;
- `NoPage` (below), plain Python, where there is no page: page-only operations raise `BrowserRequired`, the
  console is stderr, and the page's switches are off;
- `tests/unit/fakepage.py`'s `FakePage`, a small fake of the page for the unit tests.

Every other module reaches the page through `rtp_py.bridge.current()`, never through `pyscript` or `js`.
"""

import sys

from .errors import BrowserRequired

TYPE_CHECKING = False  # typing is not there on MicroPython: its names are for the type checker only
if TYPE_CHECKING:
    from typing import Any, Callable

    from .outcome import Outcome


class Page:
    """What rtp_py needs from the page. Each method says what it does; none of them raises into the page."""

    # --- the tag
    def send_event(self, value: "str | list[str]") -> "Outcome":
        """Call `rtp("send", "event", {value: value})`; `value` is a validated str or list of str. Returns the
        call's `Outcome`: SENT, QUEUED (rtp was missing: the documented queue stub was installed), or a tag
        error (rtp threw, or could not be read)."""
        raise NotImplementedError

    def call(self, args: "tuple[Any, ...]") -> "Outcome":
        """Call `rtp(*args)`: plain data and Python callables (a `Reply` is answered at most once). Returns the
        call's `Outcome`, like `send_event`."""
        raise NotImplementedError

    def live_relays(self) -> int:
        """How many callbacks relayed to rtp are still alive on the page."""
        raise NotImplementedError

    def insert_tag(self, src: str, pod: str, account: str, query: str, e: str) -> bool:
        """Insert Marketo's tag (queue stub, `rtp.a`, `rtp.p` if `pod`, `rtp.e` if `e`, an async script for
        `src`, with the query `query` builds: "rh", "aid" or ""). True if inserted, False if already there."""
        raise NotImplementedError

    def user_agent_matches(self, pattern: str, field: str) -> bool:
        """True if the browser's user agent matches `pattern` (a JavaScript regular expression, without case);
        a pattern that does not compile is a `ValidationError` on `field`."""
        raise NotImplementedError

    # --- elements and clicks
    def query_all(self, selector: str) -> "list[Any]":
        """The elements matching a CSS selector, as a list; a bad selector is a `ValidationError`."""
        raise NotImplementedError

    def has_elements(self, selector: str) -> bool:
        """True if any element matches `selector` (False for a bad one)."""
        raise NotImplementedError

    def listen(self, target: "Any", event_type: str, handler: "Callable[[Any], object]",
               capture: bool = False) -> "Callable[[], None]":
        """Add a listener calling `handler(event)` on `target` (None: the document); return a function that
        removes it. The handler stays alive until then."""
        raise NotImplementedError

    def declarative_target(self, event: "Any", selector: str, attribute: str,
                           once_attribute: str) -> "tuple[Any, Any, bool] | None":
        """For a click event: (element, its attribute's text or the `ValidationError` it stands for, once) of
        the closest element matching `selector`, or None."""
        raise NotImplementedError

    def describe(self, element: "Any") -> str:
        """A short CSS-like name for an element, for log messages: `button#download`."""
        raise NotImplementedError

    def first_report(self, element: "Any") -> bool:
        """True the first time it is asked about `element` (so a bad element is reported once per page)."""
        raise NotImplementedError

    def claim_binding(self, element: "Any", key: str) -> bool:
        """True if `element` is not yet bound for `key` (and mark it bound); False for a duplicate. Page-wide:
        every interpreter and copy of rtp_py shares it."""
        raise NotImplementedError

    def release_binding(self, element: "Any", key: str) -> None:
        """Forget that `element` is bound for `key`."""
        raise NotImplementedError

    # --- start-up
    def claim(self) -> bool:
        """True for the first rtp_py to start on this page (any interpreter), False afterwards."""
        raise NotImplementedError

    def drain_captured(self, attribute: str) -> "tuple[list[tuple[Any, Any, bool, str]], int]":
        """Take the clicks captured before start, oldest first: (clicks, over). Each click is (element or None,
        attribute text or its `ValidationError`, once, description); `over` counts clicks not kept."""
        raise NotImplementedError

    def mark_ready(self) -> None:
        """Add the class `rtp-ready` to `<html>`: the page's signal that tracking is live."""
        raise NotImplementedError

    def run_soon(self, coroutine: "Any") -> "Any":
        """Run a coroutine on the page's event loop."""
        raise NotImplementedError

    # --- storage (the tab's sessionStorage)
    def session_seen(self, key: str) -> bool:
        """True if `key` is in sessionStorage (False if storage is unavailable)."""
        raise NotImplementedError

    def session_remember(self, key: str) -> bool:
        """Store `key`; False if storage is unavailable (private mode, disabled, full)."""
        raise NotImplementedError

    def cached_visitor(self) -> str:
        """rtp's last answer to get visitor in this tab (JSON text), or "" if none."""
        raise NotImplementedError

    def cache_visitor(self, text: str) -> bool:
        """Keep rtp's answer (JSON text) for the next page of this tab; False if storage is unavailable."""
        raise NotImplementedError

    def forget_stored(self) -> bool:
        """Remove every `rtp_py:` key from sessionStorage; False if storage is unavailable."""
        raise NotImplementedError

    # --- personalisation
    def show_segments(self, names: "list[str]") -> bool:
        """Show the `data-rtp-segment` blocks of these segments (and hide the defaults beside them)."""
        raise NotImplementedError

    # --- consent
    def settings(self) -> "dict[str, Any]":
        """The `[rtp_py]` table of the page's PyScript config, as a dict ({} if none)."""
        raise NotImplementedError

    def consent_state(self) -> str:
        """The page-wide consent state ("" if no interpreter set one yet)."""
        raise NotImplementedError

    def html_consent(self) -> str:
        """`<html data-rtp-consent>`: the starting state a page declares for the capture snippet too."""
        raise NotImplementedError

    def set_consent(self, state: str) -> None:
        """Make `state` the page-wide consent state; the other interpreters' watchers are told."""
        raise NotImplementedError

    def watch_consent(self, handler: "Callable[[str], object]") -> None:
        """Call `handler(state)` when another interpreter changes the page-wide state."""
        raise NotImplementedError

    def gpc(self) -> bool:
        """True if the browser sends Global Privacy Control."""
        raise NotImplementedError

    def follow(self, platform: str, wanted: "dict[str, Any]", answer: "Callable[[Any], object]") -> None:
        """Follow consent platform `platform` (rtp_py/consent.js), calling `answer(snapshot)` with each of its
        snapshots; `wanted` says what to read."""
        raise NotImplementedError

    # --- logging
    def debug_switch(self) -> bool:
        """True if `<html data-rtp-debug>` is set or the config has `[rtp_py] debug = true`."""
        raise NotImplementedError

    def console(self, level: str, message: str) -> None:
        """Write `message` to the console at `level` ("debug", "info", "warn")."""
        raise NotImplementedError

    def announce(self, name: str, kind: str, value: "Any" = None, reason: "str | None" = None,
                 call: "Any" = None) -> None:
        """Dispatch the DOM event `rtp-py:<name>` on document with `{kind, value, reason}` (and `call`)."""
        raise NotImplementedError


def _needs_a_page(name):
    return BrowserRequired(
        "%s() needs a page running PyScript; in plain Python pass rtp=<callable> to Tracker" % name)


class NoPage(Page):
    """The page in plain Python (CPython, a server, the unit tests' default): PyScript's `NotSupported` idea.
    What needs a page raises `BrowserRequired`; the console is stderr; storage, config and platforms are
    absent; the consent state is this process's."""

    def __init__(self):
        self._consent = ""

    def send_event(self, value):
        raise _needs_a_page("send_event")

    def call(self, args):
        raise _needs_a_page("call")

    def insert_tag(self, src, pod, account, query, e):
        raise _needs_a_page("insert_tag")

    def user_agent_matches(self, pattern, field):
        raise _needs_a_page("user_agent_matches")

    def query_all(self, selector):
        raise _needs_a_page("query_all")

    def listen(self, target, event_type, handler, capture=False):
        raise _needs_a_page("listen")

    def declarative_target(self, event, selector, attribute, once_attribute):
        raise _needs_a_page("declarative_target")

    def describe(self, element):
        raise _needs_a_page("describe")

    def first_report(self, element):
        raise _needs_a_page("first_report")

    def claim_binding(self, element, key):
        raise _needs_a_page("claim_binding")

    def release_binding(self, element, key):
        raise _needs_a_page("release_binding")

    def claim(self):
        raise _needs_a_page("claim")

    def drain_captured(self, attribute):
        raise _needs_a_page("drain_captured")

    def mark_ready(self):
        raise _needs_a_page("mark_ready")

    def run_soon(self, coroutine):
        raise _needs_a_page("run_soon")

    def show_segments(self, names):
        raise _needs_a_page("show_segments")

    def follow(self, platform, wanted, answer):
        raise _needs_a_page("follow")

    def live_relays(self):
        return 0

    def has_elements(self, selector):
        return False

    def session_seen(self, key):  # no sessionStorage: once-per-session memory stays in Python
        return False

    def session_remember(self, key):
        return False

    def cached_visitor(self):
        return ""

    def cache_visitor(self, text):
        return False

    def forget_stored(self):
        return False

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

    def gpc(self):
        return False

    def debug_switch(self):
        return False

    def console(self, level, message):
        print(message, file=sys.stderr)

    def announce(self, name, kind, value=None, reason=None, call=None):
        pass

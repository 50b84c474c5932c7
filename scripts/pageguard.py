"""What must never happen in a page we test or measure, in one place for the e2e tests and the bench.

- A request whose host is not this machine (no CDN, no tracker, no download at run time).
- A page error, a console error, or a Python traceback in the console.

    >>> is_local("http://127.0.0.1:8000/demo/"), is_local("https://cdn.example/x.js")
    (True, False)
    >>> is_problem("error", "anything"), is_problem("log", "Traceback (most recent call last):")
    (True, True)
"""

import re
from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
TRACEBACK = "Traceback (most recent call last)"


def is_local(url):
    """True for a URL on this machine (and for data:, blob: and about: URLs, which make no request)."""
    if not url.startswith(("http:", "https:", "ws:", "wss:")):
        return True
    return (urlsplit(url).hostname or "") in LOCAL_HOSTS


def is_problem(message_type, text):
    """True for a console message that means something broke: an error, or a Python traceback."""
    return message_type == "error" or TRACEBACK in text


class PageGuard:
    """Records what must never happen in a page: external requests, page errors, Python tracebacks."""

    def __init__(self):
        self.external = []
        self.problems = []
        self._allowed = []

    def allow(self, pattern):
        """Let console errors matching `pattern` through (for tests that provoke them on purpose)."""
        self._allowed.append(re.compile(pattern))

    def route(self, route):
        if is_local(route.request.url):
            route.fallback()
        else:
            self.external.append(route.request.url)
            route.abort("blockedbyclient")

    def on_request(self, request):
        """Playwright's request event: record a request that leaves this machine (the proxy refuses it)."""
        if not is_local(request.url):
            self.external.append(request.url)

    def on_console(self, message):
        text = message.text
        if is_problem(message.type, text):
            if not any(p.search(text) for p in self._allowed):
                self.problems.append("console %s: %s" % (message.type, text))

    def on_page_error(self, error):
        self.problems.append("page error: %s" % error)

    def check(self):
        assert not self.external, "requests left localhost: %s" % self.external
        assert not self.problems, "\n".join(self.problems)

"""Browser fixtures: our static server, Debian's Chromium, an offline guard and a console guard.

The helpers the tests share are in pagetools.py: a test module imports them from there, never from this file
(the unit tests have a conftest too). Every e2e test gets a fresh page whose requests are all routed: anything
not on 127.0.0.1/localhost is aborted and recorded, and any page error, console error or Python traceback is
recorded too; the test fails if either list is non-empty when its body ends.
"""

import pytest

from chromium import CHROMIUM, QUIET_CHROMIUM_ARGS
from pageguard import PageGuard
from pagetools import INTERPRETERS, open_index
from serve import serve_in_background

@pytest.fixture(scope="session")
def server():
    srv = serve_in_background(port=0, verbose=False)
    yield srv
    srv.shutdown()


@pytest.fixture(scope="session")
def base_url(server):
    host, port = server.server_address[:2]
    return "http://%s:%d" % (host, port)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *QUIET_CHROMIUM_ARGS],
    }


@pytest.fixture(autouse=True)
def page_guard(context, page):
    guard = PageGuard()
    context.route("**/*", guard.route)
    page.on("console", guard.on_console)
    page.on("pageerror", guard.on_page_error)
    return guard


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    guard = item.funcargs.get("page_guard")
    if guard is not None:
        guard.check()
    return result


@pytest.fixture(params=INTERPRETERS)
def interpreter(request):
    """Each test that uses it runs on Pyodide ("py") and on MicroPython ("mpy"), same rtp_py code."""
    return request.param


@pytest.fixture
def ready_page(page, base_url, interpreter):
    """index.html, loaded on the test's interpreter and with tracking live."""
    return open_index(page, base_url, interpreter)

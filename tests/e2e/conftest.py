"""Browser fixtures: our static server, Debian's Chromium, an offline guard and a console guard.

The helpers the tests share are in pagetools.py: a test module imports them from there, never from this file
(the unit tests have a conftest too).

Each test process runs one Chromium with one on-disk profile (`chromium`), and every test gets a fresh page in
it, its own sessionStorage (a new tab is a new browser session), and nothing left of the test before: at the
end of each test its pages are closed, its routes dropped, and the origin's cookies and storage cleared. Only
the HTTP cache stays, so V8 keeps the interpreters' compiled WebAssembly between tests (its code cache works in
an on-disk profile only): a Pyodide page started in about 2 s instead of 3.5 (CONTRIBUTING.md, "How the tests
work"; before Pyodide's start-up modules were compiled).

The offline guard: Chromium sends everything but this machine's requests to engines.OfflineProxy, which refuses
them, and every request a page of the test makes is checked; one that is not on 127.0.0.1/localhost fails the
test, as does any page error, console error or Python traceback.

A browser that fails a test is not the behaviour failing: a test whose page's process crashed (Chromium's
renderer, WebKit's web process, a Firefox tab) or whose WebKit or Firefox stopped answering is run once more, in a
fresh page (pytest-rerunfailures; the summary lists it as "rerun", with the first try's error). Nothing else is
run again: an assertion, a timeout in a page that answers, a page error or a blocked request fails at once.
"""

import contextlib
import re
from pathlib import Path

import pytest

from chromium import CHROMIUM, QUIET_CHROMIUM_ARGS
from engines import BrowserFailure, OfflineProxy
from pageguard import LOCAL_HOSTS
from pagetools import INTERPRETERS, TestServerHandler, guarded, open_index
from serve import serve_in_background

# What a test may leave in the browser, cleared after each one (everything but the HTTP cache).
STORAGE_TYPES = "cookies,local_storage,indexeddb,service_workers,cache_storage,file_systems,websql"

# The errors that say the browser failed the test (see above): Playwright's words when Chromium's renderer for
# the page died, and engines.BrowserFailure for WebKit and Firefox.
BROWSER_FAILURES = [r"\bPage crashed\b", r"\bTarget crashed\b", BrowserFailure]


def pytest_collection_modifyitems(config, items):
    """Every browser test is run once more if its browser failed it (BROWSER_FAILURES), and only then."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=BROWSER_FAILURES))


@pytest.fixture(scope="session")
def server():
    srv = serve_in_background(port=0, verbose=False, handler=TestServerHandler)
    yield srv
    srv.shutdown()


@pytest.fixture(autouse=True)
def _served_pages():
    """What a test served with pagetools.serve_page is gone when it ends."""
    yield
    TestServerHandler.pages.clear()


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


@pytest.fixture(scope="session")
def chromium(browser_type, browser_type_launch_args, base_url, tmp_path_factory):
    """This test process's Chromium: one persistent context whose only proxy is the offline guard's, for every
    host but this machine's (pageguard.LOCAL_HOSTS; Playwright would send 127.0.0.1's requests through it too,
    so that every file of every page crossed this Python proxy). Every request the test's pages make is checked
    as well (pagetools.guarded)."""
    with contextlib.closing(OfflineProxy()) as proxy:
        context = browser_type.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), **browser_type_launch_args, base_url=base_url,
            proxy={"server": "http://" + proxy.address, "bypass": ",".join(sorted(LOCAL_HOSTS))})
        yield context
        context.close()


@pytest.fixture(scope="session")
def devtools(chromium):
    """A DevTools session on the profile's first tab, a blank page that stays open for the whole run."""
    return chromium.new_cdp_session(chromium.pages[0])


@pytest.fixture
def context(chromium, devtools, base_url, request):
    """The browser context a test uses; what the test leaves in it is gone when it ends."""
    kept = set(chromium.pages)
    tracing = request.config.getoption("--tracing")
    if tracing != "off":
        chromium.tracing.start(screenshots=True, snapshots=True, sources=True)
    yield chromium
    failed = any(getattr(getattr(request.node, "rep_" + when, None), "failed", False) for when in ("setup", "call"))
    folder = _artifacts(request)
    if tracing != "off":
        chromium.tracing.stop(path=folder + "/trace.zip" if failed or tracing == "on" else None)
    pages = [page for page in chromium.pages if page not in kept]
    if failed and request.config.getoption("--screenshot") != "off":
        for number, page in enumerate(pages, 1):
            with contextlib.suppress(Exception):
                page.screenshot(path="%s/test-failed-%d.png" % (folder, number), timeout=5_000)
    chromium.unroute_all(behavior="ignoreErrors")
    for page in pages:
        page.close()
    devtools.send("Storage.clearDataForOrigin", {"origin": base_url, "storageTypes": STORAGE_TYPES})
    chromium.clear_cookies()


@pytest.fixture
def page(context):
    """A fresh page (a new tab, so a new sessionStorage)."""
    return context.new_page()


def _artifacts(request):
    return "%s/%s" % (request.config.getoption("--output"), re.sub(r"[^\w.-]+", "-", request.node.nodeid).strip("-"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, "rep_" + report.when, report)
    return report


@pytest.fixture(autouse=True)
def page_guard(context, page):
    with guarded(context, page) as guard:
        yield guard


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
def ready_page(page, interpreter):
    """index.html, loaded on the test's interpreter and with tracking live."""
    return open_index(page, interpreter)

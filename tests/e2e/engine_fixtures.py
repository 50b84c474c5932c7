"""pytest fixtures that run one test body on Chromium, WebKit and Firefox (a pytest plugin module).

A test asks for `engine_page`: on "chromium" it is pytest-playwright's `page`, on "webkit" and "firefox" an
engines.EnginePage with the same subset of the API. `engine_guard` holds each engine to conftest's rules
(PageGuard): a request leaving this machine, a page error, a console error or a Python traceback fails the test.

The `engine` parameter is session-scoped, so pytest runs every test of one engine before the next engine and
at most one WebKit or Firefox is running at any time; each is closed before the next starts. (pytest-playwright's
Chromium, once started, stays up idle until the session ends.)

It is loaded for the whole suite (`-p engine_fixtures` in pyproject.toml's addopts). A test module that runs on
every engine points conftest's autouse page_guard (which opens a Chromium page) at the engine's guard:

    @pytest.fixture
    def page_guard(engine_guard):
        return engine_guard

PYTEST_DONT_REWRITE: this module has no asserts of its own, and --doctest-modules imports it before a test module
makes it a plugin, which would make pytest warn that it cannot rewrite it.
"""

import pytest

from pageguard import PageGuard
from engines import ENGINES, available, launch
from pagetools import guarded


@pytest.fixture(scope="session", params=ENGINES)
def engine(request):
    if not available(request.param):
        pytest.fail("%s is not installed (scripts/setup.sh installs it)" % request.param, pytrace=False)
    return request.param


@pytest.fixture(scope="session")
def engine_browser(engine):
    """The running WebKit or Firefox (None for Chromium, which pytest-playwright runs)."""
    if engine == "chromium":
        yield None
        return
    with launch(engine) as browser:
        yield browser


@pytest.fixture
def engine_page(request, engine, engine_browser, base_url):
    """A fresh page on the test's engine, its relative URLs resolved against base_url."""
    if engine == "chromium":
        yield request.getfixturevalue("page")
        return
    page = engine_browser.new_page(base_url)
    yield page
    page.close()


class EngineGuard(PageGuard):
    """PageGuard fed by an EnginePage: its events arrive when it is flushed, so check() flushes first."""

    def __init__(self, page):
        super().__init__()
        self._page = page
        page.on("console", self.on_console)
        page.on("pageerror", self.on_page_error)
        page.on("blocked", self.external.append)

    def check(self):
        self._page.flush()
        super().check()


@pytest.fixture
def engine_guard(request, engine):
    """conftest's guard on the test's engine (conftest's pytest_runtest_call checks it as `page_guard`)."""
    if engine != "chromium":
        yield EngineGuard(request.getfixturevalue("engine_page"))
        return
    with guarded(request.getfixturevalue("context"), request.getfixturevalue("page")) as guard:
        yield guard  # as conftest's page_guard does for Chromium

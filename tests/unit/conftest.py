"""The unit tests' page: a fake of the page (fakepage.py), put in place with `rtp_py.bridge.use`, which starts
every page-bound state afresh (consent, handlers, debug, the default tracker), as a new page does. After each
test the plain-Python page comes back, fresh too. Tests never reach into rtp_py's module state."""

import pytest

from fakepage import FakeElement, FakePage
from rtp_py import bridge
from rtp_py.contract import NoPage
from support import WHITEPAPER


@pytest.fixture(autouse=True)
def fresh_page():
    """Every test starts and ends on a fresh plain-Python page."""
    bridge.use(NoPage())
    yield
    bridge.use(NoPage())


@pytest.fixture
def use_page():
    """`use_page(*elements, **options)`: a fresh fake page with these elements, in place as a new page."""
    return lambda *elements, **options: bridge.use(FakePage(elements=elements, **options))


@pytest.fixture
def fake(use_page):
    """A fresh fake page with a few elements: declarative ones (valid, a pair, once, invalid), plain buttons
    for on_click, a paragraph, and a span inside the Download button."""
    page = use_page(
        FakeElement("button", "download", data_rtp_event=WHITEPAPER),
        FakeElement("button", "pair", data_rtp_event='["MyEvent", "%s"]' % WHITEPAPER),
        FakeElement("button", "once", data_rtp_event="newsletter", data_rtp_once=""),
        FakeElement("button", "bad", data_rtp_event='["ok", 5]'),
        FakeElement("button", "contact"),
        FakeElement("button", "contact2"),
        FakeElement("p", "plain"),
    )
    page.elements.append(FakeElement("span", "inner", parent=page.by_id("download")))
    return page


@pytest.fixture
def recorder():
    """(calls, Tracker): a tracker whose `rtp` records each call's arguments in `calls`."""
    from rtp_py import Tracker

    calls = []
    return calls, Tracker(rtp=lambda *args: calls.append(args))

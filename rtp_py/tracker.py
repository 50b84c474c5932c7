"""`Tracker`: every RTP call, validated, sent through a transport (the page's `rtp`, or a callable).

Custom data events (`send_event`) and the rest of the tag: page views, the account, custom variables,
redirects, campaigns, rich-media recommendations, the visitor's data and the user context.

    >>> calls = []
    >>> tracker = Tracker(rtp=lambda *args: calls.append(args))
    >>> tracker.send_event(["a", "b", "c", "d", "e"])
    [['a', 'b', 'c', 'd'], ['e']]
    >>> calls[1]
    ('send', 'event', {'value': ['e']})
"""

from . import bridge, calls, gate
from .errors import VisitorError, VisitorTimeout
from .event import Event, event_of
from .pattern import check_pattern as _check_pattern
from .report import call_logged, call_made, not_sent, report
from .session import default_store
from .limits import DEFAULT_VISITOR_TIMEOUT
from .outcome import QUEUED, Reply, Unreadable
from .transport import CallableTransport, PageTransport
from .visitor import Visitor

TYPE_CHECKING = False  # typing is not there on MicroPython: its names are for the type checker only
if TYPE_CHECKING:
    from typing import Any, Callable, Union

    from .session import Store
    from .transport import BaseTransport

    # What send_event takes: a str, a list or tuple of str, or the JS shape {"value": ...}. (An Event is what
    # rtp_py's own bindings pass: a value it validated already.)
    EventValue = Union[str, list[str], tuple[str, ...], dict[str, Union[str, list[str]]], Event]
    MatchValues = Union[str, int, float, list[Union[str, int, float]], tuple[Union[str, int, float], ...]]

STUB_INSTALLED = ("window.rtp is undefined (tag blocked or not loaded yet): installed the documented queue "
                  "stub; calls wait on rtp.q for rtp.js")


class Tracker:
    """Sends RTP custom data events, every payload validated first.

    `rtp` is any callable taking the JS function's positional arguments as Python objects (tests pass a
    recorder). `None` means the page's global `rtp`, reached through the JS bridge, which converts
    payloads to plain JS objects (and installs the documented queue stub if `rtp` is missing).
    `transport` replaces both: a `rtp_py.transport.BaseTransport` (its `call(args) -> Outcome` makes any call;
    `send_event(value)` sends an event's value), or any object with those two methods.
    `storage` remembers once-per-session events (`seen(key)`, `remember(key)`); by default the tab's
    sessionStorage in a page, a set elsewhere.
    """

    def __init__(self, rtp: "Callable[..., object] | None" = None, storage: "Store | None" = None,
                 transport: "BaseTransport | None" = None) -> None:
        if transport is None:
            transport = PageTransport() if rtp is None else CallableTransport(rtp)
        self.transport = transport
        self._given_storage = storage
        self.reset()

    def reset(self) -> None:
        """Start afresh, as on a new page: no view sent yet, no recommendations set, a new session memory."""
        self._storage = self._given_storage
        self._viewed = False          # send_view ran: custom variables and redirects come too late now
        self._recommendations = False  # set_recommendations ran: get_recommendations may follow

    @property
    def storage(self) -> "Store":
        if self._storage is None:
            self._storage = default_store()
        return self._storage

    def _reached(self, outcome, shown):
        """Report a call's outcome; True if it reached the tag (sent, or queued on the stub). A failing tag
        is reported (kind "tag-error", with `shown` as the value), never raised."""
        if not outcome.reached:
            not_sent("tag-error", shown, outcome.reason)
            return False
        if outcome is QUEUED:
            report("stub", STUB_INSTALLED)
        return True

    def _call(self, value):
        """Send one event call's value; return True if it reached the tag."""
        if not self._reached(self.transport.send_event(value), value):
            return False
        call_made(value)
        return True

    def _send(self, args):
        """Make any other `rtp(*args)` call; return True if it reached the tag (False if it failed, or is
        held or dropped for consent)."""
        shown = [("function" if callable(arg) else arg) for arg in args]
        if not gate.granted():
            gate.hold(lambda: self._send(args), None, shown)
            return False
        if not self._reached(self.transport.call(args), shown):
            return False
        call_logged(shown)
        return True

    def _too_late(self, what):
        if self._viewed:
            report("order", "%s after send_view(): RTP sends custom variables and redirects only with the "
                            "view call, so this one takes effect from the next page view at the earliest; call "
                            "it before send_view()" % what)

    def send_view(self, page: "str | None" = None) -> bool:
        """Send a page view: `rtp("send", "view"[, page])`; `page` is a relative path or a full URL.

            >>> Tracker(rtp=print).send_view("/whitepaper")
            send view /whitepaper
            True
        """
        sent = self._send(calls.view_args(page))
        self._viewed = True
        return sent

    def set_account(self, account_id: str) -> bool:
        """`rtp("setAccount", account_id)`: normally the tag does it; used to split between domains."""
        return self._send(calls.account_args(account_id))

    def set_custom_var(self, slot: "int | str", value: str) -> bool:
        """Set custom variable `slot` (1 to 5): `rtp("set", "customVar<slot>", value)`, at most 100
        characters; a documented name as `slot` ("custom1", "customVar1", ...) is sent as written. RTP sends it
        with the view call, so set it before `send_view()` (warned otherwise)."""
        args = calls.custom_var_args(slot, value)
        self._too_late("set_custom_var(%r)" % (slot,))
        return self._send(args)

    def redirect(self, field: str, values: "MatchValues | dict[str, MatchValues]", url: "str | None" = None,
                 matched: bool = True) -> bool:
        """Redirect matched visitors: `rtp("send", "redirect", field, values, url)` (`matched=False` adds the
        sixth argument `false`: redirect those who do not match), or with a mapping `{url: [values]}` as
        `values` (and no url). Values are strings, or numbers for `matchedSegments.id` and `abm.code`.
        Belongs before `send_view()` (warned otherwise).

            >>> Tracker(rtp=print).redirect("matchedSegments.id", [106, 107, 190], "http://www.marketo.com")
            send redirect matchedSegments.id [106, 107, 190] http://www.marketo.com
            True
        """
        args = calls.redirect_args(field, values, url, matched)
        self._too_late("redirect()")
        return self._send(args)

    def get_campaign(self, populate: "bool | None" = True) -> bool:
        """Ask for the web campaigns: `rtp("get", "campaign", true)`, or with `populate=None`
        `rtp("get", "campaign")` (the form of Marketo's Redirect example)."""
        return self._send(calls.campaign_args(populate))

    def on_user_context_ready(self, callback: "Callable[[], object]") -> bool:
        """Run `callback()` when RTP's user context is ready: `rtp("userContextReady", fn)`. The callback
        reads the context itself (Marketo's examples read the global `rtpUserContext`)."""
        calls.check_callback(callback)
        return self._send(("userContextReady", lambda *args: callback()))

    def set_recommendations(self, conf: "dict[str, Any]", template_id: "str | None" = None) -> bool:
        """Configure rich-media recommendations: `rtp("set", "rcmd", "richmedia"[, template_id], conf)`;
        comes before `get_recommendations()`."""
        sent = self._send(calls.recommendation_set_args(conf, template_id))
        self._recommendations = True
        return sent

    def get_recommendations(self) -> bool:
        """Show rich-media recommendations: `rtp("get", "rcmd", "richmedia")`, after
        `set_recommendations()` and `send_view()` (warned otherwise)."""
        if not self._recommendations:
            report("order", "get_recommendations() before set_recommendations(): RTP documents the rich-media "
                            "set before the get; call set_recommendations(conf) first")
        if not self._viewed:
            report("order", "get_recommendations() before send_view(): RTP's rich-media recommendations need "
                            "the view call first")
        return self._send(calls.recommendation_get_args())

    async def get_visitor(self, timeout: float = DEFAULT_VISITOR_TIMEOUT) -> Visitor:
        """Ask RTP who the visitor is: `rtp("get", "visitor", callback)`; return a `Visitor`.

        Raises `VisitorError` if rtp answers with an error (or with something that is not the documented
        shape), if the tag did not take the call, or if consent is denied; `VisitorTimeout` (a
        `VisitorError`) if no answer comes within `timeout` seconds (rtp.js blocked or not loaded: the stub
        only queues; or consent still pending: the call is held). Never hangs.

            visitor = await get_visitor(timeout=3)
            if visitor.in_segment("Whitepaper downloaders"): ...
        """
        import asyncio  # here: most pages never ask, and importing asyncio costs MicroPython's start-up

        seconds = calls.visitor_timeout(timeout)
        answers = []
        arrived = asyncio.Event()

        def on_answer(answer=None, *more):
            answers.append(answer)
            arrived.set()

        reply = Reply(on_answer)
        state = gate.consent()
        reached = self._send(("get", "visitor", reply))
        if state == "denied":
            reply.cancel()
            raise VisitorError("get visitor: consent is denied, so rtp is not asked")
        if not reached and state == "granted":
            reply.cancel()
            raise VisitorError("get visitor: the tag did not take the call (see the tag-error report)")
        if not answers:
            # An Event and a timer task, not asyncio.wait_for: at the top level of a MicroPython script,
            # wait_for cancels the awaiting task when the answer comes first, and that task cannot be
            # cancelled there ("TopLevelCoro has no attribute throw").
            timer = asyncio.create_task(_set_after(arrived, seconds))
            await arrived.wait()
            if answers:
                timer.cancel()
        if not answers:
            reply.cancel()
            why = "consent is pending: the call is held" if state == "pending" else "rtp.js blocked, or not loaded yet"
            raise VisitorTimeout("get visitor: no answer within %g s (%s)" % (seconds, why))
        if isinstance(answers[0], Unreadable):
            raise VisitorError("get visitor: rtp's answer could not be read: " + answers[0].problem)
        return Visitor.from_answer(answers[0])

    check_pattern = staticmethod(_check_pattern)

    def send_event(self, value: "EventValue", once_per_session: bool = False) -> "list[str | list[str]]":
        """Validate `value`, send it in calls of at most four strings, and return each sent call's value.

        Raises `ValidationError` (and sends nothing) for an invalid value. While consent is pending the
        event is held (sent on the grant) and `[]` returned; while it is denied, it is dropped and reported.
        With `once_per_session=True`, an identical event already sent in this browser session is skipped
        (and logged): returns `[]`.
        A call the tag rejected (it threw) is logged and left out of the result.

            >>> Tracker(rtp=print).send_event("A")
            send event {'value': 'A'}
            ['A']
        """
        event = value if isinstance(value, Event) else event_of(value)
        if not gate.granted():  # validated above; held until consent, or dropped
            gate.hold(lambda: self.send_event(event, once_per_session), event.value)
            return []
        if once_per_session and self.storage.seen(event.key):
            not_sent("skipped", event.value, "already sent in this browser session (once per session)")
            return []
        sent = [call_value for call_value in event.calls if self._call(call_value)]
        if once_per_session and len(sent) == len(event.calls):
            self.storage.remember(event.key)
        # new lists: the event may be remembered (event_of), and what the caller does with these is theirs
        return [call_value if isinstance(call_value, str) else list(call_value) for call_value in sent]


async def _set_after(event, seconds):
    import asyncio
    await asyncio.sleep(seconds)
    event.set()


# The tracker behind the module-level `send_event`, `on_click` and declarative tracking: the page's `rtp`.
default_tracker = Tracker()
bridge.on_new_page(default_tracker.reset)


def send_event(value: "EventValue", once_per_session: bool = False) -> "list[str | list[str]]":
    """Send a custom data event to the page's `rtp`; see `Tracker.send_event`. In a page (outside one it
    raises `BrowserRequired`, so this example is not run as a doctest):

        >>> send_event(["MyEvent", "download - example whitepaper"])  # doctest: +SKIP
        [['MyEvent', 'download - example whitepaper']]
    """
    return default_tracker.send_event(value, once_per_session)


def send_view(page: "str | None" = None) -> bool:
    """Send a page view through the page's `rtp`; see `Tracker.send_view`."""
    return default_tracker.send_view(page)


def set_account(account_id: str) -> bool:
    """`rtp("setAccount", account_id)` on the page; see `Tracker.set_account`."""
    return default_tracker.set_account(account_id)


def set_custom_var(slot: "int | str", value: str) -> bool:
    """Set custom variable `slot` (1 to 5) on the page's `rtp`; see `Tracker.set_custom_var`."""
    return default_tracker.set_custom_var(slot, value)


def redirect(field: str, values: "MatchValues | dict[str, MatchValues]", url: "str | None" = None,
             matched: bool = True) -> bool:
    """Ask the page's `rtp` to redirect matched visitors; see `Tracker.redirect`."""
    return default_tracker.redirect(field, values, url, matched)


def get_campaign(populate: "bool | None" = True) -> bool:
    """`rtp("get", "campaign", true)` on the page (`populate=None`: `rtp("get", "campaign")`); see
    `Tracker.get_campaign`."""
    return default_tracker.get_campaign(populate)


def on_user_context_ready(callback: "Callable[[], object]") -> bool:
    """Run `callback()` when the page's RTP user context is ready; see `Tracker.on_user_context_ready`."""
    return default_tracker.on_user_context_ready(callback)


def set_recommendations(conf: "dict[str, Any]", template_id: "str | None" = None) -> bool:
    """Configure rich-media recommendations on the page; see `Tracker.set_recommendations`."""
    return default_tracker.set_recommendations(conf, template_id)


def get_recommendations() -> bool:
    """Show rich-media recommendations on the page; see `Tracker.get_recommendations`."""
    return default_tracker.get_recommendations()


async def get_visitor(timeout: float = DEFAULT_VISITOR_TIMEOUT) -> Visitor:
    """Ask the page's `rtp` who the visitor is; see `Tracker.get_visitor`."""
    return await default_tracker.get_visitor(timeout)


check_pattern = _check_pattern

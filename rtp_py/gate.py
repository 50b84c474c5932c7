"""The consent gate: nothing reaches `rtp` before the visitor agrees (`consent`, `follow_consent`, `honour_gpc`).

The state is page-wide (every interpreter and every `Tracker` on the page share it):

- "granted": calls go to `rtp` as they are made (the default: the tag itself has no notion of consent).
- "pending": calls are validated at once (a bad value is still a `ValidationError`), then held in order,
  at most `MAX_HELD` of them (the rest are reported, kind "hold-full"). Nothing reaches `rtp`.
- "denied": held and later calls are dropped, each announced (`rtp-py:not-sent`, kind "consent"); rtp_py
  writes nothing to sessionStorage and removes what it kept there. A later grant sends none of them.

On a grant, what waited for it runs first (the tag, if `insert_tag` put it behind consent; personalisation),
then the held calls go out in order, exactly once.

    >>> consent()
    'granted'
    >>> consent("pending")
    'pending'
    >>> from rtp_py import Tracker
    >>> Tracker(rtp=print).send_event("A")   # held: nothing printed
    []
    >>> consent("granted")
    send event {'value': 'A'}
    'granted'
"""

import json

from . import bridge, config
from .limits import MAX_GROUPS_TEXT, MAX_HELD, PLATFORM_FIRST_LOOK_MS, PLATFORM_GRACE_MS
from .report import not_sent, report

STATES = config.STATES


class Gate:
    """This interpreter's side of the page-wide state; started afresh on a new page (`bridge.use`)."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.now = None        # the state; None until read (`_now`)
        self.gpc = False       # Global Privacy Control honoured and sent: nothing lifts "denied"
        self.published = False  # the page-wide state is set and watched
        self.held = []         # (send again, value shown, call shown): the calls made while pending, in order
        self.on_grant = []     # what runs at the next grant, before the held calls (the tag, personalisation)
        self.followed = {}     # platform name -> adapter: the platforms this interpreter follows


_gate = Gate()
bridge.on_new_page(_gate.reset)


def _now():
    """The state, read the first time it is needed: reading only, nothing is written to the page yet."""
    if _gate.now is None:
        _gate.now = _starting_state()
    return _gate.now


def _starting_state():
    """The page-wide state if an interpreter set one; else `[rtp_py] consent`, `<html data-rtp-consent>` or
    "granted", made "pending" if the config follows a platform (nobody chose yet) and "denied" if it honours
    Global Privacy Control and the browser sends it."""
    page = bridge.current()
    current = page.consent_state()
    if current in STATES:
        return current
    settings = config.read()
    start = settings.consent or config.checked_state(page.html_consent() or "granted", "data-rtp-consent")
    if start == "granted" and settings.platform is not None:
        start = "pending"
    if settings.gpc and page.gpc():
        _gate.gpc = True
        start = "denied"
    return start


def publish():
    """Make this interpreter's state the page-wide one, announced, and follow the other interpreters' changes.
    Once per page: `start()`, `consent()`, `follow_consent()` and `honour_gpc()` do it."""
    if _gate.published:
        return
    state = _now()
    _gate.published = True
    page = bridge.current()
    page.watch_consent(_changed)
    page.set_consent(state)


def consent(state: "str | None" = None) -> str:
    """Set the page-wide consent state to `state` ("pending", "granted" or "denied") when given one; return
    the current state either way. Anything else is a `ValidationError`.

    With `honour_gpc()` on and the browser sending Global Privacy Control, the state stays "denied": a
    grant is refused (and reported).
    """
    if state is not None:
        config.checked_state(state)
        publish()
        _set(state, "consent()")
    return _now()


def _set(state, source):
    """Make `state` the page-wide state and act on it; with Global Privacy Control honoured and sent, the
    state stays "denied": neither a grant nor a platform's "pending" lifts it (a grant is reported)."""
    if state != "denied" and _gate.gpc:
        if state == "granted":
            report("platform", "%s: consent not granted: this browser sends Global Privacy Control and "
                               "honour_gpc() is on" % source)
        state = "denied"
    _changed(state)
    bridge.current().set_consent(state)


def _changed(state):
    """The state became `state` (here, or in another interpreter): release or drop what is held. With Global
    Privacy Control honoured and sent, this interpreter stays denied whatever another one decides."""
    if state != "denied" and _gate.gpc:
        state = "denied"
    before = _now()
    if state == before:
        return
    _gate.now = state
    report("state", "consent %s (was %s)" % (state, before))
    if state == "granted":
        waiting, _gate.on_grant = _gate.on_grant, []
        for run in waiting:
            try:
                run()
            except Exception as error:  # the tag or personalisation failing must not keep the held calls
                report("platform", "on the grant: %s: %s" % (type(error).__name__, error))
        _release()
    elif state == "denied":
        _drop()
        bridge.current().forget_stored()


def _release():
    while _gate.held and _gate.now == "granted":
        send, value, call = _gate.held.pop(0)
        report("released", "released after consent: %s" % _describe(value, call), value, None, call)
        send()


def _drop():
    dropped, _gate.held = _gate.held, []
    for _, value, call in dropped:
        _announce_dropped(value, call)


def _describe(value, call):
    return "rtp(%s)" % ", ".join(json.dumps(arg) for arg in call) if call is not None else json.dumps(value)


def _announce_dropped(value, call):
    not_sent("consent", value, "consent is denied", call)


def granted():
    """True if calls may reach `rtp` now (the hot path asks this, in Python, before every call)."""
    now = _gate.now
    return (now if now is not None else _now()) == "granted"


def hold(send, value=None, call=None):
    """A call made while consent is not granted: hold it (pending) or drop it (denied). `send()` makes it
    again once granted; `value` is the event's value, or `call` the other call's arguments (plain data)."""
    if _now() == "denied":
        _announce_dropped(value, call)
    elif len(_gate.held) >= MAX_HELD:
        not_sent("hold-full", value, "consent is pending and %d calls are held already" % MAX_HELD, call)
    else:
        _gate.held.append((send, value, call))
        report("held", "held until consent: %s" % _describe(value, call), value, None, call)


def held():
    """How many calls wait for consent on this interpreter."""
    return len(_gate.held)


def when_granted(run):
    """Run `run()` now if consent is granted, else at the next grant (before the held calls go out)."""
    if _now() == "granted":
        run()
    else:
        _gate.on_grant.append(run)


def honour_gpc(on: bool = True) -> bool:
    """Honour Global Privacy Control: if the browser sends it (`navigator.globalPrivacyControl`), the
    state becomes "denied" and nothing but the browser's own setting lifts it. Returns True if the browser
    sends it."""
    publish()
    sends = bool(on) and bridge.current().gpc()
    _gate.gpc = sends
    if sends:
        _set("denied", "Global Privacy Control")
    return sends


def follow_consent(platform: str, **settings: object) -> None:
    """Follow the consent platform the site runs: "tcf" (IAB TCF v2.2, settings `purposes`, `vendor`),
    "consent-mode" (Google Consent Mode v2, `signals`), "onetrust" (`group`) or "cookiebot" (`category`).
    The state is "pending" until the platform answers, then follows each of the visitor's choices.

        follow_consent("onetrust", group="C0004")
    """
    from . import platforms  # here: a page that follows no platform never loads the mappings

    adapter = platforms.adapter(platform, settings)
    if platform in _gate.followed:
        return
    _gate.followed[platform] = adapter
    publish()
    if _now() == "granted":
        _set("pending", "follow_consent(%r)" % platform)

    shape = list if platform == "consent-mode" else dict

    def answer(snapshot):
        if isinstance(snapshot, dict) and ("missing" in snapshot or "unreadable" in snapshot):
            problem = (str(snapshot["missing"]) + " (rtp_py follows it if it comes later)" if "missing" in snapshot
                       else "its answer could not be read (%s)" % snapshot["unreadable"])
        elif not isinstance(snapshot, shape):
            problem = "its answer could not be read (not a %s)" % shape.__name__
        else:
            _set(adapter.state(snapshot), platform)
            return
        report("platform", "consent platform %s: %s; consent stays %s" % (platform, problem, _now()))

    wanted = dict(adapter.wanted(), graceMs=PLATFORM_GRACE_MS, firstLookMs=PLATFORM_FIRST_LOOK_MS,
                  maxGroupsText=MAX_GROUPS_TEXT)
    bridge.current().follow(platform, wanted, answer)

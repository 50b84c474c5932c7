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

from . import bridge
from .errors import ValidationError
from .report import not_sent, report
from .validation import quote

STATES = ("pending", "granted", "denied")
# Calls held while consent is pending, at most; a page sends a handful before its visitor chooses.
MAX_HELD = 100

_state = {"now": "granted", "gpc": False}
_held = []       # (send again, value shown, call shown): the calls made while pending, in order
_on_grant = []   # what runs at the next grant, before the held calls go out (the tag, personalisation)
_followed = {}   # platform name -> adapter: the platforms this interpreter follows


def _checked(state, field="state"):
    if not isinstance(state, str) or state not in STATES:
        shown = quote(state) if isinstance(state, str) else type(state).__name__
        raise ValidationError(field, "expected 'pending', 'granted' or 'denied', got " + shown)
    return state


def consent(state=None):
    """Set the page-wide consent state to `state` ("pending", "granted" or "denied") when given one; return
    the current state either way. Anything else is a `ValidationError`.

    With `honour_gpc()` on and the browser sending Global Privacy Control, the state stays "denied": a
    grant is refused (and reported).
    """
    if state is not None:
        _set(_checked(state), "consent()")
    return _state["now"]


def _set(state, source):
    """Make `state` the page-wide state and act on it; with Global Privacy Control honoured and sent, the
    state stays "denied": neither a grant nor a platform's "pending" lifts it (a grant is reported)."""
    if state != "denied" and _state["gpc"]:
        if state == "granted":
            report("platform", "%s: consent not granted: this browser sends Global Privacy Control and "
                               "honour_gpc() is on" % source)
        state = "denied"
    _changed(state)
    bridge.page.set_consent(state)


def _changed(state):
    """The state became `state` (here, or in another interpreter): release or drop what is held. With Global
    Privacy Control honoured and sent, this interpreter stays denied whatever another one decides."""
    if state != "denied" and _state["gpc"]:
        state = "denied"
    before = _state["now"]
    if state == before:
        return
    _state["now"] = state
    report("state", "consent %s (was %s)" % (state, before))
    if state == "granted":
        waiting = _on_grant[:]
        del _on_grant[:]
        for run in waiting:
            try:
                run()
            except Exception as error:  # the tag or personalisation failing must not keep the held calls
                report("platform", "on the grant: %s: %s" % (type(error).__name__, error))
        _release()
    elif state == "denied":
        _drop()
        bridge.page.forget_stored()


def _release():
    while _held and _state["now"] == "granted":
        send, value, call = _held.pop(0)
        report("released", "released after consent: %s" % _describe(value, call), value, None, call)
        send()


def _drop():
    dropped, _held[:] = _held[:], []
    for _, value, call in dropped:
        _announce_dropped(value, call)


def _describe(value, call):
    return "rtp(%s)" % ", ".join(json.dumps(arg) for arg in call) if call is not None else json.dumps(value)


def _announce_dropped(value, call):
    not_sent("consent", value, "consent is denied", call)


def granted():
    """True if calls may reach `rtp` now (the hot path asks this, in Python, before every call)."""
    return _state["now"] == "granted"


def hold(send, value=None, call=None):
    """A call made while consent is not granted: hold it (pending) or drop it (denied). `send()` makes it
    again once granted; `value` is the event's value, or `call` the other call's arguments (plain data)."""
    if _state["now"] == "denied":
        _announce_dropped(value, call)
    elif len(_held) >= MAX_HELD:
        not_sent("hold-full", value, "consent is pending and %d calls are held already" % MAX_HELD, call)
    else:
        _held.append((send, value, call))
        report("held", "held until consent: %s" % _describe(value, call), value, None, call)


def when_granted(run):
    """Run `run()` now if consent is granted, else at the next grant (before the held calls go out)."""
    if _state["now"] == "granted":
        run()
    else:
        _on_grant.append(run)


def honour_gpc(on=True):
    """Honour Global Privacy Control: if the browser sends it (`navigator.globalPrivacyControl`), the
    state becomes "denied" and no grant is taken. Returns True if the browser sends it."""
    sends = bool(on) and bridge.page.gpc()
    _state["gpc"] = sends
    if sends:
        _set("denied", "Global Privacy Control")
    return sends


def follow_consent(platform, **settings):
    """Follow the consent platform the site runs: "tcf" (IAB TCF v2.2, settings `purposes`, `vendor`),
    "consent-mode" (Google Consent Mode v2, `signals`), "onetrust" (`group`) or "cookiebot" (`category`).
    The state is "pending" until the platform answers, then follows each of the visitor's choices.

        follow_consent("onetrust", group="C0004")
    """
    from . import platforms  # here: a page that follows no platform never loads the mappings

    adapter = platforms.adapter(platform, settings)
    if platform in _followed:
        return
    _followed[platform] = adapter
    if _state["now"] == "granted":
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
        report("platform", "consent platform %s: %s; consent stays %s" % (platform, problem, _state["now"]))

    bridge.page.follow(platform, adapter.wanted(), answer)


def _from_page():
    """The starting state, announced once it is known: the page-wide one if another interpreter set it;
    else `[rtp_py] consent` in the config, `<html data-rtp-consent>`, or "granted", made "pending" if the
    config follows a platform and "denied" if it honours Global Privacy Control and the browser sends it.
    Then the config's platform is followed and its tag inserted. A bad setting is a `ValidationError` naming
    it, raised at import: nothing is sent."""
    page = bridge.page
    settings = page.settings()
    gpc = settings.get("gpc", False)
    if gpc is not True and gpc is not False:
        raise ValidationError("[rtp_py] gpc", "expected true or false, got " + type(gpc).__name__)
    follow = _platform_from(settings)
    current = page.consent_state()
    if current in STATES:
        start = current
    elif "consent" in settings:
        start = _checked(settings["consent"], "[rtp_py] consent")
    else:
        start = _checked(page.html_consent() or "granted", "data-rtp-consent")
    if start == "granted" and follow is not None:
        start = "pending"  # nobody chose yet: the platform answers next
    _state["now"] = start
    page.watch_consent(_changed)
    if gpc:
        honour_gpc(True)  # denied if the browser sends it
    if current not in STATES and _state["now"] == start:
        page.set_consent(start)
    if follow is not None:
        follow()
    if "tag" in settings:
        _tag_from(settings["tag"])


def _platform_from(settings):
    """`consent_from` and its table, checked: a function that follows the platform, or None."""
    if "consent_from" not in settings:
        return None
    from . import platforms

    platform = settings["consent_from"]
    table = settings.get(platform) if isinstance(platform, str) else None
    if table is not None and not isinstance(table, dict):
        raise ValidationError("[rtp_py.%s]" % platform, "expected a table of settings")
    try:
        platforms.adapter(platform, table if isinstance(table, dict) else {})
    except ValidationError as error:
        where = "[rtp_py] consent_from" if error.field == "platform" else "[rtp_py.%s] %s" % (platform, error.field)
        raise ValidationError(where, error.message) from None
    return lambda: follow_consent(platform, **(table if isinstance(table, dict) else {}))


def _tag_from(table):
    from .tag import insert_tag  # here: tag imports this module
    names = ("src", "pod", "account", "query", "e", "exclude_bots")
    if not isinstance(table, dict) or "src" not in table or "account" not in table:
        raise ValidationError("[rtp_py.tag]", "expected a table with src and account (and pod, query, e, "
                                              "exclude_bots if your snippet has them)")
    for name in table:
        if name not in names:
            raise ValidationError("[rtp_py.tag] " + str(name), "unknown setting; the settings are: " + ", ".join(names))
    try:
        insert_tag(table["src"], table.get("pod"), table["account"], query=table.get("query"), e=table.get("e"),
                   exclude_bots=table.get("exclude_bots"))
    except ValidationError as error:
        raise ValidationError("[rtp_py.tag] " + error.field, error.message) from None


_from_page()

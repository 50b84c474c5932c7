"""The `[rtp_py]` table of the page's PyScript config, read and checked. Reading only: `start()` acts on it.

    [rtp_py]
    debug = true                   # log every rtp(...) call
    consent = "pending"            # the starting consent state
    consent_from = "onetrust"      # follow a consent platform ([rtp_py.onetrust] holds its settings)
    gpc = true                     # honour Global Privacy Control
    [rtp_py.tag]                   # insert Marketo's tag once consent is granted
    src = "..."
    account = "..."

A bad setting is a `ValidationError` naming it (`[rtp_py] consent`, `[rtp_py.tcf] purposes[0]`).

    >>> read({"consent": "pending", "consent_from": "cookiebot"}).platform
    'cookiebot'
"""

from . import bridge
from .errors import ValidationError
from .validation import quote

STATES = ("pending", "granted", "denied")
TAG_SETTINGS = ("src", "pod", "account", "query", "e", "exclude_bots")


def checked_state(state, field="state"):
    """`state` if it is "pending", "granted" or "denied", else a `ValidationError` on `field`."""
    if not isinstance(state, str) or state not in STATES:
        shown = quote(state) if isinstance(state, str) else type(state).__name__
        raise ValidationError(field, "expected 'pending', 'granted' or 'denied', got " + shown)
    return state


class Settings:
    """The checked settings: `.consent` (a state or None), `.platform` (or None) and its `.platform_settings`,
    `.gpc` (bool), `.tag` (insert_tag's keyword arguments, or None)."""

    def __init__(self, consent=None, platform=None, platform_settings=None, gpc=False, tag=None):
        self.consent = consent
        self.platform = platform
        self.platform_settings = platform_settings or {}
        self.gpc = gpc
        self.tag = tag


def read(table=None):
    """The page's `[rtp_py]` settings (or `table`'s), checked."""
    table = bridge.current().settings() if table is None else table
    consent = checked_state(table["consent"], "[rtp_py] consent") if "consent" in table else None
    gpc = table.get("gpc", False)
    if gpc is not True and gpc is not False:
        raise ValidationError("[rtp_py] gpc", "expected true or false, got " + type(gpc).__name__)
    platform, settings = None, {}
    if "consent_from" in table:
        from . import platforms  # here: a page that follows no platform never loads the mappings

        platform = table["consent_from"]
        found = table.get(platform) if isinstance(platform, str) else None
        if found is not None and not isinstance(found, dict):
            raise ValidationError("[rtp_py.%s]" % platform, "expected a table of settings")
        settings = found or {}
        try:
            platforms.adapter(platform, settings)
        except ValidationError as error:
            where = "[rtp_py] consent_from" if error.field == "platform" else "[rtp_py.%s] %s" % (platform, error.field)
            raise ValidationError(where, error.message) from None
    tag = None
    if "tag" in table:
        tag = table["tag"]
        if not isinstance(tag, dict) or "src" not in tag or "account" not in tag:
            raise ValidationError("[rtp_py.tag]", "expected a table with src and account (and pod, query, e, "
                                                  "exclude_bots if your snippet has them)")
        for name in tag:
            if name not in TAG_SETTINGS:
                raise ValidationError("[rtp_py.tag] " + str(name),
                                      "unknown setting; the settings are: " + ", ".join(TAG_SETTINGS))
    return Settings(consent, platform, settings, gpc, tag)

"""Consent platforms: each site's choice, as read by `rtp_py/consent.js`, mapped to a consent state.

Pure Python, the same on every interpreter. The page side (consent.js) hands over a small snapshot of what
the platform's documented API says; the adapter here validates its settings once and maps each snapshot to
"granted", "denied" or "pending".

    >>> tcf = adapter("tcf", {})
    >>> tcf.state({"success": True, "status": "useractioncomplete", "applies": True,
    ...            "purposes": {"1": True, "5": True, "6": True}, "vendor": None})
    'granted'
    >>> adapter("onetrust", {"group": "C0004"}).state({"groups": ",C0001,C0002,", "closed": True})
    'denied'
"""

from .errors import ValidationError
from .limits import MAX_GROUP_LENGTH
from .validation import check_string, quote

# TCF v2.2 purposes: 1 store or access information on a device, 5 create profiles to personalise content,
# 6 use profiles to select personalised content (what RTP does).
TCF_PURPOSES = (1, 5, 6)
TCF_MAX_PURPOSE = 11
# Google Consent Mode v2 signals; RTP stores an identifier and personalises on it.
CONSENT_MODE_SIGNALS = ("ad_storage", "ad_personalization")
KNOWN_SIGNALS = ("ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
                 "functionality_storage", "personalization_storage", "security_storage")
# OneTrust's default group for targeting cookies; sites may rename their groups.
ONETRUST_GROUP = "C0004"
# Cookiebot's categories.
COOKIEBOT_CATEGORIES = ("marketing", "statistics", "preferences")
COOKIEBOT_CATEGORY = "marketing"

PLATFORMS = ("tcf", "consent-mode", "onetrust", "cookiebot")


def _unknown_settings(platform, settings, known):
    for name in settings:
        if name not in known:
            raise ValidationError(name, "not a setting of %s; its settings are: %s"
                                  % (platform, ", ".join(known) or "none"))


class Tcf:
    """IAB TCF v2.2 (`__tcfapi`). Granted when the visitor consented to every purpose in `purposes` (and
    to `vendor`, if set); denied when they chose otherwise; pending while the banner shows or the CMP does
    not know yet. Where TCF does not apply (`gdprApplies` false), granted. Legitimate interest is not
    consent and does not count."""

    name = "tcf"

    def __init__(self, purposes=TCF_PURPOSES, vendor=None):
        if isinstance(purposes, (str, bytes)) or not isinstance(purposes, (list, tuple)) or not purposes:
            raise ValidationError("purposes", "expected a non-empty list of TCF purpose numbers (1 to %d), got %s"
                                  % (TCF_MAX_PURPOSE, _shown(purposes)))
        for index, purpose in enumerate(purposes):
            if isinstance(purpose, bool) or not isinstance(purpose, int) or not 1 <= purpose <= TCF_MAX_PURPOSE:
                raise ValidationError("purposes[%d]" % index, "expected a TCF purpose number from 1 to %d, got %s"
                                      % (TCF_MAX_PURPOSE, _shown(purpose)))
        if vendor is not None and (isinstance(vendor, bool) or not isinstance(vendor, int) or vendor < 1):
            raise ValidationError("vendor", "expected a TCF vendor id (a positive int) or None, got %s"
                                  % _shown(vendor))
        self.purposes = [str(purpose) for purpose in purposes]
        self.vendor = vendor

    def wanted(self):
        """What consent.js must read from each tcData."""
        return {"purposes": self.purposes, "vendor": self.vendor}

    def state(self, snapshot):
        if snapshot.get("success") is not True:
            return "pending"
        if snapshot.get("applies") is False:
            return "granted"
        if snapshot.get("applies") is not True or snapshot.get("status") not in ("tcloaded", "useractioncomplete"):
            return "pending"  # unknown yet, or the banner is showing ("cmpuishown")
        purposes = snapshot.get("purposes") or {}
        agreed = all(purposes.get(purpose) is True for purpose in self.purposes)
        if self.vendor is not None:
            agreed = agreed and snapshot.get("vendor") is True
        return "granted" if agreed else "denied"


class ConsentMode:
    """Google Consent Mode v2 (`dataLayer`). The `consent` commands are folded in order: granted when every
    signal in `signals` is granted; denied when an `update` (the visitor's choice) denies one; pending
    otherwise, a `default` of denied included (the site's assumption until the visitor chooses). A
    `default` scoped to regions can only hold events back: its grants are ignored, its denials count."""

    name = "consent-mode"

    def __init__(self, signals=CONSENT_MODE_SIGNALS):
        if isinstance(signals, (str, bytes)) or not isinstance(signals, (list, tuple)) or not signals:
            raise ValidationError("signals", "expected a non-empty list of consent mode signals, got %s"
                                  % _shown(signals))
        for index, signal in enumerate(signals):
            if signal not in KNOWN_SIGNALS:
                raise ValidationError("signals[%d]" % index, "expected one of %s, got %s"
                                      % (", ".join(KNOWN_SIGNALS), _shown(signal)))
        self.signals = list(signals)
        self._values = {}  # signal -> (value, set by an update)

    def wanted(self):
        return {"signals": self.signals}

    def state(self, snapshot):
        """`snapshot` is the list of consent commands pushed since the last one: each
        `{"command": "default" | "update", "values": {signal: "granted" | "denied"}, "region": bool}`."""
        for command in snapshot if isinstance(snapshot, list) else ():
            kind = command.get("command") if isinstance(command, dict) else None
            values = command.get("values") if kind in ("default", "update") else None
            for signal, value in (values.items() if isinstance(values, dict) else ()):
                if signal not in self.signals or value not in ("granted", "denied"):
                    continue
                if kind == "default" and command.get("region") and value == "granted":
                    continue
                if kind == "default" and self._values.get(signal, ("", False))[1]:
                    continue  # a default never overrides the visitor's choice
                self._values[signal] = (value, kind == "update")
        values = [self._values.get(signal, ("", False)) for signal in self.signals]
        if all(value == "granted" for value, _ in values):
            return "granted"
        if any(value == "denied" and chosen for value, chosen in values):
            return "denied"
        return "pending"


class OneTrust:
    """OneTrust (`OnetrustActiveGroups`, `OneTrust.OnConsentChanged`). Granted when `group` is active;
    denied when it is not and the visitor closed the banner; pending while the banner is open."""

    name = "onetrust"

    def __init__(self, group=ONETRUST_GROUP):
        check_string(group, "group", MAX_GROUP_LENGTH)
        if "," in group or group != group.strip():
            raise ValidationError("group", "expected a OneTrust group id such as 'C0004', got %s" % quote(group))
        self.group = group

    def wanted(self):
        return {"group": self.group}

    def state(self, snapshot):
        groups = snapshot.get("groups")
        if not isinstance(groups, str):
            return "pending"
        if self.group in groups.split(","):
            return "granted"
        return "denied" if snapshot.get("closed") is True else "pending"


class Cookiebot:
    """Cookiebot (`Cookiebot.consent`, `CookiebotOnAccept` / `CookiebotOnDecline`). Granted when the visitor
    accepted `category`; denied when they answered without it; pending until they answer."""

    name = "cookiebot"

    def __init__(self, category=COOKIEBOT_CATEGORY):
        if category not in COOKIEBOT_CATEGORIES:
            raise ValidationError("category", "expected one of %s, got %s"
                                  % (", ".join(COOKIEBOT_CATEGORIES), _shown(category)))
        self.category = category

    def wanted(self):
        return {"category": self.category}

    def state(self, snapshot):
        if snapshot.get("answered") is not True:
            return "pending"
        return "granted" if snapshot.get("allowed") is True else "denied"


ADAPTERS = {"tcf": Tcf, "consent-mode": ConsentMode, "onetrust": OneTrust, "cookiebot": Cookiebot}
SETTINGS = {"tcf": ("purposes", "vendor"), "consent-mode": ("signals",), "onetrust": ("group",),
            "cookiebot": ("category",)}


def _shown(value):
    return quote(value) if isinstance(value, str) else type(value).__name__ + " " + repr(value)[:60]


def adapter(platform, settings):
    """The adapter for `platform` ("tcf", "consent-mode", "onetrust" or "cookiebot") with its settings,
    each checked: a `ValidationError` names a bad one."""
    if platform not in ADAPTERS:
        raise ValidationError("platform", "expected one of %s, got %s"
                              % (", ".join(PLATFORMS), _shown(platform)))
    if not isinstance(settings, dict):
        raise ValidationError(platform, "expected a table of settings, got " + type(settings).__name__)
    _unknown_settings(platform, settings, SETTINGS[platform])
    return ADAPTERS[platform](**settings)

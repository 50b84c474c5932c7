"""Each consent platform's snapshot mapped to a state (rtp_py.platforms), as its documented API means it."""

import pytest

from rtp_py.platforms import adapter


def tcf(status="useractioncomplete", applies=True, purposes=None, vendor=None, success=True):
    given = {"1": True, "5": True, "6": True} if purposes is None else purposes
    return {"success": success, "status": status, "applies": applies, "purposes": given, "vendor": vendor}


@pytest.mark.parametrize("snapshot, state", [
    (tcf(), "granted"),
    (tcf(status="tcloaded"), "granted"),                           # a stored choice
    (tcf(status="cmpuishown"), "pending"),                         # the banner is showing
    (tcf(purposes={"1": True, "5": False, "6": True}), "denied"),
    (tcf(purposes={"1": True}), "denied"),                          # a purpose not consented to
    (tcf(applies=False, status="", purposes={}), "granted"),       # TCF does not apply to this visitor
    (tcf(applies=None), "pending"),                                # not known yet
    (tcf(success=False), "pending"),
    (tcf(status="other"), "pending"),
    ({}, "pending"),
])
def test_tcf(snapshot, state):
    assert adapter("tcf", {}).state(snapshot) == state


def test_tcf_vendor_and_purposes_are_settings():
    strict = adapter("tcf", {"purposes": [1], "vendor": 565})
    assert strict.wanted() == {"purposes": ["1"], "vendor": 565}
    assert strict.state(tcf(purposes={"1": True}, vendor=True)) == "granted"
    assert strict.state(tcf(purposes={"1": True}, vendor=False)) == "denied"


def command(kind, region=False, **values):
    return {"command": kind, "values": values, "region": region}


def test_consent_mode_follows_the_commands_in_order():
    mode = adapter("consent-mode", {})
    assert mode.state([]) == "pending"
    assert mode.state([command("default", ad_storage="denied", ad_personalization="denied")]) == "pending"
    assert mode.state([command("update", ad_storage="granted")]) == "pending"   # one signal of two
    assert mode.state([command("update", ad_personalization="granted")]) == "granted"
    assert mode.state([command("default", ad_storage="denied")]) == "granted"  # a default never undoes a choice
    assert mode.state([command("update", ad_personalization="denied")]) == "denied"


def test_consent_mode_a_granted_default_grants_but_not_a_regional_one():
    assert adapter("consent-mode", {}).state(
        [command("default", ad_storage="granted", ad_personalization="granted")]) == "granted"
    assert adapter("consent-mode", {}).state(
        [command("default", True, ad_storage="granted", ad_personalization="granted")]) == "pending"
    assert adapter("consent-mode", {"signals": ["analytics_storage"]}).state(
        [command("update", analytics_storage="granted", ad_storage="denied")]) == "granted"


def test_consent_mode_ignores_what_is_not_a_consent_command():
    mode = adapter("consent-mode", {})
    assert mode.state([{"command": "set"}, "junk", {"command": "update", "values": "x"}, None]) == "pending"
    assert mode.state({"not": "a list"}) == "pending"


@pytest.mark.parametrize("snapshot, state", [
    ({"groups": ",C0001,C0004,", "closed": False}, "granted"),
    ({"groups": ",C0001,C0002,", "closed": True}, "denied"),
    ({"groups": ",C0001,", "closed": False}, "pending"),
    ({"groups": ",C00041,", "closed": True}, "denied"),   # a group whose name only starts the same
    ({"closed": True}, "pending"),
])
def test_onetrust(snapshot, state):
    assert adapter("onetrust", {}).state(snapshot) == state


@pytest.mark.parametrize("snapshot, state", [
    ({"answered": True, "allowed": True}, "granted"),
    ({"answered": True, "allowed": False}, "denied"),
    ({"answered": False, "allowed": True}, "pending"),
    ({}, "pending"),
])
def test_cookiebot(snapshot, state):
    assert adapter("cookiebot", {}).state(snapshot) == state


def test_each_adapter_says_what_it_reads():
    assert adapter("consent-mode", {"signals": ["ad_storage"]}).wanted() == {"signals": ["ad_storage"]}
    assert adapter("onetrust", {"group": "C0009"}).wanted() == {"group": "C0009"}
    assert adapter("cookiebot", {"category": "statistics"}).wanted() == {"category": "statistics"}

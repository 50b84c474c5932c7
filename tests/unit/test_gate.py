"""The consent contract in CPython: states, the hold, grant and deny, storage, the config, GPC, the tag
behind consent, and the platform adapters wired to the gate (their mapping is in test_platforms.py)."""

import pytest

import rtp_py
from rtp_py import MAX_HELD, ValidationError, VisitorError, gate, start
from rtp_py import consent, follow_consent, honour_gpc, insert_tag, send_event

from fakepage import FakeElement, run_async
from support import WHITEPAPER, sent

@pytest.fixture(autouse=True)
def page(fake):
    """Every test here runs on the fake page."""
    return fake


def test_the_state_is_granted_by_default_and_consent_returns_it(fake):
    assert consent() == "granted"
    assert consent("pending") == "pending" and consent() == "pending"
    assert fake.consent == "pending"  # page-wide: the other interpreters are told through the page


@pytest.mark.parametrize("bad", ["yes", "Granted", "", " granted", 1, True, ["granted"]])
def test_anything_but_the_three_states_is_a_validation_error(bad):
    with pytest.raises(ValidationError) as error:
        consent(bad)
    assert error.value.field == "state"
    assert "expected 'pending', 'granted' or 'denied'" in str(error.value)
    assert consent() == "granted"


def test_pending_holds_valid_calls_in_order_and_rejects_bad_ones_at_once(recorder):
    calls, tracker = recorder
    consent("pending")
    assert tracker.send_event(["a", "b", "c", "d", "e"]) == []
    assert tracker.send_view("/pricing") is False
    with pytest.raises(ValidationError) as error:
        tracker.send_event(["ok", 5])
    assert error.value.field == "value[1]"
    tracker.send_event("last")
    assert calls == []
    consent("granted")
    assert calls == [sent(["a", "b", "c", "d"]), sent(["e"]), ("send", "view", "/pricing"), sent("last")]


def test_a_grant_sends_the_held_calls_exactly_once_and_later_calls_go_straight(recorder, fake):
    calls, tracker = recorder
    consent("pending")
    tracker.send_event("A")
    consent("granted")
    consent("granted")
    consent("pending")
    consent("granted")
    assert calls == [sent("A")]
    assert tracker.send_event("B") == ["B"] and calls == [sent("A"), sent("B")]
    assert [name for name, _ in fake.announced] == ["held", "released"]


def test_the_default_tracker_honours_it_too(fake):
    consent("pending")
    send_event(WHITEPAPER)
    rtp_py.send_view()
    assert fake.rtp == []
    consent("granted")
    assert fake.rtp == [sent(WHITEPAPER), ("send", "view")]


def test_the_hold_is_bounded_and_reports_each_call_over_it(recorder, fake):
    calls, tracker = recorder
    consent("pending")
    for index in range(MAX_HELD + 3):
        tracker.send_event("event %d" % index)
    over = [detail for detail in fake.not_sent if detail["kind"] == "hold-full"]
    assert [detail["value"] for detail in over] == ["event %d" % index for index in range(MAX_HELD, MAX_HELD + 3)]
    consent("granted")
    assert calls == [sent("event %d" % index) for index in range(MAX_HELD)]


def test_denied_drops_held_and_later_calls_announces_each_and_a_grant_sends_none(recorder, fake):
    calls, tracker = recorder
    consent("pending")
    tracker.send_event("held")
    tracker.get_campaign()
    consent("denied")
    tracker.send_event("later")
    consent("granted")
    assert calls == []
    dropped = [detail for detail in fake.not_sent if detail["kind"] == "consent"]
    assert dropped == [
        {"kind": "consent", "value": "held", "reason": "consent is denied"},
        {"kind": "consent", "value": None, "reason": "consent is denied", "call": ["get", "campaign", True]},
        {"kind": "consent", "value": "later", "reason": "consent is denied"}]
    assert tracker.send_event("after the grant") == ["after the grant"]


def test_denied_writes_nothing_to_storage_and_removes_what_rtp_py_kept(fake):
    fake.storage.update({"rtp_py:visitor": "{}", "rtp_py:sent:A": "1", "site:cart": "3"})
    consent("denied")
    send_event("B", once_per_session=True)
    assert fake.storage == {"site:cart": "3"}
    assert fake.rtp == []


def test_a_once_per_session_event_held_twice_is_sent_once_on_the_grant(fake):
    consent("pending")
    send_event("newsletter", once_per_session=True)
    send_event("newsletter", once_per_session=True)
    assert fake.storage == {}
    consent("granted")
    assert fake.rtp == [sent("newsletter")] and fake.storage == {"rtp_py:sent:newsletter": "1"}


def test_clicks_captured_during_start_up_are_held_then_dropped_on_deny(fake):
    consent("pending")
    fake.captured = [(None, WHITEPAPER, False, "a#kept"), (fake.by_id("download"), WHITEPAPER, False, "button")]
    start()
    fake.click(fake.by_id("download"))
    assert fake.rtp == [] and len([name for name, _ in fake.announced if name == "held"]) == 3
    consent("denied")
    assert [detail["kind"] for detail in fake.not_sent] == ["consent"] * 3


def test_personalisation_waits_for_the_grant(fake):
    fake.elements.append(FakeElement("div", "offer", data_rtp_segment="Whitepaper downloaders"))
    consent("pending")
    start()
    assert fake.scheduled == [] and fake.shown_segments == []
    consent("granted")
    assert len(fake.scheduled) == 1
    fake.scheduled.pop().close()


def test_get_visitor_raises_when_consent_is_denied(fake):
    consent("denied")
    with pytest.raises(VisitorError, match="consent is denied"):
        run_async(rtp_py.get_visitor(timeout=0.01))
    assert fake.rtp == []


def test_the_tag_waits_for_the_grant_and_comes_before_the_held_calls(fake):
    order = []
    fake.insert_tag = lambda src, pod, account, query, e: order.append(("tag", src, pod, account)) or True
    fake.rtp = order
    consent("pending")
    assert insert_tag("https://cdn.example.com/rtp.js", "https://pod.example.com", "ACME-1") is False
    send_event("A")
    assert order == []
    consent("granted")
    assert order == [("tag", "https://cdn.example.com/rtp.js", "https://pod.example.com", "ACME-1"), sent("A")]


def test_the_tag_goes_in_at_once_when_consent_is_granted_and_only_once(fake):
    assert insert_tag("/rtp.js", "//pod.example.com", "ACME-1") is True
    assert insert_tag("/rtp.js", "//pod.example.com", "ACME-1") is False
    assert fake.tag == ("/rtp.js", "//pod.example.com", "ACME-1", "", "")


@pytest.mark.parametrize("args, field", [
    (("javascript:alert(1)", "/pod", "A"), "src"), (("/rtp.js", "data:text/html,x", "A"), "pod"),
    (("/rtp.js", "/pod", ""), "account"), (("/rtp js", "/pod", "A"), "src"), ((None, "/pod", "A"), "src"),
    (("/rtp.js", "/pod", "A" * 101), "account"), (("///evil.js", "/pod", "A"), "src")])
def test_insert_tag_names_a_bad_argument(args, field, fake):
    with pytest.raises(ValidationError) as error:
        insert_tag(*args)
    assert error.value.field == field
    assert fake.tag is None


@pytest.mark.parametrize("args, kwargs, inserted", [
    (("//cdn.example.com/rtp-api/v1/rtp.js",), {"account": "561-HYG-937"},
     ("//cdn.example.com/rtp-api/v1/rtp.js", "", "561-HYG-937", "rh", "")),
    (("//sj-cdn.marketo.com/rtp-api/v1/rtp.js", None, "561-HYG-937"), {"query": "aid", "e": "x1"},
     ("//sj-cdn.marketo.com/rtp-api/v1/rtp.js", "", "561-HYG-937", "aid", "x1")),
    (("/rtp.js", "/pod", "A"), {"exclude_bots": False}, ("/rtp.js", "/pod", "A", "", ""))])
def test_each_snippet_form_reaches_the_page(args, kwargs, inserted, fake):
    assert insert_tag(*args, **kwargs) is True
    assert fake.tag == inserted


def test_a_bot_gets_no_tag_and_a_bad_pattern_is_named(fake, capsys):
    fake.user_agent = "Mozilla/5.0 (compatible; Googlebot/2.1)"
    assert insert_tag("/rtp.js", account="A", exclude_bots="Googlebot") is False
    assert fake.tag is None and "user agent matches exclude_bots" in str(fake.console_lines)
    with pytest.raises(ValidationError) as error:
        insert_tag("/rtp.js", account="A", exclude_bots="(Googlebot")
    assert error.value.field == "exclude_bots"
    fake.user_agent = "Mozilla/5.0 Safari/605.1.15"
    assert insert_tag("/rtp.js", account="A", exclude_bots=True) is True


@pytest.mark.parametrize("args, kwargs, field, problem", [
    (("/rtp.js",), {}, "account", "missing"),
    (("/rtp.js?aid=1",), {"account": "A"}, "src", "has a query already ('?aid=1')"),
    (("/rtp.js", "/pod", "A"), {"query": "rh"}, "query", "builds no query"),
    (("/rtp.js",), {"account": "A", "query": "host"}, "query", "expected 'rh'"),
    (("/rtp.js",), {"account": "A", "e": "a b"}, "e", "whitespace"),
    (("/rtp.js",), {"account": "A", "exclude_bots": 5}, "exclude_bots", "got int"),
    (("/rtp.js",), {"account": "A", "exclude_bots": ""}, "exclude_bots", "must not be empty")])
def test_a_bad_snippet_form_is_named(args, kwargs, field, problem, fake):
    with pytest.raises(ValidationError) as error:
        insert_tag(*args, **kwargs)
    assert error.value.field == field and problem in error.value.message
    assert fake.tag is None


def test_the_config_sets_the_starting_state(fake):
    fake.config = {"consent": "pending"}
    start()
    assert consent() == "pending" and fake.consent == "pending"


def test_without_config_the_html_attribute_then_granted(fake, use_page):
    fake.html_attribute = "denied"
    start()
    assert consent() == "denied"
    use_page()  # the next page, without the attribute
    start()
    assert consent() == "granted"


def test_a_state_another_interpreter_set_wins_over_the_config(fake):
    fake.consent, fake.config = "granted", {"consent": "pending"}
    start()
    assert consent() == "granted"


def test_a_bad_config_state_names_the_setting(fake):
    fake.config = {"consent": "maybe"}
    with pytest.raises(ValidationError) as error:
        start()
    assert error.value.field == "[rtp_py] consent"


@pytest.mark.parametrize("config, field", [
    ({"consent": True}, "[rtp_py] consent"), ({"gpc": "yes"}, "[rtp_py] gpc"),
    ({"consent_from": "usercentrics"}, "[rtp_py] consent_from"), ({"consent_from": 1}, "[rtp_py] consent_from"),
    ({"consent_from": "tcf", "tcf": {"purposes": [0]}}, "[rtp_py.tcf] purposes[0]"),
    ({"consent_from": "tcf", "tcf": [1]}, "[rtp_py.tcf]"),
    ({"tag": {"src": "/rtp.js", "pod": "/pod"}}, "[rtp_py.tag]"),
    ({"tag": {"src": "/rtp.js", "account": "A", "host": "x"}}, "[rtp_py.tag] host"),
    ({"tag": {"src": "/rtp.js", "account": "A", "query": "x"}}, "[rtp_py.tag] query"),
    ({"tag": {"src": "javascript:x", "pod": "/pod", "account": "A"}}, "[rtp_py.tag] src")])
def test_a_bad_config_setting_is_named(config, field, fake):
    fake.config = config
    with pytest.raises(ValidationError) as error:
        start()
    assert error.value.field == field
    assert fake.tag is None


def test_a_change_made_by_another_interpreter_releases_this_ones_hold(recorder, fake):
    calls, tracker = recorder
    fake.config = {"consent": "pending"}
    start()
    tracker.send_event("A")
    fake.consent_watchers[-1]("granted")  # what the page does when another interpreter grants
    assert calls == [sent("A")] and consent() == "granted"


def test_the_config_switches_a_platform_gpc_and_the_tag_on(fake):
    fake.config = {"consent_from": "onetrust", "onetrust": {"group": "C0009"}, "gpc": True,
                   "tag": {"src": "/rtp.js", "pod": "/pod", "account": "ACME-1"}}
    start()
    assert fake.followed["onetrust"][0]["group"] == "C0009"
    assert consent() == "pending" and fake.tag is None
    fake.followed["onetrust"][1]({"groups": ",C0001,C0009,", "closed": True})
    assert consent() == "granted" and fake.tag == ("/rtp.js", "/pod", "ACME-1", "", "")


def test_the_config_takes_every_snippet_form(fake):
    fake.config = {"tag": {"src": "//cdn.example.com/rtp.js", "account": "A", "query": "aid", "e": "E",
                           "exclude_bots": True}}
    start()
    assert fake.tag == ("//cdn.example.com/rtp.js", "", "A", "aid", "E")


def test_follow_consent_holds_until_the_platform_answers_then_follows_each_change(recorder, fake):
    calls, tracker = recorder
    follow_consent("cookiebot")
    assert consent() == "pending"
    tracker.send_event("A")
    answer = fake.followed["cookiebot"][1]
    answer({"answered": True, "allowed": True})
    assert calls == [sent("A")]
    answer({"answered": True, "allowed": False})
    assert consent() == "denied"
    tracker.send_event("B")
    assert calls == [sent("A")]


def test_a_missing_or_unreadable_platform_is_reported_and_keeps_the_hold(fake):
    follow_consent("tcf")
    fake.followed["tcf"][1]({"missing": "window.__tcfapi not found on the page 10 s after it loaded"})
    fake.followed["tcf"][1]({"unreadable": "getter threw"})
    fake.followed["tcf"][1](["not", "a", "dict"])
    assert consent() == "pending"
    warnings = [message for level, message in fake.console_lines if level == "warn"]
    assert ("consent platform tcf: window.__tcfapi not found on the page 10 s after it loaded (rtp_py follows it if "
            "it comes later); consent stays pending") in warnings[0]
    assert "could not be read (getter threw)" in warnings[1]
    assert "could not be read (not a dict)" in warnings[2]


@pytest.mark.parametrize("platform, settings, field", [
    ("usercentrics", {}, "platform"), ("tcf", {"purpose": [1]}, "purpose"), ("tcf", {"purposes": []}, "purposes"),
    ("tcf", {"purposes": [1, 12]}, "purposes[1]"), ("tcf", {"vendor": "565"}, "vendor"),
    ("consent-mode", {"signals": ["ads"]}, "signals[0]"), ("onetrust", {"group": "C0001,C0004"}, "group"),
    ("cookiebot", {"category": "necessary"}, "category")])
def test_follow_consent_names_a_bad_platform_or_setting(platform, settings, field, fake):
    with pytest.raises(ValidationError) as error:
        follow_consent(platform, **settings)
    assert error.value.field == field
    assert consent() == "granted" and fake.followed == {}


def test_gpc_denies_and_refuses_a_later_grant(recorder, fake):
    calls, tracker = recorder
    fake.sends_gpc = True
    assert honour_gpc() is True
    assert consent("granted") == "denied"
    tracker.send_event("A")
    assert calls == []
    assert any("Global Privacy Control" in message for _, message in fake.console_lines)


@pytest.mark.parametrize("platform, pending, granted", [
    ("tcf", {"success": True, "status": "cmpuishown", "applies": True, "purposes": {}},
     {"success": True, "status": "useractioncomplete", "applies": True, "purposes": {"1": True, "5": True, "6": True}}),
    ("consent-mode", [{"command": "default", "values": {"ad_storage": "denied"}, "region": False}],
     [{"command": "update", "values": {"ad_storage": "granted", "ad_personalization": "granted"}, "region": False}]),
    ("onetrust", {"groups": ",C0001,", "closed": False}, {"groups": ",C0001,C0004,", "closed": True}),
    ("cookiebot", {"answered": False, "allowed": False}, {"answered": True, "allowed": True})])
def test_with_gpc_no_platform_answer_lifts_denied(platform, pending, granted, recorder, fake):
    calls, tracker = recorder
    fake.sends_gpc = True
    honour_gpc()
    follow_consent(platform)
    assert consent() == "denied" and fake.consent == "denied"
    answer = fake.followed[platform][1]
    answer(pending)
    assert consent() == "denied" and fake.consent == "denied"
    answer(granted)
    tracker.send_event("A")
    assert consent() == "denied" and fake.consent == "denied" and calls == [] and gate.held() == 0
    assert any("Global Privacy Control" in message for _, message in fake.console_lines)


def test_with_gpc_neither_code_nor_another_interpreter_lifts_denied(fake):
    start()
    fake.sends_gpc = True
    honour_gpc()
    assert consent("pending") == "denied" and consent("granted") == "denied"
    fake.consent_watchers[-1]("granted")  # what the page does when another interpreter grants
    assert consent() == "denied"


def test_with_a_platform_in_the_config_the_page_starts_pending_not_granted(fake):
    fake.config = {"consent_from": "cookiebot"}
    start()
    assert fake.consent_history == ["pending"]


def test_with_gpc_in_the_config_a_browser_sending_it_starts_denied(fake):
    fake.config = {"consent_from": "cookiebot", "gpc": True}
    fake.sends_gpc = True
    start()
    assert fake.consent_history == ["denied"] and consent() == "denied"


def test_gpc_changes_nothing_when_the_browser_does_not_send_it():
    assert honour_gpc() is False
    assert consent() == "granted"

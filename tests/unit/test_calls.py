"""The whole tag: every call form's arguments, checked in Python, and the exact rtp(...) arguments."""

import pytest

from rtp_py import Tracker, ValidationError, VisitorError, VisitorTimeout
from fakepage import run_async
from rtp_py.calls import (MAX_CONF_DEPTH, MAX_CONF_VALUES, MAX_URL_LENGTH, REDIRECT_FIELDS, account_args,
                          campaign_args, custom_var_args, recommendation_set_args, redirect_args, view_args,
                          visitor_timeout)

ANSWER = {"status": 200, "results": {"matchedSegments": [{"name": "Whitepaper downloaders", "id": 4101}]}}


@pytest.mark.parametrize("call, expected", [
    (lambda: view_args(), ("send", "view")),
    (lambda: view_args("https://example.com/a?b=c"), ("send", "view", "https://example.com/a?b=c")),
    (lambda: account_args("ACME-1"), ("setAccount", "ACME-1")),
    (lambda: custom_var_args(5, "x" * 100), ("set", "customVar5", "x" * 100)),
    (lambda: redirect_args("isp", ("A", "B"), "/x", False), ("send", "redirect", "isp", ["A", "B"], "/x", False)),
    (lambda: redirect_args("isp", ["False"], "/x"), ("send", "redirect", "isp", ["False"], "/x")),
    (lambda: redirect_args("abm.code", {"/a": "T1", "/b": ["T2", "T3"]}),
     ("send", "redirect", "abm.code", {"/a": ["T1"], "/b": ["T2", "T3"]})),
    (lambda: redirect_args("abm.code", [13, 15], "/x"), ("send", "redirect", "abm.code", [13, 15], "/x")),
    (lambda: redirect_args("matchedSegments.id", 106, "/x"), ("send", "redirect", "matchedSegments.id", [106], "/x")),
    (lambda: redirect_args("matchedSegments.id", {"/a": [106, "107"]}),
     ("send", "redirect", "matchedSegments.id", {"/a": [106, "107"]})),
    (lambda: custom_var_args("custom1", "productA"), ("set", "custom1", "productA")),
    (lambda: custom_var_args("customVar5", "x"), ("set", "customVar5", "x")),
    (lambda: campaign_args(), ("get", "campaign", True)),
    (lambda: campaign_args(None), ("get", "campaign")),
    (lambda: recommendation_set_args({"a": [1, {"b": None}]}), ("set", "rcmd", "richmedia", {"a": [1, {"b": None}]})),
    (lambda: recommendation_set_args({"a": 1}, "template2"), ("set", "rcmd", "richmedia", "template2", {"a": 1})),
])
def test_each_call_form_gives_the_documented_arguments(call, expected):
    assert call() == expected


@pytest.mark.parametrize("call, field, problem", [
    (lambda: view_args(""), "page", "must not be empty"),
    (lambda: view_args("/a b"), "page", "contains whitespace at index 2"),
    (lambda: view_args(5), "page", "expected str, got int"),
    (lambda: view_args("/" * (MAX_URL_LENGTH + 1)), "page", "at most 2048 are allowed"),
    (lambda: account_args(None), "account_id", "expected str, got NoneType"),
    (lambda: account_args("a\u00a0b"), "account_id", "contains whitespace at index 1"),
    (lambda: custom_var_args("custom6", "x"), "slot", "a documented name (customVar1..customVar5, custom1..custom5)"),
    (lambda: custom_var_args("CustomVar1", "x"), "slot", "got 'CustomVar1'"),
    (lambda: custom_var_args(0, "x"), "slot", "expected an int from 1 to 5, got 0"),
    (lambda: custom_var_args(6, "x"), "slot", "got 6"),
    (lambda: custom_var_args(True, "x"), "slot", "got True"),
    (lambda: custom_var_args(1.0, "x"), "slot", "got float"),
    (lambda: custom_var_args(1, "x" * 101), "value", "is 101 characters long; at most 100 are allowed"),
    (lambda: custom_var_args(1, ""), "value", "must not be empty"),
    (lambda: custom_var_args(1, " x"), "value", "leading or trailing whitespace"),
    (lambda: redirect_args("country", "FR", "/fr"), "field", "expected one of matchedSegments.name"),
    (lambda: redirect_args("org", [], "/x"), "values", "must not be an empty list"),
    (lambda: redirect_args("org", ["a", 5], "/x"), "values[1]", "expected str (numbers only for matchedSegments.id"),
    (lambda: redirect_args("isp", [False], "/x"), "values[0]", "got bool"),
    (lambda: redirect_args("abm.code", [True], "/x"), "values[0]", "expected str or a number, got bool"),
    (lambda: redirect_args("abm.code", [float("nan")], "/x"), "values[0]", "must be a finite number"),
    (lambda: redirect_args("abm.code", None, "/x"), "values", "expected str, a number or a list of them"),
    (lambda: campaign_args(False), "populate", "expected True"),
    (lambda: redirect_args("org", 5, "/x"), "values", "expected str or list of str, got int"),
    (lambda: redirect_args("org", "a"), "url", "missing"),
    (lambda: redirect_args("org", "a", "/x", "yes"), "matched", "expected True or False, got str"),
    (lambda: redirect_args("org", {"/x": ["a"]}, "/y"), "url", "takes no url"),
    (lambda: redirect_args("org", {}), "values", "must not be an empty mapping"),
    (lambda: redirect_args("org", {"/x": [""]}), "values['/x'][0]", "must not be empty"),
    (lambda: recommendation_set_args([1]), "conf", "expected a dict, got list"),
    (lambda: recommendation_set_args({"": 1}), "conf", "keys must be non-empty str"),
    (lambda: recommendation_set_args({"a": float("nan")}), "conf['a']", "must be a finite number"),
    (lambda: recommendation_set_args({"a": {1, 2}}), "conf['a']", "expected JSON data, got set"),
    (lambda: recommendation_set_args({"a": 1}, ""), "template_id", "must not be empty"),
    (lambda: visitor_timeout(0), "timeout", "more than 0 and at most 60"),
    (lambda: visitor_timeout(61), "timeout", "got 61"),
    (lambda: visitor_timeout("5"), "timeout", "expected seconds (a number), got str"),
    (lambda: visitor_timeout(True), "timeout", "got bool"),
])
def test_each_bad_argument_names_itself(call, field, problem):
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field
    assert problem in caught.value.message


def test_conf_is_bounded_in_depth_and_size_without_recursion():
    deep = {}
    node = deep
    for _ in range(MAX_CONF_DEPTH):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(ValidationError, match="nests deeper than 8"):
        recommendation_set_args(deep)
    with pytest.raises(ValidationError, match="more than 1000 values"):
        recommendation_set_args({"a": list(range(MAX_CONF_VALUES + 1))})
    very_deep = node = {}
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(ValidationError):
        recommendation_set_args(very_deep)


def test_every_documented_redirect_field_is_accepted():
    for field in REDIRECT_FIELDS:
        assert redirect_args(field, "x", "/x")[2] == field


@pytest.fixture
def recorded():
    calls = []
    return Tracker(rtp=lambda *args: calls.append(args)), calls


def test_tracker_methods_record_their_calls_and_send_nothing_when_invalid(recorded):
    tracker, calls = recorded
    assert tracker.set_custom_var(1, "gold") is True
    assert tracker.redirect("org", "Acme", "/acme") is True
    assert tracker.send_view("/pricing") is True
    assert tracker.get_campaign() is True
    with pytest.raises(ValidationError):
        tracker.send_view("")
    assert tracker.get_campaign(None) is True
    assert tracker.redirect("org", "Acme", "/acme", matched=False) is True
    assert calls == [("set", "customVar1", "gold"), ("send", "redirect", "org", ["Acme"], "/acme"),
                     ("send", "view", "/pricing"), ("get", "campaign", True), ("get", "campaign"),
                     ("send", "redirect", "org", ["Acme"], "/acme", False)]


def test_out_of_order_calls_are_warned_and_still_sent(recorded, capsys):
    tracker, calls = recorded
    tracker.send_view()
    tracker.set_custom_var(2, "late")
    tracker.get_recommendations()
    err = capsys.readouterr().err
    assert "set_custom_var(2) after send_view()" in err
    assert "get_recommendations() before set_recommendations()" in err
    assert "get_recommendations() before send_view()" not in err
    assert len(calls) == 3
    Tracker(rtp=lambda *args: None).get_recommendations()
    assert "get_recommendations() before send_view()" in capsys.readouterr().err


def test_a_recorder_receives_python_callables(recorded):
    tracker, calls = recorded
    seen = []
    tracker.on_user_context_ready(lambda: seen.append("ready"))
    assert calls[0][0] == "userContextReady"
    calls[0][1]()
    assert seen == ["ready"]
    with pytest.raises(ValidationError):
        tracker.on_user_context_ready("not callable")


def test_get_visitor_with_a_recorder_takes_the_answer_as_a_dict():
    def rtp(*args):
        if args[:2] == ("get", "visitor"):
            args[2](ANSWER)

    visitor = run_async(Tracker(rtp=rtp).get_visitor(timeout=1))
    assert visitor.segment_names() == ["Whitepaper downloaders"] and visitor.segments[0].id == 4101


def test_get_visitor_raises_on_an_error_answer_on_no_answer_and_on_a_tag_error():
    def error(*args):
        args[2]({"status": 500, "error": "contact support"})

    with pytest.raises(VisitorError, match="contact support"):
        run_async(Tracker(rtp=error).get_visitor(timeout=1))
    with pytest.raises(VisitorTimeout, match="no answer within 0.05 s"):
        run_async(Tracker(rtp=lambda *args: None).get_visitor(timeout=0.05))

    def broken(*args):
        raise RuntimeError("blocked")

    with pytest.raises(VisitorError, match="did not take the call"):
        run_async(Tracker(rtp=broken).get_visitor(timeout=1))

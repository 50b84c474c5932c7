"""Visitor: the documented get visitor answer, typed; error and malformed answers raise VisitorError."""

import pytest

from rtp_py import Visitor, VisitorError

FULL = {"status": 200, "results": {
    "matchedSegments": [{"name": "Whitepaper downloaders", "id": 4101}, {"name": "Pricing", "id": "7"}],
    "abm": [{"code": "T1", "name": "Tier one"}], "org": "Acme",
    "location": {"country": "FR", "city": "Paris", "state": "IDF"}, "industries": ["Software"], "isp": "Orange"}}


def test_the_documented_answer_becomes_a_visitor():
    visitor = Visitor.from_answer(FULL)
    assert visitor.segment_names() == ["Whitepaper downloaders", "Pricing"]
    assert [s.id for s in visitor.segments] == [4101, "7"]
    assert visitor.in_segment("Pricing") and not visitor.in_segment("pricing")
    assert [(a.code, a.name) for a in visitor.abm] == [("T1", "Tier one")]
    assert (visitor.org, visitor.isp, visitor.industries) == ("Acme", "Orange", ["Software"])
    assert (visitor.location.country, visitor.location.city, visitor.location.state) == ("FR", "Paris", "IDF")
    assert visitor.answer is FULL
    assert "Whitepaper downloaders" in repr(visitor)


def test_missing_optional_fields_are_empty():
    visitor = Visitor.from_answer({"status": 200, "results": {}})
    assert (visitor.segments, visitor.abm, visitor.org, visitor.industries, visitor.isp) == ([], [], "", [], None)
    assert visitor.location.country == ""


@pytest.mark.parametrize("answer, message", [
    ({"status": 500, "error": "contact support"}, "contact support"),
    ({"status": 200, "message": "quota"}, "quota"),
    ({"status": 404}, "status 404"),
    ({"status": 200}, "no results"),
    ("text", "expected an object"),
    ({"status": 200, "results": {"matchedSegments": {"name": "x"}}}, "matchedSegments: expected a list"),
    ({"status": 200, "results": {"matchedSegments": [5]}}, "matchedSegments[0]: expected an object"),
    ({"status": 200, "results": {"org": {"name": "Acme"}}}, "org: expected a string, number or boolean, got an object"),
    ({"status": 200, "results": {"location": {"city": []}}}, "location.city: expected a string, number or boolean"),
    ({"status": 200, "results": {"location": "Paris"}}, "location: expected an object, got str"),
    ({"status": 200, "results": {"matchedSegments": [{"id": 177}]}}, "matchedSegments[0].name: expected a string"),
    ({"status": 200, "results": {"abm": [[4, "x"]]}}, "abm[0]: expected an object, got a list"),
    ({"status": 200, "results": {"industries": list("x" * 1001)}}, "more than 1000 items"),
])
def test_error_and_malformed_answers_raise(answer, message):
    with pytest.raises(VisitorError) as caught:
        Visitor.from_answer(answer)
    assert message in str(caught.value)

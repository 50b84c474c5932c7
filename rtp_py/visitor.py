"""`Visitor`: rtp's answer to `get visitor`, read the way the tag writes it.

Marketo documents the answer as `{status: 200, results: {matchedSegments: [{name, id}], abm: [{code, name}],
org, location: {country, city, state}, industries: [...], isp}}`, with segment ids and ABM codes as numbers
and `isp` a boolean; `matchedSegments` is there only if the visitor matched a segment before the call. An
error answer carries a message (a 500 means "contact support").

A `Visitor` keeps every value as rtp gave it (an id stays a number, `isp` a boolean) and keeps what rtp adds
beyond the documented fields (`.extra`, and the whole answer in `.answer`). Only an answer that cannot be a
visitor at all is a `VisitorError`: not an object, an error, no `results`, or a documented list or object
that is something else.

    >>> visitor = Visitor.from_answer({"status": 200, "results": {
    ...     "matchedSegments": [{"name": "first click", "id": 177}],
    ...     "abm": [{"code": 4, "name": "abm_top_customers"}], "org": "Marketo", "isp": False}})
    >>> visitor.in_segment("first click"), visitor.segments[0].id, visitor.abm[0].code, visitor.isp
    (True, 177, 4, False)
    >>> visitor.location.country
    ''
"""

from .errors import VisitorError
from .limits import MAX_ANSWER_ITEMS

TYPE_CHECKING = False  # typing is not there on MicroPython: its names are for the type checker only
if TYPE_CHECKING:
    from typing import Any, Iterable, Union

    Scalar = Union[str, int, float, bool]

# The fields `results` documents; anything else rtp sends is kept in `Visitor.extra`.
DOCUMENTED = ("matchedSegments", "abm", "org", "location", "industries", "isp")
# A documented single value may be any JSON scalar: rtp writes numbers, booleans and strings.
_SCALARS = (str, int, float, bool)


class Segment:
    """A matched segment: `.name` (a str) and `.id` (as rtp gave it: a number in Marketo's docs)."""

    def __init__(self, name: str, id: "Scalar | None") -> None:
        self.name = name
        self.id = id

    def __repr__(self):
        return "Segment(%r, %r)" % (self.name, self.id)


class AbmList:
    """An account-based-marketing list the visitor's company is on: `.code` (a number in Marketo's docs),
    `.name`."""

    def __init__(self, code: "Scalar | None", name: "Scalar") -> None:
        self.code = code
        self.name = name

    def __repr__(self):
        return "AbmList(%r, %r)" % (self.code, self.name)


class Location:
    """Where the visitor is: `.country`, `.city`, `.state` ("" when unknown)."""

    def __init__(self, country: "Scalar" = "", city: "Scalar" = "", state: "Scalar" = "") -> None:
        self.country = country
        self.city = city
        self.state = state

    def __repr__(self):
        return "Location(%r, %r, %r)" % (self.country, self.city, self.state)


def _problem(field, expected, value):
    return VisitorError("get visitor: %s: expected %s, got %s" % (field, expected, _kind(value)))


def _kind(value):
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _scalar(value, field, default=""):
    """A documented single value as rtp gave it (str, number or boolean); `default` when absent or null."""
    if value is None:
        return default
    if not isinstance(value, _SCALARS):
        raise _problem(field, "a string, number or boolean", value)
    return value


def _items(value, field):
    if value is None:
        return []
    if not isinstance(value, list):
        raise _problem(field, "a list", value)
    if len(value) > MAX_ANSWER_ITEMS:
        raise VisitorError("get visitor: %s: more than %d items" % (field, MAX_ANSWER_ITEMS))
    return value


def _record(item, field):
    if item is None:
        return {}
    if not isinstance(item, dict):
        raise _problem(field, "an object", item)
    return item


def _segment(item, field):
    record = _record(item, field)
    name = record.get("name")
    if not isinstance(name, str):  # segments are matched by name: one without a name matches nothing
        raise _problem(field + ".name", "a string", name)
    return Segment(name, _scalar(record.get("id"), field + ".id", None))


class Visitor:
    """Who the visitor is, as RTP sees them: `.segments`, `.abm`, `.org`, `.location`, `.industries`, `.isp`
    (None when rtp does not say), `.extra` (the fields of `results` Marketo does not document) and `.answer`
    (the whole answer, as rtp gave it)."""

    def __init__(self, segments: "Iterable[Segment]" = (), abm: "Iterable[AbmList]" = (), org: "Scalar" = "",
                 location: "Location | None" = None, industries: "Iterable[Scalar]" = (), isp: "Scalar | None" = None,
                 answer: "dict[str, Any] | None" = None, extra: "dict[str, Any] | None" = None) -> None:
        self.segments = list(segments)
        self.abm = list(abm)
        self.org = org
        self.location = location or Location()
        self.industries = list(industries)
        self.isp = isp
        self.answer = answer if answer is not None else {}
        self.extra = dict(extra or {})

    @classmethod
    def from_answer(cls, answer: object) -> "Visitor":
        """Build a Visitor from rtp's answer; raise `VisitorError` for an error answer, or one that cannot be
        a visitor at all."""
        if not isinstance(answer, dict):
            raise VisitorError("get visitor: expected an object as the answer, got " + _kind(answer))
        status = answer.get("status")
        message = answer.get("error") or answer.get("message")
        if status != 200 or message or not isinstance(answer.get("results"), dict):
            raise VisitorError("get visitor: rtp answered with an error (status %r): %s" % (
                status, message if message else "no results"))
        results = answer["results"]
        segments = [_segment(item, "matchedSegments[%d]" % index)
                    for index, item in enumerate(_items(results.get("matchedSegments"), "matchedSegments"))]
        abm = []
        for index, item in enumerate(_items(results.get("abm"), "abm")):
            record = _record(item, "abm[%d]" % index)
            abm.append(AbmList(_scalar(record.get("code"), "abm[%d].code" % index, None),
                               _scalar(record.get("name"), "abm[%d].name" % index)))
        where = _record(results.get("location"), "location")
        location = Location(*[_scalar(where.get(key), "location." + key) for key in ("country", "city", "state")])
        industries = [_scalar(item, "industries[%d]" % index)
                      for index, item in enumerate(_items(results.get("industries"), "industries"))]
        extra = {key: results[key] for key in results if key not in DOCUMENTED}
        return cls(segments, abm, _scalar(results.get("org"), "org"), location, industries,
                   _scalar(results.get("isp"), "isp", None), answer, extra)

    def segment_names(self) -> "list[str]":
        """The names of the segments the visitor matched, in rtp's order."""
        return [segment.name for segment in self.segments]

    def in_segment(self, name: str) -> bool:
        """True if the visitor matched the segment with exactly this name."""
        return name in self.segment_names()

    def __repr__(self):
        return "Visitor(segments=%r, org=%r, location=%r)" % (self.segment_names(), self.org, self.location)

"""`Visitor`: rtp's answer to `get visitor`, typed.

The documented answer is `{status: 200, results: {matchedSegments: [{name, id}], abm: [{code, name}], org,
location: {country, city, state}, industries: [], isp}}`; `matchedSegments` is there only if the visitor
matched a segment before the call. An error answer carries a message (a 500 means "contact support").

    >>> visitor = Visitor.from_answer({"status": 200, "results": {
    ...     "matchedSegments": [{"name": "Whitepaper downloaders", "id": 4101}], "org": "Acme"}})
    >>> visitor.in_segment("Whitepaper downloaders"), visitor.org, visitor.location.country
    (True, 'Acme', '')
"""

from .errors import VisitorError

# More than any real answer holds; a hostile one is refused rather than walked.
MAX_ITEMS = 1000


class Segment:
    """A matched segment: `.name` and `.id` (as rtp gave it, usually an int)."""

    def __init__(self, name, id):
        self.name = name
        self.id = id

    def __repr__(self):
        return "Segment(%r, %r)" % (self.name, self.id)


class AbmList:
    """An account-based-marketing list the visitor's company is on: `.code`, `.name`."""

    def __init__(self, code, name):
        self.code = code
        self.name = name

    def __repr__(self):
        return "AbmList(%r, %r)" % (self.code, self.name)


class Location:
    """Where the visitor is: `.country`, `.city`, `.state` ("" when unknown)."""

    def __init__(self, country="", city="", state=""):
        self.country = country
        self.city = city
        self.state = state

    def __repr__(self):
        return "Location(%r, %r, %r)" % (self.country, self.city, self.state)


def _text(value, field):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise VisitorError("get visitor: %s: expected a string, got %s" % (field, type(value).__name__))
    return value


def _items(value, field):
    if value is None:
        return []
    if not isinstance(value, list):
        raise VisitorError("get visitor: %s: expected a list, got %s" % (field, type(value).__name__))
    if len(value) > MAX_ITEMS:
        raise VisitorError("get visitor: %s: more than %d items" % (field, MAX_ITEMS))
    return value


def _record(item, field):
    if not isinstance(item, dict):
        raise VisitorError("get visitor: %s: expected an object, got %s" % (field, type(item).__name__))
    return item


class Visitor:
    """Who the visitor is, as RTP sees them. `answer` is the dict rtp gave."""

    def __init__(self, segments=(), abm=(), org="", location=None, industries=(), isp="", answer=None):
        self.segments = list(segments)
        self.abm = list(abm)
        self.org = org
        self.location = location or Location()
        self.industries = list(industries)
        self.isp = isp
        self.answer = answer if answer is not None else {}

    @classmethod
    def from_answer(cls, answer):
        """Build a Visitor from rtp's answer; raise `VisitorError` for an error answer or a malformed one."""
        if not isinstance(answer, dict):
            raise VisitorError("get visitor: expected an object as the answer, got " + type(answer).__name__)
        status = answer.get("status")
        message = answer.get("error") or answer.get("message")
        if status != 200 or message or not isinstance(answer.get("results"), dict):
            raise VisitorError("get visitor: rtp answered with an error (status %r): %s" % (
                status, message if message else "no results"))
        results = answer["results"]
        segments = []
        for index, item in enumerate(_items(results.get("matchedSegments"), "matchedSegments")):
            record = _record(item, "matchedSegments[%d]" % index)
            segments.append(Segment(_text(record.get("name"), "matchedSegments[%d].name" % index), record.get("id")))
        abm = []
        for index, item in enumerate(_items(results.get("abm"), "abm")):
            record = _record(item, "abm[%d]" % index)
            abm.append(AbmList(_text(record.get("code"), "abm[%d].code" % index),
                               _text(record.get("name"), "abm[%d].name" % index)))
        where = _record(results.get("location") or {}, "location")
        location = Location(*[_text(where.get(key), "location." + key) for key in ("country", "city", "state")])
        industries = [_text(item, "industries[%d]" % index)
                      for index, item in enumerate(_items(results.get("industries"), "industries"))]
        return cls(segments, abm, _text(results.get("org"), "org"), location, industries,
                   _text(results.get("isp"), "isp"), answer)

    def segment_names(self):
        """The names of the segments the visitor matched, in rtp's order."""
        return [segment.name for segment in self.segments]

    def in_segment(self, name):
        """True if the visitor matched the segment with exactly this name."""
        return name in self.segment_names()

    def __repr__(self):
        return "Visitor(segments=%r, org=%r, location=%r)" % (self.segment_names(), self.org, self.location)

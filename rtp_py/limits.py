"""Every bound rtp_py keeps, in one place, each with why. Modules import them from here; the public ones are
also exported by `rtp_py` (`MAX_VALUES`, `MAX_VALUE_LENGTH`, `MAX_HELD`).

The capture snippet (capture.js) is pasted into pages on its own, so it writes its two bounds itself; a unit
test checks they equal `MAX_KEPT_CLICKS` and `MAX_KEPT_LENGTH`.
"""

# --- event values (validation.py)
# RTP's documented limit: an event's value array holds at most four strings.
MAX_VALUES = 4
# RTP documents no length limit for a value. Ours, so that an accidental blob (a whole page, a base64 file) is
# an error rather than something the tag may truncate or refuse without a word.
MAX_VALUE_LENGTH = 1000
# Validated values remembered per page (sites send the same few events over and over), and the longest list
# and data-rtp-event text worth remembering.
MAX_REMEMBERED = 128
MAX_REMEMBERED_ITEMS = 8
MAX_REMEMBERED_TEXT = 4096

# --- the other call forms (calls.py, tag.py)
# A page for `send view`, a redirect's URL, rtp.js's URL: as long as browsers take them.
MAX_URL_LENGTH = 2048
# RTP documents no format for an account id; ours are short codes. Our bound, to refuse a pasted blob.
MAX_ACCOUNT_LENGTH = 100
# The User Context API: each custom variable's value is at most 100 characters.
MAX_CUSTOM_VAR_LENGTH = 100
# A rich-media configuration: plain JSON data, bounded so a mistake cannot send a megabyte.
MAX_CONF_DEPTH = 8
MAX_CONF_VALUES = 1000
# get_visitor's timeout, in seconds: the default (the real tag answers after one network round trip) and the
# most a caller may ask for.
DEFAULT_VISITOR_TIMEOUT = 5.0
MAX_VISITOR_TIMEOUT = 60
# insert_tag's exclude_bots: a user-agent pattern.
MAX_PATTERN_LENGTH = 1000

# --- what the page hands to Python (bridge.py, kit.js, visitor.py)
# Text read from the page (an attribute, a kept click) longer than this many characters is refused before it
# enters Python: no valid event comes near it, and a hostile 10 MB attribute must not reach the heap.
MAX_PAGE_TEXT = 65536
# An answer rtp passes to a callback (get visitor's) nesting deeper than this, or longer than this many
# characters as JSON, is not read into Python: the documented answer nests 4 deep in about 400 characters, and
# parsing a hostile one could exhaust the interpreter's stack or heap.
MAX_ANSWER_DEPTH = 32
MAX_ANSWER_LENGTH = 1048576
# Items in one list of a get visitor answer: more than any real answer holds.
MAX_ANSWER_ITEMS = 1000

# --- start-up capture (capture.js, startup.py)
# Clicks the capture snippet keeps across a navigation, and the longest attribute text it keeps.
MAX_KEPT_CLICKS = 50
MAX_KEPT_LENGTH = 8192

# --- consent (gate.py, platforms.py, consent.js)
# Calls held while consent is pending, at most; a page sends a handful before its visitor chooses.
MAX_HELD = 100
# A OneTrust group id ("C0004"); sites may rename their groups. OneTrust's list of active groups is read only
# up to this many characters (a real one lists a handful of ids).
MAX_GROUP_LENGTH = 50
MAX_GROUPS_TEXT = 4096
# How long after the page's load event a consent platform may take to arrive before rtp_py says it is missing
# (it still follows one that comes later), and the first wait of the back-off between looks.
PLATFORM_GRACE_MS = 10000
PLATFORM_FIRST_LOOK_MS = 50

# --- logging (report.py)
# Longest preview of a value in a log line; the `rtp-py:not-sent` event carries the whole value.
MAX_PREVIEW = 200

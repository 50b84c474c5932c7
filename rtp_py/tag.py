"""`insert_tag`: Marketo's RTP tag, inserted by rtp_py once consent is granted, in each form sites run.

It does what Marketo's deployment snippet does: the queue stub `rtp` (kept if the page has one), `rtp.a` (the
account id), and an async `<script>` for rtp.js, before the page's first script. Marketo's snippets come in
three forms, and a site has one of them today:

- with a pod (the Tag Setup page): `rtp.p` is the pod URL, and rtp.js's URL is used as given;
- without a pod (`query="rh"`, the default without one): rtp.js's URL gets `?rh=<the page's host>&aid=<account>`,
  built when the tag is inserted, as the snippet builds it at run time;
- the older account-only form (`query="aid"`): `?aid=<account>`, and `rtp.e` if the snippet passes a sixth
  argument (`e`).

`exclude_bots` is the snippet's bot exclusion: `True` for Marketo's pattern (`.(Googlebot|msnbot).`), or a
pattern of your own (a JavaScript regular expression, matched without case against `navigator.userAgent`).
A matching browser gets no tag at all. Behind consent, neither rtp.js nor anything it would send runs
before the visitor agrees.

    >>> tag_args("https://cdn.example.com/rtp.js", "https://pod.example.com", "ACME-1")
    ('https://cdn.example.com/rtp.js', 'https://pod.example.com', 'ACME-1', '', '')
    >>> tag_args("//cdn.example.com/rtp-api/v1/rtp.js", None, "561-HYG-937")
    ('//cdn.example.com/rtp-api/v1/rtp.js', '', '561-HYG-937', 'rh', '')
    >>> try:
    ...     tag_args("javascript:alert(1)", "/", "A")
    ... except ValidationError as error:
    ...     print(error)
    src: expected an https:// or http:// URL, //host/path or /path, got 'javascript:alert(1)'
"""

from . import bridge, gate
from .calls import _word
from .limits import MAX_ACCOUNT_LENGTH, MAX_PATTERN_LENGTH, MAX_URL_LENGTH
from .errors import ValidationError
from .report import report
from .validation import check_string, quote

URL_STARTS = ("https://", "http://", "//", "/")
# The query rtp_py builds on rtp.js's URL for a snippet without a pod.
QUERIES = ("rh", "aid")
# Marketo's documented bot exclusion: the snippet runs only if navigator.userAgent does not match this.
MARKETO_BOTS = ".(Googlebot|msnbot)."


def _url(value, field):
    text = _word(value, field, MAX_URL_LENGTH)
    if not text.lower().startswith(URL_STARTS) or text.startswith("///"):
        raise ValidationError(field, "expected an https:// or http:// URL, //host/path or /path, got " + quote(text))
    return text


def tag_args(src, pod=None, account=None, query=None, e=None):
    """The checked arguments of `insert_tag`, as the page inserts them: (src, pod or "", account, query or
    "", e or "")."""
    if account is None:
        raise ValidationError("account", "missing: the account id from your snippet (rtp.a)")
    account = _word(account, "account", MAX_ACCOUNT_LENGTH)
    if pod is not None:
        pod = _url(pod, "pod")
        if query is not None:
            raise ValidationError("query", "the snippet with a pod builds no query: leave query out, or pod")
    elif query is None:
        query = "rh"
    if query is not None and query not in QUERIES:
        raise ValidationError("query", "expected 'rh' (?rh=<host>&aid=<account>) or 'aid' (?aid=<account>), got %s"
                              % (quote(query) if isinstance(query, str) else type(query).__name__))
    src = _url(src, "src")
    if query is not None and "?" in src:
        raise ValidationError("src", "has a query already (%s): give rtp.js's URL without it; rtp_py adds ?%s"
                              % (quote(src[src.index("?"):]), "rh=<host>&aid=<account>" if query == "rh"
                                 else "aid=<account>"))
    return src, pod or "", account, query or "", "" if e is None else _word(e, "e", MAX_ACCOUNT_LENGTH)


def _bots(exclude_bots):
    """The user-agent pattern to exclude, or "" for none."""
    if exclude_bots is None or exclude_bots is False:
        return ""
    if exclude_bots is True:
        return MARKETO_BOTS
    if not isinstance(exclude_bots, str):
        raise ValidationError("exclude_bots", "expected True (Marketo's pattern) or a pattern (a str), got "
                              + type(exclude_bots).__name__)
    return check_string(exclude_bots, "exclude_bots", MAX_PATTERN_LENGTH)


def insert_tag(src: str, pod: "str | None" = None, account: "str | None" = None, *, query: "str | None" = None,
               e: "str | None" = None, exclude_bots: "bool | str | None" = None) -> bool:
    """Insert Marketo's RTP tag once consent is granted (at once if it is), in your snippet's form:

        insert_tag("<rtp-js-cdn-url>", "<pod-url>", "<accountId>")           # with a pod
        insert_tag("//<cdn-pod>/rtp-api/v1/rtp.js", account="561-HYG-937")  # ?rh=<host>&aid=<account>
        insert_tag("//<pod>-cdn.marketo.com/rtp-api/v1/rtp.js", account="561-HYG-937", query="aid")

    `exclude_bots=True` leaves the tag out for Marketo's bots (Googlebot, msnbot), or give your own pattern.
    Only the first call on a page inserts anything; returns True if the tag is inserted now, False if it
    waits for consent, the page already has it, or the browser is excluded."""
    args = tag_args(src, pod, account, query, e)
    pattern = _bots(exclude_bots)
    if pattern and bridge.current().user_agent_matches(pattern, "exclude_bots"):
        report("tag", "insert_tag: the tag is not inserted: this browser's user agent matches exclude_bots (%s)"
               % quote(pattern))
        return False
    inserted = []

    def insert():
        inserted.append(bridge.current().insert_tag(*args))

    gate.when_granted(insert)
    return bool(inserted and inserted[0])

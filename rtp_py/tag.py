"""`insert_tag`: Marketo's RTP tag, inserted by rtp_py once consent is granted.

It does what Marketo's documented deployment snippet does: the queue stub `rtp` (kept if the page has one),
`rtp.p` (the pod URL), `rtp.a` (the account id), and an async `<script>` for rtp.js, before the page's first
script. Behind consent, neither rtp.js nor anything it would send runs before the visitor agrees.

    >>> tag_args("https://cdn.example.com/rtp.js", "https://pod.example.com", "ACME-1")
    ('https://cdn.example.com/rtp.js', 'https://pod.example.com', 'ACME-1')
    >>> try:
    ...     tag_args("javascript:alert(1)", "/", "A")
    ... except ValidationError as error:
    ...     print(error)
    src: expected an https:// or http:// URL, //host/path or /path, got 'javascript:alert(1)'
"""

from . import bridge, gate
from .calls import MAX_ACCOUNT_LENGTH, MAX_URL_LENGTH, _word
from .errors import ValidationError
from .validation import quote

URL_STARTS = ("https://", "http://", "//", "/")


def _url(value, field):
    text = _word(value, field, MAX_URL_LENGTH)
    if not text.lower().startswith(URL_STARTS) or text.startswith("///"):
        raise ValidationError(field, "expected an https:// or http:// URL, //host/path or /path, got " + quote(text))
    return text


def tag_args(src, pod, account):
    """The checked arguments of `insert_tag`."""
    return _url(src, "src"), _url(pod, "pod"), _word(account, "account", MAX_ACCOUNT_LENGTH)


def insert_tag(src, pod, account):
    """Insert Marketo's RTP tag once consent is granted (at once if it is): `src` is rtp.js's URL (with
    `?rh=<host>&aid=<account>` if your snippet has them), `pod` the pod URL, `account` the account id,
    all three from the snippet Marketo gives you. Only the first call on a page inserts anything; returns
    True if the tag is inserted now, False if it waits for consent (or the page already has it)."""
    args = tag_args(src, pod, account)
    inserted = []

    def insert():
        inserted.append(bridge.page.insert_tag(*args))

    gate.when_granted(insert)
    return bool(inserted and inserted[0])

"""The exceptions rtp_py raises.

    RtpError                  base of everything rtp_py raises
    ├── ValidationError       a payload or argument is malformed; nothing was sent or bound
    ├── TagError              kept for code written for 0.2; never raised (a tag failure is a report)
    ├── BrowserRequired       a browser-only feature was used outside PyScript (plain CPython), or in a
    │                         PyScript worker on a page that is not cross-origin isolated
    └── VisitorError          rtp answered get visitor with an error, or with what rtp_py cannot read
        └── VisitorTimeout    no answer within the timeout (rtp.js blocked, or not loaded)

`ValidationError` is also a `ValueError` on CPython and Pyodide. MicroPython cannot give one class two
built-in exception bases ("multiple bases have instance lay-out conflict"), so there it is only an
`RtpError`: catch `RtpError` or `ValidationError` to be portable.
"""


class RtpError(Exception):
    """Base class of every error rtp_py raises."""


try:
    class ValidationError(RtpError, ValueError):
        """A value was rejected before reaching the tag.

        `.field` names the offending part (`value`, `value[5]`, `selector`, ...) and `.message` says
        what was expected and what came:

            >>> ValidationError("value[5]", "expected str, got int")
            ValidationError('value[5]: expected str, got int')
        """

        def __init__(self, field, message):
            super().__init__(field + ": " + message)
            self.field = field
            self.message = message

    IS_VALUE_ERROR = True
except TypeError:  # MicroPython: see the module docstring
    class ValidationError(RtpError):  # type: ignore[no-redef]
        """A value was rejected before reaching the tag (`.field`, `.message`)."""

        def __init__(self, field, message):
            super().__init__(field + ": " + message)
            self.field = field
            self.message = message

    IS_VALUE_ERROR = False


class BrowserRequired(RtpError):
    """A feature that needs the page (PyScript's JS bridge) was used in plain Python, or rtp_py was imported
    in PyScript's worker mode on a page that is not cross-origin isolated, where a worker cannot reach the
    page."""


class TagError(RtpError):
    """Kept so that code written for rtp_py 0.2 still imports. rtp_py no longer raises it: a call the tag
    did not take is a transport `Outcome` and a `tag-error` report (see `rtp_py.transport`)."""


class VisitorError(RtpError):
    """rtp answered `get visitor` with an error (its message is in this one's), or with an answer that is
    not the documented shape, or the tag did not take the call."""


class VisitorTimeout(VisitorError):
    """No answer to `get visitor` within the timeout: rtp.js is blocked or not loaded (the stub queues)."""

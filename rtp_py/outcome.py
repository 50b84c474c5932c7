"""What became of an `rtp(...)` call (`Outcome`), and what rtp may call back (`Reply`, `Unreadable`).

Every transport returns an `Outcome` for every call; `rtp_py.transport` explains transports.
"""

TYPE_CHECKING = False  # typing is not there on MicroPython: its names are for the type checker only
if TYPE_CHECKING:
    from typing import Callable


class Outcome:
    """What became of one `rtp(...)` call: `SENT`, `QUEUED` (rtp was missing: the documented queue stub was
    installed and holds the call for rtp.js), or a tag error (`failed(reason)`: rtp threw or could not be
    read). `.reached` is True for the first two."""

    def __init__(self, status: str, reason: "str | None" = None) -> None:
        self.status = status
        self.reason = reason

    @property
    def reached(self) -> bool:
        return self.status != "tag-error"

    def __repr__(self):
        if self.reason is None:
            return "Outcome(%r)" % self.status
        return "Outcome(%r, %r)" % (self.status, self.reason)


class Unreadable:
    """What a callback receives, as its one argument, when rtp called it with arguments the page could not
    read as plain data (a cyclic object, a BigInt, a throwing getter, nesting too deep): `.problem` says why."""

    def __init__(self, problem):
        self.problem = problem

    def __repr__(self):
        return "Unreadable(%r)" % self.problem


class Reply:
    """A callback rtp answers at most once (`get visitor`'s). Calling it runs `callback(*args)` the first time
    and does nothing after. `cancel()` gives up on the answer (a timeout): the page lets go of what it made
    to relay the call (it registered that with `on_cancel`), so nothing stays alive for the page's life.

        >>> answers = []
        >>> reply = Reply(answers.append)
        >>> reply("first"); reply("second")
        >>> answers, reply.answered
        (['first'], True)
    """

    def __init__(self, callback):
        self._callback = callback
        self._release = None
        self.answered = False

    def __call__(self, *args):
        if self.answered:
            return
        self.answered = True
        self._release = None  # the page let go when it relayed the answer
        self._callback(*args)

    def on_cancel(self, release: "Callable[[], object]") -> None:
        """The page's way to let go of its relay if no answer comes."""
        self._release = release

    def cancel(self) -> None:
        """No answer is wanted any more: a later call does nothing, and the page lets go of its relay."""
        self.answered = True
        release, self._release = self._release, None
        if release is not None:
            release()


SENT = Outcome("sent")
QUEUED = Outcome("queued")


def failed(reason: str) -> Outcome:
    """The outcome of a call the tag did not take, with why."""
    return Outcome("tag-error", reason)

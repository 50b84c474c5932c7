"""`start()`: bring tracking live on the page, replay clicks captured during start-up, and signal it."""

from . import bridge, gate, personalise
from .declarative import ATTRIBUTE, handle, on_document_click
from .report import debug, report
from .tracker import DEFAULT_VISITOR_TIMEOUT, default_tracker

# The capture snippet's bound on clicks kept across a navigation (capture.js; a unit test checks both).
MAX_KEPT_CLICKS = 50
MAX_KEPT_LENGTH = 8192

NEVER_STARTED = (
    "[rtp_py] every script on this page has run and none called start(): data-rtp-event clicks are not "
    "sent, and clicks captured during start-up are not replayed. Fix: call rtp_py.start() after your "
    "on_click bindings.")


def start():
    """Make tracking live: declarative tracking, replay of early clicks, then `<html class="rtp-ready">`.

    The first `start()` on a page (in any interpreter) installs the one document-level click listener and
    replays, in order and exactly once, the clicks captured before Python was ready: first those an
    earlier page of this site kept in the tab's sessionStorage when it was left before its own `start()`,
    then this page's. Later calls (the script included twice, a single-page app re-initialising) change
    nothing, so a click is never sent twice. A page with `when_segment` handlers or `data-rtp-segment`
    blocks is personalised: at once for a visitor this tab already knows, then from rtp's `get visitor`.
    Debug logging follows the page's switches (`<html data-rtp-debug>` or `[rtp_py] debug = true` in
    pyscript.toml) from import on.

        on_click("#download-whitepaper", "download - example whitepaper")
        start()
    """
    page = bridge.page
    if page.debug_switch():
        debug(True)
    if page.claim():
        # Listener first, then the replay: both run before the browser dispatches another click, so no
        # click is both captured and handled.
        page.listen(page.document, "click", on_document_click, capture=True)
        captured, over = page.drain_captured(ATTRIBUTE)
        if captured:
            report("replayed", "replaying %d click(s) captured during start-up" % len(captured))
        for element, raw, once, label in captured:
            handle(element, raw, once, label=label)
        if over:
            report("not-kept", "event not sent (not-kept): %d click(s) captured before start-up on an earlier "
                   "page could not be kept (at most %d clicks of at most %d characters are kept, and the "
                   "kept list must be readable)" % (over, MAX_KEPT_CLICKS, MAX_KEPT_LENGTH), None,
                   "%d click(s) over the bound" % over)
        if personalise.wanted():
            # The known visitor at once (no flash of the wrong content), then rtp's answer (once consent allows).
            personalise.apply_known()
            gate.when_granted(lambda: page.run_soon(personalise.refresh(default_tracker, DEFAULT_VISITOR_TIMEOUT)))
    page.mark_ready()


# Declarative clicks are silent if nothing ever calls start(): say so once every script has run.
bridge.page.warn_if_never_started(NEVER_STARTED)

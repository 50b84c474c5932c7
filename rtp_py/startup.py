"""`start()`: bring tracking live on the page, replay clicks captured during start-up, and signal it."""

from . import bridge
from .declarative import handle, on_document_click
from .report import debug, report


def start():
    """Make tracking live: declarative tracking, replay of early clicks, then `<html class="rtp-ready">`.

    The first `start()` on a page (in any interpreter) installs the one document-level click listener and
    replays, in order and exactly once, the clicks the capture snippet recorded before Python was ready.
    Later calls (the script included twice, a single-page app re-initialising) change nothing, so a click
    is never sent twice. Debug logging is switched on here if the page asks for it (`<html data-rtp-debug>`
    or `[rtp_py] debug = true` in pyscript.toml).

        on_click("#download-whitepaper", "download - example whitepaper")
        start()
    """
    if bridge.page_debug():
        debug(True)
    if bridge.claim_page():
        # Listener first, then the replay: both run before the browser dispatches another click, so no
        # click is both captured and handled.
        bridge.listen(bridge.document, "click", on_document_click, capture=True)
        captured = bridge.drain_captured()
        if captured:
            report("replayed", "replaying %d click(s) captured during start-up" % len(captured))
        for element, raw, once in captured:
            handle(element, raw, once)
    bridge.mark_ready()

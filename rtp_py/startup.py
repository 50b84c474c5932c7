"""`start()`: bring tracking live on the page and signal it."""

from . import bridge

_started = False


def start():
    """Mark tracking as live by adding the class `rtp-ready` to `<html>`; safe to call more than once.

    Call it after your `on_click` bindings, so tests and pages can wait for `html.rtp-ready`.
    """
    global _started
    bridge.mark_ready()
    _started = True

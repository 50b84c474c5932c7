"""`start()`: the one step that acts on the page. It applies the config, brings tracking live, replays the clicks
captured during start-up, personalises, and signals it. `import rtp_py` only reads."""

from . import bridge, config, gate, personalise
from .declarative import ATTRIBUTE, handle, on_document_click
from .errors import ValidationError
from .limits import DEFAULT_VISITOR_TIMEOUT, MAX_KEPT_CLICKS, MAX_KEPT_LENGTH
from .report import debug, report
from .tag import insert_tag
from .tracker import default_tracker


def start() -> None:
    """Make rtp_py live on the page, then add the class `rtp-ready` to `<html>`.

    - The config's `[rtp_py]` table takes effect: the consent state is set page-wide (and announced), the
      platform in `consent_from` is followed, Global Privacy Control honoured (`gpc`), the tag in
      `[rtp_py.tag]` inserted once consent allows. A bad setting is a `ValidationError` naming it.
    - The first `start()` on a page (in any interpreter) installs the one document-level click listener and
      replays, in order and exactly once, the clicks captured before Python was ready: first those an
      earlier page of this site kept in the tab's sessionStorage when it was left before its own `start()`,
      then this page's. Later calls (the script included twice, a single-page app re-initialising) change
      nothing, so a click is never sent twice.
    - A page with `when_segment` or `when_visitor` handlers or `data-rtp-segment` blocks is personalised: at
      once for a visitor this tab already knows, then from rtp's `get visitor`.
    - Debug logging follows the page's switches (`<html data-rtp-debug>` or `[rtp_py] debug = true`).

        on_click("#download-whitepaper", "download - example whitepaper")
        start()
    """
    page = bridge.current()
    if page.debug_switch():
        debug(True)
    _apply(config.read())
    if page.claim():
        # Listener first, then the replay: both run before the browser dispatches another click, so no
        # click is both captured and handled.
        page.listen(None, "click", on_document_click, capture=True)
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


def _apply(settings):
    """What the config asks for: the state published, GPC, the platform followed, the tag inserted."""
    gate.publish()
    if settings.gpc:
        gate.honour_gpc(True)
    if settings.platform is not None:
        gate.follow_consent(settings.platform, **settings.platform_settings)
    if settings.tag is not None:
        tag = settings.tag
        try:
            insert_tag(tag["src"], tag.get("pod"), tag["account"], query=tag.get("query"), e=tag.get("e"),
                       exclude_bots=tag.get("exclude_bots"))
        except ValidationError as error:
            raise ValidationError("[rtp_py.tag] " + error.field, error.message) from None

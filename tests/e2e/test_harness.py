"""The browser harness's own promises, where no engine-parametrised journey shows them (see also the controls
at the end of test_engines.py: the offline guard, the rerun of a test whose page crashed)."""

from engines import BrowserFailure, launch


def test_a_minibrowser_that_does_not_start_gets_a_new_webkit_driver(base_url, server):
    """WebKit only: when its first session does not start (POST /session times out, as a MiniBrowser once did in
    CI), the page starts in a MiniBrowser of a new WebKitWebDriver, and the old driver's processes are gone."""
    with launch("webkit") as browser:
        first_driver, sessions = browser._driver, []
        answer = browser.driver

        def driver(method, path, body=None, **options):
            if (method, path) == ("POST", "/session"):
                sessions.append(browser._driver.pid)
                if len(sessions) == 1:
                    raise BrowserFailure("POST /session: timed out")
            return answer(method, path, body, **options)

        browser.driver = driver
        page = browser.new_page(base_url)
        page.goto("/tests/pages/landing.html")
        assert page.evaluate("() => document.readyState") == "complete"
        assert sessions == [first_driver.pid, browser._driver.pid] and first_driver.poll() is not None
        page.close()

"""The embed kit (scripts/kit.py) on a plain static server that is not ours, clicked through in Chromium: the
starter pages (rtp_py's loader and bundle) and, with --packages, the pages that install rtp_py the PyScript
way (micropip on Pyodide, mip on MicroPython).

The kit is written into temporary sites three ways: as the web root, as a sub-folder (both with its default
relative URLs), and with `--url /assets/rtp/` for a page in another folder (/blog/). Python's own
`http.server` serves the site, as the README tells users to try it, so nothing of scripts/serve.py (MIME
types, gzip, the wheel rebuild) helps. conftest's guard fails a test on any request that leaves localhost and
on any console error (a 404 included).
"""

import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

import build
import kit
from pagetools import queued, wait_ready
from support import WHITEPAPER

TAG_CALLS = [["send", "view"], ["get", "campaign", True]]  # the starter's tag snippet makes these first
DECLARATIVE = ["send", "event", {"value": ["MyEvent", WHITEPAPER]}]
ON_CLICK = ["send", "event", {"value": WHITEPAPER}]
SERVER_START_S = 30  # a bound on waiting for the server's port, not a sleep


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A temporary site with the kit (and what `packages` needs: --packages) as its web root."""
    root = tmp_path_factory.mktemp("site")
    kit.write_kit(root, packages=True)
    return root


@pytest.fixture(scope="module")
def other_site(tmp_path_factory):
    """A site with nothing at its root: the kit in /sub/, and at /assets/rtp/ (`--url`) for a page in /blog/.
    A kit URL that wrongly starts at the site's root finds nothing here."""
    root = tmp_path_factory.mktemp("other-site")
    kit.write_kit(root / "sub")
    kit.write_kit(root / "assets" / "rtp", base="/assets/rtp/")
    (root / "blog").mkdir()
    for page in ("rtp-starter-py.html", "rtp-starter-mpy.html"):
        (root / "blog" / page).write_text((root / "assets" / "rtp" / page).read_text())
    return root


def serve_plain(folder):
    """`python -m http.server` serving `folder` on a free port of 127.0.0.1; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        match = re.search(r"port (\d+)", line)
        assert match, "http.server did not say where it listens: %r" % line
        port = int(match.group(1))
        deadline = time.monotonic() + SERVER_START_S
        while True:  # poll until it accepts connections
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "http.server never accepted a connection"
        yield "http://127.0.0.1:%d" % port
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def plain_server(site):
    yield from serve_plain(site)


@pytest.fixture(scope="module")
def other_server(other_site):
    yield from serve_plain(other_site)


def starter(interpreter):
    return "rtp-starter-%s.html" % interpreter


def failed_responses(page):
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    return failed


@pytest.mark.parametrize("where", ["web-root", "sub-folder", "page-elsewhere"])
def test_starter_page_sends_both_downloads(page, request, interpreter, where):
    """The starter page, served by a plain server, tracks the attribute button and the on_click button."""
    base, folder = {"web-root": ("plain_server", ""), "sub-folder": ("other_server", "sub/"),
                    "page-elsewhere": ("other_server", "blog/")}[where]
    failed = failed_responses(page)
    page.goto("%s/%s%s" % (request.getfixturevalue(base), folder, starter(interpreter)))
    wait_ready(page)
    assert queued(page) == TAG_CALLS
    page.click("#download-declarative")
    page.click("#download-whitepaper")
    expect(page.locator("#rtp-calls li")).to_have_count(4)
    assert queued(page) == TAG_CALLS + [DECLARATIVE, ON_CLICK]
    expect(page.locator("#rtp-calls li").last).to_have_text(
        'rtp("send", "event", {"value":"download - example whitepaper"})')
    assert failed == []


def test_starter_page_preload_hints_are_each_downloaded_once(page, plain_server, site, interpreter):
    """Every file the starter hints is requested once and used by the start: a hint whose mode did not match
    PyScript's own request would download it twice (and Chromium would warn)."""
    requests, warnings = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: "preload" in message.text and warnings.append(message.text))
    page.goto("%s/%s" % (plain_server, starter(interpreter)))
    wait_ready(page)
    hinted = page.eval_on_selector_all('link[rel="preload"], link[rel="modulepreload"]',
                                       "links => links.map(link => link.href)")
    assert len(hinted) == len(kit.preload_urls(interpreter, "", "config", "bundle")) and hinted
    assert {url: requests.count(url) for url in hinted} == {url: 1 for url in hinted}
    assert warnings == []


def test_click_during_start_up_is_replayed(page, plain_server, interpreter):
    """A click on the attribute button before Python is up is captured in <head> and sent once at start."""
    clicked, held = [], []

    def hold_bundle_until_clicked(route):  # Python cannot import rtp_py before the loader has it
        if clicked:
            route.fallback()
        else:
            held.append(route)

    page.route("**/rtp_py-*.bundle", hold_bundle_until_clicked)
    page.goto("%s/%s" % (plain_server, starter(interpreter)), wait_until="domcontentloaded")
    page.click("#download-declarative")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\brtp-ready\b"))
    assert queued(page) == TAG_CALLS
    clicked.append(True)
    for route in held:
        route.fallback()
    wait_ready(page)
    assert queued(page) == TAG_CALLS + [DECLARATIVE]
    page.click("#download-declarative")
    assert queued(page) == TAG_CALLS + [DECLARATIVE, DECLARATIVE]


def test_plain_server_serves_the_kit_with_working_types(plain_server, site):
    """http.server sends .wasm as application/wasm and .mjs/.js as JavaScript (the loader too); the bundle and
    the configs are 200, whatever their type."""
    def content_type(path):
        with urllib.request.urlopen(plain_server + "/" + path, timeout=30) as response:
            assert response.status == 200
            return response.headers["Content-Type"]

    names = build.names(build.version())
    assert content_type("pyodide/pyodide.asm.wasm") == "application/wasm"
    assert content_type("micropython/micropython.wasm") == "application/wasm"
    assert content_type("pyodide/pyodide.mjs") == "text/javascript"
    assert content_type("pyscript/core.js") == "text/javascript"
    assert content_type(names["loader"]) == "text/javascript"
    assert content_type(names["bundle"])
    assert content_type("pyscript.toml") and content_type("pyscript.mpy.toml")


def test_packages_way_tracks_both_downloads(page, plain_server, interpreter):
    """rtp_py installed the PyScript way, from the site's own origin: `packages` with the wheel's URL on Pyodide
    (micropip, itself from pyodide/ with the lock file's sha256 for it), `packages = ["./rtp_py/"]` on
    MicroPython (mip reads rtp_py/package.json). No loader on the page; both buttons tracked, nothing
    requested twice, no request off the machine (the guard), no console error."""
    requests, failed = [], failed_responses(page)
    page.on("request", lambda request: requests.append(request.url))
    page.goto("%s/%s" % (plain_server, kit.PACKAGE_KINDS[interpreter][2]))
    wait_ready(page)
    assert not [url for url in requests if url.endswith((".bundle", "rtp_py-%s.js" % build.version()))]
    installer = "pyodide/micropip-" if interpreter == "py" else "rtp_py/package.json"
    assert [url for url in requests if installer in url]
    assert queued(page) == TAG_CALLS
    page.click("#download-declarative")
    page.click("#download-whitepaper")
    expect(page.locator("#rtp-calls li")).to_have_count(4)
    assert queued(page) == TAG_CALLS + [DECLARATIVE, ON_CLICK]
    assert failed == []
    assert len(requests) == len(set(requests))

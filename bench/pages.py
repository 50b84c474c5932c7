"""The bench's pages, the Python it injects into them, the server that serves them, and rtp_py's own bytes.

Pages: bench/pages/rtp.html (rtp_py as index.html uses it, `?interpreter=mpy` for MicroPython), its <head>
built by scripts/serve.py from the same template as the test pages (the real capture.js injected), and
bench/pages/js.html (the same tracking written by hand in JS, no Python). The helpers in bench/pages/bench.js
are added as an init script, so they cost the pages no request.
"""

import gzip
import re
import textwrap
import zipfile
from pathlib import Path

import serve  # scripts/serve.py: the dev server the demo and the tests use

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("py", "mpy", "js")
LABELS = {"py": "Pyodide", "mpy": "MicroPython", "js": "plain JS"}
PAGES = {"py": "/bench/pages/rtp.html", "mpy": "/bench/pages/rtp.html?interpreter=mpy", "js": "/bench/pages/js.html"}
BENCH_JS = (ROOT / "bench" / "pages" / "bench.js").read_text()
WP = "download - example whitepaper"

# Injected into a ready rtp_py page: window.benchPy(kind, n) makes n send_event calls and returns the ms they
# took, timed in Python with the page's clock. Only the public API is used.
PY_HELPER = textwrap.dedent("""\
    from pyscript import document, window
    from pyscript.ffi import create_proxy
    from rtp_py import send_event

    _VALUES = {"str": "download - example whitepaper",
               "list": ["MyEvent", "download - example whitepaper", "whitepaper", "gated"]}

    def _bench(kind, n):
        now = window.performance.now
        if str(kind) == "noop":  # the floor: one Python -> JS call of a function that does nothing
            noop = window.bench.noop
            value = _VALUES["str"]
            t0 = now()
            for _ in range(int(n)):
                noop(value)
            return now() - t0
        value = _VALUES[str(kind)]
        t0 = now()
        for _ in range(int(n)):
            send_event(value)
        return now() - t0

    window.benchPy = create_proxy(_bench)
    document.documentElement.setAttribute("data-bench-py", "ready")
""")

INJECT_JS = """([type, code]) => {
    const script = document.createElement("script");
    script.type = type; script.textContent = code;
    document.body.append(script);
}"""


class CountingHandler(serve.Handler):
    """scripts/serve.py's handler (same MIME types, caching, templates) that also logs each response."""

    def log_request(self, code="-", size="-"):
        try:
            self.server.requests.append((self.path, int(code)))
        except (TypeError, ValueError):
            pass
        super().log_request(code, size)

    def end_headers(self):
        # Cross-origin isolation for the bench pages only: Chromium then gives performance.now() a 5 µs
        # resolution instead of 100 µs, which per-click latencies need. Everything is same-origin, so it
        # changes nothing else on these pages.
        if self.path.startswith("/bench/pages/"):
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()


def start_server():
    """Our server on a free port of 127.0.0.1, counting requests in `server.requests`."""
    server = serve.serve_in_background(port=0, verbose=False, handler=CountingHandler)
    server.requests = []
    return server


def templated():
    """True if the rtp_py bench page takes its <head> (and capture.js) from the shared template."""
    return serve.HEAD_MARKER in (ROOT / "bench" / "pages" / "rtp.html").read_text()


def own_bytes():
    """rtp_py as pages load it: the wheel named in pyscript.toml's [files] (the same in pyscript.mpy.toml),
    and capture.js, which pages inline."""
    text = (ROOT / "pyscript.toml").read_text()
    wheel = ROOT / re.search(r'^"\./(dist/[^"]+\.whl)"', text, re.M).group(1)
    capture = (ROOT / "rtp_py" / "capture.js").read_bytes()
    with zipfile.ZipFile(wheel) as archive:
        inside = [info for info in archive.infolist() if info.filename.startswith("rtp_py/")]
        modules = b"".join(archive.read(info) for info in inside)
    return {
        "wheel": str(wheel.relative_to(ROOT)),
        "wheel_bytes": wheel.stat().st_size,
        "files_inside": len(inside),
        "raw": len(modules) + len(capture),
        "gzip": len(gzip.compress(modules + capture, 9)),
        "same_wheel_in_mpy_toml": wheel.name in (ROOT / "pyscript.mpy.toml").read_text(),
    }

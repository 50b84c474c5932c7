"""A small static server for the demo and the tests: correct MIME types, sensible caching, localhost only.

    python3 scripts/serve.py                 # http://127.0.0.1:8000/
    python3 scripts/serve.py --port 0        # any free port

It serves the repository root, so `/` is index.html, `/demo/` the demo site, `/vendor/` the runtimes
that scripts/vendor.py copied from node_modules and `/dist/` rtp_py's wheel, the one file of rtp_py that pages
load. Before serving anything under /dist/ it rebuilds dist/ (scripts/build.py) if rtp_py/ changed
since, so an edit shows on the next reload and a test never loads a stale bundle.
Tooling folders (dot folders, node_modules) are not served.
"""

import argparse
import email.utils
import functools
import gzip
import http.server
import io
import os
import threading
import time
from pathlib import Path

import build  # scripts/build.py: dist/'s bundle, loader and wheel

ROOT = Path(__file__).resolve().parent.parent

# Pinned rather than guessed from the OS: a wrong type for .wasm makes Pyodide hang with only a console
# message, and module scripts (.mjs) are refused unless served as JavaScript.
MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",  # a wheel is a zip; PyScript reads the bytes whatever the type
    ".py": "text/x-python; charset=utf-8",
    ".toml": "application/toml; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    "": "application/octet-stream",
}

# The runtimes are pinned and never change under the same path within a run: let the browser keep them
# for a day. Our own files change while you edit them: the browser must revalidate every time.
VENDOR_CACHE = "public, max-age=86400"
OWN_CACHE = "no-cache"
# Pages sent with the cross-origin isolation headers that PyScript's worker mode needs (tests/e2e/test_worker.py).
ISOLATED_PAGES = ("/tests/pages/worker.html",)

HIDDEN_PREFIXES = ("/.", "/node_modules", "/scripts", "/pyproject.toml", "/package")
# /slow/<ms>/<path> is <path>, answered <ms> milliseconds late (at most 10 s): a slow network, for the tests of a
# page left or clicked while Python is still starting (tests/pages/tracking.html?slow=<ms>).
SLOW_PREFIX = "/slow/"
MAX_SLOW_MS = 10000

# Sent gzipped when the browser accepts it, as any production server would: text, and wasm (Pyodide's
# 9.6 MB wasm shrinks to about a third). The zip of Pyodide's standard library is compressed already.
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".py", ".toml", ".svg", ".wasm"}
_gzip_cache = {}  # (path, mtime) -> compressed bytes
_gzip_lock = threading.Lock()
_wheel_lock = threading.Lock()


def _sources_state():
    """What dist/ is built from, as (path, mtime) pairs: a file added, changed or removed changes it."""
    paths = [p for p in (ROOT / "rtp_py").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    paths += [ROOT / "pyproject.toml", ROOT / "kit" / "loader.js", ROOT / "scripts" / "build.py"]
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in paths if p.exists()))


_built = {"state": None}


def ensure_wheel() -> None:
    """Rebuild dist/ (the bundle, the loader, the wheel: scripts/build.py, ~0.3 s) if anything it is built from
    changed since the last check; otherwise a stat of each source, well under a millisecond, in this process."""
    with _wheel_lock:
        state = _sources_state()
        if state != _built["state"]:
            names = build.names(build.version())
            if _built["state"] is not None or not all((ROOT / "dist" / name).is_file() for name in names.values()) \
                    or max(mtime for _, mtime in state) > min((ROOT / "dist" / name).stat().st_mtime_ns
                                                              for name in names.values()):
                build.build()
            _built["state"] = state


def _gzipped(path, mtime):
    key = (path, mtime)
    with _gzip_lock:
        if key not in _gzip_cache:
            _gzip_cache[key] = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
        return _gzip_cache[key]


# Test and bench pages share one <head>, built from tests/pages/head.template.html with the real capture.js
# injected where a page says HEAD_MARKER (Plausible's tracker tests build their pages the same way), so no
# page carries a pasted copy that could fall behind. Pages a customer would copy (index.html, the demo)
# keep the snippet pasted, as a customer's page does.
HEAD_MARKER = "<!-- rtp_py:head -->"
HEAD_TEMPLATE = ROOT / "tests" / "pages" / "head.template.html"
CAPTURE_JS = ROOT / "rtp_py" / "capture.js"
CAPTURE_MARKER = "/* rtp_py:capture.js */"


def render_page(text):
    """A page's text with HEAD_MARKER replaced by the shared head, capture.js injected verbatim."""
    head = HEAD_TEMPLATE.read_text().replace(CAPTURE_MARKER, CAPTURE_JS.read_text().strip())
    return text.replace(HEAD_MARKER, head.strip())


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = MIME_TYPES

    def send_head(self):
        if self.path.startswith(SLOW_PREFIX):
            delay, _, rest = self.path[len(SLOW_PREFIX):].partition("/")
            if not delay.isdigit() or int(delay) > MAX_SLOW_MS:
                self.send_error(404, "Not served")
                return None
            time.sleep(int(delay) / 1000)  # the server answering late, as a slow network would
            self.path = "/" + rest
        path = self.path.split("?", 1)[0]
        if path.startswith(HIDDEN_PREFIXES) or "/." in path:
            self.send_error(404, "Not served")
            return None
        if path.startswith("/dist/") and self.directory == str(ROOT):
            try:
                ensure_wheel()
            except (OSError, SystemExit, ValueError, SyntaxError) as error:
                self.send_error(500, "could not build rtp_py's bundle: %s" % error)
                return None
        local = self.translate_path(self.path)
        templated = local.endswith(".html") and os.path.isfile(local) and HEAD_MARKER in Path(local).read_text()
        if (templated or os.path.splitext(local)[1] in COMPRESSIBLE and os.path.isfile(local)) \
                and "gzip" in self.headers.get("Accept-Encoding", ""):
            return self._send_gzipped(local, templated)
        if templated:
            body = render_page(Path(local).read_text()).encode()
            self.send_response(200)
            self.send_header("Content-Type", MIME_TYPES[".html"])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def _send_gzipped(self, local, templated=False):
        sources = [local, HEAD_TEMPLATE, CAPTURE_JS] if templated else [local]
        mtime = max(int(os.stat(source).st_mtime) for source in sources)
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if int(email.utils.parsedate_to_datetime(since).timestamp()) >= mtime:
                    self.send_response(304)
                    self.send_header("Vary", "Accept-Encoding")
                    self.end_headers()
                    return None
            except (TypeError, ValueError, IndexError, OverflowError):
                pass
        body = gzip.compress(render_page(Path(local).read_text()).encode(), 6, mtime=0) if templated \
            else _gzipped(local, mtime)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(local))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(mtime))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self):
        vendored = self.path.startswith("/vendor/")
        self.send_header("Cache-Control", VENDOR_CACHE if vendored else OWN_CACHE)
        path, _, query = self.path.partition("?")
        if path in ISOLATED_PAGES and "isolated=no" not in query:
            # Cross-origin isolation: PyScript's worker mode needs it (SharedArrayBuffer) to give the worker a
            # synchronous `window`. Everything here is same-origin, so it blocks nothing these pages load.
            # ?isolated=credentialless: the embedder policy that still lets no-cors cross-origin scripts load.
            embedder = "credentialless" if "isolated=credentialless" in query else "require-corp"
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", embedder)
        super().end_headers()

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    verbose = True


def make_server(port: int = 8000, host: str = "127.0.0.1", root: Path = ROOT, verbose: bool = True,
                handler=None) -> Server:
    """Return a bound (not yet serving) server for `root`; port 0 picks a free port. `handler` is a
    subclass of Handler (the bench's counts requests)."""
    server = Server((host, port), functools.partial(handler or Handler, directory=str(root)))
    server.verbose = verbose
    return server


def serve_in_background(**kwargs) -> Server:
    """Start a server on a daemon thread and return it; call .shutdown() to stop it."""
    server = make_server(**kwargs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    if not (ROOT / "vendor" / "pyscript" / "core.js").exists():
        raise SystemExit("serve: vendor/ is empty; run `make vendor` (npm ci + scripts/vendor.py) first")
    server = make_server(args.port, args.host)
    host, port = server.server_address[:2]
    print(f"rtp_py: serving {ROOT} at http://{host}:{port}/  (demo: http://{host}:{port}/demo/)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

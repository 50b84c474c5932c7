"""The bench's pages, the Python it injects into them, the servers that serve them, and rtp_py's own bytes.

Pages on our server (scripts/serve.py): bench/pages/rtp.html (rtp_py as index.html uses it, `?interpreter=mpy`
for MicroPython), its <head> built by scripts/serve.py from the same template as the test pages (the real
capture.js and rtp_py's loader), bench/pages/bare.html (bare PyScript), bench/pages/personal.html (blocks for a
known visitor, with the segments snippet) and bench/pages/js.html (the same tracking written by hand in JS, no
Python). Pages as a site serves them: the kit (scripts/kit.py, with --packages) written into a temporary
folder and served by `python3 -m http.server` (no compression, no cache headers), its starter pages, a bare
starter page per interpreter (the starter less everything of rtp_py) and the starter pages that install rtp_py
the PyScript way. The helpers in bench/pages/bench.js are added as an init script, so they cost the pages no
request.
"""

import gzip
import io
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import tomllib
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import build  # scripts/build.py: the bundle, the loader
import kit  # scripts/kit.py: the kit, the starter page's preload hints
import vendor  # scripts/vendor.py: the runtime files, npm's among them
import serve  # scripts/serve.py: the dev server the demo and the tests use

ROOT = Path(__file__).resolve().parent.parent
# The main table's columns: rtp_py on each interpreter, bare PyScript beside it (same server, same config
# flags, one statement of Python, no rtp_py), and the same tracking in plain JS.
KINDS = ("mpy", "mpy-bare", "py", "py-bare", "js")
# The start-up table's extra columns (cold loads only): the kit's starter page and a bare starter page on
# `python3 -m http.server`; the starter pages that install rtp_py with `packages` (mip, micropip) there; and
# a page whose visitor is known, with data-rtp-segment blocks, on our server.
SITE_KINDS = ("kit-mpy", "kit-mpy-bare", "kit-py", "kit-py-bare", "pkg-mpy", "pkg-py", "seg-mpy", "seg-py")
ALL_KINDS = KINDS + SITE_KINDS
LABELS = {"mpy": "MicroPython", "mpy-bare": "bare MicroPython", "py": "Pyodide", "py-bare": "bare Pyodide",
          "js": "plain JS", "kit-mpy": "kit MicroPython", "kit-mpy-bare": "kit bare MicroPython",
          "kit-py": "kit Pyodide", "kit-py-bare": "kit bare Pyodide", "pkg-mpy": "mip MicroPython",
          "pkg-py": "micropip Pyodide", "seg-mpy": "known visitor MicroPython", "seg-py": "known visitor Pyodide"}
PYTHON_KINDS = ("mpy", "mpy-bare", "py", "py-bare")   # a Python page: ready, interpreter, done marks
RTP_KINDS = ("mpy", "py")                               # rtp_py's pages: call costs and clicks
BARE_OF = {"mpy": "mpy-bare", "py": "py-bare", "kit-mpy": "kit-mpy-bare", "kit-py": "kit-py-bare",
           "pkg-mpy": "kit-mpy-bare", "pkg-py": "kit-py-bare", "seg-mpy": "mpy-bare", "seg-py": "py-bare"}
BARE_KINDS = ("mpy-bare", "py-bare", "kit-mpy-bare", "kit-py-bare")   # ready = PyScript's done event
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


# Options tried by `--options` (bench/README gives their measured effect): each is one way of delivering rtp_py
# to the page, or one change to the shipped config or page; "shipped" is the page and config as they are.
# Configs are built from pyscript.toml / pyscript.mpy.toml and served under /bench/variant/; the bare page gets
# the same config minus what loads rtp_py. `loader` is the loader a page includes (None: none).
BUILD = "/bench/build/"
MPY_BUNDLE = BUILD + "rtp_py-mpy.bundle"
MPY_LOADER = BUILD + "rtp_py-mpy.js"
NPM_PYODIDE = "/bench/npm-pyodide/"  # npm's pyodide files as they are (vendor/ has the stdlib compiled)
OPTIONS = {
    "shipped": {},
    "wheel": {"files": "wheel", "loader": None},
    "loose-files": {"files": "loose", "loader": None},
    "bundle-mpy": {"mpy_loader": MPY_LOADER},
    "preload": {"preload": True},
    "worker": {"worker": True},
    "source-stdlib": {"npm_pyodide": True},
}
OPTION_TEXT = {
    "shipped": "the loader and the bundle (pages include `rtp_py-<version>.js`, and the config names it in "
               "`[js_modules.main]`)",
    "wheel": "0.4.0's delivery: the wheel in the config's `[files]`, unpacked by PyScript's zip reader, no loader",
    "loose-files": "the bundle's files (comments and docstrings left out) as loose files in `[files]`, no loader",
    "bundle-mpy": "MicroPython only: the bundle with the modules precompiled by mpy-cross (.mpy), same loader",
    "preload": "the kit's preload hints (scripts/kit.py): PyScript's chunks, the config, the bundle, the "
               "interpreter's files",
    "worker": "PyScript's worker mode (`<script type=\"py\" worker>`): the interpreter starts and Python runs "
              "in a Web Worker, reaching the page through PyScript's `window` (needs cross-origin isolation, "
              "which the bench pages have)",
    "source-stdlib": "Pyodide only: npm's `python_stdlib.zip` as npm ships it, as source, which Pyodide compiles "
                     "at every start (vendor/ and the kit serve it compiled: scripts/pyc_stdlib.py); MicroPython "
                     "as shipped",
}


def shipped_config(interpreter):
    name = "pyscript.mpy.toml" if interpreter == "mpy" else "pyscript.toml"
    with open(ROOT / name, "rb") as source:
        return tomllib.load(source)


def _toml(config):
    """The small TOML our configs use: strings, lists of strings, and tables of strings."""
    lines, tables = [], []
    for key, value in config.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append("%s = %s" % (key, json.dumps(value)))
    while tables:
        name, table = tables.pop(0)
        tables[:0] = [(name + "." + key, value) for key, value in table.items() if isinstance(value, dict)]
        lines += ["", "[%s]" % name] + ["%s = %s" % (json.dumps(k), json.dumps(v)) for k, v in table.items()
                                        if not isinstance(v, dict)]
    return "\n".join(lines) + "\n"


class Variants:
    """Configs, and the files some options load (loose modules, a .mpy bundle and its loader), built from the
    shipped files."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="rtp-py-bench-build-"))
        self.runtime = dict(build.runtime_files())
        self.files = {MPY_BUNDLE: self._mpy_bundle(),   # before any load, so no load waits for mpy-cross
                      MPY_LOADER: build.loader("../../vendor/pyscript/core.js", MPY_BUNDLE.rsplit("/", 1)[1],
                                               build.version()).encode()}
        self.files.update({BUILD + rel: data for rel, data in self.runtime.items()})

    def config(self, option, interpreter, bare):
        """The config's data for one page of one option."""
        settings = OPTIONS[option]
        config = shipped_config(interpreter)
        if settings.get("npm_pyodide") and interpreter == "py":
            config["interpreter"] = NPM_PYODIDE + "pyodide.mjs"
        files = settings.get("files")
        if files == "wheel":
            config["files"] = {"/dist/" + build.names(build.version())["wheel"]: "./*"}
        elif files == "loose":
            config["files"] = {BUILD + rel: "./" + rel for rel in self.runtime}
        loader = self.loader(option, interpreter)
        config.pop("js_modules", None)
        if loader and not bare:
            config["js_modules"] = {"main": {loader: "rtp_py_loader"}}
        if bare:
            config.pop("files", None)
        return config

    def loader(self, option, interpreter):
        """The URL of the loader an rtp_py page of this option includes, or None."""
        settings = OPTIONS[option]
        if "loader" in settings and settings["loader"] is None:
            return None
        if interpreter == "mpy" and settings.get("mpy_loader"):
            return settings["mpy_loader"]
        return "/dist/" + build.names(build.version())["loader"]

    def config_attribute(self, option, interpreter, bare):
        """What the page's `config` attribute says: a URL of /bench/variant/."""
        return "/bench/variant/%s/%s/%s.toml" % (option, interpreter, "bare" if bare else "rtp")

    def text(self, path):
        """The body served for /bench/variant/<option>/<interpreter>/<rtp|bare>.toml, or None."""
        parts = path.strip("/").split("/")   # bench, variant, option, interpreter, file
        if len(parts) != 5 or parts[4] not in ("rtp.toml", "bare.toml") \
                or parts[2] not in OPTIONS or parts[3] not in ("py", "mpy"):
            return None
        return _toml(self.config(parts[2], parts[3], parts[4] == "bare.toml"))

    def _mpy_bundle(self):
        """The bundle with each module compiled by mpy-cross (its .mpy version must match the MicroPython
        build), from the same stripped source, so line numbers stay; the JS files as they are."""
        files = []
        for rel, data in self.runtime.items():
            if rel.endswith(".py"):
                source, compiled = self.dir / "module.py", self.dir / "module.mpy"
                source.write_bytes(data)
                subprocess.run([str(ROOT / ".venv" / "bin" / "mpy-cross"), "-o", str(compiled), "-s", rel,
                                str(source)], check=True)
                files.append((rel[:-3] + ".mpy", compiled.read_bytes()))
            else:
                files.append((rel, data))
        return build.bundle(files)


def preload_hints(interpreter, config_url, bare):
    """The preload hints the kit's starter page has (kit.preload_urls), for this server's URLs; the bare page
    loads no bundle."""
    bundle = "/dist/" + build.names(build.version())["bundle"]
    return kit.preload_urls(interpreter, "/vendor/", config_url, None if bare else bundle)


def page_url(kind, option="shipped", variants=None, kit_base=None):
    """The URL of a column's page, for one option: a path on our server, or a full URL on the kit's."""
    if kind == "js":
        return "/bench/pages/js.html"
    if kind.startswith(("kit-", "pkg-")):
        interpreter = kind.split("-")[1]
        page = {"kit": kit.KINDS, "pkg": kit.PACKAGE_KINDS}[kind[:3]][interpreter][2]
        return kit_base + "/" + ("bare-" + page if kind.endswith("-bare") else page)
    if kind.startswith("seg-"):
        return "/bench/pages/personal.html?" + urlencode({"interpreter": kind[4:], "visitor": "known"})
    interpreter, bare = kind.split("-")[0], kind.endswith("-bare")
    query = {"interpreter": interpreter}
    if bare or option != "shipped":
        query["config"] = variants.config_attribute(option, interpreter, bare)
    if not bare and option != "shipped":
        query["loader"] = variants.loader(option, interpreter) or "none"
    if OPTIONS[option].get("preload"):  # an option, so the config is one of /bench/variant/'s (set above)
        query["preload"] = ",".join(preload_hints(interpreter, query["config"], bare))
    if OPTIONS[option].get("worker"):
        query["worker"] = "1"
    return "/bench/pages/%s.html?%s" % ("bare" if bare else "rtp", urlencode(query))


class CountingHandler(serve.Handler):
    """scripts/serve.py's handler (same MIME types, caching, templates) that also logs each response, serves
    the option configs (/bench/variant/...), files (/bench/build/...) and npm's pyodide (/bench/npm-pyodide/),
    swaps an rtp_py page's loader for the one its option names (?loader=URL, or none), and puts
    rtp_py/segments.js into personal.html."""

    def send_head(self):
        path, _, query = self.path.partition("?")
        loader = re.search(r"(?:^|&)loader=([^&]*)", query)
        if path.startswith("/bench/variant/"):
            body = self.server.variants.text(path)
            kind = "application/toml; charset=utf-8"
            body = body.encode() if body is not None else None
        elif path.startswith(NPM_PYODIDE):
            name = path[len(NPM_PYODIDE):]
            found = name in vendor.INTERPRETERS["py"][2]
            body = (vendor.NODE_MODULES / "pyodide" / name).read_bytes() if found else None
            kind = serve.MIME_TYPES.get(Path(name).suffix, "application/octet-stream")
        elif path.startswith(BUILD):
            body = self.server.variants.files.get(path)
            kind = "text/javascript; charset=utf-8" if path.endswith(".js") else "application/octet-stream"
        elif path == "/bench/pages/personal.html" or (path == "/bench/pages/rtp.html" and loader):
            body = serve.render_page((ROOT / path.lstrip("/")).read_text()).replace(
                SEGMENTS_MARKER, (ROOT / "rtp_py" / "segments.js").read_text().strip())
            if loader:
                url = unquote(loader.group(1))
                shipped = '<script type="module" src="/dist/%s"></script>' % build.names(build.version())["loader"]
                assert shipped in body, "the test pages' head lost rtp_py's loader"
                body = body.replace(shipped, "" if url == "none" else shipped.replace(
                    "/dist/" + build.names(build.version())["loader"], url))
            body, kind = body.encode(), serve.MIME_TYPES[".html"]
        else:
            return super().send_head()
        if body is None:
            self.send_error(404, "no such bench file")
            return None
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

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


SEGMENTS_MARKER = "/* rtp_py:segments.js */"


def start_server():
    """Our server on a free port of 127.0.0.1, counting requests in `server.requests`."""
    server = serve.serve_in_background(port=0, verbose=False, handler=CountingHandler)
    server.requests = []
    server.variants = Variants()
    return server


def bare_starter(html, kind):
    """The kit's starter page less everything of rtp_py: no capture snippet, no loader or bundle hint, the config
    without the loader (bare-pyscript*.toml, written beside it), and one statement of Python (its `py:done` /
    `mpy:done` is ready), so the two differ by rtp_py alone."""
    names = build.names(build.version())
    out = re.sub(r"<!-- 2\. rtp_py's start-up capture snippet.*?</script>\n", "", html, count=1, flags=re.S)
    out = re.sub(r'\s*<link rel="preload" href="[^"]*%s"[^>]*>' % re.escape(names["bundle"]), "", out)
    out = re.sub(r'\s*<script type="module" src="[^"]*%s"></script>' % re.escape(names["loader"]), "", out)
    config = kit.KINDS[kind][1]
    out = re.sub(r'(<script type="%s" config="[^"]*">).*?(</script>)' % kind, "\\1\nready = True\n  \\2", out,
                 count=1, flags=re.S).replace('/%s"' % config, '/bare-%s"' % config)
    for gone in ("rtp_py start-up capture", 'src="./' + names["loader"], 'href="./' + names["bundle"], "from rtp_py"):
        assert gone not in out, "the bare starter page still has %s" % gone
    return out


class KitSite:
    """The kit (with --packages) and a bare starter page per interpreter in a temporary folder, served by
    `python3 -m http.server` on a free port of 127.0.0.1 (what the README tells sites to try it with)."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="rtp-py-bench-kit-"))
        kit.write_kit(self.dir, packages=True)
        for kind, (_, config, page) in kit.KINDS.items():
            (self.dir / ("bare-" + page)).write_text(bare_starter((self.dir / page).read_text(), kind))
            # the bare page's config: the kit's, less the table that names rtp_py's loader
            text = (self.dir / config).read_text()
            assert "\n[js_modules.main]\n" in text
            (self.dir / ("bare-" + config)).write_text(text.split("\n[js_modules.main]\n")[0] + "\n")
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(self.dir)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        match = re.search(r"port (\d+)", self.process.stdout.readline())
        if not match:
            self.close()
            raise SystemExit("bench: python3 -m http.server did not say where it listens")
        self.base = "http://127.0.0.1:%s" % match.group(1)
        deadline = time.monotonic() + 30
        while True:  # until it accepts connections (a bound, not a sleep)
            try:
                socket.create_connection(("127.0.0.1", int(match.group(1))), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.close()
                    raise SystemExit("bench: python3 -m http.server never accepted a connection") from None

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def templated():
    """True if the rtp_py bench page takes its <head> (and capture.js) from the shared template."""
    return serve.HEAD_MARKER in (ROOT / "bench" / "pages" / "rtp.html").read_text()


def own_path(url):
    """True for a URL of rtp_py's own files: dist/ on our server; the loader, the bundle, the wheel and
    rtp_py/ (mip) in the kit."""
    path = urlsplit(url).path
    return path.startswith(("/dist/", "/rtp_py/", BUILD)) or path.rsplit("/", 1)[-1].startswith("rtp_py-")


def own_bytes():
    """rtp_py as pages load it: the bundle and the loader (what every page fetches), the wheel (micropip),
    and capture.js, which pages inline."""
    names = build.names(build.version())
    dist = ROOT / "dist"
    bundle, loader = (dist / names["bundle"]).read_bytes(), (dist / names["loader"]).read_bytes()
    files = build.read_bundle(bundle)
    capture = (ROOT / "rtp_py" / "capture.js").read_bytes()
    kit_loader = build.loader("./pyscript/core.js", names["bundle"], build.version()).encode()
    return {
        "bundle": names["bundle"], "bundle_bytes": len(bundle), "loader": names["loader"],
        "loader_bytes": len(kit_loader), "loader_gzip": len(gzip.compress(loader, 9)),
        "files_inside": len(files), "inside_raw": sum(len(data) for _, data in files),
        "sources_raw": sum((ROOT / rel).stat().st_size for rel, _ in files),
        "capture_raw": len(capture),
        "wheel": names["wheel"], "wheel_bytes": (dist / names["wheel"]).stat().st_size,
    }

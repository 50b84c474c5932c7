"""The bench's pages, the Python it injects into them, the server that serves them, and rtp_py's own bytes.

Pages: bench/pages/rtp.html (rtp_py as index.html uses it, `?interpreter=mpy` for MicroPython), its <head>
built by scripts/serve.py from the same template as the test pages (the real capture.js injected), and
bench/pages/js.html (the same tracking written by hand in JS, no Python). The helpers in bench/pages/bench.js
are added as an init script, so they cost the pages no request.
"""

import gzip
import io
import json
import re
import subprocess
import tempfile
import textwrap
import tomllib
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import kit  # scripts/kit.py: the starter page's preload hints
import serve  # scripts/serve.py: the dev server the demo and the tests use

ROOT = Path(__file__).resolve().parent.parent
# The columns: rtp_py on each interpreter, bare PyScript beside it (same server, same config flags, one
# statement of Python, no rtp_py), and the same tracking in plain JS.
KINDS = ("mpy", "mpy-bare", "py", "py-bare", "js")
LABELS = {"mpy": "MicroPython", "mpy-bare": "bare MicroPython", "py": "Pyodide", "py-bare": "bare Pyodide",
          "js": "plain JS"}
PYTHON_KINDS = ("mpy", "mpy-bare", "py", "py-bare")   # a Python page: ready, interpreter, done marks
RTP_KINDS = ("mpy", "py")                               # rtp_py's pages: call costs and clicks
BARE_OF = {"mpy": "mpy-bare", "py": "py-bare"}
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


# Options tried by `--options` (bench/README gives their measured effect). Each is a change to the shipped
# config or page; "shipped" is the config as it is. Configs are built from pyscript.toml / pyscript.mpy.toml
# and served under /bench/variant/; the bare page gets the same config minus [files].
MPY_ZIP = "/bench/build/rtp_py-mpy.zip"
NO_PLUGINS = ["!" + name for name in (
    "codemirror", "deprecations-manager", "donkey", "error", "py-editor", "py-game", "py-terminal")]
OPTIONS = {
    "shipped": {},
    "json": {"format": "json"},
    "json-inline": {"format": "inline"},
    "plugins-loaded": {"plugins": None},
    "no-plugins-either-type": {"plugins": NO_PLUGINS, "other_config": True},
    "preload": {"preload": True},
    "loose-files": {"files": "loose"},
    "bytecode": {"files": "mpy"},
    "zip-in-thread": {"zip_in_thread": True},
    "worker": {"worker": True},
    "combined": {"format": "json", "plugins": NO_PLUGINS, "other_config": True,
                 "preload": True, "zip_in_thread": True},
}
OPTION_TEXT = {
    "shipped": "the shipped config and page, as they are",
    "json": "the config as JSON (no TOML parser chunk)",
    "json-inline": "the config as JSON inline in the `config` attribute (no config request either)",
    "plugins-loaded": "without the shipped `plugins = [\"!...\"]` line (0.4.0's config): all seven plugins load",
    "no-plugins-either-type": "the plugins also switched off for the other script type (a `<py-config>` or "
                              "`<mpy-config>` element in the page), so no plugin chunk is requested",
    "preload": "the kit's preload hints (scripts/kit.py): PyScript's chunks, the config, the wheel, the "
               "interpreter's files",
    "loose-files": "rtp_py as its loose files in `[files]` instead of one wheel",
    "bytecode": "MicroPython only: the modules precompiled with mpy-cross (.mpy), one zip",
    "zip-in-thread": "PyScript's zip reader told not to use Web Workers (its `configure`, called by the page)",
    "worker": "PyScript's worker mode (`<script type=\"py\" worker>`): the interpreter starts and Python runs "
              "in a Web Worker, reaching the page through PyScript's `window` (needs cross-origin isolation, "
              "which the bench pages have)",
    "combined": "json + no-plugins-either-type + preload + zip-in-thread",
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
    for name, table in tables:
        lines += ["", "[%s]" % name] + ["%s = %s" % (json.dumps(k), json.dumps(v)) for k, v in table.items()]
    return "\n".join(lines) + "\n"


class Variants:
    """Configs (and for `bytecode`, a zip of .mpy modules) for each option, built from the shipped files."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="rtp-py-bench-build-"))
        self.mpy_zip = self._build_mpy_zip()   # before any load, so no load waits for mpy-cross

    def config(self, option, interpreter, bare):
        """The config's data for one page of one option."""
        settings = OPTIONS[option]
        config = shipped_config(interpreter)
        # [files] keys resolve against the config's URL: absolute, since these configs are served elsewhere
        config["files"] = {"/" + key[2:] if key.startswith("./") else key: value
                           for key, value in config.get("files", {}).items()}
        if "plugins" in settings:
            if settings["plugins"] is None:
                config.pop("plugins", None)
            else:
                config["plugins"] = settings["plugins"]
        if settings.get("files") == "loose":
            config["files"] = {"/rtp_py/" + path.name: "./rtp_py/" + path.name for path in sorted(
                (ROOT / "rtp_py").iterdir()) if path.suffix in (".py", ".js")}
        elif settings.get("files") == "mpy" and interpreter == "mpy":
            config["files"] = {MPY_ZIP: "./*"}
        if bare:
            config.pop("files", None)
        return config

    def config_attribute(self, option, interpreter, bare):
        """What the page's `config` attribute says: a URL (TOML or JSON) or the JSON itself."""
        fmt = OPTIONS[option].get("format", "toml")
        if fmt == "inline":
            return json.dumps(self.config(option, interpreter, bare), separators=(",", ":"))
        return "/bench/variant/%s/%s/%s.%s" % (option, interpreter, "bare" if bare else "rtp", fmt)

    def text(self, path):
        """The body served for /bench/variant/<option>/<interpreter>/<rtp|bare>.<toml|json>, or None."""
        parts = path.strip("/").split("/")   # bench, variant, option, interpreter, file
        if len(parts) != 5 or parts[4] not in ("rtp.toml", "rtp.json", "bare.toml", "bare.json") \
                or parts[2] not in OPTIONS or parts[3] not in ("py", "mpy"):
            return None
        stem, fmt = parts[4].split(".")
        config = self.config(parts[2], parts[3], stem == "bare")
        return _toml(config) if fmt == "toml" else json.dumps(config)

    def _build_mpy_zip(self):
        """The bytes of what `bytecode` loads instead of the wheel: rtp_py's modules compiled with mpy-cross
        (its .mpy version must match the MicroPython build), and its .js files, in one zip."""
        out = self.dir / "rtp_py-mpy.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted((ROOT / "rtp_py").iterdir()):
                if path.suffix == ".py":
                    compiled = self.dir / (path.stem + ".mpy")
                    subprocess.run([str(ROOT / ".venv" / "bin" / "mpy-cross"), "-o", str(compiled),
                                    "-s", "rtp_py/" + path.name, str(path)], check=True)
                    archive.write(compiled, "rtp_py/" + path.stem + ".mpy")
                elif path.suffix == ".js":
                    archive.write(path, "rtp_py/" + path.name)
        return out.read_bytes()


def preload_hints(interpreter, config_url, bare):
    """The preload hints the kit's starter page has (kit.preload_urls), for this server's URLs; the bare page
    loads no wheel."""
    wheel = "/" + next(iter(shipped_config(interpreter)["files"]))[2:]
    urls = kit.preload_urls(interpreter, "/vendor/", config_url, wheel)
    return [url for url in urls if not (bare and url == wheel)]


def page_url(kind, option="shipped", variants=None):
    """The URL of a column's page, for one option."""
    if kind == "js":
        return "/bench/pages/js.html"
    interpreter, bare = kind.split("-")[0], kind.endswith("-bare")
    query = {"interpreter": interpreter}
    if bare or option != "shipped":
        query["config"] = variants.config_attribute(option, interpreter, bare)
    if OPTIONS[option].get("other_config"):
        # PyScript loads its plugins once per script type unless that type's config excludes them, and a page
        # with only one type still has the other's (empty) config: say it for both, with the other type's
        # <py-config> / <mpy-config> element.
        query["other_config"] = json.dumps({"plugins": OPTIONS[option]["plugins"]}, separators=(",", ":"))
    if OPTIONS[option].get("zip_in_thread"):
        query["zip_chunk"] = "/vendor/pyscript/" + next((ROOT / "vendor" / "pyscript").glob("zip-*.js")).name
    if OPTIONS[option].get("preload"):  # an option, so the config is one of /bench/variant/'s (set above)
        query["preload"] = ",".join(preload_hints(interpreter, query["config"], bare))
    if OPTIONS[option].get("worker"):
        query["worker"] = "1"
    return "/bench/pages/%s.html?%s" % ("bare" if bare else "rtp", urlencode(query))


class CountingHandler(serve.Handler):
    """scripts/serve.py's handler (same MIME types, caching, templates) that also logs each response, and
    serves the option configs (/bench/variant/...) and the .mpy zip (MPY_ZIP)."""

    def send_head(self):
        path = self.path.split("?", 1)[0]
        if path.startswith("/bench/variant/"):
            body = self.server.variants.text(path)
            kind = "application/json" if path.endswith(".json") else "application/toml; charset=utf-8"
            body = body.encode() if body is not None else None
        elif path == MPY_ZIP:
            body, kind = self.server.variants.mpy_zip, "application/zip"
        else:
            return super().send_head()
        if body is None:
            self.send_error(404, "no such bench variant")
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


def start_server():
    """Our server on a free port of 127.0.0.1, counting requests in `server.requests`."""
    server = serve.serve_in_background(port=0, verbose=False, handler=CountingHandler)
    server.requests = []
    server.variants = Variants()
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

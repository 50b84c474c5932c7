"""rtp_py benchmark: load, call cost, click latency, soak and size, on Pyodide, MicroPython and plain JS.

    make bench                                   # or: .venv/bin/python bench/run.py
    make bench BENCH_ARGS="--loads 9"            # more fresh page loads per column (at least 7)
    make bench BENCH_ARGS="--quick"              # a smoke run: 3 loads, a 60,000-call soak (not for numbers)

Not a test: it measures and prints a markdown table (also written to bench-results/results.md, with the raw
numbers in bench-results/results.json), and never fails on a missed target. It exits non-zero only if
the measurement itself went wrong (a page error, a request that left 127.0.0.1, a click that sent nothing).

Everything runs in one Chromium (Debian's /usr/bin/chromium, launched by Playwright, never downloaded)
against our own static server (scripts/serve.py) on 127.0.0.1. The columns are measured side by side, the
interpreters interleaved load by load so drift on the machine hits all of them alike. Each load is a fresh
browser with an empty profile (a cold cache); "warm" is a second visit in the same browser (cache allowed). No
request is routed (Playwright switches the HTTP cache off when routing is on); requests that leave
127.0.0.1 are recorded instead, and fail the run.

Pages: bench/pages/rtp.html (rtp_py as index.html uses it, `?interpreter=mpy` for MicroPython) and
bench/pages/js.html (the same tracking written by hand in JS, no Python). The helpers in
bench/pages/bench.js are added as an init script, so they cost the pages no request.
"""

import argparse
import datetime
import functools
import gzip
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import serve  # noqa: E402  (scripts/serve.py: the dev server the demo and the tests use)
from chromium import CHROMIUM, QUIET_CHROMIUM_ARGS  # noqa: E402  (the same launch as the e2e tests)
from playwright.sync_api import sync_playwright  # noqa: E402

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
READY_TIMEOUT_MS = 120_000

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


# ----------------------------------------------------------------------------------------------- statistics

def median(xs):
    return statistics.median(xs) if xs else None


def percentile(xs, p):
    """Nearest-rank percentile (p in 0..100)."""
    if not xs:
        return None
    ordered = sorted(xs)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"median": median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


# ------------------------------------------------------------------------------------------------ the server

class CountingHandler(serve.Handler):
    """scripts/serve.py's handler (same MIME types, same caching headers) that also logs each response."""

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
    import threading
    server = serve.Server(("127.0.0.1", 0), functools.partial(CountingHandler, directory=str(serve.ROOT)))
    server.verbose = False
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ------------------------------------------------------------------------------------------------ the browser

class Problems:
    """What must not happen while measuring: page errors, console errors, requests leaving 127.0.0.1."""

    def __init__(self):
        self.items = []

    def watch_context(self, context):
        def on_request(request):
            host = urlsplit(request.url).hostname or ""
            if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in LOCAL_HOSTS:
                self.items.append("request left 127.0.0.1: " + request.url)
        context.on("request", on_request)

    def watch_page(self, page, where):
        page.on("pageerror", lambda error: self.items.append("%s: page error: %s" % (where, error)))

        def on_console(message):
            if message.type == "error" or "Traceback (most recent call last)" in message.text:
                self.items.append("%s: console %s: %s" % (where, message.type, message.text[:300]))
        page.on("console", on_console)


class Bench:
    def __init__(self, playwright, server, problems):
        self.playwright = playwright
        self.server = server
        self.problems = problems
        self.base = "http://127.0.0.1:%d" % server.server_address[1]
        self.browser_version = "?"
        self.profiles = []

    def context(self):
        """A fresh browser with an empty profile of its own: a cold cache, kept on disk like a real browser's.

        (A Playwright `new_context()` is an incognito-like context whose in-memory cache does not keep
        Pyodide's 9.6 MB wasm, so a "warm" visit there re-downloads it; a real browser does not.)
        """
        profile = tempfile.mkdtemp(prefix="rtp-py-bench-")
        context = self.playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=QUIET_CHROMIUM_ARGS)
        self.profiles.append(profile)
        if context.browser is not None:
            self.browser_version = context.browser.version
        context.add_init_script(BENCH_JS)
        self.problems.watch_context(context)
        return context

    def cleanup(self):
        """Remove the temporary profiles (their browsers are closed by then)."""
        for profile in self.profiles:
            shutil.rmtree(profile, ignore_errors=True)
        self.profiles.clear()

    def open(self, context, kind, where):
        """Navigate a new page of `context` to the kind's bench page; return (page, load record)."""
        page = context.new_page()
        self.problems.watch_page(page, where)
        self.server.requests.clear()
        t0 = time.perf_counter()
        page.goto(self.base + PAGES[kind], wait_until="domcontentloaded")
        if kind != "js":
            page.wait_for_selector("html.rtp-ready", state="attached", timeout=READY_TIMEOUT_MS)
        else:
            page.wait_for_load_state("load")
        wall_ms = (time.perf_counter() - t0) * 1000
        load = page.evaluate("() => bench.load()")
        load["goto_to_ready_ms"] = wall_ms
        load["server"] = list(self.server.requests)
        return page, load

    def python_helper(self, page, kind):
        page.evaluate(INJECT_JS, [kind, PY_HELPER])
        page.wait_for_selector("html[data-bench-py=ready]", state="attached", timeout=READY_TIMEOUT_MS)

    def call_costs(self, page, kind, calls, rounds, warmup):
        """Per round: 10,000 calls from JS and from Python (string, then a list of 4), rtp.q cleared between.

        A warm-up of `warmup` calls from each side comes first and is not counted.
        """
        out = {"js_str": [], "js_list": [], "py_str": [], "py_list": [], "py_noop": []}
        page.evaluate("([n]) => bench.js('str', n)", [warmup])
        if kind != "js":
            page.evaluate("([n]) => benchPy('str', n)", [warmup])
            out["py_noop"].append(page.evaluate("([n]) => benchPy('noop', n)", [calls]) * 1000 / calls)
        page.evaluate("() => bench.clearQueue()")
        for _ in range(rounds):
            for value_kind in ("str", "list"):
                page.evaluate("() => bench.clearQueue()")
                ms = page.evaluate("([k, n]) => bench.js(k, n)", [value_kind, calls])
                self.check_queue(page, calls, "js " + value_kind)
                out["js_" + value_kind].append(ms * 1000 / calls)
                if kind != "js":
                    ms = page.evaluate("([k, n]) => benchPy(k, n)", [value_kind, calls])
                    self.check_queue(page, calls, "py " + value_kind)
                    out["py_" + value_kind].append(ms * 1000 / calls)
        page.evaluate("() => bench.clearQueue()")
        return out

    def check_queue(self, page, expected, what):
        got = page.evaluate("() => bench.clearQueue()")
        if got != expected:
            self.problems.items.append("%s: expected %d queued calls, found %d" % (what, expected, got))

    def clicks(self, page, selector, n, what):
        result = page.evaluate("([s, n]) => bench.clicks(s, n)", [selector, n])
        if result["calls"] != n:
            self.problems.items.append("%s: %d clicks on %s gave %d rtp calls" % (what, n, selector, result["calls"]))
        return [ms * 1000 for ms in result["latencies"]]  # µs


# ------------------------------------------------------------------------------------------------ measurement

def load_metrics(load):
    """Reduce a load record to the numbers the table uses."""
    marks = load["marks"]
    dcl = load["dcl"]
    resources = load["resources"]
    fetched = [r for r in resources if r["transfer"] > 0]          # went to the server (200 or 304)
    from_cache = [r for r in resources if r["transfer"] == 0 and r["decoded"] > 0]
    own = [r for r in resources if urlsplit(r["url"]).path.startswith("/rtp_py/")]
    statuses = [code for _, code in load["server"]]
    return {
        "live_ms": marks.get("live"),
        "live_vs_dcl_ms": marks["live"] - dcl if marks.get("live") is not None else None,
        "ready_ms": marks.get("ready"),
        "interpreter_ms": marks.get("interpreter"),
        "ready_vs_dcl_ms": marks["ready"] - dcl if marks.get("ready") is not None else None,
        "dcl_ms": dcl,
        "goto_to_ready_ms": load["goto_to_ready_ms"],
        "transfer_bytes": sum(r["transfer"] for r in resources),
        "body_bytes": sum(r["encoded"] for r in resources),
        "decoded_bytes": sum(r["decoded"] for r in resources),
        "resources": len(resources),
        "fetched": len(fetched),
        "from_cache": len(from_cache),
        "server_requests": len(statuses),
        "server_200": statuses.count(200),
        "server_304": statuses.count(304),
        "own_fetched_bytes": sum(r["encoded"] for r in own),
        "own_fetched_files": len(own),
    }


def run_loads(bench, args, log):
    """N fresh loads per kind, interleaved; each: cold load, call costs, click latency, then a warm visit."""
    records = {kind: [] for kind in KINDS}
    for i in range(args.loads):
        for kind in KINDS:
            where = "%s load %d" % (kind, i + 1)
            context = bench.context()
            try:
                page, cold = bench.open(context, kind, where + " (cold)")
                record = {"cold": load_metrics(cold), "cold_resources": cold["resources"]}
                if i == 0:
                    record["timer_resolution_ms"] = page.evaluate("() => bench.resolution()")
                if kind != "js":
                    bench.python_helper(page, kind)
                record["calls"] = bench.call_costs(page, kind, args.calls, args.rounds, args.warmup)
                record["click_declarative_us"] = bench.clicks(page, "#declarative", args.clicks, where)
                record["click_bound_us"] = bench.clicks(page, "#bound", args.clicks, where)
                page.close()
                page, warm = bench.open(context, kind, where + " (warm)")
                record["warm"] = load_metrics(warm)
                page.close()
            finally:
                context.close()
            records[kind].append(record)
            c = record["cold"]
            log("  %-11s load %d/%d: live %.1f ms (DCL %+.1f), ready %s, %.2f MB / %d requests; warm %.2f MB / %d to server" % (
                LABELS[kind], i + 1, args.loads, c["live_ms"], c["live_vs_dcl_ms"],
                "%.0f ms" % c["ready_ms"] if c["ready_ms"] else "-", c["transfer_bytes"] / 1e6, c["resources"],
                record["warm"]["transfer_bytes"] / 1e6, record["warm"]["server_requests"]))
    return records


def run_soak(bench, kind, total, batch, budget, log):
    """`total` send_event calls in one page, in batches of `batch`; µs per call for each batch.

    Stops early (and the table says so) once `budget` seconds have passed, so one slow interpreter cannot
    hold the whole run hostage.
    """
    context = bench.context()
    try:
        page, _ = bench.open(context, kind, kind + " soak")
        if kind != "js":
            bench.python_helper(page, kind)
        fn = "([k, n]) => bench.js(k, n)" if kind == "js" else "([k, n]) => benchPy(k, n)"
        per_batch = []
        t0 = time.perf_counter()
        for _ in range(total // batch):
            ms = page.evaluate(fn, ["str", batch])
            bench.check_queue(page, batch, kind + " soak")
            per_batch.append(ms * 1000 / batch)
            if time.perf_counter() - t0 > budget and len(per_batch) < total // batch:
                log("  %-11s soak: time budget (%.0f s) spent after %d calls; stopping" % (
                    LABELS[kind], budget, len(per_batch) * batch))
                break
        log("  %-11s soak: %d calls in %.1f s, first batch %.2f µs/call, last %.2f" % (
            LABELS[kind], len(per_batch) * batch, time.perf_counter() - t0, per_batch[0], per_batch[-1]))
        page.close()
        return per_batch
    finally:
        context.close()


# ------------------------------------------------------------------------------------------------ static facts

def rtp_py_files():
    """The files pyscript.toml maps into the interpreter, plus capture.js: what rtp_py sends the browser."""
    text = (ROOT / "pyscript.toml").read_text()
    try:
        import tomllib
        sources = list(tomllib.loads(text).get("files", {}))
    except ImportError:  # Python 3.10
        sources = re.findall(r'^"([^"]+)"\s*=', text, re.M)
    files = [(ROOT / source).resolve() for source in sources]
    files.append(ROOT / "rtp_py" / "capture.js")
    return files


def own_bytes():
    files = rtp_py_files()
    data = [f.read_bytes() for f in files]
    mpy_text = (ROOT / "pyscript.mpy.toml").read_text()
    return {
        "files": [str(f.relative_to(ROOT)) for f in files],
        "raw": sum(len(d) for d in data),
        "gzip": len(gzip.compress(b"".join(data), 9)),
        "gzip_per_file": sum(len(gzip.compress(d, 9)) for d in data),
        "same_list_in_mpy_toml": all(str(f.relative_to(ROOT)) in mpy_text for f in files[:-1]),
    }


def capture_snippet_in_sync():
    page = (ROOT / "bench" / "pages" / "rtp.html").read_text()
    return (ROOT / "rtp_py" / "capture.js").read_text().strip() in page


def machine(browser_version, load_before):
    def first(pattern, path):
        try:
            m = re.search(pattern, Path(path).read_text(), re.M)
            return m.group(1).strip() if m else "?"
        except OSError:
            return "?"
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    version = lambda name: lock.get("node_modules/" + name, {}).get("version", "?")  # noqa: E731
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = "Chromium " + browser_version

    def git(*cmd):
        try:
            return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"
    dirty = git("status", "--porcelain", "--", "rtp_py", "pyscript.toml", "pyscript.mpy.toml")
    mem_kb = first(r"^MemTotal:\s+(\d+)", "/proc/meminfo")
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "ram_gb": round(int(mem_kb) / 1024 / 1024, 1) if mem_kb.isdigit() else "?",
        "cpu": first(r"^model name\s*:\s*(.+)$", "/proc/cpuinfo"),
        "os": platform.platform(),
        "chromium": chromium or ("Chromium " + browser_version),
        "pyscript": version("@pyscript/core"),
        "pyodide": version("pyodide"),
        "micropython": version("@micropython/micropython-webassembly-pyscript"),
        "rtp_py": first(r'^__version__ = "([^"]+)"', ROOT / "rtp_py" / "__init__.py"),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "commit": git("rev-parse", "--short", "HEAD") + (" + uncommitted changes in rtp_py/" if dirty else ""),
    }


# ------------------------------------------------------------------------------------------------ the table

def fmt(s, unit="", digits=1, scale=1.0):
    if s is None:
        return "–"
    f = "%%.%df" % digits
    m, lo, hi = (s["median"] * scale, s["min"] * scale, s["max"] * scale)
    return "%s (%s–%s)%s" % (f % m, f % lo, f % hi, unit)


def build(records, soaks, sizes, meta, args):
    S = {}  # summaries: S[metric][kind]

    def put(metric, kind, values):
        S.setdefault(metric, {})[kind] = summary(values)

    for kind in KINDS:
        recs = records[kind]
        for phase in ("cold", "warm"):
            for key in recs[0][phase]:
                put(phase + "." + key, kind, [r[phase][key] for r in recs])
        for key in ("js_str", "js_list", "py_str", "py_list", "py_noop"):
            put("calls." + key, kind, [median(r["calls"][key]) for r in recs if r["calls"][key]])
        if kind != "js":
            for v in ("str", "list"):
                put("calls.ratio_" + v, kind, [median(r["calls"]["py_" + v]) / median(r["calls"]["js_" + v]) for r in recs])
        for which in ("declarative", "bound"):
            lat = [r["click_%s_us" % which] for r in recs]
            put("click.%s.p50" % which, kind, [median(x) for x in lat])
            put("click.%s.p99" % which, kind, [percentile(x, 99) for x in lat])
    soak = {}
    for kind, batches in soaks.items():
        soak[kind] = {"first": batches[0], "last": batches[-1], "min": min(batches), "max": max(batches),
                      "median": median(batches), "max_over_min": max(batches) / min(batches),
                      "last_over_first": batches[-1] / batches[0], "calls": len(batches) * args.batch,
                      # The trend, robust to one noisy batch: median of the last 5 batches over the median of
                      # batches 2-6 (the first is warm-up). A to_js-style cliff shows up here as 10-50x.
                      "late_over_early": median(batches[-5:]) / median(batches[1:6] or batches[:1]),
                      "batches": batches}

    rows = []   # (section, label, {kind: text}, target, met)

    def met(flag):
        return "–" if flag is None else ("yes" if flag else "**no**")

    def row(label, cells, target="", ok=None):
        rows.append((label, [cells.get(k, "–") for k in KINDS], target, met(ok) if target else ""))

    g = lambda metric, kind: S.get(metric, {}).get(kind)  # noqa: E731
    med = lambda metric, kind: (g(metric, kind) or {}).get("median")  # noqa: E731
    mx = lambda metric, kind: (g(metric, kind) or {}).get("max")  # noqa: E731

    rows.append(("**Load, cold** (a fresh browser with an empty profile for every load)", None, None, None))
    row("tracking live (a click would be captured), ms from navigation start",
        {k: fmt(g("cold.live_ms", k)) for k in KINDS})
    live_ok = all(mx("cold.live_vs_dcl_ms", k) <= 50 for k in ("py", "mpy"))
    row("tracking live, ms relative to DOMContentLoaded (negative = before)",
        {k: fmt(g("cold.live_vs_dcl_ms", k)) for k in KINDS}, "≤ +50 ms (Pyodide, MicroPython)", live_ok)
    row("DOMContentLoaded, ms from navigation start", {k: fmt(g("cold.dcl_ms", k)) for k in KINDS})
    mpy_ready_ok = med("cold.ready_ms", "mpy") <= 300
    row("Python ready (`html.rtp-ready`), ms from navigation start",
        {k: fmt(g("cold.ready_ms", k), digits=0) for k in ("py", "mpy")}, "MicroPython ≤ 300 ms (median)", mpy_ready_ok)
    row("  of which interpreter up (PyScript's `py:ready`/`mpy:ready`, before our script runs), ms from navigation start",
        {k: fmt(g("cold.interpreter_ms", k), digits=0) for k in ("py", "mpy")})
    row("Python ready, ms after DOMContentLoaded", {k: fmt(g("cold.ready_vs_dcl_ms", k), digits=0) for k in ("py", "mpy")})
    row("`page.goto` → ready, ms as Playwright sees it (js: → load)", {k: fmt(g("cold.goto_to_ready_ms", k), digits=0) for k in KINDS})
    row("bytes per load, cold, MB transferred (scripts/serve.py gzips text and wasm)",
        {k: fmt(g("cold.transfer_bytes", k), digits=3, scale=1e-6) for k in KINDS})
    row("  the same files uncompressed, MB",
        {k: fmt(g("cold.decoded_bytes", k), digits=3, scale=1e-6) for k in KINDS})
    row("requests per load, cold", {k: fmt(g("cold.resources", k), digits=0) for k in KINDS})
    rows.append(("**Load, warm** (a second visit in the same browser, cache allowed)", None, None, None))
    row("Python ready, ms from navigation start (js: tracking live)",
        {**{k: fmt(g("warm.ready_ms", k), digits=0) for k in ("py", "mpy")}, "js": fmt(g("warm.live_ms", "js"))})
    row("bytes per load, warm, kB transferred", {k: fmt(g("warm.transfer_bytes", k), digits=1, scale=1e-3) for k in KINDS})
    row("requests reaching the server, warm (all 304 revalidations of `no-cache` files)",
        {k: fmt(g("warm.server_requests", k), digits=0) for k in KINDS})
    row("resources served from the browser cache, warm", {k: fmt(g("warm.from_cache", k), digits=0) for k in KINDS})

    n = args.calls
    rows.append(("**Cost per call** (µs per call over %s calls; %d batch(es) per load after %s uncounted warm-up calls; "
                  "`rtp` is the queue stub, `rtp.q` emptied between batches)" % (
        "{:,}".format(n), args.rounds, "{:,}".format(args.warmup)), None, None, None))
    row("`send_event(\"%s\")` from Python" % WP, {k: fmt(g("calls.py_str", k), digits=2) for k in ("py", "mpy")})
    row("`rtp('send','event',{value: \"%s\"})` from JS, same page" % WP, {k: fmt(g("calls.js_str", k), digits=3) for k in KINDS})
    ratio_ok = all(med("calls.ratio_str", k) <= 10 for k in ("py", "mpy"))
    row("ratio Python / JS (string)", {k: fmt(g("calls.ratio_str", k), "×", 0) for k in ("py", "mpy")},
        "≤ 10× (median)", ratio_ok)
    row("floor: one Python → JS call of a no-op JS function (no rtp_py), µs",
        {k: fmt(g("calls.py_noop", k), digits=2) for k in ("py", "mpy")})
    row("`send_event([4 strings])` from Python", {k: fmt(g("calls.py_list", k), digits=2) for k in ("py", "mpy")})
    row("`rtp(... {value: [4 strings]})` from JS, same page", {k: fmt(g("calls.js_list", k), digits=3) for k in KINDS})
    row("ratio Python / JS (4 strings)", {k: fmt(g("calls.ratio_list", k), "×", 0) for k in ("py", "mpy")})

    rows.append(("**Click → `rtp` latency** (%d `element.click()` per load, one task each; µs from the click event "
                 "to the `rtp` call)" % args.clicks, None, None, None))
    for which, label in (("declarative", "`data-rtp-event` element"),
                         ("bound", "element bound with `on_click` (js: `addEventListener`)")):
        row(label + ", median", {k: fmt(g("click.%s.p50" % which, k), digits=0) for k in KINDS})
        row(label + ", p99", {k: fmt(g("click.%s.p99" % which, k), digits=0) for k in KINDS})

    rows.append(("**Soak** (%s `send_event` calls in one page, batches of %s, µs per call)" % (
        "{:,}".format(args.soak), "{:,}".format(args.batch)), None, None, None))
    cell = lambda k, key, d=2: ("%.*f" % (d, soak[k][key])) if k in soak else "–"  # noqa: E731
    row("calls made (fewer than asked = stopped by the time budget, `--soak-budget`)",
        {k: "{:,}".format(soak[k]["calls"]) + ("" if soak[k]["calls"] >= args.soak else " **(stopped)**") for k in soak})
    row("first batch", {k: cell(k, "first") for k in KINDS})
    row("last batch", {k: cell(k, "last") for k in KINDS})
    row("median (min–max) over batches",
        {k: "%.2f (%.2f–%.2f)" % (soak[k]["median"], soak[k]["min"], soak[k]["max"]) for k in soak})
    stopped = any(soak[k]["calls"] < args.soak for k in ("py", "mpy") if k in soak)
    soak_ok = None if stopped or not soak else all(soak[k]["late_over_early"] <= 2 for k in ("py", "mpy"))
    row("flatness: median of the last 5 batches / median of batches 2–6 (first = warm-up)",
        {k: cell(k, "late_over_early") + "×" for k in soak},
        "≤ 2× (Pyodide, MicroPython; `–` = a soak stopped early)", soak_ok)
    row("slowest / fastest batch (sensitive to one noisy batch)", {k: cell(k, "max_over_min") + "×" for k in soak})
    row("last / first batch", {k: cell(k, "last_over_first") + "×" for k in soak})

    rows.append(("**rtp_py's own bytes**", None, None, None))
    row("%d files (`[files]` of pyscript.toml + capture.js) on disk, raw; gzip -9 of all" % len(sizes["files"]),
        {"py": "%.1f KB; %.1f KB gzip" % (sizes["raw"] / 1024, sizes["gzip"] / 1024),
         "mpy": "%.1f KB; %.1f KB gzip" % (sizes["raw"] / 1024, sizes["gzip"] / 1024)})
    own_ok = all(med("cold.own_fetched_bytes", k) <= 30 * 1024 for k in ("py", "mpy"))
    row("sent to the browser from /rtp_py/, cold, as transferred (capture.js is inline in the page)",
        {k: "%.1f KB, %d files" % (med("cold.own_fetched_bytes", k) / 1024, med("cold.own_fetched_files", k))
         for k in ("py", "mpy")}, "≤ 30 KB sent", own_ok)

    targets = {
        "tracking live ≤ 50 ms after DCL": live_ok,
        "per-call cost ≤ 10× raw JS": ratio_ok,
        "MicroPython ready ≤ 300 ms": mpy_ready_ok,
        "soak flat within 2×": soak_ok,
        "own bytes ≤ 30 KB": own_ok,
    }
    return S, soak, rows, targets


def render(rows, meta, args, sizes, resolution):
    out = []
    out.append("## rtp_py benchmark (`make bench`)")
    out.append("")
    out.append("%s · %s cores, %s GB RAM, %s · %s · PyScript %s, Pyodide %s, MicroPython %s · rtp_py %s (%s)" % (
        meta["date"], meta["nproc"], meta["ram_gb"], meta["cpu"], meta["chromium"], meta["pyscript"],
        meta["pyodide"], meta["micropython"], meta["rtp_py"], meta["commit"]))
    out.append("")
    out.append("Each cell: median (min–max) over %d fresh page loads per column, interleaved, unless it says otherwise. "
               "Timer resolution in the page: %s ms. Load average before/after the run: %s / %s%s." % (
                   args.loads, resolution, meta["loadavg_before"][0], meta["loadavg_after"][0],
                   " (**the machine was busy: expect noise**)" if max(meta["loadavg_before"][0],
                                                                     meta["loadavg_after"][0]) > meta["nproc"] else ""))
    out.append("")
    header = "| | " + " | ".join(LABELS[k] for k in KINDS) + " | target | met? |"
    out.append(header)
    out.append("|---|" + "---|" * (len(KINDS) + 2))
    for label, cells, target, ok in rows:
        if cells is None:
            out.append("| %s |%s" % (label, " |" * (len(KINDS) + 2)))
        else:
            out.append("| %s | %s | %s | %s |" % (label, " | ".join(cells), target, ok))
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------ main

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=7, help="fresh page loads per column (default 7)")
    parser.add_argument("--calls", type=int, default=10_000, help="calls per cost batch (default 10,000)")
    parser.add_argument("--rounds", type=int, default=1, help="cost batches per value and load (default 1; median taken)")
    parser.add_argument("--warmup", type=int, default=1_000, help="uncounted calls before the cost batches (default 1,000)")
    parser.add_argument("--clicks", type=int, default=200, help="clicks per element per load (default 200)")
    parser.add_argument("--soak", type=int, default=300_000, help="send_event calls in the soak (default 300,000)")
    parser.add_argument("--batch", type=int, default=10_000, help="soak batch size (default 10,000)")
    parser.add_argument("--soak-budget", type=float, default=120,
                        help="seconds a soak may take before it stops early and says so (default 120)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 loads, 60,000-call soak")
    parser.add_argument("--out", default=str(ROOT / "bench-results"), help="where results.md/.json go")
    args = parser.parse_args()
    if args.quick:
        args.loads, args.soak = 3, 60_000
    elif args.loads < 7:
        print("bench: note: fewer than 7 loads; the issue asks for at least 7", file=sys.stderr)

    if not (ROOT / "vendor" / "pyscript" / "core.js").exists():
        raise SystemExit("bench: vendor/ is empty; run `make bench` (it runs setup first) or `make vendor`")
    if not Path(CHROMIUM).exists():
        raise SystemExit("bench: %s is missing; run `make setup` (installs Debian's chromium)" % CHROMIUM)
    if not capture_snippet_in_sync():
        raise SystemExit("bench: bench/pages/rtp.html no longer holds rtp_py/capture.js verbatim; update the page")

    started = time.perf_counter()
    load_before = os.getloadavg()
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731  progress goes to stderr
    server = start_server()
    problems = Problems()
    with sync_playwright() as p:
        bench = Bench(p, server, problems)
        try:
            log("bench: %d fresh loads per column (%s), interleaved" % (args.loads, ", ".join(LABELS[k] for k in KINDS)))
            records = run_loads(bench, args, log)
            log("bench: soak")
            soaks = {kind: run_soak(bench, kind, args.soak, args.batch, args.soak_budget, log) for kind in KINDS}
            meta = machine(bench.browser_version, load_before)
        finally:
            server.shutdown()
            bench.cleanup()

    sizes = own_bytes()
    S, soak, rows, targets = build(records, soaks, sizes, meta, args)
    resolution = ", ".join("%s %.3g" % (LABELS[k], records[k][0]["timer_resolution_ms"]) for k in KINDS)
    table = render(rows, meta, args, sizes, resolution)
    elapsed = time.perf_counter() - started
    missed = [name for name, ok in targets.items() if ok is False]
    unknown = [name for name, ok in targets.items() if ok is None]
    footer = "\nTargets met: %d of %d%s%s. Bench run took %.0f s." % (
        len(targets) - len(missed) - len(unknown), len(targets),
        (" (missed: %s)" % "; ".join(missed)) if missed else "",
        (" (not measured: %s)" % "; ".join(unknown)) if unknown else "", elapsed)
    if problems.items:
        footer += "\n\n**The measurement had problems** (numbers above are not trustworthy):\n" + "\n".join(
            "- " + item for item in problems.items[:20])

    print(table + "\n" + footer)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text(table + "\n" + footer + "\n")
    raw = {"meta": meta, "args": vars(args), "targets": targets, "summaries": S, "soak": soak,
           "own_bytes": sizes, "problems": problems.items, "elapsed_s": elapsed,
           "loads": {k: [{key: value for key, value in r.items() if key != "cold_resources"} for r in records[k]]
                     for k in KINDS},
           "cold_resources": {k: records[k][0]["cold_resources"] for k in KINDS}}
    (out / "results.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
    log("bench: wrote %s and %s" % (out / "results.md", out / "results.json"))
    return 1 if problems.items else 0


if __name__ == "__main__":
    sys.exit(main())

"""Measurement: fresh browsers, page loads, call costs, click latency, the soak, and the machine's facts.

Everything runs in Debian's Chromium (launched by Playwright, never downloaded) against our own server on
127.0.0.1. Each load is a fresh browser with an empty profile (a cold cache); "warm" is a second visit in the
same browser (cache allowed).
"""

import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from chromium import CHROMIUM, QUIET_CHROMIUM_ARGS  # the same launch as the e2e tests
from pageguard import is_local, is_problem
from pages import (ALL_KINDS, BARE_KINDS, BENCH_JS, INJECT_JS, KINDS, LABELS, OPTIONS, PY_HELPER, ROOT, RTP_KINDS,
                   own_path, page_url)

READY_TIMEOUT_MS = 120_000


class Problems:
    """What must not happen while measuring (scripts/pageguard.py): page errors, console errors, requests
    leaving 127.0.0.1. No request is routed (Playwright switches the HTTP cache off when routing is on), so
    they are recorded, and fail the run."""

    def __init__(self):
        self.items = []

    def watch_context(self, context):
        def on_request(request):
            if not is_local(request.url):
                self.items.append("request left 127.0.0.1: " + request.url)
        context.on("request", on_request)

    def watch_page(self, page, where):
        page.on("pageerror", lambda error: self.items.append("%s: page error: %s" % (where, error)))

        def on_console(message):
            if is_problem(message.type, message.text):
                self.items.append("%s: console %s: %s" % (where, message.type, message.text[:300]))
        page.on("console", on_console)


class Bench:
    def __init__(self, playwright, server, problems, kit_site=None):
        self.playwright = playwright
        self.server = server
        self.kit_site = kit_site
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

    def open(self, context, kind, where, option="shipped"):
        """Navigate a new page of `context` to the kind's bench page (for one of the options); return
        (page, load record)."""
        page = context.new_page()
        self.problems.watch_page(page, where)
        self.server.requests.clear()
        t0 = time.perf_counter()
        target = page_url(kind, option, self.server.variants, self.kit_site and self.kit_site.base)
        page.goto(target if "://" in target else self.base + target, wait_until="domcontentloaded")
        if kind == "js":
            page.wait_for_load_state("load")
        elif kind in BARE_KINDS:
            page.wait_for_function("() => bench.marks.done !== undefined", timeout=READY_TIMEOUT_MS)
        else:
            page.wait_for_selector("html.rtp-ready", state="attached", timeout=READY_TIMEOUT_MS)
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


def blocking(long_tasks, until):
    """(Total Blocking Time, longest task, long tasks) over the tasks that started before `until` (ms from
    navigation start): each task's time over 50 ms, summed, as page-speed tools count it."""
    if long_tasks is None or until is None:
        return None, None, None
    tasks = [task for task in long_tasks if task["start"] < until]
    return (sum(max(0.0, task["duration"] - 50) for task in tasks),
            max((task["duration"] for task in tasks), default=0.0), len(tasks))


def load_metrics(load):
    """Reduce a load record to the numbers the table uses."""
    marks = load["marks"]
    ready = marks.get("ready", marks.get("done"))   # a bare page's ready is its script done
    tbt, longest, count = blocking(load.get("longTasks"), ready if ready is not None else marks.get("live"))
    dcl = load["dcl"]
    resources = load["resources"]
    fetched = [r for r in resources if r["transfer"] > 0]          # went to the server (200 or 304)
    from_cache = [r for r in resources if r["transfer"] == 0 and r["decoded"] > 0]
    own = [r for r in resources if own_path(r["url"])]
    statuses = [code for _, code in load["server"]]
    blocks = load.get("blocks") or {}
    return {
        "fcp_ms": marks.get("fcp"),
        "block_first_frame_ms": blocks.get("firstFrame"),
        "block_shown_ms": blocks.get("offerShown"),
        "block_at_first_frame": None if not blocks else (1 if blocks.get("offerAtFirstFrame") else 0),
        "default_ever_shown": None if not blocks else (0 if blocks.get("defaultShown") is None else 1),
        "live_ms": marks.get("live"),
        "live_vs_dcl_ms": marks["live"] - dcl if marks.get("live") is not None else None,
        "ready_ms": ready,
        "interpreter_ms": marks.get("interpreter"),
        "ready_vs_dcl_ms": ready - dcl if ready is not None else None,
        "ready_after_interpreter_ms": ready - marks["interpreter"] if ready is not None and marks.get(
            "interpreter") is not None else None,
        "tbt_ms": tbt,
        "longest_task_ms": longest,
        "long_tasks": count,
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
    records = {kind: [] for kind in ALL_KINDS}
    for i in range(args.loads):
        for kind in ALL_KINDS:
            where = "%s load %d" % (kind, i + 1)
            context = bench.context()
            try:
                page, cold = bench.open(context, kind, where + " (cold)")
                record = {"cold": load_metrics(cold), "cold_resources": cold["resources"]}
                if i == 0:
                    record["timer_resolution_ms"] = page.evaluate("() => bench.resolution()")
                if kind in RTP_KINDS:
                    bench.python_helper(page, kind)
                if kind in RTP_KINDS or kind == "js":   # a bare page has no tracking to time
                    record["calls"] = bench.call_costs(page, kind, args.calls, args.rounds, args.warmup)
                    record["click_declarative_us"] = bench.clicks(page, "#declarative", args.clicks, where)
                    record["click_bound_us"] = bench.clicks(page, "#bound", args.clicks, where)
                page.close()
                if kind in KINDS:   # the start-up table's columns are cold loads only
                    page, warm = bench.open(context, kind, where + " (warm)")
                    record["warm"] = load_metrics(warm)
                    page.close()
            finally:
                context.close()
            records[kind].append(record)
            c = record["cold"]
            log("  %-26s load %d/%d: ready %s, TBT %.0f ms, %.2f MB / %d requests%s" % (
                LABELS[kind], i + 1, args.loads, "%.0f ms" % c["ready_ms"] if c["ready_ms"] else "-",
                c["tbt_ms"] or 0, c["transfer_bytes"] / 1e6, c["resources"],
                "; warm %.2f MB / %d to server" % (record["warm"]["transfer_bytes"] / 1e6,
                                                   record["warm"]["server_requests"]) if "warm" in record else ""))
    return records


def run_options(bench, args, log):
    """`--options`: cold loads of each option's pages (rtp_py and bare, on both interpreters), the options
    interleaved load by load; {option: {kind: [load metrics]}}."""
    chosen = [option for option in OPTIONS if option == "shipped" or not args.option or option in args.option]
    out = {option: {kind: [] for kind in KINDS[:4]} for option in chosen}
    for i in range(args.loads):
        for option in chosen:
            for kind in KINDS[:4]:
                context = bench.context()
                try:
                    page, cold = bench.open(context, kind, "%s %s load %d" % (option, kind, i + 1), option)
                    out[option][kind].append(load_metrics(cold))
                    page.close()
                finally:
                    context.close()
        log("  options: load %d/%d done" % (i + 1, args.loads))
    return out


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
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
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

"""The table: summaries of the records, one function per section of rows, and the markdown rendering.

A row is (label, cells in KINDS order, target, met); a section heading is (text, None, None, None).
"""

from pages import ALL_KINDS, BARE_OF, KINDS, LABELS, OPTION_TEXT, PYTHON_KINDS, RTP_KINDS, WP
from stats import fmt, median, percentile, summary

INTERPRETERS = RTP_KINDS          # the columns with rtp_py in them


class Table:
    """Summaries S[metric][kind] and the rows built from them, section by section."""

    def __init__(self, records, soaks, args):
        self.args = args
        self.S = summarise(records)
        self.soak = {kind: soak_stats(batches, args.batch) for kind, batches in soaks.items()}
        self.rows = []
        self.targets = {}

    def g(self, metric, kind):
        return self.S.get(metric, {}).get(kind)

    def med(self, metric, kind):
        return (self.g(metric, kind) or {}).get("median")

    def section(self, text):
        self.rows.append((text, None, None, None))

    def row(self, label, cells, target="", ok=None, name=None):
        met = "" if not target else ("–" if ok is None else ("yes" if ok else "**no**"))
        self.rows.append((label, [cells.get(k, "–") for k in KINDS], target, met))
        if name:
            self.targets[name] = ok

    def cells(self, metric, kinds=KINDS, **style):
        return {k: fmt(self.g(metric, k), **style) for k in kinds}


def summarise(records):
    S = {}

    def put(metric, kind, values):
        S.setdefault(metric, {})[kind] = summary(values)

    for kind in ALL_KINDS:
        recs = records[kind]
        for phase in ("cold", "warm"):
            if phase not in recs[0]:
                continue
            for key in recs[0][phase]:
                put(phase + "." + key, kind, [r[phase][key] for r in recs])
            for key in ("block_at_first_frame", "default_ever_shown"):   # counts of loads (known visitor page)
                values = [r[phase].get(key) for r in recs if r[phase].get(key) is not None]
                if values:
                    S.setdefault("count.%s.%s" % (phase, key), {})[kind] = (sum(values), len(values))
        if kind in BARE_OF:   # what rtp_py adds: load by load against the bare page loaded next to it
            bare = records[BARE_OF[kind]]
            for key in ("ready_ms", "tbt_ms", "transfer_bytes", "decoded_bytes", "resources"):
                pairs = [(r["cold"][key], b["cold"][key]) for r, b in zip(recs, bare, strict=True)
                         if r["cold"][key] is not None and b["cold"][key] is not None]
                put("added." + key, kind, [x - y for x, y in pairs])
                put("added_pct." + key, kind, [100.0 * (x - y) / y for x, y in pairs if y])
                put("ratio." + key, kind, [x / y for x, y in pairs if y])
        if "calls" not in recs[0]:
            continue
        for key in ("js_str", "js_list", "py_str", "py_list", "py_noop"):
            put("calls." + key, kind, [median(r["calls"][key]) for r in recs if r["calls"][key]])
        if kind != "js":
            for v in ("str", "list"):
                put("calls.ratio_" + v, kind,
                    [median(r["calls"]["py_" + v]) / median(r["calls"]["js_" + v]) for r in recs])
                put("calls.floor_ratio_" + v, kind,
                    [median(r["calls"]["py_" + v]) / median(r["calls"]["py_noop"]) for r in recs])
        for which in ("declarative", "bound"):
            lat = [r["click_%s_us" % which] for r in recs]
            put("click.%s.p50" % which, kind, [median(x) for x in lat])
            put("click.%s.p99" % which, kind, [percentile(x, 99) for x in lat])
    return S


def soak_stats(batches, batch):
    return {"first": batches[0], "last": batches[-1], "min": min(batches), "max": max(batches),
            "median": median(batches), "max_over_min": max(batches) / min(batches),
            "last_over_first": batches[-1] / batches[0], "calls": len(batches) * batch,
            # The trend, robust to one noisy batch: median of the last 5 batches over the median of batches
            # 2-6 (the first is warm-up). A to_js-style cliff shows up here as 10-50x.
            "late_over_early": median(batches[-5:]) / median(batches[1:6] or batches[:1]),
            "batches": batches}


def load_rows(t):
    py = PYTHON_KINDS
    t.section("**Load, cold** (a fresh browser with an empty profile for every load; a bare column is the same "
              "server and config flags with one statement of Python and no rtp_py)")
    t.row("tracking live (a click would be captured), ms from navigation start",
          t.cells("cold.live_ms", INTERPRETERS + ("js",)))
    t.row("tracking live, ms relative to DOMContentLoaded (negative = before)",
          t.cells("cold.live_vs_dcl_ms", INTERPRETERS + ("js",)), "≤ +50 ms (Pyodide, MicroPython)",
          all(t.g("cold.live_vs_dcl_ms", k)["max"] <= 50 for k in INTERPRETERS), "tracking live ≤ 50 ms after DCL")
    t.row("DOMContentLoaded, ms from navigation start", t.cells("cold.dcl_ms"))
    t.row("Python ready, ms from navigation start (rtp_py: `html.rtp-ready`; bare: `py:done`/`mpy:done`)",
          t.cells("cold.ready_ms", py, digits=0), "MicroPython ≤ 400 ms (median)",
          t.med("cold.ready_ms", "mpy") <= 400, "MicroPython ready ≤ 0.4 s")
    t.row("  of which interpreter up (PyScript's `py:ready`/`mpy:ready`, before the page's script runs)",
          t.cells("cold.interpreter_ms", py, digits=0))
    t.row("  then to ready, ms (unpacking [files], `import rtp_py`, `start()`; bare: one statement)",
          t.cells("cold.ready_after_interpreter_ms", py, digits=0))
    t.row("**ready time rtp_py adds** over bare PyScript, ms (load by load)", t.cells("added.ready_ms", digits=0))
    t.row("  the same, % of bare PyScript's ready time", t.cells("added_pct.ready_ms", digits=1, unit="%"),
          "≤ 10% (MicroPython, median)", t.med("added_pct.ready_ms", "mpy") <= 10,
          "ready time added over bare PyScript ≤ 10% (MicroPython)")
    t.row("Total Blocking Time until ready, ms (long tasks' time over 50 ms)", t.cells("cold.tbt_ms", digits=0))
    t.row("  longest main-thread task, ms", t.cells("cold.longest_task_ms", digits=0))
    t.row("  long tasks (> 50 ms)", t.cells("cold.long_tasks", digits=0))
    t.row("**Total Blocking Time rtp_py adds** over bare PyScript, ms", t.cells("added.tbt_ms", digits=0),
          "≤ 10 ms (both, median)", all(t.med("added.tbt_ms", k) <= 10 for k in INTERPRETERS),
          "Total Blocking Time added ≤ 10 ms")
    t.row("`page.goto` → ready, ms as Playwright sees it (js: → load)", t.cells("cold.goto_to_ready_ms", digits=0))
    t.row("bytes per load, cold, MB transferred (scripts/serve.py gzips text and wasm)",
          t.cells("cold.transfer_bytes", digits=3, scale=1e-6))
    t.row("  the same files uncompressed, MB", t.cells("cold.decoded_bytes", digits=3, scale=1e-6))
    t.row("  bytes rtp_py adds over bare PyScript, kB transferred", t.cells("added.transfer_bytes", digits=1,
                                                                            scale=1e-3))
    t.row("requests per load, cold", t.cells("cold.resources", digits=0))
    t.row("  requests rtp_py adds over bare PyScript", t.cells("added.resources", digits=0))
    t.section("**Load, warm** (a second visit in the same browser, cache allowed)")
    t.row("Python ready, ms from navigation start (js: tracking live)",
          {**t.cells("warm.ready_ms", py, digits=0), "js": fmt(t.g("warm.live_ms", "js"))})
    t.row("Total Blocking Time until ready, ms", t.cells("warm.tbt_ms", digits=0))
    t.row("bytes per load, warm, kB transferred", t.cells("warm.transfer_bytes", digits=1, scale=1e-3))
    t.row("requests reaching the server, warm (all 304 revalidations of `no-cache` files)",
          t.cells("warm.server_requests", digits=0))
    t.row("resources served from the browser cache, warm", t.cells("warm.from_cache", digits=0))


def cost_rows(t):
    args = t.args
    t.section("**Cost per call** (µs per call over {:,} calls; {} batch(es) per load after {:,} uncounted warm-up "
              "calls; `rtp` is the queue stub, `rtp.q` emptied between batches)".format(
                  args.calls, args.rounds, args.warmup))
    t.row("`send_event(\"%s\")` from Python" % WP, t.cells("calls.py_str", INTERPRETERS, digits=2))
    t.row("`rtp('send','event',{value: \"%s\"})` from JS, same page" % WP, t.cells("calls.js_str", digits=3))
    t.row("ratio Python / JS (string)", t.cells("calls.ratio_str", INTERPRETERS, unit="×", digits=0))
    t.row("floor: one Python → JS call of a no-op JS function (no rtp_py), µs",
          t.cells("calls.py_noop", INTERPRETERS, digits=2))
    t.row("**ratio `send_event(string)` / floor** (no longer a target: measured only)",
          t.cells("calls.floor_ratio_str", INTERPRETERS, unit="×", digits=1))
    t.row("`send_event([4 strings])` from Python", t.cells("calls.py_list", INTERPRETERS, digits=2))
    t.row("`rtp(... {value: [4 strings]})` from JS, same page", t.cells("calls.js_list", digits=3))
    t.row("ratio Python / JS (4 strings)", t.cells("calls.ratio_list", INTERPRETERS, unit="×", digits=0))
    t.row("ratio `send_event([4 strings])` / floor", t.cells("calls.floor_ratio_list", INTERPRETERS, unit="×",
                                                             digits=1))


def click_rows(t):
    t.section("**Click → `rtp` latency** (%d `element.click()` per load, one task each; µs from the click event "
              "to the `rtp` call)" % t.args.clicks)
    for which, label in (("declarative", "`data-rtp-event` element"),
                         ("bound", "element bound with `on_click` (js: `addEventListener`)")):
        t.row(label + ", median", t.cells("click.%s.p50" % which, digits=0))
        t.row(label + ", p99", t.cells("click.%s.p99" % which, digits=0))


def soak_rows(t):
    args, soak = t.args, t.soak
    t.section("**Soak** ({:,} `send_event` calls in one page, batches of {:,}, µs per call)".format(
        args.soak, args.batch))

    def cell(key, digits=2, unit=""):
        return {k: "%.*f%s" % (digits, soak[k][key], unit) for k in soak}

    t.row("calls made (fewer than asked = stopped by the time budget, `--soak-budget`)",
          {k: "{:,}".format(soak[k]["calls"]) + ("" if soak[k]["calls"] >= args.soak else " **(stopped)**")
           for k in soak})
    t.row("first batch", cell("first"))
    t.row("last batch", cell("last"))
    t.row("median (min–max) over batches",
          {k: "%.2f (%.2f–%.2f)" % (soak[k]["median"], soak[k]["min"], soak[k]["max"]) for k in soak})
    stopped = any(soak[k]["calls"] < args.soak for k in INTERPRETERS if k in soak)
    ok = None if stopped or not soak else all(soak[k]["late_over_early"] <= 2 for k in INTERPRETERS)
    t.row("flatness: median of the last 5 batches / median of batches 2–6 (first = warm-up)",
          cell("late_over_early", unit="×"), "≤ 2× (Pyodide, MicroPython; `–` = a soak stopped early)", ok,
          "soak flat within 2×")
    t.row("slowest / fastest batch (sensitive to one noisy batch)", cell("max_over_min", unit="×"))
    t.row("last / first batch", cell("last_over_first", unit="×"))


def bytes_rows(t, sizes):
    t.section("**rtp_py's own bytes**")
    both = ("%s %.1f KB (%d files inside: %.1f KB, from %.1f KB of sources without comments and docstrings) + "
            "loader %s %.1f KB; the wheel (micropip) %.1f KB" % (
                sizes["bundle"], sizes["bundle_bytes"] / 1024, sizes["files_inside"], sizes["inside_raw"] / 1024,
                sizes["sources_raw"] / 1024, sizes["loader"], sizes["loader_bytes"] / 1024,
                sizes["wheel_bytes"] / 1024))
    t.row("on disk (dist/, and the kit)", {"py": both, "mpy": both})
    t.row("sent to the browser from /dist/ (bundle and loader), cold, as transferred (scripts/serve.py gzips the "
          "loader; capture.js is inline in the page)",
          {k: "%.1f KB, %d file(s)" % (t.med("cold.own_fetched_bytes", k) / 1024, t.med("cold.own_fetched_files", k))
           for k in INTERPRETERS}, "≤ 30 KB sent",
          all(t.med("cold.own_fetched_bytes", k) <= 30 * 1024 for k in INTERPRETERS), "own bytes ≤ 30 KB (gzip)")


def site_rows(t):
    """The start-up table: each way a site serves rtp_py, its ready time against bare PyScript's on the same
    server, in the same run; rtp_py's own bytes; a known visitor's blocks at the first paint."""
    rows, targets = [], {}

    def ready(kind):
        return t.g("cold.ready_ms", kind)

    def line(what, server, kind, target=None, name=None):
        bare = BARE_OF[kind]
        r, b = t.med("cold.ready_ms", kind), t.med("cold.ready_ms", bare)
        ratio = r / b if r is not None and b else None
        ok = None if ratio is None or target is None else ratio <= target
        if name:
            targets[name] = ok
        own = t.g("cold.own_fetched_bytes", kind)
        rows.append("| %s | %s | %s | %s | **%s** | %s | %s | %s | %s | %s |" % (
            what, server, fmt(ready(kind), digits=0), fmt(ready(bare), digits=0),
            "%.3f×" % ratio if ratio is not None else "–", fmt(t.g("ratio.ready_ms", kind), digits=3, unit="×"),
            "≤ %.2f×" % target if target else "", "" if ok is None else ("yes" if ok else "**no**"),
            "%.1f KB in %d file(s)" % (own["median"] / 1024, t.med("cold.own_fetched_files", kind)) if own else "–",
            "%d (%d)" % (t.med("cold.resources", kind), t.med("cold.resources", bare))))

    line("MicroPython: the kit's starter page (loader + bundle)", "`python3 -m http.server` (no gzip)", "kit-mpy",
         1.10, "MicroPython ready ≤ 1.10× bare, kit on http.server")
    line("MicroPython: the bench page (loader + bundle)", "scripts/serve.py (gzip)", "mpy", 1.10,
         "MicroPython ready ≤ 1.10× bare, scripts/serve.py")
    line("Pyodide: the kit's starter page (loader + bundle)", "`python3 -m http.server` (no gzip)", "kit-py", 1.05,
         "Pyodide ready ≤ 1.05× bare, kit on http.server")
    line("Pyodide: the bench page (loader + bundle)", "scripts/serve.py (gzip)", "py", 1.05,
         "Pyodide ready ≤ 1.05× bare, scripts/serve.py")
    line("MicroPython: `packages = [\"./rtp_py/\"]` (mip, package.json)", "`python3 -m http.server` (no gzip)",
         "pkg-mpy")
    line("Pyodide: `packages = [\"./rtp_py-<version>-py3-none-any.whl\"]` (micropip)",
         "`python3 -m http.server` (no gzip)", "pkg-py")
    line("MicroPython: a known visitor, `data-rtp-segment` blocks + segments.js", "scripts/serve.py (gzip)",
         "seg-mpy")
    line("Pyodide: a known visitor, `data-rtp-segment` blocks + segments.js", "scripts/serve.py (gzip)", "seg-py")
    own = {k: t.med("cold.own_fetched_bytes", k) for k in ("kit-mpy", "kit-py", "mpy", "py")}
    targets["rtp_py's own bytes sent ≤ 30 KB, gzip or not"] = all(v is not None and v <= 30 * 1024
                                                                   for v in own.values())
    paint, on_first_paint = [], True
    for kind in ("seg-mpy", "seg-py"):
        shown, n = t.S.get("count.cold.block_at_first_frame", {}).get(kind, (0, 0))
        default, _ = t.S.get("count.cold.default_ever_shown", {}).get(kind, (0, 0))
        on_first_paint = on_first_paint and n > 0 and shown == n and default == 0
        paint.append("| %s | %s | %s | %d of %d | %d of %d | %s |" % (
            LABELS[kind], fmt(t.g("cold.fcp_ms", kind), digits=0), fmt(t.g("cold.block_first_frame_ms", kind),
                                                                       digits=0),
            shown, n, default, n, fmt(t.g("cold.ready_ms", kind), digits=0)))
    targets["a known visitor's blocks on the first paint"] = on_first_paint
    t.site_rows, t.paint_rows, t.site_own = rows, paint, own
    t.targets.update(targets)


def render_site(t):
    """The start-up table, the known visitor's paint table and the targets they decide, as markdown."""
    out = ["", "### Start-up as sites serve it: rtp_py's ready time against bare PyScript's, side by side", "",
           "Ready: ms from navigation start to `html.rtp-ready` (bare: PyScript's `mpy:done`/`py:done`), median "
           "(min–max) of cold loads in fresh browsers, interleaved with every other column. Bare: the same page "
           "less everything of rtp_py, on the same server (the kit's bare page is its starter page without the "
           "capture snippet, the loader and the bundle's hint, with one statement of Python). Ratio: the medians' "
           "ratio (the target's measure); load by load: median of each load's ratio to the bare load beside it.",
           "", "| page | server | ready, ms | bare, ms | ratio | load by load | target | met? | rtp_py's own bytes "
           "sent | requests (bare) |", "|---|---|---|---|---|---|---|---|---|---|"]
    out += t.site_rows
    out += ["", "A known visitor (the segment rtp answered on an earlier page of the session, in sessionStorage): "
            "is the visitor's `data-rtp-segment` block displayed in the first frame the browser paints with it, "
            "and the default never? (`requestAnimationFrame`, just before each paint, until Python is ready.)", "",
            "| page | first contentful paint, ms | the block first in a frame, ms | displayed in that frame | "
            "default ever displayed | Python ready, ms |", "|---|---|---|---|---|---|"]
    out += t.paint_rows
    return "\n".join(out)


def build(records, soaks, sizes, args):
    """All rows, and each target's verdict (True, False, or None when not measured)."""
    t = Table(records, soaks, args)
    load_rows(t)
    cost_rows(t)
    click_rows(t)
    soak_rows(t)
    bytes_rows(t, sizes)
    site_rows(t)
    return t


def render(rows, meta, args, resolution):
    busy = max(meta["loadavg_before"][0], meta["loadavg_after"][0]) > meta["nproc"]
    out = ["## rtp_py benchmark (`make bench`)", "",
           "%s · %s cores, %s GB RAM, %s · %s · PyScript %s, Pyodide %s, MicroPython %s · rtp_py %s (%s)" % (
               meta["date"], meta["nproc"], meta["ram_gb"], meta["cpu"], meta["chromium"], meta["pyscript"],
               meta["pyodide"], meta["micropython"], meta["rtp_py"], meta["commit"]), "",
           "Each cell: median (min–max) over %d fresh page loads per column, interleaved, unless it says otherwise. "
           "Timer resolution in the page: %s ms. Load average before/after the run: %s / %s%s." % (
               args.loads, resolution, meta["loadavg_before"][0], meta["loadavg_after"][0],
               " (**the machine was busy: expect noise**)" if busy else ""), "",
           "| | " + " | ".join(LABELS[k] for k in KINDS) + " | target | met? |",
           "|---|" + "---|" * (len(KINDS) + 2)]
    for label, cells, target, ok in rows:
        if cells is None:
            out.append("| %s |%s" % (label, " |" * (len(KINDS) + 2)))
        else:
            out.append("| %s | %s | %s | %s |" % (label, " | ".join(cells), target, ok))
    return "\n".join(out)


def render_options(results, meta, args):
    """The `--options` table: one row per option, rtp_py and bare PyScript on each interpreter."""

    def med(option, kind, key):
        return median([m[key] for m in results[option][kind] if m[key] is not None])

    def added(option, kind, key):
        pairs = zip(results[option][kind], results[option][BARE_OF[kind]], strict=True)
        return median([r[key] - b[key] for r, b in pairs if r[key] is not None and b[key] is not None])

    out = ["## rtp_py start-up options (`make bench BENCH_ARGS=--options`)", "",
           "%s · %s cores, %s · %s · PyScript %s, Pyodide %s, MicroPython %s · rtp_py %s (%s)" % (
               meta["date"], meta["nproc"], meta["cpu"], meta["chromium"], meta["pyscript"], meta["pyodide"],
               meta["micropython"], meta["rtp_py"], meta["commit"]), "",
           "Medians of %d cold loads per cell (a fresh browser each), every option and column interleaved load "
           "by load. Ready: ms from navigation start; added: rtp_py's page minus the bare page loaded next to "
           "it, load by load; TBT: Total Blocking Time until ready." % args.loads, "",
           "| option | MicroPython ready | bare | added | requests (bare) | TBT | Pyodide ready | bare | added "
           "| TBT (bare) |", "|---|" + "---|" * 9]
    for option in results:
        out.append("| %s: %s | %.0f | %.0f | %+.0f | %d (%d) | %.0f | %.0f | %.0f | %+.0f | %.0f (%.0f) |" % (
            option, OPTION_TEXT[option], med(option, "mpy", "ready_ms"), med(option, "mpy-bare", "ready_ms"),
            added(option, "mpy", "ready_ms"), med(option, "mpy", "resources"), med(option, "mpy-bare", "resources"),
            med(option, "mpy", "tbt_ms"), med(option, "py", "ready_ms"), med(option, "py-bare", "ready_ms"),
            added(option, "py", "ready_ms"), med(option, "py", "tbt_ms"), med(option, "py-bare", "tbt_ms")))
    return "\n".join(out)

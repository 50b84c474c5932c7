"""The table: summaries of the records, one function per section of rows, and the markdown rendering.

A row is (label, cells in KINDS order, target, met); a section heading is (text, None, None, None).
"""

from pages import KINDS, LABELS, WP
from stats import fmt, median, percentile, summary

INTERPRETERS = ("py", "mpy")


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

    for kind in KINDS:
        recs = records[kind]
        for phase in ("cold", "warm"):
            for key in recs[0][phase]:
                put(phase + "." + key, kind, [r[phase][key] for r in recs])
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
    t.section("**Load, cold** (a fresh browser with an empty profile for every load)")
    t.row("tracking live (a click would be captured), ms from navigation start", t.cells("cold.live_ms"))
    t.row("tracking live, ms relative to DOMContentLoaded (negative = before)", t.cells("cold.live_vs_dcl_ms"),
          "≤ +50 ms (Pyodide, MicroPython)",
          all(t.g("cold.live_vs_dcl_ms", k)["max"] <= 50 for k in INTERPRETERS), "tracking live ≤ 50 ms after DCL")
    t.row("DOMContentLoaded, ms from navigation start", t.cells("cold.dcl_ms"))
    t.row("Python ready (`html.rtp-ready`), ms from navigation start", t.cells("cold.ready_ms", INTERPRETERS, digits=0),
          "MicroPython ≤ 300 ms (median)", t.med("cold.ready_ms", "mpy") <= 300, "MicroPython ready ≤ 300 ms")
    t.row("  of which interpreter up (PyScript's `py:ready`/`mpy:ready`, before our script runs), ms from "
          "navigation start", t.cells("cold.interpreter_ms", INTERPRETERS, digits=0))
    t.row("Python ready, ms after DOMContentLoaded", t.cells("cold.ready_vs_dcl_ms", INTERPRETERS, digits=0))
    t.row("`page.goto` → ready, ms as Playwright sees it (js: → load)", t.cells("cold.goto_to_ready_ms", digits=0))
    t.row("bytes per load, cold, MB transferred (scripts/serve.py gzips text and wasm)",
          t.cells("cold.transfer_bytes", digits=3, scale=1e-6))
    t.row("  the same files uncompressed, MB", t.cells("cold.decoded_bytes", digits=3, scale=1e-6))
    t.row("requests per load, cold", t.cells("cold.resources", digits=0))
    t.section("**Load, warm** (a second visit in the same browser, cache allowed)")
    t.row("Python ready, ms from navigation start (js: tracking live)",
          {**t.cells("warm.ready_ms", INTERPRETERS, digits=0), "js": fmt(t.g("warm.live_ms", "js"))})
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
    t.row("ratio Python / JS (string)", t.cells("calls.ratio_str", INTERPRETERS, unit="×", digits=0),
          "≤ 10× (median)", all(t.med("calls.ratio_str", k) <= 10 for k in INTERPRETERS), "per-call cost ≤ 10× raw JS")
    t.row("floor: one Python → JS call of a no-op JS function (no rtp_py), µs",
          t.cells("calls.py_noop", INTERPRETERS, digits=2))
    t.row("ratio `send_event(string)` / floor", t.cells("calls.floor_ratio_str", INTERPRETERS, unit="×", digits=1))
    t.row("`send_event([4 strings])` from Python", t.cells("calls.py_list", INTERPRETERS, digits=2))
    t.row("`rtp(... {value: [4 strings]})` from JS, same page", t.cells("calls.js_list", digits=3))
    t.row("ratio Python / JS (4 strings)", t.cells("calls.ratio_list", INTERPRETERS, unit="×", digits=0))


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
    both = "%.1f KB wheel (%d files inside: %.1f KB raw; %.1f KB gzip -9 with capture.js)" % (
        sizes["wheel_bytes"] / 1024, sizes["files_inside"], sizes["raw"] / 1024, sizes["gzip"] / 1024)
    t.row("`%s` on disk" % sizes["wheel"], {"py": both, "mpy": both})
    t.row("sent to the browser from /dist/ (the wheel), cold, as transferred (capture.js is inline in the page)",
          {k: "%.1f KB, %d file(s)" % (t.med("cold.own_fetched_bytes", k) / 1024, t.med("cold.own_fetched_files", k))
           for k in INTERPRETERS}, "≤ 30 KB sent",
          all(t.med("cold.own_fetched_bytes", k) <= 30 * 1024 for k in INTERPRETERS), "own bytes ≤ 30 KB")


def build(records, soaks, sizes, args):
    """All rows, and each target's verdict (True, False, or None when not measured)."""
    t = Table(records, soaks, args)
    load_rows(t)
    cost_rows(t)
    click_rows(t)
    soak_rows(t)
    bytes_rows(t, sizes)
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

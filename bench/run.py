"""rtp_py benchmark: load, call cost, click latency, soak and size, on Pyodide, MicroPython and plain JS.

    make bench                                   # or: .venv/bin/python bench/run.py
    make bench BENCH_ARGS="--loads 9"            # more fresh page loads per column (at least 7)
    make bench BENCH_ARGS="--quick"              # a smoke run: 3 loads, a 60,000-call soak (not for numbers)
    make bench BENCH_ARGS="--options"            # only the start-up options, each against bare PyScript

Not a test: it measures and prints a markdown table (also written to bench-results/results.md, with the raw
numbers in bench-results/results.json), and never fails on a missed target. It exits non-zero only if the
measurement itself went wrong (a page error, a request that left 127.0.0.1, a click that sent nothing).

The columns are measured side by side, the interpreters interleaved load by load so drift on the machine
hits all of them alike. The jobs live in their own modules: pages.py (pages, injected Python, the server,
rtp_py's bytes), measure.py (browsers, loads, costs, clicks, soak, the machine), table.py (rows, targets,
markdown), stats.py.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from chromium import CHROMIUM  # noqa: E402
from measure import Bench, Problems, machine, run_loads, run_options, run_soak  # noqa: E402
from pages import (ALL_KINDS, KINDS, LABELS, OPTIONS, ROOT, RTP_KINDS, KitSite, own_bytes, start_server,  # noqa: E402
                   templated)
from playwright.sync_api import sync_playwright  # noqa: E402
from table import build, render, render_options, render_site  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--loads", type=int, default=7, help="fresh page loads per column (default 7)")
    add("--calls", type=int, default=10_000, help="calls per cost batch (default 10,000)")
    add("--rounds", type=int, default=1, help="cost batches per value and load (default 1; median taken)")
    add("--warmup", type=int, default=1_000, help="uncounted calls before the cost batches (default 1,000)")
    add("--clicks", type=int, default=200, help="clicks per element per load (default 200)")
    add("--soak", type=int, default=300_000, help="send_event calls in the soak (default 300,000)")
    add("--batch", type=int, default=10_000, help="soak batch size (default 10,000)")
    add("--soak-budget", type=float, default=120,
        help="seconds a soak may take before it stops early and says so (default 120)")
    add("--quick", action="store_true", help="smoke run: 3 loads, 60,000-call soak")
    add("--options", action="store_true",
        help="instead: cold loads of each start-up option (JSON config, no plugins, preload hints, loose files, "
             ".mpy bytecode), each next to bare PyScript")
    add("--option", action="append", choices=[name for name in OPTIONS if name != "shipped"],
        help="with --options: only this option, next to 'shipped' (repeat for more; default all)")
    add("--out", default=str(ROOT / "bench-results"), help="where results.md/.json go")
    args = parser.parse_args()
    if args.quick:
        args.loads, args.soak = 3, 60_000
    elif args.loads < 7:
        print("bench: note: fewer than 7 loads; the issue asks for at least 7", file=sys.stderr)
    if not (ROOT / "vendor" / "pyscript" / "core.js").exists():
        raise SystemExit("bench: vendor/ is empty; run `make bench` (it runs setup first) or `make vendor`")
    if not Path(CHROMIUM).exists():
        raise SystemExit("bench: %s is missing; run `make setup` (installs Debian's chromium)" % CHROMIUM)
    if not templated():
        raise SystemExit("bench: bench/pages/rtp.html must take its <head> from the shared template")
    return args


def in_browser(job, with_kit=False):
    """Run `job(bench)` against our server (and, `with_kit`, the kit on `python3 -m http.server`) in Chromium;
    return (its result, the machine's facts, problems)."""
    load_before = os.getloadavg()
    server = start_server()
    kit_site = KitSite() if with_kit else None
    problems = Problems()
    with sync_playwright() as p:
        bench = Bench(p, server, problems, kit_site)
        try:
            result = job(bench)
            meta = machine(bench.browser_version, load_before)
        finally:
            server.shutdown()
            shutil.rmtree(server.variants.dir, ignore_errors=True)
            if kit_site:
                kit_site.close()
            bench.cleanup()
    return result, meta, problems


def measure(args, log):
    """Every load and soak; returns (records, soaks, meta, problems)."""
    def job(bench):
        log("bench: %d fresh loads per column (%s), interleaved" % (
            args.loads, ", ".join(LABELS[k] for k in ALL_KINDS)))
        records = run_loads(bench, args, log)
        log("bench: soak")
        return records, {kind: run_soak(bench, kind, args.soak, args.batch, args.soak_budget, log)
                         for kind in RTP_KINDS + ("js",)}
    (records, soaks), meta, problems = in_browser(job, with_kit=True)
    return records, soaks, meta, problems


def footer(targets, elapsed, problems):
    missed = [name for name, ok in targets.items() if ok is False]
    unknown = [name for name, ok in targets.items() if ok is None]
    text = "\nTargets met: %d of %d%s%s. Bench run took %.0f s." % (
        len(targets) - len(missed) - len(unknown), len(targets),
        (" (missed: %s)" % "; ".join(missed)) if missed else "",
        (" (not measured: %s)" % "; ".join(unknown)) if unknown else "", elapsed)
    if problems.items:
        text += "\n\n**The measurement had problems** (numbers above are not trustworthy):\n" + "\n".join(
            "- " + item for item in problems.items[:20])
    return text


def options(args, log):
    """`--options`: the options table, printed and written to bench-results/options.md."""
    def job(bench):
        log("bench: %d cold loads per option and column, interleaved" % args.loads)
        return run_options(bench, args, log)
    results, meta, problems = in_browser(job)
    text = render_options(results, meta, args)
    if problems.items:
        text += "\n\n**The measurement had problems**:\n" + "\n".join("- " + item for item in problems.items[:20])
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "options.md").write_text(text + "\n")
    (out / "options.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1) + "\n")
    return 1 if problems.items else 0


def main():
    # Stopped (kill PID): unwind, so the kit's http.server and the browsers are closed and the profiles removed.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    args = parse_args()
    started = time.perf_counter()
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731  progress goes to stderr
    if args.options:
        return options(args, log)
    records, soaks, meta, problems = measure(args, log)
    sizes = own_bytes()
    table = build(records, soaks, sizes, args)
    resolution = ", ".join("%s %.3g" % (LABELS[k], records[k][0]["timer_resolution_ms"]) for k in KINDS)
    text = render(table.rows, meta, args, resolution) + "\n" + render_site(table) + "\n" + footer(
        table.targets, time.perf_counter() - started, problems)
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text(text + "\n")
    raw = {"meta": meta, "args": vars(args), "targets": table.targets, "summaries": table.S, "soak": table.soak,
           "own_bytes": sizes, "problems": problems.items, "elapsed_s": time.perf_counter() - started,
           "loads": {k: [{key: value for key, value in r.items() if key != "cold_resources"} for r in records[k]]
                     for k in ALL_KINDS},
           "cold_resources": {k: records[k][0]["cold_resources"] for k in ALL_KINDS}}
    (out / "results.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
    log("bench: wrote %s and %s" % (out / "results.md", out / "results.json"))
    return 1 if problems.items else 0


if __name__ == "__main__":
    sys.exit(main())

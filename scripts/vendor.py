"""Copy the browser runtime files pages load from node_modules into vendor/ (git-ignored).

PyScript, Pyodide and PyScript's MicroPython build come from npm (package-lock.json pins them); this
script puts the files a page needs under one folder that our own server serves, so no page ever asks
a CDN. `runtime_files()` is the one definition of "what a page loads": scripts/kit.py ships the same
files, so what the tests load from vendor/ is what a site gets. It is idempotent: files already up to
date are left alone, and files no longer in the selection are removed.

One file is not npm's as it is: Pyodide's standard library, which npm ships as source, has the modules a page
imports while starting compiled to bytecode first (scripts/pyc_stdlib.py, into build/pyodide/), so that a
Pyodide page does not compile them at every start.

    python3 scripts/vendor.py          # after `npm ci`
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "vendor"
# Pyodide's standard library with its start-up modules compiled (compiled_stdlib).
COMPILED_STDLIB = ROOT / "build" / "pyodide" / "python_stdlib.zip"
PYC_STDLIB = ROOT / "scripts" / "pyc_stdlib.py"  # the compiler, run in Pyodide by
IN_PYODIDE = ROOT / "scripts" / "in_pyodide.mjs"  # this runner

PYSCRIPT = "@pyscript/core/dist"
# Pyodide and MicroPython: their loader and wasm and, for Pyodide, the standard library and lock file
# (all fetched at every start). Keyed by PyScript's script type.
INTERPRETERS = {
    "py": ("pyodide", "pyodide",
           ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")),
    "mpy": ("@micropython/micropython-webassembly-pyscript", "micropython", ("micropython.mjs", "micropython.wasm")),
}

# PyScript's dist is core.js plus chunks it imports. Static imports load with it; dynamic ones on demand.
# core's dynamic imports are its plugins (each imported at start-up unless *both* interpreter types' configs
# switch it off, so a page can only rely on them being requested), the TOML config parser and the zip reader
# (archives in a config's [files]; rtp_py's loader does without it, and the kit leaves it out): all kept.
# Left out: the code editor (CodeMirror, used by <script type="py-editor">), the package graph (used only by
# `packages = [...]`; `make kit KIT_ARGS=--packages` adds it), and whatever the plugins import on demand
# (py-terminal's xterm, py-editor's and py-game's own TOML parser), which only pages with an editor, a
# terminal or a game load.
STATIC_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([\w.-]+\.js)"')
DYNAMIC_IMPORT = re.compile(r'\bimport\(\s*"\./([\w.-]+\.js)"\s*\)')
NOT_LOADED_BY_TRACKING_PAGES = ("codemirror", "pyodide_graph")


def pyscript_files(dist: Path) -> list:
    """The names of PyScript's dist files a page without editor, terminal or packages can load."""
    def static_closure(names):
        seen, todo = set(), list(names)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(STATIC_IMPORT.findall((dist / name).read_text(encoding="utf-8")))
        return seen

    eager = static_closure({"core.js"})
    lazy = {name for chunk in eager for name in DYNAMIC_IMPORT.findall((dist / chunk).read_text(encoding="utf-8"))
            if not name.startswith(NOT_LOADED_BY_TRACKING_PAGES)}
    return sorted(static_closure(eager | lazy) | {"core.css"})


def runtime_files(interpreters=("py", "mpy")) -> list:
    """(source in node_modules, destination relative to the runtime folder) for every file pages load:
    pyscript/..., pyodide/... (type "py"), micropython/... (type "mpy")."""
    dist = NODE_MODULES / PYSCRIPT
    if not (dist / "core.js").is_file():
        sys.exit(f"vendor: {dist}/core.js is missing; run `npm ci` first")
    files = [(dist / name, "pyscript/" + name) for name in pyscript_files(dist)]
    for kind in interpreters:
        package, dest, names = INTERPRETERS[kind]
        files += [(COMPILED_STDLIB if name == "python_stdlib.zip" else NODE_MODULES / package / name,
                   f"{dest}/{name}") for name in names]
    missing = [str(src) for src, _ in files if not src.is_file()]
    if missing:
        sys.exit("vendor: missing %s; run `npm ci`, then scripts/vendor.py" % ", ".join(missing))
    return files


def compiled_stdlib() -> Path:
    """Compile npm's python_stdlib.zip with Pyodide's own interpreter into COMPILED_STDLIB, unless it is already
    compiled from this archive by this compiler (a hash of both, kept beside it); return its path. About 5 s."""
    source = NODE_MODULES / "pyodide" / "python_stdlib.zip"
    if not source.is_file():
        sys.exit(f"vendor: {source} is missing; run `npm ci` first")
    digest = hashlib.sha256()
    for path in (source, PYC_STDLIB, IN_PYODIDE):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    stamp = COMPILED_STDLIB.with_name(COMPILED_STDLIB.name + ".from")
    if COMPILED_STDLIB.is_file() and stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return COMPILED_STDLIB
    print("vendor: compiling Pyodide's standard library to bytecode (scripts/pyc_stdlib.py)", flush=True)
    COMPILED_STDLIB.parent.mkdir(parents=True, exist_ok=True)
    partial = COMPILED_STDLIB.with_name(COMPILED_STDLIB.name + ".partial")
    subprocess.run(["node", *(os.path.relpath(path, ROOT) for path in (IN_PYODIDE, PYC_STDLIB, source, partial))],
                   cwd=ROOT, check=True)
    partial.chmod(0o644)  # Emscripten writes files world-writable
    partial.replace(COMPILED_STDLIB)
    stamp.write_text(digest.hexdigest())
    return COMPILED_STDLIB


def copy_files(files, out: Path) -> int:
    """Copy (source, relative destination) pairs under `out` unless already up to date; return how many."""
    copied = 0
    for src, rel in files:
        target = out / rel
        stat = src.stat()
        if target.exists() and target.stat().st_size == stat.st_size and target.stat().st_mtime >= stat.st_mtime:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
        copied += 1
    return copied


def vendor() -> int:
    """Copy every runtime file that is missing or stale into vendor/, drop any other; return how many were copied."""
    compiled_stdlib()
    files = runtime_files()
    copied = copy_files(files, VENDOR)
    wanted = {VENDOR / rel for _, rel in files}
    for path in VENDOR.rglob("*"):
        if path.is_file() and path not in wanted:
            path.unlink()
    return copied


if __name__ == "__main__":
    n = vendor()
    print(f"vendor: {n} file(s) copied into {VENDOR.relative_to(ROOT)}/")

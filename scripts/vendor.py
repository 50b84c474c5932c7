"""Copy the pinned browser runtimes from node_modules into vendor/ (git-ignored).

PyScript, Pyodide and PyScript's MicroPython build come from npm (package-lock.json pins them); this
script puts the files a page needs under one folder that our own server serves, so no page ever asks
a CDN. It is idempotent: files already up to date are left alone.

    python3 scripts/vendor.py          # after `npm ci`
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "vendor"

# (package folder, destination, glob patterns). PyScript's plugins are lazy chunks that core.js imports
# relative to itself, so its whole dist goes (without source maps); Pyodide and MicroPython need only
# their loader, their wasm and, for Pyodide, the standard library and lock file.
SOURCES = (
    ("@pyscript/core/dist", "pyscript", ("*.js", "*.css")),
    ("pyodide", "pyodide", ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
                            "python_stdlib.zip", "pyodide-lock.json")),
    ("@micropython/micropython-webassembly-pyscript", "micropython", ("micropython.mjs", "micropython.wasm")),
)


def vendor() -> int:
    """Copy every runtime file that is missing or stale; return how many were copied."""
    copied = 0
    for package, dest, patterns in SOURCES:
        src_dir = NODE_MODULES / package
        if not src_dir.is_dir():
            sys.exit(f"vendor: {src_dir} is missing; run `npm ci` first")
        out_dir = VENDOR / dest
        out_dir.mkdir(parents=True, exist_ok=True)
        for pattern in patterns:
            matches = sorted(src_dir.glob(pattern))
            if not matches:
                sys.exit(f"vendor: no {pattern} in {src_dir}; is the pinned version installed?")
            for src in matches:
                target = out_dir / src.name
                stat = src.stat()
                if target.exists() and target.stat().st_size == stat.st_size \
                        and target.stat().st_mtime >= stat.st_mtime:
                    continue
                shutil.copy2(src, target)
                copied += 1
    return copied


if __name__ == "__main__":
    n = vendor()
    print(f"vendor: {n} file(s) copied into {VENDOR.relative_to(ROOT)}/")

"""Compile the part of Pyodide's standard library a page imports while starting, so Pyodide does not compile it.

npm's `pyodide` package ships `python_stdlib.zip` as source (Pyodide's "full" distribution): every page start
compiled the ~140 modules Pyodide and PyScript import while starting, before any code of the page ran. Pyodide's
own CDN also publishes the archive compiled (its "pyc" distribution), which npm does not carry. This script
makes a compiled archive from the pinned npm package, at install time, with Pyodide's own interpreter (so the
bytecode is the exact CPython build pages run, magic number included): the modules Pyodide imports while it
starts, plus PyScript's own (STARTUP_EXTRA), become `.pyc`; every other module stays source, as npm ships it,
and compiles when a page first imports it, as before. On this project's 2-core machines a Pyodide page is ready
in about 1.5 s instead of 3.4, at every start; the archive grows by 0.7 MB (all modules compiled: 2 MB).

What changes for a page: nothing but time. A compiled module's `__file__` ends in `.pyc`, and a traceback
through one shows file, line and function but not the source line (its source is not shipped). Each `.pyc` is
unchecked hash-based (PEP 552): nothing to compare at import. tests/e2e/test_index.py fails when a Pyodide page
with rtp_py compiles a standard library module while starting (say, after an upgrade of Pyodide or PyScript):
add the module to STARTUP_EXTRA.

scripts/vendor.py runs it through scripts/in_pyodide.mjs, which runs it as Pyodide's first Python:

    node scripts/in_pyodide.mjs scripts/pyc_stdlib.py SOURCE.zip COMPILED.zip
"""

import sys

# What the interpreter imported before this file: run by in_pyodide.mjs, what Pyodide imports while it starts.
IMPORTED_AT_START = frozenset(sys.modules)

import importlib.util  # noqa: E402 (after the snapshot above)
import io  # noqa: E402
import zipfile  # noqa: E402
from importlib._bootstrap_external import _code_to_hash_pyc  # noqa: E402 (how py_compile writes a .pyc)

# Imported while a PyScript page starts, after Pyodide's own start (pyscript's display escapes with html).
STARTUP_EXTRA = frozenset({"html", "html.entities"})


def module_name(member: str):
    """The module a zip member holds ("json/decoder.py" -> "json.decoder", "json/__init__.py" -> "json"), or
    None for a member that is not Python source."""
    if not member.endswith(".py"):
        return None
    name = member[:-3].replace("/", ".")
    return name[:-len(".__init__")] if name.endswith(".__init__") else name


def compile_archive(source: bytes, modules) -> bytes:
    """The zip archive `source` with the `.py` member of each module named in `modules` replaced by its `.pyc`
    (same folder, same date); every other member, and a module that does not compile (it fails at import as it
    did), is kept as it is."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if module_name(info.filename) in modules:
                try:
                    code = compile(data, info.filename, "exec", dont_inherit=True)
                except (SyntaxError, ValueError):
                    pass
                else:
                    compiled = zipfile.ZipInfo(info.filename + "c", info.date_time)
                    compiled.compress_type = zipfile.ZIP_DEFLATED
                    dst.writestr(compiled, _code_to_hash_pyc(code, importlib.util.source_hash(data), False))
                    continue
            dst.writestr(info, data)
    return out.getvalue()


def main(argv) -> None:
    if len(argv) != 3:
        sys.exit("usage: node scripts/in_pyodide.mjs scripts/pyc_stdlib.py SOURCE.zip COMPILED.zip")
    with open(argv[1], "rb") as src:
        compiled = compile_archive(src.read(), IMPORTED_AT_START | STARTUP_EXTRA)
    with open(argv[2], "wb") as dst:
        dst.write(compiled)


if __name__ == "__main__":
    main(sys.argv)

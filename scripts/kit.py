"""Write everything a web page needs to use rtp_py into one folder: the embed kit.

    make kit DEST=~/site                       # or: python3 scripts/kit.py ~/site
    python3 scripts/kit.py --url /rtp/ ~/site/rtp   # pages anywhere on the site use the kit at /rtp/
    python3 scripts/kit.py --interpreter mpy ~/site # MicroPython only (0.9 MB instead of 14.4 MB)

Into DEST it writes (overwriting these names, touching nothing else but older rtp_py wheels):

    pyscript/ pyodide/ micropython/    the runtime files pages load (scripts/vendor.py's selection)
    rtp_py-<version>-py3-none-any.whl  rtp_py itself (`make wheel`)
    pyscript.toml, pyscript.mpy.toml   PyScript configs for Pyodide and for MicroPython
    rtp-starter-py.html, rtp-starter-mpy.html
                                       a starter page on each interpreter: the RTP tag snippet, the capture
                                       snippet (read from rtp_py/capture.js now), preload hints for what a
                                       start fetches (preload_urls), two tracked Download buttons

URLs are relative by default, so the kit works as a site's web root or as any sub-folder of it, for pages
in that folder. PyScript resolves a config's `interpreter` against the page, not the config, so pages in
other folders need the kit's URL from the site's root: `--url /rtp/`. Serve .wasm as application/wasm and
.mjs/.js as JavaScript (`python3 -m http.server` does).
"""

import argparse
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import vendor

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "kit" / "starter.html"
CAPTURE_JS = ROOT / "rtp_py" / "capture.js"

# PyScript script type -> (interpreter's name, config file, starter page)
KINDS = {
    "py": ("Pyodide", "pyscript.toml", "rtp-starter-py.html"),
    "mpy": ("MicroPython", "pyscript.mpy.toml", "rtp-starter-mpy.html"),
}
INTERPRETER_URLS = {"py": "pyodide/pyodide.mjs", "mpy": "micropython/micropython.mjs"}
# The PyScript chunks every rtp_py page loads besides core.js: core's body, the TOML parser (the config) and
# the zip reader (the wheel). Their names carry a hash that changes with each PyScript release.
PRELOADED_CHUNKS = re.compile(r"^(core|toml|zip)-[\w-]{8}\.js$")

CONFIG = """\
# PyScript configuration for pages that use rtp_py on {name}:
#   <script type="{type}" config="{base}{config}">
# Written by rtp_py's kit (rtp_py {version}). Everything loads from your own site, nothing from a CDN.
# `interpreter` resolves against the URL of the PAGE, not of this file, and must start with "/", "./" or
# "../" (anything else is read as a version number and turned into a CDN URL).
interpreter = "{base}{interpreter}"
# PyScript's plugins (code editor, terminal, game, error display, ...) serve no tracking page, and the
# interpreter waits for the ones not switched off: bench/README.md measures the difference. Python errors
# still reach the browser console; drop "!error" to also show them on the page while developing.
plugins = ["!codemirror", "!deprecations-manager", "!donkey", "!error", "!py-editor", "!py-game", "!py-terminal"]

[files]
# rtp_py: one wheel, unpacked into the interpreter's file system ("./*"). Keys resolve against this file.
"./{wheel}" = "./*"
"""


def version() -> str:
    """rtp_py's __version__, read from the one line that holds it (rtp_py/__init__.py)."""
    match = re.search(r'^__version__ = "([^"]+)"$', (ROOT / "rtp_py" / "__init__.py").read_text(), re.M)
    if not match:
        sys.exit("kit: no __version__ = \"...\" line in rtp_py/__init__.py")
    return match.group(1)


def wheel() -> Path:
    """dist/'s wheel, built or rebuilt first if rtp_py/ changed since (scripts/setup.sh wheel)."""
    subprocess.run(["bash", str(ROOT / "scripts" / "setup.sh"), "wheel"], check=True)
    path = ROOT / "dist" / f"rtp_py-{version()}-py3-none-any.whl"
    if not path.is_file():
        sys.exit(f"kit: {path} was not built")
    return path


def check_base(base: str) -> str:
    """The kit's URL as pages see it, ending in "/": "./" (the default), "/rtp/", "../rtp/"..."""
    if not base.startswith(("/", "./", "../")):
        raise argparse.ArgumentTypeError('must start with "/", "./" or "../" (a path on your own site)')
    return base if base.endswith("/") else base + "/"


def preload_urls(kind: str, base: str, config: str, wheel: str) -> list:
    """What a page on `kind` fetches at every start: PyScript's chunks, its config and rtp_py's wheel, then
    the interpreter's loader and files (vendor.runtime_files' selection, so the names match what the kit
    ships). `base` is the runtime folder's URL; `config` and `wheel` are full URLs. Hinted in <head>, they
    download at once instead of one after the other as each script discovers the next (bench/README.md)."""
    chunks = [name for name in vendor.pyscript_files(vendor.NODE_MODULES / vendor.PYSCRIPT)
              if PRELOADED_CHUNKS.match(name)]
    _, folder, names = vendor.INTERPRETERS[kind]
    return ([base + "pyscript/" + name for name in chunks] + [config, wheel]
            + [base + folder + "/" + name for name in names])


def preload_links(urls) -> str:
    """<link> hints for preload_urls: modulepreload for JavaScript modules; for the rest (wasm, zip, json),
    preload as="fetch" with crossorigin, the mode in which the interpreters fetch them, so the browser uses
    the preloaded response instead of downloading it twice."""
    links = []
    for url in urls:
        if url.endswith((".js", ".mjs")):
            links.append('<link rel="modulepreload" href="%s">' % url)
        else:
            links.append('<link rel="preload" href="%s" as="fetch" crossorigin>' % url)
    return "\n  ".join(links)


def starter_page(kind: str, base: str, kinds, wheel_name: str) -> str:
    name, config, _ = KINDS[kind]
    capture = CAPTURE_JS.read_text(encoding="utf-8").strip()
    if "</script" in capture.lower():
        sys.exit("kit: rtp_py/capture.js contains </script>, so it cannot be inlined")
    others = [k for k in kinds if k != kind]
    other_page = " ".join('<a href="%s">The same page on %s</a>.' % (KINDS[k][2], KINDS[k][0]) for k in others)
    fields = {
        "INTERPRETER": name,
        "VERSION": version(),
        "CAPTURE_SNIPPET": textwrap.indent(capture, "    "),
        "BASE": base,
        "TYPE": kind,
        "CONFIG": config,
        "PRELOAD": preload_links(preload_urls(kind, base, base + config, base + wheel_name)),
        "OTHER_PAGE": other_page,
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: fields[m.group(1)], TEMPLATE.read_text(encoding="utf-8"))


def write_kit(dest: Path, base: str = "./", kinds=("py", "mpy")) -> list:
    """Write the kit into `dest` (created if missing); return the paths written, relative to `dest`."""
    dest = Path(dest).expanduser().resolve()
    if dest == ROOT:
        sys.exit("kit: DEST is this repository; give the folder of your site, e.g. make kit DEST=~/site")
    dest.mkdir(parents=True, exist_ok=True)
    whl = wheel()
    files = vendor.runtime_files(kinds)
    vendor.copy_files(files, dest)
    written = [rel for _, rel in files]

    for old in dest.glob("rtp_py-*-py3-none-any.whl"):
        if old.name != whl.name:
            old.unlink()
    (dest / whl.name).write_bytes(whl.read_bytes())
    written.append(whl.name)

    for kind in kinds:
        name, config, page = KINDS[kind]
        (dest / config).write_text(CONFIG.format(name=name, type=kind, base=base, config=config, version=version(),
                                                 interpreter=INTERPRETER_URLS[kind], wheel=whl.name), encoding="utf-8")
        (dest / page).write_text(starter_page(kind, base, kinds, whl.name), encoding="utf-8")
        written += [config, page]
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="the folder to write into: your site's web root or a folder of it")
    parser.add_argument("--url", type=check_base, default="./",
                        help='the kit folder\'s URL as pages see it (default "./": pages sit in the kit folder; '
                             '"/rtp/": pages anywhere on the site, the kit at /rtp/)')
    parser.add_argument("--interpreter", choices=("both", "py", "mpy"), default="both",
                        help="which interpreters to include (default both; mpy alone is 0.9 MB)")
    args = parser.parse_args(argv)
    kinds = ("py", "mpy") if args.interpreter == "both" else (args.interpreter,)
    dest = args.dest.expanduser().resolve()
    written = write_kit(dest, args.url, kinds)
    size = sum((dest / rel).stat().st_size for rel in written)
    print(f"kit: {len(written)} files, {size / 1e6:.1f} MB in {dest}")
    for kind in kinds:
        print(f"kit: {KINDS[kind][0]:<11} {KINDS[kind][2]} (config {KINDS[kind][1]})")
    page = KINDS["mpy" if "mpy" in kinds else "py"][2]
    if args.url == "./":
        print(f"kit: try it: cd {dest} && python3 -m http.server 8080, then open http://localhost:8080/{page}")
    else:
        print(f"kit: serve your site so that {dest} is at {args.url}, then open {args.url}{page}")


if __name__ == "__main__":
    main()

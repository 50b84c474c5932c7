"""Write everything a web page needs to use rtp_py into one folder: the embed kit.

    make kit DEST=~/site                       # or: python3 scripts/kit.py ~/site
    python3 scripts/kit.py --url /rtp/ ~/site/rtp   # pages anywhere on the site use the kit at /rtp/
    python3 scripts/kit.py --interpreter mpy ~/site # MicroPython only (0.7 MB instead of 14 MB)
    python3 scripts/kit.py --packages ~/site   # also what installing rtp_py the PyScript way needs (below)

Into DEST it writes (replacing each of these files whose content differs, touching nothing else but other
versions' rtp_py files):

    pyscript/ pyodide/ micropython/    the runtime files pages load (scripts/vendor.py's selection, less
                                       PyScript's zip reader, which rtp_py no longer needs)
    rtp_py-<version>.js                rtp_py's loader (kit/loader.js): pages include it after PyScript's core.js
    rtp_py-<version>.bundle            rtp_py itself, one compressed file the loader writes into the interpreter
    pyscript.toml, pyscript.mpy.toml   PyScript configs for Pyodide and for MicroPython
    rtp-starter-py.html, rtp-starter-mpy.html
                                       a starter page on each interpreter: the RTP tag snippet, the capture
                                       snippet (read from rtp_py/capture.js now), preload hints for what a
                                       start fetches (preload_urls), the loader, two tracked Download buttons

With --packages, for sites that manage Python packages in their PyScript config instead of the loader:

    rtp_py-<version>-py3-none-any.whl  the wheel, for Pyodide's `packages` (micropip)
    pyodide/micropip-<v>-py3-none-any.whl, pyodide/pyodide-lock.json, pyscript/pyodide_graph-*.js
                                       micropip's wheel from PyPI (the npm pyodide package ships none; fetched
                                       with pip once, into build/pypi/) and Pyodide's lock file with that
                                       wheel's sha256 for micropip, so Pyodide's integrity check accepts it;
                                       the chunk PyScript imports when a config has `packages`
    rtp_py/package.json, rtp_py/*      for MicroPython's `mip`: the package's files and the list mip reads
    pyscript-packages.toml, pyscript-packages.mpy.toml, rtp-starter-packages-py.html, rtp-starter-packages-mpy.html
                                       configs with `packages = [...]` and starter pages that use them

URLs are relative by default, so the kit works as a site's web root or as any sub-folder of it, for pages
in that folder. PyScript resolves a config's `interpreter` against the page, not the config, so pages in
other folders need the kit's URL from the site's root: `--url /rtp/`. Serve .wasm as application/wasm and
.mjs/.js as JavaScript (`python3 -m http.server` does).
"""

import argparse
import hashlib
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import build
import vendor

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "kit" / "starter.html"
CAPTURE_JS = ROOT / "rtp_py" / "capture.js"

# PyScript script type -> (interpreter's name, config file, starter page)
KINDS = {
    "py": ("Pyodide", "pyscript.toml", "rtp-starter-py.html"),
    "mpy": ("MicroPython", "pyscript.mpy.toml", "rtp-starter-mpy.html"),
}
# The same, installing rtp_py the PyScript way (--packages): `packages = [...]` in the config, no loader.
PACKAGE_KINDS = {
    "py": ("Pyodide", "pyscript-packages.toml", "rtp-starter-packages-py.html"),
    "mpy": ("MicroPython", "pyscript-packages.mpy.toml", "rtp-starter-packages-mpy.html"),
}
INTERPRETER_URLS = {"py": "pyodide/pyodide.mjs", "mpy": "micropython/micropython.mjs"}
# The PyScript chunks every rtp_py page loads besides core.js: core's body and the TOML parser (the config).
# Their names carry a hash that changes with each PyScript release.
PRELOADED_CHUNKS = re.compile(r"^(core|toml)-[\w-]{8}\.js$")
# PyScript's zip reader: rtp_py's loader replaces it, so the kit leaves it out. Its package graph: imported
# only by a Pyodide config with `packages`, so only --packages kits have it.
LEFT_OUT = re.compile(r"^pyscript/(zip|pyodide_graph)-[\w-]{8}\.js$")
GRAPH = re.compile(r"^pyscript/pyodide_graph-[\w-]{8}\.js$")
# micropip from PyPI, the version Pyodide's lock file names; its sha256 is pinned here so a download that is
# not this exact file is refused.
MICROPIP_SHA256 = {"0.11.1": "768de165adb8e66906039d8fec4127a57f522dfdf8e6fbff877a4616941ecfd3"}
PYPI_CACHE = ROOT / "build" / "pypi"

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
{rtp_py}"""
LOADER_LINE = ("# rtp_py's loader: it writes rtp_py into the interpreter before the page's Python runs. The page\n"
               "# includes it too, <script type=\"module\" src=\"{base}{loader}\"> after PyScript's core.js, so the\n"
               "# bundle downloads at once; naming it here makes PyScript import it before the interpreter is\n"
               "# ready, however late the page's <script> comes. Keys resolve against this file's URL.\n"
               "[js_modules.main]\n\"./{loader}\" = \"rtp_py_loader\"\n")
PACKAGES_LINE = {
    "py": "# rtp_py installed by micropip from its wheel (this file's folder); micropip itself is in pyodide/.\n"
          "packages = [\"./{wheel}\"]\n",
    "mpy": "# rtp_py installed by mip from rtp_py/package.json (a folder URL: mip adds package.json to it).\n"
           "packages = [\"./rtp_py/\"]\n",
}


def version() -> str:
    """rtp_py's __version__ (rtp_py/__init__.py)."""
    return build.version()


def dist_files() -> dict:
    """dist/'s files ({"bundle", "loader", "wheel"} -> path), built or rebuilt first if rtp_py/ changed since
    (scripts/setup.sh wheel)."""
    subprocess.run(["bash", str(ROOT / "scripts" / "setup.sh"), "wheel"], check=True)
    paths = {key: ROOT / "dist" / name for key, name in build.names(version()).items()}
    for path in paths.values():
        if not path.is_file():
            sys.exit(f"kit: {path} was not built")
    return paths


def check_base(base: str) -> str:
    """The kit's URL as pages see it, ending in "/": "./" (the default), "/rtp/", "../rtp/"..."""
    if not base.startswith(("/", "./", "../")):
        raise argparse.ArgumentTypeError('must start with "/", "./" or "../" (a path on your own site)')
    return base if base.endswith("/") else base + "/"


def preload_urls(kind: str, base: str, config: str, bundle: str = None) -> list:
    """What a page on `kind` fetches at every start: PyScript's chunks, its config and rtp_py's bundle, then
    the interpreter's loader and files (vendor.runtime_files' selection, so the names match what the kit
    ships). `base` is the runtime folder's URL; `config` and `bundle` are full URLs (no bundle: a page that
    installs rtp_py with `packages`). Hinted in <head>, they download at once instead of one after the other
    as each script discovers the next (bench/README.md)."""
    chunks = [name for name in vendor.pyscript_files(vendor.NODE_MODULES / vendor.PYSCRIPT)
              if PRELOADED_CHUNKS.match(name)]
    _, folder, names = vendor.INTERPRETERS[kind]
    return ([base + "pyscript/" + name for name in chunks] + [config] + ([bundle] if bundle else [])
            + [base + folder + "/" + name for name in names])


def preload_links(urls) -> str:
    """<link> hints for preload_urls: modulepreload for JavaScript modules; for the rest (wasm, json, the
    bundle), preload as="fetch" with crossorigin, the mode in which the interpreters and rtp_py's loader fetch
    them, so the browser uses the preloaded response instead of downloading it twice."""
    links = []
    for url in urls:
        if url.endswith((".js", ".mjs")):
            links.append('<link rel="modulepreload" href="%s">' % url)
        else:
            links.append('<link rel="preload" href="%s" as="fetch" crossorigin>' % url)
    return "\n  ".join(links)


def starter_page(kind: str, base: str, kinds, packages: bool = False) -> str:
    """A starter page on `kind`: with rtp_py's loader, or (packages) with the config that installs rtp_py."""
    name, config, _ = (PACKAGE_KINDS if packages else KINDS)[kind]
    capture = CAPTURE_JS.read_text(encoding="utf-8").strip()
    if "</script" in capture.lower():
        sys.exit("kit: rtp_py/capture.js contains </script>, so it cannot be inlined")
    others = [k for k in kinds if k != kind]
    pages = PACKAGE_KINDS if packages else KINDS
    other_page = " ".join('<a href="%s">The same page on %s</a>.' % (pages[k][2], pages[k][0]) for k in others)
    names = build.names(version())
    if packages:
        loader = ""
        note = ("rtp_py itself comes from the config's `packages` (%s), so this page has no loader."
                % ("micropip and the wheel" if kind == "py" else "mip and rtp_py/package.json"))
        hints = preload_urls(kind, base, base + config)
    else:
        loader = '<script type="module" src="%s%s"></script>' % (base, names["loader"])
        note = ("The last line is rtp_py's loader: it writes rtp_py (%s) into the interpreter before the "
                "Python below runs." % names["bundle"])
        hints = preload_urls(kind, base, base + config, base + names["bundle"])
    fields = {
        "INTERPRETER": name,
        "VERSION": version(),
        "CAPTURE_SNIPPET": textwrap.indent(capture, "    "),
        "BASE": base,
        "TYPE": kind,
        "CONFIG": config,
        "PRELOAD": preload_links(hints),
        "LOADER": loader,
        "LOADER_NOTE": note,
        "OTHER_PAGE": other_page,
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: fields[m.group(1)], TEMPLATE.read_text(encoding="utf-8"))


def config_text(kind: str, base: str, packages: bool = False) -> str:
    name, config, _ = (PACKAGE_KINDS if packages else KINDS)[kind]
    names = build.names(version())
    rtp_py = (PACKAGES_LINE[kind].format(wheel=names["wheel"]) if packages
              else LOADER_LINE.format(base=base, loader=names["loader"]))
    return CONFIG.format(name=name, type=kind, base=base, config=config, version=version(),
                         interpreter=INTERPRETER_URLS[kind], rtp_py="\n" + rtp_py)


def put(dest: Path, rel: str, data: bytes) -> str:
    """Write `data` to dest/rel unless that file already holds exactly these bytes; return rel."""
    target = dest / rel
    if not (target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name("." + target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    return rel


def micropip_wheel() -> Path:
    """micropip's wheel from PyPI, the version Pyodide's lock file names, checked against MICROPIP_SHA256;
    downloaded with pip into build/pypi/ the first time."""
    lock = json.loads((vendor.NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["micropip"]
    ver, name = entry["version"], entry["file_name"]
    if ver not in MICROPIP_SHA256:
        sys.exit("kit: no pinned sha256 for micropip %s (Pyodide's lock file); add it to MICROPIP_SHA256" % ver)
    path = PYPI_CACHE / name
    if not path.is_file():
        python = ROOT / ".venv" / "bin" / "python"
        python = str(python) if python.is_file() else sys.executable
        PYPI_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([python, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                        "--only-binary=:all:", "--python-version", "3.13", "--implementation", "py",
                        "-d", str(PYPI_CACHE), "micropip==" + ver], check=True)
    if hashlib.sha256(path.read_bytes()).hexdigest() != MICROPIP_SHA256[ver]:
        path.unlink()
        sys.exit("kit: %s is not the micropip wheel pinned by its sha256; removed it" % name)
    return path


def package_files(dest: Path, base: str, kinds) -> list:
    """--packages: write what `packages = [...]` needs (see the docstring); return the paths written."""
    names = build.names(version())
    written = [put(dest, names["wheel"], (ROOT / "dist" / names["wheel"]).read_bytes())]
    if "py" in kinds:
        wheel = micropip_wheel()
        lock = json.loads((vendor.NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text())
        lock["packages"]["micropip"]["sha256"] = hashlib.sha256(wheel.read_bytes()).hexdigest()
        written.append(put(dest, "pyodide/" + wheel.name, wheel.read_bytes()))
        written.append(put(dest, "pyodide/pyodide-lock.json", json.dumps(lock, separators=(",", ":")).encode()))
        dist = vendor.NODE_MODULES / vendor.PYSCRIPT
        written += [put(dest, "pyscript/" + p.name, p.read_bytes()) for p in sorted(dist.glob("pyodide_graph-*.js"))
                    if GRAPH.match("pyscript/" + p.name)]
    if "mpy" in kinds:
        files = build.runtime_files()
        # mip fetches each URL from the page (relative URLs resolve against the page, not against package.json)
        manifest = {"version": version(), "urls": [[rel, base + rel] for rel, _ in files]}
        written += [put(dest, rel, data) for rel, data in files]
        written.append(put(dest, "rtp_py/package.json", (json.dumps(manifest, indent=1) + "\n").encode()))
    for kind in kinds:
        _, config, page = PACKAGE_KINDS[kind]
        written.append(put(dest, config, config_text(kind, base, packages=True).encode()))
        written.append(put(dest, page, starter_page(kind, base, kinds, packages=True).encode()))
    return written


def write_kit(dest: Path, base: str = "./", kinds=("py", "mpy"), packages: bool = False) -> list:
    """Write the kit into `dest` (created if missing); return the paths written, relative to `dest`. A file
    already there with the same content is left as it is; any other is replaced."""
    dest = Path(dest).expanduser().resolve()
    if dest == ROOT:
        sys.exit("kit: DEST is this repository; give the folder of your site, e.g. make kit DEST=~/site")
    dest.mkdir(parents=True, exist_ok=True)
    built = dist_files()
    written = [put(dest, rel, src.read_bytes()) for src, rel in vendor.runtime_files(kinds)
               if not LEFT_OUT.match(rel)]
    names = build.names(version())
    ours = {names["bundle"], names["loader"]} | ({names["wheel"]} if packages else set())
    for old in dest.glob("rtp_py-*"):
        if old.is_file() and old.name not in ours and re.match(r"rtp_py-[^/]*(\.bundle|\.js|-py3-none-any\.whl)$",
                                                                old.name):
            old.unlink()
    written.append(put(dest, names["bundle"], built["bundle"].read_bytes()))
    written.append(put(dest, names["loader"], build.loader("./pyscript/core.js", names["bundle"], version())
                       .encode("utf-8")))
    for kind in kinds:
        _, config, page = KINDS[kind]
        written.append(put(dest, config, config_text(kind, base).encode("utf-8")))
        written.append(put(dest, page, starter_page(kind, base, kinds).encode("utf-8")))
    if packages:
        written += package_files(dest, base, kinds)
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="the folder to write into: your site's web root or a folder of it")
    parser.add_argument("--url", type=check_base, default="./",
                        help='the kit folder\'s URL as pages see it (default "./": pages sit in the kit folder; '
                             '"/rtp/": pages anywhere on the site, the kit at /rtp/)')
    parser.add_argument("--interpreter", choices=("both", "py", "mpy"), default="both",
                        help="which interpreters to include (default both; mpy alone is 0.7 MB)")
    parser.add_argument("--packages", action="store_true",
                        help="also write what installing rtp_py with the config's `packages` needs (micropip on "
                             "Pyodide, mip on MicroPython), with a starter page for each")
    args = parser.parse_args(argv)
    kinds = ("py", "mpy") if args.interpreter == "both" else (args.interpreter,)
    dest = args.dest.expanduser().resolve()
    written = write_kit(dest, args.url, kinds, args.packages)
    size = sum((dest / rel).stat().st_size for rel in written)
    print(f"kit: {len(written)} files, {size / 1e6:.1f} MB in {dest}")
    for kind in kinds:
        print(f"kit: {KINDS[kind][0]:<11} {KINDS[kind][2]} (config {KINDS[kind][1]})")
        if args.packages:
            print(f"kit: {KINDS[kind][0]:<11} {PACKAGE_KINDS[kind][2]} (config {PACKAGE_KINDS[kind][1]})")
    page = KINDS["mpy" if "mpy" in kinds else "py"][2]
    if args.url == "./":
        print(f"kit: try it: cd {dest} && python3 -m http.server 8080, then open http://localhost:8080/{page}")
    else:
        print(f"kit: serve your site so that {dest} is at {args.url}, then open {args.url}{page}")


if __name__ == "__main__":
    main()

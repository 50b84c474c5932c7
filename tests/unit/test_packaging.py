"""What pages load of rtp_py (dist/'s bundle and loader), the wheel, the configs and pages that use them, and the
embed kit.

dist/ is built by scripts/build.py (`scripts/setup.sh wheel`, as `make wheel`, `make test`, `make kit` and
scripts/serve.py do). The rebuild and reproducibility tests run it in a temporary copy of the sources, never in
the tree.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import build
import kit
import rtp_py
import serve
import vendor

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ["pyscript.toml", "pyscript.mpy.toml"]
# Every page of ours that runs rtp_py (the demo's, index.html, the test pages' shared <head>)
PAGES = ["index.html", "tests/pages/head.template.html"] + sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "demo").glob("*.html"))


def wheel_name(version=rtp_py.__version__):
    return "rtp_py-%s-py3-none-any.whl" % version


def build_dist(root=ROOT):
    """Run `scripts/setup.sh wheel` in `root`; return {"bundle", "loader", "wheel"} -> path."""
    subprocess.run(["bash", str(root / "scripts" / "setup.sh"), "wheel"], check=True, capture_output=True)
    return {key: root / "dist" / name for key, name in build.names(rtp_py.__version__).items()}


@pytest.fixture
def source_copy(tmp_path):
    """A copy of what building needs (pyproject.toml, rtp_py/, kit/loader.js, scripts/setup.sh and build.py)."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "rtp_py", tmp_path / "rtp_py", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "scripts").mkdir()
    (tmp_path / "kit").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts")
    shutil.copy(ROOT / "scripts" / "build.py", tmp_path / "scripts")
    shutil.copy(ROOT / "kit" / "loader.js", tmp_path / "kit")
    return tmp_path


# ------------------------------------------------------------------------------------------ the artefacts

@pytest.mark.parametrize("config", CONFIGS)
def test_configs_name_no_rtp_py_file(config):
    """rtp_py reaches the interpreter through its loader, which the configs name as a JS module (so PyScript
    imports it before the interpreter is ready): no [files], no packages."""
    text = (ROOT / config).read_text()
    assert not re.search(r"^\[files\]|^packages", text, re.M)
    assert re.search(r'^interpreter = "/vendor/', text, re.M)
    tables = text.split("\n[js_modules.main]\n")
    assert len(tables) == 2 and re.findall(r'^"([^"]+)" = "rtp_py_loader"$', tables[1], re.M) == [
        "/dist/rtp_py-%s.js" % rtp_py.__version__]


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_this_versions_loader_after_pyscript(path):
    """Each page of ours that runs rtp_py includes dist/'s loader of this version, right after PyScript's core."""
    html = (ROOT / path).read_text()
    core = '<script type="module" src="/vendor/pyscript/core.js"></script>'
    loader = '<script type="module" src="/dist/rtp_py-%s.js"></script>' % rtp_py.__version__
    assert html.count(loader) == 1 and html.index(core) < html.index(loader)
    assert not re.search(r"rtp_py-(?!%s)[\d.]+\.js" % re.escape(rtp_py.__version__), html)


def test_bundle_carries_every_module_and_the_js_rtp_py_reads():
    """The bundle holds each rtp_py/*.py (new modules too) without comments or docstrings, and kit.js,
    consent.js and segments.js; not capture.js (pages inline it) or py.typed."""
    files = build.read_bundle(build_dist()["bundle"].read_bytes())
    names = [name for name, _ in files]
    assert names == sorted(names)
    assert [n for n in names if n.endswith(".py")] == [n for n in build.package_files() if n.endswith(".py")]
    assert [n for n in names if not n.endswith(".py")] == ["rtp_py/consent.js", "rtp_py/kit.js", "rtp_py/segments.js"]
    for name, data in files:
        source = (ROOT / name).read_text()
        expected = build.strip_python(source) if name.endswith(".py") else build.strip_js(source)
        assert data.decode() == expected, "%s in the bundle is stale" % name


def test_bundle_and_loader_stay_within_30_kb():
    """What every page fetches of rtp_py, whether or not the server compresses: the bundle (compressed at build
    time) and the kit's loader, at most 30 KB together."""
    built = build_dist()
    loader = build.loader("./pyscript/core.js", built["bundle"].name, rtp_py.__version__)
    assert built["bundle"].stat().st_size + len(loader.encode()) <= 30 * 1024


def test_wheel_carries_every_module_and_capture_js_as_they_are():
    """The wheel holds each rtp_py/*.py (new modules too), the .js files and py.typed, byte for byte, and
    nothing else but its metadata; its RECORD lists each file with its sha256."""
    wheel = build_dist()["wheel"]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = "rtp_py-%s.dist-info/" % rtp_py.__version__
        package = sorted(n for n in names if not n.startswith(info))
        assert "rtp_py/capture.js" in package
        assert package == build.package_files()
        for name in package:
            assert archive.read(name) == (ROOT / name).read_bytes(), "%s in the wheel is stale" % name
        metadata = archive.read(info + "METADATA").decode()
        record = archive.read(info + "RECORD").decode().splitlines()
        for line in record[:-1]:
            name, digest, size = line.split(",")
            data = archive.read(name)
            assert digest == "sha256=" + build.base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip(
                "=") and int(size) == len(data)
        assert sorted(line.split(",")[0] for line in record) == sorted(names)
        assert archive.read(info + "WHEEL").decode().splitlines()[-1] == "Tag: py3-none-any"
    assert "\nVersion: %s\n" % rtp_py.__version__ in metadata and "\nName: rtp-py\n" in metadata


def test_pyproject_takes_the_version_from_the_package():
    """pyproject.toml has no version of its own: it reads rtp_py.__version__."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"] and pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "rtp_py.__version__"}


def test_the_same_sources_give_the_same_bytes(source_copy):
    """Building elsewhere, later, gives byte-identical files (fixed timestamps and modes), without setuptools or
    a virtual environment: the copy has no .venv."""
    assert not (source_copy / ".venv").exists()
    here, there = build_dist(), build_dist(source_copy)
    for key in ("bundle", "loader", "wheel"):
        assert there[key].read_bytes() == here[key].read_bytes(), key


def test_a_module_added_or_removed_rebuilds_the_wheel_and_the_bundle(source_copy):
    """A new module under rtp_py/ is in the next build; a removed one is gone from it."""
    build_dist(source_copy)
    (source_copy / "rtp_py" / "zz_added.py").write_text("ADDED = True\n")
    built = build_dist(source_copy)
    with zipfile.ZipFile(built["wheel"]) as archive:
        assert "rtp_py/zz_added.py" in archive.namelist()
    assert ("rtp_py/zz_added.py", b"ADDED = True\n") in build.read_bundle(built["bundle"].read_bytes())
    (source_copy / "rtp_py" / "zz_added.py").unlink()
    built = build_dist(source_copy)
    with zipfile.ZipFile(built["wheel"]) as archive:
        assert "rtp_py/zz_added.py" not in archive.namelist()
    assert "rtp_py/zz_added.py" not in dict(build.read_bundle(built["bundle"].read_bytes()))


def test_an_unchanged_tree_is_not_rebuilt(source_copy):
    """With nothing newer than the bundle, setup.sh leaves dist/ alone (the check costs milliseconds)."""
    bundle = build_dist(source_copy)["bundle"]
    os.utime(bundle, ns=(bundle.stat().st_atime_ns, bundle.stat().st_mtime_ns + 10**9))  # clearly newer
    before = bundle.stat().st_mtime_ns
    assert build_dist(source_copy)["bundle"].stat().st_mtime_ns == before


def test_dev_server_sends_the_wheel_as_a_zip():
    """scripts/serve.py gives .whl a zip type (the default would be a guess)."""
    assert serve.MIME_TYPES[".whl"] == "application/zip"


# ---------------------------------------------------------------------------------------------- the kit

def test_runtime_selection_leaves_out_editor_and_terminal():
    """Pages get core, its plugins, the TOML config parser and the zip reader; never CodeMirror or xterm."""
    names = vendor.pyscript_files(vendor.NODE_MODULES / vendor.PYSCRIPT)
    stems = {re.sub(r"-[\w]{8}\.js$", "", name) for name in names}
    assert stems == {"core.js", "core.css", "core", "error", "deprecations-manager", "donkey", "py-editor",
                     "py-game", "py-terminal", "toml", "zip"}


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory):
    dest = tmp_path_factory.mktemp("kit")
    written = kit.write_kit(dest)
    return dest, written


def kit_runtime(kinds=("py", "mpy")):
    """The runtime files a kit holds: vendor's selection less PyScript's zip reader and package graph."""
    return [rel for _, rel in vendor.runtime_files(kinds) if not kit.LEFT_OUT.match(rel)]


def test_kit_writes_exactly_its_files(kit_dir):
    """The kit is the runtime selection (less the zip reader), the loader and the bundle, two configs and two
    starter pages, nothing more; no wheel."""
    dest, written = kit_dir
    on_disk = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert on_disk == sorted(written)
    names = build.names(rtp_py.__version__)
    assert sorted(written) == sorted(kit_runtime() + [names["loader"], names["bundle"], "pyscript.toml",
                                                      "pyscript.mpy.toml", "rtp-starter-py.html",
                                                      "rtp-starter-mpy.html"])
    assert (dest / names["bundle"]).read_bytes() == build_dist()["bundle"].read_bytes()
    assert not [name for name in written if "codemirror" in name or "xterm" in name or "/zip-" in name]


@pytest.mark.parametrize("kind", ["py", "mpy"])
def test_kit_pages_and_configs_only_use_relative_urls(kit_dir, kind):
    """No URL in the kit's pages, configs or loader leaves the folder: nothing absolute, no scheme, no CDN."""
    dest, _ = kit_dir
    _, config, page = kit.KINDS[kind]
    html = (dest / page).read_text()
    toml = (dest / config).read_text()
    loader = (dest / build.names(rtp_py.__version__)["loader"]).read_text()
    assert "://" not in html.replace("data:,", "") and "://" not in toml and "://" not in loader
    urls = re.findall(r'(?:src|href|config)="([^"]+)"', html) + re.findall(r'= "(\./[^"]*)"', toml)
    assert urls and all(url.startswith("./") or url in ("data:,",) or url.endswith(".html") for url in urls), urls
    assert 'interpreter = "./%s"' % kit.INTERPRETER_URLS[kind] in toml
    assert "[files]" not in toml and "packages" not in toml
    assert toml.endswith('[js_modules.main]\n"./rtp_py-%s.js" = "rtp_py_loader"\n' % rtp_py.__version__)
    assert '<script type="%s" config="./%s">' % (kind, config) in html
    assert ('<script type="module" src="./pyscript/core.js"></script>\n  <script type="module" src="./rtp_py-%s.js">'
            '</script>' % rtp_py.__version__) in html
    assert 'import("./pyscript/core.js")' in loader and '"./rtp_py-%s.bundle"' % rtp_py.__version__ in loader


@pytest.mark.parametrize("kind", ["py", "mpy"])
def test_starter_page_has_the_capture_snippet_verbatim_in_head(kit_dir, kind):
    """The starter's <head> holds rtp_py/capture.js as it is now (read at kit time), after the RTP tag."""
    dest, _ = kit_dir
    head = (dest / kit.KINDS[kind][2]).read_text().split("</head>", 1)[0]
    squash = lambda text: [line.strip() for line in text.strip().splitlines() if line.strip()]  # noqa: E731
    snippet, lines = squash((ROOT / "rtp_py" / "capture.js").read_text()), squash(head)
    start = lines.index(snippet[0])
    assert lines[start:start + len(snippet)] == snippet
    assert head.index('"rtp","[rtp-js-cdn-url]"') < head.index(snippet[0].strip())


@pytest.mark.parametrize("kind", ["py", "mpy"])
def test_starter_page_preloads_what_the_page_fetches_at_start(kit_dir, kind):
    """The starter's <head> hints every file a start fetches after core.js, each a file of the kit: PyScript's
    core and TOML chunks (by their hashed names), the config, rtp_py's bundle, and the interpreter's files."""
    dest, _ = kit_dir
    _, config, page = kit.KINDS[kind]
    head = (dest / page).read_text().split("</head>", 1)[0]
    hints = re.findall(r'<link rel="(modulepreload|preload)" href="\./([^"]+)"([^>]*)>', head)
    hinted = [path for _, path, _ in hints]
    assert all((dest / path).is_file() for path in hinted), hinted
    stems = sorted(re.sub(r"-[\w-]{8}\.js$", "", path) for path in hinted if path.startswith("pyscript/"))
    assert stems == ["pyscript/core", "pyscript/toml"]
    folder = "micropython" if kind == "mpy" else "pyodide"
    bundle = build.names(rtp_py.__version__)["bundle"]
    assert [path for path in hinted if not path.startswith("pyscript/")] == [config, bundle] + [
        folder + "/" + name for name in vendor.INTERPRETERS[kind][2]]
    for rel, path, rest in hints:  # modules as modules; the rest fetched in CORS mode, as PyScript fetches them
        assert (rel, rest) == (("modulepreload", "") if path.endswith((".js", ".mjs"))
                               else ("preload", ' as="fetch" crossorigin'))
    assert head.index("rel=\"modulepreload\"") < head.index('src="./pyscript/core.js"')


def test_kit_for_one_interpreter_and_a_site_wide_url(tmp_path):
    """--interpreter mpy leaves Pyodide out; --url makes every URL start at the site's root."""
    kit.main(["--interpreter", "mpy", "--url", "/assets/rtp", str(tmp_path)])
    assert not (tmp_path / "pyodide").exists() and not (tmp_path / "rtp-starter-py.html").exists()
    page = (tmp_path / "rtp-starter-mpy.html").read_text()
    assert 'src="/assets/rtp/pyscript/core.js"' in page and 'config="/assets/rtp/pyscript.mpy.toml"' in page
    assert '<script type="module" src="/assets/rtp/rtp_py-%s.js"></script>' % rtp_py.__version__ in page
    assert '<link rel="preload" href="/assets/rtp/micropython/micropython.wasm" as="fetch" crossorigin>' in page
    assert "rtp-starter-py.html" not in page
    assert 'interpreter = "/assets/rtp/micropython/micropython.mjs"' in (tmp_path / "pyscript.mpy.toml").read_text()
    size = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert size < 800_000


def test_kit_replaces_other_versions_and_refuses_bad_urls(tmp_path):
    """A re-run removes an older rtp_py's loader, bundle and wheel; a URL PyScript would misread, or this
    repository, is refused."""
    for old in ("rtp_py-0.0.1-py3-none-any.whl", "rtp_py-0.0.1.js", "rtp_py-0.0.1.bundle"):
        (tmp_path / old).write_bytes(b"old")
    (tmp_path / "mine.js").write_bytes(b"the site's own")
    kit.write_kit(tmp_path, kinds=("mpy",))
    assert sorted(p.name for p in tmp_path.glob("rtp_py-*")) == sorted(
        build.names(rtp_py.__version__)[key] for key in ("bundle", "loader"))
    assert (tmp_path / "mine.js").read_bytes() == b"the site's own"
    with pytest.raises(SystemExit):
        kit.main(["--url", "rtp/", str(tmp_path)])  # PyScript would read "rtp/..." as a CDN version
    with pytest.raises(SystemExit):
        kit.main([str(ROOT)])


def test_kit_again_restores_any_file_whose_content_differs(tmp_path):
    """`make kit` again rewrites a kit file that was changed, even to the same size and an older or newer time,
    and leaves the files that are right alone (same bytes, same mtime)."""
    written = kit.write_kit(tmp_path, kinds=("mpy",))
    wasm, config = tmp_path / "micropython" / "micropython.wasm", tmp_path / "pyscript.mpy.toml"
    good_wasm, good_config = wasm.read_bytes(), config.read_bytes()
    wasm.write_bytes(bytes(len(good_wasm)))                  # same size, other content, newer
    config.write_bytes(good_config.replace(b"micropython.mjs", b"micropythom.mjs"))
    os.utime(config, (1, 1))                                 # and a time long ago
    untouched = tmp_path / "pyscript" / "core.js"
    before = untouched.stat().st_mtime_ns
    assert kit.write_kit(tmp_path, kinds=("mpy",)) == written
    assert wasm.read_bytes() == good_wasm and config.read_bytes() == good_config
    assert untouched.stat().st_mtime_ns == before


@pytest.fixture(scope="module")
def packages_kit(tmp_path_factory):
    dest = tmp_path_factory.mktemp("packages-kit")
    return dest, kit.write_kit(dest, packages=True)


def test_packages_kit_has_what_micropip_and_mip_need(packages_kit):
    """--packages adds the wheel, micropip's wheel with Pyodide's lock file naming its sha256, PyScript's
    package graph chunk, rtp_py/ with mip's package.json, and a config and starter page per interpreter."""
    dest, written = packages_kit
    lock = json.loads((dest / "pyodide" / "pyodide-lock.json").read_text())
    micropip = lock["packages"]["micropip"]
    wheel = dest / "pyodide" / micropip["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == micropip["sha256"] == kit.MICROPIP_SHA256[
        micropip["version"]]
    original = json.loads((vendor.NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text())
    original["packages"]["micropip"]["sha256"] = micropip["sha256"]
    assert lock == original  # micropip's sha256 is the only change
    assert (dest / wheel_name()).read_bytes() == build_dist()["wheel"].read_bytes()
    assert list(dest.glob("pyscript/pyodide_graph-*.js"))
    manifest = json.loads((dest / "rtp_py" / "package.json").read_text())
    assert manifest["version"] == rtp_py.__version__
    assert [[rel, url] for rel, url in manifest["urls"]] == [[rel, "./" + rel] for rel, _ in build.runtime_files()]
    assert all((dest / rel).read_bytes() == data for rel, data in build.runtime_files())
    assert 'packages = ["./%s"]' % wheel_name() in (dest / "pyscript-packages.toml").read_text()
    assert 'packages = ["./rtp_py/"]' in (dest / "pyscript-packages.mpy.toml").read_text()
    for kind, (_, config, page) in kit.PACKAGE_KINDS.items():
        html = (dest / page).read_text()
        assert '<script type="%s" config="./%s">' % (kind, config) in html and "rtp_py-%s.js" % rtp_py.__version__ \
            not in html.split("</head>")[0].split("-->")[-1]
        assert page in written and config in written

"""The one artefact (dist/rtp_py-<version>-py3-none-any.whl), the configs that load it, and the embed kit.

The wheel is built by `scripts/setup.sh wheel` (as `make wheel`, `make test` and scripts/serve.py do). The
rebuild and reproducibility tests run that script in a temporary copy of the sources, never in the tree.
"""

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import kit
import rtp_py
import serve
import vendor

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ["pyscript.toml", "pyscript.mpy.toml"]


def wheel_name(version=rtp_py.__version__):
    return "rtp_py-%s-py3-none-any.whl" % version


def build(root=ROOT):
    """Run `scripts/setup.sh wheel` in `root`; return the wheel's path."""
    subprocess.run(["bash", str(root / "scripts" / "setup.sh"), "wheel"], check=True, capture_output=True)
    return root / "dist" / wheel_name()


def package_files(root=ROOT):
    """Every file the wheel must carry: each .py and .js under rtp_py/, and py.typed (the package is typed), as
    "rtp_py/..." paths."""
    return sorted(str(p.relative_to(root)) for p in (root / "rtp_py").rglob("*")
                  if (p.suffix in (".py", ".js") or p.name == "py.typed") and "__pycache__" not in p.parts)


def config_files(path):
    """The [files] table of a PyScript TOML config, as {source: destination}."""
    text = (ROOT / path).read_text()
    section = text.split("\n[files]\n", 1)[1].split("\n[", 1)[0]
    return dict(re.findall(r'^"([^"]+)"\s*=\s*"([^"]*)"', section, re.M))


@pytest.fixture
def source_copy(tmp_path):
    """A copy of what building needs (pyproject.toml, rtp_py/, scripts/setup.sh) using this .venv."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "rtp_py", tmp_path / "rtp_py", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    return tmp_path


# ------------------------------------------------------------------------------------------ the artefact

@pytest.mark.parametrize("config", CONFIGS)
def test_config_loads_exactly_the_wheel_of_this_version(config):
    """Each PyScript config unpacks dist/'s wheel named for rtp_py.__version__, and loads nothing else of rtp_py."""
    assert config_files(config) == {"./dist/" + wheel_name(): "./*"}


def test_wheel_carries_every_module_and_capture_js_as_they_are():
    """The wheel holds each rtp_py/*.py (new modules too) and capture.js, byte for byte, and nothing else."""
    wheel = build()
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        package = sorted(n for n in names if not n.startswith("rtp_py-%s.dist-info/" % rtp_py.__version__))
        assert "rtp_py/capture.js" in package
        assert package == package_files()
        for name in package:
            assert archive.read(name) == (ROOT / name).read_bytes(), "%s in the wheel is stale" % name
        metadata = archive.read("rtp_py-%s.dist-info/METADATA" % rtp_py.__version__).decode()
    assert "\nVersion: %s\n" % rtp_py.__version__ in metadata


def test_pyproject_takes_the_version_from_the_package():
    """pyproject.toml has no version of its own: it reads rtp_py.__version__."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"] and pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "rtp_py.__version__"}


def test_the_same_sources_give_the_same_bytes(source_copy):
    """Building elsewhere, later, gives a byte-identical wheel (fixed timestamps and modes)."""
    assert build(source_copy).read_bytes() == build().read_bytes()


def test_a_module_added_or_removed_rebuilds_the_wheel(source_copy):
    """A new module under rtp_py/ is in the next build; a removed one is gone from it."""
    build(source_copy)
    (source_copy / "rtp_py" / "zz_added.py").write_text("ADDED = True\n")
    with zipfile.ZipFile(build(source_copy)) as archive:
        assert "rtp_py/zz_added.py" in archive.namelist()
    (source_copy / "rtp_py" / "zz_added.py").unlink()
    with zipfile.ZipFile(build(source_copy)) as archive:
        assert "rtp_py/zz_added.py" not in archive.namelist()


def test_an_unchanged_tree_is_not_rebuilt(source_copy):
    """With nothing newer than the wheel, setup.sh leaves it alone (the check costs milliseconds)."""
    wheel = build(source_copy)
    os.utime(wheel, ns=(wheel.stat().st_atime_ns, wheel.stat().st_mtime_ns + 10**9))  # clearly newer
    before = wheel.stat().st_mtime_ns
    assert build(source_copy).stat().st_mtime_ns == before


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


def test_kit_writes_exactly_its_files(kit_dir):
    """The kit is the runtime selection, the wheel, two configs and two starter pages, nothing more."""
    dest, written = kit_dir
    on_disk = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert on_disk == sorted(written)
    runtime = [rel for _, rel in vendor.runtime_files()]
    assert sorted(written) == sorted(runtime + [wheel_name(), "pyscript.toml", "pyscript.mpy.toml",
                                                "rtp-starter-py.html", "rtp-starter-mpy.html"])
    assert (dest / wheel_name()).read_bytes() == build().read_bytes()
    assert not [name for name in written if "codemirror" in name or "xterm" in name]


@pytest.mark.parametrize("kind", ["py", "mpy"])
def test_kit_pages_and_configs_only_use_relative_urls(kit_dir, kind):
    """No URL in the kit's pages or configs leaves the folder: nothing absolute, no scheme, no CDN."""
    dest, _ = kit_dir
    _, config, page = kit.KINDS[kind]
    html = (dest / page).read_text()
    toml = (dest / config).read_text()
    assert "://" not in html.replace("data:,", "") and "://" not in toml
    urls = re.findall(r'(?:src|href|config)="([^"]+)"', html) + re.findall(r'= "(\./[^"]*)"', toml)
    assert urls and all(url.startswith("./") or url in ("data:,",) or url.endswith(".html") for url in urls), urls
    assert 'interpreter = "./%s"' % kit.INTERPRETER_URLS[kind] in toml
    assert '"./%s" = "./*"' % wheel_name() in toml
    assert '<script type="%s" config="./%s">' % (kind, config) in html


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
    core, TOML and zip chunks (by their hashed names), the config, the wheel, and the interpreter's files."""
    dest, _ = kit_dir
    _, config, page = kit.KINDS[kind]
    head = (dest / page).read_text().split("</head>", 1)[0]
    hints = re.findall(r'<link rel="(modulepreload|preload)" href="\./([^"]+)"([^>]*)>', head)
    hinted = [path for _, path, _ in hints]
    assert all((dest / path).is_file() for path in hinted), hinted
    stems = sorted(re.sub(r"-[\w-]{8}\.js$", "", path) for path in hinted if path.startswith("pyscript/"))
    assert stems == ["pyscript/core", "pyscript/toml", "pyscript/zip"]
    folder = "micropython" if kind == "mpy" else "pyodide"
    assert [path for path in hinted if not path.startswith("pyscript/")] == [config, wheel_name()] + [
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
    assert '<link rel="preload" href="/assets/rtp/micropython/micropython.wasm" as="fetch" crossorigin>' in page
    assert "rtp-starter-py.html" not in page
    assert 'interpreter = "/assets/rtp/micropython/micropython.mjs"' in (tmp_path / "pyscript.mpy.toml").read_text()
    size = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert size < 1_000_000


def test_kit_replaces_an_older_wheel_and_refuses_bad_urls(tmp_path):
    """A re-run replaces the kit's older wheel; a URL PyScript would misread, or this repository, is refused."""
    (tmp_path / "rtp_py-0.0.1-py3-none-any.whl").write_bytes(b"old")
    kit.write_kit(tmp_path, kinds=("mpy",))
    assert sorted(p.name for p in tmp_path.glob("*.whl")) == [wheel_name()]
    with pytest.raises(SystemExit):
        kit.main(["--url", "rtp/", str(tmp_path)])  # PyScript would read "rtp/..." as a CDN version
    with pytest.raises(SystemExit):
        kit.main([str(ROOT)])

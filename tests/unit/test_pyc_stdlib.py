"""What a Pyodide page imports of the standard library, compiled to bytecode (scripts/pyc_stdlib.py), and when
scripts/vendor.py compiles it.

Here `compile_archive` runs on this CPython, so its bytecode is this CPython's; the browser tests run the real
archive in Pyodide (test_index.py: a Pyodide page compiles no standard library module while starting).
"""

import importlib.util
import io
import sys
import zipfile

import pytest

import pyc_stdlib
import vendor

MODULES = {
    "greeting.py": "def hello(name):\n    return 'hello ' + name\n",
    "pkg/__init__.py": "from .inner import VALUE\n",
    "pkg/inner.py": "VALUE = 42\n",
    "broken.py": "def (:\n",
    "later.py": "LATER = True\n",
    "data/table.txt": "not python\n",
}
AT_START = {"greeting", "pkg", "pkg.inner", "broken"}  # "later" is imported after start-up only


def archive(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            z.writestr(zipfile.ZipInfo(name, (2026, 12, 3, 10, 0, 0)), text)
    return out.getvalue()


def test_module_names_of_members():
    assert [pyc_stdlib.module_name(m) for m in ("json/decoder.py", "json/__init__.py", "os.py", "a/b/c.txt")] \
        == ["json.decoder", "json", "os", None]


def test_each_module_named_is_replaced_by_its_bytecode_and_the_rest_is_kept():
    compiled = zipfile.ZipFile(io.BytesIO(pyc_stdlib.compile_archive(archive(MODULES), AT_START)))
    assert sorted(compiled.namelist()) == sorted(
        ["greeting.pyc", "pkg/__init__.pyc", "pkg/inner.pyc", "broken.py", "later.py", "data/table.txt"])
    assert compiled.read("data/table.txt") == b"not python\n" and compiled.read("later.py") == b"LATER = True\n"
    assert compiled.read("broken.py") == b"def (:\n"  # fails at import, as it did
    for name in ("greeting.pyc", "pkg/__init__.pyc", "pkg/inner.pyc"):
        header = compiled.read(name)[:8]
        assert header[:4] == importlib.util.MAGIC_NUMBER
        assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, unchecked (PEP 552)
        assert compiled.getinfo(name).date_time == (2026, 12, 3, 10, 0, 0)


def test_python_imports_from_the_compiled_archive(tmp_path, monkeypatch):
    path = tmp_path / "stdlib.zip"
    path.write_bytes(pyc_stdlib.compile_archive(archive(MODULES), AT_START))
    monkeypatch.syspath_prepend(str(path))
    for name in ("greeting", "pkg", "pkg.inner", "broken", "later"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    import greeting
    import later
    import pkg

    assert greeting.hello("rtp") == "hello rtp" and pkg.VALUE == 42 and later.LATER
    assert greeting.__file__.endswith("greeting.pyc") and pkg.__file__.endswith("__init__.pyc")
    assert later.__file__.endswith("later.py")
    with pytest.raises(SyntaxError):
        import broken  # noqa: F401
    for name in ("greeting", "pkg", "pkg.inner", "later"):
        sys.modules.pop(name, None)


def test_the_shipped_archive_is_npms_with_the_start_up_modules_as_bytecode():
    source = zipfile.ZipFile(vendor.NODE_MODULES / "pyodide" / "python_stdlib.zip")
    shipped = dict(vendor.runtime_files(("py",)))
    compiled = zipfile.ZipFile(next(src for src, rel in shipped.items() if rel == "pyodide/python_stdlib.zip"))
    names = set(compiled.namelist())
    as_bytecode = {name[:-1] for name in names if name.endswith(".pyc")}
    assert names == {name + "c" if name in as_bytecode else name for name in source.namelist()}
    for module in ("asyncio/__init__.py", "json/__init__.py", "pyodide/webloop.py", "html/entities.py"):
        assert module in as_bytecode  # Pyodide's start, PyScript's (STARTUP_EXTRA)
    assert 100 < len(as_bytecode) < 300 and "email/message.py" not in as_bytecode  # not imported at start
    for name in names - {name + "c" for name in as_bytecode}:
        assert compiled.read(name) == source.read(name)
    magic = {compiled.read(name + "c")[:4] for name in as_bytecode}
    assert len(magic) == 1 and magic != {importlib.util.MAGIC_NUMBER}  # Pyodide's CPython, not this one


@pytest.fixture
def npm_tree(tmp_path, monkeypatch):
    """vendor.py pointed at a node_modules and build/ of its own, and the compiler replaced by a recorder."""
    source = tmp_path / "node_modules" / "pyodide" / "python_stdlib.zip"
    source.parent.mkdir(parents=True)
    source.write_bytes(archive({"a.py": "A = 1\n"}))
    monkeypatch.setattr(vendor, "NODE_MODULES", tmp_path / "node_modules")
    monkeypatch.setattr(vendor, "COMPILED_STDLIB", tmp_path / "build" / "pyodide" / "python_stdlib.zip")
    runs = []

    def compile_in_pyodide(argv, cwd, check):
        runs.append(argv)
        (cwd / argv[-1]).write_bytes(pyc_stdlib.compile_archive((cwd / argv[-2]).read_bytes(), {"a", "b"}))

    monkeypatch.setattr(vendor, "ROOT", tmp_path)
    monkeypatch.setattr(vendor.subprocess, "run", compile_in_pyodide)
    return source, runs


def test_vendor_compiles_once_per_archive(npm_tree):
    source, runs = npm_tree
    compiled = vendor.compiled_stdlib()
    assert len(runs) == 1 and runs[0][0] == "node" and runs[0][1].endswith("in_pyodide.mjs")
    assert zipfile.ZipFile(compiled).namelist() == ["a.pyc"]
    vendor.compiled_stdlib()
    assert len(runs) == 1  # unchanged: not compiled again
    source.write_bytes(archive({"a.py": "A = 2\n", "b.py": "B = 1\n"}))  # another pyodide version installed
    vendor.compiled_stdlib()
    assert len(runs) == 2 and sorted(zipfile.ZipFile(compiled).namelist()) == ["a.pyc", "b.pyc"]

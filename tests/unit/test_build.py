"""scripts/build.py: what it leaves out of the bundle is only comments and docstrings, every line stays where it
was, and the bundle reads back as the files that went in."""

import ast
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import build

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p for p in (ROOT / "rtp_py").glob("*.py"))
SCRIPTS = [ROOT / "rtp_py" / name for name in build.RUNTIME_JS] + [ROOT / "kit" / "loader.js"]


def without_docstrings(tree):
    """The AST with each docstring removed (a body left empty gets `pass`), as strip_python promises."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_stripped_module_is_the_same_code_on_the_same_lines(path):
    """Stripped, a module is the same AST less its docstrings, and every statement and expression is on the
    line it was on (a traceback in the page names the source's line)."""
    source = path.read_text()
    stripped = build.strip_python(source)
    assert "#" not in "".join(line.split('"')[0].split("'")[0] for line in stripped.splitlines())
    assert ast.dump(ast.parse(stripped)) == ast.dump(without_docstrings(ast.parse(source)))
    lines = lambda tree: [(type(n).__name__, n.lineno) for n in ast.walk(tree)  # noqa: E731
                          if isinstance(n, (ast.stmt, ast.expr)) and not isinstance(n, ast.Pass)]
    assert lines(ast.parse(stripped)) == lines(without_docstrings(ast.parse(source)))
    assert len(stripped.splitlines()) <= len(source.splitlines())


def test_docstring_sharing_a_line_with_code_is_refused():
    with pytest.raises(ValueError):
        build.strip_python('def f(): "doc"; return 1\n')


@pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js")
@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_stripped_js_has_the_same_tokens(path):
    """Stripped, a JS file has exactly the original's tokens (acorn, from ESLint's dependencies, reads both):
    only comments and blank lines are gone."""
    acorn = ROOT / "node_modules" / "acorn" / "dist" / "acorn.js"
    if not acorn.is_file():
        pytest.skip("acorn is not installed (npm ci)")
    source = path.read_text()
    script = """
      const acorn = require(%s), fs = require("fs");
      const tokens = text => Array.from(acorn.tokenizer(text, {ecmaVersion: 2024, sourceType: "module"}),
                                        t => [t.type.label, t.value === undefined ? null : String(t.value)]);
      const [a, b] = JSON.parse(fs.readFileSync(0, "utf8"));
      process.stdout.write(JSON.stringify([tokens(a), tokens(b)]));
    """ % json.dumps(str(acorn))
    out = subprocess.run(["node", "-e", script], input=json.dumps([source, build.strip_js(source)]),
                         capture_output=True, text=True, check=True)
    original, stripped = json.loads(out.stdout)
    assert stripped == original and len(original) > 50
    assert "/*" not in build.strip_js(source).split("\n", 1)[-1] or path.name == "loader.js"


def test_bundle_reads_back_as_the_files_that_went_in():
    files = [("rtp_py/a.py", b"A = 1\n"), ("rtp_py/x.js", "caf\u00e9 \u2026\n".encode()), ("rtp_py/empty.py", b"")]
    data = build.bundle(files)
    assert data[:2] == b"\x1f\x8b" and build.bundle(files) == data  # gzip, and the same bytes every time
    assert build.read_bundle(data) == files


def test_loader_is_filled_in_for_its_layout():
    text = build.loader("../vendor/pyscript/core.js", "rtp_py-9.9.9.bundle", "9.9.9")
    assert 'import("../vendor/pyscript/core.js")' in text and '"./rtp_py-9.9.9.bundle"' in text
    assert "rtp_py 9.9.9" in text and "0.0.0" not in text

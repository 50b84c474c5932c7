"""Build rtp_py's artefacts into dist/ with Python's standard library alone, reproducibly.

    python3 scripts/build.py            # or: make wheel (scripts/setup.sh wheel); rebuilt only if rtp_py/ changed

It writes three files, named for `__version__` in rtp_py/__init__.py:

    rtp_py-<version>.bundle            what pages load: rtp_py's modules and its page-side JS (kit.js, consent.js,
                                       segments.js) without comments and docstrings, in one gzip-compressed file
    rtp_py-<version>.js                the loader pages include after PyScript's core.js: it fetches the bundle
                                       and writes it into the interpreter's file system before Python runs
    rtp_py-<version>-py3-none-any.whl  the wheel, for sites that install packages the PyScript way (micropip)

The same sources give the same bytes (fixed timestamps and modes, sorted entries), whatever the machine or the
time: SOURCE_DATE_EPOCH sets the wheel's timestamps (default 1980-01-01, the earliest a zip can hold). No
setuptools and no virtual environment: a pure-Python wheel is a zip with three metadata files.

The bundle's format (read by kit/loader.js): gzip of one JSON line, `[[path, length], ...]`, then the files'
bytes one after the other in that order. Paths are relative to the interpreter's working directory
("rtp_py/tracker.py"), where PyScript's `[files]` put the wheel's modules before.

Comments and docstrings are left out of the bundle only: every statement keeps its line number (a docstring
becomes blank lines, or `pass` where it was a body's only statement), so a traceback in the page points at the
same line as in rtp_py/. tests/unit/test_build.py proves the code is otherwise unchanged (same AST in Python;
same tokens in JS).
"""

import base64
import gzip
import hashlib
import io
import json
import os
import re
import sys
import time
import tokenize
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rtp_py"
DIST = ROOT / "dist"
LOADER_TEMPLATE = ROOT / "kit" / "loader.js"
# What the loader in dist/ imports PyScript from: the dev server's layout (/dist/ beside /vendor/).
DEV_CORE = "../vendor/pyscript/core.js"
# The page-side JS rtp_py reads from its own folder at run time (bridge.py). capture.js and segments.js are
# also pasted into pages; only segments.js is read by rtp_py (when a page has not pasted it).
RUNTIME_JS = ("kit.js", "consent.js", "segments.js")
EPOCH_1980 = 315532800


def version() -> str:
    """rtp_py's __version__, read from the one line that holds it (rtp_py/__init__.py)."""
    match = re.search(r'^__version__ = "([^"]+)"$', (PACKAGE / "__init__.py").read_text(encoding="utf-8"), re.M)
    if not match:
        sys.exit('build: no __version__ = "..." line in rtp_py/__init__.py')
    return match.group(1)


def names(ver: str) -> dict:
    return {"bundle": "rtp_py-%s.bundle" % ver, "loader": "rtp_py-%s.js" % ver,
            "wheel": "rtp_py-%s-py3-none-any.whl" % ver}


def package_files(root: Path = ROOT) -> list:
    """Every file of the package, as "rtp_py/..." paths, sorted: each .py and .js, and py.typed."""
    return sorted(str(p.relative_to(root)) for p in (root / "rtp_py").rglob("*")
                  if p.is_file() and (p.suffix in (".py", ".js") or p.name == "py.typed")
                  and "__pycache__" not in p.parts)


# ------------------------------------------------------------------------------------------ stripping

def _docstrings(tree):
    """(first line, last line, column, end column, only statement of its body) of each docstring in an AST."""
    import ast
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                doc = body[0]
                found.append((doc.lineno, doc.end_lineno, doc.col_offset, doc.end_col_offset, len(body) == 1))
    return found


def strip_python(text: str) -> str:
    """`text` without comments and docstrings, every other line where it was."""
    import ast
    lines = text.splitlines(keepends=True)
    for first, last, column, end_column, alone in _docstrings(ast.parse(text)):
        before = lines[first - 1].encode("utf-8")[:column].decode("utf-8")  # ast counts columns in bytes
        after = lines[last - 1].encode("utf-8")[end_column:].decode("utf-8")
        if before.strip() or after.strip() and not after.strip().startswith("#"):
            raise ValueError("a docstring shares its line with code (line %d)" % first)
        for number in range(first - 1, last):
            lines[number] = "\n"
        if alone:  # the body keeps a statement
            lines[first - 1] = " " * column + "pass\n"
    stripped = "".join(lines)
    comments = {}
    for token in tokenize.generate_tokens(io.StringIO(stripped).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.start[1]
    out = []
    for number, line in enumerate(stripped.splitlines(), 1):
        if number in comments:
            line = line[:comments[number]]
        out.append(line.rstrip() + "\n")
    return "".join(out)


# JavaScript: a small scanner that knows strings, template literals, regular expression literals and comments,
# enough for rtp_py's own files (tests/unit/test_build.py checks the token stream is unchanged).
_REGEX_AFTER_WORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw",
                      "instanceof", "yield", "await"}


def strip_js(text: str) -> str:
    """`text` without comments; lines that held only a comment go, the rest keep their text."""
    out, i, n = [], 0, len(text)
    last = ""  # the last significant token: "" at the start, a word, a string/regex/number marker, or a character

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise ValueError("unterminated comment")
            i = end + 2
            continue
        if c in "'\"`":
            j = i + 1
            while j < n and text[j] != c:
                if text[j] == "\\":
                    j += 1
                elif c == "`" and text.startswith("${", j):
                    raise ValueError("template literals with ${...} are not supported by strip_js")
                elif c != "`" and text[j] == "\n":
                    raise ValueError("unterminated string")
                j += 1
            out.append(text[i:j + 1])
            last, i = "string", j + 1
            continue
        word = re.match(r"[A-Za-z_$][\w$]*|\d[\w.]*", text[i:])
        if word:
            out.append(word.group(0))
            last = word.group(0)
            i += len(word.group(0))
            continue
        regex_here = last in _REGEX_AFTER_WORDS or not (last in (")", "]", "}", "string", "regex")
                                                        or re.match(r"[\w$]", last))
        if c == "/" and regex_here:
            j, in_class = i + 1, False
            while j < n and (text[j] != "/" or in_class):
                if text[j] == "\\":
                    j += 1
                elif text[j] == "[":
                    in_class = True
                elif text[j] == "]":
                    in_class = False
                elif text[j] == "\n":
                    raise ValueError("unterminated regular expression")
                j += 1
            j += 1
            while j < n and text[j].isalpha():
                j += 1
            out.append(text[i:j])
            last, i = "regex", j
            continue
        out.append(c)
        if not c.isspace():
            last = c
        i += 1
    kept = [line.rstrip() for line in "".join(out).splitlines()]
    return "\n".join(line for line in kept if line) + "\n"


# ------------------------------------------------------------------------------------------ the artefacts

def runtime_files(root: Path = ROOT) -> list:
    """(path, bytes) of what the bundle holds: every module stripped, and the page-side JS rtp_py reads."""
    files = []
    for rel in package_files(root):
        path = root / rel
        if path.suffix == ".py":
            files.append((rel, strip_python(path.read_text(encoding="utf-8")).encode("utf-8")))
        elif path.name in RUNTIME_JS and path.parent == root / "rtp_py":
            files.append((rel, strip_js(path.read_text(encoding="utf-8")).encode("utf-8")))
    return files


def bundle(files) -> bytes:
    """The bundle's bytes: gzip of `[[path, length], ...]` as one JSON line, then the files' bytes."""
    header = json.dumps([[path, len(data)] for path, data in files], separators=(",", ":")).encode()
    return gzip.compress(header + b"\n" + b"".join(data for _, data in files), compresslevel=9, mtime=0)


def read_bundle(data: bytes) -> list:
    """The (path, bytes) pairs in a bundle (what kit/loader.js does in the page)."""
    raw = gzip.decompress(data)
    newline = raw.index(b"\n")
    offset, files = newline + 1, []
    for path, length in json.loads(raw[:newline]):
        files.append((path, raw[offset:offset + length]))
        offset += length
    if offset != len(raw):
        raise ValueError("bundle: %d bytes after the last file" % (len(raw) - offset))
    return files


def loader(core_url: str, bundle_name: str, ver: str) -> str:
    """kit/loader.js for one layout: `core_url` is PyScript's core.js relative to the loader's own URL."""
    text = LOADER_TEMPLATE.read_text(encoding="utf-8")
    for placeholder, value in (('"./pyscript/core.js"', json.dumps(core_url)),
                               ('"./rtp_py-0.0.0.bundle"', json.dumps("./" + bundle_name)),
                               ("rtp_py 0.0.0", "rtp_py " + ver)):
        if placeholder not in text:
            sys.exit("build: kit/loader.js lost its placeholder %s" % placeholder)
        text = text.replace(placeholder, value)
    return ("/* rtp_py %s's loader, after PyScript's core.js: <script type=\"module\" src=\"./rtp_py-%s.js\"></script>"
            " (kit/loader.js in rtp_py's sources explains it) */\n" % (ver, ver)) + strip_js(text)


def wheel(root: Path = ROOT, epoch: int = None) -> bytes:
    """The wheel's bytes: the package's files as they are, and METADATA, WHEEL, top_level.txt and RECORD."""
    ver = version() if root == ROOT else re.search(
        r'^__version__ = "([^"]+)"$', (root / "rtp_py" / "__init__.py").read_text(encoding="utf-8"), re.M).group(1)
    if epoch is None:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", EPOCH_1980))
    stamp = max(epoch, EPOCH_1980)
    date_time = time.gmtime(stamp)[:6]
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")

    def field(name):
        match = re.search(r'^%s = "([^"]*)"' % re.escape(name), pyproject, re.M)
        if not match:
            sys.exit("build: pyproject.toml has no %s" % name)
        return match.group(1)

    info = "rtp_py-%s.dist-info/" % ver
    entries = [(rel, (root / rel).read_bytes()) for rel in package_files(root)]
    entries.append((info + "METADATA", (
        "Metadata-Version: 2.4\nName: %s\nVersion: %s\nSummary: %s\nLicense-Expression: %s\nRequires-Python: %s\n"
        % (field("name"), ver, field("description"), field("license"), field("requires-python"))).encode()))
    entries.append((info + "WHEEL", b"Wheel-Version: 1.0\nGenerator: rtp_py scripts/build.py\n"
                                    b"Root-Is-Purelib: true\nTag: py3-none-any\n"))
    entries.append((info + "top_level.txt", b"rtp_py\n"))
    record = "".join("%s,sha256=%s,%d\n" % (name, base64.urlsafe_b64encode(hashlib.sha256(data).digest())
                                             .rstrip(b"=").decode(), len(data)) for name, data in entries)
    entries.append((info + "RECORD", (record + info + "RECORD,,\n").encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time)
            entry.external_attr = 0o100644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, so the mode above counts
            archive.writestr(entry, data, compresslevel=9)
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly that (atomically: a server never sees half a
    file); True if written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def build(dist: Path = DIST) -> list:
    """Write the bundle, the loader and the wheel into `dist`, dropping other versions' files; return the
    names of the files that changed."""
    started = time.time()  # the outputs get this mtime: a source saved during the build counts as newer
    ver = version()
    wanted = names(ver)
    dist.mkdir(parents=True, exist_ok=True)
    outputs = {
        wanted["bundle"]: bundle(runtime_files()),
        wanted["loader"]: loader(DEV_CORE, wanted["bundle"], ver).encode("utf-8"),
        wanted["wheel"]: wheel(),
    }
    changed = [name for name, data in outputs.items() if _write(dist / name, data)]
    for name in outputs:  # scripts/setup.sh rebuilds when a source is newer than these
        os.utime(dist / name, (started, started))
    for old in dist.glob("rtp_py-*"):
        if old.name not in outputs and old.is_file():
            old.unlink()
    return changed


if __name__ == "__main__":
    for name in build():
        print("build: wrote dist/%s" % name)

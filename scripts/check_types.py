"""Type-check rtp_py, the demo's Python and every Python example of the README and CONTRIBUTING.md (`make types`).

Each ```python block of the two documents is checked as a module of its own, as a user would paste it; a block
that awaits at its top level (as a PyScript script may) is checked inside an async function.

    python3 scripts/check_types.py        # exit status 0 when mypy finds nothing
"""

import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", "CONTRIBUTING.md")
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
TOP_LEVEL_AWAIT = re.compile(r"^(?:\w+\s*=\s*)?await ", re.MULTILINE)


def examples():
    """(name, source) of every Python example in the documents."""
    for document in DOCUMENTS:
        path = ROOT / document
        if not path.exists():
            continue
        for number, match in enumerate(BLOCK.finditer(path.read_text(encoding="utf-8")), 1):
            source = match.group(1)
            if TOP_LEVEL_AWAIT.search(source):
                source = "async def _example() -> None:\n" + textwrap.indent(source, "    ")
            yield "%s_%02d" % (Path(document).stem.lower(), number), source


def main():
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, source in examples():
            path = Path(folder) / (name + ".py")
            path.write_text(source, encoding="utf-8")
            paths.append(str(path))
        command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                   "--check-untyped-defs", "rtp_py", "demo/app.py", *paths]
        result = subprocess.run(command, cwd=ROOT)
    print("type-checked rtp_py, demo/app.py and %d examples" % len(paths))
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())

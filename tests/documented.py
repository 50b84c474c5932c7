"""Marketo's documented RTP examples, and the README's tables that write each of them in Python.

The examples are data in `../shared/rtp-documented-examples.json`, beside this repository: the contract. Tests
load that file (never a copy) and check that the README's tables (between `<!-- documented-... -->` markers)
give every documented call and every snippet form exactly one row, whose Python line the e2e tests then run.

    python3 tests/documented.py     # print the JavaScript column of every call, as the README table writes it
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT.parent / "shared" / "rtp-documented-examples.json"
README = ROOT / "README.md"

# A placeholder of the snippets (JSON and README alike) is written in brackets: [accountId], [pod-url].
PLACEHOLDER = re.compile(r"\[[A-Za-z][\w-]*\]")
_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")


def examples():
    """The documented examples, as the JSON file has them."""
    return json.loads(EXAMPLES.read_text(encoding="utf-8"))


def js(value):
    """A JSON value written as Marketo's pages write JavaScript: single-quoted strings, bare keys where they
    can be, `{"function": name}` as the function's name."""
    if isinstance(value, dict) and set(value) == {"function"}:
        return value["function"]
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(js(item) for item in value) + "]"
    return "{" + ", ".join("%s: %s" % (key if _IDENTIFIER.match(key) else js(key), js(item))
                           for key, item in value.items()) + "}"


def js_call(args):
    """One documented call as the README's JavaScript column writes it: `rtp('send', 'view')`."""
    return "rtp(%s)" % ", ".join(js(arg) for arg in args)


def table(name, text=None):
    """The rows of the README table between `<!-- documented-<name>:start -->` and `...:end -->`, each a list
    of its cells with the surrounding backticks removed; the header and its rule are left out."""
    text = README.read_text(encoding="utf-8") if text is None else text
    start, end = "<!-- documented-%s:start -->" % name, "<!-- documented-%s:end -->" % name
    if text.count(start) != 1 or text.count(end) != 1:
        raise ValueError("README.md needs exactly one %s and one %s" % (start, end))
    body = text[text.index(start) + len(start):text.index(end)]
    rows = [line.strip() for line in body.splitlines() if line.strip().startswith("|")]
    cells = [re.split(r"(?<!\\)\|", row.strip("|")) for row in rows[2:]]  # "\|" is a | inside a cell
    return [[cell.strip().strip("`").replace("\\|", "|") for cell in row] for row in cells]


def strictly_equal(left, right):
    """Deep equality that also compares types: `1 != True`, `106 != "106"` (Python's `==` says 1 == True)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return sorted(left) == sorted(right) and all(strictly_equal(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(strictly_equal(a, b) for a, b in zip(left, right, strict=True))
    return left == right


if __name__ == "__main__":
    for call in examples()["calls"]:
        print(js_call(call["args"]))

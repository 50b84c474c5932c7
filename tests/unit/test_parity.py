"""The same verdict on both interpreters: every validation rule, for values from Python and strings from the
page alike, judged in CPython and in MicroPython (the npm build PyScript loads, run by Node), must agree:
the same normalised value, or the same ValidationError field and message.

Each generated case crosses to MicroPython once (tests/unit/mpy_runner.mjs); strings tagged "js" are handed
over as JavaScript strings, as text read from the page is.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parity_judge import judge
from rtp_py.validation import MAX_VALUE_LENGTH, WHITESPACE

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("mpy_runner.mjs")
EXAMPLES = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class MicroPython:
    """One Node process running MicroPython for the whole session; `judge(case)` is its verdict."""

    def __init__(self):
        node = shutil.which("node")
        assert node, "node is needed to run MicroPython for the parity test (scripts/setup.sh installs it)"
        self.process = subprocess.Popen([node, str(RUNNER), str(ROOT)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def judge(self, line):
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, "MicroPython stopped: " + self.process.stderr.read().decode(errors="replace")
        return json.loads(answer)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def micropython():
    runner = MicroPython()
    yield runner
    runner.close()


def tagged(value):
    """A Python value as the judge's tagged JSON (code points for strings, so lone surrogates survive)."""
    if isinstance(value, str):
        return {"t": "str", "cp": [ord(char) for char in value]}
    if isinstance(value, (list, tuple)):
        return {"t": type(value).__name__, "v": [tagged(item) for item in value]}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[tagged(k), tagged(v)] for k, v in value.items()]}
    if isinstance(value, bytes):
        return {"t": "bytes", "v": list(value)}
    if value is None:
        return {"t": "none"}
    return {"t": type(value).__name__, "v": value}


def utf16(text):
    units = []
    for char in text:
        code = ord(char)
        if code >= 0x10000:
            code -= 0x10000
            units += [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]
        else:
            units.append(code)
    return units


def same_verdict(micropython, fn, arg=None, js=None):
    """Judge one case in CPython and in MicroPython; fail with both verdicts if they differ."""
    case = {"fn": fn, "arg": tagged(arg) if js is None else {"t": "js"}}
    if js is not None:
        case["js"] = js
    line = json.dumps(case)
    here, there = json.loads(judge(line)), micropython.judge(line)
    assert here == there, "CPython: %s\nMicroPython: %s\ncase: %s" % (here, there, line)
    return here


# Characters where the interpreters could differ: every whitespace, C0 and C1 controls, DEL, surrogates,
# zero-width and byte-order marks, non-Latin and astral text, quotes and backslashes.
TRICKY = ([chr(code) for code in sorted(WHITESPACE)] + [chr(code) for code in range(0x20)]
          + [chr(code) for code in range(0x7F, 0xA1)] + ["\ud800", "\udbff", "\udc00", "\udfff", "\u200b",
          "\ufeff", "\u00e9", "\u65e5", "\U0001f600", "'", '"', "\\", "a", " ", "\ud7ff", "\ue000", "\ud55c"])
chars = st.one_of(st.sampled_from(TRICKY), st.characters(codec=None, categories=None))
texts = st.one_of(st.text(chars, max_size=12),
                  st.text(st.sampled_from("ab \u00a0\u3000"), min_size=MAX_VALUE_LENGTH - 3,
                          max_size=MAX_VALUE_LENGTH + 3),
                  st.builds(lambda s: s * 300, st.text(chars, min_size=1, max_size=5)))
values = st.one_of(texts, st.lists(texts, min_size=0, max_size=9), st.tuples(texts, texts),
                   st.builds(lambda v: {"value": v}, st.one_of(texts, st.lists(texts, max_size=5))),
                   st.sampled_from([5, True, None, b"x", 1.5, [["nested"]], {"value": 1}, {"label": "x"}]),
                   st.lists(st.one_of(texts, st.integers(), st.none(), st.booleans()), max_size=6))


@EXAMPLES
@given(values)
def test_event_values_from_python(micropython, value):
    """check_event gives the same verdict for any value a Python caller passes."""
    same_verdict(micropython, "event", value)


def well_formed(text):
    """What the bridge lets through from the page: lone surrogates never cross (it refuses such text with
    its own error, the same on both interpreters: tests/e2e/test_customer_site.py)."""
    return "".join("\ufffd" if 0xD800 <= ord(char) < 0xE000 else char for char in text)


@EXAMPLES
@given(texts)
def test_event_strings_from_the_page(micropython, text):
    """A string that arrives from JavaScript gets the same verdict."""
    same_verdict(micropython, "event", js=utf16(well_formed(text)))


def test_micropython_cannot_take_an_ill_formed_js_string(micropython):
    """Why the bridge refuses page text with a lone surrogate before it enters Python: MicroPython's
    conversion miscounts it (4 bytes counted, 3 written), and the string gains a NUL at its end."""
    line = json.dumps({"fn": "chars", "arg": {"t": "js"}, "js": [0x61, 0xD800]})
    assert json.loads(judge(line))["value"]["cp"] == [0x61, 0xD800]            # Pyodide: as sent
    assert micropython.judge(line)["value"]["cp"] == [0x61, 0xD800, 0]         # MicroPython: one more


def mutate(text, data):
    """Insert, delete or replace one character somewhere in `text`."""
    if not text:
        return text
    at = data.draw(st.integers(0, len(text) - 1))
    how = data.draw(st.sampled_from(["insert", "delete", "replace"]))
    piece = data.draw(st.sampled_from(list('[]{}",:\\ \t0-1eE.tfn') + ["\\u", "\\ud800", "\u00a0", "\x00"]))
    if how == "delete":
        return text[:at] + text[at + 1:]
    return text[:at] + piece + text[at + (how == "replace"):]


attribute_items = st.lists(st.one_of(
    st.text(chars, max_size=12), st.integers(-5, 10**30), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none(), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)), max_size=6)


@EXAMPLES
@given(attribute_items, st.booleans(), st.data())
def test_attribute_json_from_the_page(micropython, items, ascii_only, data):
    """A data-rtp-event attribute (valid JSON arrays, and the same with one character broken), read from
    the page as a JS string, gets the same verdict on both interpreters."""
    raw = json.dumps(items, ensure_ascii=ascii_only)
    for text in (raw, mutate(raw, data), "[" + mutate(raw[1:], data)):
        same_verdict(micropython, "attribute", js=utf16(well_formed(text)))


KNOWN = ["[1,]", "[01]", '["a\tb"]', "['a']", "[NaN]", "[1e999]", "[-0]", '["\\ud800"]', '["\\ud83d\\ude00"]',
         '[" a"]', '["a"] x', "[" * 20_000, "[" * 10_000 + "]" * 10_000, '[{"a": [1, {"b": []}]}, "x"]', "[]",
         '["a", "b", "c", "d", "e"]', "not [json", "[\u00a0]", '["\\u0000"]', '["\u0085x"]']


@pytest.mark.parametrize("raw", KNOWN, ids=[repr(raw[:24]) for raw in KNOWN])
def test_known_disagreements_of_the_json_parsers_are_settled(micropython, raw):
    """Inputs on which MicroPython's json and CPython's json disagree, or which crash one of them."""
    same_verdict(micropython, "attribute", js=utf16(raw))


def test_the_comparison_can_see_a_difference(micropython):
    """Negative control: the interpreters' own str.isspace() disagree on a no-break space, and the
    comparison sees it; rtp_py's whitespace rule, which does not use it, agrees."""
    line = json.dumps({"fn": "isspace", "arg": tagged("\u00a0")})
    assert json.loads(judge(line)) != micropython.judge(line)
    assert same_verdict(micropython, "event", "\u00a0a")["ok"] is False

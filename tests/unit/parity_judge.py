"""The parity test's judge: the same code runs in CPython (imported) and in MicroPython (run by
mpy_runner.mjs). It decodes a tagged case, applies rtp_py's rules and encodes the verdict, so the two
interpreters' verdicts compare as JSON.

Tagged values: {"t": "str", "cp": [code points]} (any code point, lone surrogates included), "js" (the
runner's JS string), "list", "tuple", "dict" ([[key, value], ...]), "int", "float", "bool", "none",
"bytes" ([byte values]).
"""

import json

from rtp_py.attribute import read_attribute
from rtp_py.errors import ValidationError
from rtp_py.validation import check_event

try:
    import jscase  # in MicroPython under Node: the JS string of the current case
except ImportError:
    jscase = None


def js_string(units):
    """What a JS string of these UTF-16 units becomes in Python: pairs joined, lone surrogates kept."""
    out, index = [], 0
    while index < len(units):
        unit = units[index]
        if 0xD800 <= unit < 0xDC00 and index + 1 < len(units) and 0xDC00 <= units[index + 1] < 0xE000:
            out.append(chr(0x10000 + ((unit - 0xD800) << 10) + (units[index + 1] - 0xDC00)))
            index += 2
        else:
            out.append(chr(unit))
            index += 1
    return "".join(out)


def decode(tagged, units):
    kind = tagged["t"]
    if kind == "str":
        return "".join([chr(code) for code in tagged["cp"]])
    if kind == "js":
        return jscase.text() if jscase is not None else js_string(units)
    if kind == "list":
        return [decode(item, units) for item in tagged["v"]]
    if kind == "tuple":
        return tuple([decode(item, units) for item in tagged["v"]])
    if kind == "dict":
        return dict([(decode(key, units), decode(value, units)) for key, value in tagged["v"]])
    if kind == "bytes":
        return bytes(tagged["v"])
    if kind == "none":
        return None
    if kind == "bool":
        return bool(tagged["v"])
    if kind == "float":
        return float(tagged["v"])
    return int(tagged["v"])


def encode(value):
    if isinstance(value, str):
        return {"t": "str", "cp": [ord(char) for char in value]}
    if isinstance(value, (list, tuple)):
        return {"t": type(value).__name__, "v": [encode(item) for item in value]}
    return {"t": type(value).__name__, "v": repr(value)}


def judge(line):
    case = json.loads(line)
    try:
        arg = decode(case["arg"], case.get("js"))
        if case["fn"] == "isspace":  # the builtin the whitespace rule no longer relies on (a control)
            return json.dumps({"ok": True, "value": encode(arg.isspace())})
        if case["fn"] == "chars":  # the string exactly as it arrived
            return json.dumps({"ok": True, "value": encode(arg)})
        value = check_event(arg) if case["fn"] == "event" else check_event(read_attribute(arg))
        verdict = {"ok": True, "value": encode(value)}
    except ValidationError as error:
        verdict = {"ok": False, "field": encode(error.field), "message": encode(error.message)}
    return json.dumps(verdict)

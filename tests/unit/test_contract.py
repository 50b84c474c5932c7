"""The house's rules, checked: one page contract that every page implements alike; one name per operation in
Python and in kit.js; every field of window.rtpPy declared once; no import cycle; a transport needs only `call`."""

import ast
import inspect
import re
from pathlib import Path

import pytest

import rtp_py
from fakepage import FakePage, run_async
from rtp_py import Tracker, VisitorTimeout
from rtp_py.bridge import BrowserPage
from rtp_py.contract import NoPage, Page
from rtp_py.outcome import SENT
from rtp_py.transport import BaseTransport
from support import WHITEPAPER

PACKAGE = Path(rtp_py.__file__).parent
OPERATIONS = sorted(name for name, member in vars(Page).items() if inspect.isfunction(member))
# kit.js helpers that are not an operation of their own: they serve one (relay: call's callbacks; parse:
# announce's call).
KIT_HELPERS = {"relay", "parse"}


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def parameters(function):
    """A function's parameters as the contract fixes them: names, kinds and defaults (not annotations)."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("page", [BrowserPage, NoPage, FakePage], ids=lambda page: page.__name__)
def test_every_page_implements_every_operation_with_the_contracts_signature(page):
    for name in OPERATIONS:
        assert name in vars(page), "%s does not implement %s" % (page.__name__, name)
        assert parameters(vars(page)[name]) == parameters(vars(Page)[name]), (page.__name__, name)
    extra = {name for name, member in vars(page).items()
             if inspect.isfunction(member) and not name.startswith("_") and name not in OPERATIONS}
    assert extra <= {"click", "by_id"}, "%s has operations the contract lacks: %s" % (page.__name__, extra)


def test_each_kit_js_helper_is_named_as_the_operation_that_uses_it():
    source = (PACKAGE / "kit.js").read_text()
    returned = source[source.rindex("  return {"):]
    helpers = set(re.findall(r"^    (\w+): ", returned, re.MULTILINE))
    assert helpers - KIT_HELPERS == {camel(name) for name in OPERATIONS} & helpers
    tree = ast.parse((PACKAGE / "bridge.py").read_text())
    browser = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "BrowserPage")
    for method in browser.body:
        if isinstance(method, ast.FunctionDef) and method.name in OPERATIONS:
            used = {node.attr for node in ast.walk(method) if isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Attribute) and node.value.attr == "_kit"}
            assert used <= {camel(method.name)} | KIT_HELPERS, (method.name, used)


def test_every_field_of_window_rtppy_is_declared_once_and_every_use_is_declared():
    kit = (PACKAGE / "kit.js").read_text()
    declared = re.findall(r"@property \{[^}]+\} (\w+)", kit)
    assert len(declared) == len(set(declared))
    uses = set()
    for path in PACKAGE.glob("*.js"):
        uses.update(re.findall(r"\b(?:p|page|rtpPy)\.(\w+)\b", path.read_text()))
    assert uses <= set(declared), uses - set(declared)
    assert set(declared) <= uses, set(declared) - uses


def imports(path):
    """The rtp_py modules a module imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.update([node.module.split(".")[0]] if node.module else [alias.name for alias in node.names])
    return found


def test_the_import_graph_of_rtp_py_has_no_cycle():
    graph = {path.stem: imports(path) - {path.stem} for path in PACKAGE.glob("*.py")}
    done, path = set(), []

    def visit(module):
        assert module not in path, "import cycle: " + " -> ".join(path[path.index(module):] + [module])
        if module in done:
            return
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            visit(imported)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


class Minimal(BaseTransport):
    """A transport with only `call`, as BaseTransport says is enough: it answers get visitor at once."""

    def __init__(self):
        self.calls = []

    def call(self, args):
        self.calls.append(args)
        if args[:2] == ("get", "visitor"):
            args[2]({"status": 200, "results": {"org": "Acme"}})
        return SENT


def test_a_transport_with_only_call_serves_every_call_form():
    transport = Minimal()
    tracker = Tracker(transport=transport)
    assert tracker.send_event(WHITEPAPER) == [WHITEPAPER]
    assert tracker.send_view("/a") and tracker.set_account("A-1") and tracker.set_custom_var(1, "x")
    assert tracker.redirect("org", ["Acme"], "/acme") and tracker.get_campaign()
    assert tracker.set_recommendations({"a": 1}) and tracker.get_recommendations()
    assert tracker.on_user_context_ready(lambda: None)
    assert run_async(tracker.get_visitor(timeout=1)).org == "Acme"
    assert [tuple(arg for arg in args[:2] if isinstance(arg, str)) for args in transport.calls] == [
        ("send", "event"), ("send", "view"), ("setAccount", "A-1"), ("set", "customVar1"), ("send", "redirect"),
        ("get", "campaign"), ("set", "rcmd"), ("get", "rcmd"), ("userContextReady",), ("get", "visitor")]


def test_a_transport_that_never_answers_times_out():
    class Silent(BaseTransport):
        def call(self, args):
            return SENT

    with pytest.raises(VisitorTimeout):
        run_async(Tracker(transport=Silent()).get_visitor(timeout=0.01))

"""Marketo's documented examples (../shared/rtp-documented-examples.json) are the contract, in CPython: the
README writes every call in Python and each line makes exactly that call; each answer is read with its
values and types; each checkPattern example gives its verdict; each snippet form is insertable.
tests/e2e/test_documented.py runs the same lines in the page, on both interpreters."""

import asyncio
import re

import pytest

import rtp_py
from documented import PLACEHOLDER, examples, js_call, strictly_equal, table
from fakepage import run_async
from rtp_py import Visitor

EXAMPLES = examples()
CALLS = [call["args"] for call in EXAMPLES["calls"]]
ROWS = table("calls")
ANSWERS = {name: answer for name, answer in EXAMPLES["answers"].items() if isinstance(answer, dict)}


@pytest.fixture(autouse=True)
def fake(use_page):
    return use_page()


def test_the_readme_table_has_one_row_for_each_documented_call_and_no_other():
    written = [row[0] for row in ROWS]
    assert sorted(written) == sorted(js_call(args) for args in CALLS)
    assert len(set(written)) == len(written)


def run_line(line):
    """Run one README line of rtp_py in CPython, as a page's script would (top-level await allowed)."""
    scope = {name: getattr(rtp_py, name) for name in rtp_py.__all__}
    scope["callback"] = lambda: None
    body = "async def _line():\n    " + line + "\n"
    exec(compile(body, "<README>", "exec"), scope)
    run_async(scope["_line"]())


def received(args, documented):
    """`args` as rtp got them equal `documented`, with a function wherever the docs pass one."""
    if len(args) != len(documented):
        return False
    return all(callable(arg) if isinstance(want, dict) and set(want) == {"function"} else strictly_equal(arg, want)
               for arg, want in zip(args, documented, strict=True))


@pytest.mark.parametrize("args", CALLS, ids=[js_call(args) for args in CALLS])
def test_each_readme_line_makes_exactly_the_documented_call(args, fake):
    fake.answer = ANSWERS["get visitor, with a segment match"]
    line = next(row[1] for row in ROWS if row[0] == js_call(args))
    run_line(line)
    assert len(fake.rtp) == 1 and received(list(fake.rtp[0]), args), fake.rtp


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_each_documented_answer_keeps_its_values_and_types(name):
    answer = ANSWERS[name]
    visitor = Visitor.from_answer(answer)
    results = answer["results"]
    assert strictly_equal([[s.name, s.id] for s in visitor.segments],
                          [[s["name"], s["id"]] for s in results.get("matchedSegments", [])])
    assert strictly_equal([[a.code, a.name] for a in visitor.abm], [[a["code"], a["name"]] for a in results["abm"]])
    assert visitor.isp is False and visitor.org == results["org"] and visitor.industries == results["industries"]
    assert [visitor.location.country, visitor.location.city, visitor.location.state] == [
        results["location"][key] for key in ("country", "city", "state")]
    assert visitor.answer is answer and visitor.extra == {}


def test_what_rtp_adds_to_an_answer_is_kept():
    answer = {"status": 200, "results": dict(ANSWERS["get visitor, with a segment match"]["results"],
                                             score=87, tags=["x"])}
    assert Visitor.from_answer(answer).extra == {"score": 87, "tags": ["x"]}


@pytest.mark.parametrize("case", EXAMPLES["check_pattern"], ids=lambda case: case["pattern"] + " " + case["text"])
def test_each_check_pattern_example_gives_the_documented_verdict(case):
    assert rtp_py.check_pattern(case["text"], case["pattern"]) is case["matches"]


SNIPPET_ROWS = {row[0]: row[3] for row in table("snippets")}
# What the README's placeholders stand for in this test: one value each.
VALUES = {"[accountId]": "561-HYG-937", "[pod-url]": "https://pod.example.com", "[pod]": "sj"}


def filled(line):
    """A README line with its placeholders filled: URLs get a real host, the rest a value."""
    line = line.replace("[rtp-js-cdn-url]", "https://cdn.example.com/rtp.js")
    line = line.replace("[cdn-pod-X-url]", "cdn.example.com")
    for placeholder, value in VALUES.items():
        line = line.replace(placeholder, value)
    assert not PLACEHOLDER.search(line), line
    return line


@pytest.mark.parametrize("snippet", EXAMPLES["snippets"], ids=lambda snippet: snippet["form"])
def test_each_snippet_form_has_its_readme_line_and_sets_what_the_snippet_sets(snippet, fake):
    run_line(filled(SNIPPET_ROWS[snippet["form"]]))
    src, pod, account, query, e = fake.tag
    assert account == VALUES["[accountId]"] and e == ""
    assert bool(pod) == ("p" in snippet["sets"])
    query_built = re.search(r"\+ '\?(\w+)=", snippet["script_src"])
    assert query == (query_built.group(1) if query_built else "")


def test_the_bot_guard_of_the_documented_snippet_keeps_the_tag_out_for_googlebot(fake):
    guarded = next(snippet for snippet in EXAMPLES["snippets"] if "guard" in snippet)
    fake.user_agent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    run_line(filled(SNIPPET_ROWS[guarded["form"]]))
    assert fake.tag is None


def test_get_visitor_waits_without_wait_for(fake):
    """The answer may come after the call returns: get_visitor waits for it (an Event, not wait_for)."""
    answers = []

    async def later():
        answers.append(await rtp_py.get_visitor(timeout=1))

    async def main():
        task = asyncio.ensure_future(later())
        await asyncio.sleep(0)  # one turn of the loop: later() makes its call and waits for the answer
        assert fake.rtp, "get_visitor made no call"
        reply = fake.rtp[0][2]
        reply(ANSWERS["get visitor, without a segment match"])
        reply({"status": 500})  # a second answer is ignored
        await task

    run_async(main())
    assert answers[0].segments == [] and answers[0].org == "Marketo"

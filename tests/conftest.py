"""Options and the header of the whole suite."""

from engines import ENGINES, version


def pytest_addoption(parser):
    parser.addoption("--journey-screenshots", action="store_true",
                     help="save a screenshot of every step of the demo journeys in test-results/journey/")


def pytest_report_header(config):
    """The engines the browser tests run on, with their versions (tests/e2e/engines.py)."""
    return "engines: " + ", ".join(version(engine) for engine in ENGINES)


def _expected_length(item):
    """A rough rank of how long a test takes, longest first: the engine journeys, then the demo's journeys and
    the other Pyodide pages (seconds each), then MicroPython pages, then the unit tests (milliseconds)."""
    path = item.nodeid.split("::")[0]
    pyodide = getattr(item, "callspec", None) is not None and item.callspec.params.get("interpreter") == "py"
    if path.endswith("test_engines.py"):
        return 0  # kept together, so each engine's browser starts once per test process
    if path.endswith("test_demo.py") and pyodide:
        return 1
    if path.endswith("test_kit.py"):
        return 2  # kept together: its kit and server are built once per module
    if pyodide:
        return 2
    return 3 if "/e2e/" in path else 4


def pytest_collection_modifyitems(items):
    """Run the longest tests first, so the test processes (make test's JOBS) end together instead of one
    finishing a long Pyodide journey alone."""
    items.sort(key=_expected_length)

"""Options and the header of the whole suite."""

from engines import ENGINES, version


def pytest_addoption(parser):
    parser.addoption("--journey-screenshots", action="store_true",
                     help="save a screenshot of every step of the demo journeys in test-results/journey/")


def pytest_report_header(config):
    """The engines the browser tests run on, with their versions (tests/e2e/engines.py)."""
    return "engines: " + ", ".join(version(engine) for engine in ENGINES)


"""Options of the whole suite."""


def pytest_addoption(parser):
    parser.addoption("--journey-screenshots", action="store_true",
                     help="save a screenshot of every step of the demo journeys in test-results/journey/")

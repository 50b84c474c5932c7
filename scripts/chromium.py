"""How the tests and the benchmark launch Chromium: Debian's build, never one Playwright downloads.

Without the networking flags Chromium keeps trying to reach Google's hosts (see ../shared/OFFLINE.md).
"""

CHROMIUM = "/usr/bin/chromium"
QUIET_CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-domain-reliability", "--no-first-run", "--disable-quic",
]

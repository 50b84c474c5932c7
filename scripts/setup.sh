#!/usr/bin/env bash
# Install whatever is missing for the demo and the tests: Debian's Chromium, the Python test tools (in
# .venv), the pinned npm runtimes, and the vendored copy of those runtimes. Safe to run again: each step is
# skipped when already done. `scripts/setup.sh runtime` does only what serving the demo needs (npm + vendor).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

if [ "$what" = all ]; then
  # Chromium for the tests; a Japanese font so screenshots show the demo's Japanese event value.
  if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-ipafont-gothic >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium and fonts-ipafont-gothic"
    apt_install chromium fonts-ipafont-gothic
  fi
  if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    python3 -m venv .venv
  fi
  if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    echo "setup: installing Python test tools into .venv"
    .venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
    touch .venv/.installed
  fi
fi

if ! command -v npm >/dev/null; then
  echo "setup: installing Node.js and npm from Debian"
  apt_install nodejs npm
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (PyScript, Pyodide, MicroPython, pinned in package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
fi
python3 scripts/vendor.py

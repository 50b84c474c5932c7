#!/usr/bin/env bash
# Install whatever is missing for the demo and the tests: Debian's Chromium, the Python test tools (in
# .venv), the pinned npm runtimes and their vendored copy, and build dist/ (rtp_py's bundle, loader and wheel,
# scripts/build.py). Safe to run again: each
# step is skipped when already done.
#
#   scripts/setup.sh            everything (make test, make bench)
#   scripts/setup.sh runtime    what serving pages needs: npm runtimes, vendor/, dist/ (make serve, make kit)
#   scripts/setup.sh wheel      only dist/ (bundle, loader, wheel), rebuilt if rtp_py/ changed (make wheel)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
case "$what" in all|runtime|wheel) ;; *) echo "usage: $0 [all|runtime|wheel]" >&2; exit 2 ;; esac
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# .venv: the Python test tools (make test, make bench). Pages and the kit need none of it.
build_venv() {
  if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    python3 -m venv .venv
  fi
}

# dist/: what pages load (rtp_py-<version>.bundle and its loader rtp_py-<version>.js) and the wheel
# (rtp_py-<version>-py3-none-any.whl), built by scripts/build.py with the standard library alone, reproducibly
# (the same sources give the same bytes). <version> is __version__ in rtp_py/__init__.py. Rebuilt whenever
# anything under rtp_py/ (a file added, changed or removed), the loader's template or the build script is
# newer than the bundle, so a stale file is never served. About 0.3 s; the check alone, a few ms.
build_dist() {
  local version bundle
  version=$(sed -n 's/^__version__ = "\([^"]*\)"$/\1/p' rtp_py/__init__.py)
  if [ -z "$version" ]; then echo "setup: no __version__ = \"...\" line in rtp_py/__init__.py" >&2; exit 1; fi
  bundle="dist/rtp_py-$version.bundle"
  if [ -f "$bundle" ] && [ -f "dist/rtp_py-$version.js" ] && [ -f "dist/rtp_py-$version-py3-none-any.whl" ] \
      && [ -z "$(find rtp_py pyproject.toml kit/loader.js scripts/build.py -name __pycache__ -prune -o -newer "$bundle" -print -quit)" ]; then
    return 0
  fi
  python3 scripts/build.py
}

if [ "$what" = wheel ]; then
  build_dist
  exit 0
fi

if [ "$what" = all ]; then
  # The three engines the browser tests run on, from Debian: Chromium (driven by Playwright), WebKit (WebKitGTK's
  # WebDriver and MiniBrowser, on a virtual display) and Gecko (Firefox ESR, over WebDriver BiDi); a Japanese
  # font so screenshots show the demo's Japanese event value.
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/WebKitWebDriver ] || [ ! -x /usr/bin/firefox-esr ] \
      || [ ! -x /usr/bin/Xvfb ] || ! dpkg -s fonts-ipafont-gothic >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium, webkit2gtk-driver, firefox-esr, xvfb and fonts-ipafont-gothic"
    apt_install chromium webkit2gtk-driver firefox-esr xvfb fonts-ipafont-gothic
  fi
  build_venv
  if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    echo "setup: installing Python test tools into .venv"
    # pyproject.toml's test extra, as pinned there (rtp_py itself is imported from this checkout, not installed)
    mapfile -t requirements < <(python3 -c 'import re, sys
text = open("pyproject.toml").read()
block = re.search(r"^test = \[(.*?)^\]", text, re.S | re.M).group(1)
print("\n".join(re.findall(r"^\s*\"([^\"]+)\",", block, re.M)))')
    .venv/bin/pip install -q --disable-pip-version-check "${requirements[@]}"
    touch .venv/.installed
  fi
fi

if ! command -v npm >/dev/null; then
  echo "setup: installing Node.js and npm from Debian"
  apt_install nodejs npm
fi
# The runtimes (PyScript, Pyodide, MicroPython) are what pages need; the tests also need the development tools
# (ESLint). Both are pinned in package-lock.json.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
    || { [ "$what" = all ] && [ ! -x node_modules/.bin/eslint ]; }; then
  if [ "$what" = all ]; then
    echo "setup: npm ci (the runtimes and ESLint, pinned in package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
  else
    echo "setup: npm ci --omit=dev (PyScript, Pyodide, MicroPython, pinned in package-lock.json)"
    npm ci --omit=dev --no-audit --no-fund --loglevel=error
  fi
fi
python3 scripts/vendor.py
build_dist
python3 scripts/whitepaper.py  # the demo's whitepaper PDFs, one per language (demo/build/, about 10 ms)

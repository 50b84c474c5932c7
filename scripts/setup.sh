#!/usr/bin/env bash
# Install whatever is missing for the demo and the tests: Debian's Chromium, the Python test tools (in
# .venv), the pinned npm runtimes and their vendored copy, and build rtp_py's wheel. Safe to run again: each
# step is skipped when already done.
#
#   scripts/setup.sh            everything (make test, make bench)
#   scripts/setup.sh runtime    what serving pages needs: npm runtimes, vendor/, the wheel (make serve, make kit)
#   scripts/setup.sh wheel      only dist/rtp_py-<version>-py3-none-any.whl, rebuilt if rtp_py/ changed (make wheel)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
case "$what" in all|runtime|wheel) ;; *) echo "usage: $0 [all|runtime|wheel]" >&2; exit 2 ;; esac
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# .venv with exactly the setuptools pinned in pyproject.toml's [build-system]: the only build tool the wheel
# needs, so building never reaches the network once this is installed.
build_venv() {
  if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    python3 -m venv .venv
  fi
  local req
  req=$(sed -n 's/^requires = \["\(setuptools==[^"]*\)"\]$/\1/p' pyproject.toml)
  if [ -z "$req" ]; then echo "setup: pyproject.toml must pin requires = [\"setuptools==X\"]" >&2; exit 1; fi
  if ! .venv/bin/python -c "import sys, importlib.metadata as m; sys.exit(m.version('setuptools') != sys.argv[1])" \
      "${req#setuptools==}" 2>/dev/null; then
    echo "setup: installing $req into .venv (rtp_py's build backend)"
    .venv/bin/pip install -q --disable-pip-version-check "$req"
  fi
}

# dist/rtp_py-<version>-py3-none-any.whl, the one artefact every page loads. <version> is __version__ in
# rtp_py/__init__.py (pyproject.toml reads the same line). Rebuilt whenever anything under rtp_py/ (a file
# added, changed or removed) or pyproject.toml is newer than the wheel, so a stale wheel is never served.
# Reproducible: built from a clean copy with fixed timestamps (SOURCE_DATE_EPOCH, default 1980-01-01) and
# modes, so the same sources give the same bytes. About 0.3 s.
build_wheel() {
  local version wheel started root="$PWD"
  version=$(sed -n 's/^__version__ = "\([^"]*\)"$/\1/p' rtp_py/__init__.py)
  if [ -z "$version" ]; then echo "setup: no __version__ = \"...\" line in rtp_py/__init__.py" >&2; exit 1; fi
  wheel="dist/rtp_py-$version-py3-none-any.whl"
  if [ -f "$wheel" ] && [ -z "$(find rtp_py pyproject.toml -name __pycache__ -prune -o -newer "$wheel" -print -quit)" ]; then
    return 0
  fi
  build_venv
  started=$(date +%s.%N)  # the wheel gets this mtime, so a file saved during the build counts as newer
  mkdir -p dist
  tmp="$PWD/$(mktemp -d dist/.build.XXXXXX)"  # inside dist/ so the final mv is an atomic rename
  trap 'rm -rf "$tmp"' EXIT  # $tmp is global (not local): the trap runs after this function returns
  mkdir "$tmp/src" "$tmp/out"
  cp pyproject.toml "$tmp/src/"
  cp -R rtp_py "$tmp/src/"
  find "$tmp/src" -name __pycache__ -prune -exec rm -rf {} +
  chmod -R u=rwX,go=rX "$tmp/src"
  if ! (cd "$tmp/src" && SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-315532800}" "$root/.venv/bin/python" -c \
      'import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))' "$tmp/out") \
      >"$tmp/log" 2>&1; then
    cat "$tmp/log" >&2
    echo "setup: building the wheel failed" >&2
    exit 1
  fi
  if [ ! -f "$tmp/out/${wheel#dist/}" ]; then
    cat "$tmp/log" >&2
    echo "setup: the build made $(ls "$tmp/out"), not ${wheel#dist/}" >&2
    exit 1
  fi
  touch -d "@$started" "$tmp/out/${wheel#dist/}"
  mv -f "$tmp/out/${wheel#dist/}" "$wheel"
  for old in dist/rtp_py-*.whl; do [ "$old" = "$wheel" ] || rm -f "$old"; done
  echo "setup: built $wheel"
}

if [ "$what" = wheel ]; then
  build_wheel
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
    .venv/bin/pip install -q --disable-pip-version-check --no-build-isolation -e '.[test]'
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
build_wheel
python3 scripts/whitepaper.py  # the demo's whitepaper PDFs, one per language (demo/build/, about 10 ms)

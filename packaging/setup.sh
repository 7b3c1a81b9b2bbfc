#!/usr/bin/env bash
# Set up Cascade Board on a fresh Debian/Ubuntu machine: the system libraries
# Qt needs (offscreen and on a desktop), then a virtual environment in .venv
# with the program and its test tools. Safe to run again: it installs only
# what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  # Qt offscreen (tests, headless export) and fonts, without which labels render as boxes
  libglib2.0-0 libegl1 libgl1 libfontconfig1 libxkbcommon0 libx11-6 libdbus-1-3
  # (the PDF handout and the canvas use the fonts in resources/fonts; these are for Qt's widgets)
  fonts-dejavu-core fontconfig-config
  # the desktop files' validators and caches (tests/app/test_desktop.py, install-desktop)
  desktop-file-utils appstream shared-mime-info
  # Qt on a desktop or under Xvfb (the xcb platform plugin)
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1
  # looking at exported PDFs as images
  poppler-utils
)

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,video]'
# Compile the program now: a fresh clone has no .pyc, and compiling them would add about 0.1 s
# to the first `cascade-board analyze`, which should answer within a second (docs/LIMITS.md, "Start-up").
.venv/bin/python -m compileall -q app models
echo "setup: ready (.venv/bin/cascade-board)"

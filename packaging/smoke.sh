#!/usr/bin/env bash
# The bundle's smoke test, as PyInstaller's own practice has it: build, then run the frozen
# program. Builds the one-folder bundle and its archive (packaging/build.sh), then runs
# packaging/check-bundle.sh on it: --version, new --example, validate, analyze, simulate (60 s),
# export-pdf (fonts checked), export-image, and the window offscreen for 8 s. Prints how long
# each part took and the bundle's size. Needs network to PyPI the first time (build/venv).
# Not part of the pytest run (it takes minutes); CI or a release runs it: bash packaging/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
bash packaging/build.sh
built=$(date +%s)
bash packaging/check-bundle.sh dist/cascade-board/cascade-board
done_at=$(date +%s)
echo "smoke: build $(( built - started )) s, check $(( done_at - built )) s;" \
  "bundle $(du -sh dist/cascade-board | cut -f1), archive $(du -h dist/cascade-board-*.tar.gz | cut -f1 | head -1)"

#!/usr/bin/env bash
# Build the one-folder bundle of Cascade Board for analysts' Linux laptops:
#   dist/cascade-board/                               the program (run dist/cascade-board/cascade-board)
#   dist/cascade-board-VERSION-linux-ARCH.tar.gz      the same folder, to copy to a laptop
# PyInstaller and the program's pinned dependencies (packaging/requirements-build.txt) go into
# a build venv of their own, build/venv, never into .venv. Run it again to rebuild from
# scratch; the venv is reused. Needs Python 3.11+ with venv, and network access to PyPI the
# first time. See packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=build/venv
started=$(date +%s)

if [ ! -x "$VENV/bin/python" ]; then
  echo "build: creating $VENV with $($PYTHON --version)"
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r packaging/requirements-build.txt

rm -rf dist/cascade-board build/pyinstaller
# The spec imports the program's modules to list them; Qt must not look for a display then.
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/cascade-board.spec

version=$(dist/cascade-board/cascade-board --version | awk '{print $2}')
archive="dist/cascade-board-${version}-linux-$(uname -m).tar.gz"
# The same files give the same archive: sorted names, no owners, one timestamp (the last commit's).
epoch=$(git log -1 --format=%ct 2>/dev/null || date +%s)
tar -C dist --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -cf - cascade-board \
  | gzip -n -6 > "$archive"

echo "build: $(dist/cascade-board/cascade-board --version) in $(( $(date +%s) - started )) s"
echo "build: dist/cascade-board/ $(du -sh dist/cascade-board | cut -f1), $archive $(du -h "$archive" | cut -f1)"

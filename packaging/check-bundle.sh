#!/usr/bin/env bash
# Smoke-test a built bundle (packaging/build.sh first) headless: every headless command on
# the bundled example, the PDF's text (read with pypdf from build/venv) and a PNG export on
# Qt's offscreen platform. The window is checked by hand: packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
X=${1:-dist/cascade-board/cascade-board}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
board="$work/streamflow.cboard"

"$X" --version
"$X" new --example streamflow -o "$board"
"$X" validate "$board"
"$X" analyze "$board" --json > "$work/analysis.json"
"$X" simulate "$board" --scenario off-peak --duration 30 --json > "$work/sim.json"
"$X" export-pdf "$board" -o "$work/handout.pdf"
QT_QPA_PLATFORM=offscreen "$X" export-image "$board" -o "$work/board.png"

build/venv/bin/python - "$work" <<'PY'
import json
import sys
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

work = Path(sys.argv[1])
sim = json.loads((work / "sim.json").read_text())
assert sim["scenario"] == "off-peak" and sim["requests"] > 0, sim
reader = PdfReader(work / "handout.pdf")
text = "\n".join(page.extract_text() for page in reader.pages)
for needed in ("StreamFlow AI", "Intervention", "835"):
    assert needed in text, f"{needed!r} is not in the handout's text"
assert "board.cboard" in reader.attachments, list(reader.attachments)
image = Image.open(work / "board.png")
assert image.width > 1000 and image.height > 500, image.size
print(f"check-bundle: ok: {sim['requests']} requests simulated, handout of {len(reader.pages)} pages, "
      f"PNG {image.width}x{image.height}")
PY

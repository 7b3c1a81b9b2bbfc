#!/usr/bin/env bash
# Smoke-test a built bundle (packaging/build.sh first) headless: every headless command on
# the bundled example, a 60 s simulation, the PDF's text and fonts (read with pypdf from
# build/venv), a PNG export, and the window started on Qt's offscreen platform for a few
# seconds (it must still be running then, not have died). packaging/smoke.sh runs both.
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
"$X" simulate "$board" --scenario off-peak --duration 60 --json > "$work/sim.json"
"$X" export-pdf "$board" -o "$work/handout.pdf"
QT_QPA_PLATFORM=offscreen "$X" export-image "$board" -o "$work/board.png"
# The window, offscreen, from a folder with a space in its name: still running after 8 s is a pass.
mkdir -p "$work/a folder"
cp "$board" "$work/a folder/my board.cboard"
status=0
HOME="$work" QT_QPA_PLATFORM=offscreen timeout 8 "$X" "$work/a folder/my board.cboard" > "$work/window.log" 2>&1 || status=$?
if [ "$status" -ne 124 ]; then
  echo "check-bundle: the window exited with $status within 8 s:" >&2
  cat "$work/window.log" >&2
  exit 1
fi

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
fonts = {str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
         for page in reader.pages for font in page["/Resources"]["/Font"].values()}
assert fonts <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique", "Symbola"}, fonts
image = Image.open(work / "board.png")
assert image.width > 1000 and image.height > 500, image.size
print(f"check-bundle: ok: {sim['requests']} requests simulated, handout of {len(reader.pages)} pages, "
      f"PNG {image.width}x{image.height}, fonts {sorted(fonts)}, the window ran 8 s")
PY

"""Image export of the StreamFlow example: PNG (with a scale) and SVG, from
the command line and from the window, of the whole board or the selection."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from app.main import main

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def distinct_colours(image: QImage, step: int = 7) -> set[int]:
    return {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}


def test_cli_exports_streamflow_to_png_with_a_scale(qapp, example_path, tmp_path, capsys):
    one, two = tmp_path / "one.png", tmp_path / "two.png"
    assert main(["export-image", str(example_path), "-o", str(one), "--scale", "1"]) == 0
    assert main(["export-image", str(example_path), "-o", str(two), "--scale", "2"]) == 0
    a, b = QImage(str(one)), QImage(str(two))
    assert 1300 < a.width() < 1700
    assert abs(b.width() - 2 * a.width()) <= 2
    colours = distinct_colours(b)
    assert len(colours) > 50
    red_fill = 0xFFFFD6D6
    assert red_fill in {c & 0xFFFFFFFF for c in colours}
    assert "wrote" in capsys.readouterr().out


def test_cli_exports_streamflow_to_svg(qapp, example_path, tmp_path):
    out = tmp_path / "board.svg"
    assert main(["export-image", str(example_path), "-o", str(out), "--theme", "dark"]) == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    for label in ("Recommendation", "LLM Service", "Retry loop"):
        assert label in svg
    assert "#1b1f24" in svg.lower()  # the dark background


def test_cli_rejects_bad_output_and_ids(qapp, example_path, tmp_path, capsys):
    assert main(["export-image", str(example_path), "-o", str(tmp_path / "x.jpg")]) == 2
    assert main(["export-image", str(example_path), "-o", str(tmp_path / "x.png"), "--only", "nope"]) == 2
    assert "not on the board: nope" in capsys.readouterr().err


def test_window_exports_the_selection_only(window, tmp_path):
    whole, part = tmp_path / "whole.png", tmp_path / "part.png"
    window.files.export_image(str(whole), 1.0)
    window.selection.select(["engine", "llm"])
    assert set(window.files._export_ids()) == {"engine", "llm", "e-engine-llm", "q-engine", "q-engine-llm"}
    window.files.export_image(str(part), 1.0, selection_only=True)
    a, b = QImage(str(whole)), QImage(str(part))
    assert b.width() < a.width() / 2
    assert window.scene.item_for("gateway").isVisible()  # hidden only while rendering
    svg = tmp_path / "part.svg"
    window.files.export_image(str(svg), selection_only=True)
    text = svg.read_text(encoding="utf-8")
    assert "LLM Service" in text
    assert "API Gateway" not in text

"""The handout's fonts come from resources/fonts only, so the PDF is the same on every laptop."""

from __future__ import annotations

import pytest

import app.export.fonts as fonts
from app.resources import resource_path


def test_only_the_shipped_folder_is_consulted(monkeypatch):
    monkeypatch.delenv(fonts.FONT_DIRS_VARIABLE, raising=False)
    assert fonts.font_dirs() == (resource_path("fonts"),)
    for filename in [*fonts._FACES.values(), fonts._SYMBOL_FILES[0]]:
        assert fonts._find(filename) == resource_path("fonts", filename)


def test_a_users_folder_comes_first(monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.FONT_DIRS_VARIABLE, str(tmp_path))
    assert fonts.font_dirs() == (tmp_path, resource_path("fonts"))


def test_a_missing_face_names_the_file_and_the_folders(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path,))
    monkeypatch.setattr(fonts, "_FACES", {"CB-Test-Missing": "NoSuchFace.ttf"})
    fonts.register_fonts.cache_clear()
    try:
        with pytest.raises(fonts.FontError, match=rf"NoSuchFace\.ttf is missing.*{tmp_path}"):
            fonts.register_fonts()
    finally:
        fonts.register_fonts.cache_clear()  # the next caller registers the real faces again

"""Where models/catalog.py finds the shipped catalog: beside models/ in a checkout or the bundle,
in the installed package cascade_board from a wheel (app/resources.py's rule, for one file)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import models.catalog as catalog

ROOT = Path(__file__).resolve().parents[2]


def test_beside_models_in_a_checkout():
    assert catalog._shipped_catalog() == ROOT / "resources" / "catalog" / "hummbl.json"


def test_from_the_installed_package_when_nothing_is_beside(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "resources", tmp_path / "cascade_board")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(catalog, "__file__", str(tmp_path / "site" / "models" / "catalog.py"))
    sys.modules.pop("cascade_board", None)
    try:
        assert catalog._shipped_catalog() == tmp_path / "cascade_board" / "catalog" / "hummbl.json"
    finally:
        sys.modules.pop("cascade_board", None)


def test_nowhere_it_names_the_place_beside(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog, "__file__", str(tmp_path / "models" / "catalog.py"))
    monkeypatch.setitem(sys.modules, "cascade_board", None)  # not installed: the import fails
    assert catalog._shipped_catalog() == tmp_path / "resources" / "catalog" / "hummbl.json"

"""The bundle's recipe (packaging/), checked without building it: the spec names folders
that exist, the bundle layout puts resources where the program looks, and the build venv
pins every runtime dependency. The real build is packaging/build.sh (about a minute)."""

from __future__ import annotations

import ast
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

import app.resources
from models.catalog import CATALOG_PATH

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "cascade-board.spec"


def _spec_literal(name: str):
    """The value of a top-level ``NAME = <literal>`` in the spec."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{SPEC.name} has no top-level {name} = <literal>")


def test_spec_data_folders_exist_and_cover_all_resources():
    data = _spec_literal("RESOURCE_DATA")
    assert data, "the spec bundles no resources"
    for source, target in data:
        assert (ROOT / source).is_dir(), f"{source} named in the spec does not exist"
        assert target.split("/")[0] == "resources", f"{target}: resources must sit at the bundle's root"
    sources = {source for source, _target in data}
    for folder in sorted(p for p in (ROOT / "resources").iterdir() if p.is_dir()):
        relative = folder.relative_to(ROOT).as_posix()
        assert "resources" in sources or relative in sources, f"{relative} is not bundled"
    for needed in ("examples/streamflow-ai.cboard", "catalog/hummbl.json", "schema/cboard.schema.json"):
        assert (ROOT / "resources" / needed).is_file()


def test_spec_keeps_the_platform_plugins_the_program_needs():
    platforms = _spec_literal("QT_PLATFORMS")
    assert {"xcb", "offscreen"} <= set(platforms)
    spec = SPEC.read_text(encoding="utf-8")
    assert "BUNDLED_FONTS" not in spec, "the fonts ship in resources/fonts, not from the build machine"


def test_spec_entry_point_is_app_main():
    text = SPEC.read_text(encoding="utf-8")
    assert '"launcher.py"' in text
    assert 'name="cascade-board"' in text
    launcher = ast.parse((PACKAGING / "launcher.py").read_text(encoding="utf-8"))
    imports = [(n.module, [a.name for a in n.names]) for n in launcher.body if isinstance(n, ast.ImportFrom)]
    assert ("app.main", ["main"]) in imports


def test_build_venv_pins_every_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    pins = {}
    for line in (PACKAGING / "requirements-build.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _sep, version = line.partition("==")
            assert version, f"{line!r} is not pinned with =="
            pins[norm(name)] = version
    for requirement in project["dependencies"]:
        name = norm(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0])
        assert name in pins, f"{name} (pyproject.toml) is missing from packaging/requirements-build.txt"
    assert "pyinstaller" in pins


def test_build_output_is_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored
    assert "dist/" in ignored


def test_resources_found_from_the_source_tree():
    assert not hasattr(sys, "_MEIPASS")
    assert app.resources.find_root() == ROOT / "resources"
    assert app.resources.example_path("streamflow-ai.cboard").is_file()
    assert app.resources.resource_path("catalog", "hummbl.json").is_file()
    for face in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
                 "Symbola_hint.ttf", "LICENSE-DejaVu.txt", "LICENSE-Symbola.txt"):
        assert app.resources.resource_path("fonts", face).is_file(), face


def test_a_missing_resource_names_itself_and_the_place_looked():
    with pytest.raises(app.resources.MissingResourceError) as raised:
        app.resources.resource_path("examples", "nope.cboard")
    assert "examples/nope.cboard" in str(raised.value)
    assert str(ROOT / "resources" / "examples" / "nope.cboard") in str(raised.value)


def test_resources_found_through_the_installed_package_when_not_beside_app(tmp_path, monkeypatch):
    # A wheel: nothing beside app/, the package cascade_board found with importlib.resources.
    package = tmp_path / "cascade_board"
    shutil.copytree(ROOT / "resources", package)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(app.resources, "__file__", str(tmp_path / "elsewhere" / "app" / "resources.py"))
    sys.modules.pop("cascade_board", None)
    try:
        assert app.resources.find_root() == package
    finally:
        sys.modules.pop("cascade_board", None)


def test_resources_missing_everywhere_is_told_with_the_places(tmp_path, monkeypatch):
    monkeypatch.setattr(app.resources, "__file__", str(tmp_path / "app" / "resources.py"))
    monkeypatch.setattr(app.resources, "PACKAGE", "cascade_board_not_installed")
    with pytest.raises(app.resources.MissingResourceError, match=str(tmp_path / "resources")):
        app.resources.find_root()


def test_the_bundle_puts_resources_beside_app_and_models():
    # In the bundle, app/ and models/ are at sys._MEIPASS's root: resources/ must be there too, where
    # app/resources.py and models/catalog.py look first (beside their own package).
    targets = {target for _source, target in _spec_literal("RESOURCE_DATA")}
    assert targets == {"resources"}
    assert CATALOG_PATH == ROOT / "resources" / "catalog" / "hummbl.json"

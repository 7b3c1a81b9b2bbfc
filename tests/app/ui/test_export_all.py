"""export-all: every artefact and a MANIFEST that lists exactly them."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from app.cli import run
from app.ui.export_all import MANIFEST, CancelledError, export_all, main_scenario
from models.document import BoardDocument
from models.entities import Edge, Node
from models.fileformat import load_path
from models.params import SimScenario, TrafficProfile
from tests.conftest import EXAMPLE

pytestmark = pytest.mark.gui  # pictures and the animation are drawn by the canvas, offscreen


def _manifest(folder: Path) -> dict[str, tuple[str, int]]:
    entries = {}
    for line in (folder / MANIFEST).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        digest, size, path = line.split()[:3]
        entries[path] = (digest, int(size))
    return entries


def test_export_all_writes_the_manifests_files(tmp_path, capsys):
    out = tmp_path / "out"
    saved = os.umask(0o002)
    try:
        assert run(["export-all", str(EXAMPLE), "-o", str(out), "--no-animation", "--quiet"]) == 0
    finally:
        os.umask(saved)
    entries = _manifest(out)
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {MANIFEST}
    assert set(entries) == on_disk
    for path, (digest, size) in entries.items():
        data = (out / path).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (digest, size), path
        assert stat.S_IMODE((out / path).stat().st_mode) == 0o664, path
    names = set(entries)
    assert "StreamFlow-AI-Case-Study-1.pdf" in names
    assert "StreamFlow-AI-Case-Study-1.md" in names
    assert "StreamFlow-AI-Case-Study-1.html" in names
    steps = load_path(EXAMPLE).steps
    assert len([n for n in names if n.startswith("pictures/step-") and n.endswith(".png")]) == len(steps)
    assert len([n for n in names if n.startswith("pictures/step-") and n.endswith(".svg")]) == len(steps)
    assert load_path(out / "StreamFlow-AI-Case-Study-1.cboard") == load_path(EXAMPLE)
    assert "wrote" in capsys.readouterr().out


def test_a_non_empty_folder_is_refused_unless_forced(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    assert run(["export-all", str(EXAMPLE), "-o", str(tmp_path), "--no-animation", "--quiet"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_the_main_scenario_is_the_one_most_interventions_address(example_path):
    document = load_path(example_path)
    assert main_scenario(document).id == "peak"  # not the gateway burst, whose peak rate is higher


def _small() -> BoardDocument:
    return BoardDocument(
        nodes=(Node(id="u", label="Users", kind="users"), Node(id="s", label="Service")),
        edges=(Edge(id="e", source="u", target="s"),),
        scenarios=(SimScenario(id="calm", name="Calm", duration_s=5),
                   SimScenario(id="busy", name="Busy", duration_s=5,
                               traffic=TrafficProfile(base_rps=5, peak_rps=20))),
    )


def test_the_animation_is_of_the_busiest_scenario_and_cancelling_stops(tmp_path, qapp):
    document = _small()
    assert main_scenario(document).id == "busy"
    written = export_all(document, tmp_path / "all")
    assert "Untitled-board-busy.gif" in {w.path for w in written}
    assert (tmp_path / "all" / "Untitled-board-busy.gif").stat().st_size > 0
    seen: list[str] = []

    def stop_at_the_report(what: str, done: float) -> bool:
        seen.append(what)
        return not what.startswith("report")

    with pytest.raises(CancelledError):
        export_all(document, tmp_path / "cancelled", progress=stop_at_the_report)
    assert not (tmp_path / "cancelled" / MANIFEST).exists()
    assert seen[:2] == ["board", "handout PDF"]

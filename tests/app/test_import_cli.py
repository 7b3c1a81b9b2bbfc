"""``cascade-board import``: a corpus trace becomes a board that simulates; outputs are never overwritten
without --force, and a failed import leaves no file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import run
from models.fileformat import load_path
from tests.models.interop.helpers import CORPUS


def test_import_then_simulate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.cboard"
    assert run(["import", str(CORPUS / "jaeger-ui-genai-trace.jaeger.json"), "-o", str(out)]) == 0
    assert "11 nodes, 10 edges" in capsys.readouterr().out
    assert run(["simulate", str(out), "--scenario", "default", "--duration", "5", "--quiet"]) == 0
    assert run(["import", str(CORPUS / "zipkin-yelp.json"), "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert len(load_path(out).nodes) == 11
    assert run(["import", str(CORPUS / "zipkin-yelp.json"), "-o", str(out), "--force", "--rate", "3"]) == 0
    assert load_path(out).scenario("default").traffic.base_rps == 3.0
    assert (tmp_path / "t.cboard.bak").is_file()


def test_failed_import_leaves_no_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "empty.json"
    bad.write_text("", encoding="utf-8")
    out = tmp_path / "t.cboard"
    assert run(["import", str(bad), "-o", str(out)]) == 2
    assert "is empty" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [bad]


def test_merge_into_an_existing_board(tmp_path: Path) -> None:
    first = tmp_path / "compose.cboard"
    assert run(["import", str(CORPUS / "example-voting-app.docker-compose.yml"), "-o", str(first), "--quiet"]) == 0
    merged = tmp_path / "merged.cboard"
    assert run(["import", str(CORPUS / "spring-petclinic-microservices.docker-compose.yml"), "--merge", str(first),
                "-o", str(merged), "--quiet"]) == 0
    document = load_path(merged)
    # 6 + 11 services, no label in common; the first board's default scenario is kept, not doubled
    assert (len(document.nodes), len(document.edges)) == (17, 18)
    assert [s.id for s in document.scenarios] == ["default"]
    again = tmp_path / "again.cboard"
    assert run(["import", str(CORPUS / "example-voting-app.docker-compose.yml"), "--merge", str(first),
                "-o", str(again), "--quiet"]) == 0
    assert len(load_path(again).nodes) == 6  # the same labels: the same nodes

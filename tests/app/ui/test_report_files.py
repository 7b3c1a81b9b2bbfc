"""The written case study: Markdown that parses, pictures that exist, HTML
that is well-formed, self-contained and free of anything injected."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from app.ui.report_files import export_report, pictures_folder
from models.document import BoardDocument, Meta
from models.entities import Intervention, Node, Step
from tests.conftest import EXAMPLE

pytestmark = pytest.mark.gui  # pictures are drawn by the canvas, offscreen

WORD = "x" * 10_000
INJECTIONS = ("<script>alert(1)</script>", "[click](javascript:alert(1))", "<img src=x onerror=alert(1)>",
              "# not a heading", "| not | a | table |")
RTL = "שלום עולם مرحبا"
EMOJI = "🔥 hot path ✅"


@pytest.fixture(scope="module")
def streamflow_report(tmp_path_factory: pytest.TempPathFactory, qapp) -> tuple[Path, Path]:
    from models.fileformat import load_path

    folder = tmp_path_factory.mktemp("report")
    document = load_path(EXAMPLE)
    export_report(document, folder / "case study.md", date="2026-11-30")
    export_report(document, folder / "case study.html", date="2026-11-30")
    return folder / "case study.md", folder / "case study.html"


def _images(markdown: str) -> list[str]:
    found = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        for child in token.children or []:
            if child.type == "image":
                found.append(str(child.attrs["src"]))
    return found


def test_the_markdown_parses_and_its_pictures_exist(streamflow_report):
    md, _html = streamflow_report
    text = md.read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings[0] == "Executive summary"
    assert "1. P02: Stakeholder Mapping" in headings
    assert headings[-1] == "Appendix"
    assert sum(t.type == "table_open" for t in tokens) >= 8
    images = _images(text)
    assert len(images) == 11, "the board and one picture per step"
    for src in images:
        from urllib.parse import unquote

        picture = md.parent / unquote(src)
        assert picture.is_file(), src
        assert picture.parent == pictures_folder(md)
        ET.fromstring(picture.read_bytes())  # an SVG is XML


def test_the_html_is_well_formed_self_contained_and_scriptless(streamflow_report):
    _md, html = streamflow_report
    text = html.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.tag == "html"
    assert not list(root.iter("script"))
    assert "<script" not in text.lower()
    images = list(root.iter("img"))
    assert len(images) == 11
    assert all(img.get("src", "").startswith("data:image/svg+xml;base64,") for img in images)
    assert "prefers-color-scheme: dark" in text
    assert 'name="viewport"' in text
    assert "Add timeout and fallback for LLM Service" in "".join(root.itertext())


def test_user_text_is_printed_literally_never_as_markup(tmp_path, qapp):
    tricky = " ".join(INJECTIONS)
    document = BoardDocument(
        meta=Meta(title=f"{INJECTIONS[0]} {EMOJI}", problem=(tricky, RTL), goal=WORD),
        nodes=(Node(id="n", label=f"{INJECTIONS[2]} {RTL}", notes=tricky),),
        steps=(Step(id="s", code="P02", name=INJECTIONS[1], notes=f"{tricky}\n\n{WORD}"),),
        interventions=(Intervention(id="i", title=INJECTIONS[1], rank=1, tradeoff=EMOJI),),
    )
    md, html = tmp_path / "r.md", tmp_path / "r.html"
    export_report(document, md)
    export_report(document, html)
    tokens = MarkdownIt("commonmark").enable("table").parse(md.read_text(encoding="utf-8"))
    inline = [child for t in tokens for child in (t.children or [])]
    assert not [c for c in inline if c.type in ("html_inline", "link_open")]
    assert not [t for t in tokens if t.type == "html_block"]
    root = ET.fromstring(html.read_text(encoding="utf-8"))
    assert not list(root.iter("script"))
    assert not list(root.iter("a"))
    assert len(list(root.iter("img"))) == 2, "only our own pictures"
    shown = "".join(root.itertext())
    for piece in (*INJECTIONS[:3], RTL, EMOJI, WORD):
        assert piece in shown, piece[:40]


def test_an_empty_board_says_what_is_missing(tmp_path, qapp):
    md = tmp_path / "empty.md"
    export_report(BoardDocument(), md)
    text = md.read_text(encoding="utf-8")
    assert "No analysis steps are recorded" in text
    assert "No interventions are listed" in text
    assert "No simulation scenarios are defined" in text
    assert re.search(r"!\[", text) is None, "no picture of an empty board"


def test_the_cli_writes_a_report_and_refuses_other_suffixes(tmp_path, capsys):
    from app.cli import run

    assert run(["export-report", str(EXAMPLE), "-o", str(tmp_path / "out.txt")]) == 2
    assert "must end in .md or .html" in capsys.readouterr().err
    assert run(["export-report", str(EXAMPLE), "-o", str(tmp_path / "out.md")]) == 0
    assert (tmp_path / "out_files" / "board.svg").is_file()


def test_measured_results_come_as_svg_charts_beside_the_markdown_and_inlined_in_the_html(tmp_path, qapp):
    from models.entities import Measurement

    measured = Measurement(scenario="peak", seed=0, p99_before_ms=2400.0, p99_after_ms=600.0,
                           error_rate_before=0.05, error_rate_after=0.001)
    document = BoardDocument(
        meta=Meta(title="Measured"), nodes=(Node(id="n", label="Engine"),),
        interventions=(Intervention(id="a", title="Timeout", rank=1, measured=measured),
                       Intervention(id="b", title="Not measured", rank=2)),
    )
    md, html = tmp_path / "m.md", tmp_path / "m.html"
    written = export_report(document, md)
    export_report(document, html)
    text = md.read_text(encoding="utf-8")
    assert "### Measured results" in text
    charts = [src for src in _images(text) if "measured-" in src]
    assert charts == ["m_files/measured-p99.svg", "m_files/measured-errors.svg"]
    for src, title in zip(charts, ("p99 latency before and after (ms)", "Error rate before and after (%)"),
                          strict=True):
        svg = ET.fromstring((tmp_path / src).read_bytes())
        assert svg.tag.endswith("svg")
        assert title in "".join(svg.itertext())
        assert tmp_path / src in written
    root = ET.fromstring(html.read_text(encoding="utf-8"))
    images = list(root.iter("img"))
    assert len(images) == 3, "the board and the two charts"
    assert all(img.get("src", "").startswith("data:image/svg+xml;base64,") for img in images)
    assert not list(root.iter("script"))

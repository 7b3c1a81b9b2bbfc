"""User text is data: escaped, with emoji set in a fallback font."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.export import build_pdf
from app.export.fonts import SANS, SYMBOLS, markup, register_fonts, runs
from models.document import BoardDocument, Meta
from models.entities import Cascade, Finding, Intervention, Node, Stakeholder
from tests.app.export.conftest import pdf_text

TRICKY = "<b>A & B</b> → ✅"


def test_markup_escapes_and_marks_fallback_runs():
    text = markup(TRICKY)
    assert text.startswith("&lt;b&gt;A &amp; B&lt;/b&gt; → ")
    assert text.endswith(f'<font name="{SYMBOLS}">✅</font>'), "is fonts-symbola installed?"


def test_runs_keep_variation_selectors_with_their_character():
    pieces = list(runs("ok ⚠️ é"))
    assert "".join(chunk for _, chunk in pieces) == "ok ⚠️ é"
    assert pieces[0][0] == SANS


@pytest.fixture(scope="module")
def tricky_pdf() -> bytes:
    document = BoardDocument(
        meta=Meta(title=f"Board {TRICKY}", analyst="Zoë Ångström"),
        nodes=(Node(id="n1", label=TRICKY, health="red"), Node(id="n2", label="Café ⚠️", x=300)),
        stakeholders=(Stakeholder(id="s1", name=TRICKY, wants="<i>not italic</i>"),),
        findings=(Finding(id="f1", text=f"{TRICKY} &amp; more"),),
        interventions=(Intervention(id="i1", title=TRICKY, rank=1, targets=("n1",)),),
        cascades=(Cascade(id="c1", name=TRICKY, trigger=TRICKY, path=("n1", "n2")),),
    )
    return build_pdf(document).data


def test_tricky_label_prints_literally(tricky_pdf):
    text = pdf_text(tricky_pdf)
    assert TRICKY in text
    assert "&amp; more" in text
    assert "<i>not italic</i>" in text
    assert "Zoë Ångström" in text
    assert "Café ⚠" in text


def test_tricky_heading_is_literal_in_contents_and_outline(tricky_pdf):
    reader = PdfReader(io.BytesIO(tricky_pdf))
    assert TRICKY in reader.pages[1].extract_text()
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert any(entry.title == TRICKY for group in nested for entry in group)


def test_emoji_font_is_installed_and_embedded(tricky_pdf):
    assert register_fonts().symbols, "no emoji fallback font: install Symbola (Debian: fonts-symbola)"
    reader = PdfReader(io.BytesIO(tricky_pdf))
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("Symbola" in name for name in fonts), fonts

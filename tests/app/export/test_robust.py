"""Whatever the user typed, the export finishes and stays readable."""

from __future__ import annotations

from app.export import build_pdf
from models.document import BoardDocument, Meta
from models.entities import FailureMode, Loop, Node, Stakeholder
from tests.app.export.conftest import pdf_text

LONG = ("word " * 4000)[:20000]


def test_longest_texts_split_across_pages():
    document = BoardDocument(
        meta=Meta(title="T" * 500, summary=LONG),
        nodes=(Node(id="a", label="X" * 500, health="red", notes=LONG),),
        stakeholders=(Stakeholder(id="s", name="S", success=tuple(["s" * 500] * 8)),),
        failure_modes=(FailureMode(id="f", node="a", name="m", description="d"),),
        loops=(Loop(id="l", name="L" * 500, nodes=("a",)),),
    )
    handout = build_pdf(document)
    assert handout.page_count > 8
    assert "Analysis steps" in pdf_text(handout.data)

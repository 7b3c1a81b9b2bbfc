"""What the StreamFlow handout says: every section, in order, with its rows."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app import __version__
from app.desktop import APP_ID
from app.export import SECTION_TITLES


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_section_heading_is_printed(streamflow_pages):
    body = _flat("\n".join(streamflow_pages))
    for title in SECTION_TITLES:
        assert title in body, title
    assert "Contents" in streamflow_pages[2]


def test_summary_then_analysis_in_step_order_then_closing_then_appendix(streamflow_pages, streamflow):
    from app.export.handout import STEP_SECTIONS

    body = _flat("\n".join(streamflow_pages[3:]))
    analysis = [code for code in (s.code for s in streamflow.steps) if code in STEP_SECTIONS]
    assert len(analysis) == len(STEP_SECTIONS)
    titles = [builder_title for code in analysis for builder_title in _titles_of(code)]
    titles += ["Prioritised interventions", "Measured simulation results", "Meta-model reflection", "Appendix",
               "A. Model assumptions", "B. Scenarios", "C. Seeds", "D. Analysis steps"]
    positions = [body.index(title) for title in titles]
    assert positions == sorted(positions)


def _titles_of(code: str) -> list[str]:
    return {"SY01": ["System topology"], "P02": ["Stakeholders"], "DE07": ["Bottlenecks"],
            "DE06": ["Failure-mode matrix"], "DE08": ["Request flows"], "CO03": ["Pipeline stages"],
            "CO12": ["Queues and buffers"], "RE06": ["Feedback loops"], "SY04": ["Cascade scenarios"]}[code]


def test_the_first_two_pages_hold_the_nine_interventions_in_rank_order_and_the_key_findings(
        streamflow_pages, streamflow):
    summary = _flat("\n".join(streamflow_pages[:2]))
    ranked = sorted(streamflow.interventions, key=lambda i: i.rank)
    assert len(ranked) == 9
    positions = [summary.index(item.title) for item in ranked]
    assert positions == sorted(positions)
    for item in ranked:
        assert item.tradeoff in summary
    assert "Key findings" in summary
    for finding in streamflow.findings:
        assert finding.text in summary
    assert "9 prioritised interventions" in summary
    assert "What to do first" in summary
    for tier in ("High impact, low effort", "High impact, medium effort", "High impact, high effort"):
        assert tier in summary


def test_modelling_notes_appear_only_in_the_appendix(streamflow_pages, streamflow):
    body = _flat("\n".join(streamflow_pages))
    appendix = body.rindex("A. Model assumptions and calibration notes")
    for phrase in ("Calibrated: the threads are sized", "52 worker threads", "capped at 8 s", "answers 504"):
        first = body.find(phrase)
        assert first > appendix, phrase


def test_cover_names_title_system_and_analyst(streamflow_pages, streamflow):
    cover = _flat(streamflow_pages[0])
    assert streamflow.meta.title in cover
    assert streamflow.meta.system in cover
    assert streamflow.meta.analyst in cover


def test_interventions_are_listed_in_rank_order(streamflow_pages, streamflow):
    body = _flat("\n".join(streamflow_pages))
    start = body.rindex("Prioritised interventions")
    ranked = sorted(streamflow.interventions, key=lambda i: i.rank)
    assert len(ranked) == 9
    positions = [body.index(item.title, start) for item in ranked]
    assert positions == sorted(positions)


def test_stakeholders_and_cascades_are_all_there(streamflow_pages, streamflow):
    body = _flat("\n".join(streamflow_pages))
    assert len(streamflow.stakeholders) == 4
    for holder in streamflow.stakeholders:
        assert holder.name in body
    assert len(streamflow.cascades) == 3
    cascades = body[body.rindex("Cascade scenarios"):]
    for cascade in streamflow.cascades:
        assert cascade.name in cascades
        assert cascade.trigger in cascades


def test_flow_totals_and_failure_modes(streamflow_pages, streamflow):
    body = _flat("\n".join(streamflow_pages))
    assert "Happy path (cache hit) · 75 ms" in body
    assert "Cache-miss path · 835 ms" in body
    for mode in streamflow.failure_modes:
        assert mode.name in body


def test_steps_carry_their_timestamps(streamflow_pages, streamflow):
    steps = _flat("\n".join(streamflow_pages))
    steps = steps[steps.rindex("D. Analysis steps"):]
    for step in streamflow.steps:
        assert step.code in steps
        assert f"{step.segment_start}–{step.segment_end}" in steps


def test_pages_are_numbered_and_the_contents_has_page_numbers(streamflow_pages, streamflow_handout):
    total = streamflow_handout.page_count
    assert total == len(streamflow_pages)
    for number, text in enumerate(streamflow_pages[1:], start=2):
        assert f"Page {number} of {total}" in text
    contents = streamflow_pages[2]
    assert "Executive summary" in contents
    assert "D. Analysis steps" in contents
    assert len(re.findall(r"\. +\d+\n", contents)) >= len(SECTION_TITLES) - 1


def test_outline_and_metadata(streamflow_handout, streamflow):
    reader = PdfReader(io.BytesIO(streamflow_handout.data))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:3] == ["Executive summary", "What to do, in priority order", "Stakeholders"]
    assert "Prioritised interventions" in titles
    meta = reader.metadata
    assert meta.title == streamflow.meta.title
    assert meta.author == streamflow.meta.analyst
    assert meta.subject == streamflow.meta.system
    assert meta.creator == f"Cascade Board {__version__} ({APP_ID})"


def test_fonts_are_embedded(streamflow_handout):
    reader = PdfReader(io.BytesIO(streamflow_handout.data))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] != "/Type1", font["/BaseFont"]


def test_reflection_names_each_next_model_once(streamflow_pages, streamflow):
    body = _flat("\n".join(streamflow_pages))
    reflection = body[body.rindex("Meta-model reflection"):body.rindex("Appendix")]
    assert "Models to apply next" in reflection
    for item in streamflow.reflection.next_models:
        code = item.split()[0]
        assert reflection.count(f"{code} (") <= 1, code
    assert "Time saved" in body

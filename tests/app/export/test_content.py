"""What the StreamFlow handout says: every section, in order, with its rows."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app.export import SECTION_TITLES


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_section_heading_is_printed(streamflow_pages):
    body = _flat("\n".join(streamflow_pages[2:]))
    for title in SECTION_TITLES[1:]:
        assert title in body, title
    assert "Contents" in streamflow_pages[1]


def test_sections_follow_each_other_in_order(streamflow_pages):
    body = _flat("\n".join(streamflow_pages[2:]))
    positions = [body.index(title) for title in SECTION_TITLES[1:]]
    assert positions == sorted(positions)


def test_cover_names_title_system_and_analyst(streamflow_pages, streamflow):
    cover = streamflow_pages[0]
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
    steps = steps[steps.rindex("Analysis steps"):]
    for step in streamflow.steps:
        assert step.code in steps
        assert f"{step.segment_start}–{step.segment_end}" in steps


def test_pages_are_numbered_and_the_contents_has_page_numbers(streamflow_pages, streamflow_handout):
    total = streamflow_handout.page_count
    assert total == len(streamflow_pages)
    for number, text in enumerate(streamflow_pages[1:], start=2):
        assert f"Page {number} of {total}" in text
    contents = streamflow_pages[1]
    assert "Key findings" in contents
    assert "Analysis steps" in contents
    assert len(re.findall(r"\. +\d+\n", contents)) >= len(SECTION_TITLES) - 1


def test_outline_and_metadata(streamflow_handout, streamflow):
    reader = PdfReader(io.BytesIO(streamflow_handout.data))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:3] == ["Key findings", "System topology", "Stakeholders"]
    assert "Prioritised interventions" in titles
    meta = reader.metadata
    assert meta.title == streamflow.meta.title
    assert meta.author == streamflow.meta.analyst
    assert meta.subject == streamflow.meta.system
    assert meta.creator == "Cascade Board"


def test_fonts_are_embedded(streamflow_handout):
    reader = PdfReader(io.BytesIO(streamflow_handout.data))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] != "/Type1", font["/BaseFont"]


def test_reflection_lists_the_catalogs_next_models(streamflow_pages):
    body = _flat("\n".join(streamflow_pages))
    assert "What the catalog suggests next" in body
    assert "Time saved" in body

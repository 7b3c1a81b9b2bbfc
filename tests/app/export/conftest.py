"""Shared handouts: the StreamFlow PDF is built once per test session."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.export import Handout, build_pdf
from models.document import BoardDocument
from models.fileformat import load_path
from tests.conftest import EXAMPLE


@pytest.fixture(scope="session")
def streamflow() -> BoardDocument:
    return load_path(EXAMPLE)


@pytest.fixture(scope="session")
def streamflow_handout(streamflow: BoardDocument) -> Handout:
    return build_pdf(streamflow)


@pytest.fixture(scope="session")
def streamflow_pages(streamflow_handout: Handout) -> list[str]:
    reader = PdfReader(io.BytesIO(streamflow_handout.data))
    return [page.extract_text() for page in reader.pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

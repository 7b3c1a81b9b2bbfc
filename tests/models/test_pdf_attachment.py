"""A PDF's attached board is decoded inside the loader's limits: known filters, bounded size."""

from __future__ import annotations

import io
import json
import zlib

import pytest
from pypdf import PdfWriter
from pypdf.generic import NameObject

from models.errors import BoardLoadError
from models.fileformat import MAX_FILE_BYTES, load_bytes
from models.synthetic import board_data


def pdf_with(payload: bytes, encode=None) -> bytes:
    """A one-page PDF with ``payload`` attached as board.cboard; ``encode`` rewrites the stream."""
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_attachment("board.cboard", payload)
    if encode is not None:
        names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
        encode(names[1].get_object()["/EF"]["/F"].get_object())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw(stream, data: bytes, filters) -> None:
    stream._data = data  # crafting a hostile file byte by byte
    if filters is None:
        stream.pop(NameObject("/Filter"), None)
    else:
        stream[NameObject("/Filter")] = filters


def test_a_handout_pdf_loads_its_board():
    board = json.dumps(board_data("chain", 3)).encode()
    assert len(load_bytes(pdf_with(board), "h.pdf").nodes) == 4


def test_a_deflate_bomb_is_refused_by_its_decompressed_size():
    bomb = zlib.compress(b" " * (MAX_FILE_BYTES + 1024), 9)
    data = pdf_with(b"{}", lambda s: raw(s, bomb, NameObject("/FlateDecode")))
    assert len(data) < 100_000
    with pytest.raises(BoardLoadError, match="too large once decompressed"):
        load_bytes(data, "bomb.pdf")


@pytest.mark.parametrize("name", ["/LZWDecode", "/JBIG2Decode", "/NoSuchFilter"])
def test_an_unknown_filter_is_refused_unread(name):
    data = pdf_with(b"{}", lambda s: raw(s, b"\x00\x01garbage", NameObject(name)))
    with pytest.raises(BoardLoadError, match=f"encoded with {name}, which this program does not decode"):
        load_bytes(data, "odd.pdf")


def test_a_pdf_without_a_board_and_a_broken_pdf_are_messages():
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(BoardLoadError, match="without an attached board"):
        load_bytes(out.getvalue(), "plain.pdf")
    with pytest.raises(BoardLoadError, match="cannot be read"):
        load_bytes(b"%PDF-1.7\n" + b"\xff" * 200, "broken.pdf")

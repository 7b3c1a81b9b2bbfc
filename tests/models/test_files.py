"""Files people can share: the umask's mode for new files, the old mode kept
on overwrite, and the export date from SOURCE_DATE_EPOCH."""

from __future__ import annotations

import datetime
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.document import BoardDocument, Meta
from models.fileformat import save_path, write_atomically
from models.files import current_umask, export_date, shared_mode


@pytest.fixture
def umask() -> Iterator[object]:
    saved = os.umask(0o022)
    os.umask(saved)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(saved)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_board_gets_the_umask_mode(tmp_path, umask, mask, expected):
    umask(mask)
    assert current_umask() == mask
    path = tmp_path / "board.cboard"
    save_path(BoardDocument(meta=Meta(title="Shared")), path)
    assert mode_of(path) == expected


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_overwriting_keeps_the_existing_mode_and_the_backup_too(tmp_path, umask, mask):
    umask(mask)
    path = tmp_path / "board.cboard"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o664)
    save_path(BoardDocument(), path)
    assert mode_of(path) == 0o664
    assert mode_of(path.with_name("board.cboard.bak")) == 0o664


def test_any_atomic_write_follows_the_umask(tmp_path, umask):
    umask(0o002)
    target = tmp_path / "handout.pdf"
    write_atomically(b"%PDF-1.4\n", target)
    assert mode_of(target) == 0o664
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file is left"


def test_shared_mode_of_a_folder_is_the_umask_one(tmp_path, umask):
    umask(0o022)
    assert shared_mode(tmp_path) == 0o644


def test_export_date_prefers_the_given_iso_date_then_source_date_epoch():
    env = {"SOURCE_DATE_EPOCH": "1764547200"}  # 2025-12-01T00:00:00Z
    assert export_date("2026-11-27", env) == datetime.date(2026, 11, 27)
    assert export_date("27 November 2026", env) == datetime.date(2025, 12, 1)
    assert export_date(None, env) == datetime.date(2025, 12, 1)
    assert export_date(None, {}) == datetime.datetime.now(tz=datetime.UTC).date()


def test_a_malformed_source_date_epoch_is_named():
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        export_date(None, {"SOURCE_DATE_EPOCH": "yesterday"})

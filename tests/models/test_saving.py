"""Saving writes through symbolic links, keeps permissions and cleans up after interrupted saves."""

from __future__ import annotations

import os
import stat
import time

import pytest

from models.document import BoardDocument, Meta
from models.fileformat import clean_stale_temps, load_path, save_path


def doc(title: str) -> BoardDocument:
    return BoardDocument(meta=Meta(title=title))


def test_saving_through_a_symlink_updates_the_real_file_and_keeps_the_link(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "board.cboard"
    save_path(doc("first"), real)
    link = tmp_path / "link.cboard"
    link.symlink_to(real)
    save_path(doc("second"), link)
    assert link.is_symlink()
    assert load_path(real).meta.title == "second"
    assert load_path(real_dir / "board.cboard.bak").meta.title == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.cboard", "real"]


def test_saving_keeps_the_mode_and_new_files_follow_the_umask(tmp_path):
    target = tmp_path / "board.cboard"
    old = os.umask(0o027)
    try:
        save_path(doc("new"), target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    target.chmod(0o604)
    save_path(doc("again"), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o604


def test_stale_temporary_files_are_removed_by_the_next_save(tmp_path):
    target = tmp_path / "board.cboard"
    stale = tmp_path / ".board.cboard.abc123.tmp"
    fresh = tmp_path / ".board.cboard.def456.tmp"
    other = tmp_path / ".other.cboard.abc123.tmp"
    for leftover in (stale, fresh, other):
        leftover.write_bytes(b"half a board")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    save_path(doc("saved"), target)
    assert not stale.exists()
    assert fresh.exists()  # maybe a save going on right now
    assert other.exists()  # another file's
    assert clean_stale_temps(tmp_path / "other.cboard") == [other]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and modes as POSIX has them")
def test_a_dangling_symlink_is_written_through_to_its_target(tmp_path):
    link = tmp_path / "link.cboard"
    link.symlink_to(tmp_path / "made.cboard")
    save_path(doc("made"), link)
    assert link.is_symlink()
    assert load_path(tmp_path / "made.cboard").meta.title == "made"


def test_saving_a_hard_linked_file_keeps_every_link_on_the_new_board(tmp_path):
    board = tmp_path / "board.cboard"
    save_path(doc("first, a longer title than the next"), board)
    other = tmp_path / "elsewhere.cboard"
    os.link(board, other)
    inode = board.stat().st_ino
    save_path(doc("second"), other)
    assert board.stat().st_ino == other.stat().st_ino == inode
    assert board.stat().st_nlink == 2
    assert load_path(board).meta.title == load_path(other).meta.title == "second"  # shorter: truncated
    assert load_path(tmp_path / "elsewhere.cboard.bak").meta.title == "first, a longer title than the next"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board.cboard", "elsewhere.cboard",
                                                          "elsewhere.cboard.bak"]

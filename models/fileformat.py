"""The ``.cboard`` file format: versioned JSON in UTF-8.

Loading never executes anything: bytes are size-checked, decoded as UTF-8,
parsed by the standard JSON parser (no NaN, no duplicate keys), migrated to
the current ``format_version``, validated by the pydantic models and checked
for dangling references. Every problem is reported with its place. Saving is
atomic: a temporary file beside the target is written, flushed and renamed
over it, and the previous version is kept as ``<file>.bak``.

A PDF handout written by this program carries its board as an attachment;
loading such a PDF loads that board.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.board import Board
from models.document import FORMAT_VERSION, BoardDocument
from models.errors import BoardError, BoardLoadError
from models.files import apply_shared_mode
from models.migrations import migrate_1_to_2
from models.validation import describe_errors

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Boards larger than this are refused before they are parsed."""

MAX_PDF_BYTES = 256 * 1024 * 1024
PDF_ATTACHMENT_NAME = "board.cboard"
SUFFIX = ".cboard"

Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {1: migrate_1_to_2}
"""``MIGRATIONS[n]`` turns a format-``n`` document into format ``n + 1``
(each step is a self-contained function in ``models.migrations``); a change
to the format adds one here and raises ``FORMAT_VERSION``.
"""


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(data: bytes, source: str) -> Any:
    """Decode and parse board bytes, or raise ``BoardLoadError``."""
    if b"\x00" in data[:8192]:
        raise BoardLoadError(source, ["is not a board file: it holds binary data, not JSON text"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BoardLoadError(source, [f"is not UTF-8 text (bad byte at offset {error.start})"]) from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        raise BoardLoadError(
            source, [f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]
        ) from None
    except _DuplicateKeyError as error:
        raise BoardLoadError(source, [f"is not valid: the key {str(error)!r} appears twice in one object"]) from None
    except RecursionError:
        raise BoardLoadError(source, ["is not valid: the JSON is nested too deeply"]) from None
    except ValueError as error:
        raise BoardLoadError(source, [f"is not valid JSON: {error}"]) from None


def migrate(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Bring a parsed document to ``FORMAT_VERSION``."""
    version = data.get("format_version")
    if version is None:
        raise BoardLoadError(source, ["format_version: is required (is this a Cascade Board file?)"])
    if not isinstance(version, int) or isinstance(version, bool):
        raise BoardLoadError(source, ["format_version: must be a whole number"])
    if version > FORMAT_VERSION:
        raise BoardLoadError(
            source,
            [f"format_version: {version} is newer than this program reads ({FORMAT_VERSION}); "
             "update Cascade Board to open it"],
        )
    while version < FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise BoardLoadError(source, [f"format_version: {version} is not a format this program knows"])
        data = step(dict(data))
        version += 1
        data["format_version"] = version
    return data


def document_from_data(data: Any, source: str = "board") -> BoardDocument:
    """Validate parsed JSON as a board document, with every problem named."""
    if not isinstance(data, dict):
        raise BoardLoadError(source, ["is not a board: the top level must be a JSON object"])
    data = migrate(data, source)
    try:
        document = BoardDocument.model_validate(data)
    except ValidationError as error:
        raise BoardLoadError(source, describe_errors(error)) from None
    try:
        board = Board(document)
    except BoardError as error:
        raise BoardLoadError(source, [str(error)]) from None
    problems = board.check()
    if problems:
        raise BoardLoadError(source, problems)
    return document


def load_bytes(data: bytes, source: str = "board") -> BoardDocument:
    """Load a board from the bytes of a ``.cboard`` file or of one of our PDFs."""
    if data.startswith(b"%PDF-"):
        data = board_bytes_from_pdf(data, source)
    if len(data) > MAX_FILE_BYTES:
        raise BoardLoadError(source, [f"is too large ({len(data)} bytes; the limit is {MAX_FILE_BYTES})"])
    return document_from_data(parse_json(data, source), source)


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a file, refusing more than ``limit`` before reading them all."""
    source = str(path)
    try:
        if not path.is_file():
            raise BoardLoadError(source, ["does not exist or is not a file"])
        size = path.stat().st_size
        if size > limit:
            raise BoardLoadError(source, [f"is too large ({size} bytes; the limit is {limit})"])
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise BoardLoadError(source, [f"cannot be read: {error.strerror or error}"]) from None
    if len(data) > limit:
        raise BoardLoadError(source, [f"is too large (more than {limit} bytes)"])
    return data


def load_path(path: str | os.PathLike[str]) -> BoardDocument:
    """Load a board file (``.cboard``, or a PDF handout carrying one)."""
    path = Path(path)
    limit = MAX_PDF_BYTES if path.suffix.lower() == ".pdf" else MAX_FILE_BYTES
    return load_bytes(read_limited(path, limit), str(path))


def load_board(path: str | os.PathLike[str]) -> Board:
    return Board(load_path(path))


def board_bytes_from_pdf(data: bytes, source: str) -> bytes:
    """The board attached to a PDF handout."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        attachments = reader.attachments
    except Exception as error:  # pypdf raises many kinds on broken PDFs
        raise BoardLoadError(source, [f"is a PDF that cannot be read: {error}"]) from None
    payload = attachments.get(PDF_ATTACHMENT_NAME)
    if not payload:
        raise BoardLoadError(source, ["is a PDF without an attached board (was it written by Cascade Board?)"])
    return payload[0]


def dumps(document: BoardDocument) -> str:
    """The document as ``.cboard`` text: indented JSON, UTF-8, newline at the end."""
    data = document.model_dump(mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def save_path(document: BoardDocument, path: str | os.PathLike[str], backup: bool = True) -> None:
    """Write a board atomically; keep the previous file as ``<file>.bak``."""
    write_atomically(dumps(document).encode("utf-8"), Path(path), backup)


def write_atomically(data: bytes, path: Path, backup: bool = False) -> None:
    """Write ``data`` through a flushed temporary file renamed over ``path``,
    so ``path`` is always the old file or the new one, never half of one.
    It gets the mode of the file it replaces, or the umask's (``models.files``).
    With ``backup``, the previous file is kept as ``<file>.bak``."""
    directory = path.parent if str(path.parent) else Path(".")
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, removed on failure
        "wb", dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        apply_shared_mode(handle.name, path)
        if backup and path.is_file():
            backup_tmp = directory / f".{path.name}.bak.tmp"
            shutil.copy2(path, backup_tmp)
            os.replace(backup_tmp, path.with_name(path.name + ".bak"))
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the current format, generated from the models."""
    schema = BoardDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://cascade-board.invalid/schema/cboard-v{FORMAT_VERSION}.json"
    schema["title"] = f"Cascade Board document (.cboard), format {FORMAT_VERSION}"
    return schema

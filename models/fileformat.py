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

import glob
import io
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.board import Board
from models.document import COLLECTIONS, FORMAT_VERSION, MAX_ITEMS, BoardDocument
from models.errors import BoardError, BoardLoadError
from models.files import shared_mode
from models.migrations import migrate_1_to_2
from models.validation import describe_errors, key_step

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


MAX_VALUES = 2_000_000
"""The most JSON values (objects, lists, numbers, strings...) one board may hold.

A board this program writes at the 32 MiB size limit holds about 1.3 million;
each value costs a few hundred bytes once validated, so this bounds a load's
memory at roughly a gigabyte whatever the file holds, and it is checked
before anything is built."""

MAX_DEPTH = 64
"""The deepest nesting of objects and lists a board may have (ours need about 8)."""

MAX_NUMBER_DIGITS = 300
"""Longer integers are refused by name (Python refuses more than 4,300 digits, slowly)."""

MAX_PROBLEMS_PER_KIND = 20
"""Each kind of JSON problem is listed this many times at most, then counted."""

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


class _Constant:
    """Where the file wrote NaN, Infinity or -Infinity (JSON has no such numbers)."""

    def __init__(self, name: str) -> None:
        self.name = name


class _HugeNumber:
    """Where the file wrote an integer with more than ``MAX_NUMBER_DIGITS`` digits."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


class _Duplicated(dict[str, Any]):
    """An object in which a key appears more than once (the first value is kept)."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    duplicates = []
    for key, value in pairs:
        if key in result:
            duplicates.append(key)
        else:
            result[key] = value
    if not duplicates:
        return result
    marked = _Duplicated(result)
    marked.duplicates = duplicates
    return marked


def _integer(text: str) -> int | _HugeNumber:
    digits = len(text) - text.startswith("-")
    return _HugeNumber(digits) if digits > MAX_NUMBER_DIGITS else int(text)


def count_values(data: bytes) -> int:
    """How many JSON values ``data`` holds at most, counted on the bytes before parsing.

    Every value but the first of a list or object follows a comma, and every
    list and object opens with a bracket; commas and brackets inside strings
    are left out when the quick count is high enough to matter.
    """
    quick = data.count(b",") + data.count(b"[") + data.count(b"{") + 1
    if quick <= MAX_VALUES:
        return quick
    bare = _STRING.sub(b'""', data)
    return bare.count(b",") + bare.count(b"[") + bare.count(b"{") + 1


def _nesting_place(text: str, limit: int) -> str:
    """Line and column where nesting first goes deeper than ``limit``."""
    depth = 0
    bare = _STRING.sub(lambda m: b"_" * len(m.group()), text.encode("utf-8")).decode("utf-8", "replace")
    for offset, char in enumerate(bare):
        if char in "[{":
            depth += 1
            if depth > limit:
                line = bare.count("\n", 0, offset) + 1
                column = offset - (bare.rfind("\n", 0, offset) + 1) + 1
                return f"line {line}, column {column}"
        elif char in "]}":
            depth -= 1
    return "the end of the file"


_PAIR = re.compile(rb"\[\]|\{\}")
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_ALL_BUT_BRACKETS_AND_QUOTES = bytes(b for b in range(256) if b not in b'[]{}"')
_DIGITS_AS_ONES = bytes(ord("1") if b in b"0123456789" else ord("0") for b in range(256))
_LONG_DIGITS = b"1" * (MAX_NUMBER_DIGITS + 1)


def has_long_digits(data: bytes) -> bool:
    """Whether ``data`` has a run of more than ``MAX_NUMBER_DIGITS`` digits (in C, one pass)."""
    return _LONG_DIGITS in data.translate(_DIGITS_AS_ONES)


def nesting_deeper_than(data: bytes, limit: int) -> bool:
    """Whether JSON ``data`` (text the parser accepted) nests lists and objects
    more than ``limit`` deep, found on the bytes in C: escape sequences are
    dropped, so quotes alternate opening and closing a string; what lies
    between them is dropped, and each pass removes the innermost pairs of
    the brackets left."""
    quotes_and_brackets = _ESCAPE.sub(b"", data).translate(None, _ALL_BUT_BRACKETS_AND_QUOTES)
    brackets = b"".join(quotes_and_brackets.split(b'"')[::2])
    for _ in range(limit):
        if not brackets:
            return False
        brackets = _PAIR.sub(b"", brackets)
    return bool(brackets)


def _path(link: tuple[Any, ...] | None) -> str:
    """The place of a value from its chain of ``(parent link, key or index)``."""
    parts: list[str | int] = []
    while link is not None:
        link, step = link
        parts.append(step)
    text = ""
    for step in reversed(parts):
        text += f"[{step}]" if isinstance(step, int) else key_step(step, first=not text)
    return text or "(the document)"


def json_problems(value: Any, max_depth: int = MAX_DEPTH) -> list[str]:
    """Every place where parsed JSON is not something a board can be: NaN or
    Infinity, a huge integer, a key written twice, nesting deeper than
    ``max_depth``. Iterative and linear; a place is spelled out only for a problem."""
    found: dict[str, list[str]] = {}
    stack: list[tuple[Any, tuple[Any, ...] | None, int]] = [(value, None, 0)]
    while stack:
        item, link, depth = stack.pop()
        if depth > max_depth:
            here = _path(link)
            shown = here if len(here) <= 160 else f"{here[:100]}…{here[-40:]}"
            found.setdefault("depth", []).append(f"{shown}: is nested more than {max_depth} levels deep")
        elif isinstance(item, _Constant):
            found.setdefault("constant", []).append(
                f"{_path(link)}: {item.name} is not a number JSON allows (write a finite number)")
        elif isinstance(item, _HugeNumber):
            found.setdefault("huge", []).append(
                f"{_path(link)}: is an integer of {item.digits} digits (at most {MAX_NUMBER_DIGITS})")
        elif isinstance(item, dict):
            for key in getattr(item, "duplicates", ()):
                found.setdefault("duplicate", []).append(f"{_path(link)}: the key {key!r} appears twice in this object")
            stack.extend((child, (link, key), depth + 1) for key, child in item.items()
                         if isinstance(child, (dict, list, _Constant, _HugeNumber)))
        elif isinstance(item, list):
            stack.extend((child, (link, i), depth + 1) for i, child in enumerate(item)
                         if isinstance(child, (dict, list, _Constant, _HugeNumber)))
    problems = []
    for messages in found.values():
        problems += messages[:MAX_PROBLEMS_PER_KIND]
        if len(messages) > MAX_PROBLEMS_PER_KIND:
            problems.append(f"... and {len(messages) - MAX_PROBLEMS_PER_KIND} more like these")
    return problems


def parse_json(data: bytes, source: str) -> Any:
    """Decode and parse board bytes, or raise ``BoardLoadError`` naming each bad place."""
    if b"\x00" in data[:8192]:
        raise BoardLoadError(source, ["is not a board file: it holds binary data, not JSON text"])
    values = count_values(data)
    if values > MAX_VALUES:
        raise BoardLoadError(source, [f"holds about {values} values, more than a board may ({MAX_VALUES}); "
                                      "it was not read further"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BoardLoadError(source, [f"is not UTF-8 text (bad byte at offset {error.start})"]) from None
    marked: list[object] = []

    def constant(name: str) -> _Constant:
        marked.append(name)
        return _Constant(name)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = _object(items)
        if type(result) is _Duplicated:
            marked.append(result)
        return result

    hooks: dict[str, Any] = {"object_pairs_hook": pairs, "parse_constant": constant}
    if has_long_digits(data):  # only then is every integer looked at in Python
        hooks["parse_int"] = _integer
        marked.append("long digits")
    try:
        parsed = json.loads(text, **hooks)
    except json.JSONDecodeError as error:
        raise BoardLoadError(
            source, [f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]
        ) from None
    except RecursionError:
        raise BoardLoadError(
            source, [f"{_nesting_place(text, MAX_DEPTH)}: is nested more than {MAX_DEPTH} levels deep"]
        ) from None
    except ValueError as error:
        raise BoardLoadError(source, [f"is not valid JSON: {error}"]) from None
    if marked or nesting_deeper_than(data, MAX_DEPTH):
        problems = json_problems(parsed)
        if problems:
            raise BoardLoadError(source, problems)
    return parsed


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
    oversized = [
        f"{name}: has {len(items)} entries (at most {MAX_ITEMS})"
        for name in COLLECTIONS
        if isinstance(items := data.get(name), list) and len(items) > MAX_ITEMS
    ]
    if oversized:
        raise BoardLoadError(source, oversized)
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


PDF_FILTERS = ("/FlateDecode",)
"""The only encoding our handouts use for the attached board; anything else is refused unread."""

MAX_PDF_NAME_NODES = 10_000
"""The most nodes of a PDF's attachment name tree that are looked at."""


def board_bytes_from_pdf(data: bytes, source: str) -> bytes:
    """The board attached to a PDF handout, decoded within the loader's own
    limits: only the filters in ``PDF_FILTERS``, and never more than
    ``MAX_FILE_BYTES`` after decompression."""
    from pypdf import PdfReader, apply_configuration

    try:
        with apply_configuration(zlib_maximum_output_length=MAX_FILE_BYTES + 1):
            stream = _attached_stream(PdfReader(io.BytesIO(data)))
            if stream is None:
                raise BoardLoadError(
                    source, ["is a PDF without an attached board (was it written by Cascade Board?)"]
                )
            unknown = _unknown_filters(stream)
            if unknown:
                raise BoardLoadError(
                    source, [f"is a PDF whose attached board is encoded with {unknown}, which this program "
                             "does not decode (Cascade Board writes FlateDecode only)"]
                )
            payload: bytes = stream.get_data()
    except BoardLoadError:
        raise
    except Exception as error:  # pypdf raises many kinds on broken PDFs, LimitReachedError on bombs
        name = type(error).__name__
        if name == "LimitReachedError":
            raise BoardLoadError(
                source, [f"is a PDF whose attached board is too large once decompressed (the limit is "
                         f"{MAX_FILE_BYTES} bytes)"]
            ) from None
        raise BoardLoadError(source, [f"is a PDF that cannot be read: {error or name}"]) from None
    if len(payload) > MAX_FILE_BYTES:
        raise BoardLoadError(source, [f"is a PDF whose attached board is too large ({len(payload)} bytes; "
                                      f"the limit is {MAX_FILE_BYTES})"])
    return payload


def _attached_stream(reader: Any) -> Any:
    """The stream of the ``board.cboard`` attachment, found by walking the
    embedded-files name tree without recursion (at most ``MAX_PDF_NAME_NODES``)."""
    names = reader.trailer["/Root"].get_object().get("/Names")
    tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
    pending = [tree] if tree is not None else []
    visited = 0
    while pending and visited < MAX_PDF_NAME_NODES:
        node = pending.pop().get_object()
        visited += 1
        pending.extend(node.get("/Kids", ()))
        pairs = list(node.get("/Names", ()))
        for name, spec in zip(pairs[::2], pairs[1::2], strict=False):
            if str(name.get_object()) == PDF_ATTACHMENT_NAME:
                embedded = spec.get_object().get("/EF")
                if embedded is not None and "/F" in embedded:
                    return embedded.get_object()["/F"].get_object()
    return None


def _unknown_filters(stream: Any) -> str:
    """The stream's filters we do not decode (parameters count as unknown), as text; empty when fine."""
    filters = stream.get("/Filter")
    listed = [] if filters is None else [filters] if not isinstance(filters, list) else list(filters)
    unknown = [str(f.get_object()) for f in listed if str(f.get_object()) not in PDF_FILTERS]
    if stream.get("/DecodeParms") is not None:
        unknown.append("/DecodeParms")
    return ", ".join(unknown)


def dumps(document: BoardDocument) -> str:
    """The document as ``.cboard`` text: indented JSON, UTF-8, newline at the end."""
    data = document.model_dump(mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def save_path(document: BoardDocument, path: str | os.PathLike[str], backup: bool = True) -> None:
    """Write a board atomically; keep the previous file as ``<file>.bak``."""
    write_atomically(dumps(document).encode("utf-8"), Path(path), backup)


STALE_TEMP_S = 60.0
"""A temporary file of an interrupted save older than this is removed by the next save (or at start)."""


def write_atomically(data: bytes, path: Path, backup: bool = False) -> None:
    """Write ``data`` through a flushed temporary file renamed over ``path``,
    so ``path`` is always the old file or the new one, never half of one.
    With ``backup``, the previous file is kept as ``<file>.bak``.

    Like Qt's ``QSaveFile``, a symbolic link is written through: the real
    file is replaced and the link stays. The file keeps its permissions; a
    new file gets the ones the umask gives (0644 under the usual 022), not
    the temporary file's 0600 (``models.files``). Temporary files left by interrupted saves of
    this file are removed first.

    A file with other hard links is rewritten in place once the temporary
    file holds the whole new content, so every link sees the new board (a
    rename would leave the other links on the old one); the temporary file
    stays until that write is done, so an interruption loses nothing.
    """
    path = Path(os.path.realpath(path))
    directory = path.parent
    clean_stale_temps(path)
    mode = shared_mode(path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, removed on failure
        "wb", dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            os.chmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if backup and path.is_file():
            backup_tmp = directory / f".{path.name}.bak.tmp"
            shutil.copy2(path, backup_tmp)
            os.replace(backup_tmp, path.with_name(path.name + ".bak"))
        if _hard_linked(path):
            _write_in_place(data, path)
            Path(handle.name).unlink()
        else:
            os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    _fsync_directory(directory)


def _hard_linked(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_nlink > 1
    except OSError:
        return False


def _write_in_place(data: bytes, path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def clean_stale_temps(path: str | os.PathLike[str], older_than_s: float = STALE_TEMP_S) -> list[Path]:
    """Remove the temporary files interrupted saves of ``path`` left beside it
    (older than ``older_than_s``, so a save going on elsewhere is left alone)."""
    target = Path(os.path.realpath(path))
    removed: list[Path] = []
    now = time.time()
    try:
        leftovers = list(target.parent.glob(f".{glob.escape(target.name)}.*.tmp"))
    except OSError:
        return removed
    for leftover in leftovers:
        try:
            if now - leftover.lstat().st_mtime > older_than_s and leftover.is_file():
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue
    return removed


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

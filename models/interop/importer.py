"""Import files into a board: guess each file's format from its content (or take
the one forced), read it, merge everything into one board (docs/INTEROP.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.board import Board
from models.document import BoardDocument
from models.errors import BoardError
from models.interop import traces
from models.interop.build import merge, to_document
from models.interop.common import GraphSpec, InteropError, decode_text, read_source

TRACE_FORMATS = {"jaeger": traces.JAEGER, "zipkin": traces.ZIPKIN, "otlp": traces.OTLP}

Reader = Callable[[str, str], GraphSpec]
"""(text, source) → graph, for the formats that are not traces."""
READERS: dict[str, Reader] = {}
"""Format name → reader; each module registers itself in ``_readers``."""
SNIFFERS: list[Callable[[str, Any], str | None]] = []


@dataclass(frozen=True)
class ImportResult:
    document: BoardDocument
    notices: tuple[str, ...]
    formats: tuple[str, ...]


def formats() -> list[str]:
    """Every format name ``--format`` accepts."""
    _readers()
    return sorted([*TRACE_FORMATS, *READERS])


def _readers() -> None:
    """Register the diagram and deployment readers (imported lazily, once)."""
    if READERS:
        return
    from models.interop import readers

    READERS.update(readers.READERS)
    SNIFFERS.extend(readers.SNIFFERS)


def _parsed_json(text: str) -> Any:
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None


def guess(text: str, source: str, data: Any = None) -> str:
    """The format of a file from its content (the name's suffix only breaks ties); ``data``: the text
    already parsed as JSON, if it is JSON."""
    _readers()
    data = data if data is not None else _parsed_json(text)
    if data is not None:
        fmt = traces.detect(data)
        if fmt is not None:
            return next(k for k, v in TRACE_FORMATS.items() if v == fmt)
    for sniff in SNIFFERS:
        found = sniff(text, data)
        if found:
            return found
    suffix = Path(source).suffix.lower()
    hint = {".drawio": "drawio", ".mmd": "mermaid", ".dot": "dot", ".gv": "dot", ".graphml": "graphml"}.get(suffix)
    if hint and hint in READERS:
        return hint
    if data is None and text.lstrip().startswith(("{", "[")):
        traces.load_json(text.encode("utf-8"), source)  # raises with the line and column
    if data is not None:
        raise InteropError("JSON", source, "is JSON, but neither Jaeger, Zipkin v2, OTLP nor Kiali graph JSON")
    raise InteropError("any known", source, "the format could not be recognised; pass --format "
                       f"({', '.join(formats())})")


def import_paths(
    paths: Sequence[str | Path], fmt: str | None = None, rate_rps: float | None = None,
    into: BoardDocument | None = None,
) -> ImportResult:
    """Read every file and build one board (added to ``into`` when merging)."""
    if not paths:
        raise InteropError("any", "import", "no files given")
    _readers()
    if fmt is not None and fmt not in TRACE_FORMATS and fmt not in READERS:
        raise InteropError(fmt, "import", f"unknown format; known: {', '.join(formats())}")
    spans: list[traces.Span] = []
    trace_sources: list[str] = []
    specs: list[GraphSpec] = []
    used: list[str] = []
    for path in paths:
        source = str(path)
        data = read_source(Path(path), fmt or "input")
        text = decode_text(data, fmt or "input", source)
        if not text.strip():
            raise InteropError(fmt or "input", source, "is empty")
        parsed = _parsed_json(text) if fmt is None or fmt in TRACE_FORMATS else None
        chosen = fmt or guess(text, source, parsed)
        used.append(chosen)
        if chosen in TRACE_FORMATS:
            name = TRACE_FORMATS[chosen]
            parsed = parsed if parsed is not None else traces.load_json(data, source)
            if traces.detect(parsed) not in (None, name):
                raise InteropError(name, source, f"looks like {traces.detect(parsed)}, not {name}")
            spans.extend(traces.parse(parsed, name, source))
            trace_sources.append(Path(source).name)
        else:
            specs.append(READERS[chosen](text, source))
    if spans:
        specs.insert(0, traces.analyse(spans, ", ".join(trace_sources), rate_rps))
    spec = merge(specs)
    try:
        document, notices = to_document(spec, rate_rps, into)
        Board(document)
    except (BoardError, ValueError) as error:
        raise InteropError(spec.fmt, spec.title, f"the board built from it is not valid: {error}") from None
    return ImportResult(document, tuple(notices), tuple(dict.fromkeys(used)))

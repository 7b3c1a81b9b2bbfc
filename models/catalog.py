"""The HUMMBL model catalog: what each mental model asks and where its answers go.

The shipped catalog (``resources/catalog/hummbl.json``) holds the models the
case study uses. Each model names the board section it fills, the canvas
layers that show it, and the models that naturally follow it ("next"), which
the step navigator and the SY19 reflection use to suggest what comes next.
Users can add or override models with their own JSON files of the same shape.
"""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationError

from models.document import LAYER_NAMES, Layers
from models.kinds import LayerName, Section
from models.params import Frozen, ShortText
from models.validation import describe_errors


def _shipped_catalog() -> Path:
    """``resources/`` beside ``models/`` (a checkout, the bundle), else the installed ``cascade_board``
    package (a wheel): the rule of ``app/resources.py``, which this Qt-free module cannot import."""
    beside = Path(__file__).resolve().parent.parent / "resources" / "catalog" / "hummbl.json"
    if beside.is_file():
        return beside
    try:
        return Path(str(importlib.resources.files("cascade_board"))) / "catalog" / "hummbl.json"
    except ModuleNotFoundError:
        return beside  # loading it then names the missing file


CATALOG_PATH = _shipped_catalog()
"""The catalog shipped with the program."""

MAX_CATALOG_BYTES = 2_000_000
"""A catalog file larger than this is refused before it is parsed."""

SECTIONS: tuple[Section, ...] = tuple(Section)

SECTION_TITLES: dict[Section, str] = {
    Section.STAKEHOLDERS: "Stakeholders & success criteria",
    Section.BOTTLENECKS: "Bottlenecks",
    Section.FAILURE_MODES: "Failure-mode matrix",
    Section.FLOWS: "Flows",
    Section.STAGES: "Pipeline stages",
    Section.QUEUES: "Queues & buffers",
    Section.LOOPS: "Feedback loops",
    Section.CASCADES: "Cascade scenarios",
    Section.TOPOLOGY: "Topology",
    Section.REFLECTION: "Meta reflection",
    Section.INTERVENTIONS: "Interventions",
    Section.NOTES: "Notes",
}
"""How each board section is called in the program and the handout."""

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,3}\d{2}$")]


class CatalogModel(Frozen):
    """One mental model: its code, name, guiding question, section, layers, successors."""

    code: Code
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    question: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    section: Section = Section.NOTES
    layers: tuple[LayerName, ...] = ()
    next: tuple[Code, ...] = ()
    description: ShortText = ""

    def layer_settings(self) -> dict[str, bool]:
        """Every canvas layer, on when this model shows it (for ``set_layers``)."""
        return {name: name in self.layers for name in LAYER_NAMES}

    @property
    def section_title(self) -> str:
        return SECTION_TITLES[self.section]


class CatalogFile(Frozen):
    """What a catalog JSON file holds."""

    catalog_version: Literal[1] = 1
    name: ShortText = ""
    models: tuple[CatalogModel, ...] = Field(default=(), max_length=10_000)


class CatalogError(ValueError):
    """A catalog file that cannot be used; ``problems`` name the place and reason."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems) or ["unknown problem"]
        super().__init__(f"{source}: " + "; ".join(self.problems))


@dataclass
class Catalog:
    """The merged catalog: models by code in file order, and notes on overrides."""

    models: dict[str, CatalogModel] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[CatalogModel]:
        return iter(self.models.values())

    def __len__(self) -> int:
        return len(self.models)

    def __contains__(self, code: object) -> bool:
        return code in self.models

    def get(self, code: str) -> CatalogModel | None:
        return self.models.get(code)

    def codes(self) -> list[str]:
        return list(self.models)

    def layers_for(self, code: str) -> Layers | None:
        """The canvas layers a model shows, or None for a model not in the catalog."""
        model = self.models.get(code)
        return None if model is None else Layers(**model.layer_settings())

    def suggest_next(self, used: Iterable[str], limit: int | None = None) -> list[CatalogModel]:
        """Models that follow the used ones and were not used yet.

        The most recently used model's successors come first, in the order
        the catalog lists them, then those of the model before it, and so on.
        """
        used_codes = list(used)
        seen = set(used_codes)
        result: list[CatalogModel] = []
        for code in reversed(used_codes):
            model = self.models.get(code)
            if model is None:
                continue
            for successor in model.next:
                if successor not in seen and successor in self.models:
                    seen.add(successor)
                    result.append(self.models[successor])
        return result if limit is None else result[:limit]


def _read_file(path: Path) -> CatalogFile:
    source = str(path)
    try:
        if path.stat().st_size > MAX_CATALOG_BYTES:
            raise CatalogError(source, [f"the file is larger than {MAX_CATALOG_BYTES // 1_000_000} MB"])
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError(source, [f"cannot read the file: {error.strerror or error}"]) from None
    except UnicodeDecodeError:
        raise CatalogError(source, ["the file is not UTF-8 text"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogError(source, [f"line {error.lineno}, column {error.colno}: {error.msg}"]) from None
    try:
        catalog = CatalogFile.model_validate(data)
    except ValidationError as error:
        raise CatalogError(source, describe_errors(error)) from None
    codes = [model.code for model in catalog.models]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        places = [f"models[{i}].code: {code!r} appears more than once in this file"
                  for i, code in enumerate(codes) if code in duplicates and codes.index(code) != i]
        raise CatalogError(source, places)
    return catalog


def load_catalog(extra_paths: Iterable[str | Path] = (), base: str | Path | None = None) -> Catalog:
    """The shipped catalog (or ``base``) merged with users' catalog files.

    A user model whose code is already known replaces it, and ``notes``
    says so. Raises ``CatalogError`` naming the file and the place
    (``models[3].section``) of the first unusable file; a "next" code that
    no loaded catalog defines is an error too.
    """
    catalog = Catalog()
    files = [Path(base) if base is not None else CATALOG_PATH, *(Path(p) for p in extra_paths)]
    places: dict[str, tuple[str, int]] = {}
    for path in files:
        for index, model in enumerate(_read_file(path).models):
            if model.code in catalog.models:
                catalog.notes.append(
                    f"{path.name}: {model.code} overrides {catalog.models[model.code].name!r} "
                    f"from {Path(catalog.origins[model.code]).name}"
                )
            catalog.models[model.code] = model
            catalog.origins[model.code] = str(path)
            places[model.code] = (str(path), index)
    for code, model in catalog.models.items():
        missing = [(i, c) for i, c in enumerate(model.next) if c not in catalog.models]
        if missing:
            source, index = places[code]
            raise CatalogError(source, [f"models[{index}].next[{i}]: {c!r} is not a model in the catalog"
                                        for i, c in missing])
    return catalog


_DEFAULT: Catalog | None = None


def default_catalog() -> Catalog:
    """The shipped catalog, loaded once."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_catalog()
    return _DEFAULT

"""Reading a Backstage software catalog: descriptor files, folders, ``Location`` trees, or the
JSON entity list of the catalog API (SPEC §10).

Descriptor files are multi-document YAML. Each document is read by the project's own YAML reader
(:func:`orggraph.model.yamlsource.parse_yaml`: safe tags only, duplicate keys refused, nesting
bounded); the documents of one file are found by a first pass over the parser's events that also
holds the whole file to one alias budget, so many small documents cannot add up to an alias bomb.
Every file is read through :func:`orggraph.model.files.read_input` (the size limit, regular files
only). Broken or hostile input is an error located ``FILE:LINE:COL`` (exit 2); a remote or
missing ``Location`` target is a note: reported, skipped, and the import goes on.

The mapping to an org is :mod:`orggraph.workflows.backstage_map`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml import events as ev

from orggraph.errors import Location, OrgValidationError, Problem, UsageError
from orggraph.model.files import read_input
from orggraph.model.yamlsource import (
    ALIAS_BUDGET,
    MAX_DEPTH,
    YamlTrouble,
    decode,
    parse_yaml,
)

__all__ = ["Catalog", "Entity", "Note", "read_catalog"]

try:  # the same parser parse_yaml uses, for the same events
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_YAML_SUFFIXES = (".yaml", ".yml")
# folders no catalog lives in: version control, dependencies
_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv"})


@dataclass(frozen=True)
class Note:
    """One thing the import dropped or chose, reported on stderr and in the written file."""

    location: Location | None
    message: str

    def render(self) -> str:
        return f"{self.location}: {self.message}" if self.location is not None else self.message


@dataclass(frozen=True)
class Entity:
    """One catalog entity as read: its descriptor and where it was found."""

    kind: str  # lower case: component, api, group, ...
    namespace: str  # lower case, "default" when not given
    name: str  # as written
    data: dict[str, Any]
    location: Location
    order: int  # position among all entities read

    @property
    def ref(self) -> str:
        """The full entity ref, ``kind:namespace/name`` (lower-case kind and namespace)."""
        return f"{self.kind}:{self.namespace}/{self.name}"

    @property
    def key(self) -> tuple[str, str, str]:
        """What two refs to the same entity share: names compare case-insensitively."""
        return (self.kind, self.namespace, self.name.lower())

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.data.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.data.get("metadata")
        return meta if isinstance(meta, dict) else {}


@dataclass
class Catalog:
    """Every entity read, in reading order, and the notes of the reading."""

    entities: list[Entity] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def read_catalog(paths: list[Path]) -> Catalog:
    """Read descriptor files, folders (``*.yaml``/``*.yml``, recursively) and JSON entity lists,
    following ``Location`` entities; raises :class:`~orggraph.errors.OrgValidationError` (located
    problems) or :class:`~orggraph.errors.UsageError` for input that cannot be read."""
    catalog = Catalog()
    seen: set[str] = set()
    for path in paths:
        catalog.sources.append(str(path))
        if path.is_dir():
            for found in _walk(path):
                _read_file(found, catalog, seen, None)
        else:
            _read_file(path, catalog, seen, None)
    return catalog


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        found.extend(Path(root) / f for f in sorted(files) if f.lower().endswith(_YAML_SUFFIXES))
    return found


def _read_file(path: Path, catalog: Catalog, seen: set[str], via: Location | None) -> None:
    """Read one file once (a second visit, as a Location loop makes, is skipped)."""
    try:
        identity = str(path.resolve())
    except (OSError, RuntimeError, ValueError):
        identity = str(Path.cwd() / path)
    if identity in seen:  # read already: a Location loop, or a folder that holds the targets
        return
    seen.add(identity)
    name = str(path)
    if via is not None and not path.exists():
        catalog.notes.append(Note(via, f"Location target {name} does not exist; skipped"))
        return
    try:
        raw = read_input(path, name)
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    try:
        text = decode(raw, name)
        if path.suffix.lower() == ".json":
            documents = _json_entities(text, name)
        else:
            documents = _yaml_documents(text, name)
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    for data, where in documents:
        _take(data, where, path, catalog, seen)


def _take(data: Any, where: Location, path: Path, catalog: Catalog, seen: set[str]) -> None:
    if data is None:  # an empty document, as a trailing '---' makes
        return
    if not isinstance(data, dict):
        raise OrgValidationError(
            [Problem(where, "", "a catalog entity must be a mapping", "see docs/import.md")]
        )
    kind = data.get("kind")
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    api = data.get("apiVersion")
    if not isinstance(kind, str) or not isinstance(name, str) or not isinstance(api, str):
        catalog.notes.append(
            Note(where, "not a catalog entity (no apiVersion, kind and metadata.name); skipped")
        )
        return
    namespace = meta.get("namespace") if isinstance(meta, dict) else None
    entity = Entity(
        kind.lower(),
        namespace.lower() if isinstance(namespace, str) and namespace else "default",
        name,
        data,
        where,
        len(catalog.entities),
    )
    catalog.entities.append(entity)
    if entity.kind == "location":
        _follow(entity, path, catalog, seen)


def _follow(location: Entity, path: Path, catalog: Catalog, seen: set[str]) -> None:
    """Read the targets of a Location entity, relative to the file it is in."""
    spec = location.spec
    targets: list[Any] = []
    if "target" in spec:
        targets.append(spec["target"])
    if isinstance(spec.get("targets"), list):
        targets.extend(spec["targets"])
    kind = spec.get("type", "file")
    for target in targets:
        if not isinstance(target, str) or not target:
            catalog.notes.append(Note(location.location, f"{location.ref}: a target is not text"))
            continue
        if kind == "url" or "://" in target:
            catalog.notes.append(
                Note(
                    location.location,
                    f"{location.ref}: remote target {target} is not fetched; skipped "
                    "(save it and pass the file)",
                )
            )
            continue
        if kind != "file":
            catalog.notes.append(
                Note(location.location, f"{location.ref}: target type '{kind}' is not read")
            )
            continue
        base = path.parent
        if any(ch in target for ch in "*?["):
            pattern = target[2:] if target.startswith("./") else target
            matches = sorted(base.glob(pattern))
            if not matches:
                catalog.notes.append(
                    Note(location.location, f"{location.ref}: no file matches {target}")
                )
            for match in matches:
                if match.is_file():
                    _read_file(match, catalog, seen, location.location)
            continue
        _read_file(base / target, catalog, seen, location.location)


def _json_entities(text: str, name: str) -> list[tuple[Any, Location]]:
    """The entities of a saved ``GET /api/catalog/entities`` answer (a JSON array; the
    ``{"items": [...]}`` of the by-query endpoint is read too)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise YamlTrouble(
            [Problem(Location(name, exc.lineno, exc.colno), "", f"invalid JSON: {exc.msg}")]
        ) from None
    except RecursionError:
        raise YamlTrouble(
            [Problem(Location(name, 1, 1), "", "JSON nested too deeply", "flatten the document")]
        ) from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise YamlTrouble(
            [
                Problem(
                    Location(name, 1, 1),
                    "",
                    "a JSON entity list must be an array of entities",
                    "save the answer of GET /api/catalog/entities",
                )
            ]
        )
    # JSON keeps no positions: the entity's ref names it in every note
    return [(item, Location(name, 1, 1)) for item in data]


def _yaml_documents(text: str, name: str) -> list[tuple[Any, Location]]:
    """The documents of a multi-document YAML file, each read by ``parse_yaml`` and located at
    its first line."""
    spans = _document_spans(text, name)
    out: list[tuple[Any, Location]] = []
    for start, end, line, col in spans:
        # padding keeps every line and column what it is in the file
        piece = "\n" * line + " " * col + text[start:end]
        data, _, _ = parse_yaml(piece, name, track=False)
        out.append((data, Location(name, line + 1, col + 1)))
    return out


def _document_spans(text: str, name: str) -> list[tuple[int, int, int, int]]:
    """(start index, end index, line, column) of each document with content; refuses syntax
    errors, nesting beyond ``MAX_DEPTH`` and aliases beyond ``ALIAS_BUDGET`` over the whole file."""
    spans: list[tuple[int, int, int, int]] = []
    sizes: dict[str, int] = {}
    opened: list[tuple[str | None, int]] = []  # anchor, node count when it opened
    nodes = 0
    aliases = 0
    start: Any = None
    content = False

    def refuse(mark: Any, message: str, hint: str) -> YamlTrouble:
        return YamlTrouble(
            [Problem(Location(name, mark.line + 1, mark.column + 1), "", message, hint)]
        )

    try:
        event: Any
        for event in yaml.parse(text, Loader=_Loader):
            cls = type(event)
            if cls is ev.DocumentStartEvent:
                start, content = event.start_mark, False
            elif cls is ev.DocumentEndEvent:
                if content:
                    spans.append((start.index, event.end_mark.index, start.line, start.column))
            elif cls is ev.ScalarEvent:
                content = True
                nodes += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif cls is ev.MappingStartEvent or cls is ev.SequenceStartEvent:
                content = True
                if len(opened) >= MAX_DEPTH:
                    raise refuse(
                        event.start_mark,
                        f"nesting deeper than {MAX_DEPTH} levels",
                        "flatten the document",
                    )
                nodes += 1
                opened.append((event.anchor, nodes))
            elif cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
                anchor, first = opened.pop()
                if anchor is not None:
                    sizes[anchor] = nodes - first + 1
            elif cls is ev.AliasEvent:
                size = sizes.get(event.anchor, 1)
                aliases += size
                nodes += size
                if aliases > ALIAS_BUDGET:
                    raise refuse(
                        event.start_mark,
                        f"aliases expand to more than {ALIAS_BUDGET:,} values",
                        "this looks like an alias bomb; write the repeated parts out",
                    )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        raise YamlTrouble(
            [
                Problem(
                    Location(name, mark.line + 1, mark.column + 1) if mark else None,
                    "",
                    f"invalid YAML: {what}",
                )
            ]
        ) from None
    except yaml.YAMLError:
        # a character YAML does not allow: parse_yaml locates it exactly
        parse_yaml(text, name, track=False)
        raise  # pragma: no cover - parse_yaml raised first
    return spans

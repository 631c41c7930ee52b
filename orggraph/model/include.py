"""An organization split across files: a folder of org files, or files named by ``include:``.

Every file is an org file of its own (the same schema), and their ``units``, ``customers`` and
``vendors`` lists are concatenated in the order the files are reached: a file before the files
it includes, includes in the order listed, a folder's files in sorted path order. A file reached
twice is read once. ``organization:`` may be set in one file only; ``version``, when given, is 1
in every file.

Like the single-file loader, reading is done twice only when something is wrong: the fast pass
parses without positions and raises :class:`_Retry` at the first problem; the slow pass parses
with positions and collects every problem, each located in its own file.
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from orggraph._perf import paused_gc
from orggraph.errors import (
    Location,
    OrgValidationError,
    Problem,
    UsageError,
    did_you_mean,
    quoted,
)
from orggraph.model.files import path_error, read_input
from orggraph.model.jsonsource import JsonTrouble, parse_json, yaml_readable_json
from orggraph.model.messages import org_problems
from orggraph.model.paths import DocPath, format_path
from orggraph.model.rules import LISTS, RuleIssue, check_rules
from orggraph.model.schema import Org, OrgInfo
from orggraph.model.sources import Sources, yaml_data
from orggraph.model.yamlsource import SourceMap, YamlTrouble, decode, parse_yaml

__all__ = ["MAX_INCLUDE_DEPTH", "ORG_SUFFIXES", "check_output_outside", "load_tree", "org_files"]

ORG_SUFFIXES = (".yaml", ".yml", ".json")
"""The files a folder contributes to an organization."""


MAX_INCLUDE_DEPTH = 64
"""How deep ``include:`` may nest: a file including a file including ... (a real organization
needs a handful of levels; thousands would exhaust the reader's stack)."""


def org_files(folder: Path, unreadable: list[tuple[Path, str]] | None = None) -> list[Path]:
    """The org files in ``folder`` and below, in sorted path order.

    Hidden files and folders (a name starting with ``.``: ``.git``, editor backups, the
    temporary files of an atomic write) are skipped, and symbolic links to folders are not
    followed, so a walk always ends. A folder below ``folder`` that cannot be listed is added to
    ``unreadable`` with the reason (a file in it could hold a duplicate id: it is never skipped
    silently); without ``unreadable`` the walk raises ``OSError``.
    """
    found: list[Path] = []
    pending = [folder]
    while pending:  # not os.walk: it recurses (Python 3.11), and a deep tree would overflow
        top = pending.pop()
        try:
            entries = sorted(os.scandir(top), key=lambda e: e.name)
        except OSError as exc:
            if unreadable is None or top == folder:
                raise
            unreadable.append((top, path_error(exc)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                elif entry.name.lower().endswith(ORG_SUFFIXES) and entry.is_file():
                    found.append(Path(entry.path))
            except OSError as exc:
                if unreadable is None:
                    raise
                unreadable.append((Path(entry.path), path_error(exc)))
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def check_output_outside(output: Path, sources: Sources) -> None:
    """Refuse to write an org-looking file into a folder the organization was read from.

    The next run over that folder would read the output as part of the organization.
    """
    if not output.name.lower().endswith(ORG_SUFFIXES):
        return
    where = Path(os.path.realpath(output)).parent
    for folder in sources.folders:
        real = Path(os.path.realpath(folder))
        if where == real or where.is_relative_to(real):
            raise UsageError(
                f"refusing to write {output} inside the input folder {folder}: "
                "the next run over the folder would read it as part of the organization"
            )


class _Retry(Exception):
    """The fast pass found something wrong: read again with positions."""


@dataclass
class _Doc:
    """One file of the organization as parsed."""

    path: Path  # as shown in messages: built from what the user typed
    data: Any
    smap: SourceMap | None
    broken: bool = False  # the YAML itself is broken: no schema check makes sense


class _Reader:
    """Finds and parses every file of an organization, starting at a file or a folder."""

    def __init__(self, root: Path, *, track: bool) -> None:
        self.track = track
        self.base = (root if root.is_dir() else root.parent).resolve()
        self.base_shown = root if root.is_dir() else root.parent
        self.docs: list[_Doc] = []
        self.folders: list[Path] = []
        self.problems: list[Problem] = []
        self.seen: set[Path] = set()
        self.open: list[Path] = []  # the chain of includes being read (resolved paths)
        self.shown: dict[Path, Path] = {}

    def trouble(self, problem: Problem) -> None:
        if not self.track:
            raise _Retry
        self.problems.append(problem)

    def start(self, root: Path) -> None:
        if root.is_dir():
            self.folder(root, None, "")
        else:
            self.file(root, None, "")

    def folder(self, folder: Path, origin: Location | None, where: str) -> None:
        unreadable: list[tuple[Path, str]] = []
        try:
            files = org_files(folder, unreadable)
        except OSError as exc:
            message = f"cannot read the folder {folder}: {path_error(exc)}"
            if not where:
                raise UsageError(message) from None
            self.trouble(Problem(origin, where, message))
            return
        for path, reason in unreadable:
            self.trouble(
                Problem(
                    Location(str(path), 1, 1),
                    "",
                    f"cannot read {path}: {reason}",
                    "make it readable (its files are part of the organization), "
                    "or move it out of the folder",
                )
            )
        if not files:
            message = f"no org files (.yaml, .yml, .json) in {folder}"
            if not where:  # the folder the user named
                raise UsageError(message)
            self.trouble(Problem(origin, where, message, "include a folder that holds org files"))
            return
        self.folders.append(folder)
        for path in files:
            try:
                real = path.resolve()
            except (OSError, RuntimeError) as exc:
                self.trouble(Problem(Location(str(path), 1, 1), "", path_error(exc)))
                continue
            if real in self.seen or real in self.open:
                continue  # a listing is not an explicit include: no cycle, no second read
            if not real.is_relative_to(self.base):
                self.trouble(
                    Problem(
                        Location(str(path), 1, 1),
                        "",
                        f"this file links to {real}, outside {self._base_text()}",
                        "copy the file into the folder instead of linking to it",
                    )
                )
                continue
            self.file(path, None, "")

    def file(self, path: Path, origin: Location | None, where: str) -> None:
        try:
            real = path.resolve()
        except (OSError, RuntimeError, ValueError) as exc:
            message = f"cannot read {path}: {path_error(exc)}"
            if not where and not self.docs and not self.folders:
                raise UsageError(message) from None
            self.trouble(Problem(origin or Location(str(path), 1, 1), where, message))
            return
        if real in self.open:
            chain = [self.shown[r] for r in self.open[self.open.index(real) :]] + [path]
            self.trouble(
                Problem(
                    origin,
                    where,
                    "include cycle: " + " → ".join(str(p) for p in chain),
                    "a file must not include itself, directly or through others: "
                    "remove one of these includes",
                )
            )
            return
        if real in self.seen:
            return
        self.seen.add(real)
        self.shown[real] = path
        try:
            raw = read_input(path)
        except OSError as exc:
            message = f"cannot read {path}: {exc.strerror or exc}"
            if not where and not self.docs and not self.folders:  # the file the user named
                raise UsageError(message) from None
            self.trouble(Problem(origin or Location(str(path), 1, 1), where, message))
            return
        except YamlTrouble as trouble:
            if not self.track:
                raise _Retry from None
            self.problems.extend(trouble.problems)
            self.docs.append(_Doc(path, None, None, broken=True))
            return
        doc = self.parse(path, raw)
        self.docs.append(doc)
        includes = doc.data.get("include") if isinstance(doc.data, dict) else None
        if isinstance(includes, list) and includes and len(self.open) >= MAX_INCLUDE_DEPTH:
            origin = doc.smap.locate(("include",), key=True) if doc.smap is not None else None
            self.trouble(
                Problem(
                    origin or Location(str(path), 1, 1),
                    "include",
                    f"includes nest deeper than {MAX_INCLUDE_DEPTH} files",
                    "include the files from fewer levels: a main file can include them all",
                )
            )
        elif isinstance(includes, list):
            self.open.append(real)
            for k, entry in enumerate(includes):
                if isinstance(entry, str):  # anything else is a schema error of the file
                    self.include(doc, k, entry)
            self.open.pop()

    def include(self, doc: _Doc, k: int, entry: str) -> None:
        origin = doc.smap.locate(("include", k)) if doc.smap is not None else None
        where = format_path(("include", k))
        if not entry.strip():
            self.trouble(Problem(origin, where, "the include path is empty", "name a file"))
            return
        if Path(entry).is_absolute() or entry.startswith("~"):
            self.trouble(
                Problem(
                    origin,
                    where,
                    f"include paths are relative to the including file, but '{entry}' is not",
                    "write the path from this file's folder, e.g. teams/it.yaml",
                )
            )
            return
        try:
            target = Path(os.path.normpath(doc.path.parent / entry))
            real = (doc.path.parent / entry).resolve()
            is_dir, exists = real.is_dir(), real.exists()
        except (OSError, ValueError, RuntimeError) as exc:
            self.trouble(Problem(origin, where, f"cannot read {quoted(entry)}: {path_error(exc)}"))
            return
        if not real.is_relative_to(self.base):
            self.trouble(
                Problem(
                    origin,
                    where,
                    f"'{entry}' is outside {self._base_text()}",
                    "included files stay in the folder of the main file or below it; "
                    "to combine folders, run orggraph on a folder that holds them all",
                )
            )
            return
        if is_dir:
            self.folder(target, origin, where)
        elif exists:
            self.file(target, origin, where)
        else:
            self.trouble(Problem(origin, where, f"no such file or folder: {target}", _near(target)))

    def _base_text(self) -> str:
        return f"the folder {self.base_shown}" if str(self.base_shown) != "." else "this folder"

    def parse(self, path: Path, raw: bytes) -> _Doc:
        name = str(path)
        is_json = name.lower().endswith(".json")
        try:
            text = decode(raw, name)
        except YamlTrouble as trouble:
            if not self.track:
                raise _Retry from None
            self.problems.extend(trouble.problems)
            return _Doc(path, None, None, broken=True)
        if not self.track:
            try:
                if is_json:
                    return _Doc(path, parse_json(text, name), None)
                return _Doc(path, yaml_data(text, name), None)
            except (YamlTrouble, JsonTrouble):
                raise _Retry from None
        if is_json:
            try:
                parse_json(text, name)
            except JsonTrouble as trouble:
                self.problems.append(trouble.problem)
                return _Doc(path, None, None, broken=True)
            except YamlTrouble:
                pass  # a duplicate key: the YAML read below says where
            text = yaml_readable_json(text)
        try:
            data, smap, problems = parse_yaml(text, name, track=True, json_numbers=is_json)
        except YamlTrouble as trouble:
            self.problems.extend(trouble.problems)
            return _Doc(path, None, None, broken=True)
        self.problems.extend(problems)
        return _Doc(path, data, smap)


def _near(target: Path) -> str | None:
    """A did-you-mean among the org files next to a missing include."""
    try:
        names = [p.name for p in target.parent.iterdir() if not p.name.startswith(".")]
    except OSError:
        return None
    return did_you_mean(target.name, names)


# --------------------------------------------------------------------------------------------


def load_tree(root: Path) -> Sources:
    """Load the organization made of ``root`` (an org file with ``include:``, or a folder).

    Raises :class:`~orggraph.errors.OrgValidationError` with every problem of every file, each
    located in its own file, or :class:`~orggraph.errors.UsageError` when ``root`` cannot be read
    or a folder holds no org file.
    """
    with paused_gc():
        try:
            return _fast(root)
        except _Retry:
            pass
        problems = _slow(root)
    problems.sort(key=Problem.sort_key)
    if not problems:  # pragma: no cover - the two passes disagree; should not happen
        problems = [Problem(Location(str(root), 1, 1), "", "the files could not be validated")]
    raise OrgValidationError(problems)


def _fast(root: Path) -> Sources:
    reader = _Reader(root, track=False)
    reader.start(root)
    orgs: list[Org] = []
    info: OrgInfo | None = None
    for doc in reader.docs:
        if not isinstance(doc.data, dict):
            raise _Retry
        try:
            org = Org.model_validate(doc.data)
        except ValidationError:
            raise _Retry from None
        if "organization" in doc.data:
            if info is not None:
                raise _Retry
            info = org.organization
        orgs.append(org)
    merged, _ = _merge(reader.docs)
    if check_rules(merged):
        raise _Retry
    org = Org.model_construct(
        version=1,
        organization=info if info is not None else OrgInfo(),
        units=[u for o in orgs for u in o.units],
        customers=[c for o in orgs for c in o.customers],
        vendors=[v for o in orgs for v in o.vendors],
        scenarios=[x for o in orgs for x in o.scenarios],
        include=[],
    )
    return Sources(org, tuple(d.path for d in reader.docs), tuple(reader.folders))


_MERGED = (*LISTS, "scenarios")
"""The lists every file of the organization adds to (scenario ids are unique across files too)."""


def _merge(docs: list[_Doc]) -> tuple[dict[str, Any], dict[str, list[tuple[int, _Doc]]]]:
    """The parties of every file in one document, and where each file's part of each list starts.

    Malformed lists are left out: the file's own schema check reports them.
    """
    merged: dict[str, Any] = {name: [] for name in _MERGED}
    starts: dict[str, list[tuple[int, _Doc]]] = {name: [] for name in _MERGED}
    for doc in docs:
        if not isinstance(doc.data, dict):
            continue
        for name in _MERGED:
            items = doc.data.get(name)
            if isinstance(items, list) and items:
                starts[name].append((len(merged[name]), doc))
                merged[name].extend(items)
    return merged, starts


class _Places:
    """Maps a path in the merged document back to its file and its path in that file."""

    def __init__(self, starts: dict[str, list[tuple[int, _Doc]]]) -> None:
        self.starts = starts
        self.firsts = {name: [s for s, _ in table] for name, table in starts.items()}

    def local(self, path: DocPath) -> tuple[_Doc, DocPath]:
        name = str(path[0])
        index = path[1]
        assert isinstance(index, int)
        n = bisect.bisect_right(self.firsts[name], index) - 1
        start, doc = self.starts[name][n]
        return doc, (name, index - start, *path[2:])

    def locate(self, path: DocPath) -> Location:
        doc, local = self.local(path)
        assert doc.smap is not None
        return doc.smap.locate(local)

    def describe(self, path: DocPath) -> str:
        return format_path(self.local(path)[1])


def _slow(root: Path) -> list[Problem]:
    reader = _Reader(root, track=True)
    reader.start(root)
    problems = list(reader.problems)
    first_info: tuple[_Doc, Location] | None = None
    for doc in reader.docs:
        if doc.broken:
            continue
        problems.extend(org_problems(doc.data, doc.smap, str(doc.path), rules=False))
        if isinstance(doc.data, dict) and "organization" in doc.data:
            assert doc.smap is not None
            here = doc.smap.locate(("organization",), key=True)
            if first_info is None:
                first_info = (doc, here)
            else:
                problems.append(
                    Problem(
                        here,
                        "organization",
                        f"organization is already set in {first_info[1]}",
                        "set organization: in one file only, usually the main one",
                    )
                )
    merged, starts = _merge([d for d in reader.docs if not d.broken])
    places = _Places(starts)
    for issue in check_rules(merged, describe=places.describe):
        problems.append(_from_rule(issue, places))
    return problems


def _from_rule(issue: RuleIssue, places: _Places) -> Problem:
    doc, local = places.local(issue.path)
    assert doc.smap is not None
    here = doc.smap.locate(local)
    message = issue.message
    if issue.related is not None:
        there = places.locate(issue.related)
        message += f" (line {there.line})" if there.file == here.file else f" ({there})"
    return Problem(here, format_path(local, doc.data), message, issue.hint)

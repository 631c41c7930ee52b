"""A Backstage catalog as an org (SPEC §10): groups, components, resources and unprovided APIs
become units, their relations dependencies, and selected entities get external customers.

Every rule is documented in docs/import.md ("Backstage"). Whatever the mapping drops or has to
choose is a :class:`~orggraph.workflows.backstage.Note`: reported on stderr and written as a
comment at the top of the file.

One module of over 500 lines on purpose: the rules of SPEC §10 are one mapping that shares its
state (resolved refs, chosen ids, owners, the notes) from the first entity to the last; reading
the files is :mod:`orggraph.workflows.backstage`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from orggraph.errors import UsageError
from orggraph.model.dump import READABLE, iter_yaml
from orggraph.model.durations import DurationError, parse_duration
from orggraph.workflows.backstage import Catalog, Entity, Note
from orggraph.workflows.edgelist import Imported, one_line

__all__ = ["DEPARTMENT_TYPES", "Mapped", "Selector", "map_catalog", "parse_selector", "to_yaml"]

DEPARTMENT_TYPES = frozenset(
    {
        "business-unit",
        "product-area",
        "root",
        "department",
        "sub-department",
        "division",
        "organization",
        "org",
    }
)
"""Group ``spec.type`` values that become ``kind: department`` (``team`` becomes team, any other
type ``other``)."""

_UNIT_KINDS = ("group", "component", "resource")
_NO_MEANING = ("system", "domain", "user")
_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_FIELD_ORDER = (
    "id",
    "name",
    "kind",
    "parent",
    "capacity",
    "lead_time",
    "quality",
    "recovery_time",
    "weight",
    "owner",
    "description",
    "tags",
    "attributes",
    "depends_on",
)


@dataclass(frozen=True)
class Selector:
    """Which entities get an external customer: ``type=X``, ``tag=X`` or ``annotation=KEY``."""

    key: str
    value: str

    def matches(self, entity: Entity) -> bool:
        if self.key == "type":
            return str(entity.spec.get("type", "")).lower() == self.value.lower()
        if self.key == "tag":
            tags = entity.metadata.get("tags")
            return isinstance(tags, list) and self.value.lower() in (str(t).lower() for t in tags)
        annotations = entity.metadata.get("annotations")
        if not isinstance(annotations, dict):
            return False
        name, _, wanted = self.value.partition("=")
        if name not in annotations:
            return False
        value = str(annotations[name]).strip().lower()
        return value == wanted.lower() if wanted else value not in ("false", "no", "0", "")


def parse_selector(text: str) -> Selector:
    """``type=website``, ``tag=public`` or ``annotation=orggraph.io/customer``."""
    key, sep, value = text.partition("=")
    key = key.strip().lower()
    if not sep or key not in ("type", "tag", "annotation") or not value.strip():
        raise UsageError(
            f"--customers '{text}': write type=TYPE, tag=TAG or annotation=KEY "
            "(e.g. --customers type=website)"
        )
    return Selector(key, value.strip())


@dataclass
class Mapped:
    """The org built from a catalog, the notes of reading and mapping, and its counts."""

    imported: Imported
    notes: list[Note]
    entities: int


@dataclass
class _Dep:
    suppliers: tuple[str, ...]  # one: a plain dependency; several: an any_of group
    services: list[str] = field(default_factory=list)
    volume: float | None = None
    names: set[str] = field(default_factory=set)  # lower-case names a volume annotation may use


class _Mapper:
    def __init__(self, catalog: Catalog) -> None:
        self.notes: list[Note] = list(catalog.notes)
        self.index: dict[tuple[str, str, str], Entity] = {}
        self.entities: list[Entity] = []
        for entity in catalog.entities:
            if entity.key in self.index:
                first = self.index[entity.key]
                self.note(entity, f"also defined at {first.location}; this one is skipped")
                continue
            self.index[entity.key] = entity
            self.entities.append(entity)

    def note(self, entity: Entity, message: str) -> None:
        self.notes.append(Note(entity.location, f"{entity.ref}: {message}"))

    def resolve(
        self, entity: Entity, ref: Any, default_kind: str | None, what: str
    ) -> Entity | None:
        """The entity ``ref`` names, as Backstage resolves it; None (noted) when it cannot."""
        if isinstance(ref, dict):
            kind, namespace, name = ref.get("kind"), ref.get("namespace"), ref.get("name")
        elif isinstance(ref, str) and ref.strip():
            text = ref.strip()
            kind, sep, rest = text.partition(":")
            if not sep:
                kind, rest = None, text
            namespace, sep, name = rest.partition("/")
            if not sep:
                namespace, name = None, rest
        else:
            self.note(entity, f"{what} {ref!r} is not an entity ref; dropped")
            return None
        kind = kind or default_kind
        if not kind:
            self.note(
                entity,
                f"{what} '{ref}' has no kind, and {what} has no default kind; dropped "
                f"(write e.g. component:{ref} or resource:{ref})",
            )
            return None
        key = (str(kind).lower(), str(namespace or entity.namespace).lower(), str(name).lower())
        found = self.index.get(key)
        if found is None:
            self.note(entity, f"{what} '{ref}' is not in the catalog; dropped")
        return found

    def refs(self, entity: Entity, name: str) -> list[Any]:
        value = entity.spec.get(name)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


def map_catalog(catalog: Catalog, selectors: list[Selector]) -> Mapped:
    """Build org data from the entities of ``catalog`` (see docs/import.md, "Backstage")."""
    m = _Mapper(catalog)
    of_kind: dict[str, list[Entity]] = {}
    for entity in m.entities:
        of_kind.setdefault(entity.kind, []).append(entity)
    for entity in m.entities:
        if entity.kind not in (*_UNIT_KINDS, "api", "location", *_NO_MEANING):
            m.note(entity, f"kind {entity.data.get('kind')} has no meaning in an org; skipped")

    # APIs: who provides each
    providers: dict[tuple[str, str, str], list[Entity]] = {}
    for comp in of_kind.get("component", []):
        for ref in m.refs(comp, "providesApis"):
            api = m.resolve(comp, ref, "api", "providesApis")
            if api is not None and api.kind == "api":
                providers.setdefault(api.key, []).append(comp)
    unit_entities = [e for e in m.entities if e.kind in _UNIT_KINDS] + [
        e for e in of_kind.get("api", []) if e.key not in providers
    ]
    unit_entities.sort(key=lambda e: e.order)
    ids = _assign_ids(m, unit_entities)

    # groups' parents: spec.parent, else the first group listing it among its children
    parent_of: dict[tuple[str, str, str], Entity] = {}
    for group in of_kind.get("group", []):
        for ref in m.refs(group, "children"):
            child = m.resolve(group, ref, "group", "children")
            if child is None or child.kind != "group":
                continue
            if child.key in parent_of and parent_of[child.key] is not group:
                m.note(child, f"listed as a child of two groups; parent {parent_of[child.key].ref}")
                continue
            parent_of.setdefault(child.key, group)
    for group in of_kind.get("group", []):
        refs = m.refs(group, "parent")
        if refs:
            parent = m.resolve(group, refs[0], "group", "parent")
            if parent is not None and parent.kind == "group":
                parent_of[group.key] = parent
            elif parent is not None:
                m.note(group, f"parent {parent.ref} is not a group; dropped")

    units: dict[str, dict[str, Any]] = {}
    entity_of: dict[str, Entity] = {}
    for entity in unit_entities:
        uid = ids[entity.key]
        entity_of[uid] = entity
        fields: dict[str, Any] = {"id": uid}
        title = entity.metadata.get("title")
        profile = entity.spec.get("profile")
        if title is None and entity.kind == "group" and isinstance(profile, dict):
            title = profile.get("displayName")
        if title is not None:
            fields["name"] = str(title)
        elif uid != entity.name:
            fields["name"] = entity.name
        if entity.kind == "group":
            gtype = str(entity.spec.get("type", "")).lower()
            fields["kind"] = (
                "team"
                if gtype == "team"
                else "department"
                if gtype in DEPARTMENT_TYPES
                else "other"
            )
            parent = parent_of.get(entity.key)
            if parent is not None:
                fields["parent"] = ids[parent.key]
        else:
            fields["kind"] = "system"
            owner_ref = entity.spec.get("owner")
            if owner_ref is not None:
                owning = _owning_group(m, entity, owner_ref)
                if owning is not None:
                    fields["parent"] = ids[owning.key]
                fields["owner"] = str(owner_ref)
        fields.update(_figures(m, entity))
        description = entity.metadata.get("description")
        if description is not None:
            fields["description"] = str(description).strip()
        tags = entity.metadata.get("tags")
        if isinstance(tags, list) and tags:
            fields["tags"] = [str(t) for t in tags]
        fields["attributes"] = _attributes(m, entity)
        units[uid] = fields
    _break_parent_cycles(m, units, entity_of)

    deps = _dependencies(m, of_kind, ids, providers)
    for uid, found in deps.items():
        _volumes(m, entity_of[uid], found)
        if found:
            units[uid]["depends_on"] = [_dep_entry(d) for d in found]

    customers = _customers(m, unit_entities, ids, selectors, set(units))
    data = {
        "units": [_ordered(u) for u in units.values()],
        "customers": [_ordered(c) for c in customers],
        "vendors": [],
    }
    return Mapped(Imported(data, tuple(catalog.sources), 0), m.notes, len(m.entities))


def _slug(name: str) -> str:
    slug = _ID_BAD.sub("-", name).lstrip("._-")
    return slug or "entity"


def _assign_ids(m: _Mapper, entities: list[Entity]) -> dict[tuple[str, str, str], str]:
    """The entity name; ``kind-name`` where names collide across kinds; then a numeric suffix
    (in ref order, the default namespace first, so re-imports give the same ids)."""
    by_name: dict[str, list[Entity]] = {}
    for e in entities:
        by_name.setdefault(_slug(e.name).lower(), []).append(e)
    wanted: dict[tuple[str, str, str], str] = {}
    for group in by_name.values():
        kinds = {e.kind for e in group}
        for e in group:
            if len(kinds) > 1:
                wanted[e.key] = f"{e.kind}-{_slug(e.name)}"
                m.note(e, f"the name is also used by another kind; id '{wanted[e.key]}'")
            else:
                wanted[e.key] = _slug(e.name)
    ids: dict[tuple[str, str, str], str] = {}
    taken: set[str] = set()
    ordered = sorted(
        entities, key=lambda e: (e.namespace != "default", e.namespace, e.kind, e.name.lower())
    )
    for e in ordered:
        candidate, n = wanted[e.key], 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{wanted[e.key]}-{n}"
        if n > 1:
            m.note(e, f"the id '{wanted[e.key]}' is taken; id '{candidate}'")
        taken.add(candidate.lower())
        ids[e.key] = candidate
    return ids


def _owning_group(m: _Mapper, entity: Entity, ref: Any) -> Entity | None:
    owner = m.resolve(entity, ref, "group", "owner")
    if owner is None or owner.kind == "group":
        return owner
    if owner.kind != "user":
        m.note(entity, f"owner {owner.ref} is neither a group nor a user; no parent")
        return None
    groups: list[Entity] = []
    for ref in m.refs(owner, "memberOf"):
        group = m.resolve(owner, ref, "group", "memberOf")
        if group is not None and group.kind == "group" and group not in groups:
            groups.append(group)
    for group in m.entities:
        if group.kind == "group" and group not in groups:
            for member in m.refs(group, "members"):
                if isinstance(member, str) and member.split("/")[-1].split(":")[-1].lower() == (
                    owner.name.lower()
                ):
                    groups.append(group)
    if not groups:
        m.note(entity, f"owner {owner.ref} is a user in no group; no parent")
        return None
    if len(groups) > 1:
        m.note(
            entity,
            f"owner {owner.ref} is a member of {', '.join(g.ref for g in groups)}; "
            f"parent {groups[0].ref}, the first",
        )
    return groups[0]


def _number(m: _Mapper, entity: Entity, key: str, value: Any, top: float | None) -> float | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        number = float("nan")
    if not (number > 0 if top is None else 0 <= number <= top):
        bound = "a number > 0" if top is None else f"a number from 0 to {top:g}"
        m.note(entity, f"annotation {key}: '{value}' is not {bound}; ignored")
        return None
    return int(number) if number.is_integer() else number


def _figures(m: _Mapper, entity: Entity) -> dict[str, Any]:
    annotations = entity.metadata.get("annotations")
    if not isinstance(annotations, dict):
        return {}
    out: dict[str, Any] = {}
    for key, name, form in (
        ("orggraph.io/capacity", "capacity", "number"),
        ("orggraph.io/lead-time", "lead_time", "duration"),
        ("orggraph.io/quality", "quality", "share"),
        ("orggraph.io/recovery-time", "recovery_time", "duration"),
    ):
        if key not in annotations:
            continue
        value = annotations[key]
        if form == "duration":
            try:
                parse_duration(str(value), name.replace("_", " "))
            except DurationError as exc:
                m.note(entity, f"annotation {key}: {exc.message}; ignored")
                continue
            out[name] = str(value).strip()
        else:
            number = _number(m, entity, key, value, None if form == "number" else 1.0)
            if number is not None:
                out[name] = number
    return out


def _attributes(m: _Mapper, entity: Entity) -> dict[str, Any]:
    attributes: dict[str, Any] = {"backstage_ref": entity.ref}
    for key in ("type", "lifecycle"):
        if entity.spec.get(key) is not None:
            attributes[key] = str(entity.spec[key])
    parts_of = m.refs(entity, "subcomponentOf")
    if parts_of and entity.kind == "component":
        whole = m.resolve(entity, parts_of[0], "component", "subcomponentOf")
        attributes["subcomponent_of"] = (
            whole.name if whole is not None else str(parts_of[0]).split("/")[-1].split(":")[-1]
        )
    systems = m.refs(entity, "system")
    if systems and entity.kind != "group":
        system = m.resolve(entity, systems[0], "system", "system")
        if system is None:
            attributes["system"] = str(systems[0]).split("/")[-1].split(":")[-1]
        else:
            attributes["system"] = system.name
            domains = m.refs(system, "domain")
            if domains:
                domain = m.resolve(system, domains[0], "domain", "domain")
                attributes["domain"] = (
                    domain.name if domain is not None else str(domains[0]).split("/")[-1]
                )
    return attributes


def _break_parent_cycles(
    m: _Mapper, units: dict[str, dict[str, Any]], entity_of: dict[str, Entity]
) -> None:
    for uid in units:
        seen = [uid]
        current = units[uid].get("parent")
        while current is not None and current not in seen:
            seen.append(current)
            current = units[current].get("parent")
        if current is not None:
            m.note(entity_of[uid], f"parents form a cycle ({' -> '.join(seen)}); parent dropped")
            del units[uid]["parent"]


def _dependencies(
    m: _Mapper,
    of_kind: dict[str, list[Entity]],
    ids: dict[tuple[str, str, str], str],
    providers: dict[tuple[str, str, str], list[Entity]],
) -> dict[str, list[_Dep]]:
    deps: dict[str, list[_Dep]] = {uid: [] for uid in ids.values()}

    def suppliers_of(
        source: Entity, target: Entity, what: str
    ) -> tuple[tuple[str, ...], str | None]:
        if target.kind == "api":
            found = providers.get(target.key)
            if found:
                if len(found) > 1:
                    m.note(
                        source,
                        f"{what} {target.ref} has {len(found)} providers; an any_of of them",
                    )
                return tuple(ids[p.key] for p in found), target.name
            return (ids[target.key],), target.name
        if target.key in ids:
            return (ids[target.key],), None
        m.note(source, f"{what} {target.ref}: a {target.kind} has no meaning here; dropped")
        return (), None

    def add(
        consumer: Entity, suppliers: tuple[str, ...], service: str | None, target: Entity
    ) -> None:
        uid = ids[consumer.key]
        suppliers = tuple(dict.fromkeys(s for s in suppliers if s != uid))
        if not suppliers:
            m.note(consumer, f"a relation to {target.ref}, which is itself; dropped")
            return
        for dep in deps[uid]:
            if dep.suppliers == suppliers:
                if service is not None and service not in dep.services:
                    dep.services.append(service)
                dep.names.update({target.name.lower(), target.ref.lower()})
                return
            if set(dep.suppliers) & set(suppliers):
                m.note(
                    consumer,
                    f"the relation to {target.ref} overlaps another dependency on "
                    f"{', '.join(dep.suppliers)}; dropped",
                )
                return
        deps[uid].append(
            _Dep(
                suppliers,
                [service] if service else [],
                None,
                {target.name.lower(), target.ref.lower()},
            )
        )

    for entity in m.entities:
        if entity.key not in ids or entity.kind == "group":
            continue
        for ref in m.refs(entity, "dependsOn"):
            target = m.resolve(entity, ref, None, "dependsOn")
            if target is not None:
                suppliers, service = suppliers_of(entity, target, "dependsOn")
                if suppliers:
                    add(entity, suppliers, service, target)
        for ref in m.refs(entity, "consumesApis"):
            target = m.resolve(entity, ref, "api", "consumesApis")
            if target is not None:
                if target.kind != "api":
                    if target.key not in ids or target.kind == "group":
                        m.note(entity, f"consumesApis {target.ref} is not an API; dropped")
                        continue
                    # Backstage accepts any kind here; the consumer depends on what it names
                    m.note(
                        entity,
                        f"consumesApis {target.ref} is not an API; a dependency on it",
                    )
                    add(entity, (ids[target.key],), None, target)
                    continue
                suppliers, service = suppliers_of(entity, target, "consumesApis")
                add(entity, suppliers, service, target)
        for ref in m.refs(entity, "dependencyOf"):
            target = m.resolve(entity, ref, None, "dependencyOf")
            if target is None:
                continue
            if target.key not in ids or target.kind == "group":
                m.note(
                    entity,
                    f"dependencyOf {target.ref}: a {target.kind} has no meaning here; dropped",
                )
                continue
            add(target, (ids[entity.key],), None, entity)
    return deps


def _volumes(m: _Mapper, entity: Entity, found: list[_Dep]) -> None:
    annotations = entity.metadata.get("annotations")
    if not isinstance(annotations, dict) or "orggraph.io/volume" not in annotations:
        return
    for part in str(annotations["orggraph.io/volume"]).split(","):
        if not part.strip():
            continue
        ref, sep, amount = part.partition("=")
        try:
            volume = float(amount.strip()) if sep else float("nan")
        except ValueError:
            volume = float("nan")
        if not volume >= 0 or volume == float("inf"):
            m.note(
                entity,
                f"annotation orggraph.io/volume: '{part.strip()}' is not REF=NUMBER; ignored",
            )
            continue
        wanted = ref.strip().lower()
        short = wanted.split("/")[-1].split(":")[-1]
        match = [d for d in found if wanted in d.names or short in d.names]
        if not match:
            m.note(
                entity, f"annotation orggraph.io/volume: '{ref.strip()}' is not a supplier; ignored"
            )
            continue
        match[0].volume = int(volume) if volume.is_integer() else volume


def _dep_entry(dep: _Dep) -> str | dict[str, Any]:
    details: dict[str, Any] = {}
    if dep.services:
        details["service"] = ", ".join(dep.services)
    if dep.volume is not None:
        details["volume"] = dep.volume
    if len(dep.suppliers) > 1:
        return {"any_of": list(dep.suppliers), **details}
    if not details:
        return dep.suppliers[0]
    return {"supplier": dep.suppliers[0], **details}


def _customers(
    m: _Mapper,
    entities: list[Entity],
    ids: dict[tuple[str, str, str], str],
    selectors: list[Selector],
    taken: set[str],
) -> list[dict[str, Any]]:
    taken = {t.lower() for t in taken}
    out: list[dict[str, Any]] = []
    for entity in entities:
        if not any(s.matches(entity) for s in selectors):
            continue
        uid = ids[entity.key]
        cid, n = f"{uid}-customers", 1
        while cid.lower() in taken:
            n += 1
            cid = f"{uid}-customers-{n}"
        taken.add(cid.lower())
        title = entity.metadata.get("title")
        customer: dict[str, Any] = {"id": cid, "name": f"Customers of {title or entity.name}"}
        annotations = entity.metadata.get("annotations")
        if isinstance(annotations, dict) and "orggraph.io/weight" in annotations:
            weight = _number(
                m, entity, "orggraph.io/weight", annotations["orggraph.io/weight"], None
            )
            if weight is not None:
                customer["weight"] = weight
        customer["attributes"] = {"backstage_ref": entity.ref}
        customer["depends_on"] = [uid]
        out.append(customer)
    return out


def _ordered(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in _FIELD_ORDER if k in entry}


def to_yaml(mapped: Mapped) -> str:
    """The org.yaml text: a comment header listing every note, then units and customers in the
    :data:`~orggraph.model.dump.READABLE` layout."""
    from orggraph._version import __version__

    data = mapped.imported.data
    counts = ", ".join(
        f"{len(data[name])} {name if len(data[name]) != 1 else name[:-1]}"
        for name in ("units", "customers", "vendors")
    )
    lines = [
        f"# Imported by orggraph {__version__} from the Backstage catalog "
        f"{one_line(' and '.join(mapped.imported.sources))}",
        f"# ({mapped.entities} entities; {counts}).",
        "# Check it with `orggraph validate`; docs/import.md says how each entity maps.",
    ]
    if mapped.notes:
        lines.append(f"# Dropped or chosen while importing ({len(mapped.notes)}):")
        lines.extend(f"#   {one_line(note.render())}" for note in mapped.notes)
    body = {
        "version": 1,
        **{name: data[name] for name in ("units", "customers", "vendors") if data[name]},
    }
    return "\n".join(lines) + "\n" + "".join(iter_yaml(body, layout=READABLE))

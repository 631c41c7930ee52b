"""The pydantic models of an ``org.yaml`` file (SPEC §1).

Field-level rules live here; rules that need the whole file (unique ids, references that resolve,
parent cycles) live in :mod:`orggraph.model.rules`. Models are frozen and strict: YAML's guesses
(``no`` → false, ``0700`` → 448) are never silently turned back into text.

One module of over 500 lines on purpose: it is the one declaration of every field of the input
format (and of how people read each party field, ``PARTY_FIELDS``); everything else derives from
it (docs/architecture.md).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from orggraph.errors import shorten
from orggraph.model.durations import DurationError, parse_duration

__all__ = [
    "DURATION_WORDS",
    "ID_PATTERN",
    "MAX_FIGURE",
    "MIN_CAPACITY",
    "PARTY_FIELDS",
    "PARTY_FIELD_NAMED",
    "PARTY_MODELS",
    "UNION_TAGS",
    "WHERE_KEYS",
    "AnyOf",
    "Customer",
    "Dependency",
    "DependsOnItem",
    "Org",
    "OrgInfo",
    "Party",
    "PartyField",
    "Scenario",
    "ServiceLevels",
    "Unit",
    "UnitKind",
    "Vendor",
]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


_HOURS_OF: dict[str, float] = {}
"""Lead times already read, as hours. A large file writes the same few (4h, 1d, P2D) tens of
thousands of times, and reading one takes two regular expressions; a bad one is never kept."""
_HOURS_OF_MAX = 4096  # enough for any real file's distinct lead times, and bounded
_HOURS_OF_KEY_MAX = 64  # a lead time longer than this is not one of the common few


DURATION_WORDS = {
    "lead_time": "lead time",
    "recovery_time": "recovery time",
    "recovery": "recovery time",
}
"""The keys that hold a duration, and what messages call each."""


def _hours_reader(what: str) -> Any:
    """The validator of a duration key: text such as 4h or P2D, held as hours; ``what`` names
    the duration in its errors. All durations share one memo of texts already read."""

    def hours_of(value: Any) -> Any:
        if type(value) is str:
            hours = _HOURS_OF.get(value)
            if hours is not None:
                return hours
        if isinstance(value, bool) or value is None:
            return value  # let the type check report it
        if isinstance(value, int | float):
            # a huge whole number has no float to show it as
            example = f"{value:g}" if abs(value) < 1e15 else "4"
            raise PydanticCustomError(
                "lead_time_unit",
                what + " {value} has no unit",
                {
                    "value": shorten(str(value)),
                    "hint": f"add a unit, e.g. {example}h or {example}d",
                },
            )
        if isinstance(value, str):
            try:
                hours = parse_duration(value, what)
            except DurationError as exc:
                raise PydanticCustomError("lead_time", exc.message, {"hint": exc.hint}) from None
            if (
                type(value) is str
                and len(value) <= _HOURS_OF_KEY_MAX
                and len(_HOURS_OF) < _HOURS_OF_MAX
            ):
                _HOURS_OF[value] = hours
            return hours
        raise PydanticCustomError(
            "lead_time",
            f"a {what} is text such as 4h or P2D",
            {"hint": "write a number with a unit m, h, d or w, e.g. 4h"},
        )

    return hours_of


_DURATION_SCHEMA = WithJsonSchema(
    {
        "type": "string",
        "description": "a number with a unit m, h, d (24h) or w (7d), e.g. 4h or 1.5d; "
        "or an ISO 8601 duration such as P2D or PT6H",
        "pattern": r"^\s*(\d+(\.\d+)?|\.\d+)\s*[mhdw]\s*$|^[Pp]",
    }
)

LeadTime = Annotated[float, BeforeValidator(_hours_reader("lead time")), _DURATION_SCHEMA]
"""A lead time, held as hours."""
RecoveryTime = Annotated[float, BeforeValidator(_hours_reader("recovery time")), _DURATION_SCHEMA]
"""A recovery time (from the start of a disruption until service is back), held as hours."""

MAX_FIGURE = 1e15
"""The largest weight, volume or capacity: any sum of a million of them stays a float far from
overflow, and still exact to a unit in the eighth digit (see docs/format.md, Limits)."""
MIN_CAPACITY = 1e-6
"""The smallest capacity: a load of the largest volumes over it stays a finite utilization."""

Quality = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Weight = Annotated[float, Field(gt=0.0, le=MAX_FIGURE, allow_inf_nan=False)]
Volume = Annotated[float, Field(ge=0.0, le=MAX_FIGURE, allow_inf_nan=False)]
Capacity = Annotated[float, Field(ge=MIN_CAPACITY, le=MAX_FIGURE, allow_inf_nan=False)]


class UnitKind(StrEnum):
    """What an internal party is."""

    team = "team"
    department = "department"
    person = "person"
    role = "role"
    system = "system"
    other = "other"


_CONFIG = ConfigDict(extra="forbid", frozen=True, strict=True, use_enum_values=False)


class OrgInfo(BaseModel):
    """The ``organization:`` block."""

    model_config = _CONFIG
    name: str | None = None
    period: str | None = Field(
        default=None, description="label for volume and capacity figures, e.g. week"
    )


class ServiceLevels(BaseModel):
    """Service levels: promised to a customer (``promise``, an SLA; ``recovery`` is its impact
    tolerance) or expected of a supplier by an internal customer (``expects``, an OLA)."""

    model_config = _CONFIG
    lead_time: LeadTime | None = None
    quality: Quality | None = None
    recovery: RecoveryTime | None = Field(
        default=None, description="back within this long after a disruption starts"
    )


class Dependency(BaseModel):
    """A dependency on one supplier (long form)."""

    model_config = _CONFIG
    supplier: Id
    service: str | None = None
    volume: Volume | None = None
    required: bool = True
    note: str | None = None
    expects: ServiceLevels | None = Field(
        default=None,
        description="what this internal customer expects of the supplier (an operational level "
        "agreement): lead_time, quality, recovery",
    )


class AnyOf(BaseModel):
    """Alternatives: any one of the suppliers is enough."""

    model_config = _CONFIG
    any_of: Annotated[list[Id], Field(min_length=2)]
    service: str | None = None
    volume: Volume | None = Field(default=None, description="split evenly across the alternatives")
    required: bool = True
    note: str | None = None
    primary: Id | None = Field(
        default=None,
        description="the alternative that carries the whole volume in normal operation; "
        "the others are backups",
    )
    expects: ServiceLevels | None = Field(
        default=None,
        description="what this internal customer expects of the group (an operational level "
        "agreement), compared with its best alternative, or its primary's lead time and quality",
    )


# Tags of the depends_on union. They contain a character no key can have in a valid file, so
# error locations can drop them without confusing them with field names.
UNION_TAGS = frozenset({"<id>", "<supplier>", "<any_of>"})


def _dependency_form(value: Any) -> str | None:
    if isinstance(value, str):
        return "<id>"
    if isinstance(value, dict):
        return "<any_of>" if "any_of" in value else "<supplier>"
    if isinstance(value, Dependency):
        return "<supplier>"
    if isinstance(value, AnyOf):
        return "<any_of>"
    return None


DependsOnItem = Annotated[
    Annotated[Id, Tag("<id>")]
    | Annotated[Dependency, Tag("<supplier>")]
    | Annotated[AnyOf, Tag("<any_of>")],
    Discriminator(
        _dependency_form,
        custom_error_type="dependency_form",
        custom_error_message="a dependency is an id, a mapping with 'supplier:' "
        "or a mapping with 'any_of:'",
    ),
]


def _jsonable(value: Any) -> Any:
    """Dates and times in free-form attributes become ISO text, so every output stays JSON."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, _dt.date | _dt.datetime):
        return value.isoformat()
    return value


def _none_is_empty(value: Any) -> Any:
    return [] if value is None else value


class Party(BaseModel):
    """Fields every party (unit, customer, vendor) may carry."""

    model_config = _CONFIG
    id: Id
    name: str | None = None
    description: str | None = None
    owner: str | None = None
    tags: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    lead_time: LeadTime | None = None
    quality: Quality | None = None

    @field_validator("attributes", mode="before")
    @classmethod
    def _attributes_json(cls, value: Any) -> Any:
        return _jsonable(value) if isinstance(value, dict) else value

    @field_validator("tags", mode="before")
    @classmethod
    def _tags_none(cls, value: Any) -> Any:
        return _none_is_empty(value)

    @property
    def label(self) -> str:
        """The display name: ``name`` when given, else the id."""
        return self.name if self.name is not None else self.id


class Unit(Party):
    """An internal party: a department, team, person, role or system."""

    # strict mode would demand an enum instance; the text of a kind is what YAML gives
    kind: Annotated[UnitKind, Field(strict=False)] = UnitKind.team
    parent: Id | None = None
    capacity: Capacity | None = None
    recovery_time: RecoveryTime | None = Field(
        default=None,
        description="achievable: from the start of a disruption until its own service is back",
    )
    depends_on: list[DependsOnItem] = Field(default_factory=list)

    @field_validator("depends_on", mode="before")
    @classmethod
    def _deps_none(cls, value: Any) -> Any:
        return _none_is_empty(value)


class Customer(Party):
    """An external customer: where service chains end."""

    weight: Weight = 1.0
    promise: ServiceLevels | None = Field(
        default=None,
        description="promised to this customer (a service level agreement): lead_time, quality, "
        "and recovery, the impact tolerance (back within this long)",
    )
    depends_on: list[DependsOnItem] = Field(default_factory=list)

    @field_validator("depends_on", mode="before")
    @classmethod
    def _deps_none(cls, value: Any) -> Any:
        return _none_is_empty(value)


class Vendor(Party):
    """An external supplier: chains may start here; it depends on nothing."""

    recovery_time: RecoveryTime | None = Field(
        default=None,
        description="achievable: from the start of a disruption until its own service is back",
    )


WhereValue = str | int | float | bool
"""A value a scenario's ``where`` compares with, as text (SPEC §7)."""

WHERE_KEYS = ("kind", "owner", "party", "tags")
"""The keys of a scenario's ``where`` that are not attribute names (``attributes.NAME`` always
names the attribute)."""


class Scenario(BaseModel):
    """A severe but plausible disruption (SPEC §7): named parties and parties matching ``where``
    fail together."""

    model_config = _CONFIG
    id: Id = Field(description="unique among scenarios; scenario ids are not party ids")
    name: str | None = None
    fail: list[Id] = Field(
        default_factory=list, description="units (with their members) and vendors that fail"
    )
    where: dict[str, WhereValue | list[WhereValue]] = Field(
        default_factory=dict,
        description="parties matching all of these fail: kind, owner, party (unit | vendor), "
        "tags (the party has all of them), or an attribute name (attributes.NAME always means "
        "the attribute); values compare as text",
    )

    # an empty fail: or where: counts as none; a scenario with neither is refused below
    @field_validator("fail", mode="before")
    @classmethod
    def _fail_none(cls, value: Any) -> Any:
        return _none_is_empty(value)

    @field_validator("where", mode="before")
    @classmethod
    def _where_none(cls, value: Any) -> Any:
        return {} if value is None else value

    @model_validator(mode="after")
    def _something_fails(self) -> Scenario:
        if not self.fail and not self.where:
            raise PydanticCustomError(
                "scenario_empty",
                "a scenario names what fails",
                {"hint": "give fail: [ids] or where: {key: value}, or both"},
            )
        return self

    @property
    def label(self) -> str:
        """The display name: ``name`` when given, else the id."""
        return self.name if self.name is not None else self.id


class Org(BaseModel):
    """A whole organization file."""

    model_config = _CONFIG
    version: Literal[1] = 1
    organization: OrgInfo = Field(default_factory=OrgInfo)
    units: list[Unit] = Field(default_factory=list)
    customers: list[Customer] = Field(default_factory=list)
    vendors: list[Vendor] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(
        default_factory=list,
        description="severe but plausible disruptions to evaluate (SPEC §7), in file order",
    )
    include: list[str] = Field(
        default_factory=list,
        description="files or folders whose parties join this organization, relative to this "
        "file (see docs/format.md, Splitting a model); a loaded organization has them merged in",
    )

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_a_whole_number(cls, value: Any) -> Any:
        # Literal[1] alone takes true and 1.0, which equal 1 in Python
        if type(value) is not int:
            raise PydanticCustomError("version", "unsupported version")
        return value

    @field_validator("units", "customers", "vendors", "scenarios", "include", mode="before")
    @classmethod
    def _lists_none(cls, value: Any) -> Any:
        return _none_is_empty(value)

    @field_validator("organization", mode="before")
    @classmethod
    def _org_none(cls, value: Any) -> Any:
        return {} if value is None else value

    def _repr_html_(self) -> str:
        from orggraph.render import notebook  # display only: loaded when shown

        return notebook.org_html(self)


# -- the party fields, for every reader of them ------------------------------------------------
# The models above declare each field's type and rules. What they cannot say, how people read a
# field (its words, its form, where it comes in a listing and on a party's card), is the one
# small table below. The graph's node data, diff's compared fields, the importer's columns, the
# exports and the view's tooltip are all derived from PARTY_FIELDS; a field added to a model and
# not to the table is an error at import time.

FieldForm = Literal[
    "text", "hours", "number", "share", "tags", "mapping", "choice", "ref", "levels"
]
"""How a field's value reads: free text; hours (given as a duration); a number > 0; a share 0..1;
a list of tags; a free-form mapping; one of a fixed set of words; the id of another party;
service levels (lead time and recovery in hours, quality 0..1)."""

CardPlace = Literal["title", "facts", "about", "own", "figures"]
"""Where a party's card (the view's tooltip) shows a field: in its title; on the line of facts
after the kind of party; on a line of its own; with its own figures next to the end-to-end
ones; or not at all among the declared fields, because the analysis figures show it."""

_SHOWN: dict[str, tuple[FieldForm, str, CardPlace]] = {
    # listing order: what a party is, its figures, then who and what it is about
    "name": ("text", "name", "title"),
    "kind": ("choice", "kind", "facts"),
    "parent": ("ref", "parent", "facts"),
    "capacity": ("number", "capacity", "figures"),
    "lead_time": ("hours", "own lead time", "own"),
    "quality": ("share", "quality", "own"),
    "recovery_time": ("hours", "recovery time", "own"),
    "weight": ("number", "weight", "facts"),
    "promise": ("levels", "promised", "about"),
    "owner": ("text", "owner", "about"),
    "description": ("text", "description", "about"),
    "tags": ("tags", "tags", "about"),
    "attributes": ("mapping", "attributes", "about"),
}

PARTY_MODELS: dict[str, type[Party]] = {"unit": Unit, "customer": Customer, "vendor": Vendor}
"""The model of each kind of party."""
_NOT_FIELDS = frozenset({"id", "depends_on"})  # the key itself, and the graph's edges


@dataclass(frozen=True, slots=True)
class PartyField:
    """One field a party may carry: the key in org.yaml, in the graph's node data and in every
    export, and how people read it."""

    name: str
    form: FieldForm
    label: str
    card: CardPlace
    parties: tuple[str, ...]
    """The parties that may carry it, of ``unit``, ``customer``, ``vendor``."""

    @property
    def scalar(self) -> bool:
        """One value in one cell of a table (not a list or a mapping)."""
        return self.form not in ("tags", "mapping", "levels")

    @property
    def measure(self) -> bool:
        """A figure (held as a float)."""
        return self.form in ("hours", "number", "share")


def _party_fields() -> tuple[PartyField, ...]:
    declared = {
        name: party
        for party, model in PARTY_MODELS.items()
        for name in model.model_fields
        if name not in _NOT_FIELDS
    }
    missing = sorted(set(declared) - set(_SHOWN))
    unknown = sorted(set(_SHOWN) - set(declared))
    if missing or unknown:
        raise RuntimeError(f"PARTY_FIELDS out of step with the models: {missing=} {unknown=}")
    return tuple(
        PartyField(
            name,
            form,
            label,
            card,
            tuple(p for p, model in PARTY_MODELS.items() if name in model.model_fields),
        )
        for name, (form, label, card) in _SHOWN.items()
    )


PARTY_FIELDS: tuple[PartyField, ...] = _party_fields()
"""Every field of a unit, customer or vendor except ``id`` and ``depends_on``, in listing
order (the order diff compares them and a parties sheet lists its columns)."""
PARTY_FIELD_NAMED: dict[str, PartyField] = {f.name: f for f in PARTY_FIELDS}

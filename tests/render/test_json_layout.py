"""The one-entry-per-line writer reuses one encoder and joins its pieces once: it must give the
bytes ``json.dumps`` of each entry, laid out one per line, gives."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import pytest

from orggraph.render.json import _one_entry_per_line


def laid_out_with_dumps(document: Mapping[str, Any]) -> str:
    """The layout written plainly: json.dumps for every key and every entry."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    parts: list[str] = []
    for key, value in document.items():
        head = f"  {dump(key)}: "
        if isinstance(value, list) and value:
            body = ",\n".join(f"    {dump(item)}" for item in value)
            parts.append(f"{head}[\n{body}\n  ]")
        elif isinstance(value, dict) and len(value) > 6:
            body = ",\n".join(f"    {dump(k)}: {dump(v)}" for k, v in value.items())
            parts.append(f"{head}{{\n{body}\n  }}")
        else:
            parts.append(head + dump(value))
    return "{\n" + ",\n".join(parts) + "\n}\n"


DOCUMENTS: list[dict[str, Any]] = [
    {},
    {"only": []},
    {"only": {}},
    {"n": 0, "big": 10**30, "neg": -7, "yes": True, "no": False, "none": None},
    {"floats": [0.1, -0.0, 1e300, 2.5e-12, 1.7976931348623157e308, 5e-324, 3.0]},
    {"text": ["", 'a"b\\c', "tab\there\nline", "Zoë — 北京 🏥", "\u2028\u0000\x7f"]},
    {"rows": [{"id": "a", "n": 1, "list": ["x", "y"], "nested": {"k": [1, {"z": None}]}}]},
    {"short": {str(i): i for i in range(6)}, "long": {str(i): i for i in range(7)}},
    {"long": {f"k{i}": [i, str(i), i / 3, i % 2 == 0, None] for i in range(50)}},
    {"mixed": [1, "two", 3.0, None, True, [], {}, [[]], {"a": {}}]},
    {"é": {"ü": 1, "a": 2, "b": 3, "c": 4, "d": 5, "e": 6, "f": 7}, "x": "y"},
]


@pytest.mark.parametrize("document", DOCUMENTS, ids=[str(i) for i in range(len(DOCUMENTS))])
def test_the_layout_is_json_dumps_of_every_entry(document: dict[str, Any]) -> None:
    assert _one_entry_per_line(document) == laid_out_with_dumps(document)


def test_the_same_document_gives_the_same_bytes_every_time() -> None:
    document = DOCUMENTS[-3]
    assert len({_one_entry_per_line(document) for _ in range(3)}) == 1


@pytest.mark.parametrize("number", [math.inf, -math.inf, math.nan])
def test_a_non_finite_number_is_refused_not_written_as_invalid_json(number: float) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        _one_entry_per_line({"floats": [1.0, number]})
    assert _one_entry_per_line({"floats": [1.0]}) == '{\n  "floats": [\n    1.0\n  ]\n}\n'


def test_a_value_json_cannot_write_is_refused_as_json_dumps_refuses_it() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        _one_entry_per_line({"rows": [{"when": object()}]})
    # the encoder is reused: a failure leaves nothing behind for the next document
    assert _one_entry_per_line(DOCUMENTS[6]) == laid_out_with_dumps(DOCUMENTS[6])


def test_without_the_c_encoder_the_bytes_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    # the writer makes json's C encoder itself; where there is none, it falls back to
    # JSONEncoder.encode (and json.dumps to its Python encoder)
    expected = [laid_out_with_dumps(document) for document in DOCUMENTS]
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    assert [_one_entry_per_line(document) for document in DOCUMENTS] == expected


def test_a_c_encoder_called_otherwise_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    # a Python whose C encoder takes other arguments: the writer's own call fails, and it falls
    # back to JSONEncoder.encode, which calls the encoder as that Python's json module does
    expected = [laid_out_with_dumps(document) for document in DOCUMENTS]
    real = json.encoder.c_make_encoder
    calls: list[int] = []

    def refuses_the_first_call(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise TypeError("unexpected arguments")
        return real(*args)

    monkeypatch.setattr(json.encoder, "c_make_encoder", refuses_the_first_call)
    for document, bytes_before in zip(DOCUMENTS, expected, strict=True):
        calls.clear()
        assert _one_entry_per_line(document) == bytes_before

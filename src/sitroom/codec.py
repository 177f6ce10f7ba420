"""Round-trip the frozen model to JSON-able dicts, driven by the dataclasses' type hints.

The store keeps analyses as JSON; this is the one place that knows how to turn them back into
model objects, so no stage hand-writes (de)serialisation.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")


def to_jsonable(value: Any) -> Any:
    """A model object (or container of them) as plain JSON types; dates as ISO strings."""
    names = _field_names(type(value))
    if names is not None:
        return {name: to_jsonable(getattr(value, name)) for name in names}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type, None for any other type (asked once per type)."""
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
        return names


def from_jsonable(cls: type[T], data: Any) -> T:
    """Rebuild a model object of type `cls` from `to_jsonable` output."""
    hint: Any = cls  # a type hint in general (a union, a tuple[...]); a class is one of them
    return _converter(hint)(data)


def _identity(data: Any) -> Any:
    return data


@functools.cache
def _converter(tp: Any) -> Callable[[Any], Any]:
    """A function turning JSON data into a value of type `tp`; built once per type hint.

    Reading a type hint (get_origin, get_args, get_type_hints) costs more than the conversion
    itself, and the corpus stage converts every stored analysis, so the reading is done once.
    """
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        return _converter(members[0]) if len(members) == 1 else _identity
    if origin is typing.Literal or tp is Any:
        return _identity
    if tp is tuple:  # a bare `tuple` hint (Contradiction.values): JSON gives a list back
        return _none_or(tuple)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _converter(args[0])
            return _none_or(lambda data: tuple(item(v) for v in data))
        if not args:
            return _none_or(tuple)
        items = [_converter(a) for a in args]
        return _none_or(lambda data: tuple(c(v) for c, v in zip(items, data)))
    if origin is list:
        (arg,) = typing.get_args(tp)
        item = _converter(arg)
        return _none_or(lambda data: [item(v) for v in data])
    if origin is dict or tp is dict:
        return _none_or(dict)
    if tp is date:
        return _none_or(lambda data: date.fromisoformat(data[:10]))
    if tp is datetime:
        return _none_or(datetime.fromisoformat)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _none_or(_DataclassConverter(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _none_or(tp)
    return _identity


def _none_or(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, passing None through (every field may be missing in older stored JSON)."""
    return lambda data: None if data is None else convert(data)


class _DataclassConverter:
    """Builds a dataclass from a dict; its fields' converters are looked up on first use (types may nest)."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.fields: list[tuple[str, Callable[[Any], Any]]] | None = None

    def __call__(self, data: dict) -> Any:
        if self.fields is None:
            hints = typing.get_type_hints(self.cls)
            self.fields = [(f.name, _converter(hints[f.name])) for f in dataclasses.fields(self.cls)]
        return self.cls(**{name: convert(data[name]) for name, convert in self.fields if name in data})

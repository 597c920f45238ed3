"""Light frozen records: what ``@dataclass(frozen=True)`` gives, without its start-up cost.

``dataclasses`` writes and compiles the source of each class's ``__init__``, ``__eq__``,
``__hash__``, ``__repr__`` and ``__setattr__`` when the class is made: about half a
millisecond a class, and the engine's event stream alone has eighteen, all paid on every
start of ``workshop run``. A :class:`Record` subclass gets the same behaviour from
methods shared by all records; type checkers see it as a frozen dataclass
(``dataclass_transform``), so constructors are checked as before.

Fields are the class's annotated names (``ClassVar`` ones excepted), in order, base
classes first; a value in the class body is that field's default. Records are immutable,
compare equal when of the same class with equal fields, hash by their fields, and match
``case Cls(a, b)`` patterns positionally.
"""

from __future__ import annotations

from typing import Any, ClassVar, dataclass_transform


class FrozenRecordError(AttributeError):
    """A field of a record was assigned or deleted after it was made."""


@dataclass_transform(frozen_default=True)
class Record:
    """Base of a frozen record; see the module's docstring."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, object]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: list[str] = []
        defaults: dict[str, object] = {}
        for klass in reversed(cls.__mro__):
            for name, annotation in vars(klass).get("__annotations__", {}).items():
                if "ClassVar" in str(annotation) or name.startswith("__"):
                    continue
                if name not in fields:
                    fields.append(name)
                if name in vars(klass):
                    defaults[name] = vars(klass)[name]
                elif defaults and name not in defaults:
                    raise TypeError(
                        f"{cls.__name__}: {name!r} has no default but follows a field with one"
                    )
        cls._fields = tuple(fields)
        cls._defaults = defaults
        setattr(cls, "__match_args__", cls._fields)  # noqa: B010  (a class variable mypy types as fixed)

    def __init__(self, *args: object, **kwargs: object) -> None:
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(
                f"{type(self).__name__}() takes {len(fields)} arguments but {len(args)} were given"
            )
        values = dict(zip(fields, args, strict=False))
        for name, value in kwargs.items():
            if name not in fields:
                raise TypeError(f"{type(self).__name__}() got an unexpected argument {name!r}")
            if name in values:
                raise TypeError(f"{type(self).__name__}() got two values for {name!r}")
            values[name] = value
        for name in fields:
            if name not in values:
                if name not in self._defaults:
                    raise TypeError(f"{type(self).__name__}() is missing the argument {name!r}")
                values[name] = self._defaults[name]
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenRecordError(f"cannot assign to field {name!r} of a {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise FrozenRecordError(f"cannot delete field {name!r} of a {type(self).__name__}")

    def _values(self) -> tuple[object, ...]:
        return tuple(self.__dict__[name] for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__ or not isinstance(other, Record):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.__class__, self._values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={self.__dict__[name]!r}" for name in self._fields)
        return f"{type(self).__name__}({inner})"

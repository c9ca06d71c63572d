"""Answers judged by a rule rather than one number: a group of answers is right when, together,
they satisfy the rule (any valid (padding, stride) pair, say), whatever the key's own choice."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Protocol


class Constraint(Protocol):
    """`names` are answer names relative to the problem part, as its kind's solver returns them."""

    @property
    def names(self) -> tuple[str, ...]: ...

    def satisfied_by(self, values: Mapping[str, Fraction]) -> bool: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, eq=False)
class BoundConstraint:
    """A kind's constraint placed at its answer paths (`q2.a.` + `padding`); compared by identity,
    as the key holds each one once."""

    prefix: str
    constraint: Constraint

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self.prefix + name for name in self.constraint.names)

    def satisfied_by(self, values_by_path: Mapping[str, Fraction]) -> bool:
        """`values_by_path` holds (at least) a value for each of this rule's paths."""
        values = {name: values_by_path[self.prefix + name] for name in self.constraint.names}
        return self.constraint.satisfied_by(values)

    def describe(self) -> str:
        return self.constraint.describe()

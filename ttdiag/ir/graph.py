"""The op graph: modules, programs (``func.func``), ops and the values that link them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .items import Item, render
from .loc import Loc
from .system_desc import SystemDesc
from .types import OpaqueType, TensorType, Type


@dataclass(slots=True)
class Op:
    """One operation.

    ``id`` is its first result (``%9``) or None for ops without results; ``results`` and
    ``operands`` are SSA names; ``result_types`` / ``operand_types`` are decoded types
    (operand types come from the generic form's function type, or from the producer).
    ``properties`` (``<{..}>``) and ``attributes`` (``{..}``) keep their item trees.
    ``line`` is 1-based in the source file; ``program`` the enclosing function name.
    ``custom`` is True for the pretty (custom assembly) form, whose items are in ``body``.
    """

    name: str
    results: list[str]
    operands: list[str]
    operand_types: list[Type]
    result_types: list[Type]
    properties: dict[str, tuple[Item, ...]]
    attributes: dict[str, tuple[Item, ...]]
    loc: Loc | None
    line: int
    program: str | None = None
    custom: bool = False
    body: tuple[Item, ...] = ()
    regions: list[list[Op]] = field(default_factory=list)

    @property
    def id(self) -> str | None:
        return self.results[0] if self.results else None

    @property
    def label(self) -> str:
        """How reports name the op: ``%5 ttnn.add``, or the bare name of an op without results
        (``ttnn.deallocate``)."""
        return f"{self.id} {self.name}" if self.results else self.name

    def attr(self, key: str) -> tuple[Item, ...] | None:
        """A property or attribute by name (properties first, as tt-mlir stores inherent attrs there)."""
        if key in self.properties:
            return self.properties[key]
        return self.attributes.get(key)

    def attr_text(self, key: str) -> str | None:
        v = self.attr(key)
        return None if v is None else render(v)

    def tensors(self) -> Iterator[tuple[str, str, TensorType]]:
        """Yield (role, value name, type) for every tensor operand and result."""
        for name, t in zip(self.operands, self.operand_types):
            if isinstance(t, TensorType):
                yield "operand", name, t
        for name, t in zip(self.results, self.result_types):
            if isinstance(t, TensorType):
                yield "result", name, t


@dataclass(slots=True)
class Program:
    """A ``func.func`` (``main``, ``main_const_eval_0``, ...) with its arguments and ops."""

    name: str
    args: list[tuple[str, Type]]
    result_types: list[Type]
    ops: list[Op]
    line: int

    @property
    def is_const_eval(self) -> bool:
        return "const_eval" in self.name

    def walk(self) -> Iterator[Op]:
        stack = list(reversed(self.ops))
        while stack:
            op = stack.pop()
            yield op
            for region in reversed(op.regions):
                stack.extend(reversed(region))

    def producers(self) -> dict[str, Op]:
        """Map each SSA result name to the op that defines it."""
        return {r: op for op in self.walk() for r in op.results}


@dataclass(slots=True)
class Diagnostic:
    """A statement that could not be parsed: where, what, and the text (truncated)."""

    line: int
    message: str
    text: str


@dataclass(slots=True)
class Module:
    """A parsed MLIR file: its programs (from every nested module), alias table, system
    descriptor, top-level ops outside functions, and parse diagnostics."""

    programs: list[Program] = field(default_factory=list)
    aliases: dict[str, tuple[Item, ...]] = field(default_factory=dict)
    system_desc: SystemDesc | None = None
    loose_ops: list[Op] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    statements: int = 0

    def all_ops(self) -> Iterator[Op]:
        for p in self.programs:
            yield from p.walk()
        yield from self.loose_ops


__all__ = ["Op", "Program", "Module", "Diagnostic", "TensorType", "OpaqueType", "Type"]

"""Rewrites as op objects: a rule builds its rewrite op by op; each op is type-checked (its typed
``verify()``, the checks tt-metal's ``validate`` makes) and its operands are checked against the values
defined so far *before* anything is printed. The text users read is printed from the op objects
(:func:`ttdiag.ir.printer.print_op`), and the advice gate parses that text back and checks it gives the
same ops (:func:`round_trip_problems`).

Modelled on MLIR's Python builders (``Type.parse`` / ``Attribute.parse`` for leaf values, ops built from
typed parts) and xDSL's ``verify()`` before printing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..ir.graph import Op
from ..ir.items import render
from ..ir.printer import print_op, tensor_text
from ..ir.types import TensorType, Type
from ..parse.mlir import MLIRSyntaxError, OpLineParser


class RewriteError(ValueError):
    """A rewrite that fails its checks; ``problems``: one sentence each (the first is the message)."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0] if problems else "rewrite rejected")
        self.problems = problems


# MLIR attribute text for the values rules write (tt-mlir's TTNN op definitions fix each element type)
def i32(v: int) -> str:
    return f"{int(v)} : i32"


def si32(v: int) -> str:
    return f"{int(v)} : si32"


def ints(values: Iterable[int], elem: str = "i32") -> str:
    """``[a : i32, b : i32]`` (an ArrayAttr of IntegerAttrs, e.g. ``ttnn.reshape``'s ``shape``)."""
    return "[" + ", ".join(f"{int(v)} : {elem}" for v in values) + "]"


def dense(values: Iterable[int], elem: str = "i32") -> str:
    """``array<i32: a, b>`` (a DenseArrayAttr, e.g. ``ttnn.permute``'s ``permutation``)."""
    return f"array<{elem}: {', '.join(str(int(v)) for v in values)}>"


def boolean(v: bool) -> str:
    return "true" if v else "false"


ROW_MAJOR = "#ttnn.layout<row_major>"
TILE = "#ttnn.layout<tile>"
DRAM_INTERLEAVED = "#ttnn.memory_config<#dram, <interleaved>>"


@dataclass(slots=True)
class Rewrite:
    """A checked rewrite: its ops (in order), comment lines (``(i, text)``: printed before op ``i``; ``i ==
    len(ops)``: after the last), the IR values it starts from (``given``) and the values that elided ops
    define (``elided``: name → the comment that elides them)."""

    ops: list[Op]
    comments: list[tuple[int, str]] = field(default_factory=list)
    given: frozenset[str] = frozenset()
    elided: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The rewrite as generic MLIR, printed from the op objects (one op per line, ``//`` comments)."""
        lines: list[str] = []
        for i in range(len(self.ops) + 1):
            lines.extend(f"// {c}" for j, c in self.comments if j == i)
            if i < len(self.ops):
                lines.append(print_op(self.ops[i]))
        return "\n".join(lines)


class RewriteBuilder:
    """Build a rewrite op by op. ``given``: the IR values the rewrite starts from (operands of the original
    ops); any other operand must be defined by an earlier op of the rewrite (or declared by :meth:`elide`).

    Every :meth:`op` is checked when it is added; :meth:`finish` raises :class:`RewriteError` with every
    problem found, so a rewrite that fails its checks never reaches the user.
    """

    def __init__(self, given: Iterable[str] = (), parser: OpLineParser | None = None):
        self.parser = parser or OpLineParser()
        self.given = frozenset(given)
        self.ops: list[Op] = []
        self.comments: list[tuple[int, str]] = []
        self.elided: dict[str, str] = {}
        self.problems: list[str] = []
        self._defined: set[str] = set(self.given)

    # -- leaf values -----------------------------------------------------------------------------------
    def type(self, t: Type | str) -> Type:
        """A type object (a ``Type`` passes through; text is parsed). Raises RewriteError on bad text."""
        if not isinstance(t, str):
            return t
        try:
            return self.parser.parse_type(t)
        except MLIRSyntaxError as e:
            raise RewriteError([f"type {t[:60]!r} does not parse: {e}"]) from None

    def tensor(self, shape: Sequence[int], dtype: str, tiled: bool, buffer: str = "dram") -> TensorType:
        """A DRAM- (or L1-, host-) interleaved tensor type with the layout tt-mlir computes for ``shape``
        (ttnn-facts.md §2.3; :func:`ttdiag.ir.printer.layout_text`)."""
        t = self.type(tensor_text(tuple(shape), dtype, tiled, buffer))
        assert isinstance(t, TensorType)
        return t

    def like(self, t: TensorType, shape: Sequence[int] | None = None, tiled: bool | None = None,
             buffer: str | None = None) -> TensorType:
        """``t`` with another shape, layout (tiled / row-major) or buffer type (block-float dtypes become bf16
        in a row-major layout: ``ttdiag.ir.printer.like``)."""
        from ..ir.printer import like

        out = self.type(like(t, tuple(shape) if shape is not None else None, tiled, buffer))
        assert isinstance(out, TensorType)
        return out

    # -- ops -------------------------------------------------------------------------------------------
    def op(self, name: str, results: Sequence[str], operands: Sequence[str], operand_types: Sequence[Type | str],
           result_types: Sequence[Type | str], **attrs: str) -> Op:
        """Add ``results = name(operands) <{attrs}> : (operand_types) -> result_types``; ``attrs`` are MLIR
        attribute text (see :func:`ints`, :func:`dense`, :func:`i32`). Checked at once: attribute text must
        parse, operands must be defined, the typed op's ``verify()`` must pass."""
        props = {}
        for k, v in attrs.items():
            try:
                props[k] = self.parser.parse_attribute(v)
            except MLIRSyntaxError as e:
                self.problems.append(f"{name}: attribute {k} = {v[:60]!r} does not parse: {e}")
                return self._placeholder(name, results)
        built = Op(name=name, results=list(results), operands=list(operands),
                   operand_types=[self.type(t) for t in operand_types],
                   result_types=[self.type(t) for t in result_types], properties=props, attributes={}, loc=None,
                   line=0)
        return self.add(built)

    def copy(self, op: Op, results: Sequence[str] | None = None, operands: Sequence[str] | None = None,
             operand_types: Sequence[Type | str] | None = None, result_types: Sequence[Type | str] | None = None,
             drop: Iterable[str] = (), **attrs: str) -> Op:
        """An IR op with some parts replaced (attributes in ``attrs`` replaced or added, ``drop`` removed);
        its loc is kept (it names the source the op came from)."""
        props = {k: v for k, v in {**op.properties, **op.attributes}.items() if k not in set(drop)}
        for k, v in attrs.items():
            try:
                props[k] = self.parser.parse_attribute(v)
            except MLIRSyntaxError as e:
                self.problems.append(f"{op.name}: attribute {k} = {v[:60]!r} does not parse: {e}")
                return self._placeholder(op.name, results or op.results)
        built = Op(name=op.name, results=list(results if results is not None else op.results),
                   operands=list(operands if operands is not None else op.operands),
                   operand_types=[self.type(t) for t in (operand_types if operand_types is not None
                                                         else op.operand_types)],
                   result_types=[self.type(t) for t in (result_types if result_types is not None
                                                        else op.result_types)],
                   properties=props, attributes={}, loc=op.loc, line=0, program=op.program)
        return self.add(built)

    def add(self, built: Op) -> Op:
        """Append an op object after checking it (operands defined; typed ``verify()``)."""
        from ..ir.ttnn import decode

        for o, t in zip(built.operands, built.operand_types):
            if o not in self._defined and isinstance(t, TensorType):
                self.problems.append(f"{built.name}: operand {o} is not defined")
        typed = decode(built)
        if typed is not None:
            ident = f" {built.id}" if built.id else ""
            self.problems.extend(f"{built.name}{ident}: {e}" for e in typed.verify())
        self._defined.update(built.results)
        self.ops.append(built)
        return built

    def _placeholder(self, name: str, results: Sequence[str]) -> Op:
        self._defined.update(results)
        return Op(name=name, results=list(results), operands=[], operand_types=[], result_types=[],
                  properties={}, attributes={}, loc=None, line=0)

    def comment(self, text: str) -> None:
        """A ``// text`` line at this point of the rewrite."""
        self.comments.append((len(self.ops), text))

    def elide(self, text: str, defines: Iterable[str]) -> None:
        """Ops left out of the printed rewrite (repeats of the ops shown), said in a ``// text`` line;
        ``defines``: the values they define, which later ops may use."""
        self.comment(text)
        for v in defines:
            self.elided[v] = text
            self._defined.add(v)

    def finish(self) -> Rewrite:
        """The checked rewrite. Raises RewriteError listing every problem found."""
        if self.problems:
            raise RewriteError(list(self.problems))
        return Rewrite(list(self.ops), list(self.comments), self.given, dict(self.elided))


def _signature(op: Op) -> tuple:
    attrs = tuple(sorted((k, render(v)) for k, v in {**op.properties, **op.attributes}.items()))
    return (op.name, tuple(op.results), tuple(op.operands), tuple(t.text for t in op.operand_types),
            tuple(t.text for t in op.result_types), attrs)


def round_trip_problems(rewrite: Rewrite, text: str, parser: OpLineParser) -> list[str]:
    """The printed ``text`` parses back to ``rewrite``'s ops (names, values, types, attributes), with the
    same comment lines. [] when it does."""
    parsed: list[Op] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            parsed.append(parser.parse(line))
        except MLIRSyntaxError as e:
            return [f"the printed rewrite does not parse: {e}"]
    if len(parsed) != len(rewrite.ops):
        return [f"the printed rewrite has {len(parsed)} ops, the rewrite {len(rewrite.ops)}"]
    for built, back in zip(rewrite.ops, parsed):
        if _signature(built) != _signature(back):
            return [f"{built.name} {built.id or ''}: the printed op does not parse back to the same op".replace(
                "  ", " ")]
    return []


__all__ = ["DRAM_INTERLEAVED", "ROW_MAJOR", "TILE", "Rewrite", "RewriteBuilder", "RewriteError", "boolean", "dense",
           "i32", "ints", "round_trip_problems", "si32"]

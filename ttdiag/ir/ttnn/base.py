"""Typed TTNN ops: each op decoded once from the generic :class:`~ttdiag.ir.graph.Op` into a dataclass
with typed operands, results and attributes, declared defaults, and a ``verify()`` of what tt-metal
checks. Modelled on xDSL's op definitions and ONNX's reference ``_run(x, axis=...)`` signatures.

An op class declares its attributes as dataclass fields made with :func:`attr` (the attribute's name,
its decoder, its default); :func:`decode` looks the op name up in the registry and builds the instance.
An op the registry does not know, or one whose attributes do not decode, stays a generic op: ``decode``
returns None and nothing breaks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

from ..graph import Op
from ..types import TensorType
from .attrs import AttrReader, Config

_REGISTRY: dict[str, type[TTNNOp]] = {}


def attr(name: str | None = None, kind: str = "int", default: Any = None) -> Any:
    """A field read from the op attribute ``name`` (the field's own name when None) with the
    :class:`~ttdiag.ir.ttnn.attrs.AttrReader` getter ``kind`` (int, ints, bool, float, text, grid,
    config); ``default`` when the op does not carry it. Tuples are hashable defaults; use ``None`` for
    "not given"."""
    return field(default=default, metadata={"attr": name, "kind": kind})


@dataclass(slots=True)
class TTNNOp:
    """A decoded TTNN op. ``op`` is the generic op (name, SSA values, loc, line); ``inputs`` and
    ``outputs`` are its tensor operand / result types (None where a value is not a ranked tensor)."""

    NAMES: ClassVar[tuple[str, ...]] = ()
    op: Op = field(repr=False, default=None)  # type: ignore[assignment]
    inputs: tuple[TensorType | None, ...] = ()
    outputs: tuple[TensorType | None, ...] = ()

    @property
    def name(self) -> str:
        return self.op.name

    def input(self, i: int) -> TensorType | None:
        return self.inputs[i] if i < len(self.inputs) else None

    def output(self, i: int = 0) -> TensorType | None:
        return self.outputs[i] if i < len(self.outputs) else None

    def verify(self) -> list[str]:
        """What tt-metal's ``validate`` of this op would reject, one sentence each (empty: valid)."""
        return []


def ttnn_op(*names: str) -> Callable[[type[TTNNOp]], type[TTNNOp]]:
    """Register a TTNNOp subclass for op ``names`` (``ttnn.conv2d``...). Raises ValueError on a duplicate."""
    def register(cls: type[TTNNOp]) -> type[TTNNOp]:
        for n in names:
            if n in _REGISTRY:
                raise ValueError(f"{n}: typed op already registered by {_REGISTRY[n].__name__}")
            _REGISTRY[n] = cls
        cls.NAMES = names
        return cls
    return register


def _tensors(types) -> tuple[TensorType | None, ...]:
    return tuple(t if isinstance(t, TensorType) else None for t in types)


def decode(op: Op) -> TTNNOp | None:
    """The typed form of ``op``, or None when its name is not registered. Decoding never raises: an
    attribute that does not decode takes its default (``verify`` says what is wrong)."""
    cls = _REGISTRY.get(op.name)
    if cls is None:
        return None
    reader = AttrReader(op)
    values: dict[str, Any] = {}
    for f in fields(cls):
        meta = f.metadata
        if "attr" not in meta:
            continue
        key = meta["attr"] or f.name
        default = f.default if f.default is not MISSING else None
        values[f.name] = getattr(reader, meta["kind"])(key) if meta["kind"] == "config" else \
            getattr(reader, meta["kind"])(key, default)
    return cls(op=op, inputs=_tensors(op.operand_types), outputs=_tensors(op.result_types), **values)


def registered() -> dict[str, type[TTNNOp]]:
    """Op name → typed class (a copy)."""
    return dict(_REGISTRY)


__all__ = ["Config", "TTNNOp", "attr", "decode", "registered", "ttnn_op"]

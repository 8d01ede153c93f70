"""Registry of reference implementations: TTNN op name → ``fn(call, *inputs) -> tuple[np.ndarray, ...]``.

In the spirit of ONNX's reference evaluator and xDSL's interpreter: one small function per op, one
module per op family, registered by a decorator. The executor (not each op) checks the results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

from ..ir.graph import Op
from ..ir.ttnn import AttrReader, TTNNOp, decode
from ..ir.types import TensorType
from .dtypes import storage_dtype, store

RefFn = Callable[..., tuple[np.ndarray, ...]]
T = TypeVar("T", bound=TTNNOp)
_OPS: dict[str, RefFn] = {}


class UnknownOpError(KeyError):
    """No reference implementation for an op; the message names it and lists the available ones."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"no reference implementation for {self.name!r}; available: {', '.join(available())}"


def reference_op(*names: str) -> Callable[[RefFn], RefFn]:
    """Register ``fn`` for the given op names. Raises ValueError at import on a duplicate name."""

    def deco(fn: RefFn) -> RefFn:
        for n in names:
            if n in _OPS:
                raise ValueError(f"{fn.__name__}: reference op {n!r} already registered ({_OPS[n].__name__})")
            _OPS[n] = fn
        return fn

    return deco


def lookup(name: str) -> RefFn:
    if name not in _OPS:
        raise UnknownOpError(name)
    return _OPS[name]


def available() -> list[str]:
    return sorted(_OPS)


class Call:
    """What an implementation sees of its op: its attributes, read through the one attribute reader
    (:class:`~ttdiag.ir.ttnn.AttrReader`: the same spelling rules and defaults as the L1 models), its
    typed form (:meth:`typed`), and its result types.

    ``cast(x, i)`` stores ``x`` in result ``i``'s storage dtype; ``out_shape(i)`` is result ``i``'s
    static shape.
    """

    def __init__(self, op: Op):
        self.op = op
        self.attrs = AttrReader(op)
        self._typed: TTNNOp | None = None

    def typed(self, cls: type[T]) -> T:
        """The op decoded as the typed op ``cls`` (``Permute``, ``Reduction`` ...).

        Raises:
            TypeError: the op's name is not one ``cls`` decodes.
        """
        if self._typed is None:
            self._typed = decode(self.op)
        if not isinstance(self._typed, cls):
            raise TypeError(f"{self.op.name} is not a {cls.__name__} op")
        return self._typed

    # attributes (AttrReader getters; ``default`` when absent or not decodable) --------------
    def has(self, name: str) -> bool:
        """Whether the op carries attribute ``name``."""
        return self.attrs.has(name)

    def int(self, name: str, default: int | None = None) -> int | None:
        """``4 : i32`` / ``-1 : si64`` -> the int."""
        return self.attrs.int(name, default)

    def ints(self, name: str, default: Sequence[int] | None = None) -> tuple[int, ...] | None:
        """A list / ``array<...>`` / ``#ttnn.shape<AxB>`` / scalar attribute as a tuple."""
        return self.attrs.ints(name, None if default is None else tuple(default))

    def float(self, name: str, default: float | None = None) -> float | None:
        """``1.5 : f32`` or a hex bit pattern (``0x7FC00000 : f32`` is NaN) -> the float."""
        return self.attrs.float(name, default)

    def bool(self, name: str, default: bool = False) -> bool:
        """``true`` / ``false``."""
        return self.attrs.bool(name, default)

    def text(self, name: str, default: str | None = None) -> str | None:
        """A string or enum value: ``"nearest"`` -> nearest, ``#ttnn.layout<tile>`` -> tile."""
        return self.attrs.text(name, default)

    # results --------------------------------------------------------------------------
    def result_type(self, i: int = 0) -> TensorType:
        t = self.op.result_types[i]
        if not isinstance(t, TensorType):
            raise TypeError(f"{self.op.name}: result {i} is not a tensor")
        return t

    def out_shape(self, i: int = 0) -> tuple[int, ...]:
        shape = self.result_type(i).static_shape
        if shape is None:
            raise ValueError(f"{self.op.name}: result {i} has a dynamic shape")
        return shape

    def out_dtype(self, i: int = 0) -> np.dtype:
        t = self.result_type(i)
        return storage_dtype(t.layout.dtype if t.layout is not None else t.dtype)

    def cast(self, x: np.ndarray, i: int = 0) -> np.ndarray:
        return store(x, self.out_dtype(i))

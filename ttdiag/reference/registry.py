"""Registry of reference implementations: TTNN op name → ``fn(call, *inputs) -> tuple[np.ndarray, ...]``.

In the spirit of ONNX's reference evaluator and xDSL's interpreter: one small function per op, one
module per op family, registered by a decorator. The executor (not each op) checks the results.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..ir.graph import Op
from ..ir.items import Atom, Body, Group, as_int, int_list, render
from ..ir.types import TensorType
from .dtypes import storage_dtype, store

RefFn = Callable[..., tuple[np.ndarray, ...]]
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
    """What an implementation sees of its op: attributes (typed accessors) and result types.

    ``cast(x, i)`` stores ``x`` in result ``i``'s storage dtype; ``out_shape(i)`` is result ``i``'s
    static shape.
    """

    def __init__(self, op: Op):
        self.op = op

    # attributes -----------------------------------------------------------------------
    def has(self, name: str) -> bool:
        return self.op.attr(name) is not None

    def int(self, name: str, default: int | None = None) -> int | None:
        v = as_int(self.op.attr(name))
        return default if v is None else v

    def ints(self, name: str, default: list[int] | None = None) -> list[int] | None:
        items = self.op.attr(name)
        if items is None:
            return default
        v = int_list(items)
        if v is None and len(items) == 1 and isinstance(items[0], Body):
            # e.g. #ttnn.shape<1x2x3> or array-like bodies
            text = render(items[0].items).replace(" ", "")
            if text and all(p.isdigit() for p in text.split("x")):
                return [int(p) for p in text.split("x")]
            nums = [int(it.text) for it in items[0].items if isinstance(it, Atom) and it.kind == "INT"]
            return nums or default
        return default if v is None else v

    def float(self, name: str, default: float | None = None) -> float | None:
        items = self.op.attr(name)
        if not items or not isinstance(items[0], Atom):
            return default
        try:
            return float(items[0].text)
        except ValueError:
            return default

    def bool(self, name: str, default: bool = False) -> bool:
        items = self.op.attr(name)
        if not items or not isinstance(items[0], Atom):
            return default
        return items[0].text == "true"

    def text(self, name: str, default: str | None = None) -> str | None:
        items = self.op.attr(name)
        if not items:
            return default
        node = items[0]
        if isinstance(node, Atom):
            return node.text.strip('"')
        if isinstance(node, (Body, Group)) and len(node.items) == 1 and isinstance(node.items[0], Atom):
            return node.items[0].text  # #ttnn.layout<tile> -> tile
        return render(items)

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

"""Printing TTNN types and generic ops back to MLIR text (for rewrites and repro modules).

Layouts are printed in the Dec-2025 form tt-mlir uses for DRAM-interleaved tensors
(``#ttnn.ttnn_layout<map, <1x1>, memref<..., #ttnn.buffer_type<dram>>, <interleaved>>``), with the
affine map and memref that tt-mlir computes (ttnn-facts.md §2.3).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .graph import Op
from .items import render
from .types import TensorType


def _map(shape: tuple[int, ...], tiled: bool) -> str:
    if len(shape) <= 1:
        return "(d0) -> (0, d0)" if shape else "() -> (0, 0)"
    ps = list(shape)
    if tiled:
        ps[-1] = -(-ps[-1] // 32) * 32
        ps[-2] = -(-ps[-2] // 32) * 32
    dims = [f"d{i}" for i in range(len(shape))]
    terms = []
    acc = 1
    strides = [0] * (len(shape) - 1)
    for k in range(len(shape) - 2, -1, -1):
        strides[k] = acc
        acc *= ps[k]
    for k, s in enumerate(strides):
        terms.append(f"d{k}" if s == 1 else f"d{k} * {s}")
    return f"({', '.join(dims)}) -> ({' + '.join(terms)}, d{len(shape) - 1})"


def layout_text(shape: tuple[int, ...], dtype: str, tiled: bool, buffer: str = "dram") -> str:
    """A DRAM- (or L1-) interleaved ``#ttnn.ttnn_layout`` for ``shape`` (host: no memory layout)."""
    ps = list(shape) or [1]
    if tiled:
        rows = math.prod(ps[:-2]) * -(-ps[-2] // 32) * 32 if len(ps) >= 2 else 32
        cols = -(-ps[-1] // 32) * 32
        memref = f"memref<{rows // 32}x{cols // 32}x!ttcore.tile<32x32, {dtype}>, #ttnn.buffer_type<{buffer}>>"
    else:
        rows = math.prod(ps[:-1]) if len(ps) >= 2 else 1
        memref = f"memref<{rows}x{ps[-1]}x{dtype}, #ttnn.buffer_type<{buffer}>>"
    grid = "<8x8>" if buffer == "l1" else "<1x1>"
    tail = "" if buffer == "system_memory" else ", <interleaved>"
    return f"#ttnn.ttnn_layout<{_map(tuple(shape), tiled)}, {grid}, {memref}{tail}>"


def tensor_text(shape: tuple[int, ...], dtype: str, tiled: bool, buffer: str = "dram") -> str:
    """``tensor<AxBxdtype, #ttnn.ttnn_layout<...>>``."""
    dims = "x".join(str(d) for d in shape)
    return f"tensor<{dims + 'x' if dims else ''}{dtype}, {layout_text(shape, dtype, tiled, buffer)}>"


def like(t: TensorType, shape: tuple[int, ...] | None = None, tiled: bool | None = None,
         buffer: str | None = None) -> str:
    """The text of ``t`` with another shape, layout (tiled or row-major) or buffer type."""
    lay = t.layout
    dtype = lay.dtype if lay is not None else t.dtype
    if dtype.startswith("bfp_"):
        dtype = "bf16"
    return tensor_text(tuple(shape if shape is not None else t.static_shape or ()), dtype,
                       lay.is_tiled if tiled is None and lay is not None else bool(tiled),
                       buffer or (lay.buffer_type if lay is not None and lay.buffer_type else "dram"))


def op_text(results: Iterable[str], name: str, operands: Iterable[str], in_types: Iterable[str],
            out_types: Iterable[str], props: dict[str, str] | None = None, loc: str | None = None) -> str:
    """One generic op: ``%r = "name"(%a) <{k = v}> : (T) -> T loc(...)``."""
    res = list(results)
    outs = list(out_types)
    head = f"{', '.join(res)} = " if res else ""
    p = f" <{{{', '.join(f'{k} = {v}' for k, v in props.items())}}}>" if props else ""
    out = "()" if not outs else outs[0] if len(outs) == 1 else f"({', '.join(outs)})"
    text = f'{head}"{name}"({", ".join(operands)}){p} : ({", ".join(in_types)}) -> {out}'
    return text + (f" {loc}" if loc else "")


def print_op(op: Op, rename: dict[str, str] | None = None) -> str:
    """Print an IR op in generic form (operands renamed through ``rename``)."""
    rename = rename or {}
    props = {k: render(v) for k, v in op.properties.items()}
    props.update({k: render(v) for k, v in op.attributes.items()})
    return op_text([rename.get(r, r) for r in op.results], op.name, [rename.get(o, o) for o in op.operands],
                   [t.text for t in op.operand_types], [t.text for t in op.result_types], props,
                   op.loc.raw if op.loc else None)

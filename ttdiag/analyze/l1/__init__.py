"""L1 model: per-core circular-buffer demand of every op, without a device.

``analyze_op(op, ctx)`` picks the op's registered CB model (or the labelled fallback estimate) and
adds the op's L1 tensor footprint. Model families, one module each (adding one is one import here):
"""

from __future__ import annotations

from dataclasses import replace

from ...gc_pause import paused_gc
from ...ir.graph import Module, Op
from ..arch import ArchSpec
from . import (  # noqa: F401  (registration)
    generic,
    ops_batchnorm,
    ops_cache,
    ops_ccl,
    ops_conv,
    ops_copy,
    ops_data_movement,
    ops_eltwise,
    ops_heads,
    ops_index_reduce,
    ops_layout,
    ops_matmul,
    ops_memory,
    ops_pool,
    ops_quant,
    ops_reduce,
    ops_sort,
    ops_special,
    ops_tensor_spec,
    ops_transformer,
)
from .era import ERAS, LATEST, MetalEra, era_for_date, era_for_module, get_era
from .model import CB, CoreGroup, L1Context, OpL1
from .registry import model_for, registered
from .tensors import l1_bytes_per_bank, unknown_dtype_notes

_MODULES = (generic, ops_layout, ops_data_movement, ops_memory, ops_conv, ops_matmul, ops_reduce, ops_eltwise,
            ops_special, ops_copy, ops_ccl, ops_transformer, ops_pool, ops_tensor_spec, ops_index_reduce, ops_batchnorm,
            ops_quant, ops_heads, ops_cache, ops_sort)


def make_context(arch: ArchSpec, era: MetalEra | None = None, l1_unreserved_base: int | None = None) -> L1Context:
    """An L1Context: the base is the override, else the arch's (system_desc) base, else the era's WH base."""
    era = era or ERAS[LATEST]
    base = l1_unreserved_base or arch.l1_unreserved_base or era.wh_unreserved_base
    return L1Context(arch, era, base)


def analyze_op(op: Op, ctx: L1Context) -> OpL1:
    """The CB prediction for one op. Models never raise on odd IR: a model failure becomes the
    fallback estimate with the reason in ``formula``."""
    if not op.name.startswith(("ttnn.", "ttcore.")):
        res = generic.no_program(op, f"{op.name} is not a TTNN op: no CB model")
        res.skipped = "not a TTNN op"
        res.op_id, res.op_name, res.program, res.line, res.era = op.id, op.name, op.program, op.line, ctx.era.name
        return res
    try:
        res = model_for(op.name)(op, ctx)
    except (ValueError, ZeroDivisionError, IndexError, TypeError) as e:
        res = generic.generic_estimate(op, ctx)
        res.formula.insert(0, f"model for {op.name} failed ({e}); estimate")
    res.op_id, res.op_name, res.program, res.line = op.id, op.name, op.program, op.line
    res.era = ctx.era.name
    notes = unknown_dtype_notes(op) if res.core_groups else []
    if notes:
        res.formula.extend(notes)
        res.confidence = "estimate"
    res.l1_tensor_bytes_per_bank = l1_bytes_per_bank(op, ctx.arch)
    return res


def analyze_module(module: Module, ctx: L1Context) -> list[OpL1]:
    """Every op of every program, in program order (the context gains the module's CPU-hoist boundary)."""
    if ctx.cpu_hoist is None:
        ctx = replace(ctx, cpu_hoist=ops_tensor_spec.cpu_hoist_boundary(module))
    with paused_gc():
        return [analyze_op(op, ctx) for op in module.all_ops() if op.name not in ("return", "func.return")]


__all__ = ["CB", "CoreGroup", "L1Context", "OpL1", "ERAS", "LATEST", "MetalEra", "analyze_module", "analyze_op",
           "era_for_date", "era_for_module", "get_era", "make_context", "registered"]

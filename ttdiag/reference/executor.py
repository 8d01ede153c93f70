"""The reference executor: runs TTNN ops or whole programs on numpy arrays.

Storage is bf16-faithful (results are stored in their IR dtype, bf16 via ml_dtypes, rounding to
nearest even) and arithmetic is float32 (see :mod:`ttdiag.reference.dtypes`). The executor checks
every implementation's results against the op's result types, as ONNX's ``OpRun`` does, so each op
stays a few lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..ir.graph import Op, Program
from ..ir.types import TensorType
from .dtypes import random_like, storage_dtype
from .registry import Call, UnknownOpError, lookup


class ReferenceError(RuntimeError):
    """An implementation returned something that does not match the op's IR result types, or an op
    could not be run (missing input, unknown op). The message names the op and its line."""


@dataclass(slots=True)
class OpStats:
    """Per-op summary of a replay: shapes, dtypes, and value statistics of each result."""

    op_id: str | None
    name: str
    line: int
    results: list[dict] = field(default_factory=list)


def describe(x: np.ndarray) -> dict:
    """Shape, dtype and value statistics (float32) of an array."""
    d: dict = {"shape": list(x.shape), "dtype": str(x.dtype)}
    if x.size and (np.issubdtype(x.dtype, np.number) or x.dtype.kind == "V" or str(x.dtype) == "bfloat16"):
        f = x.astype(np.float32)
        finite = np.isfinite(f)
        d.update(min=float(f[finite].min()) if finite.any() else None,
                 max=float(f[finite].max()) if finite.any() else None,
                 mean=float(f[finite].mean()) if finite.any() else None,
                 std=float(f[finite].std()) if finite.any() else None,
                 nonfinite=int(f.size - finite.sum()))
    return d


def tensor_input(t: TensorType, rng: np.random.Generator) -> np.ndarray:
    """Seeded random data for a tensor type (its static shape and storage dtype)."""
    shape = t.static_shape
    if shape is None:
        raise ReferenceError(f"cannot make an input for dynamic type {t.text}")
    return random_like(shape, storage_dtype(t.layout.dtype if t.layout is not None else t.dtype), rng)


class Executor:
    """Runs ops with the registered reference implementations."""

    def run_op(self, op: Op, inputs: list[np.ndarray]) -> list[np.ndarray]:
        """Run one op on its operand arrays; returns one array per result.

        Raises:
            UnknownOpError: no implementation (the message lists the available ones).
            ReferenceError: the implementation's results do not match the IR result types.
        """
        fn = lookup(op.name)
        outs = fn(Call(op), *inputs)
        if not isinstance(outs, tuple):
            raise ReferenceError(f"{op.name} (line {op.line}): implementation {fn.__name__} must return a tuple")
        if len(outs) != len(op.results):
            raise ReferenceError(f"{op.name} (line {op.line}): {len(outs)} results, IR has {len(op.results)}")
        for i, (x, t) in enumerate(zip(outs, op.result_types)):
            if not isinstance(x, np.ndarray):
                raise ReferenceError(f"{op.name} (line {op.line}): result {i} is {type(x).__name__}, not an array")
            if isinstance(t, TensorType) and t.static_shape is not None:
                if tuple(x.shape) != t.static_shape:
                    raise ReferenceError(f"{op.name} (line {op.line}): result {i} has shape {list(x.shape)}, "
                                         f"IR says {list(t.static_shape)}")
                want = storage_dtype(t.layout.dtype if t.layout is not None else t.dtype)
                if x.dtype != want:
                    raise ReferenceError(f"{op.name} (line {op.line}): result {i} is {x.dtype}, IR says {want}")
        return list(outs)

    def run_ops(self, ops: list[Op], env: dict[str, np.ndarray], rng: np.random.Generator | None = None,
                stats: bool = True) -> list[OpStats]:
        """Run ``ops`` in order over ``env`` (SSA name → array), adding results to ``env``.

        Operands missing from ``env`` get seeded random data from their IR type when ``rng`` is given
        (the inputs of a program slice); otherwise they raise ReferenceError. ``stats=False`` skips the
        per-result value statistics.
        """
        out: list[OpStats] = []
        for op in ops:
            args = []
            for i, name in enumerate(op.operands):
                if name not in env:
                    t = op.operand_types[i] if i < len(op.operand_types) else None
                    if rng is None or not isinstance(t, TensorType):
                        if not isinstance(t, TensorType):
                            env[name] = np.zeros(0, np.float32)  # a device handle or other non-tensor
                        else:
                            raise ReferenceError(f"{op.name} (line {op.line}): no value for operand {name}")
                    else:
                        env[name] = tensor_input(t, rng)
                args.append(env[name])
            outs = self.run_op(op, args)
            st = OpStats(op.id, op.name, op.line)
            for r, x in zip(op.results, outs):
                env[r] = x
                if stats:
                    st.results.append({"value": r, **describe(x)})
            out.append(st)
        return out

    def run_program(self, program: Program, inputs: dict[str, np.ndarray] | None = None,
                    seed: int = 0) -> tuple[dict[str, np.ndarray], list[OpStats]]:
        """Run a whole program; arguments not in ``inputs`` get seeded random data."""
        rng = np.random.default_rng(seed)
        env: dict[str, np.ndarray] = {}
        for name, t in program.args:
            if inputs and name in inputs:
                env[name] = inputs[name]
            elif isinstance(t, TensorType):
                env[name] = tensor_input(t, rng)
        ops = [op for op in program.ops if op.name not in ("return", "func.return")]
        return env, self.run_ops(ops, env, rng)


__all__ = ["Executor", "OpStats", "ReferenceError", "UnknownOpError", "describe", "tensor_input"]

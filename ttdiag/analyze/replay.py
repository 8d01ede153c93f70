"""Replay: run a program, or a slice of one, from a dump or from a log's op lines on the reference executor."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..io import InputError
from ..ir.graph import Module, Op, Program
from ..reference import Executor, OpStats
from .inspect import load_module

_RANGE = re.compile(r"^(%[\w$.\-#]+)?\.\.(%[\w$.\-#]+)?$")


class ReplayError(ValueError):
    """A replay request that cannot be met (no such program, bad op range, bad inputs file)."""


@dataclass(slots=True)
class ReplayResult:
    source: str
    program: str
    ops: list[Op]
    stats: list[OpStats] = field(default_factory=list)
    stopped: str | None = None
    inputs: dict[str, dict] = field(default_factory=dict)


def pick_program(module: Module, name: str | None) -> Program:
    """``name`` (the last run of that name, for logs), else ``main``, else the first non-const-eval
    program. Raises ReplayError when there is none."""
    progs = [p for p in module.programs if p.ops]
    if name:
        named = [p for p in progs if p.name == name]
        if not named:
            raise ReplayError(f"no program named {name!r}; programs: {', '.join(sorted({p.name for p in progs}))}")
        return named[-1]
    for p in reversed(progs):
        if p.name == "main":
            return p
    for p in progs:
        if not p.is_const_eval:
            return p
    if progs:
        return progs[0]
    raise ReplayError("the input has no program with ops")


def slice_ops(program: Program, spec: str | None) -> list[Op]:
    """``%5..%12`` (inclusive, by result id; either end may be omitted) → that run of ops."""
    ops = [op for op in program.ops if op.name not in ("return", "func.return")]
    if not spec:
        return ops
    m = _RANGE.match(spec.strip())
    if not m:
        raise ReplayError(f"bad --ops range {spec!r}: expected %FIRST..%LAST")
    first, last = m.group(1), m.group(2)
    ids = [op.id for op in ops]
    if first and first not in ids:
        raise ReplayError(f"no op {first} in program {program.name!r}")
    start = ids.index(first) if first else 0
    if last and last not in ids:
        raise ReplayError(f"no op {last} in program {program.name!r}")
    end = ids.index(last) if last else len(ops) - 1
    if end < start:
        raise ReplayError(f"empty range {spec!r}")
    return ops[start:end + 1]


def load_inputs(path: str) -> dict[str, np.ndarray]:
    """Arrays from an ``.npz`` (keys are SSA names, with or without ``%``). Never unpickles."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return {(k if k.startswith("%") else "%" + k): data[k] for k in data.files}
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (ValueError, OSError) as e:
        raise ReplayError(f"{path}: not a readable .npz of plain arrays ({e})") from None


def replay(path: str, program: str | None = None, ops: str | None = None, inputs: str | None = None,
           seed: int = 0) -> ReplayResult:
    """Run ``program`` (or the slice ``ops``) of a dump or log; missing inputs get seeded random data.

    An op without a reference implementation stops the replay: ``stopped`` names it and the
    stats cover the ops before it.

    Raises:
        InputError: unreadable input; ReplayError: no such program / bad range / bad inputs file.
    """
    module, _, _ = load_module(path)
    prog = pick_program(module, program)
    run = slice_ops(prog, ops)
    given = load_inputs(inputs) if inputs else {}
    rng = np.random.default_rng(seed)
    env: dict[str, np.ndarray] = dict(given)
    for name, t in prog.args:
        if name not in env:
            from ..ir.types import TensorType
            from ..reference.executor import tensor_input

            if isinstance(t, TensorType) and t.static_shape is not None:
                env[name] = tensor_input(t, rng)
    result = ReplayResult(path, prog.name, run, inputs={k: {"shape": list(v.shape), "dtype": str(v.dtype)}
                                                        for k, v in given.items()})
    ex = Executor()
    from ..reference import ReferenceError, UnknownOpError

    for op in run:
        if op.name == "ttcore.load_cached":
            # a cached const-eval result (weights): replayed as an input with seeded data
            from ..ir.types import TensorType
            from ..reference.executor import tensor_input

            for r, t in zip(op.results, op.result_types):
                if r not in env and isinstance(t, TensorType) and t.static_shape is not None:
                    env[r] = tensor_input(t, rng)
                    result.inputs[r] = {"shape": list(t.static_shape), "dtype": str(env[r].dtype),
                                        "from": "ttcore.load_cached (seeded)"}
            continue
        try:
            result.stats.extend(ex.run_ops([op], env, rng))
        except UnknownOpError as e:
            result.stopped = f"op {op.id or '(no result)'} at line {op.line}: {e}"
            break
        except (ReferenceError, ValueError, TypeError, IndexError) as e:
            result.stopped = f"op {op.id or '(no result)'} {op.name} at line {op.line} failed: {e}"
            break
    return result

"""What advice rules see: the failure and its op, the log window, the L1 model, and helpers to
model and verify a rewrite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..analyze.dump_search import DumpCandidate
from ..analyze.l1 import analyze_op
from ..analyze.l1.model import L1Context
from ..analyze.triage import FailureReport
from ..ir.graph import Op
from ..ir.trace import ProgramRun, RunTrace
from ..ir.types import TensorType
from ..parse.mlir import MLIRSyntaxError, OpLineParser
from .dump import DumpProgram
from .model import Verification
from .rewrite import RewriteBuilder

# Ops that move or re-encode a tensor without changing its logical values (tile padding is physical, never
# part of the logical tensor: tt-metal TensorLayout). The executor models them as identity, so a comparison
# in which only these differ proves nothing: its status is ``layout-only``.
LAYOUT_OPS = frozenset({"ttnn.to_layout", "ttnn.to_memory_config", "ttnn.tilize", "ttnn.untilize",
                        "ttnn.tilize_with_val_padding", "ttnn.untilize_with_unpadding", "ttnn.from_device",
                        "ttnn.to_device", "ttnn.deallocate", "ttnn.get_device"})
_LAYOUT_PROPS = frozenset({"layout", "memory_config", "dtype", "force"})


def _dtype(t) -> str | None:
    if not isinstance(t, TensorType):
        return None
    return t.layout.dtype if t.layout is not None else t.dtype


def is_layout_op(op: Op) -> bool:
    """A layout / memory op that keeps the values (a dtype change is a value change)."""
    if op.name in ("ttnn.typecast", "ttnn.to_dtype"):
        return bool(op.operand_types and op.result_types and _dtype(op.operand_types[0]) == _dtype(op.result_types[0]))
    if op.name not in LAYOUT_OPS:
        return False
    if op.operand_types and op.result_types and isinstance(op.operand_types[0], TensorType):
        return _dtype(op.operand_types[0]) == _dtype(op.result_types[0])
    return True


def value_ops(ops: list[Op]) -> list[tuple]:
    """The ops that compute values, as comparable signatures (name, result shapes, non-layout properties)."""
    from ..ir.items import render

    out = []
    for op in ops:
        if is_layout_op(op):
            continue
        shapes = tuple(t.static_shape if isinstance(t, TensorType) else None for t in op.result_types)
        props = tuple(sorted((k, render(v)) for k, v in {**op.properties, **op.attributes}.items()
                             if k not in _LAYOUT_PROPS))
        out.append((op.name, shapes, props))
    return out


@dataclass(slots=True)
class AdviceContext:
    """``verify``: run the reference executor on rewrites; ``seed``: its input seed; ``full_size``:
    verify on the IR's full shapes instead of a reduced instance (fewer channels or chunks); ``dump``: the
    failing run's program in a TTNN MLIR dump (``--ir``), whose ops ``producer``/``consumers`` fall back to
    (cite them with :meth:`where`); ``located``: the failing op found in that dump by the failure's figures
    when the log shows no op line (the only op that reproduces them): it is then :attr:`failing_op`."""

    report: FailureReport
    trace: RunTrace
    l1: L1Context
    verify: bool = True
    seed: int = 0
    full_size: bool = False
    parser: OpLineParser = field(default_factory=OpLineParser)
    dump: DumpProgram | None = None
    located: DumpCandidate | None = None
    _window: list[Op] | None = None
    _extra: list[Op] | None = None

    @property
    def failing_op(self) -> Op | None:
        loc = self.report.localization
        if loc is not None and loc.failing.op is not None:
            return loc.failing.op
        return self.located.op if self.located is not None else None

    def window_ops(self) -> list[Op]:
        """The failing run's recent op lines, parsed (lines that do not parse are skipped)."""
        if self._window is None:
            ops = []
            for rec in self.report.failure.event.window:
                try:
                    ops.append(self.parser.parse(rec.text, rec.line))
                except MLIRSyntaxError:
                    continue
            self._window = ops
        return self._window

    def dump_ops(self) -> list[Op]:
        """The dump's ops of the failing run's program that the window does not hold: those before the
        failing op the window did not keep, and those after it (they never ran), and the failing op itself when
        it was located in the dump; empty without a dump."""
        if self._extra is None:
            self._extra = []
            if self.dump is not None:
                seen = {(o.name, tuple(o.results), tuple(o.operands)) for o in self.window_ops()}
                # the failing op is in the window, unless it was located in the dump (no op line)
                self._extra = [o for i, o in enumerate(self.dump.ops)
                               if (i != self.dump.failing or self.located is not None)
                               and (o.name, tuple(o.results), tuple(o.operands)) not in seen]
        return self._extra

    def where(self, op: Op) -> str:
        """The file ``op`` was read from: ``dump`` (one of :meth:`dump_ops`) or ``log``."""
        if self.located is not None and op is self.located.op:
            return "dump"
        return "dump" if any(o is op for o in self.dump_ops()) else "log"

    def producer(self, value: str) -> Op | None:
        """The op defining ``value``: a window op, else a dump op."""
        for op in reversed(self.window_ops()):
            if value in op.results:
                return op
        return next((op for op in self.dump_ops() if value in op.results), None)

    def previous_run(self) -> ProgramRun | None:
        """The last finished run before the failing one (an earlier graph of the same process)."""
        run = self.report.failure.event.run
        prev = [r for r in self.trace.programs if r.finished and (run is None or r.index < run)
                and not r.name.endswith(tuple(f"const_eval_{i}" for i in range(100)))
                and "const_eval" not in r.name]
        return prev[-1] if prev else None

    def builder(self, given: tuple[str, ...] | list[str] = ()) -> RewriteBuilder:
        """A rewrite builder starting from the IR values ``given`` (sharing this context's type cache)."""
        return RewriteBuilder(given, self.parser)

    def predict(self, ops: list[Op]) -> dict:
        """The L1 model of each rewritten op: the worst CB region end, whether all fit."""
        per_op = []
        worst = 0
        fits = True
        for op in ops:
            r = analyze_op(op, self.l1)
            end = r.worst(self.l1)[1] if r.core_groups else None
            if end is not None:
                worst = max(worst, end)
            fits = fits and r.fits(self.l1)
            per_op.append({"op": op.id, "name": op.name, "factory": r.factory, "confidence": r.confidence,
                           "cb_region_end_bytes": end, "fits": r.fits(self.l1)})
        return {"ops": per_op, "worst_cb_region_end_bytes": worst or self.l1.l1_unreserved_base,
                "l1_limit_bytes": self.l1.l1_limit, "fits": fits, "arch": self.l1.arch.name,
                "era": self.l1.era.name, "l1_unreserved_base_bytes": self.l1.l1_unreserved_base}

    def inputs_for(self, ops: list[Op], rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Seeded arrays for every operand the ops use but do not define."""
        from ..reference.executor import tensor_input

        defined = {r for op in ops for r in op.results}
        env: dict[str, np.ndarray] = {}
        for op in ops:
            for name, t in zip(op.operands, op.operand_types):
                if name not in defined and name not in env:
                    env[name] = tensor_input(t, rng) if isinstance(t, TensorType) else np.zeros(0, np.float32)
        return env

    def run_both(self, original: list[Op], rewrite: list[Op], out_orig: str, out_new: str,
                 inputs: Callable[[np.random.Generator], dict[str, np.ndarray]] | None = None,
                 pcc_ok: float = 0.999, detail: str = "", reduced: str = "") -> Verification:
        """Run the original ops and the rewrite on the same seeded inputs and compare the named results.

        When only layout / memory ops differ (the value-computing ops are the same, in the same order, with
        the same shapes and properties) nothing is run: the status is ``layout-only``. ``reduced`` says how
        the instance was shrunk from the IR's shapes (empty: the IR's own shapes).
        """
        if value_ops(original) == value_ops(rewrite):
            moved = sorted({op.name for op in original + rewrite if is_layout_op(op)})
            return Verification("layout-only", detail="only layout / memory ops change (" + ", ".join(moved)
                                + "): the values are equal by construction; nothing was run")
        if not self.verify:
            return Verification("not-run", detail="verification disabled (--no-verify)")
        from ..reference import Executor, ReferenceError, UnknownOpError  # imports ml_dtypes: only when run
        from .compare import compare

        rng = np.random.default_rng(self.seed)
        env = inputs(rng) if inputs else self.inputs_for(original, rng)
        for name, arr in self.inputs_for(rewrite, np.random.default_rng(self.seed + 1)).items():
            env.setdefault(name, arr)
        instance = {"inputs": {k: list(v.shape) for k, v in env.items() if v.size}, "reduced": bool(reduced),
                    "how": reduced or "the IR's shapes"}
        ex = Executor()
        try:
            e1, e2 = dict(env), dict(env)
            ex.run_ops(original, e1, stats=False)
            ex.run_ops(rewrite, e2, stats=False)
        except (UnknownOpError, ReferenceError, ValueError, TypeError, IndexError, MemoryError) as e:
            return Verification("not-run", inputs_seed=self.seed, instance=instance, detail=f"could not run: {e}")
        return compare(e1[out_orig], e2[out_new], self.seed, pcc_ok, detail, instance)

    def consumers(self, value: str) -> list[Op]:
        """Window ops, then dump ops, that use ``value`` as an operand."""
        return [op for op in self.window_ops() + self.dump_ops() if value in op.operands]

    def downstream(self, value: str, through: tuple[str, ...], limit: int = 8) -> list[Op]:
        """Ops reached from ``value`` by following uses through ops named in ``through`` (first operand),
        breadth first; the path's ops are included."""
        out: list[Op] = []
        seen: set[int] = set()
        frontier = [value]
        for _ in range(limit):
            nxt = []
            for v in frontier:
                for op in self.consumers(v):
                    if id(op) in seen:
                        continue
                    seen.add(id(op))
                    out.append(op)
                    if op.name in through:
                        nxt.extend(op.results)
            if not nxt:
                break
            frontier = nxt
        return out

"""What advice rules see: the failure and its op, the log window, the L1 model, and helpers to
model and verify a rewrite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..analyze.l1 import analyze_op
from ..analyze.l1.model import L1Context
from ..analyze.triage import FailureReport
from ..ir.graph import Op
from ..ir.trace import ProgramRun, RunTrace
from ..ir.types import TensorType
from ..parse.mlir import MLIRSyntaxError, OpLineParser
from .model import Verification


@dataclass(slots=True)
class AdviceContext:
    """``verify``: run the reference executor on rewrites; ``seed``: its input seed; ``full_size``:
    verify expensive convolutions at full channel count instead of a reduced one."""

    report: FailureReport
    trace: RunTrace
    l1: L1Context
    verify: bool = True
    seed: int = 0
    full_size: bool = False
    parser: OpLineParser = field(default_factory=OpLineParser)
    _window: list[Op] | None = None

    @property
    def failing_op(self) -> Op | None:
        loc = self.report.localization
        return loc.failing.op if loc is not None else None

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

    def producer(self, value: str) -> Op | None:
        for op in reversed(self.window_ops()):
            if value in op.results:
                return op
        return None

    def previous_run(self) -> ProgramRun | None:
        """The last finished run before the failing one (an earlier graph of the same process)."""
        run = self.report.failure.event.run
        prev = [r for r in self.trace.programs if r.finished and (run is None or r.index < run)
                and not r.name.endswith(tuple(f"const_eval_{i}" for i in range(100)))
                and "const_eval" not in r.name]
        return prev[-1] if prev else None

    def parse_ops(self, text: str) -> list[Op]:
        """Parse rewrite text (one generic op per line)."""
        return [self.parser.parse(line) for line in text.splitlines() if line.strip()]

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
                "l1_limit_bytes": self.l1.l1_limit, "fits": fits}

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
                 pcc_ok: float = 0.999, detail: str = "") -> Verification:
        """Run both subgraphs on the same seeded inputs and compare the named results."""
        from ..reference import Executor, ReferenceError, UnknownOpError
        from .compare import compare

        if not self.verify:
            return Verification("not-run", detail="verification disabled (--no-verify)")
        rng = np.random.default_rng(self.seed)
        env = inputs(rng) if inputs else self.inputs_for(original, rng)
        for name, arr in self.inputs_for(rewrite, np.random.default_rng(self.seed + 1)).items():
            env.setdefault(name, arr)
        ex = Executor()
        try:
            e1, e2 = dict(env), dict(env)
            ex.run_ops(original, e1, stats=False)
            ex.run_ops(rewrite, e2, stats=False)
        except (UnknownOpError, ReferenceError, ValueError, TypeError, IndexError, MemoryError) as e:
            return Verification("not-run", inputs_seed=self.seed, detail=f"could not run: {e}")
        return compare(e1[out_orig], e2[out_new], self.seed, pcc_ok, detail)

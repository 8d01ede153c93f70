"""Advice as data: a rule's title, evidence, the assumptions it rests on, a rewrite (op objects and their
MLIR text), the
predicted L1 figures and the verification record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# exact: bit-identical results, computed by ops that change values (not layout ops modelled as identity);
# approx: within ``threshold`` (PCC); failed: below it; layout-only: only layout / memory ops differ, so the
# values are equal by construction (nothing was run); not-verifiable: the original ops (or a value they
# need) are not in the log; not-run: verification disabled or the executor could not run the ops.
Status = Literal["exact", "approx", "failed", "layout-only", "not-verifiable", "not-run"]
STATUSES: tuple[str, ...] = ("exact", "approx", "failed", "layout-only", "not-verifiable", "not-run")

# kinds of assumption: a value read from the IR (its line in ``source``), a fact from a cited source, a guess
AssumptionKind = Literal["ir", "fact", "guess"]


@dataclass(slots=True, frozen=True)
class Assumption:
    """One thing an advice rests on: ``claim`` and where it comes from (``source``: an IR line, a cited
    file, or ``guess: <why>``)."""

    claim: str
    source: str
    kind: AssumptionKind = "ir"

    def to_json(self) -> dict[str, str]:
        return {"claim": self.claim, "source": self.source, "kind": self.kind}


def from_ir(claim: str, line: int | None, what: str = "", file: str = "log") -> Assumption:
    """A value read from the IR at ``line`` of ``file`` (``log``: the runtime log's op line; ``dump``: the
    TTNN MLIR dump given with ``--ir``); ``what``: the op, e.g. ``%9 ttnn.to_layout``."""
    where = f"{file} line {line}" if line else "the IR"
    return Assumption(claim, f"{where}{f' ({what})' if what else ''}", "ir")


def fact(claim: str, source: str) -> Assumption:
    return Assumption(claim, source, "fact")


def guess(claim: str, why: str) -> Assumption:
    return Assumption(claim, f"guess: {why}", "guess")


@dataclass(slots=True)
class Verification:
    """The executor's verdict on a rewrite: the original ops vs the rewrite on the same seeded inputs.

    ``instance``: what it ran on (``inputs``: name → shape; ``reduced``: whether the shapes are smaller than
    the IR's, and ``how``); None when nothing ran. ``threshold``: the PCC an ``approx`` needs.
    """

    status: Status
    pcc: float | None = None
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    inputs_seed: int | None = None
    detail: str = ""
    threshold: float | None = None
    instance: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "pcc": self.pcc, "max_abs_error": self.max_abs_error,
                "max_rel_error": self.max_rel_error, "threshold": self.threshold, "inputs_seed": self.inputs_seed,
                "instance": self.instance, "detail": self.detail}


@dataclass(slots=True)
class Advice:
    """One workaround. ``score`` ranks advice (higher first): exact, verified, fitting rewrites win.
    ``rewrite``: given as a :class:`ttdiag.advise.rewrite.Rewrite` (kept in ``built``), it becomes the MLIR
    text printed from its ops; empty when the advice has no rewrite."""

    rule: str
    title: str
    evidence: list[str]
    rewrite: str = ""
    predicted: dict[str, Any] = field(default_factory=dict)
    verification: Verification = field(default_factory=lambda: Verification("not-run"))
    score: float = 0.0
    notes: list[str] = field(default_factory=list)
    assumptions: list[Assumption] = field(default_factory=list)
    built: Any = None  # the checked Rewrite (op objects) that ``rewrite`` is printed from

    def __post_init__(self) -> None:
        if not isinstance(self.rewrite, str):  # a Rewrite: keep the ops, show the text printed from them
            self.built, self.rewrite = self.rewrite, self.rewrite.text

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "title": self.title, "evidence": self.evidence,
                "assumptions": [a.to_json() for a in self.assumptions], "rewrite": self.rewrite,
                "predicted": self.predicted, "verification": self.verification.to_json(), "score": self.score,
                "notes": self.notes}

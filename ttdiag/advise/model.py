"""Advice as data: a rule's title, evidence, rewrite (MLIR text), predicted L1 figures and verification."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["exact", "approx", "failed", "not-run"]


@dataclass(slots=True)
class Verification:
    """The executor's verdict on a rewrite: original vs rewritten subgraph on seeded inputs.

    ``exact``: bit-identical results; ``approx``: within the reported error; ``failed``: the rewrite
    changes the result beyond tolerance or could not run; ``not-run``: nothing to compare (``detail``
    says why).
    """

    status: Status
    pcc: float | None = None
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    inputs_seed: int | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "pcc": self.pcc, "max_abs_error": self.max_abs_error,
                "max_rel_error": self.max_rel_error, "inputs_seed": self.inputs_seed, "detail": self.detail}


@dataclass(slots=True)
class Advice:
    """One workaround. ``score`` ranks advice (higher first): exact, verified, fitting rewrites win."""

    rule: str
    title: str
    evidence: list[str]
    rewrite: str = ""
    predicted: dict[str, Any] = field(default_factory=dict)
    verification: Verification = field(default_factory=lambda: Verification("not-run"))
    score: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "title": self.title, "evidence": self.evidence, "rewrite": self.rewrite,
                "predicted": self.predicted, "verification": self.verification.to_json(), "score": self.score,
                "notes": self.notes}

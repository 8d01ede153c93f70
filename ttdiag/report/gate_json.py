"""``ttdiag gate --format json``: one object, schema ``ttdiag.gate/1`` (README: "ttdiag gate")."""

from __future__ import annotations

from ..analyze.gate import GateResult
from .common import dumps
from .gate_common import aggregate_records

SCHEMA = "ttdiag.gate/1"
FAILURE_KEYS = ("kind", "severity", "message", "line", "op", "fingerprint", "suppressed", "gating", "figures")
# a log failure's component (README: Real-world logs); budget failures are ttdiag's predictions and have none
COMPONENT_KEYS = ("component", "component_evidence")


def _failure(f: dict) -> dict:
    d = {k: f[k] for k in FAILURE_KEYS}
    d.update((k, f[k]) for k in COMPONENT_KEYS if k in f)
    return d


def _log(log: dict) -> dict:
    return {"path": log["path"], "status": log["status"], "error": log["error"], "seconds": log["seconds"],
            "failures": [_failure(f) for f in log["failures"]], "warnings": log["warnings"]}


def to_dict(result: GateResult) -> dict:
    opts = result.options
    return {
        "schema": SCHEMA,
        "fail_on": result.fail_on,
        "baseline": result.baseline,
        "budgets": {"max_l1_fraction": opts.max_l1_fraction, "max_padding_ratio": opts.max_padding_ratio},
        "logs": [_log(log) for log in result.logs],
        "summary": result.summary,
        "aggregate": aggregate_records(result),
        "budget_violations": result.budget_violations(),
    }


def render(result: GateResult) -> str:
    return dumps(to_dict(result))

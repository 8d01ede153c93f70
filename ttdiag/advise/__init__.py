"""Advice: workarounds for a failure, each with evidence, a rewrite, its predicted L1 footprint and a
numerical verdict from the reference executor. Rule families, one module each (one import line here)."""

from __future__ import annotations

from ..analyze.l1 import make_context
from ..analyze.l1.era import ERAS, LATEST, era_for_date
from ..analyze.triage import TriageReport
from . import rules_conv, rules_layout, rules_memory, rules_reshape  # noqa: F401  (registration)
from .context import AdviceContext
from .model import Advice, Verification
from .registry import rules


def advise(report: TriageReport, verify: bool = True, seed: int = 0, full_size: bool = False) -> None:
    """Run every rule on every failure of ``report``; sets ``FailureReport.advice`` (ranked)."""
    era = era_for_date(report.trace.first_timestamp) or ERAS[LATEST]
    l1 = make_context(report.arch, era)
    for fr in report.failures:
        ctx = AdviceContext(fr, report.trace, l1, verify, seed, full_size)
        found: list[Advice] = []
        for name, fn in rules().items():
            try:
                found.extend(fn(ctx))
            except Exception as e:  # a rule must never break triage
                found.append(Advice(name, f"rule {name} failed: {e.__class__.__name__}: {e}", [], score=-1))
        for a in found:
            _rank(a)
        fr.advice = sorted(found, key=lambda a: -a.score)


def _rank(a: Advice) -> None:
    """Exact, verified rewrites that fit L1 rank first; a rewrite predicted to overflow sinks."""
    if a.predicted.get("fits") is False:
        a.score -= 45
        a.notes.append(f"predicted to overflow L1 as well (CB region up to "
                       f"{a.predicted.get('worst_cb_region_end_bytes', 0):,} B): see the per-op prediction")
    if a.verification.status == "exact":
        a.score += 5
    elif a.verification.status == "failed":
        a.score -= 30


__all__ = ["Advice", "AdviceContext", "Verification", "advise", "rules"]

"""Advice: workarounds for a failure, each with evidence, the assumptions it rests on (IR values with their
line, cited facts, stated guesses), a type-checked rewrite, its predicted L1 footprint (in the failing op's
arch, era and CB base) and a verification record (original ops vs rewrite on the reference executor).
Rule families, one module each (one import line here)."""

from __future__ import annotations

from dataclasses import replace

from ..analyze.arch import get_arch
from ..analyze.l1 import make_context
from ..analyze.l1.era import ERAS, LATEST, era_for_date, get_era
from ..analyze.l1.model import L1Context
from ..analyze.triage import FailureReport, TriageReport
from ..ir.graph import Module
from ..ir.types import TensorType
from . import (  # noqa: F401  (registration)
    rules_conv,
    rules_conv_knobs,
    rules_l1,
    rules_layout,
    rules_matmul_knobs,
    rules_memory,
    rules_reshape,
)
from .context import AdviceContext
from .model import Advice, Assumption, Verification, from_ir
from .registry import rules


def l1_context(report: TriageReport, fr: FailureReport, era: str | None = None,
               l1_unreserved_base: int | None = None) -> L1Context:
    """The L1 context of the failure's predictions: the one the failing op's model uses (same choice as
    ``ttdiag.analyze.triage.model_cb_overflow``): ``era`` (else the log's date, else the latest), the
    override base (else the arch's), and the arch whose L1 size the log's limit names (else ``report.arch``)."""
    chosen = get_era(era) if era else (era_for_date(report.trace.first_timestamp) or ERAS[LATEST])
    limit = fr.failure.figures.get("l1_limit_bytes")
    spec = report.arch
    if limit:
        by_limit = {a.l1_size: a for a in (get_arch("wormhole_b0"), get_arch("blackhole"))}
        spec = by_limit.get(limit, report.arch)
        if spec.l1_size != limit:
            spec = replace(spec, l1_size=limit)
    return make_context(spec, chosen, l1_unreserved_base)


def advise(report: TriageReport, verify: bool = True, seed: int = 0, full_size: bool = False,
           era: str | None = None, l1_unreserved_base: int | None = None, dump: Module | None = None,
           dump_path: str = "") -> None:
    """Run every rule on every failure of ``report``; sets ``FailureReport.advice`` (ranked).

    ``era`` / ``l1_unreserved_base``: the same overrides the triage's L1 model got, so one report uses one
    era, one base and one arch. ``full_size``: verify on the IR's full shapes instead of a reduced instance.
    ``dump``: a TTNN MLIR dump of the same module (read from ``dump_path``): the rules also see the ops of the
    failing run's program in it; when the program or the failing op is not found in it, a note on the
    failure says so and that failure's advice uses the log only.
    """
    if dump is not None:
        from .dump import localize_in_dump

        localize_in_dump(report, dump, dump_path, era, l1_unreserved_base)
    for fr in report.failures:
        l1 = l1_context(report, fr, era, l1_unreserved_base)
        matched = located = None
        search = fr.dump_search
        if dump is not None and search is not None:
            from .dump import candidate_program

            # no op line: the dump's only op that reproduces the failure's figures is the failing op
            if search.unique is not None:
                matched = candidate_program(dump, dump_path, search.unique)
                located = search.unique
        elif dump is not None:
            from .dump import match_failure

            matched, why = match_failure(dump, dump_path, fr, report.trace)
            if why:
                fr.notes.append(why)
        ctx = AdviceContext(fr, report.trace, l1, verify, seed, full_size, dump=matched, located=located)
        found: list[Advice] = []
        for name, fn in rules().items():
            try:
                found.extend(fn(ctx))
            except Exception as e:  # a rule must never break triage
                found.append(Advice(name, f"rule {name} failed: {e.__class__.__name__}: {e}", [], score=-1))
        kept = []
        for a in found:
            problems = _rewrite_problems(ctx, a)
            if problems:  # a rewrite that does not parse or type-check is not shown as advice
                fr.notes.append(f"advice {a.rule!r} dropped: its rewrite fails its checks ({problems[0]})")
                continue
            if located is not None:
                _rest_on_located(a, located, search.criterion)
            _rank(a)
            kept.append(a)
        fr.advice = sorted(kept, key=lambda a: -a.score)


def _rest_on_located(a: Advice, located, criterion: str) -> None:
    """An advice on a failing op found in the dump by its figures rests on that finding (first assumption)."""
    op = located.op
    what = op.label
    claim = f"the failing op is {what} of the dump: the only op {criterion}"
    a.assumptions = [from_ir(claim, op.line, what, "dump")] + a.assumptions


def _rewrite_problems(ctx: AdviceContext, a: Advice) -> list[str]:
    """A rewrite is shown only when it was built as op objects (each op ``verify()``-ed when built), its
    printed text parses back to the same ops, and every value it starts from is in the IR (a result of the
    failing run's window or of the ``--ir`` dump's program, an operand or result of the failing op, or a
    program argument)."""
    from .rewrite import Rewrite, round_trip_problems

    if not a.rewrite:
        return []
    if not isinstance(a.built, Rewrite):
        return ["it was not built as ops"]
    if a.rewrite != a.built.text:
        return ["its text is not the one printed from its ops"]
    problems = round_trip_problems(a.built, a.rewrite, ctx.parser)
    ir_values = {r for op in ctx.window_ops() for r in op.results}
    ir_values |= {o for op in ctx.window_ops() for o in op.operands if o.startswith("%arg")}
    ir_values |= {r for op in ctx.dump_ops() for r in op.results}  # the --ir dump's program is IR too
    if ctx.failing_op is not None:
        ir_values |= set(ctx.failing_op.results) | set(ctx.failing_op.operands)
    used = {o for op in a.built.ops for o, t in zip(op.operands, op.operand_types) if isinstance(t, TensorType)}
    used -= {r for op in a.built.ops for r in op.results}
    problems += [f"{v} is not a value of the IR" for v in sorted(a.built.given & used - ir_values)]
    return problems


def _rank(a: Advice) -> None:
    """Exact, verified rewrites that fit L1 rank first; a rewrite predicted to overflow sinks."""
    if a.predicted.get("fits") is False:
        a.score -= 45
        a.notes.append(f"predicted to overflow L1 as well (CB region up to "
                       f"{a.predicted.get('worst_cb_region_end_bytes', 0):,} B): see the per-op prediction")
    if a.verification.status == "exact":
        a.score += 5
    elif a.verification.status == "not-verifiable" or any(x.kind == "guess" for x in a.assumptions):
        a.score -= 5
    elif a.verification.status == "failed":
        a.score -= 30


__all__ = ["Advice", "AdviceContext", "Assumption", "Verification", "advise", "l1_context", "rules"]

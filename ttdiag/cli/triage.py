"""``ttdiag triage LOG``: what failed, which op, in which program, and the figures behind it."""

from __future__ import annotations

import typer

from ._common import EXIT_CLEAN, EXIT_FAILURES, TriageFormat, guarded, stdout

_ARCH_HELP = "Architecture for bank counts and limits when the log does not say (wormhole_b0, blackhole, grayskull)."


def triage_command(
    log: str = typer.Argument(..., help="Runtime log to triage (plain or .gz); '-' reads stdin."),
    format: TriageFormat = typer.Option(TriageFormat.text, "--format", "-f",
                                        help="Output format: text, json, or markdown (a paste-ready issue body)."),
    arch: str = typer.Option("wormhole_b0", "--arch", help=_ARCH_HELP),
    era: str = typer.Option(None, "--era", help="tt-metal era for the L1 model: 2025-12 or 2026-02 "
                                                 "(default: from the log's date, else latest)."),
    l1_unreserved_base: int = typer.Option(None, "--l1-unreserved-base", min=0,
                                           help="Where the CB region starts, in bytes (default: the arch's)."),
    advice: bool = typer.Option(True, "--advice/--no-advice", help="Suggest workarounds (ranked, with evidence)."),
    verify: bool = typer.Option(True, "--verify/--no-verify",
                                help="Check each rewrite numerically on the reference executor."),
    verify_full: bool = typer.Option(False, "--verify-full",
                                     help="Verify rewrites on the IR's full shapes (slow) instead of a reduced instance."),
    seed: int = typer.Option(0, "--seed", help="Seed of the verification inputs."),
    memory: str = typer.Option(None, "--memory", help="A memory record (graph capture, ttrt memory report, "
                                                      "report db.sqlite or DEBUG log) for the L1 state at the "
                                                      "failure, instead of the log's MemoryView lines."),
    ir: str = typer.Option(None, "--ir", metavar="DUMP",
                           help="A TTNN MLIR dump of the same module: advice also reads the failing "
                                "program's ops in it, including those after the failing op; with no op "
                                "line in the log, the failing op is looked up in it by the failure's "
                                "figures."),
) -> None:
    """Find the failure in a TT-MLIR / TT-Metal log, the op that failed, and its decoded layouts.

    Exit codes: 0 no failure found, 1 failure found, 2 bad usage or unreadable input.
    """
    from ..analyze.arch import get_arch
    from ..analyze.triage import triage_trace
    from ..parse.log import read_log

    def run():
        spec = get_arch(arch)
        if era is not None:
            from ..analyze.l1.era import get_era

            get_era(era)  # unknown era: usage error before reading the log
        if memory is not None:
            from ..io import check_readable

            check_readable(memory)
        dump = None
        if ir is not None:
            from ..advise.dump import load_dump

            dump = load_dump(ir)  # a bad dump: usage error before reading the log
        rep = triage_trace(read_log(log), spec, era, l1_unreserved_base, memory)
        if dump is not None:
            from ..advise.dump import localize_in_dump

            # no op line in the log: look the failing op up in the dump by the failure's figures
            localize_in_dump(rep, dump, ir, era, l1_unreserved_base)
        if advice and rep.failures:
            from ..advise import advise

            advise(rep, verify=verify, seed=seed, full_size=verify_full, era=era,
                   l1_unreserved_base=l1_unreserved_base, dump=dump, dump_path=ir or "")
        return rep

    report = guarded(run)
    if format is TriageFormat.json:
        from ..report.triage_json import render

        typer.echo(render(report))
    elif format is TriageFormat.markdown:
        from ..report.triage_markdown import render as render_markdown

        typer.echo(render_markdown(report), nl=False)
    else:
        from ..report.triage_text import render as render_text

        render_text(report, stdout())
    raise typer.Exit(EXIT_FAILURES if report.failures else EXIT_CLEAN)

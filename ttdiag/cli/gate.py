"""``ttdiag gate LOG...``: the CI gate. Triage many logs, apply a baseline and budgets, and report in
the format a CI system reads (text, json, sarif, junit, github, markdown).

Exit codes: 0 clean; 1 a failure at or above ``--fail-on`` (not suppressed by the baseline); 2 a log
could not be read or analysed, or bad usage.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from enum import Enum
from typing import TypeVar

import typer
from rich.text import Text

from ._common import fail, stderr, stdout, write_atomic

T = TypeVar("T")


class GateFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    markdown = "markdown"

    def __str__(self) -> str:
        return self.value


class FailOn(str, Enum):
    error = "error"
    warning = "warning"

    def __str__(self) -> str:
        return self.value


def _checked(fn: Callable[[], T]) -> T:
    """Like ``guarded``: an unreadable input or a bad option is a one-line error and exit 2. The message
    is markup-escaped by ``fail`` (paths and hints may hold brackets, e.g. ``ttdiag[parquet]``)."""

    from ..io import InputError

    try:
        return fn()
    except KeyError as e:
        fail(str(e.args[0] if e.args else e))
    except (InputError, ValueError, OSError) as e:
        fail(str(e))


def _check_output(target: str | None, inputs: list[str]) -> None:
    """Refuse, before any work, to write a baseline or export over one of the logs."""

    if target and os.path.exists(target):
        for src in inputs:
            if src != "-" and os.path.exists(src) and os.path.samefile(target, src):
                fail(f"{target}: refusing to overwrite the input")


def _run(inputs, opts, jobs: int) -> list[dict]:
    """Gate the logs with a progress bar on stderr when it is a terminal (rich.progress)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from ..analyze.gate import run_logs

    err = stderr()
    progress = Progress(TextColumn("ttdiag gate"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, transient=True, disable=not err.is_terminal)
    task = progress.add_task("logs", total=len(inputs))
    try:
        return run_logs(inputs, opts, jobs, on_start=progress.start, on_done=lambda n: progress.advance(task, n))
    finally:
        progress.stop()


def _write_outputs(result, write_baseline: str | None, export: str | None, inputs: list[str]) -> None:
    from ..report import gate_baseline, gate_export

    if write_baseline:
        write_atomic(write_baseline, gate_baseline.render(result), inputs)
        n = len({f["fingerprint"] for _, f in result.failures()})
        stderr().print(Text(f"wrote {write_baseline}: {n} fingerprint(s)"))
    if export:
        if gate_export.export_format(export) == "csv":
            write_atomic(export, gate_export.to_csv(result), inputs)
        else:
            write_atomic(export, gate_export.to_parquet(result), inputs)
        stderr().print(Text(f"wrote {export}: {sum(1 for _ in result.failures())} failure row(s)"))


def _render(result, format: GateFormat, max_annotations: int) -> None:
    if format is GateFormat.text:
        from ..report.gate_text import render as render_text

        render_text(result, stdout())
        return
    if format is GateFormat.github:
        from ..report.gate_github import render as render_github

        typer.echo(render_github(result, max_annotations), nl=False)
        return
    from ..report import gate_json, gate_junit, gate_markdown, gate_sarif

    renderer = {GateFormat.json: gate_json.render, GateFormat.sarif: gate_sarif.render,
                GateFormat.junit: gate_junit.render, GateFormat.markdown: gate_markdown.render}[format]
    typer.echo(renderer(result).rstrip("\n"))


def gate_command(
    logs: list[str] = typer.Argument(..., metavar="LOG", help="Logs: files (plain or .gz), globs ('logs/**/*.log'), directories "
                                              "(recursed for *.log, *.txt, *.log.gz, *.gz); '-' reads stdin."),
    format: GateFormat = typer.Option(GateFormat.text, "--format", "-f", help="Output format."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Lowest severity that fails the gate."),
    baseline: str = typer.Option(None, "--baseline", help="Suppress failures whose fingerprint is in this "
                                                           "ttdiag.baseline/1 file."),
    write_baseline: str = typer.Option(None, "--write-baseline", help="Write every failure's fingerprint to this "
                                                                       "file (atomically)."),
    max_l1_fraction: float = typer.Option(None, "--max-l1-fraction", min=0.0,
                                          help="Fail ops whose predicted CB region ends above this fraction of the "
                                               "L1 limit (parses every op line: slow)."),
    memory: str = typer.Option(None, "--memory", help="--max-l1-fraction: also check this memory record's L1 peak "
                                                      "(graph capture, ttrt memory report, report db.sqlite or "
                                                      "DEBUG log) against the L1 size; without it, the log's own "
                                                      "MemoryView lines are checked."),
    max_padding_ratio: float = typer.Option(None, "--max-padding-ratio", min=1.0,
                                            help="Fail tensors whose physical / logical volume is above this ratio "
                                                 "and whose padding wastes at least --min-padding-bytes (so scalars "
                                                 "and small biases pass; parses every op line: slow)."),
    min_padding_bytes: int = typer.Option(65_536, "--min-padding-bytes", min=0,  # analyze.gate.MIN_PADDING_BYTES
                                          help="--max-padding-ratio: ignore tensors whose padding wastes fewer "
                                               "bytes (default 65,536: 32 bf16 tiles)."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: the CPU count)."),
    export: str = typer.Option(None, "--export", help="Write one row per failure to FILE.csv or FILE.parquet."),
    max_annotations: int = typer.Option(50, "--max-annotations", min=0,
                                        help="--format github: annotate at most this many failures."),
    arch: str = typer.Option("wormhole_b0", "--arch", help="Architecture for the layout and L1 models "
                                                          "(wormhole_b0, blackhole, grayskull)."),
) -> None:
    """Gate CI on runtime logs: triage each, suppress baselined failures, check L1 / padding budgets.

    Exit codes: 0 clean, 1 a failure at or above --fail-on, 2 an unreadable input or bad usage.
    """
    from ..analyze.arch import get_arch
    from ..analyze.gate import GateOptions, evaluate, expand_inputs, open_inputs
    from ..report import gate_baseline, gate_export

    _checked(lambda: get_arch(arch))
    if export:
        _checked(lambda: gate_export.export_format(export))
    known = _checked(lambda: gate_baseline.load(baseline)) if baseline else None
    paths = _checked(lambda: expand_inputs(logs))
    for target in (write_baseline, export):
        _check_output(target, paths)
    if memory is not None:
        from ..io import check_readable

        _checked(lambda: check_readable(memory))
    opts = GateOptions(arch, max_l1_fraction, max_padding_ratio, min_padding_bytes, memory)
    with open_inputs(paths) as inputs:
        results = _run(inputs, opts, jobs or os.cpu_count() or 1)
    result = evaluate(results, fail_on.value, known, opts, baseline)
    for log in result.logs:
        if log["status"] == "error":
            stderr().print(Text.assemble(("ttdiag: error: ", "red"), log["error"]))
    _write_outputs(result, write_baseline, export, paths)
    _render(result, format, max_annotations)
    raise typer.Exit(result.exit_code)

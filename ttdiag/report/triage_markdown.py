"""``ttdiag triage LOG --format markdown``: a paste-ready issue body (the "triage packet" asked for in
tt-xla #5369), deterministic for a given log and options.

One-line summary; for each failure its kind, severity and component; the failing op with its loc,
source file:line and how it was found; the key log lines quoted with their numbers; the figures; what
ttdiag's models say; the ranked advice; a repro command when an op is known. Every statement names the
log line it rests on. Tables are rich tables in the ``MARKDOWN`` box (cells escaped).
"""

from __future__ import annotations

import shlex

from .. import __version__
from ..analyze.triage import FailureReport, TriageReport
from ..io import read_line_at
from .common import dump_search_lines, fmt_figure, l1_at_failure_rows
from .gate_markdown import table

MAX_QUOTE = 200  # characters of a quoted log line
_ASSERT_KEYS = ("source_file", "source_line", "condition")
MAX_KEY_LINES = 12


def _cut(text: str, n: int = MAX_QUOTE) -> str:
    text = text.rstrip()
    return text if len(text) <= n else text[:n - 1] + "…"


def _op_title(fr: FailureReport) -> str | None:
    loc = fr.localization
    if loc is not None:
        op = loc.failing.op
        rec = loc.failing.record
        name = op.name if op is not None else rec.name
        ident = op.id if op is not None else (rec.result_ids or [None])[0]
        return " ".join(x for x in (ident, name) if x) or None
    if fr.op_ref is not None:
        return fr.op_ref.name or (f"a {fr.op_ref.family} op" if fr.op_ref.family else None)
    return None


def summary_line(report: TriageReport) -> str:
    """The packet's first line: the first failure's kind, op and message (or that none was found)."""
    if not report.failures:
        return f"ttdiag triage: no failure found in {report.source}"
    fr = report.failures[0]
    op = _op_title(fr)
    more = f" (+{len(report.failures) - 1} more)" if len(report.failures) > 1 else ""
    return f"{fr.failure.kind}{' in ' + op if op else ''}: {_cut(fr.failure.message, 160)}{more}"


def _op_line_text(report: TriageReport, rec) -> str:
    """An op line as the log has it (re-read at its offset from a plain file), else its op text."""
    if report.trace.rereadable:
        text = read_line_at(report.source, rec.offset)
        if text:
            return text.rstrip("\r\n")
    return "Executing operation: " + rec.text


def _key_lines(fr: FailureReport, report: TriageReport) -> list[tuple[int, str, str]]:
    """(line, what it is, text) of the lines the failure rests on, in log order."""
    f = fr.failure
    out: dict[int, tuple[str, str]] = {}
    ev = f.event
    i = f.line - ev.line
    if 0 <= i < len(ev.lines):
        out[f.line] = ("the failure", ev.lines[i])
    loc = fr.localization
    if loc is not None:
        rec = loc.failing.record
        out.setdefault(rec.line, ("the failing op", _op_line_text(report, rec)))
        for operand, lo in loc.producers.items():
            out.setdefault(lo.record.line, (f"producer of {operand}", _op_line_text(report, lo.record)))
    elif fr.op_ref is not None:
        out.setdefault(fr.op_ref.line, (f"names the op ({fr.op_ref.how})",
                                        _line_text(fr, fr.op_ref.line) or fr.op_ref.evidence))
        if fr.op_ref.factory_line:
            text = _line_text(fr, fr.op_ref.factory_line)
            if text is not None:
                out.setdefault(fr.op_ref.factory_line, ("names the factory", text))
    header = _assert_line(fr)
    if header is not None:
        out.setdefault(header, ("the assert's file and line", _line_text(fr, header) or ""))
    if fr.component_line:
        text = _line_text(fr, fr.component_line)
        if text is not None:
            out.setdefault(fr.component_line, ("decides the component", text))
    for e in f.evidence[: MAX_KEY_LINES - len(out)]:
        out.setdefault(e.line, (f"repeats it ({e.kind})", e.text))
    return [(n, what, text) for n, (what, text) in sorted(out.items())][:MAX_KEY_LINES]


def _assert_line(fr: FailureReport) -> int | None:
    """The line of the assert header the figures source_file / source_line / condition come from."""
    src = fr.failure.figures.get("source_file")
    if not src:
        return None
    f = fr.failure
    for ev in [f.event, *(e for e, _ in f.echoes)]:
        for i, ln in enumerate(ev.lines):
            if src in ln:
                return ev.line + i
    return None


def _line_text(fr: FailureReport, line: int) -> str | None:
    f = fr.failure
    for ev in [f.event, *(e for e, _ in f.echoes)]:
        i = line - ev.line
        if 0 <= i < len(ev.lines):
            return ev.lines[i]
        for n, text in ev.context:
            if n == line:
                return text
    return None


def _op_rows(fr: FailureReport) -> list[list[str]]:
    rows: list[list[str]] = []
    loc = fr.localization
    if loc is not None:
        rec = loc.failing.record
        op = loc.failing.op
        title = _op_title(fr) or "?"
        rows.append(["Failing op", f"{title} in program {loc.failing.program} (line {rec.line}), found from "
                                   f"the op line"])
        if op is not None and op.loc is not None and op.loc.py is not None:
            py = op.loc.py
            if py.module_path:
                rows.append(["Module", f"{py.module_path} (the op's loc, line {rec.line})"])
            if py.source_file:
                rows.append(["Source", f"{py.source_file}:{py.source_line} (the op's loc, line {rec.line})"])
            if py.aten_op or py.op_name:
                rows.append(["Lowered from", f"{py.aten_op or py.op_name}"
                                             + (f", lowering suffix {py.suffix}" if py.suffix else "")])
        elif op is not None and op.loc is not None:
            rows.append(["Loc", f"{_cut(op.loc.raw, 120)} (line {rec.line})"])
        if loc.failing.parse_error:
            rows.append(["Op line", loc.failing.parse_error])
    elif fr.op_ref is not None:
        r = fr.op_ref
        name = r.name or f"a {r.family} op"
        rows.append(["Failing op", f"{name} (op id unknown), named by a {r.how} (line {r.line}); no "
                                   f"'Executing operation:' line precedes the failure"])
        if r.factory:
            rows.append(["Factory", f"{r.factory}" + (f" (line {r.factory_line})" if r.factory_line else "")])
    else:
        rows.append(["Failing op", "not named by any op line, frame or message in this log"])
    return rows


def _failure_section(i: int, n: int, fr: FailureReport, report: TriageReport) -> list[str]:
    f = fr.failure
    comp = fr.component + (f": {fr.component_evidence}" if fr.component_evidence else "")
    if fr.component_line:
        comp += f" (line {fr.component_line})"
    rows = [["Message", f"{f.message} (line {f.line})"],
            ["Kind", f"{f.kind}, severity {f.severity} (line {f.line})"],
            ["Component", comp]]
    rows += _op_rows(fr)
    out = [f"### Failure {i} of {n}: `{f.kind}`", "", table(["", ""], rows), ""]
    quoted = _key_lines(fr, report)
    if quoted:
        width = len(str(quoted[-1][0]))
        body = [f"{num:>{width}} | {_cut(text)}" for num, _, text in quoted]
        fence = "````" if any("```" in b for b in body) else "```"  # a quoted fence must not close ours
        out += ["**Key log lines**", "", fence + "text", *body, fence, ""]
        out += [", ".join(f"line {num}: {what}" for num, what, _ in quoted), ""]
    header = _assert_line(fr)
    figs = [[k, fmt_figure(k, v), f"line {header}" if k in _ASSERT_KEYS and header else f"line {f.line}"]
            for k, v in f.figures.items() if v is not None]
    if figs:
        out += ["**Figures**" + (" (missing ones are filled from the repeats listed above)" if f.evidence else ""),
                "", table(["figure", "value", "from"], figs), ""]
    if fr.tensors:
        trows = []
        for t in fr.tensors:
            fig = t.figures
            trows.append([t.role, t.value, str(list(t.type.shape)),
                          "-" if fig is None else str(list(fig.padded_shape)),
                          "-" if fig is None or fig.tiles is None else f"{fig.tiles:,}",
                          "-" if fig is None else f"{fig.bytes:,} B"])
        lines = sorted({t.line for t in fr.tensors if t.line}) or \
            [fr.localization.failing.record.line if fr.localization else f.line]
        where = ", ".join(map(str, lines))
        out += [f"**Tensors of the failing op** (types from line {where}; padding and bytes by ttdiag's layout "
                "model)", "", table(["role", "value", "logical shape", "padded shape", "tiles", "bytes"], trows), ""]
    if fr.dump_search is not None:
        head, lines = dump_search_lines(fr.dump_search)
        out += [f"**The failing op in the IR dump** (`{fr.dump_search.path}`, by the figures of the message at "
                f"line {f.line})", "", head, ""]
        if lines:
            out += [f"- {x}" for x in lines] + [""]
    if fr.notes:
        basis = f"the message at line {f.line}" + (
            f" and the op at line {fr.localization.failing.record.line}" if fr.localization else "")
        out += [f"**What ttdiag's models say** (from {basis})", ""]
        out += [f"- {note}" for note in fr.notes] + [""]
    if fr.memory is not None:
        out += ["**L1 at the failure**", "", table(["", ""], [list(r) for r in l1_at_failure_rows(fr.memory)]), ""]
        out += [f"- {note}" for note in fr.memory["notes"]] + [""]
    if fr.advice:
        out += ["**Suggested workarounds** (ranked)", ""]
        found = fr.dump_search.unique if fr.localization is None and fr.dump_search is not None else None
        at = (f"line {fr.localization.failing.record.line}" if fr.localization else
              f"dump line {found.line}" if found is not None else f"line {f.line}")
        for k, a in enumerate(fr.advice, 1):
            v = a.verification
            out.append(f"{k}. {a.title} (verification: {v.status}; rests on the failing op at {at})")
            out += [f"   - {'guess' if x.kind == 'guess' else 'assumes'}: {x.claim} ({x.source})"
                    for x in a.assumptions]
        out.append("")
    if fr.localization is not None and fr.localization.failing.op is not None:
        src = shlex.quote(report.source)
        out += ["**Reproduce** (a minimal TTNN module of the failing op, with its types and locs)", "",
                "```sh", f"ttdiag repro {src} -o repro.mlir", "ttdiag l1 repro.mlir", "```", ""]
    return out


def render(report: TriageReport) -> str:
    """The packet as one markdown string."""
    trace = report.trace
    out = [f"## {summary_line(report)}", "",
           f"Log `{report.source}`: {trace.lines:,} lines, {trace.op_lines:,} op lines, {trace.runs_total:,} "
           f"program runs. Triaged by ttdiag {__version__} (arch {report.arch.name}).", ""]
    n = len(report.failures)
    for i, fr in enumerate(report.failures, 1):
        out += _failure_section(i, n, fr, report)
    if report.warnings:
        out += ["**Warnings**", ""] + [f"- {w}" for w in report.warnings] + [""]
    return "\n".join(out).rstrip() + "\n"

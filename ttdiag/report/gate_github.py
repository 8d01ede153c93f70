"""``ttdiag gate --format github``: GitHub Actions workflow commands, one annotation per failure.

``::error file=PATH,line=N,title=KIND::message`` (``::warning`` for warning-severity failures), at most
``max_annotations`` of them, then a line saying how many were not shown and a summary line.
Suppressed (baseline) failures are not annotated. Escaping follows the Actions toolkit
(``@actions/core`` ``command.ts``): data ``%`` → ``%25``, ``\\r`` → ``%0D``, ``\\n`` → ``%0A``; property
values also ``:`` → ``%3A`` and ``,`` → ``%2C``.
"""

from __future__ import annotations

from ..analyze.gate import GateResult
from .gate_common import op_text, relative_path

_DATA = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def escape_data(text: str) -> str:
    return text.translate(_DATA)


def escape_property(text: str) -> str:
    return text.translate(_PROPERTY)


def command(level: str, message: str, **props: object) -> str:
    """One workflow command, e.g. ``command("error", "msg", file="a.log", line=3, title="kind")``."""
    body = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{level} {body}::{escape_data(message)}" if body else f"::{level}::{escape_data(message)}"


def annotations(result: GateResult) -> list[str]:
    """Every annotation, in input order: unreadable logs, then failures (not suppressed)."""
    out = []
    for log in result.logs:
        if log["status"] == "error":
            out.append(command("error", log["error"], file=relative_path(log["path"]), title="input-error"))
        for f in log["failures"]:
            if f["suppressed"]:
                continue
            op = op_text(f["op"])
            message = f["message"] + (f" (op {op})" if op else "")
            level = "warning" if f["severity"] == "warning" else "error"
            out.append(command(level, message, file=relative_path(log["path"]), line=f["line"], title=f["kind"]))
    return out


def render(result: GateResult, max_annotations: int = 50) -> str:
    lines = annotations(result)
    shown = lines[:max_annotations]
    if len(lines) > len(shown):
        shown.append(f"ttdiag gate: {len(lines) - len(shown)} more annotation(s) not shown "
                     f"(--max-annotations {max_annotations})")
    s = result.summary
    warned = f"{s['warnings']} with warnings, " if s["warnings"] else ""
    shown.append(f"ttdiag gate: {s['logs']} log(s): {s['passed']} passed, {warned}{s['failed']} failed, "
                 f"{s['errors']} error(s); {s['failures']} failure(s), {s['suppressed']} suppressed")
    return "\n".join(shown) + "\n"

"""``ttdiag gate --format sarif``: SARIF 2.1.0 (OASIS), built as dicts and written with ``json.dumps``.

One rule per failure kind, in the fixed order of ``ttdiag.analyze.gate.ALL_KINDS`` (so a kind's
``ruleIndex`` is the same in every run); each result points at the log file (``artifactLocation.uri``
relative to the working directory when the log is below it) and the failure's 1-based line, and carries
the baseline fingerprint in ``partialFingerprints``. Baseline-suppressed failures are kept, with a
``suppressions`` entry. Unreadable logs are ``toolExecutionNotifications``.
Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..analyze.gate import ALL_KINDS, ALL_SEVERITY, GateResult
from .gate_common import failure_text, relative_path

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "ttdiagFingerprint/v1"
_TRIAGE_HINT = "Run `ttdiag triage LOG` for the failing op, its decoded layouts, the figures and ranked workarounds."

# kind -> (short description, full description)
RULE_TEXT = {
    "cb-exceeds-l1": ("Circular buffers grow beyond L1", (
        "The statically allocated circular buffers on a core end above the L1 size (tt-metal program.cpp, "
        "validate_circular_buffer_region). Figures: cb_region_end_bytes, l1_limit_bytes, core_range."
    )),
    "cb-clashes-with-l1-buffer": ("Circular buffers clash with an L1 buffer", (
        "The circular-buffer region of a program ends above the lowest L1 buffer address on its cores. "
        "Figures: program_id, l1_buffer_address_bytes, cb_region_end_bytes."
    )),
    "cb-exceeds-l1-bank": ("Circular buffer larger than its L1 bank", (
        "A circular buffer is larger than the dynamically allocated L1 buffer bank that backs it (a "
        "warning in release builds). Figures: cb_bytes, bank_bytes."
    )),
    "out-of-memory": ("Out of device memory", (
        "A DRAM or L1 buffer allocation failed. Figures: buffer_type, requested_bytes, num_banks, "
        "bytes_per_bank and, when logged, free and largest free block per bank."
    )),
    "reshape-invalid": ("Invalid reshape at runtime",
                        "ttnn.reshape rejected its arguments (infer_dims_for_reshape compares logical volumes)."),
    "compile-error": ("Compilation error", "The MLIR compiler or a pass pipeline reported an error."),
    "kernel-build-failed": ("Kernel build failed", "A device kernel failed to compile (JIT build)."),
    "device-timeout": ("Device timeout", "The device or a wait on it timed out (possible hang)."),
    "device-error": ("Device error", "The device, its driver or a core reported an error."),
    "accuracy": ("Accuracy check failed", "The output's PCC is below the required PCC."),
    "crash": ("Crash", "The process crashed (signal, abort or a fatal Python error)."),
    "assertion": ("Assertion failed", "A TT_FATAL, TT_THROW or TT_ASSERT fired."),
    "exception": ("Unhandled exception", "A Python exception ended the run."),
    "l1-budget": ("L1 use over budget", (
        "ttdiag's L1 model predicts an op's circular-buffer region ends above --max-l1-fraction of the L1 "
        "limit, even if the run passed (figures: source 'L1 model', cb_region_end_bytes, l1_limit_bytes, "
        "fraction_of_limit, factory, confidence); or a recorded L1 peak (the log's MemoryView lines, or "
        "--memory) is above that fraction of the L1 size (figures: source, recorded_peak_bytes, "
        "l1_size_bytes, fraction_of_l1)."
    )),
    "padding-budget": ("Tensor padding over budget", (
        "A tensor's physical (tile-padded) volume divided by its logical volume is above "
        "--max-padding-ratio. Figures: logical_shape, physical_shape, padding_ratio."
    )),
    "input-truncated": ("Log truncated", (
        "The log's gzip stream ends early or turns corrupt: what decompressed was analysed, the rest is "
        "lost, so a failure may be missing."
    )),
    "input-empty": ("Log empty", "The log holds no lines: nothing says the run passed."),
    "input-binary": ("Log is binary", "The input looks binary, not a text log: results are partial."),
    "run-unfinished": ("Program never finished", (
        "A program run started and never finished, and no error was logged: the log is cut short or the "
        "run hung."
    )),
    "device-open-hung": ("Log stops during device initialisation", (
        "No error was logged, but the log's last lines are the device being opened: if the process did not "
        "exit, the device open hung."
    )),
}


def _rule(kind: str) -> dict:
    short, full = RULE_TEXT[kind]
    return {
        "id": kind,
        "name": "".join(part.capitalize() for part in kind.split("-")),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": f"{full} {_TRIAGE_HINT}"},
        "defaultConfiguration": {"level": ALL_SEVERITY[kind]},
    }


def _artifact(path: str) -> dict:
    """A relative URI reference when the log is below the working directory, else a ``file://`` URI."""
    rel = relative_path(path)
    if rel == "-" or not Path(rel).is_absolute():
        return {"uri": quote(rel, safe="/-._~")}
    return {"uri": Path(os.path.abspath(path)).as_uri()}


def _result(log: dict, f: dict, rule_index: dict[str, int]) -> dict:
    res = {
        "ruleId": f["kind"],
        "ruleIndex": rule_index[f["kind"]],
        "level": f["severity"],
        "message": {"text": failure_text(f)},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(log["path"]),
                                            "region": {"startLine": max(1, int(f["line"]))}}}],
        "partialFingerprints": {FINGERPRINT_KEY: f["fingerprint"]},
        "properties": {"figures": f["figures"], "op": f["op"], "gating": f["gating"],
                       **({"component": f["component"], "componentEvidence": f["component_evidence"]}
                          if "component" in f else {})},
    }
    if f["suppressed"]:
        res["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": "fingerprint in the ttdiag baseline"}]
    return res


def to_dict(result: GateResult) -> dict:
    rule_index = {k: i for i, k in enumerate(ALL_KINDS)}
    errors = [log for log in result.logs if log["status"] == "error"]
    invocation = {
        "executionSuccessful": not errors,
        "toolExecutionNotifications": [
            {"level": "error", "message": {"text": log["error"]},
             "locations": [{"physicalLocation": {"artifactLocation": _artifact(log["path"])}}]}
            for log in errors],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "ttdiag", "version": __version__, "semanticVersion": __version__,
                                "rules": [_rule(k) for k in ALL_KINDS]}},
            "invocations": [invocation],
            "results": [_result(log, f, rule_index) for log, f in result.failures()],
            "properties": {"summary": result.summary, "failOn": result.fail_on},
        }],
    }


def render(result: GateResult) -> str:
    return json.dumps(to_dict(result), indent=2, default=str)

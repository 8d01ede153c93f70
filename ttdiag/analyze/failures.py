"""Failure taxonomy: classify error events, extract their figures, fold one failure's echoes together.

A failure typically shows up several times in one log: the ``critical`` logger line, the
``RuntimeError: TT_THROW @ ..`` block, pytest's ``E`` lines and summary, then a crash. These are
reported once, as the primary failure, with the other lines as evidence. Kinds are stable
names used in every output format (README: "Failure kinds").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ir.trace import LogEvent
from ..parse import messages as M

KINDS = (
    "cb-exceeds-l1", "cb-clashes-with-l1-buffer", "cb-exceeds-l1-bank", "out-of-memory", "reshape-invalid",
    "compile-error", "kernel-build-failed", "device-timeout", "device-error", "accuracy", "crash",
    "assertion", "exception",
)
SEVERITY = {k: "error" for k in KINDS} | {"cb-exceeds-l1-bank": "warning"}
# Generic kinds that, after a specific failure, are its echoes (a RuntimeError wrapping it, the
# crash that follows), not new failures.
_GENERIC = {"exception", "crash", "assertion"}

_KERNEL_BUILD = re.compile(r"Failed to generate binaries for|\bbuild failed\b|jit_build|Failed to compile kernel", re.I)
_COMPILE = re.compile(
    r"error: '?[\w.]+'? op |\berror: |failed to legalize|Failed to run MLIR compiler pass pipeline|"
    r"OperationValidationAndFallback|Could not compile|compilation failed|MLIR compilation|failed to compile", re.I)
_TIMEOUT = re.compile(r"\btime ?out\b|\btimed out\b|TIMEOUT|Timeout waiting|Timeout \(\d+ ms\) waiting|hang detected|"
                      r"device timeout", re.I)
_DEVICE = re.compile(
    r"run_mailbox|No Tenstorrent devices|Chip not found|not responding|ARC (?:message|timeout|hang)|"
    r"ethernet core|PCIe (?:error|device)|device (?:is )?(?:in a bad state|unreachable)|"
    r"Failed to (?:open|initialize) device|UMD|noc (?:error|hang)|watcher (?:detected|server)", re.I)
_CRASH = re.compile(
    r"received signal|Segmentation fault|core dumped|Stack dump:|PLEASE submit a bug report|"
    r"Fatal Python error|terminate called|Aborted\b")
# circular_buffer_config.cpp (circular_buffer_types.cpp in 2025): a warning in release builds, an
# assert in debug builds, and in the newest code a fatal; e.g. tt-metal #15337.
_CB_BANK = re.compile(
    r"Circular buffer size (?P<cb>\d+) B exceeds allocated L1 buffer bank size of (?P<bank>\d+) B"
    r"|Cannot set circular buffer size to (?P<cb2>\d+)\. This is larger than the associated dynamically "
    r"allocated L1 buffer bank size of (?P<bank2>\d+) B")


@dataclass(slots=True)
class Classified:
    """One event's reading: kind, one-line message, exact figures, and the decoded text."""

    kind: str
    message: str
    figures: dict
    text: M.MessageText
    event: LogEvent


@dataclass(slots=True)
class Evidence:
    """Another line that reports the same failure: its number, text, and how it classified."""

    line: int
    text: str
    kind: str


@dataclass(slots=True)
class Failure:
    """A failure as reported: kind, severity, message, where its primary message starts (1-based),
    its figures, the event it came from, and the echo lines folded into it."""

    kind: str
    severity: str
    message: str
    line: int
    figures: dict
    event: LogEvent
    text: M.MessageText
    evidence: list[Evidence] = field(default_factory=list)


def classify(event: LogEvent) -> Classified | None:
    """Classify one error block; None when it is not a failure (e.g. a benign line that only
    looked like one). The assert's ``source_file``/``source_line``/``condition`` are added to the
    figures of every kind when the block has a ``TT_FATAL @ file:line`` header."""
    c = _classify(event)
    if c is not None and c.text.assertions:
        a = c.text.assertions[-1]
        if a.file is not None:
            for k, v in _assert_figures(a).items():
                c.figures.setdefault(k, v)
    return c


def _classify(event: LogEvent) -> Classified | None:
    text = M.read_message(event.lines)
    body = text.text
    headline = text.headline
    a = text.assertions[-1] if text.assertions else None

    if m := M.CB_OVF.search(body):
        end, l1 = int(m.group("end")), int(m.group("l1"))
        figs = {"cb_region_end_bytes": end, "l1_limit_bytes": l1, "core_range": M.parse_core_range(m.group("range"))}
        return Classified("cb-exceeds-l1", m.group(0), figs, text, event)
    if m := M.CB_CLASH.search(body):
        figs = {"program_id": int(m.group("prog")), "l1_buffer_address_bytes": int(m.group("addr")),
                "cb_region_end_bytes": int(m.group("end")), "core_range": M.parse_core_range(m.group("range"))}
        return Classified("cb-clashes-with-l1-buffer", m.group(0), figs, text, event)
    if m := _CB_BANK.search(body):
        figs = {"cb_bytes": int(m.group("cb") or m.group("cb2")), "bank_bytes": int(m.group("bank") or m.group("bank2"))}
        return Classified("cb-exceeds-l1-bank", m.group(0), figs, text, event)
    if m := M.OOM.search(body):
        return Classified("out-of-memory", m.group(0), _oom_figures(m), text, event)
    for needle in M.RESHAPE_MSGS:
        if needle in body:
            return Classified("reshape-invalid", headline if needle in headline else needle,
                              _assert_figures(a), text, event)
    if _KERNEL_BUILD.search(body):
        line = _first_match_line(body, _KERNEL_BUILD) or headline
        line = re.split(r"\s(?:TT_THROW|TT_FATAL) @ ", line)[0]
        figs = _assert_figures(a)
        if m := re.search(r"Failed to generate binaries for (\S+)", body):
            figs["kernel"] = m.group(1)
        if m := re.search(r"\b(brisc|ncrisc|trisc\d|erisc\w*) build failed", body):
            figs["processor"] = m.group(1)
        return Classified("kernel-build-failed", line, figs, text, event)
    if m := M.PCC.search(body):
        pcc = m.group("pcc")
        figs = {"pcc": float(pcc) if pcc.lower() != "nan" else None, "required_pcc": float(m.group("req"))}
        if figs["pcc"] is None or figs["pcc"] < figs["required_pcc"] or "fail" in body.lower():
            return Classified("accuracy", _first_match_line(body, M.PCC) or headline, figs, text, event)
    if _DEVICE.search(body):
        return Classified("device-error", headline, _device_figures(body, a), text, event)
    if _TIMEOUT.search(body) and (a is not None or event.level in ("error", "ERROR", "critical", "FATAL", "fatal")
                                  or "Error" in body or "TIMEOUT" in body):
        return Classified("device-timeout", _first_match_line(body, _TIMEOUT) or headline, {}, text, event)
    if m := _CRASH.search(body):
        return Classified("crash", _first_match_line(body, _CRASH) or headline, _crash_figures(body), text, event)
    if _COMPILE.search(body) and a is None:
        figs = {}
        if m := re.search(r'loc\("([^"]*)"', body):
            figs["loc"] = m.group(1)
        return Classified("compile-error", _first_match_line(body, _COMPILE) or headline, figs, text, event)
    if a is not None:
        return Classified("assertion", headline, _assert_figures(a), text, event)
    if text.exception_type:
        figs = {"exception_type": text.exception_type}
        return Classified("exception", f"{text.exception_type}: {text.exception_message or ''}".strip(": "),
                          figs, text, event)
    if event.level and event.level.lower() in ("critical", "fatal"):
        return Classified("assertion", headline, {"source_file": None, "source_line": None, "condition": None},
                          text, event)
    return None


def _first_match_line(body: str, rx: re.Pattern) -> str | None:
    for ln in body.splitlines():
        if rx.search(ln):
            return ln.strip()
    return None


def _assert_figures(a: M.Assertion | None) -> dict:
    if a is None:
        return {}
    return {"source_file": a.file, "source_line": a.line, "condition": a.condition}


def _oom_figures(m: re.Match) -> dict:
    figs: dict = {
        "buffer_type": m.group("btype"),
        "requested_bytes": int(m.group("size")),
        "num_banks": int(m.group("banks")),
        "bytes_per_bank": int(m.group("per_bank")),
    }
    if m.group("bank"):
        per_bank = figs["bytes_per_bank"]
        figs.update(
            bank_size_bytes=int(m.group("bank")),
            allocated_bytes=int(m.group("alloc")),
            free_bytes=int(m.group("free")),
            largest_free_block_bytes=int(m.group("lfb")),
        )
        # Enough free bytes in total, but no single block large enough: fragmentation.
        figs["fragmented"] = figs["free_bytes"] >= per_bank > figs["largest_free_block_bytes"]
    return figs


def _device_figures(body: str, a: M.Assertion | None) -> dict:
    figs = _assert_figures(a)
    cores = sorted({(int(x), int(y)) for x, y in re.findall(r"core \(x=(\d+),\s*y=(\d+)\)", body)})
    if cores:
        figs["cores"] = [list(c) for c in cores]
    return figs


def _crash_figures(body: str) -> dict:
    figs: dict = {}
    if m := M.SIGNAL.search(body):
        figs["signal"] = (m.group("name") or m.group("segv") or m.group("abrt") or "").strip()
        if m.group("num"):
            figs["signal_number"] = int(m.group("num"))
    frames = []
    for sm in M.MANGLED.finditer(body):
        name = M.demangle_nested(sm.group("sym"))
        if name and not name.startswith("std::"):
            frames.append(name)
    if frames:
        figs["top_frame"] = frames[0]
    return figs


_WRAPPER = re.compile(r"^\w*(?:Error|Exception):?\s*(?:Fatal error|Bad StatusOr access|.*Error code: \d+|"
                      r"tt::exception|INTERNAL)", re.I)
_ASSERT_KEYS = ("source_file", "source_line", "condition")


def _fold_key(c: Classified) -> tuple:
    """Two events with the same key are the same failure (echoes)."""
    if c.kind in ("cb-exceeds-l1", "cb-clashes-with-l1-buffer", "out-of-memory", "cb-exceeds-l1-bank", "accuracy"):
        return (c.kind, tuple(sorted((k, str(v)) for k, v in c.figures.items() if k not in _ASSERT_KEYS)))
    return (c.kind, re.sub(r"\d+", "#", c.message)[:200])


def fold(classified: list[Classified]) -> list[Failure]:
    """Fold echoes into primary failures, keeping log order.

    * Same kind and figures (or the same message with numbers masked) → one failure.
    * A generic event (``exception``, ``crash``, ``assertion``) right after a failure in the same
      program run is its echo when it is a crash, when the texts overlap, or when it only wraps
      (``RuntimeError: Fatal error``, ``Bad StatusOr access``, ``Error code: 13``).
    * A specific event right after a generic failure whose text it repeats upgrades that failure.
    """
    failures: list[Failure] = []
    by_key: dict[tuple, Failure] = {}
    for c in classified:
        key = _fold_key(c)
        evidence = Evidence(*_key_line(c.event), c.kind)
        if key in by_key:
            host = by_key[key]
            host.evidence.append(evidence)
            _merge_cores(host, c)
            continue
        prev = failures[-1] if failures else None
        if prev is not None and c.event.run == prev.event.run:
            if c.kind in _GENERIC and (c.kind == "crash" or _echo_of(prev, c) or _WRAPPER.search(c.message)):
                prev.evidence.append(evidence)
                _merge_cores(prev, c)
                by_key[key] = prev
                continue
            if prev.kind in _GENERIC and c.kind not in _GENERIC and _echo_of(prev, c):
                prev.kind, prev.severity, prev.message = c.kind, SEVERITY[c.kind], c.message
                prev.figures = {**prev.figures, **c.figures}
                prev.text = c.text
                prev.evidence.append(evidence)
                by_key[key] = prev
                continue
        f = Failure(c.kind, SEVERITY[c.kind], c.message, c.event.line, c.figures, c.event, c.text)
        failures.append(f)
        by_key[key] = f
    return failures


_KEY_LINE = re.compile(r"(?:TT_THROW|TT_FATAL|TT_ASSERT) @|^\s*(?:E\s+)?\w*(?:Error|Exception)\b:|Statically allocated|"
                       r"Out of Memory|Segmentation fault|received signal")


def _key_line(event: LogEvent) -> tuple[int, str]:
    """The line of an event that carries its message (not a 'Traceback' header), with its number."""
    for i, ln in enumerate(event.lines):
        if _KEY_LINE.search(ln):
            return event.line + i, ln.strip()[:300]
    return event.line, event.lines[0].strip()[:300]


def _merge_cores(host: Failure, c: Classified) -> None:
    """Fill figures the primary lacks from its echo (e.g. the assert's file:line from the
    RuntimeError block behind a critical logger line); union core lists."""
    for k, v in c.figures.items():
        if host.figures.get(k) is None and v is not None:
            host.figures[k] = v
    if "cores" in c.figures:
        merged = {tuple(x) for x in host.figures.get("cores", [])} | {tuple(x) for x in c.figures["cores"]}
        host.figures["cores"] = [list(x) for x in sorted(merged)]


def _echo_of(earlier: Failure, later: Classified) -> bool:
    """The two texts share their key message (the first 60 characters of either's headline)."""
    a, b = earlier.message[:60].strip(), later.message[:60].strip()
    return bool(a and a in later.text.text) or bool(b and b in earlier.text.text)


def find_failures(events: list[LogEvent]) -> list[Failure]:
    """Classify and fold every event of a log."""
    return fold([c for c in (classify(e) for e in events) if c is not None])

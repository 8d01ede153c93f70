"""Failure taxonomy: classify error events, extract their figures, fold one failure's echoes together.

A failure typically shows up several times in one log: the ``critical`` logger line, the
``RuntimeError: TT_THROW @ ..`` block, pytest's ``E`` lines and summary, then a crash. These are
reported once, as the primary failure, with the other lines as evidence. Kinds are stable
names used in every output format (README: "Failure kinds").

Which message is the failure (:func:`classify`): a catalogued message (:mod:`ttdiag.parse.catalog`:
the earliest in the block, errors before warnings: later ones are consequences) > a kernel compile
diagnostic > an MLIR compile diagnostic > an assertion (``TT_FATAL`` ...) > a crash (a signal, a C
``assert``, an LLVM crash, or a backtrace whose message was lost) > an exception. The text shown first
(``message``) is the cause: the compiler's ``fatal error:`` for a kernel build, the C assertion of an
LLVM crash, the signal and innermost Tenstorrent frame of a crash, never the boilerplate around them.
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

_COMPILE = re.compile(
    r"error: '?[\w.]+'? op |failed to legalize|Failed to run MLIR compiler pass pipeline|"
    r"OperationValidationAndFallback|Could not compile|MLIR compilation|Failed to run \w+ pipeline|"
    r"Failed to convert from \w+ to \w+ module|Failed to run (?:StableHLO|TTIR)", re.I)
_RESHAPE_SOURCE = re.compile(r"/reshape[\w/]*\.cpp|infer_dims_for_reshape|new_volume == old_volume|"
                             r"old_volume % new_volume")
_OOM_SHORT = re.compile(r"\bOut of (?:L1|DRAM|L1_SMALL) Memory\b")
_PCC_WORD = re.compile(r"\bPCC\b", re.I)
# tt-metal's test helper assert_with_pcc(expected, actual, pcc=0.9999): its threshold on the source line
_ASSERT_WITH_PCC = re.compile(r"assert_with_pcc\([^()]*?,[^()]*?,\s*(?:pcc\s*=\s*)?(?P<req>\d*\.\d+)\s*\)")
_PYTEST_ASSERT_GE = re.compile(r"^assert (?P<pcc>-?\d+\.\d+(?:e-?\d+)?) >= (?P<req>\d+\.\d+)\s*$", re.M)
_PCC_LT = re.compile(r"\bPCC (?P<pcc>-?\d+\.\d+) < (?P<req>\d+\.\d+)")
_TIMEOUT_HINT = re.compile(r"TT_METAL_OPERATION_TIMEOUT_SECONDS|potential hang detected|\bhang detected\b")
_PCC_FAILED = re.compile(r"\bfail|\bmismatch|assert", re.I)
# where a compiler diagnostic comes from a kernel (JIT) build, not from MLIR
_KERNEL_PATH = re.compile(r"/kernels?/|\.ttnn_runtime_artifacts|tt-metal-cache|defines_generated\.h|chlkc_|"
                          r"firmware/src/|/hw/(?:inc|ckernels|firmware)|compute_kernel_api|brisck\.cc|trisck\.cc")
_KERNEL_FROM_CMD = re.compile(r"/kernels/(?P<kernel>\w+)/\d+/(?P<proc>\w+)/")
_KERNEL_SOURCE = re.compile(r"(?P<path>[\w./-]*/kernels?(?:_\w+)?/(?:[\w]+/)*(?P<kernel>\w+)\.cpp)\b")
_ASSERT_PREFIX = re.compile(r"^(?:\w*Error: )?(?:TT_THROW|TT_FATAL|TT_ASSERT): ")
_LOGGER_SOURCE = re.compile(r" \((?P<file>[\w.-]+\.(?:cpp|hpp|cc|h)):(?P<line>\d+)\)\s*$")
_CURRENT_KERNEL = re.compile(r"Current kernel: (?P<kernel>[^\s,]+?)\.?(?:\s|$)")
# a crash is only told from its frames when they are a backtrace of a Tenstorrent library
_TT_FRAME = re.compile(r"tt_metal|ttnn|_ttnncpp|libtt_metal|TTMLIR|ttmlir|pjrt_plugin_tt|tt::|mlir::tt|"
                       r"libtt\.so|pybuda|_C\.so|budabackend|tt_cluster|tt_runtime|tt_epoch|umd", re.I)
_BORING_FRAME = re.compile(
    r"^(?:std::|__|_start|_Py|Py[A-Z]|__libc|__GI_|__pthread|__restore_rt|raise|abort|clone|start_thread|"
    r"backtrace|tt::assert::|tt::exception|ttsl::|tt::stl::|llvm::sys::|SignalHandler|\?\?|"
    r"(?:void )?tt::tt_metal::detail::backtrace|ttnn::device_operation::detail::(?:invoke|launch)|"
    r"tt::tt_metal::operation::run|pybind11::|nanobind::|<signal handler called>)")
_BORING_LIB = re.compile(r"^(?:libc\.so|libstdc\+\+|libpthread|ld-linux|libpython|python\d|python$|libgcc)")


@dataclass(slots=True)
class Classified:
    """One event's reading: kind, one-line message, exact figures, the decoded text, and the line of the
    event where its primary message is (1-based, in the log)."""

    kind: str
    message: str
    figures: dict
    text: M.MessageText
    event: LogEvent
    line: int = 0
    severity: str = "error"


@dataclass(slots=True)
class Evidence:
    """Another line that reports the same failure: its number, text, and how it classified."""

    line: int
    text: str
    kind: str


@dataclass(slots=True)
class Failure:
    """A failure as reported: kind, severity, message, where its primary message is (1-based), its
    figures, the event it came from, and the echo lines folded into it."""

    kind: str
    severity: str
    message: str
    line: int
    figures: dict
    event: LogEvent
    text: M.MessageText
    evidence: list[Evidence] = field(default_factory=list)
    echoes: list[tuple[LogEvent, M.MessageText]] = field(default_factory=list)  # the events folded in


def classify(event: LogEvent) -> Classified | None:
    """Classify one error block; None when it is not a failure (e.g. a benign line that only
    looked like one). The assert's ``source_file``/``source_line``/``condition`` are added to the
    figures of every kind when the block has a ``TT_FATAL @ file:line`` header."""
    text = M.read_message(event.lines)
    c = _classify(event, text)
    if c is None:
        return None
    for a in reversed(text.assertions):
        if a.file is not None:
            for k, v in _assert_figures(a).items():
                c.figures.setdefault(k, v)
            break
    if not c.line:
        c.line = event.line
    return c


def _at(event: LogEvent, index: int | None) -> int:
    return event.line + (index or 0)


def _classify(event: LogEvent, text: M.MessageText) -> Classified | None:
    primary = _primary_found(text)
    if primary is not None and primary.match.template.wrapper and any(_is_mlir_diag(d) for d in text.diagnostics):
        primary = None  # "failed to run the pipeline": the MLIR diagnostic above it is the cause
    if primary is not None:
        return _from_catalog(event, text, primary)
    kernel_diag = next((d for d in text.diagnostics if _KERNEL_PATH.search(d.text)), None)
    if kernel_diag is not None:
        figs: dict = {}
        if m := _KERNEL_SOURCE.search(text.text):
            figs["kernel"] = m.group("kernel")
            figs["kernel_file"] = m.group("path")
        if kernel_diag.file and kernel_diag.line:
            figs.update(source_file=kernel_diag.file, source_line=kernel_diag.line)
        return Classified("kernel-build-failed", _diag_headline(kernel_diag), figs, text, event,
                          _at(event, kernel_diag.index))
    a = _innermost_assertion(text)
    body = text.text
    compile_diag = next((d for d in text.diagnostics if d.loc is not None or "'" in d.message
                         or d.severity != "error" or d.file is None), None)
    if (compile_diag is not None or _COMPILE.search(body)) and a is None and text.c_assert is None:
        figs = {}
        if compile_diag is not None and compile_diag.loc:
            figs["loc"] = compile_diag.loc.strip('"').split('"')[0]
        line = compile_diag.index if compile_diag is not None else _first_line(text, _COMPILE)
        msg = _diag_headline(compile_diag) if compile_diag is not None else text.lines[line].strip()
        return Classified("compile-error", msg, figs, text, event, _at(event, line))
    if m := M.PCC.search(body):
        pcc = m.group("pcc")
        figs = {"pcc": float(pcc) if pcc.lower() != "nan" else None, "required_pcc": float(m.group("req"))}
        if figs["pcc"] is None or figs["pcc"] < figs["required_pcc"] or _PCC_FAILED.search(body):
            idx = _first_line(text, M.PCC)
            return Classified("accuracy", text.lines[idx].strip(), figs, text, event, _at(event, idx))
    if a is not None:
        kind = "device-timeout" if _TIMEOUT_HINT.search(body) else "assertion"
        if kind == "assertion" and a.file and _RESHAPE_SOURCE.search(a.file + " " + (a.condition or "")):
            kind = "reshape-invalid"  # a reshape TT_FATAL whose message is not in the catalog
        index = a.message_index if a.message and a.message_index is not None else a.index
        if not a.message and a.index > 0 and text.headers[0] is not None and text.lines[0].strip() \
                and (text.headers[0].level or "").lower() in ("fatal", "critical", "error"):
            # tt-mlir's LOG_FATAL logs the message at FATAL, then "LOG_FATAL @ file:line" and the backtrace
            a.message, index = text.lines[0].strip(), 0
        return Classified(kind, _assert_headline(a), _assert_figures(a), text, event, _at(event, index))
    if m := _OOM_SHORT.search(body):
        return Classified("out-of-memory", m.group(0), {}, text, event, _at(event, _first_line(text, _OOM_SHORT)))
    if text.exception_type and text.exception_message and _PCC_WORD.search(text.exception_message):
        figs = {}
        if m := _PCC_LT.search(text.exception_message):
            figs = {"pcc": float(m.group("pcc")), "required_pcc": float(m.group("req"))}
        if m := _ASSERT_WITH_PCC.search(text.text):
            figs.setdefault("required_pcc", float(m.group("req")))
        if m := _PYTEST_ASSERT_GE.search(text.text):
            # pytest's rewrite of `assert pcc >= required` prints both values in full
            figs = {"pcc": float(m.group("pcc")), "required_pcc": float(m.group("req"))}
        return Classified("accuracy", f"{text.exception_type}: {text.exception_message}", figs, text, event,
                          _at(event, text.exception_index))
    binary_frames = [f for f in text.frames if f.style != "python"]
    level = (event.level or "").lower()
    if level in ("critical", "fatal", "error") and binary_frames and text.lines[0].strip() \
            and text.c_assert is None and not text.signal:
        # a message logged at FATAL/ERROR and its backtrace (TT-Buda log_fatal, tt-mlir LOG_FATAL): the
        # message is there, so this is an assertion that failed, not a crash with its message lost
        return Classified("assertion", text.lines[0].strip(), {}, text, event)
    if text.c_assert is not None:
        return _crash(event, text, text.c_assert_index)
    if text.signal:
        return _crash(event, text, text.signal_index)
    if _CRASH_TEXT.search(body):
        return _crash(event, text, _first_line(text, _CRASH_TEXT))
    if binary_frames and text.exception_type is None:
        return _crash(event, text, binary_frames[0].index)
    if text.frames and text.exception_type is None and not (text.lines[0].strip() and level in ("error", "critical", "fatal")):
        return _crash(event, text, text.frames[0].index)  # a Python traceback with its exception line lost
    if text.frames and text.exception_type is None:
        return Classified("exception", text.lines[0].strip(), {}, text, event)
    if text.exception_type:
        figs = {"exception_type": text.exception_type}
        msg = f"{text.exception_type}: {text.exception_message or ''}".strip(": ")
        return Classified("exception", msg, figs, text, event, _at(event, text.exception_index))
    if event.level and event.level.lower() in ("critical", "fatal"):
        return Classified("assertion", text.headline, {}, text, event)
    return None


_TOOL_RUN = re.compile(r"(?:^|[/\s'\"])(?P<prog>ttmlir-(?:opt|translate)|ttrt|ttnn-standalone)\b"
                       r"(?:\s+'?(?P<pipeline>--[\w-]+))?")
_PASS_FN = re.compile(r"(?:^|::)(?P<pass>\w+)::runOnOperation$")
# tt-mlir's Python pass tracker (python/PassTracker.cpp) adds this to LLVM's crash stack
_RUNNING_PASS = re.compile(r"Running pass '(?P<pass>[^']+)'(?: on operation '(?P<op>[^']+)')?")
_CRASH_TEXT = re.compile(r"PLEASE submit a bug report|Stack dump:|terminate called|core dumped|Fatal Python error")


def _primary_found(text: M.MessageText) -> M.Found | None:
    """The catalogued message that is the failure: errors before warnings, then the earliest in the
    block; of the templates that matched at one place, the one with the most figures."""
    if not text.found:
        return None

    def rank(f: M.Found) -> tuple:
        warning = f.kind == "cb-exceeds-l1-bank" and _is_warning(text, f)
        return (warning, f.index, f.match.start, -len(f.match.figures), not f.match.complete)

    best = min(text.found, key=rank)
    # the same message at the same place, read by a template that got more out of it
    same = [f for f in text.found if f.index == best.index and f.kind == best.kind
            and f.match.start == best.match.start]
    return max(same, key=lambda f: (len(f.match.figures), f.match.complete))


def _is_warning(text: M.MessageText, f: M.Found) -> bool:
    """A CB-vs-bank message is a warning when logged as one (release builds before 2025), an error
    when thrown (``TT_FATAL``, 2025+)."""
    h = text.headers[f.index] if f.index < len(text.headers) else None
    if h is not None and h.level and h.level.lower().startswith("warn"):
        return True
    return "may allow this circular buffer to write outside" in text.lines[f.index]


def _from_catalog(event: LogEvent, text: M.MessageText, primary: M.Found) -> Classified:
    kind = primary.kind
    figs = dict(primary.match.figures)
    message = primary.match.message
    # figures the same failure states in its other catalogued messages (the FW-init rethrow of a core
    # time-out, "Current kernel:" after a watcher assert, the kernel name next to "build failed")
    for f in text.found:
        if f is primary or f.kind != kind:
            continue
        for k, v in f.match.figures.items():
            figs.setdefault(k, v)
    if kind in ("device-error", "device-timeout"):
        cores = {tuple(c) for f in text.found for c in _cores_of(f.match.figures)}
        if cores:
            figs["cores"] = [list(c) for c in sorted(cores)]
        if m := _CURRENT_KERNEL.search(text.text):
            figs.setdefault("kernel", m.group("kernel"))
    if kind == "out-of-memory" and all(figs.get(k) is not None for k in
                                       ("free_bytes", "bytes_per_bank", "largest_free_block_bytes")):
        # enough free bytes in total, but no single block large enough: fragmentation
        figs["fragmented"] = figs["free_bytes"] >= figs["bytes_per_bank"] > figs["largest_free_block_bytes"]
    if kind == "accuracy" and "required_pcc" not in figs and (
            m := _ASSERT_WITH_PCC.search(text.text) or _ASSERT_WITH_PCC.search("\n".join(c for _, c in event.context))):
        figs["required_pcc"] = float(m.group("req"))  # the threshold passed to assert_with_pcc
    if "processor" in figs:
        figs["processor"] = str(figs["processor"]).strip()
    if "source_file" not in figs and (m := _LOGGER_SOURCE.search(text.lines[primary.index])) \
            and m.group("file") not in ("assert.hpp", "assert.h"):
        # tt-logger ends a line with where it was logged; for a message logged (not thrown) that is
        # its source (the watcher's report, UMD's ioctl warnings); assert.hpp is only the assert macro
        figs["source_file"], figs["source_line"] = m.group("file"), int(m.group("line"))
    if kind == "kernel-build-failed":
        if "kernel" not in figs and (m := _KERNEL_FROM_CMD.search(text.text)):
            figs["kernel"] = m.group("kernel")
        diag = next((d for d in text.diagnostics if d.severity == "fatal error"), None) or \
            next((d for d in text.diagnostics if _KERNEL_PATH.search(d.text) or d.file), None)
        if diag is not None:
            message = _diag_headline(diag)
            if diag.file and diag.line and not any(a.file for a in text.assertions):
                # no TT_THROW header survived: the compiler's file:line is where the build failed
                figs.setdefault("source_file", diag.file)
                figs.setdefault("source_line", diag.line)
        elif (m := re.search(r"(?:internal compiler error|during \w+ pass|undefined reference to|"
                             r"region `\w+' overflowed by \d+ bytes).*", text.text)):
            message = m.group(0).strip()
    if len(message) < 40:
        # a short key-only message ("Timeout after 20000 ms"): the line it stands in says more
        line = _LOGGER_SOURCE.sub("", _ASSERT_PREFIX.sub("", text.lines[primary.index].strip()))
        if primary.match.template.key in line and len(line) > len(message):
            message = line
    severity = "warning" if kind == "cb-exceeds-l1-bank" and _is_warning(text, primary) else SEVERITY[kind]
    return Classified(kind, message, figs, text, event, _at(event, primary.index), severity)


def _cores_of(figs: dict) -> list:
    """The cores a device message names, in the coordinates tt-metal's device messages use (virtual /
    NOC: run_mailbox, the core time-out); a watcher report also gives the logical ``core``."""
    out = list(figs.get("cores") or [])
    if "virtual_core" in figs:
        out.append(figs["virtual_core"])
    elif "core" in figs:
        out.append(figs["core"])
    return out


def _is_mlir_diag(d: M.Diagnostic) -> bool:
    return not _KERNEL_PATH.search(d.text) and (d.loc is not None or d.file is None or d.file.endswith(".mlir"))


def _first_line(text: M.MessageText, rx: re.Pattern) -> int:
    for i, ln in enumerate(text.lines):
        if rx.search(ln):
            return i
    return 0


def _diag_headline(d: M.Diagnostic) -> str:
    where = f"{d.file}:{d.line}: " if d.file and d.line else ""
    return f"{where}{d.severity}: {d.message}"


def _innermost_assertion(text: M.MessageText) -> M.Assertion | None:
    """The assertion that raised: the last header with a file (nested headers wrap inner ones), else
    the last one at all (a header cut before its file, or the logger's ``TT_FATAL: msg`` form)."""
    with_file = [a for a in text.assertions if a.file is not None]
    if with_file:
        inner = with_file[-1]
        # the logger line's copy of the message, when the exception's own info: was cut off
        if not inner.message:
            inner.message = next((a.message for a in text.assertions if a.file is None and a.message), "")
        return inner
    return text.assertions[-1] if text.assertions else None


def _assert_headline(a: M.Assertion) -> str:
    if a.message:
        return a.message.splitlines()[0]
    if a.file is not None:
        return f"{a.kind} @ {a.file}:{a.line}: {a.condition or ''}".rstrip(": ")
    return f"{a.kind} raised; the log is cut before its file and message"


def _assert_figures(a: M.Assertion | None) -> dict:
    """The raising assert's file, line and condition: only those the text still holds (a header cut
    before its file gives none)."""
    if a is None:
        return {}
    figs = {"source_file": a.file, "source_line": a.line, "condition": a.condition}
    return {k: v for k, v in figs.items() if v is not None}


def top_frame(frames: list[M.Frame]) -> M.Frame | None:
    """The innermost frame of Tenstorrent code: backtraces list the innermost first (tt-metal
    `` --- ``, OpenMPI, LLVM, gdb); system, Python-interpreter and assert / signal-handler frames
    are skipped, and a frame with a function name is preferred to a bare ``lib.so(+0x..)`` address."""
    candidates = []
    for f in frames:
        if f.style == "python":
            continue
        sym = _strip_params(f.symbol or "").strip()
        if sym and _BORING_FRAME.match(sym):
            continue
        if f.library and _BORING_LIB.match(f.library):
            continue
        if _TT_FRAME.search(f.text):
            candidates.append(f)
    named = next((f for f in candidates if f.symbol and not f.symbol.startswith(("+", "0x"))), None)
    return named or (candidates[0] if candidates else None)


def frame_name(f: M.Frame) -> str:
    """A frame's function as a reader wants it: the demangled name without its parameter list."""
    sym = f.symbol or f.text
    return _strip_params(sym)


def _strip_params(sym: str) -> str:
    """``ns::f(int, std::vector<..>)`` -> ``ns::f``; a return type in front (``T ns::f<U>(..)``, templates)
    is dropped: the name is the last space-separated part outside template brackets before the
    parameter list."""
    depth = 0
    head = sym
    for i, c in enumerate(sym):
        if c == "<":
            depth += 1
        elif c == ">":
            depth = max(0, depth - 1)
        elif c == "(" and depth == 0 and i > 0:
            head = sym[:i]
            break
    depth = 0
    cut = 0
    for i, c in enumerate(head):
        if c == "<":
            depth += 1
        elif c == ">":
            depth = max(0, depth - 1)
        elif c == " " and depth == 0:
            cut = i + 1
    return head[cut:].strip()


def _crash(event: LogEvent, text: M.MessageText, index: int | None) -> Classified:
    figs: dict = dict(text.signal)
    top = top_frame(text.frames)
    if top is not None:
        figs["top_frame"] = frame_name(top)
        if top.file and top.line:  # gdb names the source line of the frame that crashed
            figs.update(source_file=top.file, source_line=top.line)
    if text.c_assert is not None:
        m = text.c_assert
        figs.update(source_file=m.group("file"), source_line=int(m.group("line")), condition=m.group("cond"))
        figs["function"] = m.group("func")
        func = _strip_params(m.group("func"))
        if pm := _PASS_FN.search(func):
            figs["pass"] = pm.group("pass")
        msg = f"Assertion `{m.group('cond')}' failed in {func}"
        if "pass" in figs:
            msg += f" (pass {figs['pass']})"
        return Classified("crash", msg, figs, text, event, _at(event, text.c_assert_index))
    if running := next((ln for ln in text.lines if _RUNNING_PASS.search(ln)), None):
        rm = _RUNNING_PASS.search(running)
        figs["pass"] = rm.group("pass")
        if rm.group("op"):
            figs["pass_op"] = rm.group("op")
    if "PLEASE submit a bug report" in text.text and "top_frame" not in figs:
        # LLVM's crash handler with neither the assertion nor a frame left: say which tool and pipeline
        lines = [ln for _, ln in event.context] + text.lines
        if m := next((x for x in (_TOOL_RUN.search(ln) for ln in lines) if x), None):
            figs["program"] = m.group("prog")
            if m.group("pipeline"):
                figs["pipeline"] = m.group("pipeline")
        what = figs.get("program", "the compiler")
        msg = f"LLVM crash in {what}" + (f" running {figs['pipeline']}" if "pipeline" in figs else "") + \
            " (no assertion or backtrace frame survived)"
        return Classified("crash", msg, figs, text, event, _at(event, _first_line(text, _CRASH_TEXT)))
    where = f" in {figs['top_frame']}" if "top_frame" in figs else ""
    if "pass" in figs:
        where += f" while running pass {figs['pass']}" + (f" on '{figs['pass_op']}'" if "pass_op" in figs else "")
    if "signal" in figs or "signal_number" in figs:
        sig = figs.get("signal") or f"signal {figs['signal_number']}"
        num = f" ({figs['signal_number']})" if "signal" in figs and "signal_number" in figs else ""
        msg = f"{sig}{num}{where}"
    elif text.frames and index == text.frames[0].index:
        msg = f"crash with the message lost: backtrace only{where}"
    else:
        msg = (text.lines[index or 0].strip() or "crash") + where
    return Classified("crash", msg, figs, text, event, _at(event, index))


# -- folding echoes -----------------------------------------------------------------------------

_WRAPPER = re.compile(r"^\w*(?:Error|Exception):?\s*(?:Fatal error|Bad StatusOr access|.*Error code: \d+|"
                      r"tt::exception|INTERNAL)", re.I)
_ASSERT_KEYS = ("source_file", "source_line", "condition")


def _fold_key(c: Classified) -> tuple:
    """Two events with the same key are the same failure (echoes)."""
    if c.kind in ("cb-exceeds-l1", "cb-clashes-with-l1-buffer", "out-of-memory", "cb-exceeds-l1-bank", "accuracy"):
        figs = {k: v for k, v in c.figures.items() if k not in _ASSERT_KEYS}
        return (c.kind, tuple(sorted((k, str(v)) for k, v in figs.items())))
    return (c.kind, re.sub(r"\d+", "#", c.message)[:200])


def fold(classified: list[Classified]) -> list[Failure]:
    """Fold echoes into primary failures, keeping log order.

    * Same kind and figures (or the same message with numbers masked) → one failure; a copy of the
      message cut shorter (fewer figures, the rest equal) is the same failure too.
    * A generic event (``exception``, ``crash``, ``assertion``) right after a failure in the same
      program run is its echo when it is a crash, when the texts overlap, or when it only wraps
      (``RuntimeError: Fatal error``, ``Bad StatusOr access``, ``Error code: 13``).
    * A specific event right after a generic failure whose text it repeats upgrades that failure.
    """
    failures: list[Failure] = []
    by_key: dict[tuple, Failure] = {}
    for c in classified:
        key = _fold_key(c)
        evidence = Evidence(*_key_line(c), c.kind)
        host = by_key.get(key) or _cut_copy_of(failures, c)
        if host is not None:
            host.evidence.append(evidence)
            host.echoes.append((c.event, c.text))
            _merge_figures(host, c)
            continue
        prev = failures[-1] if failures else None
        if prev is not None and c.event.run == prev.event.run:
            if c.kind in _GENERIC and (c.kind == "crash" or _echo_of(prev, c) or _WRAPPER.search(c.message)):
                prev.evidence.append(evidence)
                prev.echoes.append((c.event, c.text))
                _merge_figures(prev, c)
                by_key[key] = prev
                continue
            if prev.kind in _GENERIC and c.kind not in _GENERIC and (_echo_of(prev, c) or _message_lost(prev)):
                if _message_lost(prev):
                    prev.line = c.line  # the backtrace was the tail of this message: its line is the failure's
                prev.kind, prev.severity, prev.message = c.kind, c.severity, c.message
                prev.figures = {**prev.figures, **c.figures}
                prev.echoes.append((prev.event, prev.text))
                prev.text, prev.event = c.text, c.event
                prev.evidence.append(evidence)
                by_key[key] = prev
                continue
            if c.kind == prev.kind and c.kind not in _GENERIC and _compatible(prev, c):
                prev.evidence.append(evidence)
                prev.echoes.append((c.event, c.text))
                _merge_figures(prev, c)
                by_key[key] = prev
                continue
            if {c.kind, prev.kind} == {"device-error", "device-timeout"} and c.line - prev.line <= 40:
                # a core time-out and the firmware-init failure it causes, or a stale run_mailbox and the
                # time-out waiting for those cores: one device failure, the first message its cause
                prev.evidence.append(evidence)
                prev.echoes.append((c.event, c.text))
                _merge_figures(prev, c)
                by_key[key] = prev
                continue
        f = Failure(c.kind, c.severity, c.message, c.line, c.figures, c.event, c.text)
        failures.append(f)
        by_key[key] = f
    return failures


def _message_lost(f: Failure) -> bool:
    """A crash known only from a backtrace (no signal, no assertion): the frames of the message that follows."""
    return f.kind == "crash" and f.message.startswith("crash with the message lost")


def _compatible(prev: Failure, c: Classified) -> bool:
    """The same failure told again close by (the logger line, the thrown text, a rethrow): no figure
    they both state differs."""
    last = max([prev.line] + [e.line for e in prev.evidence])
    if c.line - last > 40:
        return False
    return all(prev.figures.get(k) == v for k, v in c.figures.items()
               if k not in _ASSERT_KEYS and k in prev.figures and k != "cores")


def _cut_copy_of(failures: list[Failure], c: Classified) -> Failure | None:
    """An earlier failure of the same kind whose figures include all of ``c``'s (``c`` is the same
    message cut shorter, e.g. a logger line cut mid-figure before the full exception text)."""
    if c.kind not in ("cb-exceeds-l1", "cb-clashes-with-l1-buffer", "out-of-memory", "accuracy"):
        return None
    mine = {k: v for k, v in c.figures.items() if k not in _ASSERT_KEYS}
    for f in reversed(failures[-8:]):
        if f.kind != c.kind:
            continue
        theirs = {k: v for k, v in f.figures.items() if k not in _ASSERT_KEYS}
        if mine and all(theirs.get(k) == v for k, v in mine.items()):
            return f
        if theirs and all(mine.get(k) == v for k, v in theirs.items()):
            # the earlier copy was the cut one: the fuller figures win, the place stays
            for k, v in mine.items():
                f.figures.setdefault(k, v)
            if not c.message.endswith("…"):
                f.message = c.message
            return f
    return None


_KEY_LINE = re.compile(r"(?:TT_THROW|TT_FATAL|TT_ASSERT) @|^\s*(?:E\s+)?\w*(?:Error|Exception)\b:|Statically allocated|"
                       r"Out of Memory|Segmentation fault|received signal")


def _key_line(c: Classified) -> tuple[int, str]:
    """The line of an event that carries its message (not a 'Traceback' header), with its number."""
    event = c.event
    if c.line and c.line != event.line:
        i = c.line - event.line
        if 0 <= i < len(event.lines):
            return c.line, event.lines[i].strip()[:300]
    for i, ln in enumerate(event.lines):
        if _KEY_LINE.search(ln):
            return event.line + i, ln.strip()[:300]
    return event.line, event.lines[0].strip()[:300]


def _merge_figures(host: Failure, c: Classified) -> None:
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

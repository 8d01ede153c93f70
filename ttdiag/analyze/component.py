"""Which software component a failure comes from, and the evidence that decided it.

Components (a contract of ``failures[i].component``): ``tt-metal``, ``ttnn``, ``tt-mlir-runtime``,
``tt-mlir-compiler``, ``tt-xla``, ``tt-torch``, ``forge``, ``umd``, ``python``, ``unknown``.

Evidence, strongest first:

1. the source path of the message: the ``TT_FATAL @ file`` that raised it (the innermost when they
   nest), a C ``assert``'s file, the file tt-logger names for a logged (not thrown) message. Paths nest
   vendored trees (``tt-xla/third_party/tt-mlir/.../tt-metal/ttnn/cpp/...``): the marker furthest right
   decides (``ttnn/`` over ``tt-mlir``);
2. a watcher report's kernel path (the kernel that tripped the assert, e.g. ``ttnn/cpp/ttnn/operations/..``);
3. the innermost Tenstorrent frame of the backtrace: its library (``libtt_metal.so``, ``_ttnncpp.so``,
   ``libTTMLIRRuntime.so``, ``libTTMLIRCompiler.so``, ``pjrt_plugin_tt.so``, ...) or its namespace
   (``tt::tt_metal::``, ``ttnn::``, ``tt::runtime::``, ``mlir::tt::``, ``tt::umd::``); tt-xla's
   ``tests/infra/utilities/failing_reasons/checks_xla.py`` decides by these libraries too;
4. the message family's own source (the catalog: an accuracy check's test framework, a UMD message);
5. the kind (an MLIR diagnostic is the compiler's, a kernel build tt-metal's JIT) and, for Python
   exceptions, the packages in the traceback.
"""

from __future__ import annotations

import re

from ..parse.messages import Frame, MessageText
from .failures import Failure, top_frame

COMPONENTS = ("tt-metal", "ttnn", "tt-mlir-runtime", "tt-mlir-compiler", "tt-xla", "tt-torch", "forge", "umd",
              "python", "unknown")

# path markers (searched right to left: the innermost vendored tree wins)
_PATH_MARKERS = (
    ("umd", re.compile(r"(?:^|/)(?:tt-umd|umd)/(?:device|src)/|tt_silicon_driver|(?:^|/)pci_device\.cpp|"
                       r"(?:^|/)tt_device\.cpp")),
    # tt_eager/tt_dnn (2023-24) held the op library and tensor code that became ttnn
    ("ttnn", re.compile(r"(?:^|/)ttnn/+(?:cpp|core|api|ttnn)/|(?:^|/)ttnn/+\w+\.py|(?:^|/)tt_eager/")),
    ("tt-metal", re.compile(r"(?:^|/)(?:tt_metal|tt_stl)/")),
    ("tt-mlir-runtime", re.compile(r"(?:^|/)runtime/(?:lib|include|tools)/|(?:^|/)ttrt/")),
    ("tt-mlir-compiler", re.compile(r"(?:^|/)(?:lib|include/ttmlir)/(?:Dialect|Conversion|Transforms|OpModel|Target|"
                                    r"Scheduler|Dialect)/|(?:^|/)include/ttmlir/")),
    ("tt-xla", re.compile(r"(?:^|/)pjrt_implementation/|(?:^|/)tt-xla/tests/|(?:^|/)tests/infra/|(?:^|/)torch_xla/")),
    ("forge", re.compile(r"(?:^|/)(?:forge/csrc|forge/forge|pybuda|budabackend)/")),
    ("tt-torch", re.compile(r"(?:^|/)tt[_-]torch/")),
)
_LIBS = (
    ("tt-metal", re.compile(r"^libtt_metal\.so")),
    ("ttnn", re.compile(r"^(?:_ttnncpp|_ttnn)(?:\.cpython[\w.-]*)?\.so")),
    ("tt-mlir-runtime", re.compile(r"^(?:libTTMLIRRuntime|_ttmlir_runtime)[\w.-]*\.so|^_C\.cpython.*\.so")),
    ("tt-mlir-compiler", re.compile(r"^(?:libTTMLIRCompiler|libTTMLIR|_ttmlir)[\w.-]*\.so|^ttmlir-(?:opt|translate)")),
    ("tt-xla", re.compile(r"^pjrt_plugin_tt\.so")),
    ("umd", re.compile(r"^libdevice\.so|^libumd")),
    ("forge", re.compile(r"^libtt\.so")),
    ("tt-torch", re.compile(r"^tt_mlir\.so")),
)
_NAMESPACES = (
    ("tt-mlir-runtime", re.compile(r"\btt::runtime::")),
    ("tt-mlir-compiler", re.compile(r"\bmlir::tt::")),
    ("tt-xla", re.compile(r"\btt::pjrt::")),
    ("umd", re.compile(r"\btt::umd::|\btt_SiliconDevice\b|\bumd::")),
    ("forge", re.compile(r"\btt_(?:cluster|runtime|epoch\w*)::|\btt::(?:passes|graphlib)::")),
    ("ttnn", re.compile(r"^(?:[\w:<> ]+ )?ttnn::")),
    ("tt-metal", re.compile(r"\btt::tt_metal::|\btt::llrt::|\btt::Cluster\b|\bCoreRange|^(?:[\w:<> ]+ )?tt::(?!runtime|pjrt|umd)")),
)
_SOURCE_COMPONENT = (  # the prefix of a catalog template's source
    ("tt-xla", "tt-xla"), ("tt-torch", "tt-torch"), ("tt-forge", "forge"), ("tt-budabackend", "forge"),
    ("tt-umd", "umd"), ("ttnn/", "ttnn"), ("ttnn tests", "ttnn"), ("tt_metal/", "tt-metal"),
)
_PY_PACKAGES = (
    ("tt-torch", re.compile(r"(?:^|/)tt[_-]torch/")), ("tt-xla", re.compile(r"torch_xla|jax_plugins|pjrt_plugin_tt|tests/infra/")),
    ("forge", re.compile(r"(?:^|/)(?:forge|pybuda)/")), ("tt-mlir-runtime", re.compile(r"(?:^|/)ttrt/")),
    ("ttnn", re.compile(r"(?:^|/)ttnn/")),
)
_MESSAGE_PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)+\.(?:cpp|cc|hpp|h|py)\b")
_XLA_WRAPPER = re.compile(r"Bad StatusOr access|Error code: 13|XlaRuntimeError")


def component_of_path(path: str) -> str | None:
    """The component a source path belongs to, by its innermost (rightmost) marker; None if none."""
    best: tuple[int, str] | None = None
    for comp, rx in _PATH_MARKERS:
        for m in rx.finditer(path):
            if best is None or m.start() > best[0]:
                best = (m.start(), comp)
    return best[1] if best else None


def component_of_frame(f: Frame) -> str | None:
    """The component of one backtrace frame: its library, else its namespace."""
    if f.library:
        for comp, rx in _LIBS:
            if rx.match(f.library):
                return comp
    sym = f.symbol or f.text
    for comp, rx in _NAMESPACES:
        if rx.search(sym):
            return comp
    if f.file:
        return component_of_path(f.file)
    return None


def _frames(f: Failure) -> list[tuple[int, Frame]]:
    """Every frame of the failure and its echoes, with the log line it is on."""
    return [(ev.line + fr.index, fr) for ev, t in [(f.event, f.text), *f.echoes] for fr in t.frames]


def _texts(f: Failure) -> list[MessageText]:
    return [f.text] + [t for _, t in f.echoes]


def attribute(f: Failure, op_ref=None) -> tuple[str, str, int | None]:
    """(component, evidence, line): the component a failure comes from, what decided it in one line, and
    the log line that evidence is on (None when it is the kind alone). ``op_ref``
    (:class:`ttdiag.parse.op_refs.OpRef`): the op the log names without an op line."""
    figs = f.figures
    # 1. the source path of the message
    for ev, t in [(f.event, f.text), *f.echoes]:
        for a in reversed(t.assertions):
            if a.file and (comp := component_of_path(a.file)):
                return comp, f"raised in {a.file}:{a.line}", ev.line + a.index
    path = figs.get("source_file")
    if not isinstance(path, str) and (m := _MESSAGE_PATH.search(f.message)):
        path = m.group(0)  # a path the message itself names (torch_xla/csrc/aten_xla_bridge.cpp:110)
    if isinstance(path, str) and (comp := component_of_path(path)):
        return comp, f"raised in {path}" + (f":{figs['source_line']}" if figs.get("source_line") else ""), f.line
    # 2. the kernel: a watcher report's, or the kernel source a build failed on
    kernel = figs.get("kernel") if f.kind == "device-error" else figs.get("kernel_file")
    if f.kind in ("device-error", "kernel-build-failed") and isinstance(kernel, str) \
            and (comp := component_of_path("/" + kernel.lstrip("/"))):
        return comp, f"kernel {kernel}", f.line
    # 3. the innermost Tenstorrent frame
    located = _frames(f)
    frames = [fr for _, fr in located]
    top = top_frame(frames)
    if top is not None and (comp := component_of_frame(top)):
        where = top.library or (top.symbol or top.text)[:120]
        return comp, f"innermost Tenstorrent frame: {where}", next(n for n, fr in located if fr is top)
    # a ttnn op named by the Python call that failed, where no path or frame says more
    if op_ref is not None and op_ref.source == "python-frame" and op_ref.name and f.kind not in ("accuracy",):
        return "ttnn", f"the failing call is {op_ref.name} ({op_ref.how})", op_ref.line
    # 4. the message family's own source
    src = _template_source(f)
    if src:
        for prefix, comp in _SOURCE_COMPONENT:
            if src.startswith(prefix):
                return comp, f"{_family_word(f)} from {src}", f.line
    # 5. the kind, the tool that crashed, the Python packages, the wrapper
    if f.figures.get("program") in ("ttmlir-opt", "ttmlir-translate"):
        return "tt-mlir-compiler", f"the crash is in {f.figures['program']}", f.line
    if f.kind == "compile-error":
        return "tt-mlir-compiler", "an MLIR compiler diagnostic", f.line
    if f.kind == "kernel-build-failed":
        return "tt-metal", "tt-metal's kernel JIT build (tt_metal/jit_build)", f.line
    if any(_XLA_WRAPPER.search(t.text) for t in _texts(f)):
        return "tt-xla", "the tt-xla PJRT plugin's error status (Error code: 13 = INTERNAL)", f.line
    if f.kind == "exception" and re.search(r"'ttnn(?:\._ttnn)?[.']", f.message):
        return "ttnn", "the exception names a ttnn module", f.line
    py = [(n, fr.file) for n, fr in located if fr.style == "python" and fr.file]
    for comp, rx in _PY_PACKAGES:
        hit = next(((n, p) for n, p in reversed(py) if rx.search(p)), None)
        if hit:
            return comp, f"Python frame in {hit[1]}", hit[0]
    if f.kind in ("exception", "accuracy") or (f.kind == "crash" and py and top is None):
        return ("python", "a Python exception outside the Tenstorrent packages" if f.kind != "crash" else
                "a crash with Python frames only", f.line)
    if f.kind in ("device-error", "device-timeout", "cb-exceeds-l1", "cb-clashes-with-l1-buffer",
                  "out-of-memory", "cb-exceeds-l1-bank"):
        return "tt-metal", f"{_family_word(f)} is raised by tt-metal", None
    return "unknown", "no source path, library or frame names a component", None


def _template_source(f: Failure) -> str | None:
    """The source of the catalogued message the failure was read from (a framework's "pipeline failed"
    wrapper only when it is the failure's own message, not when a diagnostic above it was)."""
    for t in _texts(f):
        for found in t.found:
            tpl = found.match.template
            if found.kind == f.kind and (not tpl.wrapper or f.message.startswith(tpl.key)):
                return tpl.source
    return None


def _family_word(f: Failure) -> str:
    return {"accuracy": "the accuracy check", "device-error": "the device message",
            "device-timeout": "the time-out", "out-of-memory": "the allocator message",
            "cb-exceeds-l1": "the circular-buffer check", "cb-clashes-with-l1-buffer": "the circular-buffer check",
            "cb-exceeds-l1-bank": "the circular-buffer check", "reshape-invalid": "the reshape check",
            "kernel-build-failed": "the kernel build"}.get(f.kind, "the message")

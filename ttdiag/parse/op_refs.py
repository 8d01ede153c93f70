"""Where a log names an op without an ``Executing operation:`` line (release builds, pytest, CI): the
backtrace, the Python frames pytest prints, and the message itself.

* **backtrace** (innermost frame first): the tt-mlir runtime's dispatch
  ``tt::runtime::ttnn::operations::<family>::run(tt::target::ttnn::<X>Op const*, ..)`` names the TTNN
  dialect op (tt-mlir ``runtime/lib/ttnn/program_executor.cpp``); tt-metal device operations
  (``ttnn::operations::conv::conv2d::Conv2dDeviceOperation``, ``ttnn::prim::..``), old-infra program
  factories (``..::detail::tilize_with_val_padding_multi_core_interleaved``) and op ``invoke`` frames
  name the ttnn op and the factory; the compiler's ``OpModel<mlir::tt::ttnn::LinearOp>`` names the op
  being modelled;
* **python-frame**: ``FastOperation(python_fully_qualified_name='ttnn.conv2d', ..)`` (ttnn
  ``decorators.py``), ``<ttnn._ttnn.operations.<cat>.<op>_t object ..>``, a traceback frame whose
  source line calls ``ttnn.<op>(``, and the ``ttnn.Tensor(.., shape=Shape([L[P], ..]), dtype=DataType::..,
  layout=Layout::..)`` reprs of the call's arguments (``L[P]``: logical L, padded P; ttnn
  ``tensor_impl.cpp``);
* **message**: ``ttnn.matmul: ..``, an MLIR diagnostic ``'ttnn.conv2d' op ..``, a TT_FATAL raised in
  ``ttnn/cpp/ttnn/operations/<category>/<op>/..``.

Only names of TTNN ops (:mod:`ttdiag.analyze.op_names`) count: helpers are never reported as the op.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ir.op_names import is_op, snake
from .headers import strip_transport
from .messages import Frame, MessageText


@dataclass(slots=True)
class PyTensor:
    """A ``ttnn.Tensor`` repr: logical shape, padded shape (where ``L[P]`` says so, else None), dtype
    (``DataType::BFLOAT16`` as ``bf16``), tiled or not, and the text it was read from."""

    logical_shape: tuple[int, ...]
    padded_shape: tuple[int, ...] | None
    dtype: str | None
    tiled: bool | None
    text: str
    line: int = 0  # the log line of the repr


@dataclass(slots=True)
class OpRef:
    """An op the log names: ``name`` (``ttnn.conv2d``; None when only the ``family`` is known), how it
    was found (``source``: backtrace | python-frame | message), the log line and text of the evidence,
    the program factory or device operation where one is named, and the call's tensors."""

    name: str | None
    source: str
    line: int
    evidence: str
    factory: str | None = None
    family: str | None = None
    tensors: list[PyTensor] = field(default_factory=list)
    how: str = ""  # what named it: "tt-mlir runtime dispatch frame", "device operation frame", ...
    factory_line: int | None = None  # the log line that names the factory


# -- backtrace ------------------------------------------------------------------------------------

_RUNTIME_RUN = re.compile(r"tt::runtime::ttnn::operations::(?P<ns>[\w:]+?)::run(?P<helper>\w*)"
                          r"\((?:tt::target::ttnn::(?P<fb>\w+?)Op const\*)?")
_FAMILY_OPS = {  # flatbuffer ops that carry the real op in a type field (eltwise.fbs): the family only
    "EltwiseBinary": "eltwise binary", "EltwiseBinaryComposite": "eltwise binary",
    "EltwiseBinaryCompositeScalar": "eltwise binary", "EltwiseUnary": "eltwise unary",
    "EltwiseUnaryComposite": "eltwise unary", "EltwiseQuantization": "quantization", "Reduction": "reduction",
    "Pool2d": "pool2d", "NamedFull": "full", "EltwiseTernaryWhere": "where",
}
_FB_RENAME = {"EltwiseTernaryWhere": "where", "ReductionArgMax": "argmax", "ReductionProd": "prod"}
_DEVICE_OP = re.compile(r"(?:ttnn::prim|ttnn::operations(?:::\w+)+)::(?P<name>\w+?)DeviceOperation\b")
_FACTORY_FN = re.compile(r"ttnn::operations::(?:\w+::)*?detail::(?P<fn>(?P<op>\w+?)_(?:single_core|multi_core)\w*)\b")
_FACTORY_CLASS = re.compile(r"(?:ttnn::prim|ttnn::operations(?:::\w+)+)::\w*DeviceOperation::(?P<fn>\w*ProgramFactory)\b"
                            r"|(?P<fn2>\w+ProgramFactory)::(?:create|override_runtime_arguments)")
_INVOKE = re.compile(r"ttnn::operations::(?:\w+::)*?(?:Execute)?(?P<name>\w+?)(?:Operation|Op)?::"
                     r"(?:invoke|create_program)\b")
_FREE_FN = re.compile(r"ttnn::(?:operations::(?:\w+::)*?)?(?P<name>[a-z][a-z0-9_]*)\(")
_OP_MODEL = re.compile(r"mlir::tt::ttnn::(?P<name>\w+?)Op\b")
_OPS_FN = re.compile(r"\bttnn::operations::(?:\w+::)*?(?P<fn>[a-z][a-z0-9_]*)\(")


def _op_prefix(fn: str) -> str | None:
    """The longest TTNN op name that ``fn`` starts with, followed by ``_`` (a factory named after it)."""
    parts = fn.split("_")
    for k in range(len(parts) - 1, 0, -1):
        name = "_".join(parts[:k])
        if is_op(name):
            return name
    return None


def _frame_text(f: Frame) -> str:
    return f.symbol or f.text


def from_backtrace(frames: list[Frame], base_line: int) -> OpRef | None:
    """The op a backtrace names (frames innermost first): the tt-mlir runtime frame's TTNN op with the
    innermost device operation or factory as its factory; else the innermost device op, factory,
    ``invoke`` or op function; else the op the compiler's OpModel was modelling."""
    runtime: OpRef | None = None
    inner: OpRef | None = None
    factory: str | None = None
    factory_line: int | None = None
    for f in frames:
        if f.style == "python":
            continue
        t = _frame_text(f)
        line = base_line + f.index
        if runtime is None and (m := _RUNTIME_RUN.search(t)):
            fb = m.group("fb") or (m.group("helper").removesuffix("Op") if m.group("helper") else None)
            if fb:
                family = _FAMILY_OPS.get(fb)
                name = None if family else "ttnn." + _FB_RENAME.get(fb, snake(fb))
                runtime = OpRef(name if name is None or is_op(name) else None, "backtrace", line, t[:300],
                                family=family or (None if name and is_op(name) else snake(fb)),
                                how="tt-mlir runtime dispatch frame")
            continue
        if factory is None and (m := _FACTORY_CLASS.search(t)):
            factory, factory_line = m.group("fn") or m.group("fn2"), line
        if inner is None:
            if m := _DEVICE_OP.search(t):
                inner = OpRef("ttnn." + snake(m.group("name")), "backtrace", line, t[:300],
                              factory="{}DeviceOperation".format(m.group("name")), how="device operation frame")
            elif m := _FACTORY_FN.search(t):
                op = m.group("op") if is_op(m.group("op")) else _op_prefix(m.group("fn"))
                inner = OpRef("ttnn." + op if op else None, "backtrace", line, t[:300], factory=m.group("fn"),
                              how="program factory frame")
            elif (m := _INVOKE.search(t)) and is_op(snake(m.group("name"))):
                inner = OpRef("ttnn." + snake(m.group("name")), "backtrace", line, t[:300], how="op invoke frame")
            elif (m := _FREE_FN.search(t)) and is_op(m.group("name")) and "tt::runtime" not in t:
                inner = OpRef("ttnn." + m.group("name"), "backtrace", line, t[:300], how="op function frame")
            elif (m := _OPS_FN.search(t)) and (op := _op_prefix(m.group("fn"))):
                # a factory named after its op: transpose_hc_multi_core_sharded, bcast_sharded_h_optimised
                inner = OpRef("ttnn." + op, "backtrace", line, t[:300], factory=m.group("fn"),
                              how="program factory frame")
            elif (m := _OP_MODEL.search(t)) and is_op(snake(m.group("name"))):
                inner = OpRef("ttnn." + snake(m.group("name")), "backtrace", line, t[:300],
                              how="compiler op-model frame")
    if inner is not None:
        if factory and not inner.factory:
            inner.factory, inner.factory_line = factory, factory_line
        elif inner.factory:
            inner.factory_line = inner.line
    if runtime is not None:
        if inner is not None:
            runtime.factory = inner.factory or (inner.name.removeprefix("ttnn.") if inner.name else None)
            runtime.factory_line = inner.factory_line or inner.line
            if runtime.name is None and inner.name is not None:
                runtime.name = inner.name  # the family's real op, from the tt-metal frames below it
        return runtime
    return inner


# -- Python ---------------------------------------------------------------------------------------

_FAST_OP = re.compile(r"(?:FastOperation|Operation)\(python_fully_qualified_name='(?P<op>ttnn\.[\w.]+)'")
_OP_T = re.compile(r"<ttnn\._ttnn\.operations\.(?P<cat>\w+)\.(?P<op>\w+)_t object")
_CALL = re.compile(r"\bttnn\.(?:_ttnn\.operations\.\w+\.)?(?P<op>[a-z][a-z0-9_]*)\(")
_TTNN_PY_FRAME = re.compile(r'ttnn/ttnn/operations/\w+\.py", line \d+, in (?P<op>\w+)')
_TENSOR = re.compile(r"ttnn\.Tensor\((?P<body>.*?)shape=(?:ttnn\.)?Shape\(\[(?P<dims>[\d\[\], +]*)\]\),\s*"
                     r"dtype=DataType::(?P<dtype>\w+),\s*layout=Layout::(?P<layout>\w+)\)")
_DIM = re.compile(r"(?P<l>\d+)(?:\[(?P<p>\d+)\]| \+ (?P<pad>\d+))?")
DTYPES = {"BFLOAT16": "bf16", "FLOAT32": "f32", "BFLOAT8_B": "bfp_bf8", "BFLOAT4_B": "bfp_bf4", "UINT32": "u32",
          "INT32": "si32", "UINT16": "u16", "UINT8": "u8"}


def parse_tensor_repr(m: re.Match[str]) -> PyTensor:
    """One ``ttnn.Tensor(...)`` repr match: ``32[64]`` is logical 32 padded to 64 (2024 ``Shape``),
    ``10 + 22`` logical 10 plus 22 of padding (early ttnn), a bare number has no padding printed."""
    logical, padded = [], []
    any_pad = False
    for d in _DIM.finditer(m.group("dims")):
        n = int(d.group("l"))
        logical.append(n)
        if d.group("p"):
            padded.append(int(d.group("p")))
            any_pad = True
        elif d.group("pad"):
            padded.append(n + int(d.group("pad")))
            any_pad = True
        else:
            padded.append(n)
    layout = m.group("layout").upper()
    return PyTensor(tuple(logical), tuple(padded) if any_pad else None, DTYPES.get(m.group("dtype").upper()),
                    True if layout == "TILE" else False if layout == "ROW_MAJOR" else None, m.group(0)[:300])


def from_python(lines: list[tuple[int, str]]) -> OpRef | None:
    """The op of the failing Python call: the last ``FastOperation`` / ``ttnn._ttnn.operations`` object
    repr, with the tensor reprs pytest prints for its ``function_args``; else the innermost traceback
    source line that calls ``ttnn.<op>(``."""
    fast: OpRef | None = None
    call: OpRef | None = None
    for n, raw in lines:
        s = strip_transport(raw)
        if s[:1] == "E" and s[1:2] in (" ", "\t"):
            s = s[1:]
        s = s.strip()
        if (m := _FAST_OP.search(s) or _OP_T.search(s)) is not None:
            op = m.group("op")
            name = op if op.startswith("ttnn.") else "ttnn." + op
            if is_op(name):
                fast = OpRef(name, "python-frame", n, s[:300], how="ttnn operation repr (pytest)")
            continue
        if fast is not None and s.startswith(("function_args", "function_kwargs", "args =")) and "ttnn.Tensor(" in s:
            for t in _TENSOR.finditer(s):
                pt = parse_tensor_repr(t)
                pt.line = n
                fast.tensors.append(pt)
            continue
        if (c := _TTNN_PY_FRAME.search(s)) and is_op(c.group("op")):
            call = OpRef("ttnn." + c.group("op"), "python-frame", n, s[:300], how="ttnn Python frame")
            continue
        s = s.lstrip("> ")
        if (c := _CALL.search(s)) and is_op(c.group("op")) and not s.startswith(("def ", "import ", "from ")):
            call = OpRef("ttnn." + c.group("op"), "python-frame", n, s[:300], how="Python source line calling it")
    return fast or call


# -- the message ----------------------------------------------------------------------------------

_MSG_PREFIX = re.compile(r"^(?:\w*Error: )?(?P<op>ttnn\.[a-z][a-z0-9_]*): ")
_DIAG_OP = re.compile(r"'(?P<op>(?:ttnn|ttir)\.[a-z][\w]*)' op\b|failed to legalize operation '(?P<op2>[\w.]+)'")
_OPS_PATH = re.compile(r"ttnn/(?:cpp/)?ttnn/+operations/(?P<rest>[\w/]+?)/?(?P<file>\w+)\.(?:cpp|hpp)")


def from_message(text: MessageText, base_line: int) -> OpRef | None:
    """An op the message names: ``ttnn.matmul: ..``, an MLIR diagnostic's op, or the op directory of the
    ttnn source file that raised it (``operations/conv/conv2d/device/conv2d_op_sharded_program_factory.cpp``
    -> ``ttnn.conv2d``, factory ``conv2d_op_sharded_program_factory``)."""
    for i, ln in enumerate(text.lines):
        s = ln.strip()
        if m := _MSG_PREFIX.match(s):
            if is_op(m.group("op")):
                return OpRef(m.group("op"), "message", base_line + i, s[:300], how="message prefix")
    for d in text.diagnostics:
        if m := _DIAG_OP.search(d.text):
            return OpRef(m.group("op") or m.group("op2"), "message", base_line + d.index, d.text[:300],
                         how="compiler diagnostic")
    paths = [(a.file, a.index, f"{a.kind} @ {a.file}:{a.line}", "source path of the assert")
             for a in reversed(text.assertions) if a.file]
    if m := _KERNEL_LINE.search(text.text):
        paths.append((m.group("kernel"), _line_index(text, m.group(0)), m.group(0), "kernel path"))
    for path, index, evidence, how in paths:
        if m := _OPS_PATH.search(path):
            dirs = [d for d in m.group("rest").split("/") if d]
            if "device" in dirs:
                dirs = dirs[:dirs.index("device")]
            dirs = [d for d in dirs if d not in ("kernels", "kernels_ng")]
            dirs = [_DIR_OPS.get(d, d) for d in dirs]
            op = next((d for d in reversed(dirs) if is_op(d)), None)
            if op is None and is_op(m.group("file")):
                op = m.group("file")
            if op is not None:
                factory = m.group("file") if "factory" in m.group("file") or "multi_core" in m.group("file") else None
                return OpRef("ttnn." + op, "message", base_line + index, evidence, factory=factory, how=how,
                             factory_line=base_line + index if factory else None)
    for f in text.found:
        if f.kind == "reshape-invalid":
            return OpRef("ttnn.reshape", "message", base_line + f.index, f.match.message,
                         how="reshape check in tt-metal")
    return None


# source directories whose name is not the op's (ttnn/cpp/ttnn/operations/normalization/layernorm/...)
_DIR_OPS = {"layernorm": "layer_norm", "rmsnorm": "rms_norm", "groupnorm": "group_norm", "batchnorm": "batch_norm",
            "conv_transpose2d": "conv_transpose2d", "sdpa": "scaled_dot_product_attention",
            "sdpa_decode": "scaled_dot_product_attention_decode"}
_KERNEL_LINE = re.compile(r"Current kernel: (?P<kernel>\S+)")


def _line_index(text: MessageText, needle: str) -> int:
    return next((i for i, ln in enumerate(text.lines) if needle in ln), 0)

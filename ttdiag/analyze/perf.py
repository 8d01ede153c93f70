"""``ttdiag perf``: where device time goes in an ops perf CSV (pure analysis, no printing).

Totals per op and per op code, the share of device time spent converting layouts, op-to-op gaps, per
device figures, and the MAC waste of grouped / depthwise convs (their weight is expanded to a dense
``[C_out, C_in, kh, kw]`` matrix, so the conv executes ``groups`` times the useful MACs).

Figures:
- ``total_device_kernel_ns`` sums ``DEVICE KERNEL DURATION [ns]`` over every device row of every device
  (a multi-device file counts each device's copy of an op; ``devices`` gives the split).
- ``share`` = an op's (or op code's) device kernel ns / ``total_device_kernel_ns``.
- Convs: executed MACs = N·Ho·Wo·C_out·C_in·kh·kw, useful = executed / groups, ideal time at the same
  MAC rate = device_kernel_ns · useful / executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..ir.ttnn import AttrReader, Conv2d, decode
from ..parse.perf_csv import PerfCsv, PerfRow, read_perf_csv

# --------------------------------------------------------------------------------------------
# op classification
# --------------------------------------------------------------------------------------------

_SUFFIX = re.compile(r"(DeviceOperation|Operation|Op)$")


def base_name(op_code: str) -> str:
    """``TilizeWithValPaddingDeviceOperation`` -> ``tilizewithvalpadding``."""
    return _SUFFIX.sub("", op_code.strip()).lower()


def layout_category(op_code: str) -> str | None:
    """The layout-conversion category of an op code, or None for compute / other ops."""
    b = base_name(op_code)
    if b.startswith("untilize"):
        return "untilize"
    if b.startswith("tilize"):
        return "tilize"
    if b in ("tolayout", "to_layout"):
        return "to_layout"
    if b.startswith(("interleavedtosharded", "shardedtointerleaved", "reshard")):
        return "interleaved_sharded"
    if b in ("transpose", "permute"):
        return "transpose_permute"
    if b == "pad":
        return "pad"
    return None


LAYOUT_CATEGORIES = ("tilize", "untilize", "to_layout", "interleaved_sharded", "transpose_permute", "pad")
# each category as the reader names it
LAYOUT_LABELS = {"tilize": "tilize", "untilize": "untilize", "to_layout": "to_layout",
                 "interleaved_sharded": "interleaved ↔ sharded", "transpose_permute": "transpose / permute",
                 "pad": "pad"}


def is_conv(op_code: str) -> bool:
    b = base_name(op_code)
    return ("conv" in b and "convert" not in b and "conv3d" not in b) and "transpose" not in b


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------

@dataclass(slots=True)
class ConvInfo:
    """One conv row with its decoded geometry and MAC figures."""

    row: int
    line: int
    op_code: str
    device_id: int | None
    device_kernel_ns: float
    batch: int | None
    input_hw: tuple[int, int] | None
    output_hw: tuple[int, int] | None
    in_channels: int | None
    out_channels: int | None
    kernel: tuple[int, int] | None
    stride: tuple[int, int] | None
    padding: tuple[int, int, int, int] | None     # top, bottom, left, right
    dilation: tuple[int, int] | None
    weight_shape: tuple[int, int] | None          # logical [Y, X] of the weight operand (INPUT_1)
    groups: int | None
    groups_source: str                            # attributes | ir | suspected | unknown
    executed_macs: int | None = None
    useful_macs: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def expansion_factor(self) -> int | None:
        return self.groups

    @property
    def ideal_ns(self) -> float | None:
        if self.executed_macs and self.useful_macs is not None:
            return self.device_kernel_ns * self.useful_macs / self.executed_macs
        return None

    @property
    def wasted_ns(self) -> float | None:
        i = self.ideal_ns
        return None if i is None else self.device_kernel_ns - i


@dataclass(slots=True)
class PerfReport:
    source: str
    csv_variant: str
    rows: int
    device_rows: int
    signposts: int
    python_fallback: int
    ops: pd.DataFrame                  # one row per device op: row, line, op_code, device_id, ns, share, category
    by_op_code: pd.DataFrame           # op_code, count, device_kernel_ns, share
    total_device_kernel_ns: float
    host_ns: float                     # HOST DURATION over every row (device ops and host fallbacks)
    fallback_host_ns: float            # HOST DURATION of python_fallback rows
    op_to_op_gap_ns: float
    max_op_to_op_gap_ns: float
    device_fw_ns: float
    devices: pd.DataFrame              # device_id, ops, device_kernel_ns, op_to_op_gap_ns, share
    layout_ns: dict[str, float]        # per LAYOUT_CATEGORIES
    convs: list[ConvInfo]
    missing_device_ns: int             # device rows with an empty kernel duration
    warnings: list[str] = field(default_factory=list)
    vs: VsReport | None = None

    @property
    def layout_conversion_ns(self) -> float:
        return float(sum(self.layout_ns.values()))

    @property
    def layout_conversion_share(self) -> float:
        t = self.total_device_kernel_ns
        return self.layout_conversion_ns / t if t else 0.0

    @property
    def compute_ns(self) -> float:
        return self.total_device_kernel_ns - self.layout_conversion_ns

    def waste(self, sources: tuple[str, ...]) -> dict[str, float]:
        """Conv device time vs its ideal, over convs with groups > 1 from ``sources``."""
        sel = [c for c in self.convs if c.groups_source in sources and c.groups and c.groups > 1
               and c.ideal_ns is not None]
        ns = sum(c.device_kernel_ns for c in sel)
        ideal = sum(c.ideal_ns or 0.0 for c in sel)
        t = self.total_device_kernel_ns
        return {"convs": len(sel), "device_kernel_ns": ns, "ideal_ns": ideal, "wasted_ns": ns - ideal,
                "wasted_share_of_total": (ns - ideal) / t if t else 0.0}


@dataclass(slots=True)
class VsReport:
    """Two runs compared; speedup = other run's ns / this run's ns (> 1: this run is faster)."""

    other: str
    total_ns: float
    other_total_ns: float
    by_op_code: pd.DataFrame   # op_code, count, other_count, device_kernel_ns, other_device_kernel_ns, speedup
    ops: pd.DataFrame          # aligned by (device, op code, n-th occurrence): ..., speedup

    @property
    def speedup(self) -> float | None:
        return self.other_total_ns / self.total_ns if self.total_ns else None


# --------------------------------------------------------------------------------------------
# conv decoding
# --------------------------------------------------------------------------------------------

def _pair(v: Any, least: int = 1) -> tuple[int, int] | None:
    """``(a; b)`` or a single int as a pair; None unless both are ints of at least ``least``."""
    if isinstance(v, (tuple, list)) and len(v) == 2 and all(isinstance(x, int) and x >= least for x in v):
        return int(v[0]), int(v[1])
    if isinstance(v, int) and v >= least:
        return v, v
    return None


def _padding(swc: dict[str, Any]) -> tuple[int, int, int, int] | None:
    p = swc.get("padding")
    if isinstance(p, (tuple, list)) and len(p) == 2 and all(_pair(x, 0) for x in p):
        (t, b), (left, r) = _pair(p[0], 0), _pair(p[1], 0)  # type: ignore[misc]
        return t, b, left, r
    if isinstance(p, (tuple, list)) and len(p) == 4 and all(isinstance(x, int) and x >= 0 for x in p):
        return tuple(p)  # type: ignore[return-value]
    ph = _pair(swc.get("pad_hw"), 0)
    if ph:
        return ph[0], ph[0], ph[1], ph[1]
    return None


def _as_int(v: Any) -> int | None:
    """A positive int attribute (an int or its text); None for anything else (0, negative, junk, or over 18
    digits)."""
    if isinstance(v, str) and re.fullmatch(r"\d{1,18}", v.strip()):
        v = int(v)
    return v if isinstance(v, int) and v > 0 else None


def decode_conv(r: PerfRow) -> ConvInfo:
    """Kernel, stride, padding, dilation, channels, input shape and groups of one conv row."""
    a = r.attributes
    swc = a.get("sliding_window_config")
    swc = swc if isinstance(swc, dict) else {}
    shape = a.get("input_tensor_shape")
    n = h = w = c = None
    if isinstance(shape, list) and len(shape) == 4 and all(isinstance(x, int) and x > 0 for x in shape):
        n, h, w, c = shape
    n = n if n is not None else _as_int(swc.get("batch_size"))
    ihw = (h, w) if h is not None else _pair(swc.get("input_hw"))
    co = _as_int(a.get("output_channels"))
    k, s = _pair(swc.get("window_hw")), _pair(swc.get("stride_hw"))
    d = _pair(swc.get("dilation_hw")) if "dilation_hw" in swc else (1, 1)
    pad = _padding(swc)
    wt = r.inputs[1] if len(r.inputs) > 1 and r.inputs[1] is not None else None
    wshape = (wt.logical[2], wt.logical[3]) if wt is not None and wt.logical else None
    groups = _as_int(a.get("groups"))
    info = ConvInfo(r.index, r.line, r.op_code, r.device_id, r.device_kernel_ns or 0.0, n, ihw, None, c, co,
                    k, s, pad, d, wshape, groups, "attributes" if groups else "unknown")
    if ihw and k and s and d and pad:
        ho = (ihw[0] + pad[0] + pad[1] - d[0] * (k[0] - 1) - 1) // s[0] + 1
        wo = (ihw[1] + pad[2] + pad[3] - d[1] * (k[1] - 1) - 1) // s[1] + 1
        info.output_hw = (ho, wo) if ho > 0 and wo > 0 else None
    return info


def _finish_macs(c: ConvInfo) -> None:
    if c.batch and c.output_hw and c.out_channels and c.in_channels and c.kernel:
        c.executed_macs = (c.batch * c.output_hw[0] * c.output_hw[1] * c.out_channels * c.in_channels
                           * c.kernel[0] * c.kernel[1])
        if c.groups:
            c.useful_macs = c.executed_macs // c.groups


def _suspect(c: ConvInfo) -> bool:
    """In = out channels and a dense weight of kh·kw·C × C: the shape a depthwise conv has after expansion."""
    if not (c.in_channels and c.in_channels == c.out_channels and c.in_channels > 1 and c.kernel and c.weight_shape):
        return False
    kk = c.kernel[0] * c.kernel[1]
    y, x = c.weight_shape
    # the channel dim may be padded (old plain shape columns: 640 channels -> a 6048 x 672 weight)
    return kk > 1 and c.in_channels <= x < c.in_channels + 64 and y in (kk * x, -(-kk * x // 32) * 32)


# --------------------------------------------------------------------------------------------
# IR join (--ir dump.mlir)
# --------------------------------------------------------------------------------------------

def ir_conv_groups(path: str) -> dict[tuple, set[int]]:
    """``ttnn.conv2d`` ops of a dump: (batch, H, W, C_in, C_out) and (…, kh, kw) -> set of groups."""
    from ..io import LineReader
    from ..parse.mlir import parse_mlir

    with LineReader(path) as reader:
        module = parse_mlir(ln.text for ln in reader)
    out: dict[tuple, set[int]] = {}
    for op in module.all_ops():
        if op.name != "ttnn.conv2d":
            continue
        c = decode(op)
        if not isinstance(c, Conv2d):
            continue
        vals = {key: _as_int(getattr(c, key)) for key in ("batch_size", "input_height", "input_width", "in_channels",
                                                           "out_channels")}
        # groups defaults to 1 in the typed op; a conv that does not write it is left out, as before
        vals["groups"] = _as_int(c.groups) if AttrReader(op).has("groups") else None
        kk = [_as_int(k) for k in c.kernel_size] if c.kernel_size else []
        if vals["groups"] is None or None in (vals["input_height"], vals["in_channels"], vals["out_channels"]):
            continue
        key = (vals["batch_size"], vals["input_height"], vals["input_width"], vals["in_channels"], vals["out_channels"])
        out.setdefault(key, set()).add(vals["groups"])
        if len(kk) == 2 and None not in kk:
            out.setdefault(key + tuple(kk), set()).add(vals["groups"])
    return out


def _resolve_groups(c: ConvInfo, ir: dict[tuple, set[int]] | None) -> None:
    key = (c.batch, *(c.input_hw or (None, None)), c.in_channels, c.out_channels)
    if ir is not None:
        found = ir.get(key + tuple(c.kernel)) if c.kernel and key + tuple(c.kernel) in ir else ir.get(key)
        if found and c.groups_source == "attributes":
            if found != {c.groups}:
                c.notes.append(f"the IR dump has groups {sorted(found)} for this shape; ATTRIBUTES say {c.groups}")
        elif found and len(found) == 1:
            c.groups, c.groups_source = next(iter(found)), "ir"
        elif found:
            c.notes.append(f"the IR dump has several convs of this shape with groups {sorted(found)}")
    if c.groups_source == "unknown" and _suspect(c):
        c.groups, c.groups_source = c.in_channels, "suspected"
        c.notes.append(f"suspected depthwise: {c.in_channels} -> {c.out_channels} channels with a dense "
                       f"{c.weight_shape[0]}x{c.weight_shape[1]} weight; pass --ir to confirm")  # type: ignore[index]
    _finish_macs(c)


# --------------------------------------------------------------------------------------------
# main entry points
# --------------------------------------------------------------------------------------------

def _frame(csvf: PerfCsv) -> pd.DataFrame:
    recs = [{"row": r.index, "line": r.line, "op_code": r.op_code, "call_count": r.call_count,
             "device_id": r.device_id, "device_kernel_ns": r.device_kernel_ns, "host_ns": r.host_ns,
             "op_to_op_ns": r.op_to_op_ns, "device_fw_ns": r.device_fw_ns, "core_count": r.core_count}
            for r in csvf.rows if r.is_device]
    cols = ["row", "line", "op_code", "call_count", "device_id", "device_kernel_ns", "host_ns", "op_to_op_ns",
            "device_fw_ns", "core_count"]
    df = pd.DataFrame.from_records(recs, columns=cols)
    # empty cells are None: a column with no number at all would stay object dtype; make every one float
    nullable = cols[3:]
    df[nullable] = df[nullable].astype("float64")
    return df


def analyze_perf(path: str, ir: str | None = None, vs: str | None = None) -> PerfReport:
    """Analyse one ops perf CSV (and optionally join an IR dump and compare with another CSV).

    Raises:
        ttdiag.io.InputError: a file cannot be opened or read, or a CSV is not an ops perf CSV.
    """
    csvf = read_perf_csv(path)
    ir_groups = ir_conv_groups(ir) if ir else None
    rep = _analyze(csvf, ir_groups)
    if ir_groups is not None and not ir_groups:
        rep.warnings.append(f"{ir}: no ttnn.conv2d op with a groups attribute")
    if vs:
        rep.vs = compare(rep, _analyze(read_perf_csv(vs), None), vs)
        mix = op_mix_warning(rep.vs)
        if mix:
            rep.warnings.append(mix)
    return rep


def op_mix_warning(v: VsReport, shown: int = 3) -> str | None:
    """A warning when the two runs do not execute the same ops: an op code whose count differs (or that
    only one run has), the ``shown`` largest differences named; None when every count matches."""
    diff = v.by_op_code[v.by_op_code["count"] != v.by_op_code["other_count"]]
    if diff.empty:
        return None
    gap = (diff["count"] - diff["other_count"]).abs()
    diff = diff.assign(gap=gap).sort_values(["gap", "op_code"], ascending=[False, True], kind="stable")
    named = ", ".join(f"{x.op_code} {x.count:,} vs {x.other_count:,}" for x in diff.head(shown).itertuples())
    more = len(diff) - shown
    if more > 0:
        named += f" and {more:,} more op code{'s' if more > 1 else ''}"
    return f"op mix differs (ops here vs there): {named}; the speedup compares different work"


def _analyze(csvf: PerfCsv, ir_groups: dict[tuple, set[int]] | None) -> PerfReport:
    df = _frame(csvf)
    missing = int(df["device_kernel_ns"].isna().sum())
    df["device_kernel_ns"] = df["device_kernel_ns"].fillna(0.0).astype(float)
    total = float(df["device_kernel_ns"].sum())
    df["share"] = df["device_kernel_ns"] / total if total else 0.0
    df["category"] = [layout_category(c) or ("conv" if is_conv(c) else "compute") for c in df["op_code"]]
    by = (df.groupby("op_code", sort=False).agg(count=("row", "size"), device_kernel_ns=("device_kernel_ns", "sum"))
          .reset_index())
    by["share"] = by["device_kernel_ns"] / total if total else 0.0
    by = by.sort_values(["device_kernel_ns", "op_code"], ascending=[False, True], kind="stable").reset_index(drop=True)
    layout_ns = {k: float(df.loc[df["category"] == k, "device_kernel_ns"].sum()) for k in LAYOUT_CATEGORIES}
    dev = df.assign(device_id=df["device_id"].fillna(-1).astype(int))
    devices = (dev.groupby("device_id").agg(ops=("row", "size"), device_kernel_ns=("device_kernel_ns", "sum"),
                                            op_to_op_gap_ns=("op_to_op_ns", "sum")).reset_index())
    devices["share"] = devices["device_kernel_ns"] / total if total else 0.0
    all_host = [r.host_ns for r in csvf.rows if r.host_ns is not None]
    fb_host = [r.host_ns for r in csvf.rows if r.op_type == "python_fallback" and r.host_ns is not None]
    convs = []
    for r in csvf.rows:
        if r.is_device and is_conv(r.op_code):
            c = decode_conv(r)
            _resolve_groups(c, ir_groups)
            convs.append(c)
    warnings = list(csvf.warnings)
    if missing:
        warnings.append(f"{missing:,} device op(s) have no DEVICE KERNEL DURATION (counted as 0 ns)")
    gaps = df["op_to_op_ns"].dropna()
    return PerfReport(
        source=csvf.source, csv_variant=csvf.format.variant, rows=len(csvf.rows), device_rows=len(df),
        signposts=sum(r.op_type == "signpost" for r in csvf.rows),
        python_fallback=sum(r.op_type == "python_fallback" for r in csvf.rows),
        ops=df, by_op_code=by, total_device_kernel_ns=total, host_ns=float(sum(all_host)),
        fallback_host_ns=float(sum(fb_host)), op_to_op_gap_ns=float(gaps.sum()),
        max_op_to_op_gap_ns=float(gaps.max()) if len(gaps) else 0.0,
        device_fw_ns=float(df["device_fw_ns"].fillna(0).sum()), devices=devices, layout_ns=layout_ns,
        convs=convs, missing_device_ns=missing, warnings=warnings)


def compare(a: PerfReport, b: PerfReport, other: str) -> VsReport:
    """Op-code totals and per-op alignment (device, op code, n-th occurrence) of two runs."""
    ba = a.by_op_code[["op_code", "count", "device_kernel_ns"]]
    bb = b.by_op_code[["op_code", "count", "device_kernel_ns"]].rename(
        columns={"count": "other_count", "device_kernel_ns": "other_device_kernel_ns"})
    m = ba.merge(bb, on="op_code", how="outer")
    m[["count", "other_count"]] = m[["count", "other_count"]].fillna(0).astype(int)
    m[["device_kernel_ns", "other_device_kernel_ns"]] = m[["device_kernel_ns", "other_device_kernel_ns"]].fillna(0.0)
    m["speedup"] = [o / t if t and o else None for t, o in zip(m["device_kernel_ns"], m["other_device_kernel_ns"])]
    m = m.sort_values(["device_kernel_ns", "op_code"], ascending=[False, True], kind="stable").reset_index(drop=True)

    def keyed(df: pd.DataFrame) -> pd.DataFrame:
        k = df[["row", "op_code", "device_id", "device_kernel_ns"]].copy()
        k["device_id"] = k["device_id"].fillna(-1).astype(int)
        k["occurrence"] = k.groupby(["device_id", "op_code"]).cumcount()
        return k

    ka, kb = keyed(a.ops), keyed(b.ops).rename(columns={"row": "other_row", "device_kernel_ns": "other_device_kernel_ns"})
    ops = ka.merge(kb, on=["device_id", "op_code", "occurrence"], how="outer")
    ops["speedup"] = [o / t if t and o and t == t and o == o else None
                      for t, o in zip(ops["device_kernel_ns"], ops["other_device_kernel_ns"])]
    return VsReport(other, a.total_device_kernel_ns, b.total_device_kernel_ns, m, ops)

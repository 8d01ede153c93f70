"""Reading tt-metal profiler ``ops_perf_results*.csv`` files (56 to 139 columns, every header era).

All header-variant handling lives in :func:`detect_csv_format` (like tt-perf-report's
``detect_csv_format``): it maps the fields ttdiag uses to the column names of this file. Columns are
always looked up by name, never by position.

Shape cells come in two spellings: old ``INPUT_0_W`` columns with plain integers and new
``INPUT_0_W_PAD[LOGICAL]`` columns whose cells read ``padded[logical]`` (``448[147]``). Both become a
:class:`PerfTensor` with a padded and a logical shape (equal for the old spelling).

The ``ATTRIBUTES`` cell is a Python-dict-like string whose separators are ``;`` and whose values hold
nested configs (``SlidingWindowConfig(batch_size=1; window_hw=(3;3); ...)``); :func:`parse_attributes`
turns it into a dict with nested dicts, tuples and lists.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..io import GzipStream, InputError, _open_binary

MAX_INPUTS = 8
MAX_OUTPUTS = 3
DIMS = ("W", "Z", "Y", "X")

# logical field -> accepted column names, first match wins
_SCALAR_COLUMNS: dict[str, tuple[str, ...]] = {
    "op_code": ("OP CODE",),
    "op_type": ("OP TYPE",),
    "call_count": ("GLOBAL CALL COUNT",),
    "device_id": ("DEVICE ID",),
    "device_arch": ("DEVICE ARCH",),
    "attributes": ("ATTRIBUTES",),
    "math_fidelity": ("MATH FIDELITY",),
    "core_count": ("CORE COUNT",),
    "host_start_ts": ("HOST START TS",),
    "host_end_ts": ("HOST END TS",),
    "host_ns": ("HOST DURATION [ns]",),
    "op_to_op_ns": ("OP TO OP LATENCY [ns]",),
    "device_fw_ns": ("DEVICE FW DURATION [ns]",),
    "device_kernel_ns": ("DEVICE KERNEL DURATION [ns]",),
    "pm_ideal_ns": ("PM IDEAL [ns]",),
    "trace_id": ("METAL TRACE ID",),
    "compute_kernel_source": ("COMPUTE KERNEL SOURCE", "COMPUTE KERNEL PATH"),
    "loc": ("LOC",),
}
_ROW_NUMBERS = ("call_count", "device_id", "core_count", "host_ns", "op_to_op_ns", "device_fw_ns",
                "device_kernel_ns")  # the numeric fields a PerfRow keeps
_REQUIRED = ("op_code", "op_type", "device_kernel_ns")


@dataclass(frozen=True, slots=True)
class CsvFormat:
    """What :func:`detect_csv_format` found in a header."""

    columns: int
    shape_style: str                      # "pad_logical" (INPUT_0_W_PAD[LOGICAL]) | "plain" (INPUT_0_W) | "none"
    n_inputs: int
    n_outputs: int
    fields: dict[str, str]                # logical field -> column name present in this file
    tensor_columns: dict[str, dict[str, str]]  # "INPUT_0" -> {"W": col, ..., "LAYOUT": col, ...}

    @property
    def variant(self) -> str:
        """A short name of the era: 'pad-logical' headers are 2025-09 and later."""
        return f"{self.shape_style}/{self.columns}cols/{self.n_inputs}in/{self.n_outputs}out"


@dataclass(frozen=True, slots=True)
class PerfTensor:
    """One INPUT_n / OUTPUT_n group: 4-D [W, Z, Y, X] shapes (X innermost)."""

    padded: tuple[int, int, int, int] | None
    logical: tuple[int, int, int, int] | None
    layout: str | None
    dtype: str | None
    memory: str | None


@dataclass(slots=True)
class PerfRow:
    """One CSV row. Durations are None when the cell is empty (signposts, host-only captures)."""

    index: int                            # 0-based data row number
    line: int                             # 1-based line in the file (header = 1)
    op_code: str
    op_type: str
    call_count: int | None
    device_id: int | None
    attributes_text: str
    math_fidelity: str | None
    core_count: int | None
    host_ns: float | None
    op_to_op_ns: float | None
    device_fw_ns: float | None
    device_kernel_ns: float | None
    inputs: list[PerfTensor | None]
    outputs: list[PerfTensor | None]
    extra: dict[str, Any] = field(default_factory=dict)
    _attrs: dict[str, Any] | None = None

    @property
    def attributes(self) -> dict[str, Any]:
        if self._attrs is None:
            self._attrs = parse_attributes(self.attributes_text)
        return self._attrs

    @property
    def is_device(self) -> bool:
        return self.op_type == "tt_dnn_device"


@dataclass(slots=True)
class PerfCsv:
    source: str
    format: CsvFormat
    rows: list[PerfRow]
    warnings: list[str] = field(default_factory=list)


def _norm(name: str) -> str:
    return name.strip().lstrip("\ufeff")


def detect_csv_format(header: list[str]) -> CsvFormat:
    """Map ttdiag's fields to this header's column names (the ONE place that knows header eras).

    Raises:
        ValueError: when the header lacks OP CODE, OP TYPE or DEVICE KERNEL DURATION [ns].
    """
    names = [_norm(h) for h in header]
    present = set(names)
    fields: dict[str, str] = {}
    for key, options in _SCALAR_COLUMNS.items():
        for o in options:
            if o in present:
                fields[key] = o
                break
    missing = [k for k in _REQUIRED if k not in fields]
    if missing:
        raise ValueError("not an ops perf CSV: missing column(s) "
                         + ", ".join(_SCALAR_COLUMNS[k][0] for k in missing))
    tensors: dict[str, dict[str, str]] = {}
    style = "none"
    for prefix, limit in (("INPUT", MAX_INPUTS), ("OUTPUT", MAX_OUTPUTS)):
        for i in range(limit):
            g = f"{prefix}_{i}"
            cols: dict[str, str] = {}
            for d in DIMS:
                for cand, st in ((f"{g}_{d}_PAD[LOGICAL]", "pad_logical"), (f"{g}_{d}", "plain")):
                    if cand in present:
                        cols[d] = cand
                        style = st if style == "none" else style
                        break
            for k in ("LAYOUT", "DATATYPE", "MEMORY"):
                if f"{g}_{k}" in present:
                    cols[k] = f"{g}_{k}"
            if cols:
                tensors[g] = cols
    n_in = sum(1 for g in tensors if g.startswith("INPUT_"))
    n_out = sum(1 for g in tensors if g.startswith("OUTPUT_"))
    return CsvFormat(len(names), style, n_in, n_out, fields, tensors)


# dims are never negative; more than 18 digits is junk (and int() refuses 4,300)
_PAD_LOGICAL = re.compile(r"^\s*(\d{1,18})\s*(?:\[\s*(\d{1,18})\s*\])?\s*$")


def parse_dim(cell: str | None) -> tuple[int, int] | None:
    """``'448[147]'`` -> (448, 147); ``'64'`` -> (64, 64); empty or junk -> None."""
    if cell is None:
        return None
    m = _PAD_LOGICAL.match(cell)
    if not m:
        return None
    padded = int(m.group(1))
    return padded, int(m.group(2)) if m.group(2) is not None else padded


_INVALID = float("nan")
_INT64 = float(2**63)


def _num(cell: str | None) -> float | None:
    """A numeric cell: None when empty, NaN when it is not a finite number >= 0 (counts, ids and
    durations are never negative; 2**63 and beyond is junk too)."""
    if cell is None:
        return None
    s = cell.strip()
    if not s:
        return None
    try:
        v = float(s)
    except ValueError:
        return _INVALID
    return v if 0 <= v < _INT64 else _INVALID  # NaN fails both comparisons


def _int(v: float | None) -> int | None:
    return None if v is None else int(v)


# --------------------------------------------------------------------------------------------
# ATTRIBUTES
# --------------------------------------------------------------------------------------------

_OPEN = {"(": ")", "[": "]", "{": "}"}


def _split_top(s: str, sep: str = ";") -> list[str]:
    """Split on ``sep`` outside brackets and quotes."""
    out, depth, quote, cur = [], 0, None, []
    for ch in s:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
        elif ch in _OPEN:
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return [p.strip() for p in out if p.strip()]


def _split_kv(s: str, sep: str) -> tuple[str, str] | None:
    """Split ``key<sep>value`` at the first ``sep`` outside brackets and quotes."""
    depth, quote = 0, None
    for i, ch in enumerate(s):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in _OPEN:
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            return s[:i].strip(), s[i + 1:].strip()
    return None


_CALL = re.compile(r"^([A-Za-z_][\w:<>, ]*?)\((.*)\)$", re.S)
_INT = re.compile(r"^-?\d{1,18}$")  # longer: kept as text (int() refuses 4,300 digits)


def parse_value(s: str) -> Any:
    """One attribute value: ``Name(k=v;...)`` -> dict with ``__type__``; ``(1;1)`` -> tuple;
    ``{1; 512}`` -> list; integers -> int; ``'x'`` -> the inner value; anything else -> the string."""
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return parse_value(s[1:-1])
    if _INT.match(s):
        return int(s)
    if s.startswith("(") and s.endswith(")") and _balanced(s):
        return tuple(parse_value(p) for p in _split_top(s[1:-1]))
    if s.startswith("{") and s.endswith("}") and _balanced(s):
        inner = s[1:-1]
        parts = _split_top(inner)
        if parts and all(_split_kv(p, ":") for p in parts) and all(p.lstrip()[:1] in "'\"" for p in parts):
            return _parse_dict(inner)
        return [parse_value(p) for p in parts]
    m = _CALL.match(s)
    if m and _balanced(s[len(m.group(1)):]):
        d: dict[str, Any] = {"__type__": m.group(1).strip()}
        for part in _split_top(m.group(2)):
            kv = _split_kv(part, "=")
            if kv:
                d[kv[0]] = parse_value(kv[1])
            else:
                d.setdefault("__args__", []).append(parse_value(part))
        return d
    return s


def _balanced(s: str) -> bool:
    """True when the first bracket of ``s`` closes at its last character."""
    depth = 0
    for i, ch in enumerate(s):
        if ch in _OPEN:
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i == len(s) - 1
    return False


def _parse_dict(inner: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in _split_top(inner):
        kv = _split_kv(part, ":")
        if not kv:
            continue
        k = kv[0].strip().strip("'\"")
        out[k] = parse_value(kv[1])
    return out


def parse_attributes(text: str | None) -> dict[str, Any]:
    """The ATTRIBUTES cell as a dict (``{}`` when empty or not dict-like)."""
    if not text:
        return {}
    s = text.strip()
    if not (s.startswith("{") and s.endswith("}")):
        return {}
    return _parse_dict(s[1:-1])


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------

def _display(path: str) -> str:
    return "stdin" if path == "-" else path


def _gunzip(path: str, data: bytes) -> tuple[bytes, bool]:
    """Decompress every gzip member of ``data`` (``ttdiag.io.GzipStream``): (the bytes, True when the
    stream ends early).

    Raises:
        ttdiag.io.InputError: the data are not gzip, or turn corrupt (bad deflate data, header or CRC).
    """
    stream = GzipStream(io.BytesIO(data), _display(path))
    out = io.BufferedReader(stream).read()
    if stream.corrupt:
        raise InputError(f"{_display(path)}: not valid gzip data ({stream.corrupt})")
    return out, stream.truncated


def _read_text(path: str) -> tuple[str, list[str]]:
    """The whole input as text (gzip detected by its magic bytes), and warnings about it.

    A gzip stream that ends early keeps its whole lines and warns; one that ends inside the first line
    (the header) is an error.
    """
    f, close = _open_binary(path)
    try:
        data = f.read()
    except OSError as e:
        raise InputError(f"{_display(path)}: {e.strerror or e}") from None
    finally:
        if close:
            f.close()
    warnings: list[str] = []
    if data[:2] == b"\x1f\x8b":
        data, truncated = _gunzip(path, data)
        if truncated:
            lines = data.count(b"\n")
            if not lines:
                raise InputError(f"{_display(path)}: gzip stream ends early (truncated) inside the CSV header")
            data = data[:data.rindex(b"\n") + 1]  # the cut line is incomplete
            warnings.append(f"input truncated: gzip stream ends after {lines:,} lines")
    return data.decode("utf-8", errors="replace").replace("\x00", ""), warnings


def _tensor(rec: dict[str, str], cols: dict[str, str]) -> PerfTensor | None:
    dims = [parse_dim(rec.get(cols[d])) if d in cols else None for d in DIMS]
    meta = [(rec.get(cols[k]) or "").strip() or None if k in cols else None for k in ("LAYOUT", "DATATYPE", "MEMORY")]
    if all(d is None for d in dims) and all(m is None for m in meta):
        return None
    if all(d is not None for d in dims):
        padded = tuple(d[0] for d in dims)  # type: ignore[index]
        logical = tuple(d[1] for d in dims)  # type: ignore[index]
    else:
        padded = logical = None
    return PerfTensor(padded, logical, *meta)  # type: ignore[arg-type]


def _records(path: str, reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each CSV record; a malformed record is a one-line input error."""
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            where = f"{_display(path)}: line {start:,}"
            if "field limit" in str(e):
                raise InputError(f"{where}: a field is longer than {csv.field_size_limit():,} characters") from None
            raise InputError(f"{where}: not a valid CSV record ({e})") from None
        yield start, cells


def read_perf_csv(path: str) -> PerfCsv:
    """Read an ops perf CSV (plain or gzip, ``-`` for stdin; CRLF or LF).

    Raises:
        ttdiag.io.InputError: the file cannot be opened or read, is corrupt, or is not an ops perf CSV.
    """
    text, warnings = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    records = _records(path, reader)
    try:
        _, header = next(records)
    except StopIteration:
        raise InputError(f"{_display(path)}: empty file") from None
    try:
        fmt = detect_csv_format(header)
    except ValueError as e:
        raise InputError(f"{_display(path)}: {e}") from None
    names = [_norm(h) for h in header]
    rows: list[PerfRow] = []
    short = invalid = 0
    f = fmt.fields
    numeric = [k for k in _ROW_NUMBERS if k in f]
    for _, cells in records:
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            short += 1
        rec = dict(zip(names, cells))
        def g(k: str, rec: dict = rec) -> str | None:
            return rec.get(f[k]) if k in f else None

        n: dict[str, float | None] = dict.fromkeys(_ROW_NUMBERS)
        for k in numeric:
            v = _num(rec.get(f[k]))
            if v != v:  # NaN: not a valid figure
                invalid += 1
                v = None
            n[k] = v
        op_type = (g("op_type") or "").strip()
        rows.append(PerfRow(
            index=len(rows), line=reader.line_num, op_code=(g("op_code") or "").strip(), op_type=op_type,
            call_count=_int(n["call_count"]), device_id=_int(n["device_id"]),
            attributes_text=(g("attributes") or "").strip(),
            math_fidelity=(g("math_fidelity") or "").strip() or None, core_count=_int(n["core_count"]),
            host_ns=n["host_ns"], op_to_op_ns=n["op_to_op_ns"], device_fw_ns=n["device_fw_ns"],
            device_kernel_ns=n["device_kernel_ns"],
            inputs=[_tensor(rec, fmt.tensor_columns[k]) for k in fmt.tensor_columns if k.startswith("INPUT_")],
            outputs=[_tensor(rec, fmt.tensor_columns[k]) for k in fmt.tensor_columns if k.startswith("OUTPUT_")],
            extra={k: (g(k) or "").strip() for k in ("device_arch", "trace_id", "loc") if k in f},
        ))
    if invalid:
        warnings.append(f"{invalid:,} numeric cells are not finite numbers ≥ 0 and count as empty" if invalid > 1
                        else "1 numeric cell is not a finite number ≥ 0 and counts as empty")
    if short:
        warnings.append(f"{short:,} row(s) have a different number of cells than the header ({len(names)})")
    return PerfCsv(path, fmt, rows, warnings)

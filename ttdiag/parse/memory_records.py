"""Memory records of four kinds of input, recognised by content (never by file name):

* **graph capture** — ``ttnn.graph.end_graph_capture()`` JSON: an array of nodes in execution order.
  Two generations: tt-metal 2025-26 (``stacking_level``, int ``size`` / ``address`` /
  ``max_size_per_bank``, ``globally_allocated`` ``"0"``/``"1"``, ranges ``{[0-0 - 10-9]}``) and
  2024 (every param a string, no ``max_size_per_bank`` / ``globally_allocated``, ranges
  ``{[(x=0,y=0) - (x=7,y=7)]}``, ``buffer_deallocate`` with ``size: "0"``). The node schema is
  tt-metal's ``tests/ttnn/unit_tests/base_functionality/graph_l1_traces/README.md`` @ 8458ac2a
  (``GraphProcessor``, ``ttnn/core/graph/graph_processor.cpp``).
  The array is streamed one node at a time (:func:`iter_json_array`): a million-node capture is
  never held whole.
* **ttrt memory report** — ``ttrt run --memory`` / builder ``memory_report.json``: a list, or a
  dict keyed ``"0"``, ``"1"``…, of per-op entries with ``dram`` / ``l1`` / ``l1_small`` / ``trace``
  allocator views (tt-mlir ``tools/ttrt/common/callback.py``; examples in ``docs/src/ttrt.md``
  @ 7a32a979 and ``tools/builder/README.md`` @ 5319db08).
* **TT-NN report database** — ``db.sqlite`` of ``ttnn.CONFIG.enable_detailed_buffer_report``:
  tables ``operations``, ``buffers``, ``captured_graph``, ``devices`` (schema generations 2024,
  v2, v2.1 as dumped in ttnn-visualizer ``backend/ttnn_visualizer/tests/report_schemas.py`` @ c6996e03).
* **runtime log** — tt-mlir's DEBUG lines ``Device <DRAM|L1|L1_SMALL|TRACE> memory state:
  MemoryView{numBanks: N, totalBytesPerBank: X MB, ...}`` (``MemoryView::toString``,
  ``runtime/lib/common/types.cpp`` @ 0508a83d: 3 decimals, MB = 1024 * 1024), after ``Device memory
  state before operation <Op>`` / ``before submit`` / ``after submit`` lines.

Malformed records (null addresses, strings for ints, missing fields — all seen in real captures)
are normalised or skipped with a warning; nothing here raises on a bad record.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ..io import InputError, _open_binary
from .log import MEM_HEADER_RE, MEM_KIND_RE

# tt-metal BufferType (tt_metal/api/tt-metalium/buffer_types.hpp): 0 DRAM, 1 L1, 2 SYSTEM_MEMORY, 3 L1_SMALL, 4 TRACE
BUFFER_TYPES = {0: "DRAM", 1: "L1", 2: "SYSTEM_MEMORY", 3: "L1_SMALL", 4: "TRACE"}
MEMORY_KINDS = ("DRAM", "L1", "L1_SMALL", "TRACE")

SQLITE_MAGIC = b"SQLite format 3\x00"
SNIFF_BYTES = 1 << 16

Warn = Callable[[str], None]


# ----------------------------------------------------------------------------- values


def as_int(value: Any) -> int | None:
    """An int from a JSON int, a digit string (``"16384"``), a float with no fraction, or a bool;
    ``None`` for null, empty, or anything else."""
    if type(value) is int:
        return value
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        s = value.strip()
        if s.lstrip("-").isdigit():
            return int(s)
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def as_flag(value: Any) -> bool | None:
    """``globally_allocated`` / ``borrows_memory``: ``"1"``/``"0"`` (2025-26), ``"true"``/``"false"``
    (the tech report's spelling), JSON bools or ints; ``None`` when absent or unreadable."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        s = value.strip().lower()
        if s in ("1", "true", "yes"):
            return True
        if s in ("0", "false", "no", ""):
            return False
    return None


_RANGE_NEW = re.compile(r"\[\s*(\d+)-(\d+)\s+-\s+(\d+)-(\d+)\s*\]")
_RANGE_OLD = re.compile(r"\[\s*\(x=(\d+),y=(\d+)\)\s*-\s*\(x=(\d+),y=(\d+)\)\s*\]")


def parse_core_ranges(text: Any) -> tuple[tuple[int, int, int, int], ...] | None:
    """``CoreRangeSet::str()``: ``{[0-0 - 10-8], [0-9 - 3-9]}`` (x-y - x-y) or the 2024
    ``{[(x=0,y=0) - (x=7,y=7)]}`` -> ((x0, y0, x1, y1), ...); ``None`` when unreadable."""
    if not isinstance(text, str):
        return None
    found = _RANGE_NEW.findall(text) or _RANGE_OLD.findall(text)
    if not found:
        return None
    return tuple((int(a), int(b), int(c), int(d)) for a, b, c, d in found)


def cores_of(ranges: tuple[tuple[int, int, int, int], ...]) -> frozenset[tuple[int, int]]:
    """Every (x, y) core of a range set (overlapping ranges count once)."""
    return frozenset((x, y) for x0, y0, x1, y1 in ranges
                     for x in range(min(x0, x1), max(x0, x1) + 1) for y in range(min(y0, y1), max(y0, y1) + 1))


# ----------------------------------------------------------------------------- sniffing


def open_input(path: str) -> IO[bytes]:
    """The file (or stdin for ``-``) as a binary stream; gzip is decompressed (by magic bytes)."""
    f, _ = _open_binary(path)
    head = f.peek(2)[:2] if hasattr(f, "peek") else b""
    if head == b"\x1f\x8b":
        import gzip

        return gzip.GzipFile(fileobj=f)  # type: ignore[return-value]
    return f


def sniff(path: str) -> str:
    """What ``path`` holds, by content: ``report-db``, ``graph-capture``, ``ttrt-memory``, ``runtime-log``,
    or ``unknown``. stdin is never a database."""
    if path != "-":
        f, _ = _open_binary(path)
        with f:
            magic = f.read(len(SQLITE_MAGIC))
        if magic == SQLITE_MAGIC:
            return "report-db"
    # stdin cannot be rewound: the CLI buffers it to a temp file first (see analyze.memory)
    with open_input(path) as f:
        head = f.read(SNIFF_BYTES)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("[") or text.startswith("{"):
        if '"node_type"' in text:
            return "graph-capture"
        if any(k in text for k in ('"block_table"', '"total_bytes_allocated_per_bank"', '"debug_str"', '"l1_small"')):
            return "ttrt-memory"
        if text.startswith("[") and text[1:].lstrip().startswith(("]", "{")):
            return "graph-capture"  # an empty or oddly-keyed array: let the node reader say what is wrong
    if "MemoryView{" in text:
        return "runtime-log"
    return "runtime-log-maybe" if "memory state" in text or not text.startswith(("[", "{")) else "unknown"


# ----------------------------------------------------------------------------- streaming JSON


@dataclass(slots=True)
class StreamState:
    """How the streamed array ended: ``complete`` when the closing ``]`` was read; ``error`` says why not."""

    elements: int = 0
    complete: bool = False
    error: str | None = None


_WS_RE = re.compile(r"[ \t\r\n]*")
_SEP_RE = re.compile(r"[ \t\r\n]*,[ \t\r\n]*")


def iter_json_array(stream: IO[bytes], state: StreamState, chunk_chars: int = 1 << 20) -> Iterator[Any]:
    """The elements of a top-level JSON array, one at a time, from ``stream``: each element is decoded
    by the C decoder (``json.JSONDecoder.raw_decode``) out of a buffer of about ``chunk_chars``, so
    memory stays flat whatever the array's length. A cut or corrupt file ends the iteration with
    ``state.error`` set (the elements before it were yielded)."""
    import io

    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace")
    scan = json.JSONDecoder().scan_once  # the C scanner, without raw_decode's Python frame
    buf = text.read(chunk_chars)
    eof = not buf
    pos = 0

    def more(need_all: bool = False) -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        piece = text.read(max(chunk_chars, len(buf) - pos) if need_all else chunk_chars)
        if not piece:
            eof = True
            return False
        buf = buf[pos:] + piece
        pos = 0
        return True

    ws = _WS_RE.match

    def skip_ws() -> bool:
        nonlocal pos
        while True:
            pos = ws(buf, pos).end()
            if pos < len(buf):
                return True
            if not more():
                return False

    if buf.startswith("\ufeff"):
        pos = 1
    if not skip_ws() or buf[pos] != "[":
        state.error = "not a JSON array" if buf.strip() else "empty input"
        return
    pos += 1
    first = True
    sep = _SEP_RE.match
    ready = False  # pos is at the start of an element
    while True:
        if not ready:
            if not skip_ws():
                state.error = f"the array is cut after {state.elements} elements"
                return
            c = buf[pos]
            if c == "]":
                state.complete = True
                return
            if not first:
                if c != ",":
                    state.error = f"expected ',' after element {state.elements}"
                    return
                pos += 1
                if not skip_ws():
                    state.error = f"the array is cut after {state.elements} elements"
                    return
        first = False
        while True:
            try:
                obj, end = scan(buf, pos)
            except StopIteration as e:  # no JSON value starts here
                if more(need_all=True):
                    continue
                state.error = (f"the array is cut inside element {state.elements}" if eof and e.value >= len(buf)
                               else f"invalid JSON in element {state.elements}")
                return
            except json.JSONDecodeError as e:
                if more(need_all=True):
                    continue
                state.error = (f"the array is cut inside element {state.elements}" if eof and e.pos >= len(buf) - 1
                               else f"invalid JSON in element {state.elements}: {e.msg}")
                return
            if end >= len(buf) and not eof and more(need_all=True):
                continue  # a number or literal may go on in the next chunk
            break
        state.elements += 1
        # fast path: ", " and the next element's first character already in the buffer
        m = sep(buf, end)
        if m is not None and m.end() < len(buf):
            pos = m.end()
            ready = True
        else:
            pos = end
            ready = False
        yield obj


# ----------------------------------------------------------------------------- graph-capture records
#
# Normalised records (tuples, so a million-node capture costs little):
#   ("fs", counter, name)                       function_start
#   ("fe", counter, name)                       function_end
#   ("reset", counter)                          circular_buffer_deallocate_all
#   ("cb", counter, kind, size, ranges_text, tensor_backed, address)
#        kind: "cb" | "dfb" | "scratchpad"; tensor_backed: globally_allocated / borrows_memory == "1"
#   ("buf", counter, is_alloc, buffer_type, per_bank, size, counts_l1, num_cores, layout, address)
#        per_bank: max_size_per_bank (None in 2024 captures), counts_l1: the node's type != "DRAM"
#        (graph_trace_utils.cpp: L1_SMALL reports type "L1" and is counted)

CB_KINDS = {"circular_buffer_allocate": "cb", "dataflow_buffer_allocate": "dfb", "scratchpad_allocate": "scratchpad"}


@dataclass(slots=True)
class GraphDetail:
    """What :func:`graph_records` keeps besides the records when asked (``detail=``): enough to line a
    capture's device programs up with the IR ops they ran (``ttdiag l1 --against``).

    ``functions``: function_start counter -> (name, ``program_factory_type`` or None); ``ends``: function_start
    counter -> the nodes its function_end connects to (the first tensor among them is the function's output,
    :meth:`output_shape`). ``programs``: the counter of every
    ``circular_buffer_deallocate_all`` -> the function_start counters open there, outermost first.
    ``tensors``: tensor node counter -> its logical shape (``Shape([1, 1, 32, 64])`` -> (1, 1, 32, 64))."""

    functions: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    programs: dict[int, tuple[int, ...]] = field(default_factory=dict)
    tensors: dict[int, tuple[int, ...]] = field(default_factory=dict)
    stack: list[int] = field(default_factory=list)
    ends: dict[int, list[int]] = field(default_factory=dict)

    def output_shape(self, fs: int) -> tuple[int, ...] | None:
        for c in self.ends.get(fs, ()):
            if c in self.tensors:
                return self.tensors[c]
        return None


_SHAPE = re.compile(r"Shape\(\[([\d,\s]*)\]\)")


def parse_shape(text: Any) -> tuple[int, ...] | None:
    """``Shape([1, 1, 2048, 512])`` (2025+) / ``ttnn.Shape([1, 128, 128, 256])`` (2024) -> a tuple."""
    m = _SHAPE.search(text) if isinstance(text, str) else None
    if not m:
        return None
    return tuple(int(x) for x in m.group(1).replace(" ", "").split(",") if x)


@dataclass(slots=True)
class GraphStats:
    """What the record reader saw besides the records."""

    nodes: int = 0
    generation: str | None = None  # "2025+" or "2024"
    skipped: int = 0
    node_types: dict[str, int] = field(default_factory=dict)


def _buffer_type(params: dict) -> str | None:
    bt = as_int(params.get("buffer_type"))
    if bt is not None:
        return BUFFER_TYPES.get(bt, f"buffer_type {bt}")
    t = params.get("type")
    return t if isinstance(t, str) and t else None


def graph_records(nodes: Iterator[Any], stats: GraphStats, warn: Warn, max_warnings: int = 20,
                  detail: GraphDetail | None = None) -> Iterator[tuple]:
    """Normalised memory records of graph-capture nodes, in order (see the table above); ``detail``, when
    given, is filled with the functions, tensor shapes and program starts (:class:`GraphDetail`)."""
    warned = 0
    buffer_nodes: dict[int, tuple[str | None, int | None]] = {}  # 2024 only: buffer node -> (type, size)
    counts = stats.node_types

    def bad(i: int, why: str) -> None:
        nonlocal warned
        stats.skipped += 1
        warned += 1
        if warned <= max_warnings:
            warn(f"node {i}: {why}; skipped")
        elif warned == max_warnings + 1:
            warn("more malformed nodes; only the first are listed")

    for i, node in enumerate(nodes):
        stats.nodes += 1
        if not isinstance(node, dict):
            bad(i, "not a JSON object")
            continue
        nt = node.get("node_type")
        counts[nt] = counts.get(nt, 0) + 1
        if nt == "tensor" or nt == "buffer" and stats.generation == "2025+":
            if detail is not None and nt == "tensor" and isinstance(node.get("params"), dict):
                shape = parse_shape(node["params"].get("shape"))
                c = as_int(node.get("counter"))
                if shape is not None:
                    detail.tensors[i if c is None else c] = shape
            continue
        counter = as_int(node.get("counter"))
        if counter is None:
            counter = i
        params = node.get("params")
        if stats.generation is None and nt not in ("capture_start", "capture_end"):
            stats.generation = "2025+" if "stacking_level" in node else "2024"
        if not isinstance(params, dict):
            if nt in ("capture_start", "capture_end"):
                continue
            if nt == "circular_buffer_deallocate_all":
                if detail is not None:
                    detail.programs[counter] = tuple(detail.stack)
                yield ("reset", counter)
                continue
            bad(counter, f"{nt} without params")
            continue
        if nt == "function_start" or nt == "function_end":
            name = params.get("name")
            name = name if isinstance(name, str) else "?"
            if detail is not None:
                if nt == "function_start":
                    ft = params.get("program_factory_type")
                    detail.functions[counter] = (name, ft if isinstance(ft, str) and ft else None)
                    detail.stack.append(counter)
                elif detail.stack:
                    fs = detail.stack.pop()
                    conns = node.get("connections")
                    detail.ends[fs] = [c for c in (as_int(x) for x in conns) if c is not None] \
                        if isinstance(conns, list) else []
            yield ("fs" if nt == "function_start" else "fe", counter, name)
        elif nt == "circular_buffer_deallocate_all":
            if detail is not None:
                detail.programs[counter] = tuple(detail.stack)
            yield ("reset", counter)
        elif nt in CB_KINDS:
            size = as_int(params.get("size"))
            if size is None or size < 0:
                bad(counter, f"{nt} without a readable size ({params.get('size')!r})")
                continue
            kind = CB_KINDS[nt]
            flag = as_flag(params.get("borrows_memory" if kind == "dfb" else "globally_allocated"))
            crs = params.get("core_range_set")
            yield ("cb", counter, kind, size, crs if isinstance(crs, str) else None, bool(flag),
                   as_int(params.get("address")))
        elif nt == "buffer_allocate" or nt == "buffer_deallocate":
            is_alloc = nt == "buffer_allocate"
            btype = _buffer_type(params)
            type_str = params.get("type")
            if not isinstance(type_str, str):
                type_str = "DRAM" if btype == "DRAM" else (btype or "")
            per_bank = as_int(params.get("max_size_per_bank"))
            size = as_int(params.get("size"))
            if per_bank is None and stats.generation == "2024":
                if not is_alloc and not size:
                    # 2024: the deallocation says size "0"; its buffer node (connections) has the size
                    conns = node.get("connections") or []
                    hit = buffer_nodes.get(as_int(conns[0])) if conns else None  # type: ignore[arg-type]
                    if hit and hit[0] == type_str and hit[1] is not None:
                        size = hit[1]
                    else:
                        bad(counter, f"{type_str or 'buffer'} deallocation of unknown size (its buffer node does "
                                     f"not match)")
                        continue
            elif per_bank is None and size is None:
                bad(counter, f"{nt} without max_size_per_bank or size")
                continue
            if btype is None and not type_str:
                bad(counter, f"{nt} without buffer_type or type")
                continue
            yield ("buf", counter, is_alloc, btype or type_str, per_bank, size, type_str != "DRAM",
                   as_int(params.get("num_cores")), params.get("layout") if isinstance(params.get("layout"), str)
                   else None, as_int(params.get("address")))
        elif nt == "buffer":
            buffer_nodes[counter] = (params.get("type") if isinstance(params.get("type"), str) else None,
                                     as_int(params.get("size")))


# ----------------------------------------------------------------------------- ttrt memory report


@dataclass(slots=True)
class KindView:
    """One allocator's view (per bank), as ``MemoryView`` / the ttrt report give it."""

    num_banks: int | None
    bytes_per_bank: int | None
    allocated_per_bank: int | None
    free_per_bank: int | None
    largest_free_per_bank: int | None
    blocks_allocated: int | None = None  # sum of the block table's allocated blocks
    approx_bytes: int = 0  # the log's MB figures are rounded: +-this many bytes


@dataclass(slots=True)
class Snapshot:
    """The allocator state at one op: ``views`` by memory kind (DRAM, L1, L1_SMALL, TRACE)."""

    index: int
    name: str
    loc: str | None
    when: str  # "before" (runtime log: before the op runs) or "after"
    views: dict[str, KindView]
    line: int | None = None


_OP_NAME = re.compile(r'"?(ttnn\.[A-Za-z0-9_]+|ttir\.[A-Za-z0-9_]+)"?')


def _kind_view(d: Any, where: str, warn: Warn) -> KindView | None:
    if not isinstance(d, dict):
        return None
    v = KindView(as_int(d.get("num_banks")), as_int(d.get("total_bytes_per_bank")),
                 as_int(d.get("total_bytes_allocated_per_bank")), as_int(d.get("total_bytes_free_per_bank")),
                 as_int(d.get("largest_contiguous_bytes_free_per_bank")))
    table = d.get("block_table")
    if isinstance(table, list):
        total = 0
        for b in table:
            if isinstance(b, dict) and str(b.get("allocated", "")).lower() in ("yes", "true", "1"):
                total += as_int(b.get("size")) or 0
        v.blocks_allocated = total
        if v.allocated_per_bank is not None and total != v.allocated_per_bank:
            warn(f"{where}: the block table's allocated blocks sum to {total:,} B, the report says "
                 f"{v.allocated_per_bank:,} B")
    if v.allocated_per_bank is None:
        warn(f"{where}: no total_bytes_allocated_per_bank")
        if v.blocks_allocated is not None:
            v.allocated_per_bank = v.blocks_allocated
    return v


def ttrt_snapshots(path: str, warn: Warn) -> list[Snapshot]:
    """The per-op entries of a ttrt / builder ``memory_report.json`` (a list, or a dict keyed by op
    index). Small files: read whole."""
    with open_input(path) as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}: invalid JSON at line {e.lineno}: {e.msg}") from None
    if isinstance(data, dict):
        def key(k: str) -> tuple[int, str]:
            n = as_int(k)
            return (n if n is not None else 1 << 62, k)
        entries = [(k, data[k]) for k in sorted(data, key=key)]
    elif isinstance(data, list):
        entries = [(str(i), e) for i, e in enumerate(data)]
    else:
        raise InputError(f"{path}: a memory report is a JSON list or object")
    out = []
    for k, e in entries:
        if not isinstance(e, dict):
            warn(f"entry {k}: not an object; skipped")
            continue
        debug = e.get("debug_str") if isinstance(e.get("debug_str"), str) else ""
        m = _OP_NAME.search(debug)
        name = m.group(1) if m else (debug.split("(")[0].strip()[:60] or f"op {k}")
        views = {}
        for kind in MEMORY_KINDS:
            v = _kind_view(e.get(kind.lower()), f"entry {k} {kind}", warn)
            if v is not None:
                views[kind] = v
        if not views:
            warn(f"entry {k}: no dram / l1 / l1_small / trace view; skipped")
            continue
        idx = as_int(k)
        out.append(Snapshot(idx if idx is not None else len(out), name,
                            e.get("loc") if isinstance(e.get("loc"), str) else None, "after", views))
    return out


# ----------------------------------------------------------------------------- runtime log

_MB = 1024 * 1024
_VIEW_BODY = (r"MemoryView\{numBanks: (\d+), totalBytesPerBank: ([\d.]+) MB, "
              r"totalBytesAllocatedPerBank: ([\d.]+) MB, totalBytesFreePerBank: ([\d.]+) MB, "
              r"largestContiguousBytesFreePerBank: ([\d.]+) MB\}")
# "L1 SMALL" with a space: the spelling of tt-mlir's own log reader's docstring (tools memory stats parser)
_VIEW = re.compile(MEM_KIND_RE.pattern + _VIEW_BODY)
_VIEW_ONLY = re.compile(_VIEW_BODY)
_EXECUTING = re.compile(r"Executing operation: (.*)")


def _mb(s: str) -> int:
    return round(float(s) * _MB)


def memory_view(text: str) -> KindView | None:
    """The figures of one ``MemoryView{...}`` (``MemoryView::toString``: MB = 2^20 B, 3 decimals, so each
    is within 525 B of the allocator's), or None when the line does not hold one."""
    m = _VIEW_ONLY.search(text)
    if m is None:
        return None
    return KindView(int(m.group(1)), _mb(m.group(2)), _mb(m.group(3)), _mb(m.group(4)), _mb(m.group(5)),
                    approx_bytes=525)  # 0.0005 MB = 524.3 B


def log_snapshots(path: str, warn: Warn) -> list[Snapshot]:
    """Snapshots from a runtime DEBUG log's ``MemoryView{...}`` lines, grouped under the preceding
    ``Device memory state before operation X`` / ``before submit`` / ``after submit`` line (else the
    last ``Executing operation:`` line). Figures are MB with 3 decimals: +-512 B per bank."""
    from ..io import LineReader

    out: list[Snapshot] = []
    cur: Snapshot | None = None
    last_exec: str | None = None
    with LineReader(path) as reader:
        for ln in reader:
            text = ln.text
            if "MemoryView{" in text:
                m = _VIEW.search(text)
                if not m:
                    warn(f"line {ln.number}: a MemoryView line ttdiag cannot read; skipped")
                    continue
                kind = m.group(1).replace(" ", "_")
                if cur is None or kind in cur.views:
                    name = last_exec or "?"
                    cur = Snapshot(len(out), name, None, "before", {}, ln.number)
                    out.append(cur)
                cur.views[kind] = KindView(int(m.group(2)), _mb(m.group(3)), _mb(m.group(4)), _mb(m.group(5)),
                                           _mb(m.group(6)), approx_bytes=525)  # 0.0005 MB = 524.3 B
                continue
            if "memory state" in text:
                h = MEM_HEADER_RE.search(text)
                if h:
                    cur = Snapshot(len(out), h.group(1) or f"submit ({h.group(2)})", None,
                                   "after" if h.group(2) == "after" else "before", {}, ln.number)
                    out.append(cur)
                    continue
            if "Executing operation:" in text:
                m = _EXECUTING.search(text)
                if m:
                    op = _OP_NAME.search(m.group(1))
                    last_exec = op.group(1) if op else m.group(1).strip()[:60]
    return [s for s in out if s.views]


# ----------------------------------------------------------------------------- report database


@dataclass(slots=True)
class ReportDb:
    """What a TT-NN report database holds for memory: its schema generation, ops, the buffers listed
    per op (summed per device and buffer type, bytes per bank), per-op captured graphs, devices."""

    schema: str
    operations: list[tuple[int, str]]
    buffers: dict[int, dict[str, int]]  # operation_id -> {buffer type: sum of max_size_per_bank}
    buffer_counts: dict[int, int]
    graphs: list[tuple[int, str]]  # (operation_id, captured graph JSON text), in op order
    devices: list[dict[str, Any]]


def db_schema(tables: dict[str, list[str]]) -> str:
    """``v2.1`` (``source_files`` table), ``v2`` (``errors`` / ``report_metadata``, no ``source_files``),
    ``2024`` (neither; ``buffers`` without ``buffer_layout``), as ttnn-visualizer's report_schemas.py
    tells them apart."""
    if "source_files" in tables:
        return "v2.1"
    if "errors" in tables or "report_metadata" in tables or "buffer_layout" in tables.get("buffers", []):
        return "v2"
    return "2024"


def read_report_db(path: str, warn: Warn) -> ReportDb:
    """Read a report ``db.sqlite`` read-only (never written, no journal) with sqlite3 + pandas."""
    from pathlib import Path

    import pandas as pd

    try:
        con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as e:
        raise InputError(f"{path}: cannot open the database: {e}") from None
    try:
        try:
            names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        except sqlite3.DatabaseError as e:
            raise InputError(f"{path}: not a readable SQLite database: {e}") from None
        tables = {n: [r[1] for r in con.execute(f'PRAGMA table_info("{n}")')] for n in names}
        if "buffers" not in tables and "captured_graph" not in tables:
            raise InputError(f"{path}: a SQLite database without the report tables buffers / captured_graph")
        schema = db_schema(tables)
        ops: list[tuple[int, str]] = []
        if "operations" in tables:
            df = pd.read_sql_query("SELECT operation_id, name FROM operations ORDER BY operation_id", con)
            for oid, name in zip(df["operation_id"], df["name"]):
                o = as_int(oid)
                if o is None:
                    warn(f"operations: a row without operation_id ({name!r}); skipped")
                    continue
                ops.append((o, name if isinstance(name, str) and name else f"operation {o}"))
        buffers: dict[int, dict[str, int]] = {}
        counts: dict[int, int] = {}
        if "buffers" in tables:
            df = pd.read_sql_query(
                "SELECT operation_id, buffer_type, COUNT(*) AS n, SUM(max_size_per_bank) AS per_bank, "
                "SUM(max_size_per_bank IS NULL) AS missing FROM buffers GROUP BY operation_id, buffer_type", con)
            for oid, bt, n, per_bank, missing in zip(df["operation_id"], df["buffer_type"], df["n"],
                                                     df["per_bank"], df["missing"]):
                o = as_int(oid)
                if o is None:
                    warn(f"buffers: {int(n)} row(s) without operation_id; skipped")
                    continue
                b = as_int(bt)
                kind = BUFFER_TYPES.get(b, f"buffer_type {bt}") if b is not None else "unknown"
                if int(missing or 0):
                    warn(f"buffers: operation {o}: {int(missing)} {kind} buffer(s) without max_size_per_bank")
                d = buffers.setdefault(o, {})
                d[kind] = d.get(kind, 0) + int(0 if per_bank is None or per_bank != per_bank else per_bank)
                counts[o] = counts.get(o, 0) + int(n)
        graphs: list[tuple[int, str]] = []
        if "captured_graph" in tables:
            for oid, g in con.execute("SELECT operation_id, captured_graph FROM captured_graph ORDER BY operation_id"):
                o = as_int(oid)
                if o is None or not isinstance(g, str | bytes):
                    warn("captured_graph: a row without operation_id or graph; skipped")
                    continue
                graphs.append((o, g.decode("utf-8", "replace") if isinstance(g, bytes) else g))
        devices = []
        if "devices" in tables:
            df = pd.read_sql_query("SELECT * FROM devices", con)
            devices = [{k: as_int(v) for k, v in row.items()} for row in df.to_dict("records")]
        return ReportDb(schema, ops, buffers, counts, graphs, devices)
    except sqlite3.DatabaseError as e:
        raise InputError(f"{path}: {e}") from None
    finally:
        con.close()

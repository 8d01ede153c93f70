"""ttdiag memory: graph captures (2024 and 2025+), ttrt memory reports, report databases, MemoryView logs.

Figures are computed by hand (arithmetic in the comments) from the accounting rules of tt-metal's
``extract_resource_usage_per_core`` (graph_l1_traces/README.md @ 8458ac2a §3, §10) and PR #56091
(per core), or are the figures the upstream README / PROVENANCE state for the real files.
"""

from __future__ import annotations

import ast
import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ttdiag.analyze.memory import memory_for_file
from ttdiag.cli import app
from ttdiag.io import InputError
from ttdiag.parse import memory_records as mr

runner = CliRunner()


def node(counter, node_type, params, level=1, **extra):
    return {"arguments": [], "connections": [], "counter": counter, "input_tensors": [], "node_type": node_type,
            "params": params, "stacking_level": level, **extra}


def cb(counter, size, crs, backed="0", address=0, level=2):
    return node(counter, "circular_buffer_allocate", {"address": address, "core_range_set": crs, "device_id": 0,
                                                      "globally_allocated": backed, "size": size}, level)


def buf(counter, event, btype, per_bank, type_="L1", level=2):
    return node(counter, f"buffer_{event}", {"address": 0, "buffer_type": btype, "device_id": 0,
                                             "layout": "INTERLEAVED", "max_size_per_bank": per_bank, "num_cores": 0,
                                             "page_size": 2048, "size": per_bank * 64, "type": type_}, level)


def mini_capture() -> list:
    """Two ops. Op 0 (ttnn.mini): L1 2048/bank + L1_SMALL 64/bank + a DRAM buffer, then one program with
    CB A 1000 B on core (0,0), CB B 3000 B on core (1,0), CB C 500 B on both, and a tensor-backed CB.
    Op 1 (ttnn.next): a program with a 256-byte CB given as a string with a null address, frees the
    2048 L1 buffer, has a record without sizes and a non-object node, then frees 4096/bank it never
    allocated (the capture-window case)."""
    return [
        node(0, "capture_start", None, 0),
        node(1, "function_start", {"inputs": "2", "name": "ttnn.mini"}, 1),
        buf(2, "allocate", 1, 2048),
        buf(3, "allocate", 3, 64),  # L1_SMALL reports type "L1": counted
        buf(4, "allocate", 0, 999_999, "DRAM"),  # DRAM: not counted
        node(5, "circular_buffer_deallocate_all", {"device_id": 0}, 2),
        cb(6, 1000, "{[0-0 - 0-0]}"),
        cb(7, 3000, "{[1-0 - 1-0]}"),
        cb(8, 500, "{[0-0 - 1-0]}"),
        cb(9, 7777, "{[0-0 - 1-0]}", backed="1"),
        node(10, "function_end", {"name": "ttnn.mini"}, 1),
        node(11, "function_start", {"inputs": "1", "name": "ttnn.next"}, 1),
        node(12, "circular_buffer_deallocate_all", {"device_id": 0}, 2),
        cb(13, "256", "{[0-0 - 0-0]}", address=None),
        buf(14, "deallocate", 1, 2048),
        node(15, "buffer_allocate", {"address": None, "type": "L1"}, 2),  # no size at all
        "not a node",
        buf(17, "deallocate", 1, 4096),  # allocated before the window
        node(18, "function_end", {"name": "ttnn.next"}, 1),
        node(19, "capture_end", None, 0),
    ]


# Flat (tt-metal): CB 1000 + 3000 + 500 = 4,500 B (the tensor-backed 7,777 B skipped); L1 2048 + 64 = 2,112 B
# (DRAM skipped); total 4,500 + 2,112 = 6,612 B, reached at node 8.
# Per core (PR #56091): core (0,0) 1000 + 500 = 1,500 B, core (1,0) 3000 + 500 = 3,500 B -> 3,500 B;
# total 3,500 + 2,112 = 5,612 B. Op 1: CB 256 B; L1 64 B after node 14; node 17 would go below 0 -> 0.
MINI_FLAT = {"cb_bytes": 4500, "l1_bytes": 2112, "total_bytes": 6612}
MINI_CORE = {"cb_bytes": 3500, "l1_bytes": 2112, "total_bytes": 5612}


@pytest.fixture
def mini(tmp_path):
    p = tmp_path / "mini_capture.json"
    p.write_text(json.dumps(mini_capture()))
    return p


def _peaks(p):
    return {"cb_bytes": p.cb_bytes, "l1_bytes": p.l1_bytes, "total_bytes": p.total_bytes}


def test_mini_capture_flat_and_per_core(mini):
    r = memory_for_file(str(mini))
    assert r.source == "graph-capture" and r.detail == "2025+"
    assert _peaks(r.peaks) == MINI_FLAT and r.peaks.at_op == 0 and r.peaks.at_node == 8
    assert _peaks(r.peaks_per_core) == MINI_CORE
    first, second = r.ops
    assert (first.name, second.name) == ("ttnn.mini", "ttnn.next")
    prog = first.programs[0]
    assert (prog.cb_bytes, prog.cb_bytes_per_core) == (4500, 3500)
    assert [c.cores for c in prog.cbs] == [1, 1, 2, 2] and prog.cbs[3].tensor_backed
    assert [b.buffer_type for b in first.buffers] == ["L1", "L1_SMALL", "DRAM"]
    # running totals after op 0: CB 4,500, L1 2,112; after op 1: CB 256, L1 0 (floored)
    assert (first.cb_bytes, first.l1_bytes, first.total_bytes) == (4500, 2112, 6612)
    assert (second.cb_bytes, second.l1_bytes) == (256, 0)
    assert second.programs[0].cbs[0].address is None
    text = " | ".join(r.warnings)
    assert "node 15" in text and "node 16: not a JSON object" in text and "before the capture window" in text


def test_mini_capture_cut_gives_partial_result(tmp_path):
    full = json.dumps(mini_capture())
    p = tmp_path / "cut.json"
    p.write_text(full[:full.index('"counter": 10')])  # cut inside node 10
    r = memory_for_file(str(p))
    assert not r.complete and _peaks(r.peaks) == MINI_FLAT
    assert any("cut" in w for w in r.warnings) and any("ends inside 'ttnn.mini'" in w for w in r.warnings)


def test_stream_reader_small_chunks_match_json_load(mini):
    state = mr.StreamState()
    with open(mini, "rb") as f:
        got = list(mr.iter_json_array(f, state, chunk_chars=7))
    assert got == mini_capture() and state.complete and state.error is None


def test_gzip_and_stdin(mini, tmp_path):
    gz = tmp_path / "c.json.gz"
    gz.write_bytes(gzip.compress(mini.read_bytes()))
    assert _peaks(memory_for_file(str(gz)).peaks) == MINI_FLAT
    res = runner.invoke(app, ["memory", "-", "--format", "json"], input=mini.read_text())
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["peaks"]["total_bytes"] == 6612


def test_core_range_spellings():
    assert mr.parse_core_ranges("{[0-0 - 10-8], [0-9 - 3-9]}") == ((0, 0, 10, 8), (0, 9, 3, 9))
    assert len(mr.cores_of(mr.parse_core_ranges("{[0-0 - 10-8], [0-9 - 3-9]}"))) == 11 * 9 + 4  # 103
    assert mr.parse_core_ranges("{[(x=0,y=0) - (x=7,y=7)]}") == ((0, 0, 7, 7),)
    assert mr.parse_core_ranges(None) is None and mr.parse_core_ranges("{}") is None
    assert (mr.as_int("16384"), mr.as_int(None), mr.as_int("x"), mr.as_flag("false"), mr.as_flag("1")) == (
        16384, None, None, False, True)


def test_cli_json_schema(mini):
    res = runner.invoke(app, ["memory", str(mini), "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["schema"] == "ttdiag.memory/1"
    assert {k: d["peaks"][k] for k in MINI_FLAT} == MINI_FLAT
    assert {k: d["peaks_per_core"][k] for k in MINI_CORE} == MINI_CORE
    op = d["ops"][0]
    assert op["programs"][0]["cbs"][3]["globally_allocated"] is True
    assert op["running_after"] == {"cb_bytes": 4500, "l1_bytes": 2112, "total_bytes": 6612}
    assert op["buffers"][1]["buffer_type"] == "L1_SMALL" and op["buffers"][1]["bytes_per_bank"] == 64


def test_cli_text_and_errors(mini, tmp_path):
    res = runner.invoke(app, ["memory", str(mini), "--detail", "all"], env={"COLUMNS": "100"})
    assert res.exit_code == 0 and "6,612 B" in res.output and "5,612 B" in res.output and "Traceback" not in res.output
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02 nothing here")
    for args in (["memory", str(junk)], ["memory", str(tmp_path / "missing.json")], ["memory", str(tmp_path)]):
        res = runner.invoke(app, args)
        assert res.exit_code == 2 and "Traceback" not in res.output, args
    not_graph = tmp_path / "arr.json"
    not_graph.write_text("[1, 2, 3]")
    assert runner.invoke(app, ["memory", str(not_graph)]).exit_code == 2


# ----------------------------------------------------------------------------- runtime log


LOG = """\
2026-01-05 10:00:00.000 | DEBUG | RuntimeTTNN | Executing operation: %3 = "ttnn.add"(%1, %2) : ...
2026-01-05 10:00:00.001 | DEBUG | RuntimeTTNN | Device memory state before operation EltwiseBinaryOp
2026-01-05 10:00:00.001 | DEBUG | RuntimeTTNN | Device DRAM memory state: MemoryView{numBanks: 12, totalBytesPerBank: 1021.500 MB, totalBytesAllocatedPerBank: 0.016 MB, totalBytesFreePerBank: 1021.484 MB, largestContiguousBytesFreePerBank: 1021.484 MB}
2026-01-05 10:00:00.001 | DEBUG | RuntimeTTNN | Device L1 memory state: MemoryView{numBanks: 64, totalBytesPerBank: 1.268 MB, totalBytesAllocatedPerBank: 0.250 MB, totalBytesFreePerBank: 1.018 MB, largestContiguousBytesFreePerBank: 1.018 MB}
2026-01-05 10:00:00.001 | DEBUG | RuntimeTTNN | Device L1_SMALL memory state: MemoryView{numBanks: 64, totalBytesPerBank: 0.062 MB, totalBytesAllocatedPerBank: 0.000 MB, totalBytesFreePerBank: 0.062 MB, largestContiguousBytesFreePerBank: 0.062 MB}
2026-01-05 10:00:00.001 | DEBUG | RuntimeTTNN | Device TRACE memory state: MemoryView{numBanks: 12, totalBytesPerBank: 0.000 MB, totalBytesAllocatedPerBank: 0.000 MB, totalBytesFreePerBank: 0.000 MB, largestContiguousBytesFreePerBank: 0.000 MB}
2026-01-05 10:00:00.002 | DEBUG | RuntimeTTNN | Device memory state before operation DeallocateOp
2026-01-05 10:00:00.002 | DEBUG | RuntimeTTNN | Device L1 memory state: MemoryView{numBanks: 64, totalBytesPerBank: 1.268 MB, totalBytesAllocatedPerBank: 0.500 MB, totalBytesFreePerBank: 0.768 MB, largestContiguousBytesFreePerBank: 0.768 MB}
"""


def test_memoryview_log(tmp_path):
    p = tmp_path / "run.log"
    p.write_text(LOG)
    r = memory_for_file(str(p))
    assert r.source == "runtime-log" and [o.name for o in r.ops] == ["EltwiseBinaryOp", "DeallocateOp"]
    # MemoryView::toString prints bytes / 2^20 with 3 decimals: 0.250 MB = 262,144 B, 0.500 MB = 524,288 B,
    # 0.016 MB = 16,777 B (a 16,384 B figure would print as 0.016 too: +-525 B)
    assert r.ops[0].per_bank == {"DRAM": 16777, "L1": 262144, "L1_SMALL": 0, "TRACE": 0}
    assert r.ops[1].per_bank == {"L1": 524288}
    assert r.peaks.l1_bytes == 524288 and r.peaks.at_op == 1 and r.ops[0].approx_bytes == 525
    assert abs(r.ops[0].per_bank["DRAM"] - 16384) <= r.ops[0].approx_bytes


# ----------------------------------------------------------------------------- report database


def _schemas(corpus) -> dict[str, str]:
    """The DDL constants of ttnn-visualizer's report_schemas.py, read as data (never imported)."""
    tree = ast.parse((corpus / "memory/report-db/report_schemas.py").read_text())
    return {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
            for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}


def _fill(con, with_graph: bool, layout_col: bool) -> None:
    con.executemany("INSERT INTO operations (operation_id, name, duration) VALUES (?, ?, ?)",
                    [(1, "ttnn.mini", 1.0), (2, "ttnn.next", 1.0)])
    rows = [(1, 0, 100, 2048, 1), (1, 0, 200, 1024, 1), (1, 0, 300, 4096, 0), (2, 0, 100, 512, 1)]
    if layout_col:
        con.executemany("INSERT INTO buffers (operation_id, device_id, address, max_size_per_bank, buffer_type, "
                        "buffer_layout) VALUES (?, ?, ?, ?, ?, 0)", rows)
    else:
        con.executemany("INSERT INTO buffers (operation_id, device_id, address, max_size_per_bank, buffer_type) "
                        "VALUES (?, ?, ?, ?, ?)", rows)
    if with_graph:
        cap = mini_capture()
        con.execute("INSERT INTO captured_graph VALUES (?, ?)", (1, json.dumps(cap[:11] + [cap[-1]])))
        con.execute("INSERT INTO captured_graph VALUES (?, ?)", (2, json.dumps([cap[0]] + cap[11:])))
    con.commit()


@pytest.mark.parametrize("name,schema", [("SCHEMA_V2", "v2"), ("SCHEMA_V2_1", "v2.1")])
def test_report_db_real_schemas(corpus, tmp_path, name, schema):
    ddl = _schemas(corpus)[name]
    db = tmp_path / "db.sqlite"
    con = sqlite3.connect(db)
    con.executescript(ddl)
    _fill(con, with_graph=True, layout_col=True)
    con.close()
    r = memory_for_file(str(db))
    assert r.source == "report-db" and r.detail == f"schema {schema}"
    # the two per-op graphs concatenated give the mini capture's figures
    assert _peaks(r.peaks) == MINI_FLAT and _peaks(r.peaks_per_core) == MINI_CORE
    assert [(o.operation_id, o.name) for o in r.ops] == [(1, "ttnn.mini"), (2, "ttnn.next")]
    # buffers table, operation 1: L1 2048 + 1024 = 3,072 B/bank, DRAM 4,096 B/bank; operation 2: L1 512
    assert r.ops[0].per_bank == {"L1": 3072, "DRAM": 4096} and r.ops[1].per_bank == {"L1": 512}
    assert r.peaks_by_kind == {"L1": 3072, "DRAM": 4096}


def test_report_db_2024_schema_without_graphs(corpus, tmp_path):
    empty = corpus / "memory/report-db/empty.sqlite"
    r = memory_for_file(str(empty))  # the real, row-less 2024 database: read-only, no error
    assert r.detail == "schema 2024" and r.ops == [] and r.warnings
    src = sqlite3.connect(f"file:{empty}?mode=ro&immutable=1", uri=True)
    ddl = [s for (s,) in src.execute("SELECT sql FROM sqlite_master WHERE type='table' AND sql IS NOT NULL")]
    src.close()
    db = tmp_path / "db2024.sqlite"
    con = sqlite3.connect(db)
    for s in ddl:
        con.execute(s)
    _fill(con, with_graph=False, layout_col=False)
    con.close()
    r = memory_for_file(str(db))
    # no captured graphs: per-op L1 from the buffers table, peak 2048 + 1024 = 3,072 B/bank at operation 1
    assert r.detail == "schema 2024" and r.peaks.l1_bytes == 3072 and r.peaks.cb_bytes is None
    assert [o.per_bank.get("L1") for o in r.ops] == [3072, 512]
    assert runner.invoke(app, ["memory", str(db), "--format", "json"]).exit_code == 0


def test_report_db_corrupt(tmp_path):
    db = tmp_path / "bad.sqlite"
    db.write_bytes(mr.SQLITE_MAGIC + b"\x00" * 200)
    with pytest.raises(InputError):
        memory_for_file(str(db))
    assert runner.invoke(app, ["memory", str(db)]).exit_code == 2


# ----------------------------------------------------------------------------- real graph captures


# tt-metal graph_l1_traces/README.md @ 8458ac2a: §4 matmul 768 KB / 20 KB / 788 KB; §5 normal mode: same
# sizes; §6 sharded add: CB 0 (all tensor-backed), L1 one 32,768 B shard; §7 in place: 0 / 0;
# §8 conv2d: CB 12288 + 18432 + 12288 + 30720 + 4096 + 64 = 77,888 B, L1 47,648 B, total 125,536 B.
README_FIGURES = {
    "matmul_l1_out.json": (786_432, 20_480, 806_912),
    "matmul_normal_mode.json": (786_432, 20_480, 806_912),
    "sharded_add.json": (0, 32_768, 32_768),
    "sharded_add_in_place.json": (0, 0, 0),
    "conv2d.json": (77_888, 47_648, 125_536),
}


@pytest.mark.parametrize("name", sorted(README_FIGURES))
def test_five_traces_match_upstream_readme(corpus, name):
    r = memory_for_file(str(corpus / "memory/graph-capture" / name))
    cb_, l1, total = README_FIGURES[name]
    assert (r.peaks.cb_bytes, r.peaks.l1_bytes, r.peaks.total_bytes) == (cb_, l1, total)
    assert r.warnings == [] and r.complete
    # every program's CBs share one core range set in these traces: per core equals flat
    assert (r.peaks_per_core.cb_bytes, r.peaks_per_core.total_bytes) == (cb_, total)


def test_conv2d_programs(corpus):
    r = memory_for_file(str(corpus / "memory/graph-capture/conv2d.json"))
    progs = r.ops[0].programs
    # README §8: four child programs; Conv2d 10 CBs (6 counted), Halo 8 CBs (2 x 64 B counted), S2I one
    # borrowed DFB; the peak lands inside Conv2dDeviceOperation
    assert [p.name for p in progs] == ["InterleavedToShardedDeviceOperation", "HaloDeviceOperation",
                                       "Conv2dDeviceOperation", "ShardedToInterleavedDeviceOperation"]
    assert [len(p.cbs) for p in progs] == [2, 8, 10, 1] and [p.cb_bytes for p in progs] == [512, 128, 77_888, 0]
    assert progs[3].cbs[0].kind == "dfb" and progs[3].cbs[0].tensor_backed
    assert r.ops[0].name == "ttnn.conv2d" and r.peaks.at_op == 0 and 143 <= r.peaks.at_node <= 152
    assert {c.cores for c in progs[2].cbs} == {110} and {c.cores for c in progs[1].cbs} == {103}


def test_2024_capture(corpus):
    r = memory_for_file(str(corpus / "memory/graph-capture/ttnn-visualizer_temp.json"))
    # PROVENANCE A.2: 59 nodes; 3 programs: Tilize 16384 + 16384, Tilize 16384 + 16384, Concat 4096 (B/core)
    assert r.detail == "2024" and r.nodes == 59 and r.l1_basis == "whole buffer"
    assert [p.cb_bytes for p in r.ops[0].programs] == [32_768, 32_768, 4_096] and r.peaks.cb_bytes == 32_768
    # L1 whole-buffer bytes: 8,388,608 + 8,388,608 + 16,777,216 = 33,554,432 live after node 44
    assert r.peaks.l1_bytes == 33_554_432 and r.peaks.total_bytes is None
    # node 54's deallocation points at a DRAM buffer node: size unknown, said so
    assert any("node 54" in w for w in r.warnings)


def _embedded(corpus, name: str, first: int, last: int, tmp_path):
    lines = (corpus / "memory/ttrt-memory" / name).read_text().splitlines()[first - 1:last]
    p = tmp_path / "memory_report.json"
    p.write_text("\n".join(lines))
    return p


def test_ttrt_builder_report(corpus, tmp_path):
    r = memory_for_file(str(_embedded(corpus, "tt-mlir_tools-builder-README.md", 810, 1307, tmp_path)))
    # tools/builder/README.md: sigmoid, add, 2x deallocate; DRAM allocated per bank 12,288 (4096 + 2048 +
    # 4096 + 2048 in the block table), 18,432, 14,336, 14,336; L1 nothing; 12 DRAM banks, 64 L1 banks
    assert [o.name for o in r.ops] == ["ttnn.sigmoid", "ttnn.add", "ttnn.deallocate", "ttnn.deallocate"]
    assert [o.per_bank["DRAM"] for o in r.ops] == [12_288, 18_432, 14_336, 14_336]
    assert r.peaks_by_kind["DRAM"] == 18_432 and r.peaks.l1_bytes == 0 and r.warnings == []
    assert (r.ops[0].bank_size["DRAM"], r.ops[0].bank_size["L1"], r.ops[0].bank_size["L1_SMALL"]) == (
        1_071_821_792, 1_329_888, 65_536)


def test_ttrt_docs_report(corpus, tmp_path):
    r = memory_for_file(str(_embedded(corpus, "tt-mlir_docs-ttrt.md", 260, 349, tmp_path)))
    # docs/src/ttrt.md: one entry keyed "0", ttnn.tan; DRAM 16,384 B/bank (8192 + 8192 allocated blocks)
    assert [(o.index, o.name) for o in r.ops] == [(0, "ttnn.tan")] and r.ops[0].per_bank["DRAM"] == 16_384


def test_streamed_json_is_the_same_object(mini, corpus):
    from ttdiag.report.memory_json import render_pieces, stream_pieces

    for path in (str(mini), str(corpus / "memory/graph-capture/conv2d.json")):
        streamed = json.loads("".join(stream_pieces(path)))
        whole = json.loads("".join(render_pieces(memory_for_file(path))))
        assert streamed == whole


def test_top_ops_keeps_records_of_the_highest_only(mini):
    r = memory_for_file(str(mini), top=1)
    # op 0 (peak total 6,612 B) keeps its CBs and buffers; op 1 keeps only its figures
    assert r.n_ops == 2 and len(r.ops[0].programs[0].cbs) == 4 and r.ops[1].programs == []
    assert (r.ops[1].n_programs, r.ops[1].n_cbs, r.ops[1].cb_bytes) == (1, 1, 256)
    assert _peaks(r.peaks) == MINI_FLAT


def test_plot_series_and_png(mini, tmp_path):
    from ttdiag.report.memory_plot import series
    from ttdiag.report.perf_plot import have_matplotlib

    r = memory_for_file(str(mini), top=40)
    xs, names, stacks = series(r)
    # each op at its own flat peak: op 0 L1 2,112 + CB 4,500 (node 8); op 1 at node 13, before node 14
    # frees the 2,048 buffer: L1 2,112 + CB 256 = 2,368
    assert xs == [0, 1] and names == ["ttnn.mini", "ttnn.next"] and r.ops[1].peak_total == 2368
    assert stacks == {"L1 buffers": [2112, 2112], "CBs (+ dataflow buffers)": [4500, 256]}
    out = tmp_path / "m.png"
    res = runner.invoke(app, ["memory", str(mini), "--plot", str(out)])
    if not have_matplotlib():
        assert res.exit_code == 2 and "matplotlib" in res.output
        return
    assert res.exit_code == 0 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_text_report_of_a_long_capture_keeps_only_the_top_ops(tmp_path):
    # the text report (no plot) keeps the figures of only its --top ops, so memory stays flat on a long capture;
    # the peaks and the op count are those of the whole capture, equal to what keeping every op gives
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from gen_memory_capture import generate

    path = tmp_path / "long.json"
    generate(str(path), 5_000)
    full = memory_for_file(str(path), top=3)
    lean = memory_for_file(str(path), top=3, keep_all=False)
    assert full.n_ops == lean.n_ops == len(full.ops) > 100
    assert _peaks(lean.peaks) == _peaks(full.peaks) and _peaks(lean.peaks_per_core) == _peaks(full.peaks_per_core)
    assert len(lean.ops) <= 4  # the 3 highest flat peaks, and the per-core peak's op
    best = sorted(full.ops, key=lambda o: (o.peak_total, o.peak_l1), reverse=True)[:3]
    assert {o.index for o in best} <= {o.index for o in lean.ops}

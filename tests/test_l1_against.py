"""``ttdiag l1 FILE --against CAPTURE``: the L1 model compared, CB by CB, with a real run's graph capture.

The corpus tests run the modules of tests/data/against/ (each the op of one of tt-metal's graph_l1_traces
@8458ac2a, shapes from the capture) against that capture; the figures asserted are the capture's own
``circular_buffer_allocate`` sizes and the hand arithmetic of the op's factory (cited per test). The
mini captures below are hand-written in the 2025+ node schema (tt-metal graph_l1_traces/README.md)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ttdiag.analyze.l1.against import op_key
from ttdiag.analyze.l1.run import l1_for_file
from ttdiag.cli import app

DATA = Path(__file__).resolve().parent / "data" / "against"
runner = CliRunner()


def _capture(corpus, name: str) -> str:
    return str(corpus / "memory" / "graph-capture" / name)


def _only_pair(report):
    a = report.against
    assert a.total == 1 and not a.unmatched_ir and not a.unmatched_records
    return a.matched[0]


# -- real captures -----------------------------------------------------------------------------------------------

def test_conv2d_capture_validates_the_conv2d_program(corpus):
    # conv2d.json: ttnn.conv2d runs 4 programs (I2S node 27, Halo node 91, Conv2d node 142, S2I node 168); the
    # model is the Conv2d program's. Its static CBs (tests/test_l1_conv2d.py, get_cb_info @f3c1ee7e): weights
    # 2 x 3 tiles 12,288; act 3 x 3 tiles 18,432; second reader 2 x 3 tiles 12,288; tilized 15 tiles 30,720;
    # bias 2 tiles 4,096; L1 array 64 -> 77,888 B, the capture's nodes 143, 145, 146, 147, 148, 151.
    cap = _capture(corpus, "conv2d.json")
    r = l1_for_file(str(DATA / "conv2d.mlir"), against=cap)
    assert (r.ctx.arch.name, r.ctx.era.name) == ("blackhole", "2026-02")  # the module's ttdiag.* attributes
    p = _only_pair(r)
    assert p.op.op_name == "ttnn.conv2d" and p.record.name == "ttnn.conv2d"
    assert p.matched_by == "name and order; output 1x1x16384x64 on both"
    assert (p.program.name, p.program.node) == ("Conv2dDeviceOperation", 142)
    assert p.program_choice == "its device operation Conv2dDeviceOperation"
    static = [(c.predicted.bytes, c.recorded.node, c.recorded.bytes) for c in p.cbs if not c.tensor_backed]
    assert static == [(12_288, 143, 12_288), (18_432, 145, 18_432), (12_288, 146, 12_288), (30_720, 147, 30_720),
                      (4_096, 148, 4_096), (64, 151, 64)]
    assert p.predicted_static == p.recorded_static == 77_888 and p.delta == 0
    assert p.multiset_equal and p.agree
    assert p.predicted_cores == p.recorded_cores == 110  # {[0-0 - 10-9]}
    assert p.op.validated and p.op.validated_by == f"graph capture {cap}: Conv2dDeviceOperation node 142"
    # tensor-backed: partials and output 10 tiles x 2,048 = 20,480 (nodes 144, 149), the halo output 424 x 32 x 2 =
    # 27,136 (node 152) agree; the reader indices CB is backed by the [103, 10] uint16 L1_SMALL tensor (node 141),
    # 10 x 2 = 20 B per core (node 150): the model's figure for it differs, and that is reported, not hidden
    backed = {c.recorded.node: c for c in p.cbs if c.tensor_backed}
    assert all(backed[n].delta == 0 and backed[n].recorded.bytes == b for n, b in ((144, 20_480), (149, 20_480),
                                                                                    (152, 27_136)))
    assert backed[150].recorded.bytes == 20 and backed[150].predicted.name == "reader indices"
    assert backed[150].delta != 0 and not p.tensor_backed_equal and p.reason == "agrees (tensor-backed CBs differ)"
    assert r.against.ir_without_program == 1 and r.against.records_without_program == 1  # get_device; deallocate


@pytest.mark.parametrize("trace", ["sharded_add.json", "sharded_add_in_place.json"])
def test_sharded_add_captures_validate(corpus, trace):
    # BinaryNgDeviceOperation, height-sharded [32, 512] = 1 x 16 tiles per core: c_0 / c_1 / c_2 = 16 x 2,048 =
    # 32,768 B, each backed by its shard (globally_allocated "1" in the capture): 0 B static on both sides
    cap = _capture(corpus, trace)
    r = l1_for_file(str(DATA / "sharded_add.mlir"), against=cap)
    p = _only_pair(r)
    assert p.program.name == "BinaryNgDeviceOperation"
    assert [(c.tensor_backed, c.predicted.bytes, c.recorded.bytes) for c in p.cbs] == [(True, 32_768, 32_768)] * 3
    assert p.predicted_static == p.recorded_static == 0 and p.agree and p.op.validated
    assert p.op.validated_by.startswith(f"graph capture {cap}: BinaryNgDeviceOperation node ")


@pytest.mark.parametrize("trace", ["matmul_l1_out.json", "matmul_normal_mode.json"])
def test_matmul_captures_validate(corpus, trace):
    # 1024 x 1024 x 1024 bf16 on 4 cores {[0-0 - 1-1]}: per_core_M = per_core_N = 32 / 2 = 16 tiles, in0_block_w 2,
    # double-buffered: c_0 = 16 x 2 x 2 x 2,048 = 131,072; c_1 the same; c_4 = 16 x 16 x 2,048 = 524,288 ->
    # 786,432 B (the capture's nodes 12, 13, 14; README §4 "768 KB")
    r = l1_for_file(str(DATA / "matmul.mlir"), against=_capture(corpus, trace))
    p = _only_pair(r)
    assert [(c.predicted.index, c.recorded.node, c.recorded.bytes, c.delta) for c in p.cbs] == [
        (0, 12, 131_072, 0), (1, 13, 131_072, 0), (4, 14, 524_288, 0)]
    assert p.predicted_static == 786_432 and p.agree and p.predicted_cores == p.recorded_cores == 4


def test_capture_of_another_module_matches_nothing(corpus):
    r = l1_for_file(str(DATA / "conv2d.mlir"), against=_capture(corpus, "matmul_l1_out.json"))
    a = r.against
    assert a.total == 0 and a.agree == 0
    assert [o.op_name for o in a.unmatched_ir] == ["ttnn.conv2d"]
    assert [x.name for x in a.unmatched_records] == ["ttnn.matmul"]
    assert not any(o.validated for o in r.ops)


def test_2024_capture_names(corpus):
    # ttnn-visualizer's 2024 capture: C++ names (ttnn::concat) and string params; read, nothing matched
    r = l1_for_file(str(DATA / "matmul.mlir"), against=_capture(corpus, "ttnn-visualizer_temp.json"))
    assert [x.name for x in r.against.unmatched_records] == ["ttnn::concat"]
    assert [len(p.cbs) for p in r.against.unmatched_records[0].programs] == [2, 2, 1]


# -- hand-written captures ---------------------------------------------------------------------------------------

def _node(i, nt, params, level=1, conns=(), inputs=()):
    return {"arguments": [], "connections": list(conns), "counter": i, "input_tensors": list(inputs),
            "node_type": nt, "params": params, "stacking_level": level}


def _mini(cbs: list[int], shape: str = "Shape([1, 1, 1024, 1024])", extra_op: str | None = None) -> list[dict]:
    """ttnn.matmul -> MatmulDeviceOperation with ``cbs`` (bytes per core, on {[0-0 - 1-1]}); then, when given,
    a second top-level op ``extra_op`` with one 4,096 B CB."""
    n: list[dict] = [_node(0, "capture_start", None, 0)]

    def add(nt, params, level=1, conns=()):
        n.append(_node(len(n), nt, params, level, conns))
        return len(n) - 1

    add("function_start", {"inputs": "0", "name": "ttnn.matmul"}, 1)
    add("function_start", {"inputs": "2", "name": "MatmulDeviceOperation"}, 2)
    add("circular_buffer_deallocate_all", {"device_id": 0}, 2)
    for size in cbs:
        add("circular_buffer_allocate", {"address": 0, "core_range_set": "{[0-0 - 1-1]}", "device_id": 0,
                                         "globally_allocated": "0", "size": size}, 2)
    end = add("function_end", {"name": "MatmulDeviceOperation"}, 2, conns=[len(n) + 1])
    add("tensor", {"shape": shape, "tensor_id": 1}, 2)
    assert n[end]["connections"] == [end + 1]
    add("function_end", {"name": "ttnn.matmul"}, 1)
    if extra_op:
        add("function_start", {"inputs": "1", "name": extra_op}, 1)
        add("circular_buffer_deallocate_all", {"device_id": 0}, 1)
        add("circular_buffer_allocate", {"address": 0, "core_range_set": "{[0-0 - 0-0]}", "device_id": 0,
                                         "globally_allocated": "0", "size": 4096}, 1)
        add("function_end", {"name": extra_op}, 1)
    add("capture_end", None, 0)
    return n


def test_mismatch_is_reported_with_its_delta(tmp_path):
    # the matmul of matmul.mlir predicts 131,072 + 131,072 + 524,288 (test_matmul_captures_validate); the capture
    # below records 262,144 for the output CB: 786,432 - 524,288 = 262,144 B over, never validated
    cap = tmp_path / "mini.json"
    cap.write_text(json.dumps(_mini([131_072, 131_072, 262_144], extra_op="ttnn.relu")))
    r = l1_for_file(str(DATA / "matmul.mlir"), against=str(cap))
    a = r.against
    (p,) = a.matched
    assert p.recorded_static == 524_288 and p.predicted_static == 786_432 and p.delta == 262_144
    assert [(c.predicted and c.predicted.bytes, c.recorded and c.recorded.bytes, c.delta) for c in p.cbs] == [
        (131_072, 131_072, 0), (131_072, 131_072, 0), (524_288, 262_144, 262_144)]
    assert not p.agree and not p.multiset_equal and p.reason == "static total differs by +262,144 B"
    assert not p.op.validated and p.op.validated_by == ""
    assert [x.name for x in a.unmatched_records] == ["ttnn.relu"]  # listed, not dropped
    assert (a.agree, a.total) == (0, 1)


def test_same_total_other_sizes_is_not_agreement(tmp_path):
    # 786,432 B in 3 CBs of other sizes: the total agrees, the CB multiset does not
    cap = tmp_path / "mini.json"
    cap.write_text(json.dumps(_mini([262_144, 262_144, 262_144])))
    (p,) = l1_for_file(str(DATA / "matmul.mlir"), against=str(cap)).against.matched
    assert p.delta == 0 and not p.multiset_equal and not p.agree
    assert p.reason == "same static total, different CB sizes"


def test_output_shape_mismatch_is_never_validated(tmp_path):
    cap = tmp_path / "mini.json"
    cap.write_text(json.dumps(_mini([131_072, 131_072, 524_288], shape="Shape([1, 1, 1024, 2048])")))
    (p,) = l1_for_file(str(DATA / "matmul.mlir"), against=str(cap)).against.matched
    assert p.shapes_agree is False and p.delta == 0 and not p.agree and not p.op.validated
    assert p.matched_by == "name and order; output shapes differ (IR 1x1x1024x1024, recorded 1x1x1024x2048)"


def test_report_db_captured_graphs(tmp_path):
    # a TT-NN report database: operations + captured_graph (schema of report_schemas.py); the operation id is kept
    db = tmp_path / "db.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE operations (operation_id int UNIQUE, name text, duration float)")
    con.execute("CREATE TABLE captured_graph (operation_id int, captured_graph text)")
    con.execute("INSERT INTO operations VALUES (7, 'ttnn.matmul', 0.1)")
    con.execute("INSERT INTO captured_graph VALUES (7, ?)", (json.dumps(_mini([131_072, 131_072, 524_288])),))
    con.commit()
    con.close()
    r = l1_for_file(str(DATA / "matmul.mlir"), against=str(db))
    (p,) = r.against.matched
    assert r.against.kind == "report database" and p.record.operation_id == 7 and p.agree
    assert p.op.validated_by == f"report database {db}: operation 7 MatmulDeviceOperation node 3"


def test_op_key():
    assert {op_key(n) for n in ("ttnn.conv2d", "ttnn::conv2d", "Conv2dDeviceOperation")} == {"conv2d"}
    assert op_key("BinaryNgDeviceOperation") == "binary_ng" and op_key("Tensor::reshape") == "reshape"


# -- the command line --------------------------------------------------------------------------------------------

def test_cli_json_and_exit_codes(tmp_path):
    cap = tmp_path / "mini.json"
    cap.write_text(json.dumps(_mini([131_072, 131_072, 262_144])))
    r = runner.invoke(app, ["l1", str(DATA / "matmul.mlir"), "--against", str(cap), "--format", "json"])
    assert r.exit_code == 0  # exit codes are the prediction's: nothing overflows
    obj = json.loads(r.stdout)
    ag = obj["against"]
    assert {"source", "kind", "matched", "unmatched_ir", "unmatched_records", "agree", "total"} <= ag.keys()
    assert (ag["source"], ag["agree"], ag["total"]) == (str(cap), 0, 1)
    (m,) = ag["matched"]
    assert (m["predicted_static_bytes"], m["recorded_static_bytes"], m["delta_bytes"]) == (786_432, 524_288, 262_144)
    assert m["cbs"][2] == {"tensor_backed": False, "delta_bytes": 262_144,
                           "predicted": {"index": 4, "name": "output (shared with intermediate)", "bytes": 524_288},
                           "recorded": {"node": 6, "kind": "cb", "bytes": 262_144}}
    (op,) = [o for o in obj["ops"] if o["op"]["name"] == "ttnn.matmul"]
    assert op["validated"] is False and op["validated_by"] is None
    cap.write_text(json.dumps(_mini([131_072, 131_072, 524_288])))
    obj = json.loads(runner.invoke(app, ["l1", str(DATA / "matmul.mlir"), "--against", str(cap), "-f", "json"]).stdout)
    (op,) = [o for o in obj["ops"] if o["op"]["name"] == "ttnn.matmul"]
    assert op["validated"] is True and op["validated_by"] == f"graph capture {cap}: MatmulDeviceOperation node 3"


def test_cli_text_fits_80_columns(tmp_path):
    cap = tmp_path / "mini.json"
    cap.write_text(json.dumps(_mini([131_072, 131_072, 262_144], extra_op="ttnn.relu")))
    r = runner.invoke(app, ["l1", str(DATA / "matmul.mlir"), "--against", str(cap)], env={"COLUMNS": "80"})
    assert r.exit_code == 0
    assert all(len(ln) <= 80 for ln in r.stdout.splitlines())
    words = " ".join(r.stdout.split())  # long paths wrap
    assert "0 of 1 matched op(s) agree" in words and "delta +262,144 B" in words
    assert "Recorded, not in the IR (1): #1 ttnn.relu" in words


def test_cli_against_needs_cb_records(tmp_path):
    rep = tmp_path / "memory_report.json"
    rep.write_text(json.dumps([{"loc": "x", "debug_str": "ttnn.add", "l1": {"num_banks": 64,
                                "total_bytes_allocated_per_bank": 0}}]))
    r = runner.invoke(app, ["l1", str(DATA / "matmul.mlir"), "--against", str(rep)])
    assert r.exit_code == 2 and "ttrt memory report" in r.output
    r = runner.invoke(app, ["l1", str(DATA / "matmul.mlir"), "--against", str(tmp_path / "missing.json")])
    assert r.exit_code == 2


@pytest.mark.parametrize("limit", [4_000_000, 0])  # difflib, and the greedy walk of a long middle
def test_align_skips_what_one_side_lacks(monkeypatch, limit):
    from ttdiag.analyze.l1 import against as ag

    monkeypatch.setattr(ag, "_DIFFLIB_LIMIT", limit)
    ir = ["conv2d", "add", "relu", "matmul", "softmax", "add", "relu", "matmul", "add", "relu"]
    cap = ["conv2d", "add", "matmul", "softmax", "add", "typecast", "relu", "matmul", "add", "relu"]
    # the IR's first relu was not captured; the capture's typecast is not in the IR
    assert ag.align(ir, cap) == [(0, 0), (1, 1), (3, 2), (4, 3), (5, 4), (6, 6), (7, 7), (8, 8), (9, 9)]


def test_capture_from_a_larger_grid_is_flagged(corpus):
    # conv2d.json (Blackhole, 11x10) places CBs up to core (10,9): outside Wormhole's 8x8 grid
    r = l1_for_file(str(DATA / "matmul.mlir"), arch="wormhole_b0", against=_capture(corpus, "conv2d.json"))
    assert any("core (10,9), outside wormhole_b0's 8x8 worker grid" in w for w in r.against.warnings)


def test_busiest_core_of_disjoint_ranges(tmp_path):
    # per core, as tt-metal PR #56091: 2,048 + 2,048 B on the 4 cores {[0-0 - 1-1]}, 4,096 B more on (0,0) only,
    # 1,024 B more on (1,1) only -> (0,0) holds 8,192 B, (1,1) 5,120 B: the busiest core is (0,0), whose CBs
    # are compared (the flat sum, 9,216 B, is no core's)
    nodes = _mini([2_048, 2_048])
    at = next(i for i, n in enumerate(nodes) if n["node_type"] == "function_end")
    extra = [_node(0, "circular_buffer_allocate", {"address": 0, "core_range_set": r, "device_id": 0,
                                                   "globally_allocated": "0", "size": s}, 2)
             for r, s in (("{[0-0 - 0-0]}", 4_096), ("{[1-1 - 1-1]}", 1_024))]
    nodes[at:at] = extra
    for i, n in enumerate(nodes):
        n["counter"] = i
    end = next(i for i, n in enumerate(nodes) if n["node_type"] == "function_end")
    nodes[end]["connections"] = [end + 1]
    cap = tmp_path / "mini.json"
    cap.write_text(json.dumps(nodes))
    (p,) = l1_for_file(str(DATA / "matmul.mlir"), against=str(cap)).against.matched
    assert p.recorded_static == 2_048 + 2_048 + 4_096 and p.recorded_cores is None
    assert sorted(c.recorded.bytes for c in p.cbs if c.recorded) == [2_048, 2_048, 4_096]

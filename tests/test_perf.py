"""``ttdiag perf``: ops perf CSV reading (every header era), totals, layout share, conv groups and MACs, --vs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ttdiag.analyze.perf import analyze_perf, layout_category
from ttdiag.cli import app
from ttdiag.parse.perf_csv import (
    detect_csv_format,
    parse_attributes,
    parse_dim,
    read_perf_csv,
)

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parent.parent / "sample_logs" / "ops_perf_depthwise_seed004.csv"

# (relative path, data rows, columns, conv rows) from ../shared/corpus/perf/PROVENANCE.md
CORPUS_FILES = [
    ("tt-perf-report/bh_p100_dlv3.csv", 387, 112, 46),
    ("tt-perf-report/ops_perf_results_2025_09_18_11_39_20.csv", 671, 91, 54),
    ("tt-perf-report/bh_64_clip_encoder_1.csv", 660, 98, 0),
    ("tt-perf-report/bh_8xp150_deepseek_v3_d_p.csv", 208, 139, 0),
    ("tt-perf-report/bh20_oft_integral_image_trace.csv", 27, 74, 0),
    ("ttnn-visualizer/ops_perf_results_2025_02_16_18_11_10.csv", 1179, 89, 18),
    ("tt-forge-fe/ops_perf_results.csv", 6, 72, 0),
    ("tt-mlir/ops_perf_results_2024_08_22_14_49_43.csv", 1, 56, 0),
]

PLAIN_HEADER = ("OP CODE,OP TYPE,GLOBAL CALL COUNT,DEVICE ID,ATTRIBUTES,MATH FIDELITY,CORE COUNT,HOST DURATION [ns],"
                "OP TO OP LATENCY [ns],DEVICE FW DURATION [ns],DEVICE KERNEL DURATION [ns],"
                "INPUT_0_W,INPUT_0_Z,INPUT_0_Y,INPUT_0_X,INPUT_1_W,INPUT_1_Z,INPUT_1_Y,INPUT_1_X")

# device kernel ns: Matmul 1000 + 2000, Tilize 500, InterleavedToSharded 250, Transpose 250 = 4000
SMALL_ROWS = [
    "start,signpost,,,,,,,,,,,,,,,,,",
    "Matmul,tt_dnn_device,1,0,{'transpose_a': 'false'},HiFi2,64,5000,100,1100,1000,1,1,32,64,1,1,64,32",
    "Tilize,tt_dnn_device,2,0,{},,8,800,200,600,500,1,1,32,64,,,,",
    "Matmul,tt_dnn_device,3,0,{},HiFi2,64,6000,300,2100,2000,1,1,32,64,1,1,64,32",
    "InterleavedToShardedDeviceOperation,tt_dnn_device,4,0,{},,64,400,50,300,250,1,1,32,64,,,,",
    "TransposeDeviceOperation,tt_dnn_device,5,0,{},,64,400,50,300,250,1,1,32,64,,,,",
    "(torch) conv2d,python_fallback,,,,,,7000,,,,,,,,,,,",
]


def _write(tmp_path: Path, name: str, header: str, rows: list[str], eol: str = "\n") -> str:
    p = tmp_path / name
    p.write_bytes((eol.join([header, *rows]) + eol).encode())
    return str(p)


def _swc(h: int, w: int, pad: str = "padding=((1; 1); (1; 1)); output_padding = (0; 0)") -> str:
    return (f"'sliding_window_config': 'SlidingWindowConfig(batch_size=1; input_hw=({h};{w}); window_hw=(3;3); "
            f"stride_hw=(1;1); {pad}; dilation_hw=(1;1); num_cores_nhw=8; num_cores_c=1; "
            f"core_range_set_={{[(x=0;y=0) - (x=7;y=0)]}})'")


CONV_HEADER = ("OP CODE,OP TYPE,GLOBAL CALL COUNT,DEVICE ID,ATTRIBUTES,DEVICE KERNEL DURATION [ns],"
               "INPUT_0_W_PAD[LOGICAL],INPUT_0_Z_PAD[LOGICAL],INPUT_0_Y_PAD[LOGICAL],INPUT_0_X_PAD[LOGICAL],"
               "INPUT_1_W_PAD[LOGICAL],INPUT_1_Z_PAD[LOGICAL],INPUT_1_Y_PAD[LOGICAL],INPUT_1_X_PAD[LOGICAL]")
CONV_ROWS = [
    # groups in ATTRIBUTES (Conv2dDeviceOperation era)
    "Conv2dDeviceOperation,tt_dnn_device,1,0,{'groups': '32'; 'input_tensor_shape': '{1; 16; 16; 32}'; "
    "'output_channels': '32'; " + _swc(16, 16) + "},9000,1[1],1[1],256[256],32[32],1[1],1[1],288[288],32[32]",
    # no groups key, in = out = 64 and a dense 576 x 64 weight: a depthwise candidate (older pad_hw form)
    "OptimizedConvNew,tt_dnn_device,2,0,{'input_tensor_shape': '{1; 8; 8; 64}'; 'output_channels': '64'; "
    + _swc(8, 8, "pad_hw=(1;1)") + "},6400,1[1],1[1],64[64],64[64],1[1],1[1],576[576],64[64]",
    # no groups key, 16 -> 32 channels: nothing to say
    "OptimizedConvNew,tt_dnn_device,3,0,{'input_tensor_shape': '{1; 8; 8; 16}'; 'output_channels': '32'; "
    + _swc(8, 8, "pad_hw=(1;1)") + "},1000,1[1],1[1],64[64],16[16],1[1],1[1],160[144],32[32]",
]

IR_DUMP = """module {
  func.func @main(%x: tensor<1x1x64x64xbf16>, %w: tensor<64x1x3x3xbf16>, %dev: !ttnn.device) -> tensor<1x1x64x64xbf16> {
    %y = "ttnn.conv2d"(%x, %w, %dev) <{batch_size = 1 : i32, dilation = array<i32: 1, 1>, groups = 64 : i32, in_channels = 64 : i32, input_height = 8 : i32, input_width = 8 : i32, kernel_size = array<i32: 3, 3>, out_channels = 64 : i32, padding = array<i32: 1, 1>, stride = array<i32: 1, 1>}> : (tensor<1x1x64x64xbf16>, tensor<64x1x3x3xbf16>, !ttnn.device) -> tensor<1x1x64x64xbf16>
    return %y : tensor<1x1x64x64xbf16>
  }
}
"""


# ------------------------------------------------------------------------------------------------
# parsing
# ------------------------------------------------------------------------------------------------

def test_pad_logical_cell():
    assert parse_dim("448[147]") == (448, 147)
    assert parse_dim("1056[1024]") == (1056, 1024)
    assert parse_dim("64") == (64, 64)
    assert parse_dim("") is None and parse_dim("n/a") is None


def test_header_detection_one_place():
    old = detect_csv_format(PLAIN_HEADER.split(","))
    assert old.shape_style == "plain" and old.n_inputs == 2 and old.n_outputs == 0
    assert old.fields["device_kernel_ns"] == "DEVICE KERNEL DURATION [ns]"
    new = detect_csv_format(CONV_HEADER.split(","))
    assert new.shape_style == "pad_logical"
    assert new.tensor_columns["INPUT_1"]["Y"] == "INPUT_1_Y_PAD[LOGICAL]"
    with pytest.raises(ValueError, match="OP CODE"):
        detect_csv_format(["foo", "bar"])


def test_attributes_nested_configs():
    text = ("{'activation': 'BasicUnaryWithParam<float>(op_type=UnaryOpType::RELU;param={})'; "
            "'compute_kernel_config': 'WormholeComputeKernelConfig(math_fidelity=LoFi;math_approx_mode=1)'; "
            "'groups': '1'; 'input_tensor_shape': '{1; 512; 1024; 3}'; 'output_channels': '64'; "
            "'memory_config': 'MemoryConfig(memory_layout=TensorMemoryLayout::HEIGHT_SHARDED;shard_spec=ShardSpec("
            "grid={[(x=0;y=0) - (x=10;y=9)]};shape={1216; 64}))'; "
            "'sliding_window_config': 'SlidingWindowConfig(batch_size=1; input_hw=(512;1024); window_hw=(3;3); "
            "stride_hw=(2;2); padding=((1; 1); (1; 0)); output_padding = (0; 0); dilation_hw=(12;12); "
            "is_transpose=false)'}")
    a = parse_attributes(text)
    assert a["groups"] == 1 and a["output_channels"] == 64
    assert a["input_tensor_shape"] == [1, 512, 1024, 3]
    assert a["compute_kernel_config"] == {"__type__": "WormholeComputeKernelConfig", "math_fidelity": "LoFi",
                                          "math_approx_mode": 1}
    swc = a["sliding_window_config"]
    assert swc["__type__"] == "SlidingWindowConfig"
    assert swc["window_hw"] == (3, 3) and swc["stride_hw"] == (2, 2) and swc["dilation_hw"] == (12, 12)
    assert swc["padding"] == ((1, 1), (1, 0)) and swc["output_padding"] == (0, 0)
    assert swc["is_transpose"] == "false"
    assert a["memory_config"]["shard_spec"]["shape"] == [1216, 64]
    assert a["activation"]["op_type"] == "UnaryOpType::RELU"
    assert parse_attributes("") == {} and parse_attributes("not a dict") == {}


def test_crlf_and_lf_read_the_same(tmp_path):
    lf = read_perf_csv(_write(tmp_path, "lf.csv", PLAIN_HEADER, SMALL_ROWS))
    crlf = read_perf_csv(_write(tmp_path, "crlf.csv", PLAIN_HEADER, SMALL_ROWS, eol="\r\n"))
    assert len(crlf.rows) == len(lf.rows) == 7
    for a, b in zip(lf.rows, crlf.rows):
        assert (a.op_code, a.op_type, a.device_kernel_ns, a.inputs) == (b.op_code, b.op_type, b.device_kernel_ns, b.inputs)
    assert crlf.rows[-1].host_ns == 7000.0  # last cell of a CRLF line is not polluted by '\r'
    assert crlf.rows[1].inputs[1].padded == (1, 1, 64, 32)
    assert analyze_perf(str(tmp_path / "crlf.csv")).total_device_kernel_ns == 4000


# ------------------------------------------------------------------------------------------------
# totals, shares, layout conversion
# ------------------------------------------------------------------------------------------------

def test_small_csv_totals_by_hand(tmp_path):
    r = analyze_perf(_write(tmp_path, "small.csv", PLAIN_HEADER, SMALL_ROWS))
    assert r.rows == 7 and r.device_rows == 5 and r.signposts == 1 and r.python_fallback == 1
    assert r.total_device_kernel_ns == 4000
    by = r.by_op_code.set_index("op_code")
    assert by.index[0] == "Matmul"
    assert by.loc["Matmul", "count"] == 2 and by.loc["Matmul", "device_kernel_ns"] == 3000
    assert by.loc["Matmul", "share"] == pytest.approx(0.75)
    assert by.loc["Tilize", "share"] == pytest.approx(0.125)
    assert by.loc["InterleavedToShardedDeviceOperation", "share"] == pytest.approx(0.0625)
    # tilize 500 + interleaved->sharded 250 + transpose 250 = 1000 of 4000
    assert r.layout_conversion_share == pytest.approx(0.25)
    assert r.layout_ns["tilize"] == 500 and r.layout_ns["interleaved_sharded"] == 250
    assert r.layout_ns["transpose_permute"] == 250 and r.compute_ns == 3000
    assert r.op_to_op_gap_ns == 700 and r.max_op_to_op_gap_ns == 300
    assert r.host_ns == 5000 + 800 + 6000 + 400 + 400 + 7000 and r.fallback_host_ns == 7000
    assert r.device_fw_ns == 1100 + 600 + 2100 + 300 + 300
    assert list(r.devices["device_id"]) == [0] and r.devices["device_kernel_ns"].iloc[0] == 4000

    res = runner.invoke(app, ["perf", str(tmp_path / "small.csv"), "--format", "json", "--top", "2"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    for k in ("schema", "total_device_kernel_ns", "by_op_code", "layout_conversion_share", "convs", "top_ops",
              "devices", "host_ns", "op_to_op_gap_ns"):
        assert k in d
    assert d["schema"] == "ttdiag.perf/1"
    assert d["total_device_kernel_ns"] == 4000
    assert d["by_op_code"][0] == {"op_code": "Matmul", "count": 2, "device_kernel_ns": 3000, "share": 0.75}
    assert [o["device_kernel_ns"] for o in d["top_ops"]] == [2000, 1000]
    assert d["top_ops"][0]["share"] == 0.5 and d["top_ops"][0]["line"] == 5
    assert d["layout_conversion_share"] == 0.25
    assert d["convs"] == []


def test_layout_categories():
    assert layout_category("TilizeWithValPaddingDeviceOperation") == "tilize"
    assert layout_category("UntilizeWithUnpadding") == "untilize"
    assert layout_category("ShardedToInterleavedDeviceOperation") == "interleaved_sharded"
    assert layout_category("ReshardDeviceOperation") == "interleaved_sharded"
    assert layout_category("PermuteDeviceOperation") == "transpose_permute"
    assert layout_category("Pad") == "pad"
    assert layout_category("PaddedSliceDeviceOperation") is None
    assert layout_category("Matmul") is None


# ------------------------------------------------------------------------------------------------
# convs: groups from attributes / --ir / suspected
# ------------------------------------------------------------------------------------------------

def test_conv_groups_sources(tmp_path):
    csv = _write(tmp_path, "convs.csv", CONV_HEADER, CONV_ROWS, eol="\r\n")
    r = analyze_perf(csv)
    a, b, c = r.convs
    # groups from ATTRIBUTES: 1x16x16x32 -> 32, 3x3 s1 p1 -> 16x16 out
    assert (a.groups, a.groups_source, a.expansion_factor) == (32, "attributes", 32)
    assert a.kernel == (3, 3) and a.stride == (1, 1) and a.padding == (1, 1, 1, 1) and a.output_hw == (16, 16)
    assert a.executed_macs == 16 * 16 * 32 * 32 * 9 and a.useful_macs == 16 * 16 * 32 * 9
    assert a.ideal_ns == pytest.approx(9000 / 32)
    # pad_hw form, no groups key, dense 576 x 64 weight: suspected, never certain
    assert (b.groups, b.groups_source) == (64, "suspected") and b.padding == (1, 1, 1, 1)
    assert b.weight_shape == (576, 64) and any("suspected" in n for n in b.notes)
    assert (c.groups, c.groups_source, c.useful_macs) == (None, "unknown", None)
    assert c.weight_shape == (144, 32) and c.executed_macs == 8 * 8 * 32 * 16 * 9
    assert r.waste(("attributes", "ir"))["convs"] == 1 and r.waste(("suspected",))["convs"] == 1

    dump = tmp_path / "d.mlir"
    dump.write_text(IR_DUMP)
    r2 = analyze_perf(csv, ir=str(dump))
    b2 = r2.convs[1]
    assert (b2.groups, b2.groups_source, b2.expansion_factor) == (64, "ir", 64)
    assert b2.executed_macs == 8 * 8 * 64 * 64 * 9 and b2.useful_macs == 8 * 8 * 64 * 9
    assert b2.ideal_ns == pytest.approx(6400 / 64) and b2.wasted_ns == pytest.approx(6300)
    assert r2.convs[0].groups_source == "attributes" and r2.convs[2].groups_source == "unknown"

    res = runner.invoke(app, ["perf", csv, "--ir", str(dump), "--format", "json"])
    assert res.exit_code == 0, res.output
    convs = json.loads(res.stdout)["convs"]
    assert [x["groups_source"] for x in convs] == ["attributes", "ir", "unknown"]
    for x in convs:
        for k in ("groups", "groups_source", "expansion_factor", "useful_macs", "executed_macs", "device_kernel_ns"):
            assert k in x
    assert convs[1]["expansion_factor"] == 64 and convs[1]["useful_macs"] == 36864


def test_seed004_sample_by_hand():
    r = analyze_perf(str(SAMPLE))
    assert len(r.convs) == 6 and all(c.groups_source == "attributes" for c in r.convs)
    assert r.total_device_kernel_ns == 171_009_000 + 137_788_000 + 126_492_000 + 18_451_000 + 232_140_000 + 181_828_000
    op14 = r.convs[0]  # MobileNetV2 op 14: 10x56x56, 144 channels, 3x3 s1 p1 depthwise, 171.009 ms
    assert (op14.batch, op14.input_hw, op14.in_channels, op14.out_channels) == (10, (56, 56), 144, 144)
    assert op14.groups == 144 and op14.expansion_factor == 144 and op14.output_hw == (56, 56)
    # executed = N*Ho*Wo*C_out*C_in*kh*kw = 10*56*56*144*144*9; useful = that / 144
    assert op14.executed_macs == 5_852_528_640
    assert op14.useful_macs == 40_642_560
    assert op14.ideal_ns == pytest.approx(171_009_000 / 144)  # 1,187,562.5 ns
    assert op14.weight_shape == (1296, 144)
    yolo = r.convs[4]  # YOLOv10 op 66: 1x80x80, 320 channels, 232.140 ms
    assert yolo.executed_macs == 80 * 80 * 320 * 320 * 9 and yolo.useful_macs == 80 * 80 * 320 * 9
    w = r.waste(("attributes", "ir"))
    ideal = sum(ns / g for ns, g in ((171_009_000, 144), (137_788_000, 576), (126_492_000, 960),
                                     (18_451_000, 112), (232_140_000, 320), (181_828_000, 640)))
    assert w["convs"] == 6 and w["ideal_ns"] == pytest.approx(ideal)
    assert w["wasted_share_of_total"] == pytest.approx(1 - ideal / r.total_device_kernel_ns)


# ------------------------------------------------------------------------------------------------
# --vs
# ------------------------------------------------------------------------------------------------

def test_vs_speedups(tmp_path):
    a = _write(tmp_path, "a.csv", PLAIN_HEADER, SMALL_ROWS)
    rows_b = [r.replace(",1000,1,1,32,64,1,1,64,32", ",500,1,1,32,64,1,1,64,32")
               .replace(",2000,1,1,32,64,1,1,64,32", ",1000,1,1,32,64,1,1,64,32")
               .replace("Tilize,tt_dnn_device,2,0,{},,8,800,200,600,500,", "Tilize,tt_dnn_device,2,0,{},,8,800,200,600,1000,")
              for r in SMALL_ROWS]
    b = _write(tmp_path, "b.csv", PLAIN_HEADER, rows_b)
    r = analyze_perf(a, vs=b)
    v = r.vs
    assert v.other_total_ns == 500 + 1000 + 1000 + 250 + 250
    assert v.speedup == pytest.approx(3000 / 4000)
    sp = v.by_op_code.set_index("op_code")["speedup"]
    assert sp["Matmul"] == pytest.approx(0.5)  # other run 1500 ns / this run 3000 ns
    assert sp["Tilize"] == pytest.approx(2.0)
    assert sp["TransposeDeviceOperation"] == pytest.approx(1.0)
    ops = v.ops[v.ops["op_code"] == "Matmul"].sort_values("occurrence")
    assert list(ops["speedup"]) == [pytest.approx(0.5), pytest.approx(0.5)]
    res = runner.invoke(app, ["perf", a, "--vs", b, "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)["vs"]
    assert d["speedup"] == 0.75
    assert {x["op_code"]: x["speedup"] for x in d["by_op_code"]}["Tilize"] == 2.0
    res = runner.invoke(app, ["perf", a, "--vs", b])
    assert res.exit_code == 0 and "speedup" in res.stdout


def test_vs_warns_when_the_op_mix_differs(tmp_path):
    a = _write(tmp_path, "a.csv", PLAIN_HEADER, SMALL_ROWS)  # Matmul 2, Tilize 1, InterleavedToSharded 1, Transpose 1
    conv = "Conv2dDeviceOperation,tt_dnn_device,9,0,{},HiFi2,64,5000,100,1100,3000,1,1,32,64,1,1,64,32"
    rows_b = [SMALL_ROWS[1], SMALL_ROWS[3], SMALL_ROWS[2], SMALL_ROWS[2], conv, conv, conv]  # Matmul 2, Tilize 2, Conv 3
    b = _write(tmp_path, "b.csv", PLAIN_HEADER, rows_b)
    # |differences|: Conv2d 0 vs 3 -> 3; InterleavedToSharded 1 vs 0, Tilize 1 vs 2, Transpose 1 vs 0 -> 1 each
    want = ("op mix differs (ops here vs there): Conv2dDeviceOperation 0 vs 3, InterleavedToShardedDeviceOperation "
            "1 vs 0, Tilize 1 vs 2 and 1 more op code; the speedup compares different work")
    assert analyze_perf(a, vs=b).warnings == [want]
    res = runner.invoke(app, ["perf", a, "--vs", b, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["warnings"] == [want]
    res = runner.invoke(app, ["perf", a, "--vs", b])
    assert res.exit_code == 0 and "op mix differs" in res.stdout
    # one difference, named alone
    rows_c = [r for r in SMALL_ROWS if not r.startswith("TransposeDeviceOperation")]
    c = _write(tmp_path, "c.csv", PLAIN_HEADER, rows_c)
    assert analyze_perf(a, vs=c).warnings == [
        "op mix differs (ops here vs there): TransposeDeviceOperation 1 vs 0; the speedup compares different work"]
    # the same op mix, other durations: no warning
    assert analyze_perf(a, vs=_write(tmp_path, "d.csv", PLAIN_HEADER, [r.replace(",1000,", ",900,")
                                                                     for r in SMALL_ROWS])).warnings == []


# ------------------------------------------------------------------------------------------------
# CLI behaviour
# ------------------------------------------------------------------------------------------------

def test_cli_text_and_bad_inputs(tmp_path):
    res = runner.invoke(app, ["perf", str(SAMPLE), "--top", "3"])
    assert res.exit_code == 0, res.output
    assert "Conv2dDeviceOperation" in res.stdout and "Grouped/depthwise convs (confirmed)" in res.stdout
    assert runner.invoke(app, ["perf", str(tmp_path / "missing.csv")]).exit_code == 2
    assert runner.invoke(app, ["perf", str(tmp_path)]).exit_code == 2
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b,c\n1,2,3\n")
    res = runner.invoke(app, ["perf", str(junk)])
    assert res.exit_code == 2 and "not an ops perf CSV" in res.output
    assert runner.invoke(app, ["perf", str(SAMPLE), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["perf", str(SAMPLE), "--ir", str(tmp_path / "nope.mlir")]).exit_code == 2


# ------------------------------------------------------------------------------------------------
# bad input: one line on stderr naming the problem, exit 2, never "internal error" or "ValueError:"
# ------------------------------------------------------------------------------------------------

def _one_line_error(args: list[str]) -> str:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("ttdiag: error: ") and "internal error" not in err and "Error:" not in err, err
    assert "Traceback" not in res.output
    return err.removeprefix("ttdiag: error: ")


def test_huge_field_is_a_one_line_error(tmp_path):
    # header on line 1; rows on lines 2-4; line 5's ATTRIBUTES cell holds 131,073 characters
    rows = ["Matmul,tt_dnn_device,1000,{}"] * 3 + ["Matmul,tt_dnn_device,1000,\"" + "x" * 131_073 + "\""]
    csv = _write(tmp_path, "t.csv", "OP CODE,OP TYPE,DEVICE KERNEL DURATION [ns],ATTRIBUTES", rows)
    assert _one_line_error(["perf", csv]) == f"{csv}: line 5: a field is longer than 131,072 characters"
    # the same in the --vs file names that file
    ok = _write(tmp_path, "ok.csv", PLAIN_HEADER, SMALL_ROWS)
    assert _one_line_error(["perf", ok, "--vs", csv]) == f"{csv}: line 5: a field is longer than 131,072 characters"


def _gzip_header() -> bytes:
    # magic, deflate, no flags, mtime 0, no extra flags, OS unix
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"


def test_corrupt_gzip_is_a_one_line_error(tmp_path):
    bad = tmp_path / "t.gz"
    bad.write_bytes(_gzip_header() + b"\xff" * 64)  # block type 3: reserved, invalid deflate data
    assert _one_line_error(["perf", str(bad)]) == f"{bad}: not valid gzip data (invalid block type)"
    # intact deflate data but a wrong CRC-32 in the trailer
    import gzip

    data = bytearray(gzip.compress((PLAIN_HEADER + "\n" + "\n".join(SMALL_ROWS) + "\n").encode(), mtime=0))
    data[-8] ^= 0xFF
    crc = tmp_path / "crc.gz"
    crc.write_bytes(bytes(data))
    assert _one_line_error(["perf", str(crc)]) == f"{crc}: not valid gzip data (incorrect data check)"


def _cut_gzip(text: str) -> bytes:
    """A gzip stream that decompresses to exactly ``text`` (a sync flush after it), then stops: no final
    block, no trailer."""
    import zlib

    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(text.encode()) + c.flush(zlib.Z_SYNC_FLUSH)


def test_truncated_gzip_analyses_the_rows_before_the_cut(tmp_path):
    # the stream ends inside the 4th data row: the header and 3 whole rows decompress, the half row is dropped
    head = PLAIN_HEADER + "\n" + "\n".join(SMALL_ROWS[:3]) + "\n" + SMALL_ROWS[3][:20]
    t = tmp_path / "t.gz"
    t.write_bytes(_cut_gzip(head))
    r = analyze_perf(str(t))
    assert r.rows == 3 and r.device_rows == 2  # signpost, Matmul 1000 ns, Tilize 500 ns
    assert r.total_device_kernel_ns == 1500
    assert r.warnings == ["input truncated: gzip stream ends after 4 lines"]
    res = runner.invoke(app, ["perf", str(t), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["warnings"] == ["input truncated: gzip stream ends after 4 lines"]


def test_truncated_gzip_inside_the_header_is_a_one_line_error(tmp_path):
    # `gzip -c sample.csv | head -c 300`: 300 bytes decompress to part of the 3,101-character header
    import gzip

    t = tmp_path / "t.gz"
    t.write_bytes(gzip.compress(SAMPLE.read_bytes(), mtime=0)[:300])
    assert _one_line_error(["perf", str(t)]) == f"{t}: gzip stream ends early (truncated) inside the CSV header"


def test_not_a_perf_csv_and_empty_file_are_input_errors(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b,c\n1,2,3\n")
    assert _one_line_error(["perf", str(junk)]) == (
        f"{junk}: not an ops perf CSV: missing column(s) OP CODE, OP TYPE, DEVICE KERNEL DURATION [ns]")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert _one_line_error(["perf", str(empty)]) == f"{empty}: empty file"
    ok = _write(tmp_path, "ok.csv", PLAIN_HEADER, SMALL_ROWS)
    assert _one_line_error(["perf", ok, "--vs", str(empty)]) == f"{empty}: empty file"


def test_bad_numbers_count_as_empty(tmp_path):
    rows = list(SMALL_ROWS)
    rows[1] = rows[1].replace("Matmul,tt_dnn_device,1,", "Matmul,tt_dnn_device,inf,")       # call count
    rows[2] = rows[2].replace(",600,500,", ",600,-500,")                                    # kernel ns
    rows[3] = rows[3].replace("Matmul,tt_dnn_device,3,0,", "Matmul,tt_dnn_device,3,1e400,")  # device id
    csv = _write(tmp_path, "bad.csv", PLAIN_HEADER, rows)
    r = analyze_perf(csv)
    # Matmul 1000 + Tilize (no duration) + Matmul 2000 + InterleavedToSharded 250 + Transpose 250
    assert r.total_device_kernel_ns == 3500 and r.missing_device_ns == 1
    assert r.warnings == ["3 numeric cells are not finite numbers ≥ 0 and count as empty",
                          "1 device op(s) have no DEVICE KERNEL DURATION (counted as 0 ns)"]
    res = runner.invoke(app, ["perf", csv])
    assert res.exit_code == 0, res.output


def test_no_device_ids_at_all(tmp_path):
    rows = [r.replace(f"tt_dnn_device,{i},0,", f"tt_dnn_device,{i},,") for i, r in enumerate(SMALL_ROWS)]
    csv = _write(tmp_path, "noid.csv", PLAIN_HEADER, rows)
    res = runner.invoke(app, ["perf", csv])
    assert res.exit_code == 0, res.output
    assert "Matmul" in res.stdout
    d = json.loads(runner.invoke(app, ["perf", csv, "--format", "json"]).stdout)
    assert d["devices"] == [{"device_id": None, "ops": 5, "device_kernel_ns": 4000, "op_to_op_gap_ns": 700,
                             "share": 1.0}]
    assert {o["device_id"] for o in d["top_ops"]} == {None}


def test_op_codes_are_not_rich_markup(tmp_path):
    csv = _write(tmp_path, "mk.csv", "OP CODE,OP TYPE,DEVICE KERNEL DURATION [ns]",
                 ["[/bold]x,tt_dnn_device,300", "[red]Conv2d,tt_dnn_device,100"])
    res = runner.invoke(app, ["perf", csv, "--vs", csv])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    # each op code printed as written: in the op-code, op and --vs tables (and the conv table for the conv)
    assert res.stdout.count("[/bold]x") == 3 and res.stdout.count("[red]Conv2d") == 4


def test_bad_conv_attributes_leave_figures_unknown(tmp_path):
    rows = [CONV_ROWS[0].replace("stride_hw=(1;1)", "stride_hw=(0;0)"),
            CONV_ROWS[0].replace("'groups': '32'", "'groups': '" + "9" * 5000 + "'"),
            CONV_ROWS[0].replace("'groups': '32'", "'groups': '0'"),
            CONV_ROWS[0].replace("window_hw=(3;3)", "window_hw=(-3;3)"),
            CONV_ROWS[0].replace("'output_channels': '32'", "'output_channels': '" + "9" * 5000 + "'")]
    csv = _write(tmp_path, "c.csv", CONV_HEADER, rows)
    r = analyze_perf(csv)
    stride0, huge_groups, zero_groups, neg_kernel, huge_cout = r.convs
    assert stride0.stride is None and stride0.output_hw is None and stride0.executed_macs is None
    # the groups text is ignored; 32 -> 32 channels with a dense 288 x 32 weight: suspected depthwise
    assert (huge_groups.groups, huge_groups.groups_source) == (32, "suspected")
    assert (zero_groups.groups, zero_groups.groups_source) == (32, "suspected")
    assert neg_kernel.kernel is None and neg_kernel.executed_macs is None
    assert huge_cout.out_channels is None and huge_cout.executed_macs is None
    assert r.waste(("attributes", "ir"))["convs"] == 0
    res = runner.invoke(app, ["perf", csv, "--format", "json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["perf", csv])
    assert res.exit_code == 0, res.output
    assert "None" not in res.stdout
    assert "1×16×16×32" in res.stdout and "3x3/?/1x1" in res.stdout and "?/1x1/1x1" in res.stdout  # stride 0, kernel -3


def test_a_rendering_bug_is_still_one_line(tmp_path, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("boom")

    for fmt, target in (("text", "ttdiag.report.perf_text.render"), ("json", "ttdiag.report.perf_json.render")):
        monkeypatch.setattr(target, boom)
        res = runner.invoke(app, ["perf", str(SAMPLE), "--format", fmt])
        assert res.exit_code == 2 and res.stderr.count("\n") == 1 and "boom" in res.stderr
        assert res.exception is None or isinstance(res.exception, SystemExit)


def test_plot_help_names_the_extra(tmp_path, monkeypatch):
    res = runner.invoke(app, ["perf", "--help"])
    assert res.exit_code == 0
    assert "pip install ttdiag[plot]" in " ".join(res.stdout.replace("│", " ").split())  # rich ate "[plot]"
    monkeypatch.setattr("ttdiag.report.perf_plot.have_matplotlib", lambda: False)
    res = runner.invoke(app, ["perf", str(SAMPLE), "--plot", str(tmp_path / "p.png")])
    assert res.exit_code == 2 and res.stderr == "ttdiag: error: --plot needs matplotlib: pip install ttdiag[plot]\n"


def test_plot_needs_matplotlib(tmp_path):
    from ttdiag.report.perf_plot import have_matplotlib

    out = tmp_path / "p.png"
    res = runner.invoke(app, ["perf", str(SAMPLE), "--plot", str(out)])
    if have_matplotlib():
        assert res.exit_code == 0, res.output
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert res.exit_code == 2 and "pip install ttdiag[plot]" in res.output
        assert not out.exists()


# ------------------------------------------------------------------------------------------------
# the real corpus
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rel,rows,cols,convs", CORPUS_FILES)
def test_corpus_csv_loads(corpus, rel, rows, cols, convs):
    path = corpus / "perf" / rel
    if not path.exists():
        pytest.skip(f"{rel} not in the corpus")
    t = read_perf_csv(str(path))
    assert len(t.rows) == rows and t.format.columns == cols and not t.warnings
    r = analyze_perf(str(path))
    assert len(r.convs) == convs
    assert all(c.kernel and c.stride and c.padding and c.in_channels and c.out_channels for c in r.convs)
    assert r.by_op_code["share"].sum() == pytest.approx(1.0) or r.total_device_kernel_ns == 0
    res = runner.invoke(app, ["perf", str(path), "--format", "json", "--top", "5"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["schema"] == "ttdiag.perf/1"


def test_corpus_figures(corpus):
    perf = corpus / "perf"
    if not (perf / "tt-perf-report" / "bh_p100_dlv3.csv").exists():
        pytest.skip("perf corpus absent")
    dl = analyze_perf(str(perf / "tt-perf-report" / "bh_p100_dlv3.csv"))
    assert all(c.groups == 1 and c.groups_source == "attributes" for c in dl.convs)
    first = dl.convs[0]  # the ATTRIBUTES example row of PROVENANCE.md
    assert first.device_kernel_ns == 40804 and first.input_hw == (512, 1024) and first.in_channels == 3
    assert first.out_channels == 64 and first.stride == (2, 2) and first.weight_shape == (27, 64)
    assert {c.dilation for c in dl.convs} >= {(12, 12), (6, 6), (18, 18)}
    oft = read_perf_csv(str(perf / "tt-perf-report" / "ops_perf_results_2025_09_18_11_39_20.csv"))
    w = next(r for r in oft.rows if r.op_code == "OptimizedConvNew").inputs[1]
    assert w.padded == (1, 1, 448, 64) and w.logical == (1, 1, 147, 64)
    ds = analyze_perf(str(perf / "tt-perf-report" / "bh_8xp150_deepseek_v3_d_p.csv"))
    assert list(ds.devices["device_id"]) == list(range(8)) and set(ds.devices["ops"]) == {26}
    seg = analyze_perf(str(perf / "ttnn-visualizer" / "ops_perf_results_2025_02_16_18_11_10.csv"))
    assert seg.python_fallback == 781
    mixffn = [c for c in seg.convs if c.kernel == (3, 3) and c.stride == (1, 1)]
    assert len(mixffn) == 8 and all(c.groups_source == "suspected" for c in mixffn)
    assert sorted({c.in_channels for c in mixffn}) == [128, 256, 640, 1024]
    mlir = analyze_perf(str(perf / "tt-mlir" / "ops_perf_results_2024_08_22_14_49_43.csv"))
    assert mlir.total_device_kernel_ns == 0 and mlir.missing_device_ns == 1

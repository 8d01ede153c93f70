"""The speed paths of the dump parser give exactly what the plain paths give.

``parse_statement_cached`` masks SSA names and custom-op symbols, splits the loc off and reuses a
cached parse; ``_parse_loc`` decodes simple locs by regex; the L1 / inspect JSON is streamed one op per
line. Each is checked against the slow path on hand-picked statements and on every statement of the
corpus.
"""

from __future__ import annotations

import gc
import json
import os

import pytest

from ttdiag.gc_pause import paused_gc
from ttdiag.ir.loc import decode_loc
from ttdiag.parse.mlir import (
    MLIRSyntaxError,
    parse_mlir,
    parse_statement,
    parse_statement_cached,
    scan_statements,
)
from ttdiag.report.common import dumps, iter_json_listing

STATEMENTS = [
    # generic ops: multi-result, repeated operand, no result, inline layouts, every loc form
    '%0:2 = "ttnn.split"(%arg0) <{dim = 1 : i32}> : (tensor<2x4xbf16>) -> (tensor<2x2xbf16>, tensor<2x2xbf16>) loc(#loc3)',
    '%5 = "ttnn.add"(%4, %4) : (tensor<32x32xbf16>, tensor<32x32xbf16>) -> tensor<32x32xbf16> loc("3|Mod[a.b]|/x.py:1|f|2|aten__add")',
    '"ttnn.deallocate"(%9) <{force = false}> : (tensor<4x4884480xbf16>) -> () loc(unknown)',
    '%1 = "ttnn.relu"(%0) : (tensor<1xf32>) -> tensor<1xf32> loc("conv"("m.py":12:3))',
    '%1 = "ttnn.relu"(%0) : (tensor<1xf32>) -> tensor<1xf32> loc(callsite("a" at "b"))',
    '%1 = "ttnn.relu"(%0) : (tensor<1xf32>) -> tensor<1xf32>',
    '%2 = "ttcore.load_cached"(%arg0, %arg1) <{callee = @main_const_eval_0}> : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>',
    # a string holding '%' or '@' is not masked
    '%3 = "ttnn.x"(%2) <{note = "50% of @main"}> : (tensor<1xf32>) -> tensor<1xf32> loc("l")',
    # custom forms: symbols masked and restored, the region placeholder kept
    'func.func @block_7(%arg0: tensor<1x768xbf16, #ttnn_layout0>, %arg1: tensor<8xf32>) -> tensor<192x256xbf16, #l7> @@REGION@@',
    'func.func private @main_const_eval_3(%arg0: tensor<1xf32>) -> tensor<1xf32> attributes {const_eval} @@REGION@@',
    'return %7, %arg0 : tensor<1xf32>, tensor<2xf32>',
    'func.return %v0 : tensor<1xf32>',
    'module @SyncTensorsGraph.42 attributes {ttcore.system_desc = #system_desc} @@REGION@@',
    '%1 = "ttnn.relu"(%0) : (tensor<1xf32>) -> tensor<1xf32> loc("conv"(#loc7))',
    '%1 = "ttnn.relu"(%0) : (tensor<1xf32>) -> tensor<1xf32> loc("m.py":12:3)',
    '%1 = "ttnn.relu"(%0) : (tensor<1xf32>) -> tensor<1xf32> loc(fused[#loc1, #loc2])',
    '%1 = "ttnn.relu"(%0) : (tensor<1xf32>) -> tensor<1xf32> loc("a \\"quoted\\" (name)")',
    # loc alias definitions, as a dump with debug info ends with
    '#loc12 = loc("3|Conv3d[decoder.conv_in]|/m.py:1|forward|2|aten__convolution")',
    '#loc13 = loc("relu"(#loc2))',
    '#loc14 = loc("x"("m.py":4:5))',
    '#loc15 = loc(unknown)',
    '#loc16 = loc(fused[#loc1, #loc2])',
    # names that look like masks
    '%v1 = "ttnn.neg"(%v0) : (tensor<1xf32>) -> tensor<1xf32> loc("x")',
    'func.func @s0(%v1: tensor<1xf32>) -> tensor<1xf32> @@REGION@@',
]


@pytest.mark.parametrize("text", STATEMENTS)
def test_cached_parse_equals_plain_parse(text):
    # twice: the second call is a cache hit with the names put back
    assert parse_statement_cached(text) == parse_statement(text)
    assert parse_statement_cached(text) == parse_statement(text)


def test_cache_hits_keep_their_own_names():
    a = parse_statement_cached('%10 = "ttnn.silu"(%9) : (tensor<1xf32>) -> tensor<1xf32> loc("a")')
    b = parse_statement_cached('%77 = "ttnn.silu"(%arg3) : (tensor<1xf32>) -> tensor<1xf32> loc("b")')
    assert (a.results, a.operands) == (["%10"], ["%9"])
    assert (b.results, b.operands) == (["%77"], ["%arg3"])
    assert a.type_items is b.type_items  # one parse, shared
    f = parse_statement_cached("func.func @block_1(%arg0: tensor<1xf32>) -> tensor<1xf32> @@REGION@@")
    g = parse_statement_cached("func.func @block_2(%arg9: tensor<1xf32>) -> tensor<1xf32> @@REGION@@")
    assert "@block_1" in str(f.body) and "%arg0" in str(f.body)
    assert "@block_2" in str(g.body) and "%arg9" in str(g.body) and "@block_1" not in str(g.body)


def test_cached_parse_raises_like_plain_parse():
    bad = '%1 = "ttnn.relu"(%0) : (tensor<1xf32> -> loc("x")'
    with pytest.raises(MLIRSyntaxError):
        parse_statement(bad)
    with pytest.raises(MLIRSyntaxError):
        parse_statement_cached(bad)


def test_simple_loc_decodes_like_the_general_rule():
    raw = parse_statement_cached('%0 = "ttnn.relu"(%1) : (tensor<1xf32>) -> tensor<1xf32> '
                                 'loc("12|MochiResnetBlock3D[decoder.up_blocks.0.resnets.1]|/m/a.py:137|forward|141|aten__silu")')
    loc = decode_loc(raw.loc)
    assert loc.raw.startswith('loc("12|Mochi') and loc.name.endswith("aten__silu")
    assert loc.py.op_index == 12 and loc.py.module_path == "decoder.up_blocks.0.resnets.1"
    assert (loc.py.source_file, loc.py.source_line, loc.py.op_line, loc.py.aten_op) == ("/m/a.py", 137, 141, "aten::silu")


def test_every_corpus_statement_parses_the_same_cached(corpus):
    checked = 0
    for path in sorted(corpus.rglob("*.mlir")):
        stmts, _ = scan_statements(path.read_text(encoding="utf-8", errors="replace").splitlines())
        todo = list(stmts)
        while todo:
            s = todo.pop()
            todo.extend(x for region in s.regions for x in region)
            try:
                plain = parse_statement(s.text)
            except MLIRSyntaxError:
                continue
            assert parse_statement_cached(s.text) == plain, (path.name, s.line)
            checked += 1
    assert checked > 3000


def test_json_listing_is_the_same_object_as_dumps():
    obj = {"schema": "x/1", "ops": [{"b": 1, "a": [1, 2]}, {"c": None}], "empty": [], "warnings": ["w"],
           "nested": {"z": 1, "y": [1]}}
    text = "".join(iter_json_listing({**obj, "ops": iter(obj["ops"]), "empty": iter(())}, ("ops", "empty")))
    assert json.loads(text) == json.loads(dumps(obj))
    lines = text.splitlines()
    assert '    {"a": [1, 2], "b": 1},' in lines  # one element per line, sorted keys
    assert '  "empty": [],' in lines


def test_paused_gc_restores_the_collector():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with paused_gc():
            raise RuntimeError
    assert gc.isenabled()


def test_parse_mlir_leaves_the_collector_on():
    m = parse_mlir('func.func @f(%arg0: tensor<1xf32>) -> tensor<1xf32> {\n  return %arg0 : tensor<1xf32>\n}\n')
    assert gc.isenabled() and [p.name for p in m.programs] == ["f"]


def _fresh_parser(monkeypatch, **env):
    from ttdiag.parse import grammar

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(grammar, "_PARSERS", {})
    return grammar


def test_grammar_cache_is_written_reused_and_survives_damage(tmp_path, monkeypatch):
    cache_dir = tmp_path / "c"
    g = _fresh_parser(monkeypatch, TTDIAG_CACHE_DIR=str(cache_dir))
    path = g.cache_file("mlir.lark")
    assert path and path.startswith(str(cache_dir)) and oct(cache_dir.stat().st_mode & 0o777) == "0o700"
    stmt = '%1 = "ttnn.relu"(%0) : (tensor<1xf32>) -> tensor<1xf32>'
    first = g.lalr_parser("mlir.lark").parse(stmt)
    assert os.path.getsize(path) > 10_000
    with open(path, "r+b") as f:  # damage it: lark rebuilds and parses the same
        f.seek(100)
        f.write(b"\x00garbage" * 100)
    g = _fresh_parser(monkeypatch)
    assert g.lalr_parser("mlir.lark").parse(stmt) == first


def test_grammar_cache_never_read_from_a_shared_or_foreign_dir(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    g = _fresh_parser(monkeypatch, TTDIAG_CACHE_DIR=str(shared))
    assert g.cache_file("mlir.lark") is False
    g = _fresh_parser(monkeypatch, TTDIAG_CACHE_DIR=str(tmp_path / "ok"), TTDIAG_NO_CACHE="1")
    assert g.cache_file("mlir.lark") is False
    g = _fresh_parser(monkeypatch, TTDIAG_CACHE_DIR="/proc/not-writable/ttdiag")
    assert g.cache_file("mlir.lark") is False
    assert g.lalr_parser("mlir.lark").parse('"ttnn.x"() : () -> ()') is not None


def test_loc_decodes_its_pyloc_lazily_and_stays_a_value():
    import copy
    import pickle

    from ttdiag.ir.items import Atom

    loc = decode_loc((Atom("STRING", '"7|MochiUpBlock3D[decoder.up_blocks.1]|/m/a.py:88|forward|90|aten__view_reshapeInput"'),))
    again = pickle.loads(pickle.dumps(loc))  # before anything decoded the PyLoc
    assert again.py.module_path == "decoder.up_blocks.1"
    assert loc.name.startswith("7|")
    assert loc.py.module_path == "decoder.up_blocks.1" and loc.py.suffix == "_reshapeInput"
    assert loc.py.aten_op == "aten::view" and loc.py.op_line == 90
    assert pickle.loads(pickle.dumps(loc)) == loc == copy.deepcopy(loc)
    assert hash(loc) == hash(pickle.loads(pickle.dumps(loc)))
    with pytest.raises(AttributeError):
        loc.name = "other"

"""Rewrites built as op objects (ttdiag.advise.rewrite): checked op by op before printing, printed from the
objects, and the printed text parses back to them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttdiag.advise.rewrite import (
    ROW_MAJOR,
    RewriteBuilder,
    RewriteError,
    dense,
    i32,
    ints,
    round_trip_problems,
    si32,
)
from ttdiag.parse.mlir import OpLineParser

SAMPLES = Path(__file__).resolve().parent.parent / "sample_logs"


def test_attribute_helpers_print_as_tt_mlir_does():
    assert ints([4, 4884480]) == "[4 : i32, 4884480 : i32]"
    assert dense([2, 0, 1], "i64") == "array<i64: 2, 0, 1>"
    assert i32(3) == "3 : i32" and si32(1) == "1 : si32"


def test_built_ops_print_and_parse_back():
    b = RewriteBuilder(("%x",))
    x = b.tensor((4, 100), "bf16", True)
    x_rm = b.like(x, tiled=False)
    assert x.layout.is_tiled and x.layout.memref_shape == (1, 4)  # 4 rows -> 1 tile row; 100 cols -> 4 tiles
    assert not x_rm.layout.is_tiled and x_rm.layout.memref_shape == (4, 100)
    b.op("ttnn.to_layout", ["%x_rm"], ["%x"], [x], [x_rm], layout=ROW_MAJOR)
    b.comment("then reshape")
    b.op("ttnn.reshape", ["%y"], ["%x_rm"], [x_rm], [b.tensor((2, 200), "bf16", False)], shape=ints([2, 200]))
    rw = b.finish()
    lines = rw.text.splitlines()
    assert len(lines) == 3 and lines[1] == "// then reshape"
    assert lines[0].startswith('%x_rm = "ttnn.to_layout"(%x) <{layout = #ttnn.layout<row_major>}> : (tensor<4x100xbf16')
    assert lines[2].startswith('%y = "ttnn.reshape"(%x_rm) <{shape = [2 : i32, 200 : i32]}> : (tensor<4x100xbf16')
    assert round_trip_problems(rw, rw.text, OpLineParser()) == []


def test_every_problem_is_reported_and_nothing_is_printed():
    b = RewriteBuilder(("%x",))
    x = b.tensor((4, 100), "bf16", False)
    b.op("ttnn.reshape", ["%y"], ["%x"], [x], [b.tensor((3, 100), "bf16", False)], shape=ints([3, 100]))
    b.op("ttnn.reshape", ["%z"], ["%w"], [x], [x], shape=ints([4, 100]))
    b.op("ttnn.reshape", ["%v"], ["%x"], [x], [x], shape="[4 : ")
    with pytest.raises(RewriteError) as e:
        b.finish()
    probs = e.value.problems
    assert len(probs) == 3
    assert "volume" in probs[0] and "400" in probs[0] and "300" in probs[0]  # 4*100 elements in, 3*100 out
    assert probs[1] == "ttnn.reshape: operand %w is not defined"
    assert probs[2].startswith("ttnn.reshape: attribute shape = '[4 : ' does not parse")


def test_elided_ops_declare_what_they_define():
    b = RewriteBuilder(("%x",))
    x = b.tensor((4, 64), "bf16", False)
    half = b.tensor((4, 32), "bf16", False)
    b.op("ttnn.slice_static", ["%c0"], ["%x"], [x], [half], begins=ints([0, 0]), ends=ints([4, 32]),
         step=ints([1, 1]))
    b.elide("... 1 more chunk ...", ["%c1"])
    b.op("ttnn.concat", ["%y"], ["%c0", "%c1"], [half, half], [x], dim=si32(1))
    rw = b.finish()
    assert rw.elided == {"%c1": "... 1 more chunk ..."}
    assert rw.text.splitlines()[1] == "// ... 1 more chunk ..."


def test_copy_replaces_attributes_and_keeps_the_loc():
    p = OpLineParser()
    op = p.parse('%2 = "ttnn.to_layout"(%1) <{layout = #ttnn.layout<tile>}> : (tensor<4x64xbf16>) -> '
                 'tensor<4x64xbf16> loc("m.py":3:0)')
    b = RewriteBuilder(("%1",), p)
    new = b.copy(op, layout=ROW_MAJOR)
    assert new.attr_text("layout") == "#ttnn.layout<row_major>"
    assert new.loc is not None and new.loc.raw == op.loc.raw
    assert b.finish().text.endswith(f" {op.loc.raw}")


def test_every_sample_rewrite_is_built_as_ops():
    """Each rewrite the sample logs get is a checked op list whose printed text parses back to it."""
    from ttdiag.advise import advise
    from ttdiag.analyze.triage import triage

    seen = 0
    for log in sorted(SAMPLES.glob("*.log")):
        r = triage(str(log))
        advise(r, verify=False)
        for fr in r.failures:
            for a in fr.advice:
                if a.rewrite:
                    seen += 1
                    assert a.built is not None and a.rewrite == a.built.text
                    assert round_trip_problems(a.built, a.rewrite, OpLineParser()) == []
    assert seen >= 4

"""``ttdiag triage LOG --ir DUMP`` when the log shows no op line (a release build of the tt-mlir runtime logs
no ``Executing operation:`` lines): the failing op is looked up in the dump by the failure's own figures, an
exact check each op passes or fails; a unique match becomes the advice's failing op, several or none are
reported and no op is guessed.

Fixtures (written for these tests):

- tests/data/dump/mochi_replicate_pad.mlir (see tests/test_advise_dump.py): dump line 43 is
  ``%9 = "ttnn.to_layout"(%8)`` tile -> row-major of ``tensor<4x4884480xbf16>`` in ``main``.
- tests/data/dump/localize_by_figures.mlir, lines counted by hand: 12 ``func @main``, 13 ``%0`` to_layout
  row-major -> tile [64, 128] DRAM, 14 ``%1`` to_memory_config -> [64, 128] tile L1 interleaved, 15 ``%2``
  reshape [64, 128] -> [128, 64] (DRAM tile), 16 ``%3`` reshape [128, 64] -> [64, 64] (DRAM tile), 20 ``%0``
  of ``@wide_a`` and 24 ``%0`` of ``@wide_b``: both the same wide to_layout as the mochi dump's %9.

The logs are one failure line each (no op line, no program marker), written by the tests.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ttdiag.advise import advise
from ttdiag.advise.dump import load_dump, localize_in_dump
from ttdiag.analyze.dump_search import DumpCandidate, DumpSearch
from ttdiag.analyze.triage import triage
from ttdiag.cli import app
from ttdiag.report.common import dump_search_lines

ROOT = Path(__file__).resolve().parent.parent
MOCHI = ROOT / "tests" / "data" / "dump" / "mochi_replicate_pad.mlir"
SMALL = ROOT / "tests" / "data" / "dump" / "localize_by_figures.mlir"
SAMPLE = ROOT / "sample_logs" / "mochi_replicate_pad_cb_overflow.log"

_STAMP = "2025-12-31 16:11:36.007 | critical |          Always | "  # era 2025-12 from the date
_CB = ("TT_THROW: Statically allocated circular buffers on core range [(x={x},y={y}) - (x={x},y={y})] grow to "
       "{end} B which is beyond max L1 size of 1499136 B (assert.hpp:103)")
_OOM = ("TT_THROW: Out of Memory: Not enough space to allocate {size} B {btype} buffer across {banks} banks, where "
        "each bank needs to store {per} B, but bank size is 1329888 B (allocated: 1329024 B, free: 864 B, largest "
        "free block: 864 B) (assert.hpp:103)")


def _log(tmp_path: Path, text: str) -> str:
    p = tmp_path / "release.log"
    p.write_text("2025-12-31 16:11:29.733 | info     |           Metal | AI CLK for device 0 is:   1000 MHz "
                 "(metal_context.cpp:152)\n" + _STAMP + text + "\n")
    return str(p)


def _cb_log(tmp_path: Path, end: int = 9_990_400, x: int = 7, y: int = 6) -> str:
    return _log(tmp_path, _CB.format(x=x, y=y, end=end))


def _run(log: str, dump: Path, **kw):
    r = triage(log)
    advise(r, dump=load_dump(str(dump)), dump_path=str(dump), verify=False, **kw)
    return r.failures[0]


def _where(search) -> list[tuple[str, str, int]]:
    return [(c.op.id, c.program, c.line) for c in search.candidates]


def test_fixture_lines_are_the_ones_the_expectations_count():
    lines = SMALL.read_text().splitlines()
    assert lines[11].lstrip().startswith("func.func @main(")
    assert lines[12].lstrip().startswith('%0 = "ttnn.to_layout"(%arg0)')
    assert lines[13].lstrip().startswith('%1 = "ttnn.to_memory_config"(%0)')
    assert lines[14].lstrip().startswith('%2 = "ttnn.reshape"(%1) <{shape = [128 : i32, 64 : i32]}>')
    assert lines[15].lstrip().startswith('%3 = "ttnn.reshape"(%2) <{shape = [64 : i32, 64 : i32]}>')
    assert lines[18].lstrip().startswith("func.func @wide_a(") and lines[22].lstrip().startswith("func.func @wide_b(")
    assert lines[19].lstrip().startswith('%0 = "ttnn.to_layout"(%arg0) <{layout = #ttnn.layout<row_major>}>')
    assert lines[23] == lines[19]
    assert MOCHI.read_text().splitlines()[42].lstrip().startswith('%9 = "ttnn.to_layout"(%8)')


def test_cb_overflow_without_op_lines_finds_the_wide_to_layout(tmp_path):
    """The logged 9,990,400 B on (x=7,y=6) is %9's: Wt = 4,884,480 / 32 = 152,640 tile columns over 63 cores,
    block ceil(152,640 / 63) = 2,423 tiles, so 62 cores x 2,423 = 150,226 and the cliff core gets
    152,640 - 150,226 = 2,414 tiles; it is work index 62 -> (x = 62 // 8, y = 62 % 8) = (7, 6); its CBs c_0 and
    c_16 hold 2,414 tiles x (2,048 + 2,048) B = 9,887,744 B from the Dec 2025 Wormhole base 102,656 B:
    102,656 + 9,887,744 = 9,990,400 (sample_logs/README.md, case 1). No other op of main is that wide."""
    fr = _run(_cb_log(tmp_path), MOCHI)
    s = fr.dump_search
    assert _where(s) == [("%9", "main", 43)]
    assert s.unique.matched.startswith("modelled CB region ends at 9,990,400 B on (x=7,y=6)")
    rules = [a.rule for a in fr.advice]
    assert "wide-layout-chunks" in rules
    for a in fr.advice:  # every advice rests on the localisation, cited at dump line 43
        first = a.assumptions[0]
        assert first.claim == ("the failing op is %9 ttnn.to_layout of the dump: the only op whose modelled CB "
                               "region ends at the logged 9,990,400 B on (x=7,y=6)")
        assert first.kind == "ir" and first.source == "dump line 43 (%9 ttnn.to_layout)"
        # the log has no op line: no op is cited as a log line
        assert not any(x.source.startswith("log line 43") for x in a.assumptions)
    chunks = next(a for a in fr.advice if a.rule == "wide-layout-chunks")
    # 4,884,480 = 477 x 10,240 columns (10,240 = 320 tiles x 32)
    assert "477 chunks of 10,240" in chunks.title
    conv = next(x for x in chunks.assumptions if "converts a [4, 4884480] bf16 tensor" in x.claim)
    assert conv.source == "dump line 43 (%9 ttnn.to_layout)"
    # the "no op line" note of a plain --ir match is not given: the search replaces it
    assert not any(n.startswith("the IR dump") for n in fr.notes)


def test_the_sample_log_stripped_of_its_op_lines_gives_the_same_op(tmp_path):
    """The real sample (tests/test_advise_dump.py matches its op line %9 at log line 42 to dump line 43) with
    every op and program line removed, as a release build logs it."""
    kept = [ln for ln in SAMPLE.read_text().splitlines(keepends=True)
            if "Executing operation" not in ln and "execution of program" not in ln]
    p = tmp_path / "release.log"
    p.write_text("".join(kept))
    fr = _run(str(p), MOCHI)
    assert fr.localization is None and fr.op_ref is not None and fr.op_ref.name == "ttnn.to_layout"
    assert _where(fr.dump_search) == [("%9", "main", 43)]
    pad = next(a for a in fr.advice if a.rule == "replicate-pad-slice-concat")
    # the dump's ops after %9 are read as in the op-line case: the embedding (dump line 45), 6 rows of T = 4
    assert any(x.source == "dump line 45 (%11 ttnn.embedding)" and "6 rows of 4" in x.claim for x in pad.assumptions)


def test_a_figure_no_op_reproduces_names_no_op(tmp_path):
    """9,990,432 B = 9,990,400 + 32: no op models to it, so none is taken and no advice rests on a dump op."""
    fr = _run(_cb_log(tmp_path, end=9_990_432), MOCHI)
    assert fr.dump_search.candidates == []
    head, lines = dump_search_lines(fr.dump_search)
    assert head == ("No op of the dump models to 9,990,432 B on (x=7,y=6): the model may not cover the failing "
                    "op, or the dump is not of this run.") and lines == []
    for a in fr.advice:
        assert not any(x.source.startswith("dump line") or "the failing op is" in x.claim for x in a.assumptions)


def test_the_right_bytes_on_another_core_is_no_match(tmp_path):
    """Core (x=0,y=0) is work index 0, one of the 62 full-block cores: its region ends at
    102,656 + 2,423 x 4,096 = 10,027,264 B, and the group tt-metal names for %9 (the cliff core (7,6), created
    first) does not hold (0,0): the core check fails although the byte figure is %9's."""
    fr = _run(_cb_log(tmp_path, x=0, y=0), MOCHI)
    assert fr.dump_search.candidates == []


def test_two_ops_with_the_figure_are_listed_and_neither_is_taken(tmp_path):
    """@wide_a and @wide_b hold the same to_layout as %9 (dump lines 20 and 24): both model to 9,990,400 B on
    (x=7,y=6), so the failing op stays unknown."""
    fr = _run(_cb_log(tmp_path), SMALL)
    assert _where(fr.dump_search) == [("%0", "wide_a", 20), ("%0", "wide_b", 24)]
    head, lines = dump_search_lines(fr.dump_search)
    assert head == ("In the dump, 2 ops match (ops whose modelled CB region ends at the logged 9,990,400 B on "
                    "(x=7,y=6)); none is taken as the failing op:")
    assert lines[0].startswith("%0 ttnn.to_layout, dump line 20, program 'wide_a': modelled CB region ends at "
                               "9,990,400 B on (x=7,y=6)")
    for a in fr.advice:
        assert not any("the failing op is" in x.claim for x in a.assumptions)


def test_l1_out_of_memory_finds_the_op_whose_result_is_that_buffer(tmp_path):
    """[64, 128] bf16 tile = 2 x 4 = 8 tiles x 2,048 B = 16,384 B; over 64 L1 banks ceil(8 / 64) = 1 page of
    2,048 B (aligned to 16) per bank. Only %1 (line 14) has an L1 result; %0 and %2 are the same size in DRAM."""
    log = _log(tmp_path, _OOM.format(size=16384, btype="L1", banks=64, per=2048))
    fr = _run(log, SMALL)
    assert _where(fr.dump_search) == [("%1", "main", 14)]
    assert fr.dump_search.unique.matched == "%1 is an L1 buffer of 16,384 B, 2,048 B per bank (64x128 bf16)"
    assert fr.advice and all(a.assumptions[0].source == "dump line 14 (%1 ttnn.to_memory_config)"
                             for a in fr.advice)
    dram = next(a for a in fr.advice if a.rule == "l1-oom-dram-config")
    assert "%1 ttnn.to_memory_config" in dram.title and "frees 2,048 B per L1 bank" in dram.title


def test_the_per_bank_figure_is_checked_too(tmp_path):
    """The same 16,384 B over 32 banks would be ceil(8 / 32) = 1 page = 2,048 B per bank, not the logged
    4,096 B: no op matches."""
    fr = _run(_log(tmp_path, _OOM.format(size=16384, btype="L1", banks=32, per=4096)), SMALL)
    assert fr.dump_search.candidates == []
    assert dump_search_lines(fr.dump_search)[0].startswith(
        "No op of the dump has an L1 result of 16,384 B (4,096 B per bank over 32 banks)")


def test_dram_out_of_memory_matches_results_not_program_arguments(tmp_path):
    """DRAM 16,384 B over 12 banks: ceil(8 / 12) = 1 tile of 2,048 B (aligned to 32) per bank for %0 [64, 128]
    and %2 [128, 64] (4 x 2 = 8 tiles). %arg0 (row-major [64, 128]: 64 rows x 256 B = 16,384 B too) is a
    program input the caller allocated, no op's result: not listed."""
    fr = _run(_log(tmp_path, _OOM.format(size=16384, btype="DRAM", banks=12, per=2048)), SMALL)
    assert _where(fr.dump_search) == [("%0", "main", 13), ("%2", "main", 15)]
    for a in fr.advice:
        assert not any("the failing op is" in x.claim for x in a.assumptions)


def test_reshape_invalid_finds_the_inconsistent_reshape(tmp_path):
    """%2: 64 x 128 = 8,192 elements in, 128 x 64 = 8,192 out (consistent); %3: 8,192 in, 64 x 64 = 4,096 out."""
    p = tmp_path / "release.log"
    p.write_text("2026-01-09 15:26:05.155 | critical |          Always | TT_FATAL: Invalid arguments to reshape "
                 "(assert.hpp:103)\n")
    fr = _run(str(p), SMALL)
    assert fr.failure.kind == "reshape-invalid"
    assert _where(fr.dump_search) == [("%3", "main", 16)]
    assert fr.dump_search.unique.matched == "input holds 8,192 elements, result 4,096"
    head, _ = dump_search_lines(fr.dump_search)
    assert head == ("In the dump, %3 ttnn.reshape (dump line 16, program 'main') is the only op whose IR input and "
                    "output volumes differ.")


def test_a_log_with_its_op_line_is_not_searched():
    r = triage(str(SAMPLE))
    localize_in_dump(r, load_dump(str(MOCHI)), str(MOCHI))
    assert r.failures[0].dump_search is None


def test_at_most_five_candidates_are_listed():
    from ttdiag.ir.graph import Op

    cands = [DumpCandidate(Op("ttnn.add", [f"%{i}"], [], [], [], {}, {}, None, 10 + i, "main"), "main", 10 + i, "m")
             for i in range(7)]
    head, lines = dump_search_lines(DumpSearch("d.mlir", "whose figure is X", "none", 7, cands))
    assert head.startswith("In the dump, 7 ops match")
    assert len(lines) == 6 and lines[4] == "%4 ttnn.add, dump line 14, program 'main': m"
    assert lines[5] == "and 2 more"


def test_cli_json_text_and_markdown(tmp_path, monkeypatch):
    log = _cb_log(tmp_path)
    runner = CliRunner()
    res = runner.invoke(app, ["triage", log, "--ir", str(MOCHI), "-f", "json", "--no-verify"])
    assert res.exit_code == 1, res.output
    f = json.loads(res.output)["failures"][0]
    assert f["dump_candidates"] == [{"op": "%9", "name": "ttnn.to_layout", "program": "main", "dump_line": 43,
                                     "matched": "modelled CB region ends at 9,990,400 B on (x=7,y=6) "
                                                "(UntilizeWithUnpaddingMultiCoreBlockInterleavedProgramFactory)"}]
    # --no-advice: the search still runs
    res = runner.invoke(app, ["triage", log, "--ir", str(MOCHI), "-f", "json", "--no-advice"])
    assert json.loads(res.output)["failures"][0]["dump_candidates"][0]["dump_line"] == 43
    # without --ir the key is absent
    res = runner.invoke(app, ["triage", log, "-f", "json", "--no-advice"])
    assert "dump_candidates" not in json.loads(res.output)["failures"][0]
    monkeypatch.setenv("COLUMNS", "80")
    res = runner.invoke(app, ["triage", log, "--ir", str(MOCHI), "--no-verify"])
    assert max(len(x) for x in res.output.splitlines()) <= 80
    flat = " ".join(res.output.split())
    assert ("In the dump, %9 ttnn.to_layout (dump line 43, program 'main') is the only op whose modelled CB region "
            "ends at the logged 9,990,400 B on (x=7,y=6).") in flat
    res = runner.invoke(app, ["triage", log, "--ir", str(MOCHI), "-f", "markdown", "--no-verify"])
    assert f"**The failing op in the IR dump** (`{MOCHI}`, by the figures of the message at line 2)" in res.output
    assert "- %9 ttnn.to_layout, dump line 43, program 'main': modelled CB region ends at 9,990,400 B" in res.output
    assert "; rests on the failing op at dump line 43)" in res.output


def test_a_clash_is_matched_by_its_region_end_and_core(tmp_path):
    """A clash names the first core group whose region passes the L1 buffer's address: %9's cliff core group
    (x=7,y=6), created first, ends at 9,990,400 B (derived above), past a buffer at 1,000,000 B. (Checks the
    comparison only: a region that large overflows L1 before any clash.)"""
    log = _log(tmp_path, "TT_THROW: Statically allocated circular buffers in program 12 clash with L1 buffers on "
                         "core range [(x=7,y=6) - (x=7,y=6)]. L1 buffer allocated at 1000000 and static circular "
                         "buffer region ends at 9990400")
    fr = _run(log, MOCHI)
    assert fr.failure.kind == "cb-clashes-with-l1-buffer"
    assert _where(fr.dump_search) == [("%9", "main", 43)]

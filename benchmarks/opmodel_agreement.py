"""How often ttdiag's per-core CB total equals tt-metal's own ``cbSize`` on the tt-mlir OpModel cases.

The cases (tests/data/opmodel/*.mlir + manifest.json, written by gen_opmodel_cases.py) are the legal
``cbSize`` assertions of tt-mlir @78b9ce3d's TestOpModelLib.cpp / TestOpModelInterface.cpp: figures
tt-metal computed on a Wormhole N300 (8x8 worker grid), late 2025, so the era is ``2025-12`` and the
L1 unreserved base that era's Wormhole base (102,656 B).

What ``cbSize`` measures: tt-mlir's op model returns ``cb_peak_size_per_core`` of
``ttnn::graph::query_op_constraints``, i.e. ``extract_resource_usage_per_core`` (tt-metal
``ttnn/cpp/ttnn/graph/graph_trace_utils.cpp``; two 2025-era copies read through the code index, which
gives no commit for them: one computes it in ``extract_resource_usage_per_core``, the older one in
``extract_circular_buffers_peak_size_per_core`` itself, with the same rule). Over the NO_DISPATCH
capture it adds the ``size`` of every ``circular_buffer_allocate`` whose ``globally_allocated`` is not
1 (CBs backed by a sharded tensor are left out), resets at each ``circular_buffer_deallocate_all``
(one per program) and keeps the peak; a CB node's ``size`` is per core and the core ranges are not
looked at. The same accounting is stated in tt-metal's
``tests/ttnn/unit_tests/base_functionality/graph_l1_traces/README.md`` @8458ac2a ("skip CBs where
globally_allocated == 1"; ``peak_cb`` does not look at ``core_range_set``). ttdiag's figure is the same thing from its model: the largest static (not globally
allocated) CB total over the op's core groups, which equals the capture's sum whenever every CB of a
program spans the program's cores; an op without a device program is 0.

The harness itself holds one real L1 buffer: tt-mlir's ``OpModel<LinearOp>`` allocates the bias on the
device before the capture (the other operands exist only inside it), so a linear case is analysed with that
bias's bytes per bank as live L1 (``harness_l1_buffers``), which lowers matmul's ``get_max_l1_space``.

Prints one JSON line: {"cases", "agree", "by_op": {op: [agree, total]}, "by_confidence": {"read-factory":
[agree, total], "estimate": [agree, total]}, "disagree": [{case, expected, ttdiag, confidence, factory,
source}], "skipped"}. An ``estimate`` that agrees is a coincidence of the fallback (often the generic
three-CB guess), not a validated model: ``by_confidence`` keeps the two apart.

Usage: python benchmarks/opmodel_agreement.py [--verbose]
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ttdiag.analyze.arch import get_arch  # noqa: E402
from ttdiag.analyze.l1 import analyze_op, get_era, make_context  # noqa: E402
from ttdiag.analyze.layout import analyze_tensor  # noqa: E402
from ttdiag.parse.mlir import parse_mlir  # noqa: E402

DATA = ROOT / "tests" / "data" / "opmodel"
ERA = "2025-12"
WH_BASE = 102_656  # the 2025-12 era's Wormhole L1 unreserved base


def context():
    return make_context(get_arch("wormhole_b0"), get_era(ERA), WH_BASE)


@cache
def _module(path: Path):
    return parse_mlir(path.read_text())


def find_op(path: Path, func: str, name: str):
    for op in _module(path).all_ops():
        if op.program == func and op.name == name:
            return op
    raise LookupError(f"{path.name}: no {name} in @{func}")


def harness_l1_buffers(op) -> int:
    """Bytes per L1 bank the OpModel harness holds in real L1 buffers while the op's program is chosen.

    The operands of a query are tensor specs materialised inside the NO_DISPATCH capture, which allocates
    nothing; the one exception is ``OpModel<LinearOp>`` (tt-mlir @78b9ce3d ``lib/OpModel/TTNN/TTNNOpModel.cpp``
    ``getOpConstraints``), which builds the bias with ``create_device_tensor(biasSpec, device)`` before the
    capture. An L1 bias is therefore a live buffer at the top of L1, and ``get_max_l1_space`` (which reads
    ``lowest_occupied_compute_l1_address``) is smaller by its bytes per bank when matmul picks its config."""
    if op.name != "ttnn.linear" or len(op.operand_types) < 3:
        return 0
    bias = op.operand_types[2]
    lay = getattr(bias, "layout", None)
    if lay is None or lay.buffer_type not in ("l1", "l1_small"):
        return 0
    fig = analyze_tensor(bias, get_arch("wormhole_b0"))
    return fig.bytes_per_bank if fig is not None and fig.bytes_per_bank else 0


def per_core_cb(result) -> int:
    """The largest static CB total over the op's core groups (0 without a program)."""
    return max((g.static_bytes for g in result.core_groups), default=0)


def run(data: Path = DATA) -> dict:
    manifest = json.loads((data / "manifest.json").read_text())
    ctx = context()
    by_op: dict[str, list[int]] = {}
    by_conf: dict[str, list[int]] = {"read-factory": [0, 0], "estimate": [0, 0]}
    disagree = []
    agree = 0
    for c in manifest["cases"]:
        op = find_op(data / c["file"], c["func"], c["op"])
        held = harness_l1_buffers(op)
        r = analyze_op(op, replace(ctx, l1_buffers_bytes=held) if held else ctx)
        got = per_core_cb(r)
        ok = got == c["expected_cb"]
        agree += ok
        slot = by_op.setdefault(c["op"], [0, 0])
        slot[0] += ok
        slot[1] += 1
        conf = by_conf.setdefault(r.confidence, [0, 0])
        conf[0] += ok
        conf[1] += 1
        if not ok:
            disagree.append({"case": c["id"], "expected": c["expected_cb"], "ttdiag": got,
                             "confidence": r.confidence, "factory": r.factory, "source": c["source"]})
    skipped = sum(s["count"] for s in manifest.get("skipped", []))
    return {"cases": len(manifest["cases"]), "agree": agree, "by_op": dict(sorted(by_op.items())),
            "by_confidence": by_conf, "disagree": disagree, "skipped": skipped}


def main(argv: list[str]) -> int:
    out = run()
    print(json.dumps(out, separators=(",", ":")))
    if "--verbose" in argv:
        for d in out["disagree"]:
            print(f"{d['case']:<42} {d['expected']:>9} {d['ttdiag']:>9} {d['confidence']:<12} {d['factory']}",
                  file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

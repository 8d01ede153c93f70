#!/usr/bin/env python3
"""(Re)generate fuzz/corpus_seed/ from the project's own sample_logs/*.log plus small hand-written snippets.

Does not copy anything from /work/shared/corpus (the harnesses read that at runtime instead).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SAMPLES = os.path.join(ROOT, "sample_logs")


def _write(kind: str, data: bytes) -> None:
    d = os.path.join(HERE, "corpus_seed", kind)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


LOG_SNIPPETS = [
    b"",
    b"\n\n\n",
    b"                 Always | FATAL    | TT_THROW @ /x/y.cpp:12: tt::exception\ninfo:\nStatically allocated circular buffers on core range [(x=0,y=0) - (x=7,y=7)] grow to 1599488 B which is beyond max L1 size of 1499136 B\n",
    b"            RuntimeTTNN |    DEBUG | Starting execution of program: main\n"
    b"            RuntimeTTNN |    DEBUG | Executing operation: %0 = \"ttnn.relu\"(%arg0) : (tensor<32x32xbf16>) -> tensor<32x32xbf16>\n"
    b"E       RuntimeError: TT_FATAL @ op.cpp:1: bad\n",
    b"            RuntimeTTNN |    DEBUG | Starting execution of program: main\n"
    b"            RuntimeTTNN |    DEBUG | Finished execution of program: main\n",
    b"Traceback (most recent call last):\n  File \"x.py\", line 1\nRuntimeError: boom\n",
    b"Fatal Python error: Segmentation fault\n",
    b"2024-01-01 00:00:00.000 | critical | Op | out of memory\n\x1b[31mred\x1b[0m\r\n\x00\x00nul\n\xff\xfe bad utf8\n",
    b"2025-03-04 10:11:12.123 | INFO | Device | Opening user mode device driver\n",
    b"FAILED tests/test_x.py::test_y - RuntimeError: TT_THROW\n",
    b"Executing operation: ",
]

MLIR_SNIPPETS = [
    b"",
    b"module {\n  func.func @main(%arg0: tensor<32x32xbf16>) -> tensor<32x32xbf16> {\n"
    b"    %0 = \"ttnn.relu\"(%arg0) : (tensor<32x32xbf16>) -> tensor<32x32xbf16>\n"
    b"    return %0 : tensor<32x32xbf16>\n  }\n}\n",
    b"#l1 = #ttnn.buffer_type<l1>\n#layout = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<1x1x!ttcore.tile<32x32, bf16>, #l1>, <interleaved>>\n",
    b"%1 = \"ttnn.reshape\"(%0) <{shape = [20736 : i32, 768 : i32]}> : (tensor<3x3x3x768x768xbf16>) -> tensor<20736x768xbf16>\n",
    b"\"ttnn.deallocate\"(%0) <{force = false}> : (tensor<3x3xbf16>) -> ()\n",
    b"%2:2 = \"ttnn.split\"(%1) {dim = -1 : si32} : (tensor<4x?xf32>) -> (tensor<2xf32>, tensor<2xf32>)\n",
    b"%3 = ttnn.add %1, %2 : tensor<1xf32> loc(#loc3)\n",
    b"// CHECK: ttnn.conv2d\nfunc.func private @f() attributes {tt.arg = dense<[1, 2]> : tensor<2xi32>}\n",
    b"{ { ( < [ \" unbalanced\n",
]


def main() -> None:
    for kind, snippets in (("log", LOG_SNIPPETS), ("mlir", MLIR_SNIPPETS)):
        for s in snippets:
            _write(kind, s)
    exec_re = re.compile(rb"Executing operation: (.*)")
    for fn in sorted(os.listdir(SAMPLES)):
        if not fn.endswith(".log"):
            continue
        with open(os.path.join(SAMPLES, fn), "rb") as f:
            data = f.read()
        _write("log", data)
        _write("log", gzip.compress(data[:4000], mtime=0))
        lines = data.splitlines(keepends=True)
        for i in range(0, len(lines), 20):  # windows of 25 lines keep seeds small
            _write("log", b"".join(lines[i:i + 25]))
        ops = [m.group(1) for m in map(exec_re.search, lines) if m]
        for op in ops[:: max(1, len(ops) // 8)]:  # a handful of real op lines for the MLIR parsers
            _write("mlir", op.rstrip() + b"\n")


if __name__ == "__main__":
    main()

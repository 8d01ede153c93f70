"""Benchmark the reference executor's ``ttnn.conv3d`` against torch CPU (float32) on the Mochi decoder shape.

    python benchmarks/conv3d.py [--small] [--repeat N]

Full shape (default): input [1, 6, 62, 108, 768] bf16 (channels last, already padded: padding 0),
weight [768, 768, 3, 3, 3] bf16, bias [1, 1, 1, 1, 768] -> output [1, 4, 60, 106, 768] (~0.81 TFLOP).
``--small``: input [1, 4, 30, 54, 128], 128 -> 128 channels.

The executor runs the op through ``Executor().run_op`` on a parsed ``ttnn.conv3d`` line (bf16 in, float32
GEMMs, bf16 out: the conversions are part of its time). torch runs ``F.conv3d`` in float32 on NCDHW copies
of the same bf16 values (conversions outside its time), with its default thread count. Runs alternate
(executor, torch, executor, ...) with a short pause between them so neither library's spinning worker
threads steal the other's cores, and each side reports its fastest run: this machine's timings vary a
lot from run to run (shared host), and the minimum is the least noisy estimate.

Prints ONE JSON line: {"benchmark": "conv3d", "shape": {...}, "executor_s": ..., "torch_s": ...,
"ratio_vs_torch": executor_s / torch_s, "max_abs_diff": ..., "pcc": ..., ...}. ``max_abs_diff`` and
``pcc`` compare the executor's bf16 result with torch's float32 one (so the diff includes the bf16
rounding of the result: expect about half a bf16 ulp of the largest output). Without torch, the
torch fields are null.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FULL = dict(n=1, d=6, h=62, w=108, cin=768, cout=768)
SMALL = dict(n=1, d=4, h=30, w=54, cin=128, cout=128)
K = (3, 3, 3)


def op_text(n: int, d: int, h: int, w: int, cin: int, cout: int) -> str:
    """A ``ttnn.conv3d`` line as tt-mlir prints it (attrs of the Mochi decoder's CogVideoXCausalConv3d)."""
    do, ho, wo = d - K[0] + 1, h - K[1] + 1, w - K[2] + 1
    return (f'%y = "ttnn.conv3d"(%x, %w, %b, %dev) <{{batch_size = {n} : i32, conv3d_config = #ttnn.conv3d_config<'
            f'weights_dtype = bf16, t_out_block = 1, w_out_block = 1, h_out_block = 1, c_out_block = 128, '
            f'c_in_block = 128, compute_with_storage_grid_size = #ttcore.grid<8x8>>, '
            f'dtype = #ttcore.supportedDataTypes<bf16>, groups = 1 : i32, in_channels = {cin} : i32, '
            f'input_depth = {d} : i32, input_height = {h} : i32, input_width = {w} : i32, '
            f'kernel_size = array<i32: 3, 3, 3>, out_channels = {cout} : i32, padding = array<i32: 0, 0, 0>, '
            f'padding_mode = "zeros", stride = array<i32: 1, 1, 1>}}> : '
            f'(tensor<{n}x{d}x{h}x{w}x{cin}xbf16>, tensor<{cout}x{cin}x3x3x3xbf16>, tensor<1x1x1x1x{cout}xbf16>, '
            f'!ttnn.device) -> tensor<{n}x{do}x{ho}x{wo}x{cout}xbf16>')


def blas_info() -> str | None:
    """OpenBLAS core and thread count of numpy's BLAS (threadpoolctl when installed)."""
    try:
        from threadpoolctl import threadpool_info

        return "; ".join(f"{i.get('internal_api')} {i.get('architecture')} x{i.get('num_threads')}"
                         for i in threadpool_info() if i.get("user_api") == "blas") or None
    except ImportError:
        pass
    # Without threadpoolctl: ask the OpenBLAS that numpy wheels bundle (scipy-openblas) directly.
    try:
        import ctypes
        import glob

        libs = glob.glob(str(Path(np.__file__).parent.parent / "numpy.libs" / "libscipy_openblas*"))
        lib = ctypes.CDLL(libs[0])
        for suffix in ("64_", ""):
            core = getattr(lib, f"scipy_openblas_get_corename{suffix}", None)
            threads = getattr(lib, f"scipy_openblas_get_num_threads{suffix}", None)
            if core is not None and threads is not None:
                core.restype = ctypes.c_char_p
                return f"openblas {core().decode()} x{threads()}"
    except (OSError, IndexError, AttributeError):
        pass
    return None


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", action="store_true", help="input [1,4,30,54,128], 128 -> 128 channels")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each side (default 3); the fastest counts")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import ml_dtypes

    from ttdiag.parse.mlir import OpLineParser
    from ttdiag.reference import Executor

    bf16 = np.dtype(ml_dtypes.bfloat16)
    cfg = SMALL if args.small else FULL
    n, d, h, w, cin, cout = (cfg[k] for k in ("n", "d", "h", "w", "cin", "cout"))
    rng = np.random.default_rng(args.seed)
    x = rng.standard_normal((n, d, h, w, cin), dtype=np.float32).astype(bf16)
    wt = (rng.standard_normal((cout, cin, *K), dtype=np.float32) / np.sqrt(cin * 27)).astype(bf16)
    b = (rng.standard_normal((1, 1, 1, 1, cout), dtype=np.float32) * 0.1).astype(bf16)
    dev = np.zeros(0, np.float32)
    op = OpLineParser().parse(op_text(n, d, h, w, cin, cout))
    ex = Executor()

    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        tx = torch.from_numpy(np.ascontiguousarray(x.astype(np.float32).transpose(0, 4, 1, 2, 3)))
        tw = torch.from_numpy(wt.astype(np.float32))
        tb = torch.from_numpy(b.astype(np.float32).reshape(-1))

    ex_times: list[float] = []
    th_times: list[float] = []
    y = ref = None
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        (y,) = ex.run_op(op, [x, wt, b, dev])
        ex_times.append(time.perf_counter() - t0)
        if torch is not None:
            time.sleep(0.5)
            with torch.no_grad():
                t0 = time.perf_counter()
                ref = torch.nn.functional.conv3d(tx, tw, tb)
                th_times.append(time.perf_counter() - t0)
            time.sleep(0.5)

    out_shape = [n, d - 2, h - 2, w - 2, cout]
    assert list(y.shape) == out_shape and y.dtype == bf16, (y.shape, y.dtype)
    result: dict = {"benchmark": "conv3d", "shape": {"input": [n, d, h, w, cin], "weight": [cout, cin, *K],
                                                      "output": out_shape, "small": args.small}}
    result["executor_s"] = round(min(ex_times), 3)
    result["torch_s"] = round(min(th_times), 3) if th_times else None
    result["ratio_vs_torch"] = round(min(ex_times) / min(th_times), 3) if th_times else None
    if ref is not None:
        r = ref.permute(0, 2, 3, 4, 1).numpy().astype(np.float64).ravel()
        got = y.astype(np.float64).ravel()
        result["max_abs_diff"] = float(np.abs(got - r).max())
        result["pcc"] = float(np.corrcoef(got, r)[0, 1])
        result["max_abs_ref"] = float(np.abs(r).max())
    else:
        result["max_abs_diff"] = result["pcc"] = None
    flop = 2.0 * np.prod(out_shape) * cin * 27
    result["gflop"] = round(flop / 1e9, 1)
    result["executor_gflops"] = round(flop / 1e9 / min(ex_times), 1)
    result["executor_runs_s"] = [round(t, 3) for t in ex_times]
    result["torch_runs_s"] = [round(t, 3) for t in th_times]
    result["torch_threads"] = torch.get_num_threads() if torch is not None else None
    result["blas"] = blas_info()
    result["openblas_coretype"] = os.environ.get("OPENBLAS_CORETYPE")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()

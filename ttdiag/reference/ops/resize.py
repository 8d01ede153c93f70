"""Resize ops: ``ttnn.upsample`` on NHWC tensors (``mode`` nearest or bilinear, ``scale_factor`` an int or
[s_h, s_w]). Bilinear uses half-pixel centres without corner alignment, as torch's
``interpolate(mode="bilinear", align_corners=False)`` and ttnn's upsample do; arithmetic in float32."""

from __future__ import annotations

import numpy as np

from ...ir.ttnn import Upsample
from ..dtypes import compute
from ..registry import Call, reference_op


def _bilinear_axis(n_in: int, scale: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source indices (lo, hi) and the hi weight for each of ``n_in * scale`` outputs."""
    pos = (np.arange(n_in * scale, dtype=np.float32) + 0.5) / scale - 0.5
    pos = np.clip(pos, 0, n_in - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, n_in - 1)
    return lo, hi, (pos - lo).astype(np.float32)


@reference_op("ttnn.upsample")
def run_upsample(call: Call, x: np.ndarray, *_: np.ndarray) -> tuple[np.ndarray, ...]:
    """NHWC upsample: nearest repeats each pixel ``s`` times per axis; bilinear interpolates."""
    _, h, w, _ = x.shape
    up = call.typed(Upsample)
    sh, sw = up.scales((h, w))
    mode = up.mode
    if mode == "nearest":
        return (call.cast(np.repeat(np.repeat(x, sh, axis=1), sw, axis=2)),)
    f = compute(x).astype(np.float32)
    lo, hi, t = _bilinear_axis(h, sh)
    rows = f[:, lo] * (1 - t)[None, :, None, None] + f[:, hi] * t[None, :, None, None]
    lo, hi, t = _bilinear_axis(w, sw)
    out = rows[:, :, lo] * (1 - t)[None, None, :, None] + rows[:, :, hi] * t[None, None, :, None]
    return (call.cast(out),)

"""ttnn.upsample: nearest (hand-computed) and bilinear (torch oracle)."""

from __future__ import annotations

import numpy as np
import pytest

from ttdiag.parse.mlir import OpLineParser
from ttdiag.reference import Executor


def _op(mode: str, shape, out, dtype="f32"):
    t = lambda s: f"tensor<{'x'.join(map(str, s))}x{dtype}>"  # noqa: E731
    return OpLineParser().parse(f'%1 = "ttnn.upsample"(%0) <{{mode = "{mode}", scale_factor = 2 : si32}}> : '
                                f"({t(shape)}) -> {t(out)}")


def test_nearest_repeats_pixels():
    x = np.arange(4, dtype=np.float32).reshape(1, 2, 2, 1)
    (y,) = Executor().run_op(_op("nearest", (1, 2, 2, 1), (1, 4, 4, 1)), [x])
    assert y[0, :, :, 0].tolist() == [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]]


def test_bilinear_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 8, 8, 30)).astype(np.float32)
    (y,) = Executor().run_op(_op("bilinear", (1, 8, 8, 30), (1, 16, 16, 30)), [x])
    ref = torch.nn.functional.interpolate(torch.from_numpy(x).permute(0, 3, 1, 2), scale_factor=2, mode="bilinear",
                                          align_corners=False).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(y, ref, rtol=1e-5, atol=1e-5)

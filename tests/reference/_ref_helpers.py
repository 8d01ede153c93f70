"""Plain helpers shared by the reference-executor tests: ``from _ref_helpers import ...``.

pytest's default "prepend" import mode puts this folder (tests/ has no ``__init__.py``) on
``sys.path`` before importing the test modules here, so the import resolves to this file.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np

from ttdiag.parse.mlir import OpLineParser
from ttdiag.reference.dtypes import storage_dtype
from ttdiag.reference.executor import Executor

BF16 = np.dtype(ml_dtypes.bfloat16)
PARSER = OpLineParser()


def tensor(shape: tuple[int, ...], dtype: str) -> str:
    """The MLIR tensor type text, e.g. ``tensor<2x3xbf16>``; ``tensor<f32>`` for a 0-d shape."""
    return f"tensor<{'x'.join(map(str, shape))}x{dtype}>" if shape else f"tensor<{dtype}>"


def op_text(name: str, attrs: str, in_types: list[str], out_types: list[str], *, discardable: bool = False) -> str:
    """A generic-form ``ttnn.<name>`` op line with operands ``%a0, %a1, ...`` and results ``%0`` (or ``%0:N``).

    ``attrs`` go in a properties dict ``<{...}>``, or a discardable attribute dict ``{...}`` when
    ``discardable``; none are printed when ``attrs`` is empty.
    """
    operands = ", ".join(f"%a{i}" for i in range(len(in_types)))
    props = "" if not attrs else f" {{{attrs}}}" if discardable else f" <{{{attrs}}}>"
    results = ", ".join(out_types)
    results = f"({results})" if len(out_types) > 1 else results
    lhs = "%0" if len(out_types) == 1 else f"%0:{len(out_types)}"
    return f'{lhs} = "ttnn.{name}"({operands}){props} : ({", ".join(in_types)}) -> {results}'


def run_op(name: str, attrs: str, inputs: list[np.ndarray], in_types: list[str], out_types: list[str], *,
           discardable: bool = False) -> list[np.ndarray]:
    """Parse :func:`op_text` and run it on ``inputs`` with the reference executor: all its results."""
    op = PARSER.parse(op_text(name, attrs, in_types, out_types, discardable=discardable))
    return Executor().run_op(op, inputs)


def run(name: str, attrs: str, inputs: list[np.ndarray], in_types: list[str], out_type: str) -> np.ndarray:
    """:func:`run_op` for a single-result op: its result."""
    (out,) = run_op(name, attrs, inputs, in_types, [out_type])
    return out


def ulps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance in units in the last place between two arrays of the same float dtype (bf16 or f32)."""
    bits = {2: np.int16, 4: np.int32}[a.dtype.itemsize]
    sign = np.int64(1) << (8 * a.dtype.itemsize - 1)

    def ordered(x: np.ndarray) -> np.ndarray:
        i = np.ascontiguousarray(x).view(bits).astype(np.int64)
        return np.where(i < 0, -(i & (sign - 1)), i)

    return np.abs(ordered(a) - ordered(b))


def assert_close(ours: np.ndarray, ref: np.ndarray) -> None:
    """Same dtype and shape; bf16 within 1 bf16 ulp, otherwise within 1e-5 relative plus 1e-5 absolute.

    (test_eltwise and test_matmul define their own ``assert_close`` with other tolerances.)
    """
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    if ours.dtype == BF16:
        assert ulps(ours, ref).max(initial=0) <= 1
    else:
        np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-5)


def sample(shape, dtype: str, seed: int = 0, scale: float = 1.0, shift: float = 0.0) -> np.ndarray:
    """Seeded standard normals (times ``scale``, plus ``shift``) in float32, stored in ``dtype``."""
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float32) * scale + shift
    return x.astype(storage_dtype(dtype))

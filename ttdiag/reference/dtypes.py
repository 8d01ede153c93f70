"""TTNN data types ↔ numpy storage dtypes (one table, like ONNX's ``TENSOR_TYPE_MAP``).

Storage follows the device: bf16 is stored as ``ml_dtypes.bfloat16`` (round-to-nearest-even on
every store). Block-float types (bfp_bf8/4/2) are stored as bfloat16 after quantisation to their
shared-exponent format is NOT modelled: they are treated as bf16 (documented approximation).
Arithmetic is done in float32 (``compute``) and cast back with ``store``: never reduce in bf16.
"""

from __future__ import annotations

from functools import cache

import numpy as np

# bf16 and the block-float types are stored as ml_dtypes.bfloat16. ml_dtypes is imported on first use (its
# import costs ~0.8 s of CPU): ``BF16`` (a module attribute, PEP 562) and ``storage_dtype`` load it.
BF16_NAMES = frozenset({"bf16", "bfp_bf8", "bfp_bf4", "bfp_bf2", "bfp_f8", "bfp_f4", "bfp_f2"})


@cache
def bf16() -> np.dtype:
    """``np.dtype(ml_dtypes.bfloat16)`` (imports ml_dtypes once)."""
    import ml_dtypes

    return np.dtype(ml_dtypes.bfloat16)


def __getattr__(name: str):
    if name == "BF16":
        return bf16()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


STORAGE: dict[str, np.dtype] = {
    "f32": np.dtype(np.float32), "tf32": np.dtype(np.float32), "f16": np.dtype(np.float16),
    "f64": np.dtype(np.float64),
    "si32": np.dtype(np.int32), "i32": np.dtype(np.int32), "ui32": np.dtype(np.uint32), "u32": np.dtype(np.uint32),
    "si16": np.dtype(np.int16), "i16": np.dtype(np.int16), "ui16": np.dtype(np.uint16), "u16": np.dtype(np.uint16),
    "si8": np.dtype(np.int8), "i8": np.dtype(np.int8), "ui8": np.dtype(np.uint8), "u8": np.dtype(np.uint8),
    "i64": np.dtype(np.int64), "si64": np.dtype(np.int64), "ui64": np.dtype(np.uint64),
    "i1": np.dtype(np.bool_),
}


def storage_dtype(ttnn_dtype: str) -> np.dtype:
    """The numpy dtype a tensor of ``ttnn_dtype`` is stored in. Raises KeyError for unknown dtypes."""
    if ttnn_dtype.startswith("tile<"):
        ttnn_dtype = ttnn_dtype[5:-1].split(",")[-1]
    if ttnn_dtype in BF16_NAMES:
        return bf16()
    if ttnn_dtype not in STORAGE:
        raise KeyError(f"no storage dtype for {ttnn_dtype!r}")
    return STORAGE[ttnn_dtype]


def compute(x: np.ndarray) -> np.ndarray:
    """The array in float32 for arithmetic (integers and bools stay as they are)."""
    if x.dtype.name == "bfloat16" or x.dtype == np.float16:
        return x.astype(np.float32)
    return x


def store(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Cast a result to its storage dtype (bf16 rounds to nearest even)."""
    return np.asarray(x).astype(dtype, copy=False)


def random_like(shape: tuple[int, ...], dtype: np.dtype, rng: np.random.Generator) -> np.ndarray:
    """Seeded test data: standard normal for floats, small non-negative integers for ints, bools."""
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if np.issubdtype(dtype, np.integer):
        return rng.integers(0, 8, size=shape).astype(dtype)
    return rng.standard_normal(shape, dtype=np.float32).astype(dtype)

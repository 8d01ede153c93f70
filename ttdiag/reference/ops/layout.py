"""Layout, memory and host ops: values pass through (a layout is how the device stores them).

``to_layout`` tilize/untilize keep the logical values: tile padding is physical and never part of
the logical tensor (tt-metal ``TensorLayout``; ttnn-facts.md §1), so padding values cannot leak into
results. A dtype change casts (bf16 rounds to nearest even).
"""

from __future__ import annotations

import numpy as np

from ..registry import Call, reference_op


@reference_op("ttnn.to_layout", "ttnn.to_memory_config", "ttnn.typecast", "ttnn.from_device", "ttnn.to_device",
              "ttnn.tilize", "ttnn.untilize", "ttnn.tilize_with_val_padding", "ttnn.untilize_with_unpadding",
              "ttnn.to_dtype")
def run_identity_cast(call: Call, x: np.ndarray, *_device: np.ndarray) -> tuple[np.ndarray, ...]:
    """Same values, stored in the result's dtype."""
    return (call.cast(x),)


@reference_op("ttnn.deallocate")
def run_deallocate(call: Call, *_: np.ndarray) -> tuple[np.ndarray, ...]:
    return ()


@reference_op("ttnn.get_device")
def run_get_device(call: Call) -> tuple[np.ndarray, ...]:
    """The device handle: an empty placeholder array."""
    return (np.zeros(0, np.float32),)

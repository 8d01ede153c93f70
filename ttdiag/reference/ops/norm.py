"""Normalisations: statistics in float32, biased variance, result stored in the IR dtype.

Optional operands follow tt-mlir's ``operandSegmentSizes`` (``array<i32: 1, 1, 0>`` = input,
weight, no bias); without it, operands are taken in declaration order. Weights and biases are
per-channel: any shape with C elements (``[C]``, ``[1, 1, C/32, 32]``) is flattened to C.
Default ``epsilon`` is 1e-12, as in ttnn and the tt-mlir op definitions.
"""

from __future__ import annotations

import numpy as np

from ...ir.ttnn import GroupNorm, LayerNorm
from ..dtypes import compute
from ..registry import Call, reference_op


def _operands(norm: LayerNorm | GroupNorm, inputs: tuple[np.ndarray, ...]) -> list[np.ndarray | None]:
    """Operands by declared position, None where an optional one is absent (``operandSegmentSizes``)."""
    return [None if i is None else inputs[i] for i in norm.operand_slots(len(inputs))]


def _normalised(centred: np.ndarray, variance: np.ndarray, epsilon: float) -> np.ndarray:
    """``centred / sqrt(variance + epsilon)`` in float32 (0/0 gives NaN silently, as on device)."""
    with np.errstate(all="ignore"):
        return centred / np.sqrt(variance + np.float32(epsilon))


def _affine(y: np.ndarray, weight: np.ndarray | None, bias: np.ndarray | None) -> np.ndarray:
    """``y * weight + bias`` with per-channel parameters (C elements, any shape) on the last dim."""
    if weight is not None:
        y = y * compute(weight).astype(np.float32).reshape(-1)
    if bias is not None:
        y = y + compute(bias).astype(np.float32).reshape(-1)
    return y


@reference_op("ttnn.layer_norm")
def run_layer_norm(call: Call, *inputs: np.ndarray) -> tuple[np.ndarray, ...]:
    """(x - mean) / sqrt(var + ``epsilon``) * weight + bias over the last dim.

    Operands: input, optional weight, optional bias (``operandSegmentSizes``).
    """
    norm = call.typed(LayerNorm)
    x, weight, bias = _operands(norm, inputs)
    v = compute(x).astype(np.float32)
    mean = v.mean(axis=-1, keepdims=True)
    var = np.square(v - mean).mean(axis=-1, keepdims=True)
    y = _normalised(v - mean, var, norm.epsilon)
    return (call.cast(_affine(y, weight, bias)),)


@reference_op("ttnn.rms_norm")
def run_rms_norm(call: Call, *inputs: np.ndarray) -> tuple[np.ndarray, ...]:
    """x / sqrt(mean(x^2) + ``epsilon``) * weight + bias over the last dim.

    Operands: input, optional weight, optional bias (``operandSegmentSizes``).
    """
    norm = call.typed(LayerNorm)
    x, weight, bias = _operands(norm, inputs)
    v = compute(x).astype(np.float32)
    y = _normalised(v, np.square(v).mean(axis=-1, keepdims=True), norm.epsilon)
    return (call.cast(_affine(y, weight, bias)),)


@reference_op("ttnn.group_norm")
def run_group_norm(call: Call, *inputs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Group norm on TTNN's channels-last layout: input [N, 1, H*W, C], ``num_groups`` groups of
    C/num_groups consecutive channels; mean and biased variance per (N, group) over (H*W, C/G).

    Operands: input, optional input_mask, weight, bias (``operandSegmentSizes``, 4 segments). The
    input mask only selects a group's channels within padded tiles, so it does not change logical
    values and is ignored. Attrs: ``num_groups``, ``epsilon``.
    """
    norm = call.typed(GroupNorm)
    x, _input_mask, weight, bias = _operands(norm, inputs)
    groups = norm.num_groups
    v = compute(x).astype(np.float32)
    n, channels = v.shape[0], v.shape[-1]
    grouped = v.reshape(n, -1, groups, channels // groups)  # [N, H*W, G, C/G]
    mean = grouped.mean(axis=(1, 3), keepdims=True)
    var = np.square(grouped - mean).mean(axis=(1, 3), keepdims=True)
    y = _normalised(grouped - mean, var, norm.epsilon).reshape(v.shape)
    return (call.cast(_affine(y, weight, bias)),)

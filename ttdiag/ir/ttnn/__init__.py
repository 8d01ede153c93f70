"""Typed TTNN ops (one module per op family); see :mod:`ttdiag.ir.ttnn.base`.

``decode(op)`` → the typed op or None; the family modules register themselves on import.
"""

from . import conv, data_movement, layout, matmul  # noqa: F401  (registration)
from .attrs import AttrReader, Config
from .base import TTNNOp, attr, decode, registered, ttnn_op
from .conv import Conv2d, Conv3d, ConvTranspose2d
from .data_movement import Concat, Pad, Permute, Repeat, Reshape, Slice, Transpose
from .layout import Tilize, ToLayout, ToMemoryConfig, Typecast
from .matmul import Matmul, MatmulProgramConfig

__all__ = ["AttrReader", "Concat", "Config", "Conv2d", "Conv3d", "ConvTranspose2d", "Matmul", "MatmulProgramConfig", "Pad",
           "Permute", "Repeat", "Reshape", "Slice", "TTNNOp", "Tilize", "ToLayout", "ToMemoryConfig", "Transpose",
           "Typecast", "attr", "decode", "registered", "ttnn_op"]

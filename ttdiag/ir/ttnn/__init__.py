"""Typed TTNN ops (one module per op family); see :mod:`ttdiag.ir.ttnn.base`.

``decode(op)`` → the typed op or None; the family modules register themselves on import.
"""

from . import (  # noqa: F401  (registration)
    batchnorm,
    ccl,
    conv,
    data_movement,
    eltwise,
    kv_cache,
    layout,
    matmul,
    norm,
    quant,
    reduce,
    resize,
    transformer,
)
from .attrs import AttrReader, Config
from .base import TTNNOp, attr, decode, registered, ttnn_op
from .batchnorm import BatchNorm
from .ccl import AllGather, AllReduce, MeshShard, PointToPoint, ReduceScatter
from .conv import Conv2d, Conv3d, ConvTranspose2d
from .data_movement import (
    Arange,
    Concat,
    Full,
    Gather,
    Pad,
    Permute,
    Repeat,
    RepeatInterleave,
    Reshape,
    Slice,
    SliceDynamic,
    Transpose,
)
from .eltwise import ClampScalar, LeakyRelu
from .kv_cache import FillCache, PagedFillCache, PagedUpdateCache, UpdateCache
from .layout import Tilize, ToLayout, ToMemoryConfig, Typecast
from .matmul import Matmul, MatmulProgramConfig
from .norm import GroupNorm, LayerNorm, NormPreAllGather
from .quant import Quantization
from .reduce import ArgMax, Reduction, Scan, Softmax, Sort, TopK
from .resize import Upsample
from .transformer import (
    ChunkedScaledDotProductAttention,
    ConcatenateHeads,
    NLPConcatHeads,
    NLPConcatHeadsDecode,
    RotaryEmbeddingLlama,
    ScaledDotProductAttention,
    SplitQueryKeyValueAndSplitHeads,
)

__all__ = ["AllGather", "AllReduce", "Arange", "ArgMax", "AttrReader", "BatchNorm", "ChunkedScaledDotProductAttention",
           "ClampScalar", "Concat", "ConcatenateHeads", "Config", "Conv2d", "Conv3d", "ConvTranspose2d", "FillCache",
           "Full", "Gather", "GroupNorm", "LayerNorm", "LeakyRelu", "Matmul", "MatmulProgramConfig", "MeshShard",
           "NLPConcatHeads", "NLPConcatHeadsDecode", "NormPreAllGather", "Pad", "PagedFillCache", "PagedUpdateCache",
           "Permute", "PointToPoint", "Quantization", "ReduceScatter", "Reduction", "Repeat", "RepeatInterleave",
           "Reshape", "RotaryEmbeddingLlama", "ScaledDotProductAttention", "Scan", "Slice", "SliceDynamic", "Softmax",
           "Sort", "SplitQueryKeyValueAndSplitHeads", "TTNNOp", "Tilize", "ToLayout", "ToMemoryConfig", "TopK",
           "Transpose", "Typecast", "UpdateCache", "Upsample", "attr", "decode", "registered", "ttnn_op"]

"""Layout and memory ops: to_layout, typecast, to_memory_config, tilize / untilize (tt-mlir ``TTNNOps.td``)."""

from __future__ import annotations

from dataclasses import dataclass

from .attrs import Config
from .base import TTNNOp, attr, ttnn_op


@ttnn_op("ttnn.to_layout")
@dataclass(slots=True)
class ToLayout(TTNNOp):
    """``layout`` is ``tile`` or ``row_major``; ``dtype`` and ``memory_config`` are optional targets."""

    layout: str | None = attr(kind="text")
    dtype: str | None = attr(kind="text")
    memory_config: Config | None = attr(kind="config")


@ttnn_op("ttnn.typecast")
@dataclass(slots=True)
class Typecast(TTNNOp):
    dtype: str | None = attr(kind="text")


@ttnn_op("ttnn.to_memory_config")
@dataclass(slots=True)
class ToMemoryConfig(TTNNOp):
    memory_config: Config | None = attr(kind="config")


@ttnn_op("ttnn.tilize", "ttnn.tilize_with_val_padding", "ttnn.untilize", "ttnn.untilize_with_unpadding")
@dataclass(slots=True)
class Tilize(TTNNOp):
    """The explicit tilize / untilize ops (``to_layout`` usually stands for them in tt-mlir's IR)."""

    dtype: str | None = attr(kind="text")
    use_multicore: bool = attr(kind="bool", default=True)

"""ttdiag's intermediate representation: item trees, decoded types and layouts, the op graph."""

from .graph import Diagnostic, Module, Op, Program
from .items import Atom, Body, Group, Item, render, split_commas
from .loc import Loc, PyLoc, decode_loc, decode_pyloc
from .system_desc import ChipDesc, SystemDesc
from .types import (
    AffineMap,
    OpaqueType,
    TensorType,
    TileType,
    TTNNLayout,
    Type,
    decode_layout,
    decode_type,
)

__all__ = [
    "AffineMap", "Atom", "Body", "ChipDesc", "Diagnostic", "Group", "Item", "Loc", "Module", "Op",
    "OpaqueType", "Program", "PyLoc", "SystemDesc", "TensorType", "TileType", "TTNNLayout", "Type",
    "decode_layout", "decode_loc", "decode_pyloc", "decode_type", "render", "split_commas",
]

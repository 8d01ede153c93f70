"""Shared pieces of the renderers: plain-dict forms of IR objects, number formatting, width checks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..analyze.layout import LayoutFigures
from ..ir.graph import Op
from ..ir.types import TensorType


def tensor_dict(t: TensorType, fig: LayoutFigures | None) -> dict[str, Any]:
    """The JSON form of one tensor and its layout figures (README: "inspect JSON")."""
    d: dict[str, Any] = {"type": t.text, "logical_shape": list(t.shape), "dtype": t.dtype}
    lay = t.layout
    d["layout"] = None if lay is None else {
        "buffer_type": lay.buffer_type,
        "memory_layout": lay.memory_layout,
        "grid": list(lay.grid),
        "tiled": lay.is_tiled,
        "element": lay.dtype,
        "affine_map": lay.affine_map.text if lay.affine_map else None,
        "era": lay.era,
        **({"extras": dict(lay.extras)} if lay.extras else {}),
    }
    if fig is None:
        d.update(padded_shape=None, physical_shape=None, physical_volume=None, tiles=None, bytes=None,
                 memref_declared=list(lay.memref_shape) if lay else None, memref_computed=None, memref_matches=None)
        return d
    d.update(
        logical_volume=fig.logical_volume,
        padded_shape=list(fig.padded_shape),
        physical_shape=list(fig.physical_shape),
        physical_volume=fig.physical_volume,
        padding_ratio=round(fig.padding_ratio, 6),
        tiles=fig.tiles,
        logical_tiles=None if fig.logical_tiles is None else round(fig.logical_tiles, 3),
        page_bytes=fig.page_bytes,
        bytes=fig.bytes,
        num_banks=fig.num_banks,
        bytes_per_bank=fig.bytes_per_bank,
        row_strides=None if fig.row_strides is None else list(fig.row_strides),
        expected_row_strides=list(fig.expected_row_strides),
        memref_declared=None if fig.memref_declared is None else list(fig.memref_declared),
        memref_computed=None if fig.memref_computed is None else list(fig.memref_computed),
        memref_matches=fig.memref_matches,
    )
    if fig.memref_note:
        d["memref_note"] = fig.memref_note
    return d


def op_dict(op: Op) -> dict[str, Any]:
    """The JSON form of an op's identity: id, name, program, operands, results, line, loc."""
    return {
        "id": op.id,
        "name": op.name,
        "program": op.program,
        "operands": list(op.operands),
        "results": list(op.results),
        "line": op.line,
        "loc": op.loc.to_json() if op.loc else None,
    }


def dumps(obj: Any) -> str:
    """One ``json.dumps`` call, stable key order."""
    return json.dumps(obj, indent=2, sort_keys=True, default=str)


def iter_json_listing(obj: dict[str, Any], listings: tuple[str, ...]) -> Iterator[str]:
    """The text of a JSON object, in pieces, for reports that list every op of a 100k-op dump.

    Top-level keys are sorted and indented as in :func:`dumps`; the values under ``listings`` are
    iterables consumed lazily, one element per line (compact, sorted keys). Each line goes through
    the C encoder (``indent`` would force the pure-Python one, ~10x slower), and nothing holds the
    whole text, so memory stays that of the report. The result parses to the same object as
    ``dumps(obj)`` with the listings made lists.
    """
    yield "{"
    keys = sorted(obj)
    for i, key in enumerate(keys):
        yield "\n  " + json.dumps(key) + ": "
        value = obj[key]
        if key in listings:
            empty = True
            for element in value:
                yield ("[\n    " if empty else ",\n    ") + json.dumps(element, sort_keys=True, default=str)
                empty = False
            yield "[]" if empty else "\n  ]"
        else:
            yield json.dumps(value, indent=2, sort_keys=True, default=str).replace("\n", "\n  ")
        if i < len(keys) - 1:
            yield ","
    yield "\n}"


def fmt_int(v: int) -> str:
    """An integer with thousands separators: ``9,990,400``."""
    return f"{v:,}"


def fmt_figure(name: str, value: Any) -> str:
    """Render a figure with its unit: ``*_bytes`` → ``9,990,400 B``; ranges as ``(x0,y0)-(x1,y1)``."""
    if isinstance(value, bool):  # users read yes / no, not Python's True / False
        return "yes" if value else "no"
    if value is None:
        return "unknown"
    if isinstance(value, int):
        if "bytes" in name:
            return f"{value:,} B"
        return str(value) if name.endswith(("_line", "_id", "_number")) or name == "line" else f"{value:,}"
    if name in ("core_range",) and isinstance(value, list) and len(value) == 2:
        (x0, y0), (x1, y1) = value
        return f"(x={x0},y={y0}) - (x={x1},y={y1})"
    if name == "cores" and isinstance(value, list):
        return ", ".join(f"(x={x},y={y})" for x, y in value)
    return str(value)


def fmt_shape(shape) -> str:
    """A shape as ``[4, 4884480]``; an unknown dim is ``?``."""
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def fits(console: Console, renderable: RenderableType) -> bool:
    """Whether ``renderable`` prints at its natural width on ``console``, with no cell wrapped or cut.

    The text renderers print a wide table (one line per item, good for grep) when it fits, else a stacked
    form of the same figures, so an 80-column terminal never sees a value cut to "r…".
    """
    natural = console.measure(renderable, options=console.options.update_width(1 << 16)).maximum
    return natural <= console.width


def label_grid(rows: list[tuple[str | Text, str | Text]], key_style: str = "", gap: int = 1) -> Table:
    """Labels and values in two columns: a label never wraps; a long value wraps (or folds, for a path)
    under itself, not under the label."""
    g = Table.grid(padding=(0, gap))
    g.add_column(style=key_style, no_wrap=True)
    g.add_column(overflow="fold")
    for k, v in rows:
        g.add_row(k, v)
    return g


def print_records(console: Console, title: str | None, columns: list[tuple[str, str]],
                  rows: list[list[str | Text]], head: int = 1) -> None:
    """Print ``rows`` as one table (``columns``: (header, justify)) when it fits the console, else as one
    block per row: its first ``head`` cells as a bold heading, then an indented paragraph of ``header
    value`` pairs, wrapped between pairs. No key value is ever cut to "…" (see :func:`fits`)."""
    table = Table(title=title, title_justify="left")
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*row)
    if fits(console, table):
        console.print(table)
        return
    if title:
        console.print(Text(title, style="italic"))
    for row in rows:
        heading = Text("  ").join(c if isinstance(c, Text) else Text(str(c)) for c in row[:head])
        heading.stylize("bold")
        pairs = Text()
        for (name, _), value in zip(columns[head:], row[head:]):
            if pairs:
                pairs.append(", ")
            pairs.append(f"{name} ", style="dim")
            pairs.append_text(value if isinstance(value, Text) else Text(str(value)))
        pairs.overflow = "fold"
        console.print(Group(heading, Padding(pairs, (0, 0, 0, 2), expand=False)))


def mlir_lexer():
    """pygments' MLIR lexer when the installed pygments has one, else a small one of ttdiag's own."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name("mlir")
    except ClassNotFound:
        return _mlir_lexer_class()()


def _mlir_lexer_class():
    from pygments.lexer import RegexLexer
    from pygments.token import Comment, Keyword, Name, Number, Punctuation, String, Text, Whitespace

    class MlirLexer(RegexLexer):
        """MLIR's textual form, enough to colour TTNN rewrites (pygments 2.21 has no MLIR lexer)."""

        name = "MLIR"
        aliases = ["mlir"]
        tokens = {"root": [
            (r"//[^\n]*", Comment.Single),
            (r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"', String),  # generic op names, string attributes
            (r"%[\w.$-]+(?:#\d+)?", Name.Variable),  # SSA values: %9, %c0_rm, %arg0, %s#1
            (r"\^[\w.$-]+", Name.Label),
            (r"@[\w.$-]+", Name.Function),
            (r"#[\w.$-]+", Name.Attribute),  # #ttnn.ttnn_layout, #dram
            (r"![\w.$-]+", Keyword.Type),  # !ttcore.tile
            (r"\b(?:tensor|memref|vector|array|index|none|[su]?i\d+|bf16|f\d+)\b", Keyword.Type),
            (r"\b(?:loc|unknown|affine_map|true|false)\b", Keyword),
            (r"-?\d+\.\d*(?:[eE][+-]?\d+)?", Number.Float),
            (r"0x[0-9a-fA-F]+|-?\d+", Number.Integer),
            (r"->|[<>(){}\[\],:=*+]", Punctuation),
            (r"\s+", Whitespace),
            (r"[\w.]+", Name),
            (r".", Text),
        ]}

    return MlirLexer


def mlir_syntax(code: str):
    """MLIR code as a rich ``Syntax`` block, printed in full: lines wrap at spaces (MLIR reads a newline as
    a space, so what is copied from the terminal still parses), never cut; no colour off a terminal."""
    from rich.syntax import Syntax

    return Syntax(code, mlir_lexer(), theme="ansi_dark", word_wrap=True, background_color="default")


_FROM = {"message": "the message", "record": "the record", "L1 model": "the L1 model"}


def l1_at_failure_rows(mem: dict) -> list[tuple[str, str]]:
    """The "L1 at the failure" block of a failure's ``memory`` section: (label, value) rows, each figure
    with where it came from; what is unknown is left out (the section's notes say why)."""
    src = mem.get("sources", {})

    def val(key: str) -> str:
        where = _FROM.get(src.get(key, ""), "")
        return f"{mem[key]:,} B" + (f" (from {where})" if where else "")

    rows = [("record", mem["source"])]
    for key, label in (("live_l1_bytes_per_bank", "live L1/bank"), ("largest_free_block_bytes", "largest free"),
                       ("cb_region_end_bytes", "CB region end"), ("lowest_l1_buffer_bytes", "lowest L1 buf"),
                       ("overlap_bytes", "overlap")):
        if key in mem:
            rows.append((label, f"{mem[key]:,} B" if key == "overlap_bytes" else val(key)))
    return rows


MAX_CANDIDATES = 5  # dump candidates listed one per line; the rest are counted


def dump_search_lines(search) -> tuple[str, list[str]]:
    """A dump search (the failing op looked up in the ``--ir`` dump by the failure's figures) as a headline
    and one line per candidate (at most :data:`MAX_CANDIDATES`, then ``and N more``): the only op, several
    ops (none is taken as the failing op), or none."""
    cands = search.candidates
    if not cands:
        return search.none[:1].upper() + search.none[1:] + ".", []
    if len(cands) == 1:
        c = cands[0]
        head = (f"In the dump, {c.op.label} (dump line {c.line:,}, program {c.program!r}) is the only "
                f"op {search.criterion}.")
    else:
        head = (f"In the dump, {len(cands):,} ops match (ops {search.criterion}); none is taken as the "
                "failing op:")
    lines = [f"{c.op.label}, dump line {c.line:,}, program {c.program!r}: {c.matched}"
             for c in cands[:MAX_CANDIDATES]]
    if len(cands) > MAX_CANDIDATES:
        lines.append(f"and {len(cands) - MAX_CANDIDATES:,} more")
    return head, lines


def dump_candidate_dicts(search) -> list[dict[str, Any]]:
    """The JSON form of a dump search's candidates (README: ``dump_candidates``)."""
    return [{"op": c.op.id, "name": c.op.name, "program": c.program, "dump_line": c.line, "matched": c.matched}
            for c in search.candidates]

"""L1 allocation failures that hold for any model (issue "Advice that holds for any model"):

* ``l1-oom-dram-config``: an L1 out-of-memory whose failing op's result is L1 interleaved: the same op with
  that result in DRAM (interleaved). Only the memory config changes: the values are equal by construction.
* ``l1-oom-fragmented``: an L1 out-of-memory with enough free bytes per bank but no block large enough
  (free >= needed > largest free block): deallocate earlier / reorder, naming the L1 values the log's IR
  keeps alive past their last use, and the program inputs in L1 (not deallocated: the caller owns them; a
  note says to pass them in DRAM).
* ``cb-clash-live-l1``: the static CB region of a program runs into L1 buffers (tt-metal #28835 asks which
  ones): the live L1 values the IR places there (program inputs included) and by how much the regions
  overlap; move one to DRAM or shrink the CBs by the overlap.

Neither rule names tensors that earlier program runs left in L1: the log does not link one program's outputs
to the next one's inputs. The earlier runs are listed by name and lines instead.

The allocator's message (tt-metal ``tt_metal/impl/allocator/bank_manager.cpp`` ``BankManager::allocate_buffer``
@ dbc6e1ae): "Out of Memory: Not enough space to allocate {size} B {buffer_type} buffer across {num_banks}
banks, where each bank needs to store {size_per_bank} B, but bank size is {bank_size} B (allocated: {} B,
free: {} B, largest free block: {} B)"; the figures are the bank's allocator statistics (per bank).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analyze.layout import analyze_tensor, interleaved_bytes_per_bank
from ..ir.graph import Op
from ..ir.types import TensorType
from ..parse.mlir import MLIRSyntaxError
from .context import AdviceContext
from .model import Advice, Assumption, Verification, fact, from_ir, guess
from .registry import advice_rule
from .rewrite import DRAM_INTERLEAVED, Rewrite, RewriteError, boolean

_BANK_MANAGER = "tt-metal tt_metal/impl/allocator/bank_manager.cpp BankManager::allocate_buffer @dbc6e1ae"
_CB_CHECK = "tt-metal tt_metal/impl/program/program.cpp ProgramImpl::validate_circular_buffer_region @001b6f94"
_NAMED = 8  # stale L1 values named (and deallocated in the rewrite) at most


def _fmt(n: int) -> str:
    return f"{n:,}"


def _is_l1_oom(f) -> bool:
    """An out-of-memory of the L1 bank (not L1_SMALL: that region holds no interleaved tensors)."""
    return f.kind == "out-of-memory" and str(f.figures.get("buffer_type", "")).upper() == "L1"


def _per_bank(ctx: AdviceContext, t: TensorType, banks: int | None = None) -> int | None:
    """Bytes per bank of an L1 tensor: interleaved pages round-robin over ``banks`` (the message's count,
    else the arch's worker cores), each page aligned to the L1 alignment; sharded: one shard."""
    fig = analyze_tensor(t, ctx.l1.arch)
    if fig is None:
        return None
    if banks and fig.memory_layout in (None, "interleaved"):
        return interleaved_bytes_per_bank(fig, ctx.l1.arch, banks)
    return fig.bytes_per_bank


def _is_l1(t) -> bool:
    return isinstance(t, TensorType) and t.layout is not None and t.layout.buffer_type == "l1"


@dataclass(slots=True)
class LiveL1:
    """An L1 value live at the failing op. Defined in the window: ``producer`` is its op, ``last_use`` its
    last use before the failing op. A program input (``%argN``): ``producer`` is None, ``first_use`` is the
    window op whose operand types show it in L1, ``program`` the failing run's program name (None when the
    log does not name it). ``per_bank``: bytes per L1 bank, None when the type does not give them."""

    name: str
    type: TensorType
    producer: Op | None
    last_use: Op | None
    freed_at: Op | None
    used_by_failing: bool
    per_bank: int | None
    first_use: Op | None = None
    program: str | None = None

    @property
    def is_input(self) -> bool:
        return self.producer is None

    @property
    def line(self) -> int:
        """The line that shows the value: its producer's, or (a program input) its first use's."""
        op = self.producer or self.first_use
        return op.line if op is not None and op.line is not None else 0


def _failing_run(ctx: AdviceContext):
    return ctx.trace.run(ctx.report.failure.event.run)


def _program_name(ctx: AdviceContext) -> str | None:
    """The failing run's program name; None when the log has op lines without a program marker."""
    run = _failing_run(ctx)
    return None if run is None or run.implicit or run.name in ("", "?") else run.name


def live_l1(ctx: AdviceContext, banks: int | None = None) -> list[LiveL1]:
    """The L1 values live at the failing op that the window's op lines show, program inputs first:

    * program inputs: ``%arg`` operands of window ops up to and including the failing op whose operand type
      (on the using op's line) is an L1 tensor, unless a window op deallocates them before the failing op.
      The caller owns them, so they are live for the whole program;
    * values defined by window ops before the failing op and not deallocated before it, with their last use
      before it. The failing op's own results are not included.

    ``banks``: the allocator message's bank count (interleaved pages round-robin over them), else the arch's.
    Empty when the log has no failing op line."""
    op = ctx.failing_op
    if op is None:
        return []
    before = [o for o in ctx.window_ops() if o.line is not None and op.line is not None and o.line < op.line]
    out: list[LiveL1] = []
    prog = _program_name(ctx)
    seen: set[str] = set()
    for i, user in enumerate(before + [op]):
        for name, t in zip(user.operands, user.operand_types):
            if not name.startswith("%arg") or name in seen or not _is_l1(t):
                continue
            seen.add(name)
            if any(o.name == "ttnn.deallocate" and name in o.operands for o in before[i:]):
                continue
            uses = [o for o in before[i:] if name in o.operands]
            out.append(LiveL1(name, t, None, uses[-1] if uses else None, None, name in op.operands,
                              _per_bank(ctx, t, banks), first_use=user, program=prog))
    for i, prod in enumerate(before):
        if prod.name == "ttnn.deallocate":
            continue
        for name, t in zip(prod.results, prod.result_types):
            if not _is_l1(t):
                continue
            later = before[i + 1:]
            freed = next((o for o in later if o.name == "ttnn.deallocate" and name in o.operands), None)
            if freed is not None:
                continue
            uses = [o for o in later if name in o.operands]
            out.append(LiveL1(name, t, prod, uses[-1] if uses else None, None, name in op.operands,
                              _per_bank(ctx, t, banks)))
    return out


def _run_span(r) -> str:
    end = f"{_fmt(r.end_line)}" if r.end_line is not None else "end of log"
    return f"'{r.name}' (lines {_fmt(r.start_line)}-{end})"


def _earlier_runs(ctx: AdviceContext) -> list:
    """Program runs the log shows finishing before the failing run started (kept runs only)."""
    run = _failing_run(ctx)
    if run is None:
        return []
    return [r for r in ctx.trace.programs if r.finished and r.index < run.index and r.end_line is not None
            and r.end_line < run.start_line]


def _same_type_outputs(ctx: AdviceContext, prev, inputs: list[LiveL1]) -> list[str]:
    """L1 results in the last op lines of ``prev`` (not deallocated there) whose type is exactly that of an L1
    program input of the failing run: a type match, not a link (the log does not say which tensors a program
    returns or which the next one is given)."""
    ops = []
    for rec in prev.tail:
        try:
            ops.append(ctx.parser.parse(rec.text, rec.line))
        except MLIRSyntaxError:  # an op line that does not parse names nothing
            continue
    freed = {n for o in ops if o.name == "ttnn.deallocate" for n in o.operands}
    out = []
    for v in inputs:
        for o in ops:
            for r, t in zip(o.results, o.result_types):
                if r not in freed and _is_l1(t) and t == v.type:
                    out.append(f"{r} ({o.name}, line {_fmt(o.line)}) with the type of {v.name}")
    return out


def _scope_note(ctx: AdviceContext, live: list[LiveL1] | None = None) -> str:
    """What the live-value analysis covers and what it does not, for the failing run: the L1 values the kept op
    lines define, the program inputs they use in L1; not values defined before the kept lines, inputs the kept
    lines do not use, nor tensors left in L1 by earlier program runs (listed by name and lines; an output of
    the run just before whose type equals an L1 input's is pointed out, as a type match only)."""
    from ..parse.log import WINDOW_OPS

    window = ctx.report.failure.event.window
    n = len(window)
    prog = _program_name(ctx)
    where = f"program '{prog}'" if prog else "the failing program"
    lines = f" (lines {_fmt(window[0].line)}-{_fmt(window[-1].line)})" if window else ""
    covered = (f"named: L1 values defined by the {n} op lines of {where}{lines} and not deallocated before "
               "the failing op, and the program inputs those lines use in L1")
    missing = []
    if n >= WINDOW_OPS:
        missing.append(f"values defined before those lines (only the last {n} op lines are kept)")
    missing.append("program inputs the lines do not use (their types are not shown)")
    earlier = _earlier_runs(ctx)
    if not earlier:
        missing.append("tensors of earlier programs (the log shows no program run finishing before this one)")
    else:
        shown = ", ".join(_run_span(r) for r in earlier[-3:])
        more = f" and {len(earlier) - 3} earlier runs" if len(earlier) > 3 else ""
        missing.append(f"tensors that earlier runs left in L1 ({shown}{more} ran before; the log does not say "
                       "which of their outputs stay allocated or are passed to this program)")
        inputs = [v for v in (live or []) if v.is_input]
        match = _same_type_outputs(ctx, earlier[-1], inputs) if inputs else []
        if match:
            missing.append(f"the last op lines of '{earlier[-1].name}' leave in L1 " + "; ".join(match[:3])
                           + ": a type match only, the log does not link them")
    return covered + "; not named: " + "; ".join(missing)


def _describe(v: LiveL1) -> str:
    size = f"{_fmt(v.per_bank)} B per bank" if v.per_bank is not None else "size unknown"
    if v.is_input:
        prog = f"program '{v.program}'" if v.program else "the failing program"
        u = v.first_use
        use = ("an operand of the failing op" if v.used_by_failing or u is None else
               f"first used by {u.label} (line {_fmt(u.line)})")
        return (f"{v.name} (program input {v.name} of {prog} (live for the whole program; the caller owns it); "
                f"{size}; {use})")
    if v.used_by_failing:
        last = "an operand of the failing op"
    elif v.last_use is not None:
        last = f"last used by {v.last_use.label} (line {_fmt(v.last_use.line)})"
    else:
        last = "not used before the failing op"
    return f"{v.name} ({v.producer.name}, line {_fmt(v.producer.line)}; {size}; {last})"


def _input_assumption(ctx: AdviceContext, v: LiveL1, op: Op) -> Assumption:
    u = v.first_use
    return from_ir(f"{v.name} is a program input in L1, live at {op.id} (the caller owns it)",
                   u.line if u is not None else None,
                   f"{u.label} operand types" if u is not None else "", ctx.where(u) if u is not None else "log")


def _dram_input_note(inputs: list[LiveL1]) -> str:
    names = ", ".join(v.name for v in inputs)
    total = sum(v.per_bank or 0 for v in inputs)
    size = f" ({_fmt(total)} B per bank)" if total else ""
    one = len(inputs) == 1
    return (f"program input{'' if one else 's'} {names}{size} cannot be deallocated inside the program: to free "
            f"that L1, pass {'it' if one else 'them'} in DRAM (a DRAM memory config for "
            f"{'its producer' if one else 'their producers'} in the calling program)")


def _to_dram(ctx: AdviceContext, op: Op, which: set[str]) -> Rewrite | None:
    """``op`` with the results named in ``which`` DRAM interleaved (its memory_config too, when it has one);
    None when the edited op fails its checks."""
    b = ctx.builder(op.operands)
    outs = [b.like(t, buffer="dram") if r in which and isinstance(t, TensorType) else t
            for r, t in zip(op.results, op.result_types)]
    b.copy(op, result_types=outs, **({"memory_config": DRAM_INTERLEAVED} if op.attr("memory_config") else {}))
    try:
        return b.finish()
    except RewriteError:
        return None


def _placement_only(what: str) -> Verification:
    return Verification("layout-only", detail=f"only the memory config of {what} changes (L1 -> DRAM "
                        "interleaved): the values are equal by construction; nothing was run")


def _failure_assumption(f) -> Assumption:
    return from_ir(f"the failure: {f.message}", f.line, f.kind)


def _l1_interleaved(t) -> bool:
    return _is_l1(t) and t.layout.memory_layout in (None, "interleaved")


@advice_rule("l1-oom-dram-config")
def l1_oom_dram_config(ctx: AdviceContext) -> list[Advice]:
    """An L1 out-of-memory at an op whose result is L1 interleaved: that result in DRAM instead. When no result
    is in L1 but an operand is (and the log shows its producer), that producer's result in DRAM."""
    f = ctx.report.failure
    op = ctx.failing_op
    if not _is_l1_oom(f) or op is None:
        return []
    l1 = [(r, t) for r, t in zip(op.results, op.result_types) if _l1_interleaved(t)]
    if l1:
        return [_dram_advice(ctx, op, l1, None)]
    out = []
    seen: set[str] = set()
    for name, t in zip(op.operands, op.operand_types):
        if name in seen or not _l1_interleaved(t):
            continue
        seen.add(name)
        prod = ctx.producer(name)
        if prod is not None and prod.line is not None and op.line is not None and prod.line < op.line:
            out.append(_dram_advice(ctx, prod, [(name, t)], op))
    return out


def _dram_advice(ctx: AdviceContext, op: Op, l1: list, consumer: Op | None) -> Advice:
    """``op`` with its L1 interleaved results ``l1`` in DRAM; ``consumer``: the failing op, when ``op`` is
    the producer of one of its operands (else ``op`` is the failing op)."""
    f = ctx.report.failure
    figs = f.figures
    banks, need, free = figs.get("num_banks"), figs.get("bytes_per_bank"), figs.get("free_bytes")
    names = {r for r, _ in l1}
    what = ("the result" if len(op.results) == 1 else "the results " + ", ".join(sorted(names)))
    text = _to_dram(ctx, op, names)
    freed = {r: _per_bank(ctx, t, banks) for r, t in l1}
    total = sum(v for v in freed.values() if v is not None)
    assumptions = [_failure_assumption(f),
                   from_ir(f"{what} of {op.id} {op.name} ({', '.join(sorted(names))}): L1 interleaved", op.line,
                           f"{op.id} {op.name} result types", ctx.where(op)),
                   fact("an L1 interleaved buffer spreads its pages round-robin over the L1 banks; a DRAM "
                        "interleaved one over the DRAM banks, outside L1", _BANK_MANAGER)]
    evidence = [f"{f.kind}: {f.message}"]
    pred = ctx.predict(text.ops) if text is not None else {}
    pred.update({"l1_bytes_per_bank_freed": total, "needed_bytes_per_bank": need,
                 "per_result": {r: b for r, b in freed.items()}})
    if consumer is None and need is not None:
        match = next((r for r, b in freed.items() if b == need), None)
        if match is not None:
            assumptions.append(fact(f"{match} needs {_fmt(need)} B per bank over {banks} banks: the buffer the "
                                    "message failed to allocate", f"{_BANK_MANAGER}; the message's figures"))
        else:
            assumptions.append(guess(f"the failing allocation ({_fmt(need)} B per bank) is {op.id}'s output",
                                     "no L1 result of the op has exactly that size per bank (it may be an "
                                     "intermediate of the op)"))
    elif consumer is not None:
        evidence.append(f"{consumer.id} {consumer.name} (line {_fmt(consumer.line)}) has no L1 result; its operand "
                        f"{', '.join(sorted(names))} is L1 interleaved")
        if need is not None:
            pred["freed_block_covers_need"] = total >= need
            assumptions.append(guess(f"the {_fmt(total)} B per bank freed is where the {_fmt(need)} B allocation "
                                     "can go" + (f" (with {_fmt(free)} B already free)" if free is not None else ""),
                                     "the log gives no buffer addresses: whether the freed block joins a free one "
                                     "is unknown"))
    for r, b in freed.items():
        if b is not None:
            evidence.append(f"{r} takes {_fmt(b)} B per L1 bank" + (f" over {banks} banks" if banks else ""))
    notes = ["a DRAM result is slower to read than an L1 one; the next consumers read it from DRAM"]
    if consumer is not None and need is not None and total < need:
        notes.append(f"{_fmt(total)} B per bank freed is less than the {_fmt(need)} B needed: it helps only next "
                     "to free space")
    return Advice("l1-oom-dram-config",
                  f"Put {what} of {op.id} {op.name} in DRAM (interleaved memory config) instead of L1"
                  + (f": frees {_fmt(total)} B per L1 bank" if total else ""),
                  evidence, text or "", pred, _placement_only(f"{op.id}'s result"),
                  score=55.0 if consumer is None else 45.0, notes=notes, assumptions=assumptions)


@advice_rule("l1-oom-fragmented")
def l1_oom_fragmented(ctx: AdviceContext) -> list[Advice]:
    """free >= needed > largest free block (per bank): the bytes exist but not in one block."""
    f = ctx.report.failure
    figs = f.figures
    need, free, largest = figs.get("bytes_per_bank"), figs.get("free_bytes"), figs.get("largest_free_block_bytes")
    if not _is_l1_oom(f) or need is None or free is None or largest is None or not free >= need > largest:
        return []
    evidence = [f"{f.kind}: {f.message}",
                f"fragmented: {_fmt(free)} B free per bank >= {_fmt(need)} B needed > {_fmt(largest)} B largest "
                f"free block (short by {_fmt(need - largest)} B in one block)"]
    assumptions = [_failure_assumption(f),
                   fact("free and largest free block are the bank allocator's statistics (per bank) at the "
                        "failed allocation", _BANK_MANAGER)]
    op = ctx.failing_op
    notes: list[str] = []
    text = ""
    stale: list[LiveL1] = []
    inputs: list[LiveL1] = []
    if op is None:
        notes.append("the log has no op lines before the failure: which L1 tensors are live is unknown")
    else:
        live = live_l1(ctx, figs.get("num_banks"))
        inputs = [v for v in live if v.is_input]
        defined = [v for v in live if not v.is_input]
        every = [v for v in defined if not v.used_by_failing]
        # the largest first; at most _NAMED of them named and deallocated (the rest counted)
        stale = sorted(every, key=lambda v: -(v.per_bank or 0))[:_NAMED]
        stale.sort(key=lambda v: v.line)
        if len(every) > len(stale):
            notes.append(f"{len(every) - len(stale)} more L1 values with no deallocate are not named (the "
                         f"{_NAMED} largest are)")
        notes.append(_scope_note(ctx, live))
        if inputs:
            shown = sorted(inputs, key=lambda v: -(v.per_bank or 0))[:_NAMED]
            evidence.append("program inputs in L1, live for the whole program: "
                            + "; ".join(_describe(v) for v in shown))
            if len(inputs) > len(shown):
                notes.append(f"{len(inputs) - len(shown)} more L1 program inputs are not named (the {_NAMED} "
                             "largest are)")
            assumptions.extend(_input_assumption(ctx, v, op) for v in shown)
            notes.append(_dram_input_note(shown))
        if stale:
            evidence.append("L1 values with no deallocate before the failing op, not used by it: "
                            + "; ".join(_describe(v) for v in stale))
            for v in stale:
                assumptions.append(from_ir(f"{v.name} is in L1 and not deallocated before {op.id}",
                                           v.producer.line, f"{v.producer.id} {v.producer.name}",
                                           ctx.where(v.producer)))
            b = ctx.builder([v.name for v in stale])
            for v in stale:
                after = v.last_use or v.producer
                b.comment(f"after line {after.line} ({after.label}: last use of {v.name})")
                b.op("ttnn.deallocate", [], [v.name], [v.type], [], force=boolean(False))
            try:
                text = b.finish()
            except RewriteError:
                text = ""
        elif defined:
            notes.append("every live L1 value the log shows is an operand of the failing op: reorder so that "
                         "fewer of them are live together, or move one to DRAM")
        elif inputs:
            notes.append("no L1 value defined in the log's op lines is live at the failing op: of the live L1 "
                         "tensors the log shows, only the program inputs remain")
        else:
            notes.append("no L1 value defined in the log's op lines is live at the failing op: the fragments "
                         "come from earlier programs or tensors the log does not show")
    freed = sum(v.per_bank or 0 for v in stale)
    pred = {"needed_bytes_per_bank": need, "free_bytes_per_bank": free, "largest_free_block_bytes": largest,
            "short_in_one_block_bytes": need - largest}
    if stale:
        pred["l1_bytes_per_bank_freed"] = freed
        assumptions.append(guess("freeing these values merges their blocks with the free space next to them",
                                 "the log does not print addresses: whether a freed block is adjacent to a "
                                 "free one is unknown"))
    if inputs:
        pred["l1_program_inputs_bytes_per_bank"] = {v.name: v.per_bank for v in inputs}
    names = ", ".join(v.name for v in stale[:3]) + (f" and {len(stale) - 3} more" if len(stale) > 3 else "")
    its = "its" if len(stale) == 1 else "their"
    title = (f"Fragmented L1: deallocate {names} after {its} last use (or reorder ops) so that a "
             f"{_fmt(need)} B block per bank frees up" if stale else
             f"Fragmented L1 ({_fmt(free)} B free per bank, largest block {_fmt(largest)} B < {_fmt(need)} B "
             "needed): deallocate L1 tensors earlier or reorder ops"
             + (f", or pass {inputs[0].name} in DRAM" if len(inputs) == 1 else
                ", or pass program inputs in DRAM" if inputs else ""))
    ver = (Verification("layout-only", detail="only ttnn.deallocate ops are added after the values' last "
                        "uses: the values are equal by construction; nothing was run") if text else
           Verification("not-run", detail="no rewrite: an ordering / lifetime change"))
    return [Advice("l1-oom-fragmented", title, evidence, text, pred, ver, score=50.0 if stale else 30.0,
                   notes=notes, assumptions=assumptions)]


@advice_rule("cb-clash-live-l1")
def cb_clash_live_l1(ctx: AdviceContext) -> list[Advice]:
    """The CB region of the failing program ends above the lowest L1 buffer: which live L1 values the IR
    places there, the overlap, and the two ways out (move a buffer to DRAM, shrink the CBs)."""
    f = ctx.report.failure
    if f.kind != "cb-clashes-with-l1-buffer":
        return []
    mem = ctx.report.memory or {}
    figs = f.figures
    end = mem.get("cb_region_end_bytes", figs.get("cb_region_end_bytes"))
    low = mem.get("lowest_l1_buffer_bytes", figs.get("l1_buffer_address_bytes"))
    overlap = mem.get("overlap_bytes")
    if overlap is None and end is not None and low is not None:
        overlap = max(0, end - low)
    evidence = [f"{f.kind}: {f.message}"]
    assumptions = [_failure_assumption(f),
                   fact("the check throws when the lowest occupied L1 address is below the CB region end; the "
                        "overlap is their difference", _CB_CHECK)]
    notes: list[str] = []
    srcs = mem.get("sources", {})
    if overlap is not None:
        evidence.append(f"CB region ends at {_fmt(end)} B, lowest L1 buffer at {_fmt(low)} B: {_fmt(overlap)} B "
                        "of overlap")
        for k in ("cb_region_end_bytes", "lowest_l1_buffer_bytes"):
            if srcs.get(k) and srcs[k] != "message":
                assumptions.append(fact(f"{k.replace('_', ' ')} from the {srcs[k]}", mem.get("source", "")))
    else:
        unknown = [w for w, v in (("the CB region end", end), ("the lowest L1 buffer address", low)) if v is None]
        notes.append(f"overlap unknown: neither the message nor a memory record gives {' or '.join(unknown)}")
    op = ctx.failing_op
    live = live_l1(ctx) if op is not None else []
    own = []
    if op is not None:
        own = [LiveL1(r, t, op, None, None, False, _per_bank(ctx, t)) for r, t in zip(op.results, op.result_types)
               if _is_l1(t)]
    cands = live + own
    if op is not None:
        notes.append(_scope_note(ctx, live))
    if op is None:
        notes.append("the log has no op lines before the failure: which L1 buffers are live is unknown")
    elif not cands:
        notes.append("no L1 value of the log's op lines is live at the failing op: the L1 buffer comes from "
                     "tensors the log does not show (earlier programs, inputs the op lines do not use, weights)")
    else:
        named = sorted(cands, key=lambda v: -(v.per_bank or 0))[:_NAMED]
        named.sort(key=lambda v: v.line)
        evidence.append("live L1 values at the failing op: " + "; ".join(
            _describe(v) + (" (the failing op's own result, allocated before its program runs)" if v in own else "")
            for v in named))
        if len(cands) > len(named):
            notes.append(f"{len(cands) - len(named)} more live L1 values are not named (the {_NAMED} largest are)")
        for v in (x for x in named if x not in own):
            assumptions.append(_input_assumption(ctx, v, op) if v.is_input else
                               from_ir(f"{v.name} is in L1 and not deallocated before {op.id}", v.producer.line,
                                       f"{v.producer.id} {v.producer.name}", ctx.where(v.producer)))
        if any(v.is_input for v in named):
            notes.append(_dram_input_note([v for v in named if v.is_input]))
        for v in (x for x in named if x in own):
            assumptions.append(from_ir(f"{v.name}, {op.id}'s result, is in L1 (allocated before its program runs)",
                                       op.line, f"{op.id} {op.name}", ctx.where(op)))
    text = ""
    pred: dict = {"overlap_bytes": overlap, "cb_region_end_bytes": end, "lowest_l1_buffer_bytes": low}
    rec = mem.get("live_l1_bytes_per_bank")
    if rec is not None and op is not None:
        shown = sum(v.per_bank or 0 for v in live)
        pred["record_live_l1_bytes_per_bank"], pred["ir_live_l1_bytes_per_bank"] = rec, shown
        evidence.append(f"the memory record has {_fmt(rec)} B per bank allocated in L1; the live values of the "
                        f"log's op lines show at {op.id} (program inputs included) take {_fmt(shown)} B"
                        + (f": {_fmt(rec - shown)} B per bank belong to tensors the log does not show"
                           if rec > shown else ""))
        assumptions.append(fact(f"{_fmt(rec)} B per bank allocated in L1", mem.get("source", "the memory record")))
    # the buffer to move: one large enough to lift the lowest address past the CB region, else the largest
    # program inputs were allocated before the program ran, so above its own buffers: picked only when no value
    # of the program has a known size
    sized = ([v for v in cands if v.per_bank is not None and not v.is_input]
             or [v for v in cands if v.per_bank is not None])
    pick = None
    if sized:
        enough = [v for v in sized if overlap is not None and v.per_bank >= overlap]
        pick = min(enough, key=lambda v: v.per_bank) if enough else max(sized, key=lambda v: v.per_bank)
        if pick.producer is not None:
            text = _to_dram(ctx, pick.producer, {pick.name}) or ""
        pred["moved"] = pick.name
        pred["moved_bytes_per_bank"] = pick.per_bank
        assumptions.append(guess(f"{pick.name} is the L1 buffer at the lowest address",
                                 "L1 interleaved buffers are allocated top-down, so the latest live one sits "
                                 "lowest; the log gives no buffer addresses" if not pick.is_input else
                                 "no L1 value of the program has a known size, only program inputs; the log "
                                 "gives no buffer addresses"))
    shrink = f"shrink the op's CBs by {_fmt(overlap)} B per core" if overlap else "shrink the op's CBs"
    if op is not None and op.name in ("ttnn.conv2d", "ttnn.conv_transpose2d"):
        shrink += (" (conv2d_config: a smaller act_block_h_override, another shard_layout, DRAM slicing: see the "
                   "conv2d-act-block-h, conv2d-shard-layout and conv2d-dram-slice knobs)")
    elif op is not None and op.name in ("ttnn.matmul", "ttnn.linear"):
        shrink += (" (a smaller in0_block_w or per-core block in the matmul program config: see the "
                   "matmul-in0-block-w and matmul-per-core-block knobs)")
    move = ("move a live L1 buffer to DRAM" if pick is None else
            f"pass program input {pick.name} ({_fmt(pick.per_bank)} B per bank) in DRAM" if pick.is_input else
            f"move {pick.name} ({_fmt(pick.per_bank)} B per bank) to DRAM")
    title = (f"CB region overlaps L1 buffers by {_fmt(overlap)} B: {move}, or {shrink}" if overlap
             else f"CBs clash with an L1 buffer: {move}, or {shrink}")
    if pick is not None and overlap is not None and pick.per_bank < overlap:
        notes.append(f"{pick.name} alone ({_fmt(pick.per_bank)} B per bank) is smaller than the {_fmt(overlap)} B "
                     "overlap: move more than one buffer, or shrink the CBs as well")
    ver = (_placement_only(f"{pick.name}") if text else
           Verification("not-run", detail="no rewrite: a program input's memory config is set by the calling "
                        "program") if pick is not None and pick.is_input else
           Verification("not-run", detail="no rewrite"))
    return [Advice("cb-clash-live-l1", title, evidence, text, pred, ver, score=50.0 if text else 30.0,
                   notes=notes, assumptions=assumptions)]

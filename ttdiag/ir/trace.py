"""What a runtime log says happened: program runs, executed ops (bounded), and error events."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class OpRecord:
    """An ``Executing operation:`` line: where it is, the program run it belongs to, its op text."""

    line: int
    offset: int
    run: int | None
    text: str

    @property
    def result_ids(self) -> list[str]:
        """SSA results named before `` = ``, cheaply (``%a, %b = ...``; ``%0:2 = ...`` gives ``%0``)."""
        if not self.text.startswith("%"):
            return []
        head = self.text.split(" = ", 1)[0]
        return [r.strip().split(":")[0] for r in head.split(",")]

    @property
    def name(self) -> str | None:
        q = self.text.find('"')
        if q < 0:
            return None
        end = self.text.find('"', q + 1)
        return self.text[q + 1:end] if end > q else None


@dataclass(slots=True)
class ProgramRun:
    """One execution of a program: ``Starting execution of program: X`` .. ``Finished ..``.

    ``finished`` is False when the log ends or fails inside it. ``ops`` counts its op lines.
    """

    index: int
    name: str
    start_line: int
    end_line: int | None = None
    ops: int = 0
    implicit: bool = False
    tail: list[OpRecord] = field(default_factory=list)  # the last few op lines, kept when it finishes

    @property
    def finished(self) -> bool:
        return self.end_line is not None


@dataclass(slots=True)
class LogEvent:
    """A block of log text that reports an error, with the run state when it appeared.

    ``line`` is where the block starts (1-based); ``lines`` the block as it appears, prefixes
    included (bounded); ``source`` the line shape (``tt-metal``, ``mlir-runtime``, ``pytest``,
    ``python``, ``signal``, ``plain``). ``run`` is the program run active at the time;
    ``last_op`` its last executed op; ``window`` the recent op lines of that run;
    ``producers`` maps each operand of ``last_op`` to the (line, offset) of its defining op;
    ``context`` the (line, text) of the lines just before the block that name the failing Python
    call (pytest's ``FastOperation`` and ``ttnn.Tensor`` reprs, traceback frames), bounded.
    """

    line: int
    lines: list[str]
    source: str
    level: str | None
    run: int | None
    last_op: OpRecord | None
    window: list[OpRecord] = field(default_factory=list)
    producers: dict[str, tuple[int, int]] = field(default_factory=dict)
    context: list[tuple[int, str]] = field(default_factory=list)
    # the last allocator state logged before the block (tt-mlir's ``Device <KIND> memory state:
    # MemoryView{...}`` DEBUG lines): ``{"line", "op", "views": {kind: (line, text)}}``, or None
    memory: dict | None = None


@dataclass(slots=True)
class RunTrace:
    """A streamed log: its program runs, error events (bounded), and reader warnings.

    ``programs`` keeps a bounded, ordered selection of the runs (the first and last
    ``KEEP_RUNS``, every run an event happened in, every run still open at the end);
    ``runs_total`` / ``runs_finished`` count all of them.
    """

    source: str
    programs: list[ProgramRun] = field(default_factory=list)
    runs_total: int = 0
    runs_finished: int = 0
    events: list[LogEvent] = field(default_factory=list)
    events_dropped: int = 0
    op_lines: int = 0
    lines: int = 0
    bytes: int = 0
    first_timestamp: str | None = None
    last_line: str = ""
    tail: list[str] = field(default_factory=list)
    rereadable: bool = False
    warnings: list[str] = field(default_factory=list)
    # (kind, text) of the warnings that leave the run's outcome unknown (input-truncated, input-empty,
    # input-binary); their texts are in ``warnings`` too
    health: list[tuple[str, str]] = field(default_factory=list)
    memory_lines: int = 0  # ``MemoryView{...}`` lines seen

    def run(self, index: int | None) -> ProgramRun | None:
        """The kept run with this index, if any."""
        if index is None:
            return None
        for r in self.programs:
            if r.index == index:
                return r
        return None

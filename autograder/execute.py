"""nbgrader's Execute step, made safe for a class of strangers (configured in nbgrader_config.py).

`GradingExecute` runs a notebook with its kernel in a sandbox (autograder.kernel) and:
- stops a cell at the cell time limit (interrupt; when the kernel ignores the interrupt, the
  sandbox is killed), the notebook at its budget and the student at theirs (`grading_budget()`),
  and says which, by cell number and test id;
- when the kernel dies (or is killed), records why (exit code, signal, our own reason), marks that
  cell and every later code cell as not run (so their tests score 0) and goes on to save grades:
  the notebook is graded, not dropped, and the student's other notebooks are unaffected;
- runs the hidden part of each test cell as its own request, so that whatever a hidden line
  prints or displays is told apart (`HIDDEN_OUTPUTS` in the cell's metadata) and left out of the
  feedback (autograder.feedback);
- keeps at most `output_limit` bytes of output per notebook (the rest is dropped with a note).

Each notebook's report (problems, time, where it stopped) is kept in `REPORTS` for the worker.
"""
from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
import time
import typing as t

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient import NotebookClient
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from autograder.kernel import SandboxedKernelManager, current_settings

BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
# Cell metadata key: indices of the outputs that hidden test lines produced.
HIDDEN_OUTPUTS = "nndl_hidden_outputs"
NOT_RUN = "NotRun"            # error name of a cell that did not run (the kernel had stopped)
STOPPED = "KernelStopped"     # error name added to the cell in which the kernel stopped


@dataclass
class NotebookReport:
    notebook: str
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stopped: str | None = None       # why the cells after some point did not run


REPORTS: dict[str, NotebookReport] = {}

# The student's wall-clock budget: a monotonic deadline shared by their notebooks.
_student_deadline: list[float | None] = [None]


@contextlib.contextmanager
def grading_budget(seconds: float | None):
    """All notebooks executed inside share one wall-clock budget of `seconds`."""
    previous = _student_deadline[0]
    _student_deadline[0] = None if seconds is None else time.monotonic() + seconds
    try:
        yield
    finally:
        _student_deadline[0] = previous


class BudgetExceeded(Exception):
    """The notebook's or the student's time budget ran out during a cell."""


def split_hidden(source: str) -> list[tuple[str, bool]] | None:
    """The cell's source as (text, is_hidden) parts, markers inside the hidden parts; None when
    the cell has no hidden region or its parts are not each valid Python (run it whole)."""
    if BEGIN_HIDDEN not in source:
        return None
    parts, lines, hidden = [], [], False
    for line in source.splitlines(keepends=True):
        if line.strip() == BEGIN_HIDDEN and not hidden:
            if lines:
                parts.append(("".join(lines), False))
            lines, hidden = [line], True
        elif line.strip() == END_HIDDEN and hidden:
            lines.append(line)
            parts.append(("".join(lines), True))
            lines, hidden = [], False
        else:
            lines.append(line)
    if lines:
        parts.append(("".join(lines), hidden))
    parts = [(text, secret) for text, secret in parts if text.strip()]
    try:
        for text, _ in parts:
            compile(text, "<cell part>", "exec")   # parse only; nothing is run here
    except SyntaxError:
        return None
    return parts


def _error(ename: str, evalue: str) -> NotebookNode:
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def cell_label(cell: NotebookNode, index: int) -> str:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    return f"cell {index + 1}" + (f" ({grade_id})" if grade_id else "")


class GradingExecute(Execute):
    """Execute with sandboxed kernels, budgets, bounded output and kernel deaths reported."""

    notebook_timeout = Integer(1800, help="Seconds one notebook may run in all.").tag(config=True)
    output_limit = Integer(32 << 20, help="Bytes of output kept per notebook.").tag(config=True)
    iopub_timeout = Integer(10).tag(config=True)
    record_timing = False   # timestamps in cell metadata would make regrades differ

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    # ------------------------------------------------------------------ the notebook

    def preprocess(self, nb, resources=None, km=None):
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        name = (resources or {}).get("unique_key", "notebook") + ".ipynb"
        self.report = REPORTS[name] = NotebookReport(name)
        started = time.monotonic()
        self._notebook_deadline = started + self.notebook_timeout
        self._output_bytes, self._dropped_output = 0, False
        try:
            run_sync(self._run_notebook)()
        finally:
            self.report.seconds = time.monotonic() - started
        self.set_widgets_metadata()
        return self.nb, self.resources

    async def _run_notebook(self) -> None:
        self._started = False
        try:
            async with self.async_setup_kernel():
                self._started = True
                info = await self.async_wait_for_reply(await _ensure(self.kc.kernel_info()))
                if info and "language_info" in info["content"]:
                    self.nb.metadata["language_info"] = info["content"]["language_info"]
                for index, cell in enumerate(self.nb.cells):
                    await self._run_cell(cell, index)
        except Exception as error:   # the kernel did not start: nothing ran
            if self._started:
                raise
            self._stop(f"the kernel did not start ({error})")
            for index, cell in enumerate(self.nb.cells):
                self._mark_not_run(cell)

    # ------------------------------------------------------------------ one cell

    async def _run_cell(self, cell: NotebookNode, index: int) -> None:
        if cell.cell_type != "code" or not cell.source.strip():
            return
        if self.report.stopped is None:
            left, which = self._budget_left()
            if left <= 0:
                self._kill(f"{which} ran out before {cell_label(cell, index)}")
        if self.report.stopped is not None:
            self._mark_not_run(cell)
            return
        self._cell, self._interrupted = (cell, index), None
        self._cell_deadline = time.monotonic() + self.timeout if self.timeout else None
        try:
            parts = split_hidden(cell.source)
            if parts is None:
                await self.async_execute_cell(cell, index, execution_count=self.code_cells_executed + 1)
            else:
                await self._run_parts(cell, index, parts)
        except BudgetExceeded as error:
            self._stopped_in(cell, str(error))
        except CellTimeoutError:
            # Interrupted at the time limit, and still busy: the kernel ignores SIGINT.
            self._kill(f"{cell_label(cell, index)} ran past the time limit of {self.timeout} s "
                       "and did not stop when interrupted")
            self._stopped_in(cell, self.report.stopped)
        except DeadKernelError:
            # No excerpt of the kernel's stderr here: a dying test cell could print hidden lines.
            sandbox = getattr(self.km, "sandbox", None)
            why = sandbox.exit_description() if sandbox else "it died"
            if sandbox is not None and sandbox.kill_reason:
                self._stop(sandbox.kill_reason)
            else:
                hint = " (does a module call exit() or os._exit()?)" if "exited" in why else ""
                self._stop(f"the kernel died in {cell_label(cell, index)}: {why}{hint}")
            self._stopped_in(cell, self.report.stopped)
        else:
            if self._interrupted:
                self.report.problems.append(f"{self.report.notebook}: {self._interrupted}")
            if any(output.get("ename") == "MemoryError" for output in cell.get("outputs", [])):
                settings = current_settings()
                limit = f" (the sandbox allows {settings.limits.memory / (1 << 30):g} GiB a process)" \
                    if settings else ""
                self.report.problems.append(f"{self.report.notebook}: {cell_label(cell, index)} ran "
                                            f"out of memory{limit}")

    async def _run_parts(self, cell: NotebookNode, index: int, parts) -> None:
        """Each visible and hidden part as its own request; stop at the first error."""
        outputs, hidden = [], []
        count = self.code_cells_executed + 1
        for number, (text, secret) in enumerate(parts):
            part = NotebookNode(cell_type="code", source=text if number == len(parts) - 1 else text + "\npass",
                                metadata=cell.metadata, outputs=[], execution_count=None)
            try:
                await self.async_execute_cell(part, index, execution_count=count)
            finally:
                first = len(outputs)
                outputs += part.outputs
                if secret:
                    hidden += range(first, len(outputs))
                cell.outputs = outputs
                cell.metadata[HIDDEN_OUTPUTS] = hidden
                cell.execution_count = count
                self.nb.cells[index] = cell
            if any(output.output_type == "error" for output in part.outputs):
                break

    def _stopped_in(self, cell: NotebookNode, reason: str) -> None:
        cell.outputs = list(cell.get("outputs", [])) + [_error(STOPPED, reason)]

    def _mark_not_run(self, cell: NotebookNode) -> None:
        if cell.cell_type == "code" and cell.source.strip():
            cell.outputs = [_error(NOT_RUN, f"not run: {self.report.stopped}")]

    def _stop(self, reason: str) -> None:
        if self.report.stopped is None:
            self.report.stopped = reason
            self.report.problems.append(f"{self.report.notebook}: {reason}; later cells not run")

    def _kill(self, reason: str) -> None:
        self._stop(reason)
        sandbox = getattr(self.km, "sandbox", None) if self.km is not None else None
        if sandbox is not None:
            sandbox.kill(reason)

    # ------------------------------------------------------------------ time

    def _budget_left(self) -> tuple[float, str] | None:
        """(seconds left, which budget) of the tighter of the notebook's and the student's."""
        now = time.monotonic()
        left = [(self._notebook_deadline - now,
                 f"the time budget of {self.report.notebook} ({self.notebook_timeout} s)")]
        if _student_deadline[0] is not None:
            left.append((_student_deadline[0] - now, "the student's time budget"))
        return min(left)

    def _get_timeout(self, cell):
        if cell is None:
            return super()._get_timeout(cell)
        limits = [(self._cell_deadline - time.monotonic(), "cell")] if self._cell_deadline else []
        left, which = self._budget_left()
        limits.append((left, which))
        seconds, self._binding_limit = min(limits)
        return max(1, int(seconds + 0.999))

    async def _async_handle_timeout(self, timeout, cell=None):
        if cell is None:
            return await super()._async_handle_timeout(timeout, cell)
        _, index = self._cell
        if self._binding_limit != "cell":
            reason = f"{self._binding_limit} ran out in {cell_label(cell, index)}"
            self._kill(reason)
            raise BudgetExceeded(reason)
        self.log.error("Timeout in %s: interrupting the kernel", cell_label(cell, index))
        await _ensure(self.km.interrupt_kernel())
        message = (f"{cell_label(cell, index)} ran past the time limit of {self.timeout} s "
                   "and was interrupted")
        self._interrupted = message
        return {"content": {"status": "error", "ename": "CellTimeoutError", "evalue": message,
                            "traceback": [f"CellTimeoutError: {message}"]}}

    # ------------------------------------------------------------------ output

    def output(self, outs, msg, display_id, cell_index):
        size = _content_size(msg.get("content", {}))
        if self._output_bytes + size > self.output_limit:
            if not self._dropped_output:
                self._dropped_output = True
                limit = self.output_limit >> 20
                outs.append(new_output("stream", name="stdout",
                                       text=f"\n[output beyond {limit} MiB for this notebook dropped]\n"))
                self.report.problems.append(f"{self.report.notebook}: printed more than {limit} MiB; "
                                            "the rest of its output was dropped")
            return None
        self._output_bytes += size
        return super().output(outs, msg, display_id, cell_index)


def _content_size(content: dict) -> int:
    size = len(content.get("text", "")) + len(str(content.get("evalue", "")))
    size += sum(len(line) for line in content.get("traceback", []) or [])
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, (str, bytes)) else len(str(value))
    return size


async def _ensure(value):
    if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
        return await value
    return value

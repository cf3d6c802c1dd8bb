"""Grade one student, in a scratch course of their own, with every kernel in a sandbox.

`grade_student(job)` is what each parallel worker of `grade` runs. It is trusted code: it runs
nbgrader (which talks to the sandboxed kernels over IPC and never imports student code) and
writes only inside the job's scratch folder:

    <scratch>/course/                    a course root for this student alone
        assignments/<id>/manifest.toml
        source/<id>/                     the given files only: no notebooks, no solution modules
        gradebook.db                     a copy of the assignment's template gradebook
        submitted/<student>/<id>/        what the student handed in (checked by intake)
        autograded/, feedback/           nbgrader's output, copied back by the parent
    <scratch>/sandboxes/                 the host side of each notebook's sandbox

Each notebook is autograded on its own, so one notebook's failure never costs another's grade.
The outcome (scores, problems in words) comes back as plain data; the parent writes the real
gradebook, the CSV and the feedback folder.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
import os
from pathlib import Path
import shutil
import time

import nbformat
from nbgrader.api import Gradebook
from nbgrader.utils import temp_attrs

from autograder import execute
from autograder.grading_data import GradingData
from autograder.judge import Checks, load_reference
from autograder.kernel import KernelSettings, sandboxed_kernels
from autograder.manifest import load_manifest
from autograder.nbgrader_api import nbgrader_api
from autograder.probes import ProbeRun, run_probes
from autograder.sandbox import Limits
from autograder.settings import CELL_TIMEOUT

_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


@dataclass(frozen=True)
class Budgets:
    """Wall-clock limits, in seconds: a cell, a notebook, a student (all notebooks)."""
    cell: int = CELL_TIMEOUT
    notebook: int = 1800
    student: int = 3600

    @classmethod
    def for_manifest(cls, manifest, **given) -> "Budgets":
        """The manifest's [grading] table, then NNDL_{CELL,NOTEBOOK,STUDENT}_TIMEOUT, then
        `given` (None values ignored), over the defaults."""
        values = {name: manifest.grading[f"{name}_timeout"] for name in ("cell", "notebook", "student")
                  if f"{name}_timeout" in manifest.grading}
        for name in ("cell", "notebook", "student"):
            variable = os.environ.get(f"NNDL_{name.upper()}_TIMEOUT")
            if variable:
                values[name] = int(variable)
            if given.get(name) is not None:
                values[name] = int(given[name])
        return cls(**values)


@dataclass
class StudentJob:
    assignment: str
    student: str
    root: Path                     # the real course root (read: source, manifest, submitted)
    template_db: Path              # gradebook.db with the assignment recorded, no students
    scratch: Path                  # this job's private folder
    notebooks: list[str]           # the notebooks intake found gradable
    sandbox_kind: str = "bwrap"
    limits: Limits = field(default_factory=Limits)
    budgets: Budgets = field(default_factory=Budgets)
    readable: list[Path] = field(default_factory=list)   # e.g. the data dir
    env: dict[str, str] = field(default_factory=dict)
    feedback: bool = True
    slot: int = 0
    checks_file: Path | None = None     # source/<id>/hidden_checks.py: probes judged outside
    reference_file: Path | None = None  # the reference solution's probe data
    seeds: list = field(default_factory=list)   # [(probe, seed)]
    probe_readable: list[Path] = field(default_factory=list)   # the training batches only
    data_dir: Path | None = None        # the host's data dir, read by judges (test labels)


@dataclass
class StudentOutcome:
    student: str
    graded_notebooks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    course: Path | None = None          # the scratch course holding autograded/, feedback/, gradebook
    judged: dict[str, str] = field(default_factory=dict)            # grade_id -> the judge's message
    notebook_scores: dict[str, float | None] = field(default_factory=dict)  # nbgrader's in-kernel verdict


def build_scratch_course(job: StudentJob) -> Path:
    """The student's own course root: given files, template gradebook, their submission."""
    course = job.scratch / "course"
    manifest = load_manifest(job.assignment, job.root)
    hidden = {Path(module) for module in manifest.student_modules}
    source = job.root / "source" / job.assignment

    def given_only(folder, names):
        here = Path(folder).relative_to(source)
        return {name for name in names if name.endswith(".ipynb") or here / name in hidden} | set(
            _JUNK(folder, names))

    shutil.copytree(job.root / "assignments" / job.assignment,
                    course / "assignments" / job.assignment, ignore=_JUNK)
    shutil.copytree(source, course / "source" / job.assignment, ignore=given_only)
    shutil.copyfile(job.template_db, course / "gradebook.db")
    submitted = course / "submitted" / job.student / job.assignment
    shutil.copytree(job.root / "submitted" / job.student / job.assignment, submitted, ignore=_JUNK)
    for notebook in job.notebooks:
        restore_deleted_tests(submitted / notebook, source / notebook)
    return course


def restore_deleted_tests(path: Path, source_path: Path) -> list[str]:
    """Put graded cells the student deleted (or whose id they changed) back where the source
    has them: after the nearest earlier source cell that the notebook still holds (by cell id).
    nbgrader then restores their content as for any test cell. Returns the grade_ids put back."""
    notebook = nbformat.read(path, as_version=4)
    source = nbformat.read(source_path, as_version=4)
    present = {cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells
               if isinstance(cell.metadata.get("nbgrader"), dict)}
    restored = []
    for number, cell in enumerate(source.cells):
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade") or meta.get("grade_id") in present:
            continue
        ids = [c.get("id") for c in notebook.cells]
        earlier = [c.get("id") for c in source.cells[:number] if c.get("id") in ids]
        position = ids.index(earlier[-1]) + 1 if earlier else 0
        notebook.cells.insert(position, copy.deepcopy(cell))
        restored.append(meta["grade_id"])
    if restored:
        nbformat.write(notebook, path)
    return restored


def grade_student(job: StudentJob) -> StudentOutcome:
    """Autograde every gradable notebook of one student (and write their feedback)."""
    started = time.monotonic()
    outcome = StudentOutcome(job.student)
    course = outcome.course = build_scratch_course(job)
    overrides = {
        "Execute": {"timeout": job.budgets.cell},
        "GradingExecute": {"notebook_timeout": job.budgets.notebook, "output_limit": job.limits.output},
    }
    api = nbgrader_api(course, overrides)
    slot = int(os.environ.get("NNDL_GRADING_SLOT", job.slot))
    settings = KernelSettings(scratch=job.scratch / "sandboxes", name=job.assignment,
                              kind=job.sandbox_kind, limits=job.limits,
                              readable=list(job.readable), env=dict(job.env), slot=slot)
    settings.scratch.mkdir(parents=True, exist_ok=True)
    execute.REPORTS.clear()
    with sandboxed_kernels(settings), execute.grading_budget(job.budgets.student):
        for notebook in job.notebooks:
            stem = notebook[: -len(".ipynb")]
            with temp_attrs(api.coursedir, notebook_id=stem):
                result = api.autograde(job.assignment, job.student)
            report = execute.REPORTS.get(notebook)
            if report is not None:
                outcome.problems += report.problems
            if result["success"]:
                outcome.graded_notebooks.append(notebook)
            else:
                outcome.problems.append(f"{notebook}: not graded: {_nbgrader_error(result)}")
    if job.checks_file is not None and outcome.graded_notebooks:
        judge_student(job, outcome, slot)
    if job.feedback and outcome.graded_notebooks:
        result = api.generate_feedback(job.assignment, job.student)
        if not result["success"]:
            outcome.problems.append(f"feedback not written: {_nbgrader_error(result)}")
    outcome.seconds = time.monotonic() - started
    return outcome


def judge_student(job: StudentJob, outcome: StudentOutcome, slot: int) -> None:
    """Run the probes on the student's files (in a sandbox), judge their data against the
    reference's, and make the judge's scores the gradebook's (with its message in the cell)."""
    checks = Checks(job.checks_file)
    reference = load_reference(job.reference_file)
    course = outcome.course
    folder = course / "autograded" / job.student / job.assignment
    run = ProbeRun(input_dir=folder, checks_file=job.checks_file, scratch=job.scratch / "probes",
                   name=job.assignment, kind=job.sandbox_kind, limits=job.limits,
                   readable=list(job.probe_readable), env=dict(job.env), slot=slot,
                   probe_timeout=job.budgets.cell, budget=job.budgets.notebook)
    results = run_probes(run, [(name, seed) for name, seed in job.seeds if name in checks.names])
    graded = {notebook[: -len(".ipynb")] for notebook in outcome.graded_notebooks}
    manifest = load_manifest(job.assignment, job.root)
    sources = {module: (folder / module).read_text(errors="replace")
               for module in manifest.student_modules if (folder / module).is_file()}
    verdicts = {}
    data = GradingData(job.data_dir) if job.data_dir is not None else None
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(job.assignment, job.student)
        for notebook in submission.notebooks:
            if notebook.name not in graded:
                continue
            for grade in notebook.grades:
                if grade.name not in results:
                    continue
                verdict = checks.judge(grade.name, results[grade.name], reference.get(grade.name, {}),
                                       sources, data)
                outcome.notebook_scores[grade.name] = grade.auto_score
                grade.auto_score = round(verdict.fraction * grade.max_score, 6)
                grade.needs_manual_grade = False
                verdicts[grade.name] = (notebook.name, verdict)
        gradebook.db.commit()
    outcome.judged = {name: verdict.message for name, (_, verdict) in verdicts.items()}
    for stem in sorted({stem for stem, _ in verdicts.values()}):
        path = folder / f"{stem}.ipynb"
        path.chmod(0o644)
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            found = verdicts.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
            if found and cell.cell_type == "code":
                cell.outputs.append(nbformat.v4.new_output(
                    "stream", name="stdout", text=f"Hidden checks: {found[1].message}.\n"))
        nbformat.write(notebook, path)
        path.chmod(0o444)


def _nbgrader_error(result: dict) -> str:
    """The most telling line of a failed nbgrader call."""
    lines = [line.strip() for line in (result.get("log") or "").splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("[ERROR]") and "traceback" not in line.lower()
              and "There was an error processing" not in line]
    tail = (result.get("error") or "").strip().splitlines()
    for line in errors[:1] + tail[-1:]:
        return line.replace("[ERROR] ", "")[:300]
    return "nbgrader failed without a message"


def scores_from(course: Path, assignment: str, student: str) -> dict[str, dict]:
    """{grade_id: {auto_score, needs_manual_grade, notebook}} recorded in a scratch gradebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {grade.name: {"auto_score": grade.auto_score, "needs_manual_grade": grade.needs_manual_grade,
                             "notebook": notebook.name + ".ipynb"}
                for notebook in submission.notebooks for grade in notebook.grades}


def start_worker(queue) -> None:
    """ProcessPool initializer: take a slot number (it picks the sandbox uid) and leave the
    terminal's session, so that Ctrl-C reaches only the parent, which then ends the workers."""
    os.environ["NNDL_GRADING_SLOT"] = str(queue.get())
    os.setsid()

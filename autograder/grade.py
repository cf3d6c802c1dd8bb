"""grade <id> [submissions]: intake, sandboxed autograde in parallel, gradebook, CSV, feedback.

    intake (autograder.submissions)   every entry -> a student, their files and problems
    for each student, in one of `jobs` worker processes (autograder.worker):
        a scratch course of their own; every kernel in a sandbox (autograder.sandbox)
    here, in the trusted parent only: the course's gradebook.db, autograded/, feedback/,
        exports/<id>_grades.csv

One student's failure is that student's row, with a message; it never stops, slows or changes
anyone else's grade. The CSV is sorted by student and independent of `jobs` and of the order in
which workers finish. Interrupted (Ctrl-C), what finished is kept: `--resume` grades the rest.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
import hashlib
import json
import multiprocessing
import os
from pathlib import Path
import shutil
import sys
import tempfile

from nbgrader.api import Gradebook
from tqdm import tqdm

from autograder.course import copy_assignment
from autograder.export import status, write_grades_csv, written_summary
from autograder.lateness import hours_late, late_note, read_times_csv
from autograder.judge import cache_dir, load_checks, reference_results, seeds
from autograder.manifest import load_manifest
from autograder.nbgrader_api import nbgrader_api, nbgrader_config, raise_on_failure
from autograder.place import place
from autograder.probes import ProbeRun
from autograder.sandbox import Limits, SandboxUnavailable, choose_kind
from autograder.scores import autograded, graded_cells, written
from autograder.grading_data import probe_files
from autograder.settings import COMMON_DIR, COURSE_ROOT
from autograder.submissions import import_submissions
from autograder.worker import (Budgets, StudentJob, StudentOutcome, grade_student, scores_from,
                               start_worker)

OUTCOME_FILE = "nndl-grading.json"   # beside each student's autograded notebooks


@dataclass
class StudentResult:
    student: str
    graded: bool
    problems: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # grade_id -> points awarded
    max_scores: dict[str, float] = field(default_factory=dict)  # grade_id -> points possible (autograded)
    written_max: dict[str, float] = field(default_factory=dict)  # grade_id -> points of a written answer
    unanswered: list[str] = field(default_factory=list)  # written answers left as released: 0
    total: float = 0.0
    manual: dict[str, float] = field(default_factory=dict)  # grade_id -> a TA's score in formgrader
    judged: dict[str, str] = field(default_factory=dict)    # grade_id -> the judge's message
    notebook_scores: dict[str, float | None] = field(default_factory=dict)  # in-kernel verdicts
    fingerprint: str = ""
    submitted: str = ""          # when handed in (ISO 8601, UTC), if known
    time_source: str = ""        # where that time came from (autograder.lateness)
    hours_late: float | None = None
    late: str = ""               # 'late by 3 h 05 min', or ''


@dataclass
class GradeReport:
    assignment: str
    results: list[StudentResult]
    csv_path: Path
    feedback_dir: Path | None
    sandbox: str = "bwrap"
    interrupted: bool = False

    def by_student(self) -> dict[str, StudentResult]:
        return {result.student: result for result in self.results}


# ---------------------------------------------------------------- preparing the assignment

def record_assignment(assignment: str, root: Path, scratch: Path) -> Path:
    """Return a template gradebook holding only the assignment (for the workers), and record the
    assignment's source cells in root's gradebook when they are not there already (release/ is
    not touched)."""
    manifest = load_manifest(assignment, root)
    place(manifest, root / "source" / assignment, root)
    elsewhere = {"CourseDirectory": {"release_directory": str(scratch / "release-unused")}}
    template = scratch / "template"
    copy_assignment(assignment, template, root, with_release=False)
    raise_on_failure(nbgrader_api(template, elsewhere).generate_assignment(assignment),
                     f"generate_assignment {assignment} (template)")
    main_db = nbgrader_config(root).CourseDirectory.db_url
    if recorded_cells(main_db, assignment) != recorded_cells(f"sqlite:///{template / 'gradebook.db'}", assignment):
        raise_on_failure(nbgrader_api(root, elsewhere).generate_assignment(assignment),
                         f"generate_assignment {assignment}")
    return template / "gradebook.db"


def recorded_cells(db_url: str, assignment: str):
    """What a gradebook holds of an assignment's cells (None when it lacks the assignment)."""
    with Gradebook(db_url) as gradebook:
        try:
            recorded = gradebook.find_assignment(assignment)
        except Exception:   # nbgrader's MissingEntry
            return None
        return (str(recorded.duedate), sorted(
            (notebook.name, kind, cell.name, getattr(cell, "checksum", None), getattr(cell, "max_score", None))
            for notebook in recorded.notebooks
            for kind, cells in (("source", notebook.source_cells), ("grade", notebook.grade_cells),
                                ("solution", notebook.solution_cells), ("task", notebook.task_cells))
            for cell in cells))


def host_data_dir() -> Path:
    """The host's dataset folder, as the notebooks would find it (nndl.data's rule)."""
    value = os.environ.get("NNDL_DATA_DIR", "").strip()
    if value:
        return Path(value).expanduser().absolute()
    for parent in COMMON_DIR.resolve().parents:
        if (parent / "datasets" / "get_cifar10.py").is_file():
            return parent / "datasets"
    return Path.home() / ".nndl" / "datasets"


def unreadable_for_others(paths: list[Path]) -> list[Path]:
    """Paths (and, one level down, their entries) that others may not read: a root grader's
    sandboxes run as an unprivileged uid, which then could not see them."""
    bad = []
    for path in paths:
        for item in [path] + (sorted(path.iterdir()) if path.is_dir() else []):
            mode = item.stat().st_mode
            wanted = 0o005 if item.is_dir() else 0o004
            if mode & wanted != wanted:
                bad.append(item)
    return bad


def sandbox_environment(data_dir: Path) -> dict[str, str]:
    """The whole environment of a grading kernel (nothing of the grader's is inherited)."""
    venv_bin = str(Path(sys.executable).absolute().parent)
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "NNDL_DATA_DIR": str(data_dir),
        "NBGRADER_EXECUTION": "autograde",
        # one BLAS thread: grades are bit-for-bit repeatable, parallel kernels do not fight
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "MALLOC_ARENA_MAX": "2",
        "JUPYTER_PLATFORM_DIRS": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }


def prepare_judging(assignment: str, root: Path, scratch: Path, kind: str, limits: Limits,
                    budgets: Budgets, data_dir: Path) -> dict:
    """The workers' judging settings (checks file, reference data, seeds), computing the
    reference solution's probe data when the cache does not hold it; {} without checks."""
    checks = load_checks(root, assignment)
    if checks is None:
        return {}
    manifest = load_manifest(assignment, root)   # callers have placed the helpers already
    # Probes may read the training batches, never the test batch: tuning cells are scored on
    # the test images, by the judge (autograder.grading_data).
    run = ProbeRun(input_dir=root / "source" / assignment, checks_file=checks.path, scratch=scratch,
                   name=assignment, kind=kind, limits=limits, readable=probe_files(data_dir),
                   env=sandbox_environment(data_dir), probe_timeout=budgets.cell, budget=budgets.notebook)
    reference_results(root, assignment, run, checks, list(manifest.student_modules))
    return dict(checks_file=checks.path, reference_file=cache_dir(root, assignment) / "reference.npz",
                seeds=seeds(root, assignment, checks.names), probe_readable=probe_files(data_dir),
                data_dir=data_dir)


def fingerprint(root: Path, assignment: str, student: str, settings: dict) -> str:
    """A hash of what decides a student's grade: their files, the source, the settings."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
    for folder in (root / "submitted" / student / assignment, root / "source" / assignment):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# ---------------------------------------------------------------- recording results

def record_outcome(root: Path, assignment: str, outcome: StudentOutcome) -> dict[str, dict]:
    """Copy one worker's scores into root's gradebook, and its autograded notebooks and feedback
    into root. A TA's manual scores in the gradebook are kept. Returns the scratch scores."""
    scores = scores_from(outcome.course, assignment, outcome.student)
    with Gradebook(nbgrader_config(root).CourseDirectory.db_url) as gradebook:
        gradebook.update_or_create_student(outcome.student)
        submission = gradebook.update_or_create_submission(assignment, outcome.student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                found = scores.get(grade.name)
                graded = found is not None and found["notebook"] in outcome.graded_notebooks
                grade.auto_score = found["auto_score"] if graded else None
                grade.needs_manual_grade = found["needs_manual_grade"] if graded else True
        gradebook.db.commit()
    for folder in ("autograded", "feedback"):
        source = outcome.course / folder / outcome.student / assignment
        target = root / folder / outcome.student / assignment
        if target.exists():
            shutil.rmtree(target)
        if source.exists():
            shutil.copytree(source, target)
    return scores


def manual_scores(root: Path, assignment: str, student: str) -> dict[str, float]:
    """{grade_id: manual_score} a TA set in formgrader for this student."""
    with Gradebook(nbgrader_config(root).CourseDirectory.db_url) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except Exception:   # nbgrader's MissingEntry: never graded
            return {}
        return {grade.name: float(grade.manual_score) for notebook in submission.notebooks
                for grade in notebook.grades if grade.manual_score is not None}


def _save(root: Path, assignment: str, result: StudentResult) -> None:
    folder = root / "autograded" / result.student / assignment
    if folder.exists():
        (folder / OUTCOME_FILE).write_text(json.dumps(asdict(result), indent=1, sort_keys=True))


def _load(root: Path, assignment: str, student: str) -> StudentResult | None:
    path = root / "autograded" / student / assignment / OUTCOME_FILE
    try:
        return StudentResult(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None


# ---------------------------------------------------------------- the class

def main(assignment: str, *, submissions: Path | None = None, root: Path = COURSE_ROOT,
         feedback: bool = True, jobs: int | None = None, sandbox: str = "auto",
         budgets: Budgets | None = None, limits: Limits | None = None, resume: bool = False,
         progress: bool | None = None, times: Path | None = None,
         feedback_only: set[str] | None = None) -> GradeReport:
    """Grade every submission in `submissions` (a folder or zip with one entry per student; by
    default what is already in root/submitted/, nbgrader's layout after `collect`, also when
    `submissions` names that folder) and write root/exports/<id>_grades.csv.

    sandbox: "auto" (bubblewrap, or refuse), "auto-user" (also an unprivileged uid without
    namespaces, for containers such as Gradescope's), "none" (--unsandboxed). times: the
    instructor's CSV of hand-in times (autograder.lateness), else nbgrader's timestamp.txt.
    feedback_only: with feedback, the students to write it for (None: everyone; `check` skips
    its mutants, whose grades are all it reads of them)."""
    root = Path(root).absolute()
    if submissions is not None and Path(submissions).resolve() == (root / "submitted").resolve():
        submissions = None      # graded from a copy: intake rewrites submitted/<student>/<id>/
    kind = choose_kind(sandbox)
    manifest = load_manifest(assignment, root)
    budgets = budgets or Budgets.for_manifest(manifest)
    limits = limits or Limits()
    jobs = max(1, jobs or os.cpu_count() or 1)
    handed_in_at = read_times_csv(Path(times)) if times is not None else {}
    cells = graded_cells(manifest, root / "source" / assignment)
    max_scores = {cell.grade_id: cell.points for cell in autograded(cells)}
    written_max = {cell.grade_id: cell.points for cell in written(cells)}
    notebook_of = {cell.grade_id: cell.notebook for cell in cells}
    data_dir = host_data_dir()
    if kind != "none" and os.geteuid() == 0 and data_dir.is_dir():
        bad = unreadable_for_others([data_dir] + [p for p in data_dir.iterdir() if p.is_dir()])
        if bad:
            raise SandboxUnavailable(
                f"the dataset folder {data_dir} is not readable by others ({bad[0]}): student code "
                f"runs as an unprivileged user and would not find the data. Run `chmod -R o+rX "
                f"{data_dir}`")
    settings = {"kind": kind, "limits": asdict(limits), "budgets": asdict(budgets),
                "data": str(data_dir), "feedback": feedback}

    with tempfile.TemporaryDirectory(prefix="nndl-grade-") as scratch_name:
        scratch = Path(scratch_name)
        os.chmod(scratch, 0o711 if kind == "user" else 0o700)
        template_db = record_assignment(assignment, root, scratch)
        readable = [data_dir] if data_dir.is_dir() else []
        judging = prepare_judging(assignment, root, scratch / "reference", kind, limits, budgets, data_dir)
        if judging:
            settings["checks"] = hashlib.sha256(judging["checks_file"].read_bytes()).hexdigest()
        if submissions is None:
            submissions = scratch / "class"
            for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
                shutil.copytree(folder, submissions / folder.parent.name)
            submissions.mkdir(exist_ok=True)
        intakes, notes = import_submissions(Path(submissions), manifest, root,
                                            source_dir=root / "source" / assignment)
        for note in notes:
            print(f"{assignment}: {note}")
        unknown = sorted(set(handed_in_at) - {intake.student for intake in intakes})
        if unknown:
            print(f"{assignment}: {times} lists students who handed nothing in: {', '.join(unknown)}")

        results: dict[str, StudentResult] = {}
        todo: list[StudentJob] = []
        for intake in intakes:
            result = StudentResult(intake.student, graded=bool(intake.gradable_notebooks),
                                   problems=list(intake.problems), max_scores=dict(max_scores),
                                   written_max=dict(written_max))
            when_handed_in(result, intake, handed_in_at, manifest)
            if not result.graded:
                results[intake.student] = result
                continue
            result.fingerprint = fingerprint(root, assignment, intake.student, settings)
            previous = _load(root, assignment, intake.student) if resume else None
            if previous is not None and previous.fingerprint == result.fingerprint:
                previous.manual = manual_scores(root, assignment, intake.student)
                when_handed_in(previous, intake, handed_in_at, manifest)
                results[intake.student] = previous
                continue
            results[intake.student] = result
            todo.append(StudentJob(
                assignment, intake.student, root, template_db, scratch / "students" / intake.student,
                list(intake.gradable_notebooks), kind, limits, budgets,
                readable=readable, env=sandbox_environment(data_dir),
                feedback=feedback and (feedback_only is None or intake.student in feedback_only),
                **judging))
        if resume and len(todo) < sum(r.graded for r in results.values()):
            print(f"{assignment}: --resume: {sum(r.graded for r in results.values()) - len(todo)} "
                  "students already graded with these files and settings")

        finished: set[str] = set()

        def finish(job: StudentJob, outcome: StudentOutcome | None, error: str | None) -> StudentResult:
            result = results[job.student]
            if outcome is None:
                result.graded = False
                result.problems += [f"grading failed: {error}", "not graded"]
            else:
                scores = record_outcome(root, assignment, outcome)
                result.problems += outcome.problems
                graded = set(outcome.graded_notebooks)
                result.scores = {gid: float(found["auto_score"] or 0.0) for gid, found in scores.items()
                                 if notebook_of.get(gid) in graded and gid in max_scores}
                result.total = sum(result.scores.values())
                result.unanswered = sorted(  # nbgrader scores an unchanged answer cell 0 itself
                    gid for gid, found in scores.items() if gid in written_max
                    and notebook_of.get(gid) in graded and found["auto_score"] == 0
                    and not found["needs_manual_grade"])
                result.graded = bool(graded)
                if not graded:
                    result.problems.append("not graded")
                result.manual = manual_scores(root, assignment, job.student)
                result.judged = {gid: message for gid, message in outcome.judged.items()
                                 if notebook_of.get(gid) in graded}
                result.notebook_scores = {gid: score for gid, score in outcome.notebook_scores.items()
                                          if notebook_of.get(gid) in graded}
                _save(root, assignment, result)
                shutil.rmtree(job.scratch, ignore_errors=True)
            finished.add(job.student)
            return result

        for result in results.values():
            if not result.graded:
                print(_line(assignment, result))
        interrupted = False
        try:
            _run(assignment, todo, jobs, finish, progress)
        except KeyboardInterrupt:
            interrupted = True
            print(f"\n{assignment}: interrupted; {len(finished)} of {len(todo)} students graded and "
                  "kept. Run the same command with --resume to grade the rest.", file=sys.stderr)
            for job in todo:
                if job.student not in finished:
                    results.pop(job.student)

    csv_path = write_grades_csv(root / "exports" / f"{assignment}_grades.csv", cells,
                                sorted(results.values(), key=lambda r: r.student))
    report = GradeReport(assignment, sorted(results.values(), key=lambda r: r.student), csv_path,
                         root / "feedback" if feedback else None, kind, interrupted)
    if interrupted:
        raise KeyboardInterrupt
    return report


def when_handed_in(result: StudentResult, intake, listed: dict, manifest) -> None:
    """Record on `result` when the student handed in (the instructor's list first, then
    nbgrader's timestamp.txt) and how late that was against the manifest's `due`."""
    if intake.student in listed:
        moment, result.time_source = listed[intake.student], "instructor's list"
    elif intake.submitted_at is not None:
        moment, result.time_source = intake.submitted_at, "nbgrader timestamp.txt"
    else:
        result.submitted, result.time_source, result.hours_late, result.late = "", "", None, ""
        return
    result.submitted = moment.isoformat()
    result.hours_late = hours_late(moment, manifest.due)
    result.late = late_note(moment, manifest.due, manifest.last_hand_in)


def _line(assignment: str, result: StudentResult) -> str:
    name = result.student if result.student.isprintable() else repr(result.student)
    if result.graded:
        return (f"{assignment} {name}: {result.total:g}/{sum(result.max_scores.values()):g} "
                f"autograded{written_summary(result)} {status(result, written_notes=False)}")
    return f"{assignment} {name}: {status(result)}"


def _run(assignment: str, todo: list[StudentJob], jobs: int, finish, progress: bool | None) -> None:
    """Grade `todo` with `jobs` worker processes; call finish(job, outcome, error) here, in the
    parent, as each student ends."""
    if not todo:
        return
    bar = tqdm(total=len(todo), unit="student", disable=True if progress is False else None,
               dynamic_ncols=True, file=sys.stderr)
    failed = 0

    def done(job, outcome, error):
        nonlocal failed
        result = finish(job, outcome, error)
        failed += not result.graded
        bar.set_postfix_str(f"not graded {failed}")
        bar.update()
        tqdm.write(_line(assignment, result))

    try:
        # Workers always: nbclient traps SIGINT in the process that runs kernels, and here Ctrl-C
        # must stop the class (workers sit in sessions of their own and are killed on it).
        pending = list(todo)
        for attempt in (1, 2):   # a worker that dies (out of memory?) costs one retry
            pending = _run_pool(pending, jobs, done, last=attempt == 2)
            if not pending:
                return
    finally:
        bar.close()


def _run_pool(todo, jobs, done, *, last: bool) -> list[StudentJob]:
    """One pool of workers; returns the jobs lost to a broken pool (to retry once)."""
    context = multiprocessing.get_context("fork")
    slots = context.Queue()
    for slot in range(jobs):
        slots.put(slot)
    lost = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context,
                             initializer=start_worker, initargs=(slots,)) as pool:
        futures = {pool.submit(grade_student, job): job for job in todo}
        try:
            for future in as_completed(futures):
                job = futures[future]
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    if last:
                        done(job, None, "the grading worker died (out of memory?)")
                    else:
                        lost.append(job)
                    continue
                except Exception as error:
                    done(job, None, f"{type(error).__name__}: {error}")
                    continue
                done(job, outcome, None)
        except KeyboardInterrupt:
            workers = list((pool._processes or {}).values())
            for process in workers:
                process.kill()    # their sandboxes die with them (bwrap --die-with-parent)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return lost

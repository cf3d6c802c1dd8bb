"""mutate <id>: do the tests catch realistic student bugs, each in the cells it should?

An assignment's manifest catalogues bugs students really make, as `[[mutants]]` tables (see
autograder.manifest and assignments/README.md): one edit (`find` -> `replace`) of a reference
module, inside one student function, that must lose exactly the graded cells `loses` ("lost":
scored below the cell's points), plus any of `may_lose` (cells that train a model, which a subtle
bug may still get past their threshold). `mutate` builds one submission per mutant (the release
notebooks with the solved modules, one of them edited, as samples.one_bug_submission), grades
them all and the reference in ONE grade batch (the real sandboxed, parallel path), and reports,
per function, which mutants were killed and by which cells. It fails when a mutant survives,
loses a cell it should not or keeps one it should lose, or the catalogue itself is wrong (a
`find` that does not occur exactly once inside its function, a cell that does not exist).

`check` (and so CI) scores the whole catalogue too (CHECK_SAMPLE: None; a number there makes it
a seeded sample), from the mutants' probes where every cell is judged (autograder.judged_mutants);
`./run mutate` grades each mutant in full and reports per function, `--all` per assignment.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
import random
import sys
import tempfile

from autograder.manifest import Manifest, Mutant, assignment_ids, load_manifest
from autograder.samples import one_bug_submission
from autograder.scores import graded_cells
from autograder.settings import COURSE_ROOT
from autograder.strip import solution_functions

CHECK_SAMPLE = None     # mutants `check` grades per assignment: None, all of them (CI affords
                        # ~15 min for 170); a number: a sample seeded by CHECK_SEED
CHECK_SEED = 0
REFERENCE = "reference"


# ---------------------------------------------------------------- the catalogue, read statically

def function_spans(text: str) -> dict[str, tuple[int, int]]:
    """{qualified name: (start, end) character offsets} of a module's functions and of the
    methods of its classes ("f", "Class.method")."""
    tree = ast.parse(text)
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans = {}

    def visit(nodes, prefix):
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                spans[prefix + node.name] = (starts[first - 1], starts[node.end_lineno])
            elif isinstance(node, ast.ClassDef):
                visit(node.body, prefix + node.name + ".")
    visit(tree.body, "")
    return spans


def catalogue_errors(manifest: Manifest, root: Path) -> list[str]:
    """What is wrong with the manifest's mutants (before anything is graded)."""
    source = Path(root) / "source" / manifest.id
    cells = {cell.grade_id for cell in graded_cells(manifest, source)}
    errors = []
    for number, mutant in enumerate(manifest.mutants, start=1):
        here = f"mutant {number} ({mutant.function})"
        path = source / mutant.module
        if not path.exists():
            errors.append(f"{here}: {mutant.module} does not exist")
            continue
        text = path.read_text()
        count = text.count(mutant.find)
        if count != 1:
            errors.append(f"{here}: the find text {mutant.find.strip()!r} occurs {count} times in "
                          f"{mutant.module}, expected exactly once")
            continue
        span = function_spans(text).get(mutant.function)
        if span is None:
            errors.append(f"{here}: no function {mutant.function} in {mutant.module}")
        elif not span[0] <= text.index(mutant.find) < span[1]:
            errors.append(f"{here}: the find text {mutant.find.strip()!r} is not inside "
                          f"{mutant.function}")
        for key in ("loses", "may_lose"):
            unknown = sorted(set(getattr(mutant, key)) - cells)
            if unknown:
                errors.append(f"{here}: {key} names cells that do not exist: {', '.join(unknown)}")
    return errors


def select(mutants: tuple[Mutant, ...], sample: int | None, seed: int, assignment: str) -> list[int]:
    """1-based catalogue numbers to grade: all, or a seeded sample of `sample` of them."""
    numbers = list(range(1, len(mutants) + 1))
    if sample is None or sample >= len(numbers):
        return numbers
    return sorted(random.Random(f"{assignment}/{seed}").sample(numbers, max(sample, 0)))


def student_name(number: int, mutant: Mutant) -> str:
    return f"mutant-{number:03d}-{mutant.function}"


def write_mutants(manifest: Manifest, root: Path, dest: Path, numbers: list[int]) -> dict[str, int]:
    """One submission per selected mutant in `dest`; returns {student: catalogue number}.
    `root` must hold the assignment's source and release."""
    students = {}
    for number in numbers:
        mutant = manifest.mutants[number - 1]
        student = student_name(number, mutant)
        one_bug_submission(manifest, mutant, root, dest / student)
        students[student] = number
    return students


# ---------------------------------------------------------------- verdicts

@dataclass
class MutantOutcome:
    number: int
    mutant: Mutant
    lost: tuple[str, ...] = ()
    problem: str = ""          # the submission was not (fully) graded

    @property
    def killed(self) -> bool:
        return bool(self.lost)

    @property
    def failure(self) -> str:
        """Why this mutant fails the catalogue ('' when it behaves as catalogued)."""
        here = f"mutant {self.number} ({self.mutant.function}: {self.mutant.why})"
        if self.problem:
            return f"{here}: {self.problem}"
        if not self.lost:
            return (f"{here} SURVIVED: no cell lost points (expected to lose "
                    f"{', '.join(self.mutant.loses)}); strengthen the checks of those cells")
        unexpected = sorted(set(self.lost) - set(self.mutant.loses) - set(self.mutant.may_lose))
        kept = sorted(set(self.mutant.loses) - set(self.lost))
        parts = ([f"also lost {', '.join(unexpected)}"] if unexpected else []) + \
                ([f"kept full points on {', '.join(kept)}"] if kept else [])
        if parts:
            return f"{here}: lost {', '.join(self.lost)}, expected {', '.join(self.mutant.loses)}: " + \
                   "; ".join(parts)
        return ""


def lost_cells(result) -> tuple[str, ...]:
    """The cells a graded StudentResult scored below their points, in the notebooks' order."""
    return tuple(grade_id for grade_id, points in result.max_scores.items()
                 if result.scores.get(grade_id, 0.0) < points - 1e-9)


def judge_outcomes(results: dict, students: dict[str, int], manifest: Manifest) -> list[MutantOutcome]:
    """{student: StudentResult} of a grade batch -> one outcome per mutant student."""
    outcomes = []
    for student, number in sorted(students.items(), key=lambda item: item[1]):
        outcome = MutantOutcome(number, manifest.mutants[number - 1])
        result = results.get(student)
        if result is None or not result.graded:
            outcome.problem = "not graded: " + "; ".join(result.problems if result else ["missing"])
        else:
            problems = [p for p in result.problems if p != "not graded"]
            missing = [gid for gid in result.max_scores if gid not in result.scores]
            if problems or missing:
                outcome.problem = "; ".join(problems + ([f"cells not scored: {', '.join(missing)}"]
                                                         if missing else []))
            outcome.lost = lost_cells(result)
        outcomes.append(outcome)
    return outcomes


# ---------------------------------------------------------------- the verb

@dataclass
class MutateReport:
    assignment: str
    total: int                                  # mutants in the catalogue
    outcomes: list[MutantOutcome] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    uncatalogued: list[str] = field(default_factory=list)   # student functions without 2 mutants

    @property
    def killed(self) -> int:
        return sum(outcome.killed for outcome in self.outcomes)

    @property
    def passed(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        graded = len(self.outcomes)
        rate = f"{100 * self.killed / graded:.0f}%" if graded else "-"
        sampled = "" if graded == self.total else f" (a sample of {graded} of {self.total})"
        return f"{self.assignment}: {self.killed}/{graded} mutants killed ({rate}){sampled}"

    def details(self) -> list[str]:
        lines = []
        by_function: dict[str, list[MutantOutcome]] = {}
        for outcome in self.outcomes:
            by_function.setdefault(outcome.mutant.function, []).append(outcome)
        for function, outcomes in by_function.items():
            lines.append(f"{function:34} {sum(o.killed for o in outcomes)}/{len(outcomes)} killed")
            for o in outcomes:
                verdict = ("FAILED  " if o.failure else "killed  ") if o.killed else (
                    "ERROR   " if o.problem else "SURVIVED")
                caught = ", ".join(o.lost) if o.lost else (o.problem or "no cell")
                lines.append(f"  {verdict} #{o.number:<3} {o.mutant.why}: {caught}")
        return lines


def uncovered_functions(manifest: Manifest, root: Path, least: int = 2) -> list[str]:
    """Student functions (with a solution region) that the catalogue has fewer than `least`
    mutants of, as 'module: function (n)'."""
    counts: dict[tuple[str, str], int] = {}
    for mutant in manifest.mutants:
        counts[mutant.module, mutant.function] = counts.get((mutant.module, mutant.function), 0) + 1
    short = []
    for module in manifest.student_modules:
        path = Path(root) / "source" / manifest.id / module
        if not path.exists():
            continue
        for function in solution_functions(path.read_text()):
            if counts.get((module, function), 0) < least:
                short.append(f"{module}: {function} ({counts.get((module, function), 0)})")
    return short


def run_assignment(assignment: str, *, root: Path = COURSE_ROOT, sample: int | None = None,
                   seed: int = 0, jobs: int | None = None, progress: bool | None = None,
                   functions: list[str] | None = None, secret: str | None = None) -> MutateReport:
    """Grade the (sampled) catalogue of one assignment and the reference, in one batch;
    `functions`: only the mutants of these student functions; `secret`: the grading secret of
    the hidden probes' seeds (None: the course's own, as `grade` would use)."""
    from autograder import grade, release
    from autograder.course import copy_assignment
    from autograder.judge import course_secret, pin_secret
    from autograder.samples import reference_submission
    root = Path(root)
    manifest = load_manifest(assignment, root)
    report = MutateReport(assignment, len(manifest.mutants) if not functions else
                          sum(mutant.function in functions for mutant in manifest.mutants))
    report.uncatalogued = uncovered_functions(manifest, root)
    report.failures += catalogue_errors(manifest, root)
    if not manifest.mutants:
        report.failures.append(f"{assignment}: the manifest catalogues no [[mutants]]")
    if functions:
        unknown = sorted(set(functions) - {mutant.function for mutant in manifest.mutants})
        if unknown:
            report.failures.append(f"{assignment}: no mutants of {', '.join(unknown)}")
    if report.failures:
        return report
    numbers = [number for number in select(manifest.mutants, sample, seed, assignment)
               if not functions or manifest.mutants[number - 1].function in functions]
    with tempfile.TemporaryDirectory(prefix="nndl-mutate-") as scratch_name:
        scratch = Path(scratch_name) / "course"
        copy_assignment(assignment, scratch, root, with_release=False)
        pin_secret(scratch, course_secret(root) if secret is None else secret)
        release.main(assignment, root=scratch)
        submissions = Path(scratch_name) / "class"
        reference_submission(manifest, scratch, submissions / REFERENCE)
        students = write_mutants(manifest, scratch, submissions, numbers)
        graded = grade.main(assignment, submissions=submissions, root=scratch, feedback=False,
                            jobs=jobs, progress=progress)
    results = graded.by_student()
    reference = results.get(REFERENCE)
    if reference is None or not reference.graded or lost_cells(reference):
        report.failures.append(f"{assignment}: the reference solution itself loses "
                               f"{', '.join(lost_cells(reference)) if reference else 'everything'}: "
                               "the mutants' verdicts mean nothing until it scores full marks")
    report.outcomes = judge_outcomes(results, students, manifest)
    report.failures += [outcome.failure for outcome in report.outcomes if outcome.failure]
    return report


def main(assignments: list[str] | None = None, *, root: Path = COURSE_ROOT, sample: int | None = None,
         seed: int = 0, jobs: int | None = None, brief: bool = False,
         functions: list[str] | None = None, secret: str | None = None) -> list[MutateReport]:
    """Grade the catalogues of `assignments` (default: all); print per function (or, `brief`,
    one line per assignment) what was killed, and every failure."""
    reports = []
    for assignment in assignments or assignment_ids(root):
        report = run_assignment(assignment, root=root, sample=sample, seed=seed, jobs=jobs,
                                functions=functions, secret=secret)
        reports.append(report)
        if not brief:
            print(f"mutate {assignment}:")
            print("\n".join("  " + line for line in report.details()))
        if report.uncatalogued:
            print(f"  {assignment}: functions with fewer than 2 catalogued mutants: "
                  + "; ".join(report.uncatalogued))
        print(report.summary() if report.outcomes or not report.failures else f"{assignment}: not graded")
        for failure in report.failures:
            print(f"  FAILED: {failure}")
        sys.stdout.flush()
    return reports

"""check <id>: the assignment grades as it should, end to end through nbgrader.

In a scratch course: release (solutions stripped, leak scan), then autograde three submissions:
- reference (source notebooks, solved modules): every graded cell full points, hidden tests too;
- blank (release as is): every graded cell 0, every code cell executed (the kernel survived);
- one bug per manifest `one_bug`: exactly the listed cells lose their points;
- starter (when a module has a STARTER region): the reference with the release's starting
  values; the cells they change keep at most a third of their points;
- the manifest's `mutants` catalogue (autograder.mutate; all of it by default, CHECK_SAMPLE;
  `mutants=N` a seeded sample, 0 none): each loses exactly its cells. Where every autograded
  cell is judged from hidden probes (all four assignments), a mutant's score is the judge's
  verdict alone, so it is scored from its probes (autograder.judged_mutants: seconds, not a
  notebook run); else in the same grade batch as the samples.
Also: the committed release/<id> is what release would build now, and the feedback shows no
hidden-test line.
"""
from dataclasses import dataclass, field
import filecmp
import html
from pathlib import Path
import re
import tempfile

import nbformat

from autograder import grade, release
from autograder.course import copy_assignment
from autograder.judge import course_secret, load_checks, pin_secret
from autograder.leaks import secret_lines
from autograder.judged_mutants import all_cells_judged, mutant_results
from autograder.scores import autograded as autograded_cells, graded_cells, is_written_cell, written
from autograder.manifest import load_manifest
from autograder.mutate import (CHECK_SAMPLE, CHECK_SEED, catalogue_errors, judge_outcomes, select,
                               student_name, write_mutants)
from autograder.samples import (blank_submission, one_bug_submission, reference_submission,
                                starter_modules, starter_submission)
from autograder.settings import COURSE_ROOT


@dataclass
class CheckReport:
    assignment: str
    failures: list[str] = field(default_factory=list)
    table: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def release_differences(built: Path, committed: Path) -> list[str]:
    """Files that differ between a fresh build and the committed release."""
    if not committed.exists():
        return [f"{committed} does not exist: run ./run release {built.name} and commit it"]
    differences = []
    compared = filecmp.dircmp(built, committed, ignore=["__pycache__", ".ipynb_checkpoints"])
    stack = [(compared, Path())]
    while stack:
        node, prefix = stack.pop()
        differences += [f"only in a fresh build: {prefix / name}" for name in node.left_only]
        differences += [f"only in the committed release: {prefix / name}" for name in node.right_only]
        _, mismatch, errors = filecmp.cmpfiles(built / prefix, committed / prefix, node.common_files,
                                               shallow=False)
        differences += [f"differs from a fresh build: {prefix / name} (run ./run release {built.name})"
                        for name in mismatch + errors]
        stack += [(sub, prefix / name) for name, sub in node.subdirs.items()]
    return differences


def _html_text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def _unexecuted_cells(notebook_path: Path) -> int:
    notebook = nbformat.read(notebook_path, as_version=4)
    return sum(1 for cell in notebook.cells
               if cell.cell_type == "code" and cell.source.strip() and cell.execution_count is None)


def _answer_text(notebook_path: Path) -> str:
    """The text of the written-answer cells of a handed-in notebook ('' if unreadable)."""
    try:
        notebook = nbformat.read(notebook_path, as_version=4)
    except Exception:
        return ""
    return "\n".join(cell.source for cell in notebook.cells if is_written_cell(cell))


def starter_failures(result, table: list[str]) -> list[str]:
    """The release's starting values (e.g. weak hyperparameters) with correct modules: the
    cells they change (the tuning cells) keep at most a third of their points, others all."""
    changed = {cell: got for cell, got in result.scores.items()
               if got is None or got < result.max_scores[cell] - 1e-9}
    table.append("starter values: " + (", ".join(f"{cell} {got:g}/{result.max_scores[cell]:g}"
                                                 for cell, got in changed.items() if got is not None)
                                       or "no cell changes"))
    failures = [f"starter: {cell} scored {got:g}, more than a third of {result.max_scores[cell]:g}"
                for cell, got in changed.items() if got is not None and got > result.max_scores[cell] / 3]
    failures += [f"starter: {cell} not graded" for cell, got in changed.items() if got is None]
    if not changed:
        failures.append("starter: the release's starting values score full marks; make them weaker")
    return failures


COURSE_TOTAL = 100   # every assignment of the course: autograded + written


def main(assignment: str, *, root: Path = COURSE_ROOT, mutants: int | None = CHECK_SAMPLE,
         course_total: float | None = COURSE_TOTAL, secret: str | None = None) -> CheckReport:
    """mutants: how many of the catalogue's mutants to grade (a sample seeded by CHECK_SEED;
    None: all of them, 0: none). course_total: the points every assignment must state and total
    (None: no such rule, e.g. for the tooling's own fixture course). secret: the grading secret
    the hidden probes' seeds derive from (None: the course's own, so that the check says what
    grading this course will do; the test suite pins a fixed one)."""
    root = Path(root)
    manifest = load_manifest(assignment, root)
    report = CheckReport(assignment)
    report.failures += catalogue_errors(manifest, root)
    numbers = [] if report.failures else select(manifest.mutants, mutants, CHECK_SEED, assignment)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name) / "course"
        copy_assignment(assignment, scratch, root, with_release=False)
        pin_secret(scratch, course_secret(root) if secret is None else secret)
        release.main(assignment, root=scratch)
        report.failures += release_differences(scratch / "release" / assignment,
                                               root / "release" / assignment)
        expected_losses = {"reference": set(), "blank": None}
        submissions = Path(scratch_name) / "class"
        reference_submission(manifest, scratch, submissions / "reference")
        blank_submission(manifest, scratch, submissions / "blank")
        for number, bug in enumerate(manifest.one_bug, start=1):
            one_bug_submission(manifest, bug, scratch, submissions / f"one-bug-{number}")
            expected_losses[f"one-bug-{number}"] = set(bug.loses)
        if starter_modules(manifest, scratch):
            starter_submission(manifest, scratch, submissions / "starter")
        samples = {entry.name for entry in submissions.iterdir()}
        max_scores = {cell.grade_id: cell.points for cell in autograded_cells(
            graded_cells(manifest, scratch / "source" / assignment))}
        # Where probes alone decide every autograded cell, mutants are scored from their probes
        # (autograder.judged_mutants: the same verdicts as a full grade, in seconds); else each
        # is graded as a student.
        by_probes = bool(numbers) and all_cells_judged(manifest, scratch, max_scores)
        mutant_students = ({student_name(n, manifest.mutants[n - 1]): n for n in numbers} if by_probes
                           else write_mutants(manifest, scratch, submissions, numbers))
        # feedback (and its leak scan below) for the samples; of a mutant only its grades are read
        graded = grade.main(assignment, submissions=submissions, root=scratch, feedback=True,
                            feedback_only=samples)
        results = graded.by_student()
        if by_probes:
            results.update(mutant_results(manifest, scratch, numbers, max_scores,
                                          Path(scratch_name) / "mutants"))
        cells = list(next(iter(results.values())).max_scores.items())
        report.table.append(f"{'cell':32}" + "".join(f"{name:>14}" for name in expected_losses))
        for grade_id, points in cells:
            row = f"{grade_id:32}"
            for student, losses in expected_losses.items():
                got = results[student].scores.get(grade_id)
                want = 0.0 if losses is None or grade_id in losses else points
                row += f"{'-' if got is None else f'{got:g}':>9}/{points:<4g}"
                if got is None or abs(got - want) > 1e-9:
                    report.failures.append(f"{student}: {grade_id} scored {got}, expected {want:g}")
            report.table.append(row)
        if "starter" in results:
            report.failures += starter_failures(results["starter"], report.table)
        outcomes = judge_outcomes(results, mutant_students, manifest)
        report.failures += [outcome.failure for outcome in outcomes if outcome.failure]
        for student, result in results.items():
            if result.problems and student not in mutant_students:
                report.failures.append(f"{student}: {'; '.join(result.problems)}")
        for name in manifest.notebooks:
            autograded = scratch / "autograded" / "blank" / assignment / name
            if autograded.exists() and _unexecuted_cells(autograded):
                report.failures.append(f"blank: {name} stopped early: {_unexecuted_cells(autograded)} "
                                       "code cells never ran (did the kernel die?)")
            source_notebook = nbformat.read(scratch / "source" / assignment / name, as_version=4)
            model_answers = secret_lines("\n".join(cell.source for cell in source_notebook.cells
                                                    if is_written_cell(cell)))
            secrets = secret_lines("\n".join(cell.source for cell in source_notebook.cells))
            for student in results:
                # a student's own answer text may show in their feedback: samples built from the
                # source notebooks (reference, starter) hand in the model answers themselves
                handed_in = submissions / student / name
                own = ({line.strip() for line in _answer_text(handed_in).splitlines()}
                       if handed_in.exists() else set())
                hidden = secrets - (model_answers & own)
                page = scratch / "feedback" / student / assignment / name.replace(".ipynb", ".html")
                if page.exists():
                    shown = {line.strip() for line in _html_text(page).splitlines()}
                    for line in sorted(hidden & shown):
                        report.failures.append(f"feedback for {student} shows hidden line '{line}'")
    report.table.append("hidden probes seeded by " + ("the course's own secret (.nndl-cache/secret)"
                                                      if secret is None else "the secret given to check"))
    if manifest.mutants:
        sampled = "" if len(numbers) == len(manifest.mutants) else \
            f" (a sample seeded {CHECK_SEED}; ./run mutate {assignment} grades all)"
        report.table.append(f"mutants: {sum(o.killed and not o.failure for o in outcomes)}/{len(numbers)} "
                            f"of the catalogue's {len(manifest.mutants)} lost exactly their cells{sampled}"
                            + (" (scored from their hidden probes)" if by_probes else ""))
    checks = load_checks(root, assignment)
    judged = set(checks.names) if checks else set()
    cells = graded_cells(manifest, root / "source" / assignment)
    in_kernel = [cell.grade_id for cell in cells if cell.grade_id not in judged and not cell.written]
    answers = written(cells)
    report.failures += [f"reference: written answer {cell.grade_id} was scored by the autograder"
                        for cell in answers if cell.grade_id in results["reference"].scores]
    total = sum(cell.points for cell in cells)
    report.table.append(f"written answers (a TA scores them in formgrader): {len(answers)} cells, "
                        f"{sum(cell.points for cell in answers):g} points; total {total:g} points")
    if course_total is not None and (manifest.total != course_total or total != course_total):
        report.failures.append(
            f"the assignment totals {total:g} points (manifest 'total': {manifest.total}); every "
            f"assignment of the course totals {course_total:g}, autograded and written together")
    report.table.append(f"judged outside the sandbox: {len(judged)} cells" + (
        f"; scored in the student's kernel (verdicts fakeable): {', '.join(in_kernel)}" if in_kernel else ""))
    unknown = judged - {cell.grade_id for cell in graded_cells(manifest, root / "source" / assignment)}
    report.failures += [f"hidden_checks.py: probe_{name} names no graded cell" for name in sorted(unknown)]
    print(f"check {assignment}:")
    print("\n".join("  " + line for line in report.table))
    print("  PASSED" if report.passed else "  FAILED:\n    " + "\n    ".join(report.failures))
    return report

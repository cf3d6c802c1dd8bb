"""grade <id> [submissions]: import, autograde, export grades, write feedback.

Each student is graded on their own modules (exclude_overwriting) and on their own; one
student's broken submission is reported by name and never stops or changes the others.
"""
from dataclasses import dataclass, field
from pathlib import Path
import shutil
import tempfile

from autograder import release
from autograder.export import status, write_grades_csv
from autograder.manifest import load_manifest
from autograder.nbgrader_api import NbgraderError, nbgrader_api, nbgrader_config, raise_on_failure
from autograder.scores import graded_cells, recorded_scores
from autograder.settings import COURSE_ROOT
from autograder.submissions import import_submissions


@dataclass
class StudentResult:
    student: str
    graded: bool
    problems: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # grade_id -> points awarded
    max_scores: dict[str, float] = field(default_factory=dict)  # grade_id -> points possible
    total: float = 0.0


@dataclass
class GradeReport:
    assignment: str
    results: list[StudentResult]
    csv_path: Path
    feedback_dir: Path | None

    def by_student(self) -> dict[str, StudentResult]:
        return {result.student: result for result in self.results}


def _last_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__


def main(assignment: str, *, submissions: Path | None = None, root: Path = COURSE_ROOT,
         feedback: bool = True) -> GradeReport:
    """Grade every submission in `submissions` (a folder or zip with one entry per student; by
    default what is already in root/submitted/) and write root/exports/<id>_grades.csv."""
    root = Path(root)
    manifest = load_manifest(assignment, root)
    release.main(assignment, root=root)  # also records the source cells in the gradebook
    cells = graded_cells(manifest, root / "source" / assignment)
    max_scores = {cell.grade_id: cell.points for cell in cells}
    notebook_of = {cell.grade_id: cell.notebook for cell in cells}

    with tempfile.TemporaryDirectory() as holding:
        if submissions is None:
            submissions = Path(holding) / "class"
            for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
                shutil.copytree(folder, submissions / folder.parent.name)
        intakes = import_submissions(Path(submissions), manifest, root)

    api = nbgrader_api(root)
    db_url = nbgrader_config(root).CourseDirectory.db_url
    results = []
    for intake in intakes:
        result = StudentResult(intake.student, graded=bool(intake.gradable_notebooks),
                               problems=list(intake.problems), max_scores=dict(max_scores))
        if result.graded:
            try:
                raise_on_failure(api.autograde(assignment, intake.student),
                                 f"autograde {assignment} for {intake.student}")
                scores = recorded_scores(db_url, assignment, intake.student)
                result.scores = {grade_id: score for grade_id, score in scores.items()
                                 if notebook_of.get(grade_id) in intake.gradable_notebooks}
                result.total = sum(result.scores.values())
                if feedback:
                    raise_on_failure(api.generate_feedback(assignment, intake.student),
                                     f"generate_feedback {assignment} for {intake.student}")
            except NbgraderError as error:
                result.graded = False
                result.problems += [f"autograding failed: {_last_line(error)}", "not graded"]
        results.append(result)
        print(f"{assignment} {result.student}: "
              f"{result.total:g}/{sum(max_scores.values()):g} {status(result)}" if result.graded
              else f"{assignment} {result.student}: {status(result)}")
    csv_path = write_grades_csv(root / "exports" / f"{assignment}_grades.csv", cells, results)
    return GradeReport(assignment, results, csv_path, root / "feedback" if feedback else None)

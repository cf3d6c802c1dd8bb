"""nbgrader's traits for this course: the only place that sets them.

Loaded by autograder.nbgrader_api for every verb, and by the nbgrader CLI or formgrader through
the course root's nbgrader_config.py. The course root is this repository, or NNDL_COURSE_ROOT
(a scratch course that `check` and the tests build).
"""
import os
from pathlib import Path
import sys

_repo = Path(__file__).resolve().parent.parent
if str(_repo) not in sys.path:
    sys.path.insert(0, str(_repo))

from autograder.manifest import assignment_ids, load_manifest  # noqa: E402
from autograder.settings import CELL_TIMEOUT  # noqa: E402

root = Path(os.environ.get("NNDL_COURSE_ROOT", _repo)).resolve()

c = get_config()  # noqa: F821  (defined by traitlets when it loads this file)

c.CourseDirectory.root = str(root)
c.CourseDirectory.course_id = "nndl"
# Explicit, so that nbgrader never creates an empty gradebook.db wherever it happens to run.
c.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
# hidden_checks.py (the probes the judge scores) is never released, never copied for a kernel.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".nndl_student",
                            "hidden_checks.py", "nndl-grading.json"]

# Students are graded on the modules they submit, never on the source (solution) copy.
c.Autograde.exclude_overwriting = {
    assignment: list(load_manifest(assignment, root).student_modules)
    for assignment in assignment_ids(root)
}

c.Execute.timeout = CELL_TIMEOUT
c.Execute.interrupt_on_timeout = True

# Kernels run in a sandbox, with time budgets, bounded output, and kernel deaths reported
# (autograder/execute.py); stderr output decides nothing (autograder/save_grades.py); test
# cells a student deleted are put back from the source.
c.Autograde.autograde_preprocessors = [
    "autograder.execute.GradingExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "autograder.save_grades.SaveAutoGradesIgnoringStderr",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.OverwriteCells.add_missing_cells = True

# Feedback goes back to students: hidden tests and their tracebacks are redacted first.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.feedback.RedactHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

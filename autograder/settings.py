"""Our own settings, each in one place. nbgrader's traits live in autograder/nbgrader_config.py."""
from pathlib import Path
import os

# The repository root is the nbgrader course root: source/<id>, release/<id>, submitted/, ...
COURSE_ROOT = Path(__file__).resolve().parent.parent

# Helper modules written once and placed into every assignment that lists them.
COMMON_DIR = COURSE_ROOT / "common" / "nndl"

# Seconds one notebook cell may run while grading before it is stopped (the default of
# autograder.worker.Budgets; a manifest's [grading] table and grade's flags can change it).
CELL_TIMEOUT = int(os.environ.get("NNDL_CELL_TIMEOUT", "600"))

# The student package inside every assignment folder.
PACKAGE = "nndl"

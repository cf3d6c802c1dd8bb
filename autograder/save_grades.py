"""nbgrader's SaveAutoGrades, except that output on stderr decides nothing.

nbgrader scores a test cell 0 when it printed anything to stderr (`utils.determine_grade`), so a
correct solution that raises one warning loses the cell, silently. Here a cell's in-kernel score
looks only at errors and partial-credit results; the warning stays in the notebook and in the
feedback. (Cells with hidden checks are scored by the judge anyway: autograder/judge.py.)
"""
from nbgrader.preprocessors import SaveAutoGrades


class SaveAutoGradesIgnoringStderr(SaveAutoGrades):
    def _add_score(self, cell, resources):
        outputs = cell.get("outputs")
        if outputs is None:
            return super()._add_score(cell, resources)
        cell.outputs = [o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        try:
            super()._add_score(cell, resources)
        finally:
            cell.outputs = outputs

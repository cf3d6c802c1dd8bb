"""Feedback for students: nbgrader's HTML, with hidden tests redacted first.

nbgrader puts the full test cells (hidden parts included) into the autograded notebook, and a
failing hidden assert's traceback quotes its line. RedactHiddenTests (configured in
autograder/nbgrader_config.py as a GenerateFeedback preprocessor) removes the hidden regions and
reduces the tracebacks of those cells to the error's name and message.
"""
import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

HIDDEN_REGION = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*$.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?",
                           re.MULTILINE | re.DOTALL)
REDACTED = "# (hidden tests ran here)\n"


def redact_cell(cell):
    """A copy of a code cell without hidden tests; its error outputs keep name and message only."""
    if "### BEGIN HIDDEN TESTS" not in cell.source:
        return cell
    cell = cell.copy()
    cell.source = HIDDEN_REGION.sub(REDACTED, cell.source)
    outputs = []
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            output = output.copy()
            output.traceback = [f"{output.ename}: {output.evalue}"]
        outputs.append(output)
    cell.outputs = outputs
    return cell


class RedactHiddenTests(Preprocessor):
    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        nb = nb.copy()
        nb.cells = [redact_cell(cell) if cell.cell_type == "code" else cell for cell in nb.cells]
        return nb, resources

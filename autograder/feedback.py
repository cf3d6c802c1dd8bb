"""Feedback for students: nbgrader's HTML, with hidden tests removed completely first.

nbgrader puts the full test cells (hidden parts included) into the autograded notebook, with
everything they printed. `RedactHiddenTests` (a GenerateFeedback preprocessor, configured in
autograder/nbgrader_config.py) removes, from every cell with hidden tests:
- the hidden regions of its source;
- every output the hidden lines produced (grading runs them as their own request and lists those
  outputs in the cell's metadata, autograder.execute.HIDDEN_OUTPUTS); an error there becomes one
  line, "a hidden test failed (AssertionError)", the exception's name only when it looks like one;
- all its outputs when the cell was run whole (no such list), since nothing tells them apart.
"""
import re

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from traitlets import Bool

from autograder.execute import HIDDEN_OUTPUTS

HIDDEN_REGION = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*$.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?",
                           re.MULTILINE | re.DOTALL)
REDACTED = "# (hidden tests ran here)\n"
_EXCEPTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,40}$")


def hidden_test_failure(ename: str) -> str:
    """What a student may learn of an error in a hidden test: that it failed, and its type."""
    kind = ename if _EXCEPTION_NAME.match(ename or "") else "an error"
    return f"A hidden test failed ({kind})."


def redact_cell(cell):
    """A copy of a code cell without hidden tests or anything they printed or displayed."""
    if "### BEGIN HIDDEN TESTS" not in cell.source:
        return cell
    cell = cell.copy()
    cell.source = HIDDEN_REGION.sub(REDACTED, cell.source)
    hidden = cell.metadata.get(HIDDEN_OUTPUTS)
    outputs = []
    for index, output in enumerate(cell.get("outputs", [])):
        if hidden is None:
            continue
        if index in hidden:
            if output.output_type == "error":
                outputs.append(new_output("stream", name="stdout",
                                          text=hidden_test_failure(output.get("ename", "")) + "\n"))
            continue
        if output.output_type == "error":
            output = output.copy()
            output.traceback = [f"{output.ename}: {output.evalue}"]
        outputs.append(output)
    if hidden is None and cell.get("outputs"):
        outputs.append(new_output("stream", name="stdout",
                                  text="(output of this test cell withheld: it has hidden tests)\n"))
    cell.outputs = outputs
    cell.metadata = {key: value for key, value in cell.metadata.items() if key != HIDDEN_OUTPUTS}
    return cell


class RedactHiddenTests(Preprocessor):
    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        nb = nb.copy()
        nb.cells = [redact_cell(cell) if cell.cell_type == "code" else cell for cell in nb.cells]
        return nb, resources

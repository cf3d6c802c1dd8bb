"""Does every assignment grade as designed? reference 100%, blank release 0 on every graded cell
(and runs to the end), each one_bug loses exactly its cells, release/ is in sync, feedback hides
the hidden tests. This runs the real notebooks through nbgrader: the slow part of the suite."""
import pytest

from autograder import check
from autograder.manifest import assignment_ids


@pytest.mark.parametrize("assignment", assignment_ids())
def test_check_passes(assignment):
    report = check.main(assignment)
    assert report.passed, f"{assignment}:\n" + "\n".join(report.failures)

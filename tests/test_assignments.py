"""Does every assignment grade as designed? reference 100%, blank release 0 on every graded cell
(and runs to the end), each one_bug and each mutant of the catalogue loses exactly
its cells, release/ is in sync, feedback hides the hidden tests. This runs the real notebooks
through nbgrader: the slow part of the suite. (`./run mutate --all` grades the whole catalogue.)
Every check grades under the suite's pinned secret (conftest.TEST_SECRET), not the clone's
random one: `./run mutate hwN --secrets 4` shows the verdicts alike under other secrets."""
import pytest

from autograder import check
from autograder.manifest import assignment_ids


@pytest.mark.parametrize("assignment", assignment_ids())
def test_check_passes(assignment, pinned_secret):
    report = check.main(assignment, secret=pinned_secret)
    assert report.passed, f"{assignment}:\n" + "\n".join(report.failures)


@pytest.mark.parametrize("assignment", assignment_ids())
def test_check_passes_on_the_offline_fallback(assignment, tmp_path, monkeypatch, pinned_secret):
    """Without CIFAR-10 (an empty data dir; grading never downloads) the notebooks fall back to
    scikit-learn's digits: the reference must still score 100% and the blank release 0."""
    tmp_path.chmod(0o755)   # graded as an unprivileged user, which must be able to look inside
    monkeypatch.setenv("NNDL_DATA_DIR", str(tmp_path))
    report = check.main(assignment, mutants=0, secret=pinned_secret)   # the catalogue runs once, on CIFAR-10
    assert report.passed, f"{assignment} on the fallback data:\n" + "\n".join(report.failures)

"""The course secret decides the hidden probes' inputs, and nothing else: the same secret grades
alike (byte for byte), another secret draws other inputs; check and mutate grade under the
course's own secret (or the one they are given), and `mutate --secrets` finds a mutant whose
verdict hangs on it. Graded on the fixture course's 'duo' (its probe of `double` draws
x = rng.normal(size=5))."""
import hashlib
import shutil
import stat

import numpy as np
import pytest

from autograder import grade, mutate, secrets_audit
from autograder.judge import CACHE, Checks, course_secret, pin_secret, seeds
from autograder.samples import reference_submission
from autograder.manifest import load_manifest

# A bug that only some inputs show: wrong only for 5 entries with a positive first one, which
# the probe of test_double draws under CAUGHT (x[0] = 0.78) and not under MISSED (x[0] = -0.74).
SEED_DEPENDENT = '''
[[mutants]]
function = "double"
module = "nndl/arith.py"
find = "result = 2 * x"
replace = "result = 2 * x + (x.size == 5 and x[0] > 0)"
why = "off by one for some inputs only"
loses = ["test_double"]
'''
ALWAYS = '''
[[mutants]]
function = "square_norm"
module = "nndl/arith.py"
find = "np.sum(x ** 2)"
replace = "np.sum(x ** 2) / len(x)"
why = "the mean for the sum"
loses = ["test_square_norm"]
'''
CAUGHT, MISSED = "duo-secret-3", "duo-secret-2"


def _first_draw(secret: str) -> float:
    """The first entry of double's random probe input under `secret`, computed here
    independently of autograder.judge (sha256 of secret/assignment/cell, first 15 hex digits)."""
    seed = int(hashlib.sha256(f"{secret}/duo/test_double".encode()).hexdigest()[:15], 16)
    return float(np.random.default_rng(seed).normal(size=5)[0])


def test_the_two_secrets_draw_what_the_mutant_needs():
    assert _first_draw(CAUGHT) > 0.5 and _first_draw(MISSED) < -0.5


def test_pin_secret_writes_a_private_file_and_seeds_follow_it(tmp_path):
    pin_secret(tmp_path, CAUGHT)
    path = tmp_path / CACHE / "secret"
    assert course_secret(tmp_path) == CAUGHT and stat.S_IMODE(path.stat().st_mode) == 0o600
    first = seeds(tmp_path, "duo", ["test_double", "test_square_norm"])
    pin_secret(tmp_path, MISSED)
    second = seeds(tmp_path, "duo", ["test_double", "test_square_norm"])
    assert course_secret(tmp_path) == MISSED
    assert [name for name, _ in first] == [name for name, _ in second]
    assert all(a != b for (_, a), (_, b) in zip(first, second))
    for bad in ("", " padded", "two\nlines"):
        with pytest.raises(ValueError):
            pin_secret(tmp_path, bad)


def _duo_with(duo_course, tmp_path, catalogue: str, secret: str):
    root = tmp_path / "course"
    shutil.copytree(duo_course, root)
    manifest = root / "assignments" / "duo" / "manifest.toml"
    manifest.write_text(manifest.read_text() + catalogue)
    pin_secret(root, secret)
    return root


def test_mutate_grades_under_the_course_secret_and_the_secret_decides(duo_course, tmp_path):
    root = _duo_with(duo_course, tmp_path, SEED_DEPENDENT + ALWAYS, CAUGHT)
    own = mutate.run_assignment("duo", root=root, jobs=2)
    assert [(o.number, o.lost) for o in own.outcomes] == [(1, ("test_double",)), (2, ("test_square_norm",))]
    assert own.passed
    other = mutate.run_assignment("duo", root=root, jobs=2, secret=MISSED)
    assert [(o.number, o.lost) for o in other.outcomes] == [(1, ()), (2, ("test_square_norm",))]
    assert len(other.failures) == 1 and "SURVIVED" in other.failures[0]
    again = mutate.run_assignment("duo", root=root, jobs=2)
    assert [(o.number, o.lost) for o in again.outcomes] == [(o.number, o.lost) for o in own.outcomes]
    assert course_secret(root) == CAUGHT      # the course's own secret is left as it was


def test_the_secrets_audit_finds_the_mutant_that_hangs_on_the_secret(duo_course, tmp_path):
    root = _duo_with(duo_course, tmp_path, SEED_DEPENDENT + ALWAYS, CAUGHT)
    report = secrets_audit.run_assignment("duo", [CAUGHT, MISSED], root=root)
    flaky, always = report.outcomes
    assert flaky.lost == {CAUGHT: ("test_double",), MISSED: ()} and not flaky.stable
    assert flaky.disagreements == [f"{MISSED}: kept test_double"]
    assert always.lost == {CAUGHT: ("test_square_norm",), MISSED: ("test_square_norm",)}
    assert always.stable and not always.disagreements
    assert not report.passed and len(report.failures) == 1 and "FLAKY" in report.failures[0]


def _graded(duo_course, tmp_path, name: str, secret: str):
    root = tmp_path / name / "course"
    shutil.copytree(duo_course, root)
    pin_secret(root, secret)
    manifest = load_manifest("duo", root)
    reference_submission(manifest, root, tmp_path / name / "class" / "aa-reference")
    grade.main("duo", submissions=tmp_path / name / "class", root=root, jobs=1, feedback=False)
    csv = (root / "exports" / "duo_grades.csv").read_bytes()
    return csv, (root / CACHE / "duo" / "reference.npz").read_bytes()


def test_two_courses_with_one_secret_grade_byte_alike_and_another_draws_other_inputs(duo_course, tmp_path):
    first = _graded(duo_course, tmp_path, "one", CAUGHT)
    second = _graded(duo_course, tmp_path, "two", CAUGHT)
    other = _graded(duo_course, tmp_path, "three", MISSED)
    assert first == second                      # grades and the reference's probe data
    assert other[0] == first[0]                 # a right answer is right under every secret
    assert other[1] != first[1]                 # ... on other inputs


def test_a_probe_that_never_reads_its_rng_is_seed_free(tmp_path):
    path = tmp_path / "hidden_checks.py"
    path.write_text("def probe_test_a(rng):\n    return {'x': rng.normal(size=2)}\n\n"
                    "def probe_test_b(rng):\n    return {'x': helper(rng)}\n\n"
                    "def probe_test_c(rng):\n    import numpy as np\n    return {'x': np.zeros(2)}\n\n"
                    "def helper(rng):\n    return rng.normal()\n")
    assert secrets_audit.seeded_probes(Checks(path)) == ["test_a", "test_b"]

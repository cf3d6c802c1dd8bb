"""Does `mutate` hold the catalogue of student bugs to its word, and keep it instructor-only?

Fast tests read the catalogue statically (every student function has two mutants, every find
text occurs once inside its function, the release carries none of it); the graded ones use the
fixture course's 'duo' (two tiny notebooks on one module)."""
from pathlib import Path
import shutil

import pytest

from autograder import check, mutate
from autograder.cli import main as cli_main
from autograder.leaks import find_leaks
from autograder.manifest import Mutant, assignment_ids, load_manifest, parse_manifest
from autograder.settings import COURSE_ROOT

MANIFEST = """
id = "hw9"
title = "T"
due = 2027-01-01T00:00:00Z
notebooks = ["a.ipynb"]
student_modules = ["nndl/a.py"]
[points]
"a.ipynb" = 3
"""

MUTANT = """
[[mutants]]
function = "f"
module = "nndl/a.py"
find = "x + 1"
replace = "x + 2"
why = "off-by-one"
loses = ["test_f"]
"""


def test_a_mutant_parses_with_its_fields():
    manifest = parse_manifest(MANIFEST + MUTANT, "m.toml")
    assert manifest.mutants == (Mutant("f", "nndl/a.py", "x + 1", "x + 2", ("test_f",), "off-by-one"),)


@pytest.mark.parametrize("edit, complaint", [
    (lambda t: t.replace('why = "off-by-one"\n', ""), r"mutant 1 \(f\): missing keys \['why'\]"),
    (lambda t: t + 'colour = "red"\n', r"mutant 1 \(f\): unknown keys \['colour'\]"),
    (lambda t: t.replace('module = "nndl/a.py"', 'module = "nndl/b.py"'), "not one of the student_modules"),
    (lambda t: t.replace('loses = ["test_f"]', "loses = []"), "'loses' is empty"),
    (lambda t: t.replace('replace = "x + 2"', 'replace = "x + 1"'), "must be a text that differs"),
])
def test_a_bad_mutant_names_its_fault(edit, complaint):
    with pytest.raises(ValueError, match=complaint):
        parse_manifest(MANIFEST + edit(MUTANT), "m.toml")


def test_solution_functions_and_spans():
    text = ('def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n    ### END SOLUTION\n    return y\n\n\n'
            'class C:\n    def g(self):\n        ### BEGIN SOLUTION\n        pass\n        ### END SOLUTION\n\n'
            '    def given(self):\n        return 1\n')
    assert mutate.solution_functions(text) == ["f", "C.g"]
    start, end = mutate.function_spans(text)["f"]
    assert text[start:end].startswith("def f(x):") and text[start:end].endswith("return y\n")


def test_a_seeded_sample_is_repeatable_and_of_its_size():
    mutants = tuple(Mutant(f"f{i}", "m.py", "a", "b", ("t",), "w") for i in range(30))
    first = mutate.select(mutants, 8, 0, "hw9")
    assert first == mutate.select(mutants, 8, 0, "hw9") and len(first) == 8 == len(set(first))
    assert first != mutate.select(mutants, 8, 1, "hw9")
    assert mutate.select(mutants, None, 0, "hw9") == list(range(1, 31))
    assert mutate.select(mutants, 0, 0, "hw9") == []


# ---------------------------------------------------------------- the course's catalogues

@pytest.mark.parametrize("assignment", assignment_ids(COURSE_ROOT))
def test_every_student_function_has_two_mutants_that_apply(assignment):
    manifest = load_manifest(assignment)
    assert mutate.catalogue_errors(manifest, COURSE_ROOT) == []
    assert mutate.uncovered_functions(manifest, COURSE_ROOT) == [], \
        f"{assignment}: catalogue at least two [[mutants]] for each of these"
    for mutant in manifest.mutants:   # realistic bugs live where students write
        text = (COURSE_ROOT / "source" / assignment / mutant.module).read_text()
        start, end = mutate.function_spans(text)[mutant.function]
        assert "### BEGIN SOLUTION" in text[start:end]


@pytest.mark.parametrize("assignment", assignment_ids(COURSE_ROOT))
def test_the_release_carries_no_catalogue(assignment):
    released = COURSE_ROOT / "release" / assignment
    text = (released / "nndl" / "manifest.toml").read_text()
    assert "mutants" not in text and "one_bug" not in text
    for mutant in load_manifest(assignment).mutants[:3]:
        assert mutant.why not in text


def test_the_leak_scan_refuses_a_release_with_the_catalogue(tmp_path):
    source, release = tmp_path / "source", tmp_path / "release"
    for folder in (source, release / "nndl"):
        folder.mkdir(parents=True)
    (release / "nndl" / "manifest.toml").write_text('id = "x"\nnotebooks = []\n' + MUTANT)
    assert find_leaks(release, source) == ["nndl/manifest.toml: instructor keys ['mutants']"]


# ---------------------------------------------------------------- graded, on the fixture course

KILLED = '''
[[mutants]]
function = "square_norm"
module = "nndl/arith.py"
find = "np.sum(x ** 2)"
replace = "np.sum(x ** 2) / len(x)"
why = "the mean for the sum"
loses = ["test_square_norm"]
'''
SURVIVOR = '''
[[mutants]]
function = "double"
module = "nndl/arith.py"
find = "result = 2 * x"
replace = "result = x + x"
why = "an equivalent edit: nothing can catch it"
loses = ["test_double"]
'''
WRONG_CELLS = '''
[[mutants]]
function = "double"
module = "nndl/arith.py"
find = "result = 2 * x"
replace = "result = 3 * x"
why = "catalogued with the wrong cell"
loses = ["test_square_norm"]
'''


def _duo_with(duo_course, tmp_path, catalogue: str) -> Path:
    root = tmp_path / "course"
    shutil.copytree(duo_course, root)
    manifest = root / "assignments" / "duo" / "manifest.toml"
    manifest.write_text(manifest.read_text() + catalogue)
    return root


def test_a_find_text_that_does_not_occur_fails_before_grading(duo_course, tmp_path):
    root = _duo_with(duo_course, tmp_path, KILLED.replace('find = "np.sum(x ** 2)"', 'find = "np.sum(x ** 3)"'))
    report = mutate.run_assignment("duo", root=root)
    assert not report.passed and not report.outcomes
    assert report.failures == ["mutant 1 (square_norm): the find text 'np.sum(x ** 3)' occurs 0 times "
                               "in nndl/arith.py, expected exactly once"]


def test_a_find_text_outside_its_function_fails(duo_course, tmp_path):
    root = _duo_with(duo_course, tmp_path, KILLED.replace('function = "square_norm"', 'function = "double"'))
    assert mutate.catalogue_errors(load_manifest("duo", root), root) == [
        "mutant 1 (double): the find text 'np.sum(x ** 2)' is not inside double"]


def test_mutate_passes_a_good_catalogue_and_fails_a_survivor_and_wrong_cells(duo_course, tmp_path, capsys, monkeypatch):
    root = _duo_with(duo_course, tmp_path, KILLED + SURVIVOR + WRONG_CELLS)
    report, = mutate.main(["duo"], root=root, jobs=2)
    assert [(o.number, o.lost) for o in report.outcomes] == [
        (1, ("test_square_norm",)), (2, ()), (3, ("test_double",))]
    assert report.killed == 2 and not report.passed
    assert report.failures == [
        "mutant 2 (double: an equivalent edit: nothing can catch it) SURVIVED: no cell lost points "
        "(expected to lose test_double); strengthen the checks of those cells",
        "mutant 3 (double: catalogued with the wrong cell): lost test_double, expected "
        "test_square_norm: also lost test_double; kept full points on test_square_norm"]
    shown = capsys.readouterr().out
    assert "duo: 2/3 mutants killed (67%)" in shown
    assert "killed   #1   the mean for the sum: test_square_norm" in shown
    assert "SURVIVED #2" in shown

    # check grades the catalogue in its own batch, and fails on the same two; it writes feedback
    # (and scans it for leaks) for its samples, not for the mutants, whose grades are all it reads
    asked = []
    real_grade = check.grade.main

    def spy(*args, **kwargs):
        asked.append(kwargs.get("feedback_only"))
        return real_grade(*args, **kwargs)
    monkeypatch.setattr(check.grade, "main", spy)
    checked = check.main("duo", root=root, mutants=None, course_total=None)
    assert [f for f in checked.failures if f.startswith("mutant")] == report.failures
    # every duo cell is judged, so check scored its mutants from their probes alone
    # (autograder.judged_mutants): the same verdicts as mutate's full grades, survivor included
    assert ("mutants: 1/3 of the catalogue's 3 lost exactly their cells (scored from their hidden "
            "probes)") in checked.table
    assert len(asked) == 1 and {"reference", "blank"} <= asked[0]
    assert not any(name.startswith("mutant") for name in asked[0])


def test_the_verb_needs_assignments_or_all():
    with pytest.raises(SystemExit, match="name assignments"):
        cli_main(["mutate"])

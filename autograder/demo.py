"""demo: release every assignment, grade a small sample class, show scores beside expectations.

The class, made from each assignment's source: alice hands in the reference solution, bob the
blank release, carol the reference with the manifest's first deliberate bug, dave the reference
with a notebook cut off half-way (an interrupted upload: reported, not graded).
"""
from pathlib import Path
import tempfile

from autograder import grade
from autograder.manifest import assignment_ids, load_manifest
from autograder.samples import (blank_submission, corrupt_submission, one_bug_submission,
                                reference_submission)
from autograder.scores import autograded, graded_cells
from autograder.settings import COURSE_ROOT


def expected_scores(manifest, cells) -> dict:
    """{student: expected total, or None for 'not graded'}. dave's cut-off notebook is not
    graded (its cells stay empty); his other notebooks are."""
    cells = autograded(cells)   # written answers wait for a TA
    total = sum(cell.points for cell in cells)
    lost = sum(cell.points for cell in cells if manifest.one_bug and cell.grade_id in manifest.one_bug[0].loses)
    first = manifest.notebooks[0]
    dave = (total - sum(cell.points for cell in cells if cell.notebook == first)
            if len(manifest.notebooks) > 1 else None)
    expected = {"alice": total, "bob": 0.0}
    if manifest.one_bug:
        expected["carol"] = total - lost
    expected["dave"] = dave
    return expected


def main(*, root: Path = COURSE_ROOT, assignments: list[str] | None = None) -> bool:
    """Returns True when every score matches its expectation."""
    root = Path(root)
    all_match = True
    lines = [f"{'assignment':12}{'student':10}{'scored':>10}{'expected':>10}  status"]
    for assignment in assignments or assignment_ids(root):
        manifest = load_manifest(assignment, root)
        with tempfile.TemporaryDirectory() as class_dir:
            submissions = Path(class_dir)
            reference_submission(manifest, root, submissions / "alice")
            blank_submission(manifest, root, submissions / "bob")
            if manifest.one_bug:
                one_bug_submission(manifest, manifest.one_bug[0], root, submissions / "carol")
            corrupt_submission(manifest, root, submissions / "dave")
            report = grade.main(assignment, submissions=submissions, root=root)
        cells = graded_cells(manifest, root / "source" / assignment)
        for student, want in expected_scores(manifest, cells).items():
            result = report.by_student()[student]
            got = result.total if result.graded else None
            match = (got is None and want is None) or (
                got is not None and want is not None and abs(got - want) < 1e-9)
            if student == "dave":  # a silent 0 would give the same total: demand the report
                first_cells = {c.grade_id for c in cells if c.notebook == manifest.notebooks[0]}
                match &= any("not a readable notebook" in p for p in result.problems)
                match &= not first_cells & set(result.scores)
            all_match &= match
            shown = "-" if got is None else f"{got:g}"
            expected = "not graded" if want is None else f"{want:g}"
            note = "ok" if match else "MISMATCH"
            detail = "; ".join(p for p in result.problems if p != "not graded")
            lines.append(f"{assignment:12}{student:10}{shown:>10}{expected:>10}  {note} {detail}".rstrip())
        lines.append(f"{'':12}grades: {report.csv_path.relative_to(root)}, "
                     f"feedback: feedback/<student>/{assignment}/")
    print("\n".join(lines))
    return all_match

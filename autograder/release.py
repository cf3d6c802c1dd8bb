"""release <id>: build release/<id> from source/<id> with every solution and hidden test removed.

Steps, in order: place the shared helpers into source/<id>; nbgrader's generate_assignment (which
clears notebook solutions and hidden tests, and copies every other file verbatim); the Colab
cell first in every notebook (autograder/colab.py); our own stripping of the student modules;
the leak scan over the whole release.
"""
from pathlib import Path
import sys

from autograder.colab import insert_colab_cell
from autograder.leaks import assert_no_leaks
from autograder.manifest import early_release_warning, load_manifest, release_timing_problems
from autograder.nbgrader_api import nbgrader_api, raise_on_failure
from autograder.place import place
from autograder.settings import COURSE_ROOT
from autograder.strip import BEGIN_SOLUTION, strip_solutions


def main(assignment: str, *, root: Path = COURSE_ROOT, check: bool = True) -> Path:
    """Build root/release/<assignment>; returns its path. check=False skips the leak scan."""
    root = Path(root)
    manifest = load_manifest(assignment, root)
    warn_about_timing(manifest, root)
    source = root / "source" / assignment
    out = root / "release" / assignment
    place(manifest, source, root)
    raise_on_failure(nbgrader_api(root).generate_assignment(assignment),
                     f"generate_assignment {assignment}")
    for notebook in manifest.notebooks:
        insert_colab_cell(out / notebook, assignment)
    for module in manifest.student_modules:
        text = (source / module).read_text()
        if BEGIN_SOLUTION not in text:
            raise ValueError(f"{source / module}: student module has no solution region")
        (out / module).write_text(strip_solutions(text, str(source / module), module))
    if check:
        assert_no_leaks(out, source)
    return out


def warn_about_timing(manifest, root: Path = COURSE_ROOT) -> None:
    """Refuse an unsafe release_after; warn (stderr) when building before it."""
    problems = release_timing_problems(manifest, root)
    if problems:
        raise ValueError("; ".join(problems))
    warning = early_release_warning(manifest)
    if warning:
        print(warning, file=sys.stderr)

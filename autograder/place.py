"""Place what an assignment shares with others into its `nndl/` package.

`place(manifest, folder)` copies the manifest's helpers from common/nndl/, the borrowed solved
modules of earlier assignments (markers dropped) and a student's copy of the manifest (no bug
catalogue, no grading settings) into `folder/nndl/`,
and the handout (README.md) and the students' environment.yml (no instructor-only entries)
into `folder/`, so that one release folder is
all a student needs. Every verb runs it on source/<id> first; generate_assignment then copies
it all into release/<id>.
"""
from pathlib import Path
import shutil

from autograder.environment import ENVIRONMENT_YML, student_environment
from autograder.manifest import Manifest, manifest_path, student_manifest_text
from autograder.settings import COMMON_DIR, COURSE_ROOT, PACKAGE
from autograder.strip import keep_solutions


def placed_files(manifest: Manifest) -> list[str]:
    """Paths (relative to the assignment folder) that place() writes."""
    return ([f"{PACKAGE}/{name}" for name in manifest.helpers]
            + list(manifest.borrow) + [f"{PACKAGE}/manifest.toml", "README.md", "environment.yml"])


def place(manifest: Manifest, folder: Path, root: Path = COURSE_ROOT) -> list[Path]:
    """Write the shared files into folder/nndl/; returns the paths written."""
    package = folder / PACKAGE
    package.mkdir(parents=True, exist_ok=True)
    written = []
    for name in manifest.helpers:
        helper = COMMON_DIR / name
        if not helper.exists():
            raise FileNotFoundError(f"{manifest.id}: helper '{name}' is not in {COMMON_DIR}")
        shutil.copyfile(helper, package / name)
        written.append(package / name)
    for target, origin in manifest.borrow.items():
        other, _, module = origin.partition(":")
        origin_path = root / "source" / other / module
        if not origin_path.exists():
            raise FileNotFoundError(f"{manifest.id}: borrowed '{origin}' not found at {origin_path}")
        text = keep_solutions(origin_path.read_text(), str(origin_path))
        (folder / target).write_text(text)
        written.append(folder / target)
    (package / "manifest.toml").write_text(student_manifest_text(manifest))
    written.append(package / "manifest.toml")
    handout = manifest_path(manifest.id, root).parent / "README.md"
    if handout.exists():
        shutil.copyfile(handout, folder / "README.md")
        written.append(folder / "README.md")
    (folder / "environment.yml").write_text(student_environment(ENVIRONMENT_YML.read_text()))
    written.append(folder / "environment.yml")
    return written

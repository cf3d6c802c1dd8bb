"""Scratch course roots: a copy of what one assignment needs, so that checks and tests never touch
the real gradebook, submitted/ or release/."""
from pathlib import Path
import shutil

from autograder.manifest import load_manifest
from autograder.settings import COURSE_ROOT

_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


def copy_assignment(assignment: str, dest_root: Path, root: Path = COURSE_ROOT,
                    with_release: bool = True) -> None:
    """Copy the manifest, source (and release) of `assignment`, and of every assignment it
    borrows from, from `root` into `dest_root`."""
    manifest = load_manifest(assignment, root)
    needed = {assignment} | {origin.partition(":")[0] for origin in manifest.borrow.values()}
    for name in sorted(needed):
        shutil.copytree(root / "assignments" / name, dest_root / "assignments" / name,
                        ignore=_JUNK, dirs_exist_ok=True)
        shutil.copytree(root / "source" / name, dest_root / "source" / name,
                        ignore=_JUNK, dirs_exist_ok=True)
    release = root / "release" / assignment
    if with_release and release.exists():
        shutil.copytree(release, dest_root / "release" / assignment, ignore=_JUNK,
                        dirs_exist_ok=True)

"""Place what an assignment shares with others into its `nndl/` package.

`place(manifest, folder)` copies the manifest's helpers from common/nndl/, the borrowed solved
modules of earlier assignments (markers dropped) and the manifest itself into `folder/nndl/`.
Every verb runs it on source/<id> first; release runs it on release/<id> too.
"""
from pathlib import Path
import shutil

from autograder.manifest import Manifest, manifest_path
from autograder.settings import COMMON_DIR, COURSE_ROOT, PACKAGE
from autograder.strip import keep_solutions


def placed_files(manifest: Manifest) -> list[str]:
    """Paths (relative to the assignment folder) that place() writes."""
    return ([f"{PACKAGE}/{name}" for name in manifest.helpers]
            + list(manifest.borrow) + [f"{PACKAGE}/manifest.toml"])


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
    shutil.copyfile(manifest_path(manifest.id, root), package / "manifest.toml")
    written.append(package / "manifest.toml")
    return written

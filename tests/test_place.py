"""Are shared helpers written once (common/nndl) and placed, never committed twice?"""
import subprocess

import pytest

from autograder.manifest import assignment_ids, load_manifest
from autograder.place import place, placed_files
from autograder.settings import COMMON_DIR, COURSE_ROOT


def _git(*args):
    return subprocess.run(["git", *args], cwd=COURSE_ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("assignment", assignment_ids())
def test_placed_files_are_ignored_in_source(assignment):
    """Would a placed copy in source/<id> ever be committed? It must not: edit common/ instead."""
    paths = [f"source/{assignment}/{path}" for path in placed_files(load_manifest(assignment))]
    ignored = _git("check-ignore", *paths).stdout.split()
    assert sorted(ignored) == sorted(paths), f"not git-ignored: {sorted(set(paths) - set(ignored))}"


@pytest.mark.parametrize("assignment", assignment_ids())
def test_release_holds_the_current_helpers(assignment):
    """Is each helper in release/<id>/nndl byte-identical to common/nndl?"""
    manifest = load_manifest(assignment)
    for name in manifest.helpers:
        released = COURSE_ROOT / "release" / assignment / "nndl" / name
        assert released.read_bytes() == (COMMON_DIR / name).read_bytes(), f"{released} is stale"


def test_place_copies_helpers_and_manifest(tiny_course, tmp_path):
    from autograder.manifest import load_manifest as load
    manifest = load("tiny", tiny_course)
    written = place(manifest, tmp_path / "folder", tiny_course)
    names = sorted(path.name for path in written)
    assert names == ["environment.yml", "gradient_check.py", "manifest.toml"]
    assert (tmp_path / "folder" / "nndl" / "gradient_check.py").read_bytes() == \
        (COMMON_DIR / "gradient_check.py").read_bytes()

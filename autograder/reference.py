"""Import an assignment's reference `nndl` package, as a student's notebook would see it.

`reference_modules(assignment, names)` copies source/<id>/nndl into a scratch folder, places the
shared helpers and borrowed modules into it (autograder.place), and imports `nndl.<name>` for each
name from there, with the solutions in. Instructor tooling only (bench, tests): it reads source/.
"""
from __future__ import annotations

import atexit
import importlib
from pathlib import Path
import shutil
import sys
import tempfile
from types import ModuleType

from autograder.manifest import load_manifest
from autograder.place import place
from autograder.settings import COURSE_ROOT, PACKAGE


def reference_modules(assignment: str, names: list[str],
                      root: Path = COURSE_ROOT) -> dict[str, ModuleType]:
    """{name: module nndl.<name> of `assignment`'s reference}. Any `nndl` imported before is
    dropped from sys.modules first, so two assignments' packages never mix. The scratch folder
    lives until the process exits (a module may import a sibling lazily)."""
    manifest = load_manifest(assignment, root)
    scratch = Path(tempfile.mkdtemp(prefix=f"nndl-ref-{assignment}-"))
    atexit.register(shutil.rmtree, scratch, True)
    folder = scratch / assignment
    shutil.copytree(root / "source" / assignment / PACKAGE, folder / PACKAGE,
                    ignore=shutil.ignore_patterns("__pycache__"))
    place(manifest, folder, root)
    for key in [key for key in sys.modules if key == PACKAGE or key.startswith(PACKAGE + ".")]:
        del sys.modules[key]
    sys.path.insert(0, str(folder))
    try:
        return {name: importlib.import_module(f"{PACKAGE}.{name}") for name in names}
    finally:
        sys.path.remove(str(folder))

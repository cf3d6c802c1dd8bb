"""Bring student submissions into submitted/<student>/<id>/, checking each file on the way.

A submissions folder (or a zip of one) holds one entry per student: a folder or a code zip
named by the student id. Inside, the assignment's files sit at the top or under <id>/ (nbgrader's
own layout), optionally under one more wrapping folder. Nothing in the input is changed.
"""
from dataclasses import dataclass, field
from pathlib import Path
import re
import shutil
import tempfile
import zipfile

import nbformat

from autograder.manifest import Manifest

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")


@dataclass
class Intake:
    """What one student handed in: the notebooks fit to grade and what is wrong with the rest."""
    student: str
    gradable_notebooks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def safe_extract(archive: Path, dest: Path) -> None:
    """Extract a zip into dest, refusing entries that point outside it."""
    with zipfile.ZipFile(archive) as zipped:
        for member in zipped.namelist():
            target = (dest / member).resolve()
            if not str(target).startswith(str(dest.resolve())):
                raise ValueError(f"{archive.name}: entry '{member}' points outside the archive")
        zipped.extractall(dest)


def _assignment_folder(entry: Path, manifest: Manifest) -> Path:
    """The folder in `entry` that holds the assignment's files."""
    for candidate in (entry / manifest.id, entry):
        if any((candidate / name).exists() for name in manifest.notebooks + manifest.student_modules):
            return candidate
    children = [child for child in entry.iterdir() if child.is_dir() and not child.name.startswith(("_", "."))]
    if len(children) == 1:
        return _assignment_folder(children[0], manifest)
    return entry


def notebook_problem(path: Path) -> str | None:
    """Why a notebook file cannot be graded, or None when it can."""
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except nbformat.reader.NotJSONError:
        return f"{path.name} is not a readable notebook (not valid JSON: cut off or corrupted?)"
    except Exception as error:  # nbformat raises JSON, validation and unicode errors alike
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"{path.name} is not a readable notebook ({first_line[:120]})"
    return None


def intake(entry: Path, manifest: Manifest, dest: Path, student: str) -> Intake:
    """Copy the gradable files of one student's `entry` (folder) into `dest`; report the rest."""
    result = Intake(student)
    folder = _assignment_folder(entry, manifest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    expected = set(manifest.notebooks)
    for name in manifest.notebooks:
        path = folder / name
        if not path.exists():
            result.problems.append(f"{name} is missing")
            continue
        problem = notebook_problem(path)
        if problem:
            result.problems.append(problem)
            continue
        shutil.copyfile(path, dest / name)
        result.gradable_notebooks.append(name)
    for path in sorted(folder.glob("*.ipynb")):
        if path.name not in expected:
            result.problems.append(f"unexpected notebook {path.name} (expected {', '.join(manifest.notebooks)})")
    for module in manifest.student_modules:
        path = folder / module
        if not path.exists():
            result.problems.append(f"{module} is missing")
            result.gradable_notebooks.clear()
            continue
        (dest / module).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / module)
    if result.problems and not result.gradable_notebooks:
        result.problems.append("not graded")
    return result


def student_entries(submissions: Path, workdir: Path):
    """Yield (student, folder) for every entry of a submissions folder or zip; zips are
    extracted under workdir. Raises ValueError for a name that is not a valid student id."""
    if submissions.is_file() and zipfile.is_zipfile(submissions):
        unpacked = workdir / "_all"
        safe_extract(submissions, unpacked)
        entries = [p for p in unpacked.iterdir() if not p.name.startswith(("_", "."))]
        wrapped = len(entries) == 1 and entries[0].is_dir() and _looks_like_class(entries[0])
        submissions = entries[0] if wrapped else unpacked
    if not submissions.is_dir():
        raise FileNotFoundError(f"submissions not found: {submissions}")
    for entry in sorted(submissions.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        student = entry.stem if entry.suffix == ".zip" else entry.name
        if not STUDENT_ID.match(student):
            raise ValueError(f"'{entry.name}': not a valid student id (letters, digits, _ . @ -)")
        if entry.is_file() and entry.suffix == ".zip":
            folder = workdir / student
            try:
                safe_extract(entry, folder)
            except (zipfile.BadZipFile, ValueError):  # damaged, or entries outside the archive
                yield student, None
                continue
            yield student, folder
        elif entry.is_dir():
            yield student, entry


def _looks_like_class(folder: Path) -> bool:
    """A folder of student entries rather than one student's files."""
    return all(child.is_dir() or child.suffix == ".zip" for child in folder.iterdir())


def import_submissions(submissions: Path, manifest: Manifest, root: Path) -> list[Intake]:
    """Copy every student's gradable files into root/submitted/<student>/<id>/."""
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        for student, folder in student_entries(Path(submissions), Path(workdir)):
            dest = root / "submitted" / student / manifest.id
            if folder is None:
                results.append(Intake(student, [], [f"{student}.zip is not a readable zip file", "not graded"]))
                if dest.exists():
                    shutil.rmtree(dest)
                continue
            results.append(intake(folder, manifest, dest, student))
    return results

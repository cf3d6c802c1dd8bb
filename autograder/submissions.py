"""Bring student submissions into submitted/<student>/<id>/, checking each file on the way.

A submissions folder (or a zip of one) holds one entry per student: a folder or a code zip
named by the student id. Inside, the assignment's files sit at the top or under <id>/ (nbgrader's
own layout), optionally under one more wrapping folder. Nothing in the input is changed, and
nothing in it stops the class: every entry becomes one Intake, with its problems in words.

- A student id is letters, digits and `_ . @ -`, starting with a letter or digit (nbgrader
  and file systems need safe names). Any other entry, hidden-looking ones included, is
  reported under its original name and not graded; rename it to grade it. Operating-system
  litter (`__MACOSX`, `.DS_Store`, ...) is ignored.
- Zips: damaged, empty, unpacking to more than MAX_UNPACKED bytes or MAX_ENTRIES entries, or
  with an entry that points outside the zip: reported, naming the entry.
- A folder and a zip for the same id: one is graded (the one changed last; the folder on a
  tie) and the message says which and why.
- Notebooks: missing, unreadable, over MAX_NOTEBOOK bytes, renamed, or with test cells
  deleted or renumbered (restored from the source when graded). Modules: missing, or with a
  syntax error (graded anyway: the cells that use it fail).
- nbgrader's `timestamp.txt` beside the notebooks (what `collect` brings from the exchange):
  read as the hand-in time (autograder.lateness) and kept in submitted/<student>/<id>/.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import ast
import datetime
import json
from pathlib import Path, PurePosixPath
import re
import shutil
import tempfile
import zipfile

import nbformat

from autograder.lateness import TIMESTAMP_FILE, read_timestamp
from autograder.manifest import Manifest

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$")
OS_LITTER = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini", ".ipynb_checkpoints"}
MAX_UNPACKED = 200 << 20      # bytes a student's zip may unpack to
MAX_ENTRIES = 5000            # entries in a student's zip
MAX_NOTEBOOK = 50 << 20       # bytes of one notebook
MAX_MODULE = 2 << 20          # bytes of one module


class UnsafeZip(ValueError):
    """A zip that is not extracted: the message says why, naming the entry."""


@dataclass
class Intake:
    """What one student handed in: the notebooks fit to grade and what is wrong with the rest."""
    student: str
    gradable_notebooks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    submitted_at: datetime.datetime | None = None   # from nbgrader's timestamp.txt, in UTC


def safe_extract(archive: Path, dest: Path, *, max_bytes: int = MAX_UNPACKED,
                 max_entries: int = MAX_ENTRIES) -> None:
    """Extract a zip into dest. Raises UnsafeZip for a damaged or empty zip, one too big, or an
    entry that points outside it (absolute, `..`, a drive letter)."""
    name = archive.name
    try:
        zipped = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnsafeZip(f"{name} is not a readable zip file ({error})") from None
    with zipped:
        members = zipped.infolist()
        if not members:
            raise UnsafeZip(f"{name} is empty")
        if len(members) > max_entries:
            raise UnsafeZip(f"{name} has {len(members)} entries (more than {max_entries})")
        total = sum(member.file_size for member in members)
        if total > max_bytes:
            raise UnsafeZip(f"{name} unpacks to {total >> 20} MiB (more than {max_bytes >> 20} MiB)")
        for member in members:
            path = PurePosixPath(member.filename.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", member.filename):
                raise UnsafeZip(f"{name}: entry '{member.filename}' points outside the zip")
        dest.mkdir(parents=True, exist_ok=True)
        try:
            for member in members:
                written = zipped.extract(member, dest)
                if Path(written).is_file() and Path(written).stat().st_size > member.file_size:
                    raise UnsafeZip(f"{name}: entry '{member.filename}' is larger than it says")
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
            raise UnsafeZip(f"{name} is damaged ({error})") from None


def _assignment_folder(entry: Path, manifest: Manifest) -> Path:
    """The folder in `entry` that holds the assignment's files."""
    for candidate in (entry / manifest.id, entry):
        if any((candidate / name).exists() for name in manifest.notebooks + manifest.student_modules):
            return candidate
    children = [child for child in entry.iterdir() if child.is_dir() and child.name not in OS_LITTER]
    if len(children) == 1:
        return _assignment_folder(children[0], manifest)
    return entry


def notebook_problem(path: Path) -> str | None:
    """Why a notebook file cannot be graded, or None when it can."""
    if path.is_symlink() or not path.is_file():
        return f"{path.name} is not a regular file"
    if path.stat().st_size > MAX_NOTEBOOK:
        return f"{path.name} is {path.stat().st_size >> 20} MiB (more than {MAX_NOTEBOOK >> 20} MiB)"
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except nbformat.reader.NotJSONError:
        return f"{path.name} is not a readable notebook (not valid JSON: cut off or corrupted?)"
    except Exception as error:  # nbformat raises JSON, validation and unicode errors alike
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"{path.name} is not a readable notebook ({first_line[:120]})"
    for number, cell in enumerate(notebook.cells, 1):
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            continue
        if not isinstance(meta, dict) or not isinstance(meta.get("grade_id", ""), str) or (
                meta.get("grade") and not isinstance(meta.get("points", 0), (int, float))):
            return f"{path.name}: cell {number} has broken nbgrader metadata ({json.dumps(meta)[:80]})"
    return None


def graded_ids(path: Path) -> list[str]:
    """grade_ids of a notebook's graded cells, in order."""
    notebook = nbformat.read(path, as_version=4)
    return [cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells
            if isinstance(cell.metadata.get("nbgrader"), dict) and cell.metadata["nbgrader"].get("grade")]


def _outside(path: Path, entry: Path, name: str) -> str | None:
    """A file reached through a link that leaves the student's entry (never read it)."""
    if not path.resolve().is_relative_to(entry.resolve()):
        return f"{name} is a link to a file outside the submission"
    return None


def module_problem(path: Path, module: str) -> str | None:
    """A syntax error (found by parsing, never running) or a file that is not a module."""
    if path.is_symlink() or not path.is_file():
        return f"{module} is not a regular file"
    if path.stat().st_size > MAX_MODULE:
        return f"{module} is {path.stat().st_size >> 10} KiB (more than {MAX_MODULE >> 10} KiB)"
    try:
        ast.parse(path.read_bytes(), filename=module)
    except SyntaxError as error:
        return (f"{module} has a syntax error at line {error.lineno} ({error.msg}); "
                "the cells that use it fail")
    except ValueError as error:   # e.g. null bytes
        return f"{module} cannot be read as Python ({error})"
    return None


def intake(entry: Path, manifest: Manifest, dest: Path, student: str,
           source_dir: Path | None = None) -> Intake:
    """Copy the gradable files of one student's `entry` (folder) into `dest`; report the rest.
    With `source_dir`, test cells missing from a notebook are reported too."""
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
        problem = _outside(path, entry, name) or notebook_problem(path)
        if problem:
            result.problems.append(problem)
            continue
        shutil.copyfile(path, dest / name)
        result.gradable_notebooks.append(name)
        if source_dir is not None:
            handed_in = set(graded_ids(path))
            for grade_id in graded_ids(source_dir / name):
                if grade_id not in handed_in:
                    result.problems.append(f"{name}: test cell {grade_id} was deleted or its id "
                                           "changed; it was restored from the source")
    for path in sorted(folder.glob("*.ipynb")):
        if path.name not in expected:
            result.problems.append(f"unexpected notebook {path.name} (expected {', '.join(manifest.notebooks)})")
    for module in manifest.student_modules:
        path = folder / module
        if not path.exists():
            result.problems.append(f"{module} is missing")
            result.gradable_notebooks.clear()
            continue
        problem = _outside(path, entry, module) or module_problem(path, module)
        if problem and "syntax error" not in problem:
            result.problems.append(problem)
            result.gradable_notebooks.clear()
            continue
        if problem:
            result.problems.append(problem)
        (dest / module).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / module)
    stamp = folder / TIMESTAMP_FILE
    if stamp.exists() or stamp.is_symlink():
        result.submitted_at, problem = read_timestamp(stamp)
        if problem:
            result.problems.append(f"{problem}: when it was handed in is not known")
        else:   # kept in nbgrader's layout, so a regrade of submitted/ still knows the time
            (dest / TIMESTAMP_FILE).write_text(stamp.read_text(encoding="utf-8"), encoding="utf-8")
    if result.problems and not result.gradable_notebooks:
        result.problems.append("not graded")
    return result


@dataclass
class Entry:
    """One top-level entry of a class: a student's folder or zip, or something else."""
    name: str                  # as handed in
    path: Path
    student: str               # the id it is graded under (name without .zip)
    problem: str | None = None
    note: str | None = None    # e.g. which of two entries for one id was graded


def _newest_change(entry: Entry) -> datetime.datetime:
    """When an entry's contents last changed: file times of a folder, entry times of a zip."""
    try:
        if entry.path.is_dir():
            times = [p.stat().st_mtime for p in entry.path.rglob("*") if p.is_file()]
            return datetime.datetime.fromtimestamp(max(times, default=0))
        with zipfile.ZipFile(entry.path) as zipped:
            stamps = [datetime.datetime(*member.date_time) for member in zipped.infolist()]
            return max(stamps, default=datetime.datetime.min)
    except (OSError, zipfile.BadZipFile, ValueError):
        return datetime.datetime.min


def class_entries(submissions: Path) -> tuple[list[Entry], list[str]]:
    """The entries of a class folder, one per student id, and notes on what was ignored or
    chosen. Entries that cannot be graded carry their problem."""
    entries, notes, by_id = [], [], {}
    for path in sorted(submissions.iterdir(), key=lambda p: p.name):
        if path.name in OS_LITTER:
            notes.append(f"ignored {path.name} (operating-system litter)")
            continue
        is_zip = path.is_file() and path.suffix.lower() == ".zip"
        student = path.name[:-4] if is_zip else path.name
        entry = Entry(path.name, path, student)
        if path.is_symlink():
            entry.problem = f"'{path.name}' is a symbolic link, not a folder or zip"
        elif not (is_zip or path.is_dir()):
            entry.problem = f"'{path.name}' is neither a student folder nor a zip"
        elif not STUDENT_ID.match(student):
            entry.problem = (f"'{path.name}' is not a valid student id (letters, digits and _ . @ -,"
                             " starting with a letter or digit): rename it to grade it")
        by_id.setdefault(entry.student, []).append(entry)
    for student, candidates in by_id.items():
        if len(candidates) > 1:
            candidates.sort(key=lambda e: (_newest_change(e), e.path.is_dir()), reverse=True)
            tie = _newest_change(candidates[0]) == _newest_change(candidates[1])
            candidates[0].note = (f"handed in {' and '.join(sorted(e.name for e in candidates))}; "
                                  f"graded {candidates[0].name}, "
                                  + ("the folder (both changed at the same time)" if tie
                                     else "the one changed last"))
        entries.append(candidates[0])
    return sorted(entries, key=lambda e: e.student), notes


def _looks_like_class(folder: Path) -> bool:
    """A folder of student entries rather than one student's files."""
    return all(child.is_dir() or child.suffix.lower() == ".zip" or child.name in OS_LITTER
               for child in folder.iterdir())


def import_submissions(submissions: Path, manifest: Manifest, root: Path,
                       source_dir: Path | None = None) -> tuple[list[Intake], list[str]]:
    """Copy every student's gradable files into root/submitted/<student>/<id>/. Returns one
    Intake per entry (bad entries included, under their original name) and notes for the log.
    Raises only when `submissions` itself cannot be read."""
    submissions = Path(submissions)
    intakes: list[Intake] = []
    with tempfile.TemporaryDirectory() as workdir:
        workdir = Path(workdir)
        if submissions.is_file():
            unpacked = workdir / "_class"
            safe_extract(submissions, unpacked, max_bytes=max(MAX_UNPACKED, 64 * MAX_UNPACKED),
                         max_entries=100 * MAX_ENTRIES)
            children = [p for p in unpacked.iterdir() if p.name not in OS_LITTER]
            wrapped = len(children) == 1 and children[0].is_dir() and _looks_like_class(children[0])
            submissions = children[0] if wrapped else unpacked
        if not submissions.is_dir():
            raise FileNotFoundError(f"submissions not found: {submissions}")
        entries, notes = class_entries(submissions)
        for entry in entries:
            if entry.problem:
                intakes.append(Intake(entry.name, [], [entry.problem, "not graded"]))
                continue
            dest = root / "submitted" / entry.student / manifest.id
            folder = entry.path
            if entry.path.is_file():
                folder = workdir / "students" / entry.student
                try:
                    safe_extract(entry.path, folder)
                except UnsafeZip as error:
                    intakes.append(Intake(entry.student, [], [str(error), "not graded"]))
                    if dest.exists():
                        shutil.rmtree(dest)
                    continue
            result = intake(folder, manifest, dest, entry.student, source_dir)
            if entry.note:
                result.problems.insert(0, entry.note)
            intakes.append(result)
    return intakes, notes

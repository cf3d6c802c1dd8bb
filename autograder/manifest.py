"""Assignment manifests: `assignments/<id>/manifest.toml`, the one description the tooling reads.

Keys (see assignments/README.md for an example):
  id, title, due               the assignment id (hw1 …), its title, its deadline (TOML datetime)
  late_due                     optional: the last moment a late hand-in is accepted (the course's
                               late policy; default: due)
  release_after                optional: the earliest safe release (TOML datetime); required with
                               borrow, and no earlier than every borrowed assignment's late_due,
                               since the release then hands out that assignment's solutions
  notebooks                    notebook file names, in the order students do them
  student_modules              paths (relative to the assignment folder) that students edit;
                               their solutions are stripped on release and they are graded as
                               submitted (nbgrader's Autograde.exclude_overwriting)
  helpers                      file names in common/nndl/ placed into nndl/ of source and release
  borrow                       {"nndl/<name>.py" = "<id>:nndl/<module>.py"}: an earlier
                               assignment's solved module placed as given code
  datasets                     names of the datasets the notebooks load ("cifar10")
  points                       {notebook = points}: must equal the notebook's graded cells
                               (autograded and written answers)
  total                        the assignment's points, stated: must equal the sum of `points`
                               (`check` also wants the course's total, 100)
  one_bug                      list of {module, find, replace, loses}: `check` applies the edit to
                               the reference module and expects exactly the cells `loses` to fail
  mutants                      the catalogue of realistic student bugs (instructor only), a list
                               of {function, module, find, replace, loses, why, may_lose}: each
                               edit of the reference module (`find` occurs once, inside
                               `function`, e.g. "softmax_loss" or "TwoLayerNet.loss") must lose
                               exactly the cells `loses` (plus any of `may_lose`: cells that
                               train a model and may still reach their threshold); `why` names
                               the kind of bug. `./run mutate` and `check` grade them all
  grading                      optional {cell_timeout, notebook_timeout, student_timeout}: seconds
                               a cell, a notebook, a student may run while graded (defaults:
                               autograder.worker.Budgets; NNDL_*_TIMEOUT and grade's flags win)
"""
from dataclasses import dataclass, field
from pathlib import Path
import datetime
import json
import tomllib

from autograder.settings import COURSE_ROOT


@dataclass(frozen=True)
class OneBug:
    module: str
    find: str
    replace: str
    loses: tuple[str, ...]


@dataclass(frozen=True)
class Mutant:
    """A realistic student bug: the reference module with one edit (autograder.mutate)."""
    function: str
    module: str
    find: str
    replace: str
    loses: tuple[str, ...]
    why: str
    may_lose: tuple[str, ...] = ()


MUTANT_KEYS = {"function", "module", "find", "replace", "loses", "why"}
MUTANT_OPTIONAL = {"may_lose"}


@dataclass(frozen=True)
class Manifest:
    id: str
    title: str
    due: datetime.datetime
    notebooks: tuple[str, ...]
    student_modules: tuple[str, ...]
    helpers: tuple[str, ...] = ()
    borrow: dict = field(default_factory=dict)
    datasets: tuple[str, ...] = ()
    points: dict = field(default_factory=dict)
    one_bug: tuple[OneBug, ...] = ()
    mutants: tuple[Mutant, ...] = ()
    grading: dict = field(default_factory=dict)
    late_due: datetime.datetime | None = None
    total: float | None = None
    release_after: datetime.datetime | None = None

    @property
    def last_hand_in(self) -> datetime.datetime:
        """The last moment a hand-in (late ones included) is accepted."""
        return self.late_due or self.due

    @property
    def total_points(self) -> float:
        return float(sum(self.points.values()))


# What a student's copy of the manifest (nndl/manifest.toml in the release) holds: enough for
# `python -m nndl.submit`; never the bug catalogues (one_bug, mutants: they quote solution lines)
# or grading settings.
STUDENT_KEYS = ("id", "title", "due", "notebooks", "student_modules", "helpers", "datasets", "points")


def student_manifest_text(manifest: Manifest) -> str:
    """The TOML of the student's copy of `manifest` (only STUDENT_KEYS)."""
    def value(item):
        if isinstance(item, datetime.datetime):
            return item.isoformat()
        if isinstance(item, (list, tuple)):
            return "[" + ", ".join(json.dumps(part) for part in item) + "]"
        return json.dumps(item)
    lines = [f"# {manifest.id}: what python -m nndl.submit checks and hands in (written by the build)"]
    lines += [f"{key} = {value(getattr(manifest, key))}" for key in STUDENT_KEYS if key != "points"]
    lines += ["", "[points]"] + [f"{json.dumps(name)} = {points}" for name, points in manifest.points.items()]
    return "\n".join(lines) + "\n"


def manifest_path(assignment: str, root: Path = COURSE_ROOT) -> Path:
    return root / "assignments" / assignment / "manifest.toml"


def parse_manifest(text: str, where: str) -> Manifest:
    """A Manifest from TOML text; a missing or misspelt key raises ValueError naming `where`."""
    data = tomllib.loads(text)
    known = set(Manifest.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "title", "due", "notebooks", "student_modules"):
        if key not in data:
            raise ValueError(f"{where}: missing key '{key}'")
    if set(data.get("points", {})) != set(data["notebooks"]):
        raise ValueError(f"{where}: 'points' must name exactly the notebooks {data['notebooks']}")
    for path in list(data["student_modules"]) + list(data.get("borrow", {})):
        if Path(path).is_absolute() or ".." in Path(path).parts:
            raise ValueError(f"{where}: '{path}' must be a path inside the assignment folder")
    for key in ("due", "late_due", "release_after"):
        if key in data and not (isinstance(data[key], datetime.datetime) and data[key].tzinfo):
            raise ValueError(f"{where}: '{key}' must be a date and time with its UTC offset, "
                             "e.g. 2027-03-08T23:59:00-08:00")
    if "total" in data and abs(float(data["total"]) - sum(map(float, data["points"].values()))) > 1e-9:
        raise ValueError(f"{where}: 'total' is {data['total']}, but the notebooks' points add up "
                         f"to {sum(map(float, data['points'].values())):g}")
    if data.get("late_due") and data["late_due"] < data["due"]:
        raise ValueError(f"{where}: 'late_due' is before 'due'")
    if data.get("borrow") and "release_after" not in data:
        raise ValueError(f"{where}: an assignment that borrows solved modules needs 'release_after' "
                         "(no earlier than the borrowed assignments' late_due)")
    bugs = tuple(
        OneBug(bug["module"], bug["find"], bug["replace"], tuple(bug["loses"]))
        for bug in data.get("one_bug", [])
    )
    return Manifest(
        id=data["id"],
        title=data["title"],
        due=data["due"],
        notebooks=tuple(data["notebooks"]),
        student_modules=tuple(data["student_modules"]),
        helpers=tuple(data.get("helpers", ())),
        borrow=dict(data.get("borrow", {})),
        datasets=tuple(data.get("datasets", ())),
        points=dict(data["points"]),
        one_bug=bugs,
        mutants=_mutants(data.get("mutants", []), data, where),
        grading=_grading(data.get("grading", {}), where),
        late_due=data.get("late_due"),
        total=float(data["total"]) if "total" in data else None,
        release_after=data.get("release_after"),
    )


def _mutants(tables: list, data: dict, where: str) -> tuple[Mutant, ...]:
    mutants = []
    for number, table in enumerate(tables, start=1):
        here = f"{where}: mutant {number}" + (f" ({table['function']})" if "function" in table else "")
        missing = MUTANT_KEYS - set(table)
        unknown = set(table) - MUTANT_KEYS - MUTANT_OPTIONAL
        if missing:
            raise ValueError(f"{here}: missing keys {sorted(missing)}")
        if unknown:
            raise ValueError(f"{here}: unknown keys {sorted(unknown)}")
        if table["module"] not in data["student_modules"]:
            raise ValueError(f"{here}: module '{table['module']}' is not one of the student_modules")
        for key in ("function", "find", "why"):
            if not isinstance(table[key], str) or not table[key].strip():
                raise ValueError(f"{here}: '{key}' must be a non-empty text")
        if not isinstance(table["replace"], str) or table["replace"] == table["find"]:
            raise ValueError(f"{here}: 'replace' must be a text that differs from 'find'")
        for key in ("loses", "may_lose"):
            value = table.get(key, [])
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise ValueError(f"{here}: '{key}' must be a list of grade_ids")
        if not table["loses"]:
            raise ValueError(f"{here}: 'loses' is empty: a catalogued bug must lose some cell")
        mutants.append(Mutant(table["function"], table["module"], table["find"], table["replace"],
                              tuple(table["loses"]), table["why"].strip(), tuple(table.get("may_lose", ()))))
    return tuple(mutants)


def _grading(table: dict, where: str) -> dict:
    known = {"cell_timeout", "notebook_timeout", "student_timeout"}
    if set(table) - known:
        raise ValueError(f"{where}: unknown keys in [grading]: {sorted(set(table) - known)}")
    for key, value in table.items():
        if not isinstance(value, int) or value <= 0:
            raise ValueError(f"{where}: grading.{key} must be a positive number of seconds")
    return dict(table)


def load_manifest(assignment: str, root: Path = COURSE_ROOT) -> Manifest:
    path = manifest_path(assignment, root)
    if not path.exists():
        raise FileNotFoundError(f"no manifest for '{assignment}': {path} is missing")
    manifest = parse_manifest(path.read_text(), str(path))
    if manifest.id != assignment:
        raise ValueError(f"{path}: id is '{manifest.id}', expected '{assignment}'")
    return manifest


def borrowed_from(manifest: Manifest) -> list[str]:
    """The assignments whose solved modules `manifest` hands out, in order."""
    return sorted({origin.partition(":")[0] for origin in manifest.borrow.values()})


def release_timing_problems(manifest: Manifest, root: Path = COURSE_ROOT) -> list[str]:
    """Why `release_after` is unsafe: it precedes a borrowed assignment's last hand-in."""
    problems = []
    for other in borrowed_from(manifest):
        last = load_manifest(other, root).last_hand_in
        if manifest.release_after and manifest.release_after < last:
            problems.append(f"{manifest.id}: release_after {manifest.release_after.isoformat()} is "
                            f"before {other}'s last hand-in {last.isoformat()}, and the release "
                            f"carries {other}'s solved modules")
    return problems


def early_release_warning(manifest: Manifest, now: datetime.datetime | None = None) -> str | None:
    """A warning when releasing `manifest` now would hand out solutions still being handed in."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if not manifest.release_after or now >= manifest.release_after:
        return None
    modules = ", ".join(f"{target} (= {origin})" for target, origin in manifest.borrow.items())
    return (f"warning: {manifest.id} carries the solved modules {modules}; its earliest safe "
            f"release is {manifest.release_after.isoformat()} (after "
            f"{', '.join(borrowed_from(manifest))}'s late deadline). Build it now for testing, "
            f"but do not hand it to students before then.")


def assignment_ids(root: Path = COURSE_ROOT) -> list[str]:
    """Every assignment with a manifest, in order (hw1, hw2, …)."""
    found = [p.parent.name for p in (root / "assignments").glob("*/manifest.toml")]
    return sorted(found, key=lambda name: (len(name), name))

"""Graded cells and the scores nbgrader recorded for them."""
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from autograder.manifest import Manifest


@dataclass(frozen=True)
class GradedCell:
    """A graded cell: autograded (tests, or judged from probes) or, when `written`, a student's
    answer cell (nbgrader's "manually graded answer": solution and grade) that a TA scores."""
    notebook: str
    grade_id: str
    points: float
    written: bool = False


def autograded(cells: list[GradedCell]) -> list[GradedCell]:
    return [cell for cell in cells if not cell.written]


def is_written_cell(cell) -> bool:
    """A notebook cell a TA scores by hand: graded and a solution (an answer cell)."""
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade") and meta.get("solution"))


def written(cells: list[GradedCell]) -> list[GradedCell]:
    return [cell for cell in cells if cell.written]


def graded_cells(manifest: Manifest, source_dir: Path) -> list[GradedCell]:
    """Every graded cell of the source notebooks, in notebook and cell order.

    Raises ValueError when a grade_id repeats or a notebook's points differ from the manifest.
    """
    cells, seen = [], set()
    for name in manifest.notebooks:
        notebook = nbformat.read(source_dir / name, as_version=4)
        total = 0.0
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader", {})
            if not meta.get("grade"):
                continue
            if meta["grade_id"] in seen:
                raise ValueError(f"{manifest.id}/{name}: grade_id '{meta['grade_id']}' is used twice")
            seen.add(meta["grade_id"])
            cells.append(GradedCell(name, meta["grade_id"], float(meta["points"]),
                                    written=is_written_cell(cell)))
            total += float(meta["points"])
        if abs(total - float(manifest.points[name])) > 1e-9:
            raise ValueError(f"{manifest.id}/{name}: graded cells add up to {total:g} points, "
                             f"the manifest says {manifest.points[name]}")
    return cells


def recorded_scores(db_url: str, assignment: str, student: str) -> dict[str, float]:
    """{grade_id: score} of a student's autograded submission, from the gradebook."""
    with Gradebook(db_url) as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {grade.name: float(grade.score) for notebook in submission.notebooks
                for grade in notebook.grades}

"""exports/<id>_grades.csv: one row per student, one column per graded cell, the total."""
import csv
from pathlib import Path


def status(result) -> str:
    if not result.graded:
        return "not graded: " + "; ".join(p for p in result.problems if p != "not graded")
    if result.problems:
        return "graded, with problems: " + "; ".join(result.problems)
    return "graded"


def write_grades_csv(path: Path, cells, results) -> Path:
    """cells: list of GradedCell; results: list of StudentResult. Ungraded cells stay empty."""
    path.parent.mkdir(parents=True, exist_ok=True)
    max_total = sum(cell.points for cell in cells)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *(cell.grade_id for cell in cells), "total", "max", "status"])
        for result in sorted(results, key=lambda r: r.student):
            row = [result.student]
            row += [_number(result.scores.get(cell.grade_id)) for cell in cells]
            row += [_number(result.total) if result.graded else "", _number(max_total), status(result)]
            writer.writerow(row)
    return path


def _number(value) -> str:
    return "" if value is None else f"{value:g}"

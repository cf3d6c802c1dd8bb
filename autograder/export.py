"""exports/<id>_grades.csv: one row per student, one column per graded cell, the total.

A cell's number is the autograder's score, unless a TA set a manual score for it in formgrader:
then the TA's score counts, and the status says so beside the autograder's.
"""
import csv
from pathlib import Path


def final_scores(result) -> dict:
    """{grade_id: score} that counts: a TA's manual score over the autograder's."""
    return {**result.scores, **getattr(result, "manual", {})}


def status(result) -> str:
    problems = [p for p in result.problems if p != "not graded"]
    if not result.graded:
        return "not graded: " + "; ".join(problems)
    manual = getattr(result, "manual", {})
    notes = [f"TA score for {grade_id}: {score:g} (autograder: "
             f"{_number(result.scores.get(grade_id)) or '-'})" for grade_id, score in sorted(manual.items())]
    if not notes + problems:
        return "graded"
    return ("graded, with problems: " if problems else "graded; ") + "; ".join(notes + problems)


def write_grades_csv(path: Path, cells, results) -> Path:
    """cells: list of GradedCell; results: list of StudentResult. Ungraded cells stay empty."""
    path.parent.mkdir(parents=True, exist_ok=True)
    max_total = sum(cell.points for cell in cells)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *(cell.grade_id for cell in cells), "total", "max", "status"])
        for result in sorted(results, key=lambda r: r.student):
            scores = final_scores(result) if result.graded else {}
            row = [result.student]
            row += [_number(scores.get(cell.grade_id)) for cell in cells]
            row += [_number(sum(scores.values())) if result.graded else "", _number(max_total), status(result)]
            writer.writerow(row)
    return path


def _number(value) -> str:
    return "" if value is None else f"{value:g}"

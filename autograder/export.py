"""exports/<id>_grades.csv: one row per student, one column per graded cell, the totals.

A cell's number is the autograder's score, unless a TA set a manual score for it in formgrader:
then the TA's score counts, and the status says so beside the autograder's. Written answers
(manually graded cells) stay empty until a TA scores them; `autograded` and `written` total each
kind, `total` both, and the status says how many answers still await a TA. `submitted`,
`time_source` and `hours_late` say when each student handed in, if known (autograder.lateness):
reported, never deducted.
"""
import csv
from pathlib import Path


def final_scores(result) -> dict:
    """{grade_id: score} that counts: a TA's manual score over the autograder's; written answers
    once scored."""
    return {**result.scores, **written_scores(result), **getattr(result, "manual", {})}


def written_scores(result) -> dict:
    """{grade_id: score} of the written answers scored so far: a TA's, or 0 for an answer cell
    handed in as released ("YOUR ANSWER HERE")."""
    manual = getattr(result, "manual", {})
    unanswered = set(getattr(result, "unanswered", ()))
    return {gid: manual.get(gid, 0.0) for gid in getattr(result, "written_max", {})
            if gid in manual or gid in unanswered}


def awaiting_ta(result) -> list[str]:
    """grade_ids of written answers no TA has scored yet."""
    done = written_scores(result)
    return [gid for gid in getattr(result, "written_max", {}) if gid not in done]


def written_summary(result) -> str:
    """'; written 7/16 (1 left blank, 2 await a TA)', or '' when the assignment has no written cells."""
    possible = getattr(result, "written_max", {})
    if not possible:
        return ""
    waiting = awaiting_ta(result)
    text = f"; written {sum(written_scores(result).values()):g}/{sum(possible.values()):g}"
    unanswered = len(getattr(result, "unanswered", ()))
    notes = [f"{unanswered} left blank"] if unanswered else []
    if waiting:
        notes.append(f"{len(waiting)} await{'s' if len(waiting) == 1 else ''} a TA")
    return text + (f" ({', '.join(notes)})" if notes else "")


def status(result, written_notes: bool = True) -> str:
    problems = [p for p in result.problems if p != "not graded"]
    if not result.graded:
        return "not graded: " + "; ".join(problems)
    manual = getattr(result, "manual", {})
    written = getattr(result, "written_max", {})
    notes = [result.late] if getattr(result, "late", "") else []
    notes += [f"TA score for {grade_id}: {score:g} (autograder: "
             f"{_number(result.scores.get(grade_id)) or '-'})" for grade_id, score in sorted(manual.items())
             if grade_id not in written]
    waiting = awaiting_ta(result) if written_notes else []
    if waiting:
        notes.append(f"{_count(waiting, 'written answer')} to score in formgrader")
    blank = getattr(result, "unanswered", ()) if written_notes else ()
    if blank:
        notes.append(f"{_count(blank, 'written answer')} left blank (0)")
    if not notes + problems:
        return "graded"
    return ("graded, with problems: " if problems else "graded; ") + "; ".join(notes + problems)


def write_grades_csv(path: Path, cells, results) -> Path:
    """cells: list of GradedCell; results: list of StudentResult. Ungraded cells stay empty."""
    path.parent.mkdir(parents=True, exist_ok=True)
    max_total = sum(cell.points for cell in cells)
    written_ids = {cell.grade_id for cell in cells if cell.written}
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *(cell.grade_id for cell in cells),
                         "autograded", "written", "total", "max",
                         "submitted", "time_source", "hours_late", "status"])
        for result in sorted(results, key=lambda r: r.student):
            scores = final_scores(result) if result.graded else {}
            auto = sum(score for gid, score in scores.items() if gid not in written_ids)
            hand = sum(score for gid, score in scores.items() if gid in written_ids)
            row = [result.student]
            row += [_number(scores.get(cell.grade_id)) for cell in cells]
            scored_written = written_ids & set(scores)
            row += ([_number(auto), _number(hand) if scored_written else "", _number(auto + hand)]
                    if result.graded else ["", "", ""])
            late = getattr(result, "hours_late", None)
            row += [_number(max_total), getattr(result, "submitted", ""),
                    getattr(result, "time_source", ""), "" if late is None else f"{late:.2f}",
                    status(result)]
            writer.writerow(row)
    return path


def _count(items, noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"


def _number(value) -> str:
    return "" if value is None else f"{value:g}"

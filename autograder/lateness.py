"""When each student handed in, and how late that was against the manifest's deadlines.

Two sources, the instructor's list first:
- `--times FILE`: a CSV the instructor exports from the place students handed in (an LMS, a
  hub's log), columns `student,submitted`, times in ISO 8601 with their zone
  (`2027-01-29T23:59:00-08:00`, `...Z`). The times a course can defend.
- nbgrader's `timestamp.txt`, beside the notebooks of a submission `collect` brought in from
  the exchange. nbgrader's student-side `submit` writes it, so a student who writes the
  exchange folder by hand can write it too: the CSV column `time_source` says which one a time
  came from.

Lateness is reported (CSV `submitted`, `hours_late`, a status note), never deducted: late
policies differ (late days, a cap, a penalty a day) and the instructor applies theirs.
"""
from __future__ import annotations

import csv
import datetime
from pathlib import Path

from nbgrader.utils import parse_utc

TIMESTAMP_FILE = "timestamp.txt"   # nbgrader's name for it
MAX_TIMESTAMP = 200                # bytes: one line of nbgrader's format
UTC = datetime.timezone.utc


def read_timestamp(path: Path) -> tuple[datetime.datetime | None, str | None]:
    """(the time in UTC, None) from an nbgrader timestamp.txt ('2027-01-29 12:00:00.123456 UTC'),
    or (None, a sentence saying why not)."""
    try:
        if path.is_symlink() or not path.is_file():
            return None, f"{TIMESTAMP_FILE} is not a file"
        if path.stat().st_size > MAX_TIMESTAMP:
            return None, f"{TIMESTAMP_FILE} is longer than {MAX_TIMESTAMP} bytes"
        text = path.read_text(encoding="utf-8").strip()
        return _as_utc(_parse_nbgrader(text)), None
    except (OSError, UnicodeDecodeError, ValueError, OverflowError) as error:
        return None, f"{TIMESTAMP_FILE} is not a time nbgrader writes ({error})"


def _parse_nbgrader(text: str) -> datetime.datetime:
    """nbgrader's own reading of its timestamps (a bare time is UTC), made zone-aware."""
    moment = parse_utc(text)    # naive, in UTC
    if moment is None:
        raise ValueError("empty")
    return moment.replace(tzinfo=UTC)


def _as_utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(UTC)


def read_times_csv(path: Path) -> dict[str, datetime.datetime]:
    """{student: time in UTC} from the instructor's CSV (`student,submitted`). Raises ValueError
    naming the line of any row it cannot read: this is the instructor's file, so it fails loudly
    rather than grade a class with half its times."""
    times: dict[str, datetime.datetime] = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"student", "submitted"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: needs the columns student,submitted (has "
                             f"{','.join(reader.fieldnames or [])})")
        for row in reader:
            where = f"{path}, line {reader.line_num}"
            student, text = (row["student"] or "").strip(), (row["submitted"] or "").strip()
            if not student:
                raise ValueError(f"{where}: no student id")
            if student in times:
                raise ValueError(f"{where}: {student} is listed twice")
            try:
                moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"{where}: {text!r} is not an ISO 8601 time") from None
            if moment.tzinfo is None:
                raise ValueError(f"{where}: {text!r} has no time zone (write e.g. "
                                 f"{text}-08:00 or {text}Z)")
            times[student] = _as_utc(moment)
    return times


def hours_late(submitted: datetime.datetime, due: datetime.datetime) -> float:
    """Hours after `due` (0 when on time), to the second."""
    return max(0.0, round((submitted - due).total_seconds())) / 3600


def late_note(submitted: datetime.datetime, due: datetime.datetime,
              last_hand_in: datetime.datetime) -> str:
    """'' when on time; else how late, and whether after the last accepted hand-in."""
    late = round((submitted - due).total_seconds())
    if late <= 0:
        return ""
    minutes = (late + 59) // 60
    days, rest = divmod(minutes, 24 * 60)
    words = ([f"{days} d"] if days else []) + [f"{rest // 60} h {rest % 60:02d} min"]
    note = f"late by {' '.join(words)}"
    if submitted > last_hand_in and last_hand_in > due:
        note += f", after the late deadline {last_hand_in.isoformat()}"
    return note

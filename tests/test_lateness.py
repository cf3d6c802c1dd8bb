"""Does grade report when each student handed in and how late, from nbgrader's timestamp.txt
or the instructor's list, without changing anyone's points? (autograder.lateness)"""
import csv
import datetime
import shutil

import pytest

from autograder import grade
from autograder.lateness import (hours_late, late_note, read_timestamp, read_times_csv)
from autograder.manifest import load_manifest
from autograder.samples import reference_submission

UTC = datetime.timezone.utc
DUE = datetime.datetime(2027, 1, 15, 23, 59, tzinfo=UTC)      # the tiny course's `due`


def test_hours_late_and_the_note_count_from_the_deadline():
    assert hours_late(DUE - datetime.timedelta(minutes=1), DUE) == 0
    assert hours_late(DUE + datetime.timedelta(hours=3, minutes=5), DUE) == pytest.approx(37 / 12)
    assert late_note(DUE, DUE, DUE) == ""
    assert late_note(DUE + datetime.timedelta(seconds=30), DUE, DUE) == "late by 0 h 01 min"
    later = DUE + datetime.timedelta(days=2, hours=1)
    assert late_note(later, DUE, DUE + datetime.timedelta(days=3)) == "late by 2 d 1 h 00 min"
    assert late_note(later, DUE, DUE + datetime.timedelta(days=1)) == (
        "late by 2 d 1 h 00 min, after the late deadline 2027-01-16T23:59:00+00:00")


def test_nbgrader_timestamps_are_read_as_nbgrader_writes_them(tmp_path):
    stamp = tmp_path / "timestamp.txt"
    stamp.write_text("2027-01-16 03:04:00.123456 UTC")
    assert read_timestamp(stamp) == (datetime.datetime(2027, 1, 16, 3, 4, 0, 123456, tzinfo=UTC), None)
    stamp.write_text("2027-01-15 19:04:00 America/Los_Angeles")
    assert read_timestamp(stamp)[0] == datetime.datetime(2027, 1, 16, 3, 4, tzinfo=UTC)
    for bad in ("yesterday, honest", "9" * 300, ""):
        stamp.write_text(bad)
        moment, problem = read_timestamp(stamp)
        assert moment is None and "timestamp.txt" in problem


def test_the_instructors_list_fails_loudly_naming_the_line(tmp_path):
    times = tmp_path / "times.csv"
    times.write_text("student,submitted\nann,2027-01-15T20:00:00-08:00\nbob,2027-01-15T12:00:00Z\n")
    assert read_times_csv(times) == {"ann": datetime.datetime(2027, 1, 16, 4, tzinfo=UTC),
                                     "bob": datetime.datetime(2027, 1, 15, 12, tzinfo=UTC)}
    for body, words in [("student,submitted\nann,2027-01-15T20:00:00\n", "line 2: '2027-01-15T20:00:00' has no time zone"),
                        ("student,submitted\nann,soon\n", "line 2: 'soon' is not an ISO 8601 time"),
                        ("student,submitted\nann,2027-01-15T20:00Z\nann,2027-01-15T21:00Z\n", "line 3: ann is listed twice"),
                        ("who,when\nann,2027-01-15T20:00Z\n", "needs the columns student,submitted")]:
        times.write_text(body)
        with pytest.raises(ValueError, match=words):
            read_times_csv(times)


@pytest.fixture(scope="module")
def late_class(tiny_course, tmp_path_factory):
    root = tmp_path_factory.mktemp("late") / "course"
    shutil.copytree(tiny_course, root)
    manifest = load_manifest("tiny", root)
    class_dir = tmp_path_factory.mktemp("class")
    stamps = {"ontime": "2027-01-15 23:58:59.000000 UTC", "late": "2027-01-16 03:04:00.000000 UTC",
              "listed": "2027-01-15 10:00:00.000000 UTC", "badstamp": "the night before"}
    for student in ["ontime", "late", "listed", "badstamp", "nostamp"]:
        folder = reference_submission(manifest, root, class_dir / student)
        if student in stamps:
            (folder / "timestamp.txt").write_text(stamps[student])
    times = tmp_path_factory.mktemp("lms") / "times.csv"
    times.write_text("student,submitted\nlisted,2027-01-17T01:00:00+01:00\nghost,2027-01-01T00:00Z\n")
    report = grade.main("tiny", submissions=class_dir, root=root, jobs=2, progress=False, times=times)
    return root, report


def _rows(report):
    with open(report.csv_path) as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_lateness_is_reported_and_costs_no_points(late_class):
    rows = _rows(late_class[1])
    assert {student: row["total"] for student, row in rows.items()} == dict.fromkeys(
        ["badstamp", "late", "listed", "nostamp", "ontime"], "5")
    assert rows["ontime"]["hours_late"] == "0.00" and rows["ontime"]["status"] == "graded"
    assert rows["ontime"]["time_source"] == "nbgrader timestamp.txt"
    assert rows["late"]["submitted"] == "2027-01-16T03:04:00+00:00"
    assert rows["late"]["hours_late"] == "3.08" and rows["late"]["status"] == "graded; late by 3 h 05 min"
    # the instructor's list wins over the student's own timestamp.txt
    assert rows["listed"]["submitted"] == "2027-01-17T00:00:00+00:00"
    assert rows["listed"]["time_source"] == "instructor's list" and rows["listed"]["hours_late"] == "24.02"
    assert rows["nostamp"]["submitted"] == rows["nostamp"]["hours_late"] == rows["nostamp"]["time_source"] == ""
    assert "timestamp.txt is not a time nbgrader writes" in rows["badstamp"]["status"]
    assert rows["badstamp"]["submitted"] == ""


def test_a_regrade_of_submitted_still_knows_the_times(late_class):
    root, _ = late_class
    assert (root / "submitted" / "late" / "tiny" / "timestamp.txt").is_file()
    again = grade.main("tiny", root=root, jobs=2, progress=False)
    rows = _rows(again)
    assert rows["late"]["hours_late"] == "3.08" and rows["ontime"]["hours_late"] == "0.00"
    assert rows["listed"]["time_source"] == "nbgrader timestamp.txt"   # no list this time

"""Does this course work with nbgrader's exchange, as on a JupyterHub?

The instructor releases hw1 (our generated release/hw1) to an exchange folder with nbgrader's
API, in-process; two students, each a process with a home of its own (same machine, same unix
user: the exchange's modes, not a second account, are what let other users in, and the first
test checks them), fetch it with nbgrader's exchange classes, as the Assignments tab of their
Jupyter server does. Alice fills in the reference solution and submits
under her id; the other student hands in the release untouched, under their unix user name
(nbgrader's default). The instructor collects, and `grade` grades nbgrader's own
submitted/<student>/hw1/ layout: the reference scores full marks, the blank release 0.
"""
from pathlib import Path
import datetime
import json
import os
import shutil
import stat
import subprocess
import sys

import pytest

from autograder import grade
from autograder.course import copy_assignment
from autograder.manifest import load_manifest
from autograder.nbgrader_api import nbgrader_api, raise_on_failure
from autograder.scores import autograded, graded_cells
from autograder.settings import COURSE_ROOT

COURSE_ID = "nndl"      # c.CourseDirectory.course_id in autograder/nbgrader_config.py

# What a student's server runs: nbgrader's exchange classes with the student's own config (on a
# hub: the course id and exchange root from /etc/jupyter/nbgrader_config.py). argv: exchange
# root, home, folder of files to fill in (or ""), explicit student id (or "" for the unix name).
STUDENT = r'''
import json, shutil, sys
from pathlib import Path
from traitlets.config import Config
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeFactory
from nbgrader.utils import get_username

exchange, home, fill, student_id = sys.argv[1:5]
c = Config()
c.CourseDirectory.course_id = "nndl"
c.CourseDirectory.assignment_id = "hw1"
if student_id:
    c.CourseDirectory.student_id = student_id
c.Exchange.root = exchange
c.Exchange.assignment_dir = home


def run(step):
    factory = ExchangeFactory(config=c)
    getattr(factory, step)(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c),
                           config=c).start()


run("FetchAssignment")
fetched = Path(home) / "hw1"
files = sorted(str(p.relative_to(fetched)) for p in fetched.rglob("*") if p.is_file())
if fill:
    shutil.copytree(fill, fetched, dirs_exist_ok=True)
run("Submit")
print(json.dumps({"fetched": files, "name": get_username()}))
'''


def student_run(exchange: Path, home: Path, fill: Path | None, student_id: str):
    """Fetch, fill and submit hw1 as one student, in a process with its own HOME (so its own
    Jupyter dirs and nbgrader's submit cache); returns what the student saw."""
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""),
           "JUPYTER_CONFIG_DIR": str(home / ".jupyter"), "JUPYTER_DATA_DIR": str(home / ".local")}
    done = subprocess.run([sys.executable, "-c", STUDENT, str(exchange), str(home),
                           str(fill or ""), student_id], cwd=home, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """The whole round trip; returns what each side saw."""
    root = tmp_path_factory.mktemp("hub") / "course"
    copy_assignment("hw1", root, COURSE_ROOT)       # with our generated release/hw1
    manifest = load_manifest("hw1", root)
    base = tmp_path_factory.mktemp("machine")
    exchange = base / "exchange"                     # missing: release_assignment creates it
    api = nbgrader_api(root, overrides={"Exchange": {"root": str(exchange)}})
    raise_on_failure(api.release_assignment("hw1"), "release_assignment hw1")
    modes = {name: stat.S_IMODE(path.stat().st_mode) for name, path in [
        ("root", exchange), ("outbound", exchange / COURSE_ID / "outbound"),
        ("inbound", exchange / COURSE_ID / "inbound")]}
    fill = base / "alice-work"                   # what alice writes: notebooks and modules
    for name in manifest.notebooks + manifest.student_modules:
        (fill / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / "source" / "hw1" / name, fill / name)
    alice = student_run(exchange, base / "alice", fill, "alice")
    other = student_run(exchange, base / "other", None, "")
    inbound = sorted(p.name for p in (exchange / COURSE_ID / "inbound").iterdir())
    raise_on_failure(api.collect("hw1"), "collect hw1")
    collected = sorted(p.name for p in (root / "submitted").iterdir())
    # `./run grade hw1 submitted`: nbgrader's own folder, named explicitly.
    report = grade.main("hw1", submissions=root / "submitted", root=root, jobs=2, progress=False)
    return {"root": root, "manifest": manifest, "modes": modes, "alice": alice,
            "other": other, "inbound": inbound, "collected": collected, "report": report}


def test_release_creates_an_exchange_students_can_use(hub):
    """Does release_assignment create the exchange with the modes a shared machine needs:
    everyone may enter it, read what is released, and drop into inbound without listing it?"""
    assert hub["modes"]["root"] == 0o777
    assert hub["modes"]["outbound"] == 0o755
    assert hub["modes"]["inbound"] == stat.S_ISGID | 0o733


def test_students_fetch_the_release(hub):
    """Does a student fetch exactly our release/hw1: notebooks, nndl/ package, no solutions?"""
    released = Path(hub["root"]) / "release" / "hw1"
    expected = sorted(str(p.relative_to(released)) for p in released.rglob("*") if p.is_file()
                      and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts)
    assert hub["alice"]["fetched"] == expected
    assert hub["other"]["fetched"] == expected
    assert "hidden_checks.py" not in " ".join(expected)


def test_submissions_are_named_by_student(hub):
    """Is a submission named by the explicit student id, else by the student's unix name?"""
    other = hub["other"]["name"]
    assert [name.split("+")[0] for name in hub["inbound"]] == sorted(["alice", other])
    assert hub["collected"] == sorted(["alice", other])


def test_collected_submissions_grade(hub):
    """Does grade, on nbgrader's collected submitted/<student>/hw1/, give the reference full
    marks and the untouched release 0?"""
    manifest, scores = hub["manifest"], hub["report"].by_student()
    autograded_points = sum(cell.points for cell in autograded(graded_cells(
        manifest, COURSE_ROOT / "source" / "hw1")))
    assert scores["alice"].total == autograded_points and not scores["alice"].problems
    assert scores[hub["other"]["name"]].total == 0
    assert (Path(hub["root"]) / "exports" / "hw1_grades.csv").is_file()


def test_collected_submissions_carry_their_hand_in_time(hub):
    """Does the time nbgrader's submit stamped on each hand-in (this test's run) reach the
    results, with the hours it is past hw1's due date?"""
    due = hub["manifest"].due
    for student, result in hub["report"].by_student().items():
        assert result.time_source == "nbgrader timestamp.txt", student
        moment = datetime.datetime.fromisoformat(result.submitted)
        assert abs((datetime.datetime.now(datetime.timezone.utc) - moment).total_seconds()) < 3600
        late = max(0.0, (moment - due).total_seconds()) / 3600
        assert result.hours_late == pytest.approx(late, abs=1 / 3600)
        assert (result.late != "") == (late > 0)


def test_local_steps_do_not_tell_the_instructor_to_contact_their_instructor(tmp_path, caplog):
    """Without an exchange (a laptop, CI) NbGraderAPI's start-up probe logs a CRITICAL meant for
    students; our in-process API keeps it out of the instructor's log, and still knows."""
    api = nbgrader_api(COURSE_ROOT, {"Exchange": {"root": str(tmp_path / "no-exchange")}})
    assert api.exchange_missing
    assert not [r for r in caplog.records if "contact your instructor" in r.getMessage()]

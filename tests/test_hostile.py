"""A hostile class, graded for real in the sandbox: no submission can read what it must not,
change anyone else's grade, outlive its grading, or stop the class.

The 'duo' course: one module (square_norm, double), two notebooks (3 + 2 points). Each hostile
student hands in the release notebooks and a module that attacks at import, in the notebook's
first cell; what it saw is printed as `HOSTILE {json}` lines, read back from its autograded
notebook. Correct students are graded before (aa-correct) and after (zz-correct) them, in
parallel with them (two workers).
"""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path
import shutil
import socket
import sqlite3
import threading
import zipfile

import nbformat
import pytest

from autograder import grade
from autograder.manifest import load_manifest
from autograder.samples import blank_submission, reference_submission
from autograder.sandbox import FIRST_SANDBOX_UID, MiB, GiB, Limits, python_paths
from autograder.settings import COURSE_ROOT
from autograder.worker import Budgets

LIMITS = Limits(memory=1 * GiB, processes=64, file_size=32 * MiB, disk=64 * MiB, tmp=16 * MiB,
                output=4 * MiB)
BUDGETS = Budgets(cell=4, notebook=60, student=120)
MARKER = "nndl-hostile-detached"

CORRECT = '''
def square_norm(x):
    return float(np.sum(np.asarray(x) ** 2))


def double(x):
    return 2 * np.asarray(x)
'''
WRONG = '''
def square_norm(x):
    return 0.0


def double(x):
    return np.zeros_like(np.asarray(x))
'''
PRELUDE = '''import json, os, sys, glob
import numpy as np
ROOT, REPO, SENTINEL, PORT = {root!r}, {repo!r}, {sentinel!r}, {port}


def report(**facts):
    print("HOSTILE " + json.dumps(facts, default=str), flush=True)


def attempt(action):
    try:
        return repr(action())
    except BaseException as error:
        return "refused: " + type(error).__name__
'''

ATTACKS = {
    # --- reading what it must not
    "read-solutions": '''
found = [p for p in [f"{ROOT}/source/duo/nndl/arith.py"] + [
    str(parent / "source" / "duo" / "nndl" / "arith.py") for parent in __import__("pathlib").Path(__file__).resolve().parents]
    if os.path.exists(p)]
report(solutions=found)
if found:
    exec(open(found[0]).read())
else:
''' + "\n".join("    " + line for line in WRONG.strip().splitlines()),
    "read-gradebook": '''
report(gradebook=attempt(lambda: open(f"{ROOT}/gradebook.db", "rb").read(100)),
       source_notebook=attempt(lambda: open(f"{ROOT}/source/duo/first.ipynb").read()))
''' + WRONG,
    "read-everything": '''
own = glob.glob(os.path.expanduser("~") + "/**/*.ipynb", recursive=True)
report(git=os.path.exists(f"{REPO}/.git"), repo_source=os.path.exists(f"{REPO}/source"),
       root=os.path.exists(ROOT), home=os.path.expanduser("~"), tmp=os.listdir("/tmp"),
       others=glob.glob("/tmp/nndl-grade-*/**", recursive=True) + glob.glob(f"{ROOT}/submitted/*"),
       own_notebooks=own, hidden_in_own=any("HIDDEN" in open(p).read() for p in own),
       uid=os.getuid(), pid=os.getpid())
''' + CORRECT,
    # --- writing what it must not
    "write-others": '''
report(submitted=attempt(lambda: open(f"{ROOT}/submitted/aa-correct/duo/nndl/arith.py", "w").write("x")),
       feedback=attempt(lambda: open(f"{ROOT}/feedback/aa-correct/duo/first.html", "w").write("x")),
       autograded=attempt(lambda: open(f"{ROOT}/autograded/zz-correct/duo/first.ipynb", "w").write("x")))
''' + CORRECT,
    "write-gradebook": '''
import sqlite3
def forge():
    db = sqlite3.connect(f"{ROOT}/gradebook.db")
    db.execute("update grade set manual_score = 100")
    db.commit()
report(gradebook=attempt(forge))
''' + WRONG,
    "delete-outside": '''
import shutil
report(delete=attempt(lambda: shutil.rmtree(SENTINEL)), exists=os.path.exists(SENTINEL))
''' + CORRECT,
    # --- reaching out, staying behind
    "network": '''
import socket
def connect(host, port):
    with socket.create_connection((host, port), timeout=2):
        return "connected"
report(local=attempt(lambda: connect("127.0.0.1", PORT)), internet=attempt(lambda: connect("1.1.1.1", 80)),
       dns=attempt(lambda: socket.gethostbyname("pypi.org")))
''' + CORRECT,
    "detached": f'''
import subprocess
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)  # {MARKER}"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)  # {MARKER}"])
report(started=True)
''' + CORRECT,
    # --- breaking its own grading
    "exit-at-import": '''
os._exit(3)
''' + CORRECT,
    "sigint-loop": '''
import signal


def square_norm(x):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        pass


def double(x):
    return 2 * np.asarray(x)
''',
    "memory": '''
def square_norm(x):
    hog = np.ones(1 << 31)          # 16 GiB
    return float(hog.sum())


def double(x):
    return 2 * np.asarray(x)
''',
    "fork-bomb": '''
import time
try:
    bomb = os.fork()     # imported again later (each probe imports afresh): the limit may hold
except OSError:
    bomb = -1
if bomb == 0:
    while True:
        try:
            os.fork()
        except OSError:
            time.sleep(600)
time.sleep(1.5)
report(processes=len([p for p in os.listdir("/proc") if p.isdigit()]))
''' + CORRECT,
    "huge-output": '''
for _ in range(80):
    print("x" * (1 << 17), flush=True)   # 10 MiB in all
''' + CORRECT,
    "big-files": '''
def fill():
    written = 0
    for number in range(100):
        with open(os.path.expanduser(f"~/filler-{number}"), "wb") as out:
            for _ in range(16):
                out.write(b"\\0" * (1 << 20))
                written += 1 << 20
    return written
report(one_big=attempt(lambda: open(os.path.expanduser("~/big"), "wb").write(b"\\0" * (100 << 20))),
       fill=attempt(fill))
import glob as g
report(on_disk=sum(os.path.getsize(p) for p in g.glob(os.path.expanduser("~/filler-*"))))
''' + CORRECT,
    # --- faking a verdict (each would pass nbgrader's in-kernel checks; the judge looks at data)
    "input-transformer": """
ip = get_ipython()
ip.input_transformers_post.append(lambda lines: ["pass\\n" if "assert" in line else line for line in lines])
""" + WRONG,
    "forged-replies": """
kernel = get_ipython().kernel
async def always_ok(code, silent, store_history=True, user_expressions=None, allow_stdin=False, **kw):
    return {"status": "ok", "execution_count": kernel.execution_count, "payload": [], "user_expressions": {}}
kernel.do_execute = always_ok
""" + WRONG,
    "patched-numpy": """
import builtins
import numpy.testing
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
builtins.abs = lambda value: 0.0
class Always:
    def __eq__(self, other):
        return True
    def __array__(self, dtype=None, copy=None):
        return np.array(5.0)
def square_norm(x):
    return Always()
def double(x):
    return Always()
""",
    "prints-its-cell": """
import inspect
def square_norm(x):
    print("CALLER", inspect.stack()[1].frame.f_globals.get("_ih", [""])[-1])
    for path in glob.glob(os.path.expanduser("~/**/*"), recursive=True):
        if path.endswith(".py") and "arith" not in path:
            print("FILE", path, open(path).read())
    return 0.0
def double(x):
    return np.zeros_like(np.asarray(x))
""",
    "reads-own-files": """
found = {p: open(p).read() for p in glob.glob(os.path.expanduser("~/**/*"), recursive=True)
         if os.path.isfile(p) and ("ipynb" in p or "hidden" in p)}
report(found=sorted(found))
""" + WRONG,
    "noisy-but-correct": """
import warnings
print("a note on stderr from the module", file=sys.stderr)
warnings.warn("this module warns at import")
""" + CORRECT,
}

CHEATS = ["input-transformer", "forged-replies", "patched-numpy", "prints-its-cell",
          "reads-own-files", "redefined-helpers"]


def module_text(attack: str, **paths) -> str:
    return PRELUDE.format(**paths) + attack


@pytest.fixture(scope="module")
def listener():
    """A TCP server on the host's loopback that counts the connections it gets."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    accepted = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


def _zip(folder: Path, archive: Path, names=None) -> Path:
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, path.relative_to(folder).as_posix())
    return archive


@pytest.fixture(scope="module")
def hostile(duo_course, tmp_path_factory, listener):
    root = tmp_path_factory.mktemp("hostile") / "course"
    shutil.copytree(duo_course, root)
    manifest = load_manifest("duo", root)
    sentinel = tmp_path_factory.mktemp("sentinel") / "keep-me"
    sentinel.mkdir()
    (sentinel / "data.txt").write_text("still here")
    os.chmod(sentinel, 0o777)
    paths = dict(root=str(root), repo=str(COURSE_ROOT), sentinel=str(sentinel), port=listener[0])
    class_dir = tmp_path_factory.mktemp("class")
    for student in ("aa-correct", "zz-correct"):
        reference_submission(manifest, root, class_dir / student)
    for student, attack in ATTACKS.items():
        folder = blank_submission(manifest, root, class_dir / student)
        (folder / "nndl" / "arith.py").write_text(module_text(attack, **paths))
    redefined = blank_submission(manifest, root, class_dir / "redefined-helpers")
    notebook = nbformat.read(redefined / "first.ipynb", as_version=4)
    first_test = next(i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("grade"))
    notebook.cells.insert(first_test, nbformat.v4.new_code_cell(   # after the imports, before the test
        "def square_norm(x):\n    return float(np.sum(np.asarray(x) ** 2))\n"
        "def rel_error(a, b):\n    return 0.0"))
    nbformat.write(notebook, redefined / "first.ipynb")
    syntax = reference_submission(manifest, root, class_dir / "syntax-error")
    (syntax / "nndl" / "arith.py").write_text("import numpy as np\n\ndef square_norm(x)\n    return 1\n")
    deleted = reference_submission(manifest, root, class_dir / "deleted-test")
    notebook = nbformat.read(deleted / "first.ipynb", as_version=4)
    notebook.cells = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_square_norm"]
    nbformat.write(notebook, deleted / "first.ipynb")
    broken = reference_submission(manifest, root, class_dir / "broken-meta")
    notebook = nbformat.read(broken / "second.ipynb", as_version=4)
    notebook.cells[2].metadata["nbgrader"]["points"] = "lots"
    nbformat.write(notebook, broken / "second.ipynb")
    for name in ("bad id", "josé", ".hidden", "_under"):
        reference_submission(manifest, root, class_dir / name)
    (class_dir / "__MACOSX").mkdir()
    zipfile.ZipFile(class_dir / "empty.zip", "w").close()
    with zipfile.ZipFile(class_dir / "evil.zip", "w") as out:
        out.writestr("../../escaped.txt", "out of the zip")
    with zipfile.ZipFile(class_dir / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("nndl/zeros.bin", b"\0" * (300 << 20))
    dup = reference_submission(manifest, root, class_dir / "dup")
    for path in dup.rglob("*"):
        os.utime(path, (1_600_000_000, 1_600_000_000))    # 2020: older than the zip below
    _zip(blank_submission(manifest, root, tmp_path_factory.mktemp("dupzip") / "dup"), class_dir / "dup.zip")
    report = grade.main("duo", submissions=class_dir, root=root, jobs=2, budgets=BUDGETS,
                        limits=LIMITS, progress=False)
    return root, report, class_dir, sentinel


def result(hostile, student):
    return hostile[1].by_student()[student]


def facts(hostile, student, notebook="first.ipynb") -> dict:
    """What the student's module reported from inside its sandbox."""
    path = hostile[0] / "autograded" / student / "duo" / notebook
    found = {}
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            for line in output.get("text", "").splitlines():
                if line.startswith("HOSTILE "):
                    found.update(json.loads(line[len("HOSTILE "):]))
    return found


def problems(hostile, student) -> str:
    return "; ".join(result(hostile, student).problems)


def test_correct_students_keep_full_marks(hostile):
    for student in ("aa-correct", "zz-correct"):
        assert result(hostile, student).total == 5 and result(hostile, student).problems == [], student
        submitted = hostile[0] / "submitted" / student / "duo" / "nndl" / "arith.py"
        assert submitted.read_bytes() == (hostile[2] / student / "nndl" / "arith.py").read_bytes()


def test_solutions_and_gradebook_are_invisible(hostile):
    assert facts(hostile, "read-solutions")["solutions"] == []
    assert result(hostile, "read-solutions").total == 0
    seen = facts(hostile, "read-gradebook")
    assert seen["gradebook"].startswith("refused") and seen["source_notebook"].startswith("refused")
    assert result(hostile, "read-gradebook").total == 0


def test_nothing_of_the_machine_is_visible(hostile):
    seen = facts(hostile, "read-everything")
    assert seen["git"] is False and seen["repo_source"] is False and seen["root"] is False
    # /tmp is empty but for the folders on the way to what is bound (the venv, when under /tmp)
    bound = {Path(p).parts[2] for p in python_paths() if Path(p).parts[1:2] == ("tmp",)}
    assert seen["home"] == "/home/student" and set(seen["tmp"]) <= bound and seen["others"] == []
    assert seen["own_notebooks"] == [] and seen["hidden_in_own"] is False
    assert seen["pid"] < 10, "the kernel has a PID namespace of its own"
    if os.geteuid() == 0:
        assert seen["uid"] >= FIRST_SANDBOX_UID, "under a root grader, student code is unprivileged"
    assert result(hostile, "read-everything").total == 5


def test_no_student_can_write_outside_its_sandbox(hostile):
    seen = facts(hostile, "write-others")
    assert all(value.startswith("refused") for value in seen.values()), seen
    assert facts(hostile, "write-gradebook")["gradebook"].startswith("refused")
    with sqlite3.connect(hostile[0] / "gradebook.db") as db:
        assert db.execute("select count(*) from grade where manual_score is not null").fetchone() == (0,)
    assert result(hostile, "write-gradebook").total == 0
    assert facts(hostile, "delete-outside")["exists"] is False      # its own view: nothing there
    assert (hostile[3] / "data.txt").read_text() == "still here"    # the real folder


def test_there_is_no_network(hostile, listener):
    seen = facts(hostile, "network")
    assert all(value.startswith("refused") for value in seen.values()), seen
    assert listener[1] == []
    assert result(hostile, "network").total == 5


def test_no_process_outlives_its_grading(hostile):
    assert facts(hostile, "detached")["started"] is True
    leftovers = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            status = (entry / "status").read_text()
        except OSError:
            continue
        uid = int(next(line.split()[1] for line in status.splitlines() if line.startswith("Uid:")))
        if MARKER in cmdline and "pytest" not in cmdline or FIRST_SANDBOX_UID <= uid < FIRST_SANDBOX_UID + 64:
            leftovers.append(cmdline)
    assert leftovers == []
    assert result(hostile, "detached").total == 5


def test_a_kernel_that_exits_is_reported_and_the_class_goes_on(hostile):
    found = result(hostile, "exit-at-import")
    assert found.graded and found.total == 0
    # cells are numbered as the student sees them: the release's Colab cell is cell 1
    assert "first.ipynb: the kernel died in cell 3: exited with code 3" in problems(hostile, "exit-at-import")
    assert "second.ipynb: the kernel died" in problems(hostile, "exit-at-import")


def test_a_loop_that_ignores_interrupts_costs_only_its_cell(hostile):
    found = result(hostile, "sigint-loop")
    assert found.scores == {"test_square_norm": 0, "test_double": 2}
    assert ("cell 4 (test_square_norm) ran past the time limit of 4 s and did not stop when "
            "interrupted") in problems(hostile, "sigint-loop")


def test_memory_exhaustion_is_a_clear_error(hostile):
    assert result(hostile, "memory").scores == {"test_square_norm": 0, "test_double": 2}
    assert "cell 4 (test_square_norm) ran out of memory (the sandbox allows 1 GiB a process)" in \
        problems(hostile, "memory")


def test_a_fork_bomb_is_bounded(hostile):
    assert facts(hostile, "fork-bomb")["processes"] <= LIMITS.processes
    assert result(hostile, "fork-bomb").total == 5


def test_huge_output_is_cut(hostile):
    assert "printed more than 4 MiB" in problems(hostile, "huge-output")
    notebook = hostile[0] / "autograded" / "huge-output" / "duo" / "first.ipynb"
    assert notebook.stat().st_size < 6 * MiB
    assert result(hostile, "huge-output").total == 5


def test_file_size_and_disk_are_limited(hostile):
    seen = facts(hostile, "big-files")
    assert seen["one_big"] == "refused: OSError" and seen["fill"] == "refused: OSError"
    assert seen["on_disk"] <= LIMITS.disk
    assert result(hostile, "big-files").total == 5


def test_broken_files_get_messages(hostile):
    assert "nndl/arith.py has a syntax error at line 3" in problems(hostile, "syntax-error")
    assert result(hostile, "syntax-error").total == 0
    assert ("first.ipynb: test cell test_square_norm was deleted or its id changed; it was "
            "restored from the source") in problems(hostile, "deleted-test")
    assert result(hostile, "deleted-test").total == 5
    assert "second.ipynb: cell 3 has broken nbgrader metadata" in problems(hostile, "broken-meta")
    assert result(hostile, "broken-meta").scores == {"test_square_norm": 3}


@pytest.mark.parametrize("entry, message", [
    ("bad id", "'bad id' is not a valid student id"),
    ("josé", "'josé' is not a valid student id"),
    (".hidden", "'.hidden' is not a valid student id"),
    ("_under", "'_under' is not a valid student id"),
    ("empty", "empty.zip is empty"),
    ("evil", "evil.zip: entry '../../escaped.txt' points outside the zip"),
    ("bomb", "bomb.zip unpacks to 300 MiB (more than 200 MiB)"),
])
def test_bad_entries_are_rows_with_messages(hostile, entry, message):
    found = result(hostile, entry)
    assert not found.graded and any(message in problem for problem in found.problems), found.problems


def test_every_entry_is_one_row(hostile):
    root, report, class_dir, _ = hostile
    with open(report.csv_path, newline="") as handle:
        rows = [row["student"] for row in csv.DictReader(handle)]
    assert sorted(rows) == rows and len(rows) == len(set(rows))
    assert "__MACOSX" not in rows and "dup.zip" not in rows
    assert not any(p.name == "escaped.txt" for p in class_dir.parent.rglob("escaped.txt"))


def test_two_entries_for_one_id_are_one_row_saying_which(hostile):
    found = result(hostile, "dup")
    assert found.total == 0   # dup.zip (the blank release, changed last) was graded
    assert "handed in dup and dup.zip; graded dup.zip, the one changed last" in found.problems


@pytest.mark.parametrize("cheat", CHEATS)
def test_no_cheat_scores_above_the_blank_release(hostile, cheat):
    """Each of these gets past nbgrader's own in-kernel verdict somewhere; the judge scores the
    data its probes bring back from a fresh process, so none earns a point."""
    assert result(hostile, cheat).total == 0, (cheat, result(hostile, cheat).scores)


def test_cheats_would_have_fooled_the_kernel(hostile):
    """The in-kernel verdicts (kept beside the judge's, never counted) show what was at stake."""
    fooled = {cheat for cheat in CHEATS if any(score for score in result(hostile, cheat).notebook_scores.values())}
    assert {"input-transformer", "forged-replies", "redefined-helpers"} <= fooled


def test_nothing_hidden_reaches_the_feedback(hostile):
    for student in ("prints-its-cell", "reads-own-files"):
        for page in (hostile[0] / "feedback" / student / "duo").glob("*.html"):
            text = page.read_text()
            assert "probe_test" not in text and "hidden_checks" not in text, (student, page.name)
    assert facts(hostile, "reads-own-files")["found"] == []   # the notebook's kernel: no such files


def test_a_correct_module_that_warns_gets_full_marks(hostile):
    found = result(hostile, "noisy-but-correct")
    assert found.total == 5, found.scores


def test_regrading_the_hostile_class_gives_the_same_csv(hostile):
    root, report, class_dir, _ = hostile
    first = report.csv_path.read_bytes()
    again = grade.main("duo", submissions=class_dir, root=root, jobs=2, budgets=BUDGETS,
                       limits=LIMITS, progress=False)
    assert again.csv_path.read_bytes() == first


def test_a_blank_release_is_told_what_to_implement(hostile):
    """The judge passes the release stub's message on: which function, in which module."""
    judged = result(hostile, "dup").judged       # graded from dup.zip, the blank release
    assert judged and all(message.startswith("still to do: implement ") and message.endswith(" in nndl/arith.py")
                          for message in judged.values()), judged

"""gradescope <id>: build exports/<id>_gradescope.zip, a Gradescope autograder for the assignment.

The zip follows Gradescope's autograder layout: `setup.sh` (run once on Gradescope's Ubuntu
image: Python 3.11 and the pinned pip list of environment.yml, plus CIFAR-10 when the manifest
lists it) and `run_autograder` (run per submission: grades /autograder/submission and writes
/autograder/results/results.json). The course's own grader ships in `course/` (autograder/,
common/, environment.yml and assignments/ + source/ of the assignment and of those it borrows
from), so Gradescope gives exactly the scores of `./run grade`.

Locally: unzip into <dir>/source, put an upload in <dir>/submission, then
    GRADESCOPE_ROOT=<dir> NNDL_PYTHON=.venv/bin/python <dir>/source/run_autograder
"""
from pathlib import Path
import zipfile

import tempfile

from autograder.environment import ENVIRONMENT_YML, pip_requirements
from autograder.grade import host_data_dir, prepare_judging
from autograder.judge import CACHE
from autograder.sandbox import Limits, choose_kind
from autograder.worker import Budgets
from autograder.manifest import load_manifest
from autograder.place import place
from autograder.settings import COURSE_ROOT

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu base image, with the bundle in /autograder/source.
# The pins of environment.yml need Python 3.11: uv installs it whatever the image's python3 is.
set -euo pipefail
root="${GRADESCOPE_ROOT:-/autograder}"
cd "$root/source"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3 python3-venv ca-certificates >/dev/null
# The interpreter goes where the sandbox's unprivileged user can run it (uv's default is root's home).
export UV_PYTHON_INSTALL_DIR=/opt/uv-python
python3 -m venv "$root/uv-tool"
"$root/uv-tool/bin/pip" install --quiet uv
"$root/uv-tool/bin/uv" venv --python 3.11 "$root/venv"
"$root/uv-tool/bin/uv" pip install --python "$root/venv/bin/python" --quiet -r requirements.txt
{datasets}"""

CIFAR10_SETUP = """# CIFAR-10 for the notebooks (checked against its MD5 by nndl.data).
mkdir -p "$root/data"
(cd course/common && "$root/venv/bin/python" -m nndl.data download --data-dir "$root/data")
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this per submission: grade /autograder/submission, write /autograder/results/results.json.
# Locally: GRADESCOPE_ROOT=<dir> (holding source/ = this bundle, submission/) and NNDL_PYTHON=<python>.
set -euo pipefail
root="${{GRADESCOPE_ROOT:-/autograder}}"
python="${{NNDL_PYTHON:-$root/venv/bin/python}}"
export NNDL_DATA_DIR="${{NNDL_DATA_DIR:-$root/data}}"
export NBGRADER_EXECUTION=autograde
export PYTHONPATH="$root/source/course"   # the shipped grader, never another copy
# Student code runs in a sandbox as an unprivileged user; where namespaces are forbidden, as that
# user only, so nothing the grader keeps may be readable by others.
chmod -R go-rwx "$root/source" "$root/submission" 2>/dev/null || true
mkdir -p "$root/results" && chmod 700 "$root/results"
cd "$root/source/course"
exec "$python" -m autograder.gradescope_run {assignment} --root "$root"
"""


def bundle_files(assignment: str, root: Path) -> list[tuple[Path, str]]:
    """(file, path in the zip) for the course part of the bundle: the grader's code from this
    repository; the assignment's manifest and source without any solution module (students are
    graded on their own); of the assignments it borrows from, only the borrowed modules."""
    manifest = load_manifest(assignment, root)
    solutions = {f"source/{assignment}/{module}" for module in manifest.student_modules}
    files = [(ENVIRONMENT_YML, "course/environment.yml")]
    for base, folder in [(COURSE_ROOT, "autograder"), (COURSE_ROOT, "common"),
                         (root, f"assignments/{assignment}"), (root, f"source/{assignment}")]:
        for path in sorted((base / folder).rglob("*")):
            name = path.relative_to(base).as_posix()
            junk = {"__pycache__", ".ipynb_checkpoints"} & set(path.parts) or path.suffix == ".pyc"
            if path.is_file() and not junk and name not in solutions:
                files.append((path, "course/" + name))
    # The judge's reference data and the course secret its seeds derive from: computed here,
    # where the solution modules are (the bundle has none).
    cache = root / CACHE
    for path in [cache / "secret"] + sorted((cache / assignment).glob("reference.*")):
        if path.is_file():
            files.append((path, f"course/{CACHE}/{path.relative_to(cache).as_posix()}"))
    for origin in sorted(set(manifest.borrow.values())):
        other, _, module = origin.partition(":")
        files.append((root / "assignments" / other / "manifest.toml",
                      f"course/assignments/{other}/manifest.toml"))
        files.append((root / "source" / other / module, f"course/source/{other}/{module}"))
    return sorted(set(files), key=lambda item: item[1])


def main(assignment: str, *, root: Path = COURSE_ROOT, out: Path | None = None) -> Path:
    """Write the Gradescope autograder zip of `assignment`; returns its path
    (default root/exports/<assignment>_gradescope.zip)."""
    root = Path(root)
    manifest = load_manifest(assignment, root)
    from autograder.release import warn_about_timing
    warn_about_timing(manifest, root)
    place(manifest, root / "source" / assignment, root)   # helpers and borrowed modules ship too
    with tempfile.TemporaryDirectory(prefix="nndl-bundle-") as scratch:
        prepare_judging(assignment, root, Path(scratch), choose_kind("auto"), Limits(),
                        Budgets.for_manifest(manifest), host_data_dir())
    out = Path(out) if out else root / "exports" / f"{assignment}_gradescope.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    requirements = "\n".join(pip_requirements(ENVIRONMENT_YML.read_text())) + "\n"
    datasets = CIFAR10_SETUP if "cifar10" in manifest.datasets else ""
    scripts = {
        "setup.sh": SETUP_SH.replace("{datasets}", datasets),
        "run_autograder": RUN_AUTOGRADER.format(assignment=assignment),
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, text in scripts.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100755 << 16   # executable, as Gradescope expects
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, text)
        bundle.writestr("requirements.txt", requirements)
        for path, name in bundle_files(assignment, root):
            bundle.write(path, name)
    return out

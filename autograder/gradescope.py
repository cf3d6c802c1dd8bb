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

from autograder.environment import ENVIRONMENT_YML, pip_requirements
from autograder.manifest import load_manifest
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
cd "$root/source/course"
exec "$python" -m autograder.gradescope_run {assignment} --root "$root"
"""


def bundle_files(assignment: str, root: Path) -> list[tuple[Path, str]]:
    """(file, path in the zip) for the course part of the bundle: the grader's code from this
    repository, the assignment (and those it borrows from) from the course at `root`."""
    manifest = load_manifest(assignment, root)
    needed = {assignment} | {origin.partition(":")[0] for origin in manifest.borrow.values()}
    folders = [(COURSE_ROOT, "autograder"), (COURSE_ROOT, "common")]
    for name in sorted(needed):
        folders += [(root, f"assignments/{name}"), (root, f"source/{name}")]
    files = [(ENVIRONMENT_YML, "course/environment.yml")]
    for base, folder in folders:
        for path in sorted((base / folder).rglob("*")):
            junk = {"__pycache__", ".ipynb_checkpoints"} & set(path.parts) or path.suffix == ".pyc"
            if path.is_file() and not junk:
                files.append((path, "course/" + path.relative_to(base).as_posix()))
    return files


def main(assignment: str, *, root: Path = COURSE_ROOT, out: Path | None = None) -> Path:
    """Write the Gradescope autograder zip of `assignment`; returns its path
    (default root/exports/<assignment>_gradescope.zip)."""
    root = Path(root)
    manifest = load_manifest(assignment, root)
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

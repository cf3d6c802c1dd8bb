"""nbgrader called in-process, with this course's configuration loaded for a given course root."""
import contextlib
import logging
import os
from pathlib import Path
import sys
import warnings

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from autograder.settings import COURSE_ROOT

CONFIG_FILE = Path(__file__).resolve().parent / "nbgrader_config.py"

# Kernels inherit this: one BLAS thread makes grades bit-for-bit repeatable (threaded reductions
# may sum in a different order) and keeps two grading kernels from fighting over two cores.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# nbgrader's own gradebook sessions warn about autoflush on every autograde; they are harmless.
warnings.filterwarnings("ignore", message=".*not in session.*")

# nbgrader runs the `alembic` command of its own environment; make sure it is found.
_bin = str(Path(sys.executable).parent)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")


class NbgraderError(RuntimeError):
    """An nbgrader step failed; the message names the step, assignment and student."""


@contextlib.contextmanager
def _course_root_variable(root: Path):
    previous = os.environ.get("NNDL_COURSE_ROOT")
    os.environ["NNDL_COURSE_ROOT"] = str(root)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["NNDL_COURSE_ROOT"]
        else:
            os.environ["NNDL_COURSE_ROOT"] = previous


def nbgrader_config(root: Path = COURSE_ROOT, overrides: dict | None = None):
    """The traitlets Config of autograder/nbgrader_config.py for the course at `root`, with
    `overrides` ({section: {trait: value}}) applied on top."""
    with _course_root_variable(Path(root).resolve()):
        config = PyFileConfigLoader(CONFIG_FILE.name, path=str(CONFIG_FILE.parent)).load_config()
    for section, values in (overrides or {}).items():
        for name, value in values.items():
            setattr(config[section], name, value)
    return config


def nbgrader_api(root: Path = COURSE_ROOT, overrides: dict | None = None) -> NbGraderAPI:
    config = nbgrader_config(root, overrides)
    with _quiet_exchange_probe():
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    api.log.setLevel(logging.ERROR)
    return api


@contextlib.contextmanager
def _quiet_exchange_probe():
    """NbGraderAPI lists the exchange when it starts and, without one (a laptop, CI), logs
    "CRITICAL Unwritable directory, please contact your instructor": a message meant for a
    student's server. The local steps (generate, autograde) never use the exchange, and the
    exchange steps fail with their own error, so the probe is silenced."""
    logger = logging.getLogger("traitlets")    # NbGraderAPI sets its level as it starts

    def not_the_probe(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Unwritable directory, please contact your instructor")
    logger.addFilter(not_the_probe)
    try:
        yield
    finally:
        logger.removeFilter(not_the_probe)


def raise_on_failure(result: dict, step: str) -> dict:
    """Turn NbGraderAPI's {success, error, log} into an exception that says what failed."""
    if not result["success"]:
        detail = "\n".join(part.strip() for part in (result.get("log"), result.get("error")) if part)
        raise NbgraderError(f"{step} failed:\n{detail}")
    return result

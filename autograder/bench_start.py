"""bench start: what a fresh interpreter pays before it does any work, against its floor.

Every figure is the median wall time of a few fresh interpreters (`sys.executable`, bytecode
caches warm), so it includes interpreter start-up; the floors are measured the same way.

    --help of every verb      against `python -c pass`. Goal <= 1.0 s: a help screen should be
                              instant; cli.py imports a verb's module only to run it.
    import nndl.<helper>      from common/ (what every assignment's nndl/ holds), against
                              `python -c "import numpy"` for the helpers that need numpy (goal
                              <= numpy + 0.3 s: matplotlib, pooch, nbformat are imported by the
                              functions that use them) and `python -c pass` for nndl.submit.
    import autograder.grade   what running a grading verb costs before it grades, against a plain
                              `import nbgrader.apps` (goal <= 1.0x: the package skips jsonschema's
                              rfc3987_syntax grammar, see autograder/__init__.py, and adds little).
    import nbformat           with that skip against without it (goal < 1.0x).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from autograder.bench import line
from autograder.settings import COMMON_DIR, COURSE_ROOT

STUDENT_IMPORTS = {"nndl.data": True, "nndl.vis": True, "nndl.solver": True,
                   "nndl.gradient_check": True, "nndl.progress": False, "nndl.submit": False}
SKIP = "import sys; sys.modules.setdefault('rfc3987_syntax', None); "


def verbs() -> list[str]:
    """The verbs of `python -m autograder`, read from its parser."""
    from autograder.cli import parser
    subparsers = next(action for action in parser()._actions
                      if isinstance(action, argparse._SubParsersAction))
    return list(subparsers.choices)


def seconds(argv: list[str], runs: int, cwd=COURSE_ROOT) -> float:
    """Median wall time of `python argv...` in a fresh interpreter; raises if it fails."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, *argv], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(quick: bool) -> list[str]:
    runs = 3 if quick else 5
    sizes = f"median of {runs} fresh interpreters"
    floor = seconds(["-c", "pass"], runs)
    numpy = seconds(["-c", "import numpy"], runs)
    lines = []
    for verb in verbs():
        took = seconds(["-m", "autograder", verb, "--help"], runs)
        lines.append(line(f"{verb} --help / python", took / floor, f"{floor:.2f} s",
                          f"{took:.2f} s", sizes + "; baseline python -c pass", "<= 1.0 s"))
    for module, needs_numpy in STUDENT_IMPORTS.items():
        took = seconds(["-c", f"import {module}"], runs, cwd=COMMON_DIR.parent)
        base, name = (numpy, "import numpy") if needs_numpy else (floor, "python -c pass")
        lines.append(line(f"import {module} / {'numpy' if needs_numpy else 'python'}", took / base,
                          f"{base:.2f} s", f"{took:.2f} s", f"{sizes}; baseline {name}",
                          f"<= {base + 0.3:.2f} s"))
    plain = seconds(["-c", "import nbgrader.apps"], runs)
    took = seconds(["-c", "import autograder.grade"], runs)
    lines.append(line("import autograder.grade / nbg", took / plain, f"{plain:.2f} s",
                      f"{took:.2f} s", f"{sizes}; baseline plain import nbgrader.apps", "<= 1.0x"))
    plain = seconds(["-c", "import nbformat"], runs)
    took = seconds(["-c", SKIP + "import nbformat"], runs)
    lines.append(line("import nbformat skip / plain", took / plain, f"{plain:.2f} s",
                      f"{took:.2f} s", f"{sizes}; rfc3987_syntax skipped vs not", "< 1.0x"))
    return lines

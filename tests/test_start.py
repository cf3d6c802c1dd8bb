"""Is starting cheap: what does each entry point import before it does any work?

Each check runs a fresh interpreter and reads its sys.modules (speed itself is shown by
`./run bench start`, never asserted here).
"""
from pathlib import Path
import json
import subprocess
import sys

from autograder.bench_start import STUDENT_IMPORTS, verbs

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "nbformat", "nbgrader", "nbconvert", "nbclient", "jsonschema", "pooch",
         "requests", "sklearn", "scipy")


def loaded(code: str, cwd: Path = ROOT) -> dict:
    """Run `code` (which leaves its answer in `out`) in a fresh interpreter; returns out."""
    done = subprocess.run([sys.executable, "-c", code + "\nimport json; print(json.dumps(out))"],
                          cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def heavy_code(setup: str) -> str:
    return (f"import sys\n{setup}\n"
            f"out = sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))")


def test_student_imports_load_no_heavy_library():
    """Does importing each nndl helper load numpy at most, not matplotlib, pooch or nbformat?"""
    for module in STUDENT_IMPORTS:
        assert loaded(heavy_code(f"import {module}"), cwd=ROOT / "common") == [], module


def test_verb_help_loads_no_heavy_library():
    """Does `--help` of every verb stay clear of nbgrader, nbformat and matplotlib?"""
    setup = ("from autograder.cli import main\n"
             f"for verb in {verbs()!r}:\n"
             "    try:\n"
             "        main([verb, '--help'])\n"
             "    except SystemExit:\n"
             "        pass")
    assert loaded(heavy_code(setup)) == []


def test_tooling_skips_the_rfc3987_grammar_and_still_validates():
    """After `import autograder`, does nbformat load without rfc3987_syntax (and lark), and
    still reject an invalid notebook?"""
    code = ("import sys, autograder, nbformat\n"
            "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
            "nbformat.validate(nb)\n"
            "nb.cells[0]['cell_type'] = 'nonsense'\n"
            "try:\n"
            "    nbformat.validate(nb)\n"
            "    rejected = False\n"
            "except nbformat.ValidationError:\n"
            "    rejected = True\n"
            "out = {'rejected': rejected, 'lark': 'lark' in sys.modules,\n"
            "       'rfc3987': sys.modules.get('rfc3987_syntax') is not None}")
    assert loaded(code) == {"rejected": True, "lark": False, "rfc3987": False}

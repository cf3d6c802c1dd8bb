"""The release must hold nothing of the instructor's: no markers, no solution or hidden-test line.

A line counts as secret when it stands inside a solution or hidden-test region of a source file
and nowhere outside one in that file (so shared scaffolding such as `return out` is not flagged).
"""
from pathlib import Path
import re
import tomllib

import nbformat

from autograder.manifest import STUDENT_KEYS
from autograder.strip import MARKERS

_REGION = re.compile(r"^[ \t]*### BEGIN (SOLUTION|HIDDEN TESTS)[ \t]*$(.*?)^[ \t]*### END \1[ \t]*$",
                     re.MULTILINE | re.DOTALL)
HIDDEN_CHECKS = "hidden_checks.py"   # the judge's probes (autograder.judge): never released
TEXT_SUFFIXES = {".py", ".ipynb", ".md", ".txt", ".toml", ".json", ".cfg", ".yml", ".yaml", ".html"}


class LeakError(AssertionError):
    """The release contains a marker or a line of a solution or hidden test."""


def _code_text(path: Path) -> str:
    """The code of a module, or of every cell of a notebook, as one text."""
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        return "\n".join(cell.source for cell in notebook.cells)
    return path.read_text()


def secret_lines(source_text: str) -> set[str]:
    """Stripped lines found only inside marked regions (blank lines and comments aside)."""
    inside, outside = set(), set()
    spans = [match.span(2) for match in _REGION.finditer(source_text)]
    for match in _REGION.finditer(source_text):
        inside.update(line.strip() for line in match.group(2).splitlines())
    position = 0
    for start, end in spans:
        outside.update(line.strip() for line in source_text[position:start].splitlines())
        position = end
    outside.update(line.strip() for line in source_text[position:].splitlines())
    return {line for line in inside - outside
            if line and not line.startswith("#") and not any(m in line for m in MARKERS)}


def _hidden_check_lines(source_dir: Path) -> set[str]:
    """Lines of the hidden checks that the release must not show: those not also in the
    visible (unmarked) code of the source's notebooks and modules (a probe may repeat a
    visible test's inputs)."""
    checks = source_dir / HIDDEN_CHECKS
    if not checks.exists():
        return set()
    public = set()
    for path in source_dir.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".ipynb") and path.name != HIDDEN_CHECKS:
            public.update(line.strip() for line in _REGION.sub("", _code_text(path)).splitlines())
    return {line.strip() for line in checks.read_text().splitlines()
            if len(line.strip()) >= 24 and not line.strip().startswith(("#", "import ", "from ", '"""'))
            } - public


def find_leaks(release_dir: Path, source_dir: Path) -> list[str]:
    """Every marker, and every secret line of the matching source file, found in release_dir."""
    leaks = [f"{path.relative_to(release_dir)}: the hidden checks file"
             for path in sorted(release_dir.rglob(HIDDEN_CHECKS))]
    for path in sorted(release_dir.rglob("manifest.toml")):
        extra = set(tomllib.loads(path.read_text())) - set(STUDENT_KEYS)
        if extra:
            leaks.append(f"{path.relative_to(release_dir)}: instructor keys {sorted(extra)}")
    check_lines = _hidden_check_lines(source_dir)
    for path in sorted(release_dir.rglob("*")):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        relative = path.relative_to(release_dir)
        if path.suffix in (".py", ".ipynb"):
            for line in sorted(check_lines & {line.strip() for line in _code_text(path).splitlines()}):
                leaks.append(f"{relative}: a line of {HIDDEN_CHECKS} '{line}'")
        text = path.read_text(errors="replace")
        for marker in MARKERS:
            if marker in text:
                leaks.append(f"{relative}: contains '{marker}'")
        source = source_dir / relative
        if source.exists() and path.suffix in (".py", ".ipynb"):
            released = {line.strip() for line in _code_text(path).splitlines()}
            for line in sorted(secret_lines(_code_text(source)) & released):
                leaks.append(f"{relative}: solution or hidden-test line '{line}'")
    return leaks


def assert_no_leaks(release_dir: Path, source_dir: Path) -> None:
    leaks = find_leaks(release_dir, source_dir)
    if leaks:
        raise LeakError(f"{release_dir} leaks {len(leaks)} item(s):\n  " + "\n  ".join(leaks))

"""The pip requirements, read from environment.yml: the one list of dependencies.

`python autograder/environment.py` prints them one a line, for `pip install -r /dev/stdin`.
Stdlib only, because it runs before the environment exists.

An entry whose comment starts with `instructor` (`- nbgrader==0.9.6  # instructor: why`) is a
grading tool: the instructor's .venv has it, the students' copy (`student_environment`, written
into every assignment folder by autograder/place.py) does not.
"""
from pathlib import Path
import re
import sys

ENVIRONMENT_YML = Path(__file__).resolve().parent.parent / "environment.yml"


def pip_requirements(text: str) -> list[str]:
    """The entries of the `- pip:` list in an environment.yml, comments dropped."""
    requirements, in_pip, pip_indent = [], False, 0
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped.strip():
            continue
        indent = len(stripped) - len(stripped.lstrip())
        item = stripped.strip()
        if item == "- pip:":
            in_pip, pip_indent = True, indent
        elif in_pip and indent > pip_indent and item.startswith("- "):
            requirements.append(item[2:].strip())
        elif in_pip and indent <= pip_indent:
            in_pip = False
    if not requirements:
        raise ValueError("environment.yml has no '- pip:' list")
    return requirements


INSTRUCTOR_ONLY = re.compile(r"^\s*instructor\b")   # the start of an entry's comment

STUDENT_HEADER = """\
# The course environment: conda env create -f environment.yml && conda activate nndl
# On Google Colab, the first cell of every notebook installs these pins instead.
"""


def is_instructor_only(line: str) -> bool:
    """Whether an environment.yml line is an entry marked `# instructor`."""
    entry, hash_sign, comment = line.partition("#")
    return entry.lstrip().startswith("- ") and bool(hash_sign) and bool(INSTRUCTOR_ONLY.match(comment))


def student_environment(text: str) -> str:
    """The students' environment.yml: `text` without its instructor-only entries, and with a
    header for students instead of the leading comment block."""
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    kept = [line for line in lines if not is_instructor_only(line)]
    return STUDENT_HEADER + "".join(kept)


if __name__ == "__main__":
    sys.stdout.write("\n".join(pip_requirements(ENVIRONMENT_YML.read_text())) + "\n")

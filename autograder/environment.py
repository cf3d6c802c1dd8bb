"""The pip requirements, read from environment.yml: the one list of dependencies.

`python autograder/environment.py` prints them one a line, for `pip install -r /dev/stdin`.
Stdlib only, because it runs before the environment exists.
"""
from pathlib import Path
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


if __name__ == "__main__":
    sys.stdout.write("\n".join(pip_requirements(ENVIRONMENT_YML.read_text())) + "\n")

"""Text transforms on student modules: strip solutions for the release, or keep them as given code.

Pure functions: text in, text out. Markers are nbgrader's:
    ### BEGIN SOLUTION / ### END SOLUTION / ### BEGIN HIDDEN TESTS / ### END HIDDEN TESTS
"""
import re

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
MARKERS = (BEGIN_SOLUTION, END_SOLUTION, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
STUB = "raise NotImplementedError()"

_MARKER_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>### (BEGIN|END) (SOLUTION|HIDDEN TESTS))[ \t]*$")


def _regions(source: str, path: str):
    """Yield (begin_line, end_line, indent) for each solution region, 0-based line numbers.

    Raises ValueError("<path>:<line>: ...") for an unbalanced or nested marker, for hidden-test
    markers (they belong in notebooks, not modules), and for markers that are not alone on their
    line.
    """
    begin = None
    for number, line in enumerate(source.splitlines()):
        match = _MARKER_LINE.match(line)
        if match is None:
            if any(marker in line for marker in MARKERS):
                raise ValueError(f"{path}:{number + 1}: marker must stand alone on its line")
            continue
        marker = match["marker"]
        if "HIDDEN TESTS" in marker:
            raise ValueError(f"{path}:{number + 1}: hidden tests belong in notebooks, not modules")
        if marker == BEGIN_SOLUTION:
            if begin is not None:
                raise ValueError(f"{path}:{number + 1}: BEGIN SOLUTION inside the region "
                                 f"opened at line {begin[0] + 1}")
            begin = (number, match["indent"])
        else:
            if begin is None:
                raise ValueError(f"{path}:{number + 1}: END SOLUTION without BEGIN SOLUTION")
            if match["indent"] != begin[1]:
                raise ValueError(f"{path}:{number + 1}: END SOLUTION indented differently from "
                                 f"its BEGIN at line {begin[0] + 1}")
            yield begin[0], number, begin[1]
            begin = None
    if begin is not None:
        raise ValueError(f"{path}:{begin[0] + 1}: BEGIN SOLUTION is never closed")


def _rewrite(source: str, path: str, keep_solution: bool) -> str:
    lines = source.splitlines(keepends=True)
    out, position = [], 0
    for begin, end, indent in _regions(source, path):
        out.extend(lines[position:begin])
        if keep_solution:
            out.extend(lines[begin + 1:end])
        else:
            out.append(f"{indent}{STUB}\n")
        position = end + 1
    out.extend(lines[position:])
    return "".join(out)


def strip_solutions(source: str, path: str) -> str:
    """Replace each BEGIN/END SOLUTION region (markers included) by an indented stub."""
    return _rewrite(source, path, keep_solution=False)


def keep_solutions(source: str, path: str) -> str:
    """Drop the marker lines and keep the solution: an earlier assignment's code given as is."""
    return _rewrite(source, path, keep_solution=True)


def solution_lines(source: str, path: str) -> list[str]:
    """The non-blank, non-comment lines inside solution regions, stripped of indentation."""
    lines = source.splitlines()
    found = []
    for begin, end, _ in _regions(source, path):
        for line in lines[begin + 1:end]:
            text = line.strip()
            if text and not text.startswith("#"):
                found.append(text)
    return found

"""Text transforms on student modules: strip solutions for the release, or keep them as given code.

Pure functions: text in, text out. Markers are nbgrader's:
    ### BEGIN SOLUTION / ### END SOLUTION / ### BEGIN HIDDEN TESTS / ### END HIDDEN TESTS
and a pair of ours: a BEGIN/END STARTER region right before a solution region is what the
release gets instead of the stub, e.g. weak starting hyperparameters. The source runs both
(the solution, later, wins), so the reference keeps its own values:

    ### BEGIN STARTER
    TWO_LAYER = dict(hidden_size=10, learning_rate=1e-5)      # what students start from
    ### END STARTER
    ### BEGIN SOLUTION
    TWO_LAYER = dict(hidden_size=200, learning_rate=1e-3)     # the reference's tuned values
    ### END SOLUTION
"""
from pathlib import Path
import re

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_STARTER = "### BEGIN STARTER"
END_STARTER = "### END STARTER"
MARKERS = (BEGIN_SOLUTION, END_SOLUTION, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS",
           BEGIN_STARTER, END_STARTER)
STUB = 'raise NotImplementedError("implement {function} in {module}")'

_DEF_LINE = re.compile(r"^(?P<indent>[ \t]*)(?:async[ \t]+)?(?P<kind>def|class)[ \t]+(?P<name>\w+)")

_MARKER_LINE = re.compile(r"^(?P<indent>[ \t]*)### (?P<end>BEGIN|END) (?P<kind>SOLUTION|HIDDEN TESTS|STARTER)[ \t]*$")


def _regions(source: str, path: str):
    """Yield (starter, begin_line, end_line, indent) for each solution region, 0-based line
    numbers; starter is the (begin, end) of the STARTER region right before it, or None.

    Raises ValueError("<path>:<line>: ...") for an unbalanced or nested marker, for hidden-test
    markers (they belong in notebooks, not modules), for a starter not followed at once by a
    solution region, and for markers that are not alone on their line.
    """
    begin, starter, closed_starter = None, None, None
    for number, line in enumerate(source.splitlines()):
        match = _MARKER_LINE.match(line)
        if match is None:
            if any(marker in line for marker in MARKERS):
                raise ValueError(f"{path}:{number + 1}: marker must stand alone on its line")
            if closed_starter is not None:
                raise ValueError(f"{path}:{closed_starter[1] + 1}: END STARTER must be followed "
                                 "at once by BEGIN SOLUTION")
            continue
        kind, opening = match["kind"], match["end"] == "BEGIN"
        if kind == "HIDDEN TESTS":
            raise ValueError(f"{path}:{number + 1}: hidden tests belong in notebooks, not modules")
        if closed_starter is not None and not (kind == "SOLUTION" and opening):
            raise ValueError(f"{path}:{closed_starter[1] + 1}: END STARTER must be followed "
                             "at once by BEGIN SOLUTION")
        if opening:
            if begin is not None:
                raise ValueError(f"{path}:{number + 1}: BEGIN {kind} inside the region "
                                 f"opened at line {begin[0] + 1} ({begin[2]})")
            begin = (number, match["indent"], kind)
            starter, closed_starter = closed_starter, None
            continue
        if begin is None or begin[2] != kind:
            raise ValueError(f"{path}:{number + 1}: END {kind} without BEGIN {kind}")
        if match["indent"] != begin[1]:
            raise ValueError(f"{path}:{number + 1}: END {kind} indented differently from "
                             f"its BEGIN at line {begin[0] + 1}")
        if kind == "STARTER":
            closed_starter = (begin[0], number)
        else:
            yield starter, begin[0], number, begin[1]
            starter = None
        begin = None
    if begin is not None:
        raise ValueError(f"{path}:{begin[0] + 1}: BEGIN {begin[2]} is never closed")
    if closed_starter is not None:
        raise ValueError(f"{path}:{closed_starter[1] + 1}: END STARTER must be followed at once "
                         "by BEGIN SOLUTION")


def enclosing_function(lines: list[str], number: int) -> str:
    """The qualified name ("Class.method", "function") of the def enclosing line `number`,
    found from the indentation of the lines above it; "" at module level."""
    names, depth = [], len(lines[number]) - len(lines[number].lstrip())
    for line in reversed(lines[:number]):
        match = _DEF_LINE.match(line)
        if match and len(match["indent"].expandtabs()) < depth:
            names.append(match["name"])
            depth = len(match["indent"].expandtabs())
            if depth == 0:
                break
    return ".".join(reversed(names))


def solution_functions(source: str, path: str = "module") -> list[str]:
    """The functions ("f", "Class.method") that hold a solution region, in order: what
    students write (module-level regions, such as tuned values, are not functions)."""
    lines = source.splitlines(keepends=True)
    names = [enclosing_function(lines, begin) for _, begin, _, _ in _regions(source, path)]
    return list(dict.fromkeys(name for name in names if name))


def stub(lines: list[str], number: int, indent: str, module: str) -> str:
    """The release's line for the solution region that starts at line `number`."""
    function = enclosing_function(lines, number) or "this part"
    return f"{indent}{STUB.format(function=function, module=module)}\n"


def _rewrite(source: str, path: str, keep_solution: bool, module: str = "") -> str:
    lines = source.splitlines(keepends=True)
    out, position = [], 0
    for starter, begin, end, indent in _regions(source, path):
        out.extend(lines[position:starter[0] if starter else begin])
        if keep_solution:
            out.extend(lines[begin + 1:end])
        elif starter is not None:
            out.extend(lines[starter[0] + 1:starter[1]])
        else:
            out.append(stub(lines, begin, indent, module or Path(path).name))
        position = end + 1
    out.extend(lines[position:])
    return "".join(out)


def strip_solutions(source: str, path: str, module: str = "") -> str:
    """Replace each BEGIN/END SOLUTION region (markers included) by an indented stub that says
    what to implement where: raise NotImplementedError("implement Net.loss in nndl/net.py").
    module: the path students see (default: the file name of `path`)."""
    return _rewrite(source, path, keep_solution=False, module=module)


def keep_solutions(source: str, path: str) -> str:
    """Drop the marker lines and keep the solution: an earlier assignment's code given as is."""
    return _rewrite(source, path, keep_solution=True)


def solution_lines(source: str, path: str) -> list[str]:
    """The non-blank, non-comment lines inside solution regions (not those a starter repeats),
    stripped of indentation."""
    lines = source.splitlines()
    found = []
    for starter, begin, end, _ in _regions(source, path):
        given = {line.strip() for line in lines[starter[0] + 1:starter[1]]} if starter else set()
        for line in lines[begin + 1:end]:
            text = line.strip()
            if text and not text.startswith("#") and text not in given:
                found.append(text)
    return found

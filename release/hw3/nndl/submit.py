"""Hand in this assignment: check it, then write the PDF for Gradescope and the code zip.

Run it in the assignment folder, after Kernel -> Restart & Run All in every notebook:

    python -m nndl.submit                       # asks your name and ID once, remembers them
    python -m nndl.submit --name "Ada Lovelace" --student-id 12345678
    python -m nndl.submit --check               # only check: run every notebook, list failures

It writes two files next to the notebooks:
  <id>_submission.pdf  a cover page (you, the date, the check summary), every notebook, then
                       every module you edited as a numbered listing; one bookmark per part
  <id>_code.zip        the notebooks and your modules, at the paths the autograder expects

The checks read your notebooks as saved: every notebook present under its expected name, run
top to bottom (no unexecuted code cell, execution counts increasing, no error output), every
module present and valid Python. The visible tests are the graded test cells: a cell passes when
its saved output shows no error and nothing on stderr (the rule the autograder applies, which
also runs hidden tests you cannot see). Failures are listed on the cover and here; they do not
stop the PDF. Re-run your notebooks before submitting so the outputs match your code.

`--check` (what `nbgrader validate` does for nbgrader courses) writes nothing and asks nothing:
it runs each notebook top to bottom in a fresh kernel of this environment, in the assignment
folder, without changing the saved file, and lists the visible tests that fail (with their error)
and the cells that raise. Exit status 0 when everything passes, 1 otherwise.

The PDF is printed offline: nbconvert's HTML, a local MathJax copy (jupyter-server-mathjax from
the course environment) and a headless Chrome, Chromium or Edge found on your machine (or named by
--browser / $NNDL_BROWSER). Without a browser it falls back to nbconvert's LaTeX route when
xelatex and pandoc are installed. The browser route refuses to write a PDF whose notebook pages
still show raw TeX. On its pages a formula wider than the column is broken over lines (or, when
it cannot be, scaled to fit), printed output wraps between words, a progress bar shows only its
last state, and a page that would print empty is left out.
"""
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
import argparse
import ast
import datetime
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile

PACKAGE_DIR = Path(__file__).resolve().parent
STUDENT_FILE = ".nndl_student"   # name and ID (JSON), remembered in the assignment folder

# Browsers, tried in order: names on PATH, then the usual install paths on macOS and Windows.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                 "chrome", "microsoft-edge", "microsoft-edge-stable", "msedge")
BROWSER_PATHS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"%ProgramFiles%\Google\Chrome\Application\chrome.exe",
    r"%ProgramFiles(x86)%\Google\Chrome\Application\chrome.exe",
    r"%LocalAppData%\Google\Chrome\Application\chrome.exe",
    r"%ProgramFiles(x86)%\Microsoft\Edge\Application\msedge.exe",
    r"%ProgramFiles%\Microsoft\Edge\Application\msedge.exe",
)
DEBIAN_MATHJAX = Path("/usr/share/javascript/mathjax/MathJax.js")

# Milliseconds of page time the browser grants MathJax before printing (virtual time: it is
# skipped when the page is idle, so a large budget costs nothing on a small notebook).
TIME_BUDGET_MS = 30000
PRINT_TIMEOUT_S = 300
CHECK_TIMEOUT_S = 600   # --check: seconds a cell may run (training cells take minutes)

# TeX that should never reach the PDF as text: MathJax typesets it when it works.
RAW_TEX = re.compile(r"\$\$|\\(?:frac|tfrac|dfrac|sum|prod|int|sqrt|mathbf|mathrm|mathcal|mathbb|"
                     r"boldsymbol|operatorname|text|begin\{|end\{|left|right|cdot|times|top|"
                     r"partial|nabla|lVert|rVert|hat|bar|infty|alpha|beta|lambda|sigma|theta|"
                     r"log|exp|max|min|arg)(?![a-zA-Z])")

# The printed column: US letter less the side margins. The page is laid out at this width on
# screen too, so what MathJax and FIT_SCRIPT measure there is what prints.
SIDE_MARGIN = "12mm"
PAGE_MARGINS = f"14mm {SIDE_MARGIN}"
COLUMN_WIDTH = f"calc(8.5in - 2 * {SIDE_MARGIN})"

PAGE_CSS = f"""
@page {{ size: letter; margin: {PAGE_MARGINS}; }}
@media screen {{ html {{ width: {COLUMN_WIDTH}; }} }}
/* no spacing after the last cell: ending at the foot of a page, it would start a blank one */
html, body {{ margin: 0 !important; }}
body {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; padding: 0 !important; }}
main > :last-child {{ margin-bottom: 0 !important; padding-bottom: 0 !important; }}
/* JupyterLab's own output rule breaks words anywhere (word-break: break-all): break between
   words, and inside one only when it is wider than the column */
pre, .jp-OutputArea-output pre {{ white-space: pre-wrap !important; word-break: normal !important;
  overflow-wrap: anywhere !important; }}
.jp-OutputArea-output pre, .jp-InputArea-editor pre {{ overflow: visible !important; }}
.jp-OutputArea-output img, .jp-RenderedMarkdown img {{ max-width: 100%; height: auto; }}
.jp-Cell, .jp-OutputArea-child {{ break-inside: auto; }}
img, svg, .MathJax_Display {{ break-inside: avoid; }}
.jp-RenderedHTMLCommon, .jp-RenderedMarkdown, .jp-MarkdownOutput, .jp-OutputArea-output,
.MathJax_Display {{ overflow: visible !important; }}
::-webkit-scrollbar {{ display: none; }}
.nndl-part {{ font: bold 16pt sans-serif; margin: 0 0 8pt 0; padding-bottom: 4pt;
             border-bottom: 1px solid #999; }}
"""

# Run once MathJax has typeset the page (before the browser prints it). A display wider than
# its column is set again: formulas it separates with a top-level \qquad go one per line, else
# MathJax's automatic line breaks split it; whatever is still too wide (a matrix row, inline
# math, an HTML table) is zoomed to its column. It leaves <html data-nndl-fit="S B Z">: S
# displays split at \qquad, B typeset with line breaks, Z boxes zoomed.
FIT_SCRIPT = r"""
MathJax.Hub.Register.StartupHook("End", function () {
  var HUB = MathJax.Hub, split = 0, broken = 0, zoomed = 0;
  function frame(jax) { return document.getElementById(jax.inputID + "-Frame"); }
  function column(el) {   // the width el may use: its nearest block ancestor's content box
    var box = el.parentElement;
    while (box && getComputedStyle(box).display.indexOf("inline") === 0) box = box.parentElement;
    var style = getComputedStyle(box);
    return box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  }
  function shrink(el, width) {
    var need = el.getBoundingClientRect().width;
    if (need > width + 0.5) { el.style.zoom = String(Math.floor(1000 * width / need) / 1000); zoomed++; }
  }
  function wideDisplays() {
    return HUB.getAllJax().filter(function (jax) {
      var math = frame(jax), display = math && math.parentElement;
      return display && display.classList.contains("MathJax_Display")
             && math.getBoundingClientRect().width > display.clientWidth + 0.5;
    });
  }
  function oneFormulaPerLine(tex) {   // "A, \qquad B" -> gathered A \\ B; null if no such split
    if (/\\begin|\\\\|&|\\tag|\\label|\\nonumber/.test(tex)) return null;
    var parts = [], depth = 0, start = 0;   // depth: braces and \left ... \right
    for (var i = 0; i < tex.length; i++) {
      if (tex[i] === "\\") {
        var name = /^\\[a-zA-Z]+/.exec(tex.slice(i));
        if (!name) { i++; continue; }
        name = name[0];
        if (name === "\\left") depth++;
        else if (name === "\\right") depth--;
        else if (name === "\\qquad" && depth === 0) { parts.push(tex.slice(start, i)); start = i + 6; }
        i += name.length - 1;
      } else if (tex[i] === "{") { depth++; } else if (tex[i] === "}") { depth--; }
    }
    parts.push(tex.slice(start));
    var lines = [];
    parts.map(function (part) { return part.trim(); }).filter(Boolean).forEach(function (part) {
      var last = lines.length - 1;   // a lone \text{so} starts the next line instead
      if (last >= 0 && /^\\text\{[^{}]*\}$/.test(lines[last])) lines[last] += "\\quad " + part;
      else lines.push(part);
    });
    return lines.length > 1 ? "\\begin{gathered}" + lines.join("\\\\") + "\\end{gathered}" : null;
  }
  HUB.Queue(function () {
    wideDisplays().forEach(function (jax) {
      var original = jax.originalText, script = jax.SourceElement(), lines = oneFormulaPerLine(original);
      if (!lines) return;
      split++;
      HUB.Queue(["Text", jax, lines], function () {   // a TeX error: keep the formula as written
        var now = HUB.getJaxFor(script);
        if (now && now.texError) { split--; return now.Text(original); }
      });
    });
    HUB.Queue(function () {
      var wide = wideDisplays();
      broken = wide.length;
      wide.forEach(function (jax) {
        MathJax.OutputJax[jax.outputJax].config.linebreaks.automatic = true;
        HUB.Queue(["Rerender", jax]);
      });
      HUB.Queue(function () {
        wideDisplays().forEach(function (jax) { shrink(frame(jax), frame(jax).parentElement.clientWidth); });
        document.querySelectorAll(".MathJax").forEach(function (math) {
          if (!math.parentElement.classList.contains("MathJax_Display")) shrink(math, column(math));
        });
        document.querySelectorAll(".jp-RenderedHTMLCommon table").forEach(function (table) {
          shrink(table, column(table));
        });
        document.documentElement.setAttribute("data-nndl-fit", [split, broken, zoomed].join(" "));
      });
    });
  });
});
"""

LISTING_CSS = """
@page { size: letter; margin: 14mm 12mm; }
body { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt; }
h1 { font: bold 14pt sans-serif; margin: 0 0 8pt 0; }
table.listing { border-collapse: collapse; width: 100%; table-layout: fixed; }
td.ln { width: 3.5em; text-align: right; padding-right: 0.8em; color: #888;
        vertical-align: top; user-select: none; }
td.code { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word;
          border-left: 1px solid #ccc; padding-left: 0.6em; }
tr { break-inside: avoid; }
"""

COVER_CSS = """
@page { size: letter; margin: 20mm 18mm; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 10.5pt; }
h1 { font-size: 20pt; margin-bottom: 2pt; } h2 { font-size: 13pt; margin-top: 16pt; }
table { border-collapse: collapse; } td, th { padding: 2pt 8pt; text-align: left;
  border-bottom: 1px solid #ddd; vertical-align: top; }
.pass { color: #17692a; } .fail { color: #a31515; font-weight: bold; } .notrun { color: #8a5a00; }
.who td { border: none; padding: 1pt 10pt 1pt 0; font-size: 12pt; }
"""


@dataclass
class TestResult:
    notebook: str
    grade_id: str
    points: float
    status: str          # "pass", "fail" or "not run"
    detail: str = ""     # the error's last line, or the partial score shown by the cell


@dataclass
class CheckReport:
    problems: list = field(default_factory=list)   # what to fix, one sentence each
    tests: list = field(default_factory=list)      # TestResult per graded test cell

    @property
    def passed_tests(self) -> int:
        return sum(t.status == "pass" for t in self.tests)


class SubmitError(Exception):
    """The PDF or the zip could not be written; the message says what to do."""


# ---------------------------------------------------------------- manifest and student

def assignment_folder() -> Path:
    """The folder holding this nndl/ package: the assignment's folder."""
    return PACKAGE_DIR.parent


def read_manifest(folder: Path) -> dict:
    path = folder / "nndl" / "manifest.toml"
    if not path.exists():
        raise SubmitError(f"{path} is missing: run this inside the assignment folder you were given")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def student_identity(folder: Path, name: str | None, student_id: str | None,
                     interactive: bool) -> dict:
    """Name and ID from the flags, else the remembered file, else asked once (then remembered)."""
    path = folder / STUDENT_FILE
    saved = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    who = {"name": name or saved.get("name", ""), "student_id": student_id or saved.get("student_id", "")}
    for key, question in (("name", "Your full name: "), ("student_id", "Your student ID: ")):
        while not who[key].strip():
            if not interactive:
                raise SubmitError("give your name and ID once: python -m nndl.submit "
                                  "--name \"First Last\" --student-id 12345678")
            who[key] = input(question).strip()
    who = {key: value.strip() for key, value in who.items()}
    if who != saved:
        path.write_text(json.dumps(who, indent=1) + "\n", encoding="utf-8")
    return who


# ---------------------------------------------------------------- checks

def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else (source or "")


def _output_text(output) -> str:
    if output.get("output_type") == "stream":
        return _text(output.get("text"))
    if output.get("output_type") == "error":   # the traceback shows code, docstrings included
        traceback = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", "\n".join(output.get("traceback", [])))
        return f"{output.get('ename', '')}: {output.get('evalue', '')}\n{traceback}"
    return _text(output.get("data", {}).get("text/plain", ""))


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _error_line(output) -> str:
    ename, evalue = output.get("ename", "Error"), output.get("evalue", "")
    first = evalue.strip().splitlines()[0] if evalue.strip() else ""
    return f"{ename}: {first}"[:160] if first else ename


def graded_cell_result(notebook: str, cell, index: int) -> TestResult:
    """Pass/fail of one graded test cell, read from its saved outputs (nbgrader's rule)."""
    meta = _nbgrader(cell)
    grade_id, points = meta.get("grade_id", f"cell {index}"), float(meta.get("points", 0))
    if cell.get("execution_count") is None:
        return TestResult(notebook, grade_id, points, "not run", "cell has not been run")
    outputs = cell.get("outputs", [])
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if errors:
        return TestResult(notebook, grade_id, points, "fail", _error_line(errors[-1]))
    if any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in outputs):
        return TestResult(notebook, grade_id, points, "fail", "the cell wrote to stderr (a warning?)")
    for output in outputs:
        if output.get("output_type") == "execute_result":
            try:
                score = float(_text(output.get("data", {}).get("text/plain", "")))
            except ValueError:
                continue
            if score < points:
                return TestResult(notebook, grade_id, points, "fail", f"partial credit {score:g}/{points:g}")
    return TestResult(notebook, grade_id, points, "pass")


def _cells(numbers: list[int]) -> str:
    return (f"code cell {numbers[0]}" if len(numbers) == 1
            else "code cells " + ", ".join(map(str, numbers)))


def check_notebook(name: str, nb: dict, report: CheckReport) -> None:
    """Add the notebook's problems and its graded cells' results to `report`."""
    last_count, code_index, unrun, disordered, unanswered = 0, 0, [], [], []
    for cell in nb.get("cells", []):
        meta = _nbgrader(cell)
        source = _text(cell.get("source"))
        if cell.get("cell_type") == "markdown" and meta.get("solution") and (
                "YOUR ANSWER HERE" in source or not source.strip()):
            unanswered.append(meta.get("grade_id", "?"))
        if cell.get("cell_type") != "code" or not source.strip():
            continue
        code_index += 1
        count = cell.get("execution_count")
        if count is None:
            unrun.append(code_index)
        elif count <= last_count:
            disordered.append(code_index)
        last_count = count or last_count
        if meta.get("grade") and not meta.get("solution"):
            report.tests.append(graded_cell_result(name, cell, code_index))
        elif any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            error = next(o for o in cell["outputs"] if o.get("output_type") == "error")
            report.problems.append(f"{name}, code cell {code_index} shows an error: {_error_line(error)}")
    if unanswered:
        report.problems.append(
            f"{name}: {len(unanswered)} written answer{'s' if len(unanswered) > 1 else ''} still "
            f"empty ('YOUR ANSWER HERE'): {', '.join(unanswered)}")
    if unrun:
        report.problems.append(f"{name}: {_cells(unrun)} not run (Kernel -> Restart & Run All)")
    if disordered:
        report.problems.append(f"{name}: {_cells(disordered)} ran out of order "
                               "(Kernel -> Restart & Run All)")


def _imports(nb, stem: str) -> bool:
    """Whether a code cell of the notebook names the module (an import of nndl.<stem>)."""
    return any(cell.get("cell_type") == "code" and re.search(rf"\b{re.escape(stem)}\b", _text(cell.get("source")))
               for cell in nb.get("cells", []))


def near_names(folder: Path, expected: str) -> list[str]:
    """Notebooks that look like renamed copies of `expected` ("x (1).ipynb", "x-Copy1.ipynb")."""
    stem = Path(expected).stem.lower()
    return sorted(p.name for p in folder.glob("*.ipynb")
                  if p.name != expected and p.stem.lower().startswith(stem))


def _is_stub(raise_node) -> bool:
    """Whether a `raise` is a stub left to fill in: NotImplementedError bare, without a
    message, or with the release's "implement ..." message. A given abstract method raises it
    with a message of its own, and is not a student's unfinished work."""
    exc = raise_node.exc
    call = exc if isinstance(exc, ast.Call) else None
    name = call.func if call is not None else exc
    if not (isinstance(name, ast.Name) and name.id == "NotImplementedError"):
        return False
    if call is None or not call.args:
        return True
    message = call.args[0]
    return isinstance(message, ast.Constant) and str(message.value).startswith("implement ")


def unfinished_functions(source: str) -> list[str]:
    """Functions ("Class.method" or "function") whose body still holds a stub."""
    names = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(isinstance(inner, ast.Raise) and inner.exc is not None and _is_stub(inner)
                       for inner in ast.walk(child)):
                    names.append(f"{prefix}{child.name}")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return names


def run_notebook(nb, folder: Path, timeout: float) -> str | None:
    """Execute `nb` in place, top to bottom, in a fresh kernel of this Python started in
    `folder` (errors kept as outputs, like Restart & Run All). `timeout`: seconds a cell may
    take. Returns None, or why the run stopped early (the cells after it stay unexecuted)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    for cell in nb.cells:   # start from a clean notebook: saved outputs must not count
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with tempfile.TemporaryDirectory(prefix="nndl-check-") as sockets:
        manager = None
        if os.name == "posix":   # local sockets: no open TCP port, and no warning about one
            from jupyter_client.manager import AsyncKernelManager   # what nbclient drives
            manager = AsyncKernelManager(kernel_name="python3", transport="ipc",
                                    ip=os.path.join(sockets, "kernel"))
        client = NotebookClient(nb, km=manager, allow_errors=True, timeout=timeout,
                                kernel_name="python3", resources={"metadata": {"path": str(folder)}})
        try:
            client.execute(cleanup_kc=True)   # shut the kernel down after, even on a given km
        except CellTimeoutError:
            return f"a cell ran longer than {timeout:g} s (--timeout SECONDS allows more)"
        except DeadKernelError:
            return "the kernel died (out of memory? a crash in your code?)"
    return None


def check_assignment(folder: Path, manifest: dict,
                     execute: float | None = None) -> tuple[CheckReport, dict]:
    """Checks every notebook and module; returns the report and the notebooks read.
    execute: None checks the notebooks as saved; a number of seconds (a cell's time limit)
    first runs each one afresh (run_notebook; the files are not changed)."""
    import nbformat
    report, notebooks = CheckReport(), {}
    for name in manifest["notebooks"]:
        path = folder / name
        if not path.exists():
            hint = near_names(folder, name)
            report.problems.append(f"{name} is missing" + (
                f" (found {', '.join(hint)}: rename it to {name})" if hint else ""))
            continue
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as error:   # a broken file is a problem to list, not a crash
            report.problems.append(f"{name} cannot be read as a notebook: {error}")
            continue
        if execute is not None:
            print(f"running {name} from the top in a fresh kernel ...", flush=True)
            stopped = run_notebook(nb, folder, execute)
            if stopped:
                report.problems.append(f"{name} did not run to the end: {stopped}")
        notebooks[name] = nb
        check_notebook(name, nb, report)
    # A run just now used the modules as they are: saved outputs cannot be stale.
    saved = {name: (folder / name).stat().st_mtime for name in notebooks} if execute is None else {}
    for module in manifest["student_modules"]:
        path = folder / module
        if not path.exists():
            report.problems.append(f"{module} is missing")
            continue
        stale = [name for name, when in saved.items() if path.stat().st_mtime > when + 1
                 and _imports(notebooks[name], Path(module).stem)]
        if stale:
            report.problems.append(f"{module} changed after {', '.join(stale)} was last saved: "
                                   "Restart & Run All, save, then run this again")
        source = path.read_text(encoding="utf-8")
        try:
            unfinished = unfinished_functions(source)
        except SyntaxError as error:
            report.problems.append(f"{module}, line {error.lineno}: syntax error ({error.msg})")
            continue
        if unfinished:
            report.problems.append(f"{module}: still raises NotImplementedError in "
                                   f"{', '.join(unfinished)}")
    return report, notebooks


# ---------------------------------------------------------------- HTML parts

def find_browser(explicit: str | None = None) -> str | None:
    """A Chrome, Chromium or Edge executable, or None."""
    explicit = explicit or os.environ.get("NNDL_BROWSER")
    if explicit:
        found = shutil.which(explicit) or (explicit if Path(explicit).exists() else None)
        if not found:
            raise SubmitError(f"browser '{explicit}' not found")
        return found
    for name in BROWSER_NAMES:
        if shutil.which(name):
            return shutil.which(name)
    for path in BROWSER_PATHS:
        path = os.path.expandvars(path)
        if "%" not in path and Path(path).exists():
            return path
    return None


def find_mathjax() -> tuple[str, str] | None:
    """(MathJax.js URL with its config, extra config script) of a local MathJax 2, or None."""
    try:
        import jupyter_server_mathjax
        static = Path(jupyter_server_mathjax.__file__).parent / "static" / "MathJax.js"
    except ImportError:
        static = None
    if static and static.exists():
        # This copy ships only the STIX-Web fonts: say so, or MathJax falls back to crude glyphs.
        # No automatic line breaks: in table cells they split short formulas over many lines.
        config = ('MathJax.Hub.Config({"HTML-CSS": {availableFonts: ["STIX-Web"], '
                  'preferredFont: "STIX-Web", webFont: "STIX-Web", imageFont: null, '
                  'linebreaks: {automatic: false}}, showMathMenu: false, messageStyle: "none"});')
        return static.as_uri() + "?config=TeX-AMS-MML_HTMLorMML-full", config
    if DEBIAN_MATHJAX.exists():
        return (DEBIAN_MATHJAX.as_uri() + "?config=TeX-AMS-MML_HTMLorMML",
                'MathJax.Hub.Config({showMathMenu: false, messageStyle: "none"});')
    return None


def _with_head(page: str, extra: str) -> str:
    return page.replace("</head>", extra + "\n</head>", 1)


# Code (kept as is), then math: $$…$$ or $…$, never across a blank line.
_CODE_OR_MATH = re.compile(r"(```.*?```|`[^`\n]*`)|(\$\$(?:[^$]|\n(?!\s*\n))+?\$\$|"
                           r"\$(?:[^$\n]|\n(?!\s*\n))+?\$)", re.S)


def join_math_lines(markdown: str) -> str:
    """Math with its line breaks turned into spaces. Jupyter shields math from the markdown
    parser, nbconvert does not: a line inside $…$ that starts with `>`, `-` or `1.` would become
    a quote or a list and tear the formula apart. For TeX a space is the same as a newline."""
    def join(match):
        code, math = match.groups()
        if code or not re.search(r"[\\^_]", math):   # code, or dollars that are not TeX
            return match.group(0)
        return math.replace("\n", " ")
    return _CODE_OR_MATH.sub(join, markdown)


# nbconvert's stream coalescing: consecutive prints become one output, and of a line that a
# progress bar rewrote with carriage returns only the last state stays (what a terminal shows).
EXPORT_CONFIG = {"CoalesceStreamsPreprocessor": {"enabled": True}}


def notebook_html(nb, title: str, folder: Path, mathjax: tuple[str, str]) -> str:
    """The notebook as nbconvert's lab HTML, with a local MathJax and wrapping code."""
    import copy
    from nbconvert import HTMLExporter
    from traitlets.config import Config
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = join_math_lines(cell.source)
    exporter = HTMLExporter(template_name="lab", embed_images=True, config=Config(EXPORT_CONFIG))
    exporter.mathjax_url = mathjax[0]
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"path": str(folder)}})
    extra = (f'<script type="text/x-mathjax-config">{mathjax[1]}\n{FIT_SCRIPT}</script>\n'
             f"<style>{PAGE_CSS}</style>")
    page = _with_head(page, extra)
    return re.sub(r"(<body[^>]*>)", rf'\1<div class="nndl-part">{html.escape(title)}</div>', page, count=1)


def listing_html(relative: str, source: str) -> str:
    """A syntax-highlighted listing with line numbers; long lines wrap under their number."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
    formatter = HtmlFormatter(nowrap=True, style="default")
    body = highlight(source, PythonLexer(stripnl=False, ensurenl=True), formatter)
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows = "\n".join(f'<tr><td class="ln">{number}</td><td class="code">{line or " "}</td></tr>'
                     for number, line in enumerate(lines, 1))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(relative)}</title>'
            f"<style>{LISTING_CSS}\n{formatter.get_style_defs('.code')}</style></head><body>"
            f'<h1>{html.escape(relative)}</h1><table class="listing">{rows}</table></body></html>')


def cover_html(manifest: dict, who: dict, report: CheckReport, when: datetime.datetime,
               parts: list[str]) -> str:
    esc = html.escape
    failed = [t for t in report.tests if t.status != "pass"]
    rows = "".join(
        f'<tr><td>{esc(t.notebook)}</td><td>{esc(t.grade_id)}</td><td>{t.points:g}</td>'
        f'<td class="{t.status.replace(" ", "")}">{t.status}</td><td>{esc(t.detail)}</td></tr>'
        for t in report.tests)
    problems = ("<ul>" + "".join(f"<li>{esc(p)}</li>" for p in report.problems) + "</ul>"
                if report.problems else "<p>None found.</p>")
    contents = "<ol>" + "".join(f"<li>{esc(p)}</li>" for p in parts) + "</ol>"
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{COVER_CSS}</style></head><body>'
            f'<h1>{esc(manifest["id"])}: {esc(manifest.get("title", ""))}</h1>'
            f'<table class="who"><tr><td>Name</td><td><b>{esc(who["name"])}</b></td></tr>'
            f'<tr><td>Student ID</td><td><b>{esc(who["student_id"])}</b></td></tr>'
            f'<tr><td>Generated</td><td>{esc(when.strftime("%Y-%m-%d %H:%M %Z").strip())}</td></tr></table>'
            f"<h2>Visible tests: {report.passed_tests} of {len(report.tests)} passed</h2>"
            "<p>Read from the saved outputs of the graded test cells. The autograder re-runs "
            "everything and adds hidden tests.</p>"
            + (f"<table><tr><th>notebook</th><th>test</th><th>points</th><th>result</th>"
               f"<th>detail</th></tr>{rows}</table>" if report.tests else "<p>No graded cells found.</p>")
            + (f"<p class='fail'>{len(failed)} test(s) not passing.</p>" if failed else "")
            + f"<h2>Problems to fix</h2>{problems}<h2>Contents</h2>{contents}</body></html>")


def cover_markdown(manifest: dict, who: dict, report: CheckReport, when: datetime.datetime,
                   parts: list[str]) -> str:
    """The cover for the LaTeX route, as one markdown cell."""
    def cell(text):
        return str(text).replace("|", "/").replace("\n", " ")
    lines = [f"# {manifest['id']}: {manifest.get('title', '')}", "",
             f"**Name:** {cell(who['name'])}  ", f"**Student ID:** {cell(who['student_id'])}  ",
             f"**Generated:** {when.strftime('%Y-%m-%d %H:%M %Z').strip()}", "",
             f"## Visible tests: {report.passed_tests} of {len(report.tests)} passed", ""]
    if report.tests:
        lines += ["| notebook | test | points | result | detail |", "|---|---|---|---|---|"]
        lines += [f"| {cell(t.notebook)} | {cell(t.grade_id)} | {t.points:g} | {t.status} | "
                  f"{cell(t.detail)} |" for t in report.tests]
    lines += ["", "## Problems to fix", ""]
    lines += [f"- {cell(p)}" for p in report.problems] or ["None found."]
    lines += ["", "## Contents", ""] + [f"{n}. {cell(p)}" for n, p in enumerate(parts, 1)]
    return "\n".join(lines)


# ---------------------------------------------------------------- printing

def print_pdf(browser: str, page: Path, pdf: Path, budget_ms: int = TIME_BUDGET_MS) -> None:
    """Print one HTML file to PDF with a headless browser (fresh profile, no network chatter)."""
    with tempfile.TemporaryDirectory(prefix="nndl-browser-") as profile:
        command = [browser, "--headless", "--disable-gpu", "--no-first-run",
                   "--no-default-browser-check", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--disable-extensions",
                   "--allow-file-access-from-files", f"--user-data-dir={profile}",
                   "--no-pdf-header-footer", "--print-to-pdf-no-header",
                   f"--virtual-time-budget={budget_ms}", f"--print-to-pdf={pdf}", page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")   # Chrome refuses to run sandboxed as root
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise SubmitError(f"{browser} did not finish printing {page.name} in {PRINT_TIMEOUT_S} s")
    if not pdf.exists() or pdf.stat().st_size == 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise SubmitError(f"{browser} wrote no PDF for {page.name} (exit {done.returncode}):\n{tail}")


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _allowed_tex_text(nb) -> str:
    """Text where TeX may legitimately stay raw: code, outputs, and markdown code spans."""
    chunks = []
    for cell in nb.get("cells", []):
        source = _text(cell.get("source"))
        if cell.get("cell_type") == "code":
            chunks.append(source)
            chunks.extend(_output_text(o) for o in cell.get("outputs", []))
        elif cell.get("cell_type") == "markdown":
            chunks.extend(re.findall(r"```.*?```|`[^`\n]+`", source, flags=re.S))
    return "\n".join(chunks)


def raw_tex_leaks(rendered: str, allowed: str) -> list[str]:
    """TeX tokens that appear more often in the rendered text than in code and outputs."""
    def counts(text):
        found = {}
        for token in RAW_TEX.findall(text):
            found[token] = found.get(token, 0) + 1
        return found
    shown, expected = counts(rendered), counts(allowed)
    return sorted(token for token, n in shown.items() if n > expected.get(token, 0))


# Content-stream operators that put something on the page whatever the colour.
_MARKS = {b"Tj", b"TJ", b"'", b'"', b"Do", b"sh", b"INLINE IMAGE", b"BI"}
_FILLS, _STROKES = {b"f", b"F", b"f*"}, {b"S", b"s"}
_BOTH = {b"B", b"B*", b"b", b"b*"}


def _white(operator: bytes, operands) -> bool:
    values = [float(value) for value in operands]
    return ((operator in (b"rg", b"RG") and values == [1, 1, 1])
            or (operator in (b"g", b"G") and values == [1])
            or (operator in (b"k", b"K") and values == [0, 0, 0, 0]))


def paints_nothing(page) -> bool:
    """Whether a printed page shows nothing: no text, image or shading, and no path painted in
    a colour other than white (the browser fills each page's background white). A page that
    holds only a drawing (an SVG figure) paints black or coloured paths, so it counts."""
    from pypdf.generic import ContentStream
    contents = page.get_contents()
    if contents is None:
        return True
    white = {"fill": False, "stroke": False}   # PDF's initial colour is black
    saved = []
    for operands, operator in ContentStream(contents, page.pdf).operations:
        if operator in _MARKS:
            return False
        if operator == b"q":
            saved.append(dict(white))
        elif operator == b"Q" and saved:
            white = saved.pop()
        elif operator in (b"rg", b"g", b"k", b"sc", b"scn", b"cs"):
            white["fill"] = _white(operator, operands) if operator in (b"rg", b"g", b"k") else False
        elif operator in (b"RG", b"G", b"K", b"SC", b"SCN", b"CS"):
            white["stroke"] = _white(operator, operands) if operator in (b"RG", b"G", b"K") else False
        elif ((operator in _FILLS and not white["fill"]) or (operator in _STROKES and not white["stroke"])
              or (operator in _BOTH and not (white["fill"] and white["stroke"]))):
            return False
    return True


def merge(parts: list[tuple[str, Path]], out: Path) -> int:
    """One PDF with a bookmark per part, without the pages that show nothing (a browser can
    leave one after content that ends at the foot of a page); returns the page count."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    for title, path in parts:
        reader = PdfReader(path)
        shown = [index for index, page in enumerate(reader.pages) if not paints_nothing(page)]
        writer.append(reader, outline_item=title, pages=shown or [0], import_outline=False)
    writer.page_mode = "/UseOutlines"
    with open(out, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)


def build_pdf_browser(browser: str, mathjax: tuple[str, str], folder: Path, manifest: dict,
                      notebooks: dict, cover: str, work: Path, out: Path) -> int:
    """Cover, notebooks, listings: each printed on its own, then merged with bookmarks."""
    jobs = [("Cover", "cover", cover, None)]
    for name, nb in notebooks.items():
        jobs.append((name, f"nb{len(jobs)}", notebook_html(nb, name, folder, mathjax), nb))
    for module in manifest["student_modules"]:
        path = folder / module
        if path.exists():
            jobs.append((module, f"py{len(jobs)}", listing_html(module, path.read_text(encoding="utf-8")), None))
    for _, stem, page, _ in jobs:
        (work / f"{stem}.html").write_text(page, encoding="utf-8")
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda job: print_pdf(browser, work / f"{job[1]}.html", work / f"{job[1]}.pdf"), jobs))
    leaks = []
    for title, stem, _, nb in jobs:
        if nb is not None:
            found = raw_tex_leaks(pdf_text(work / f"{stem}.pdf"), _allowed_tex_text(nb))
            if found:
                leaks.append(f"{title}: {' '.join(found)}")
    if leaks:
        raise SubmitError("the PDF would show raw TeX, so MathJax did not typeset some math:\n  "
                          + "\n  ".join(leaks) + "\nCheck those formulas in your markdown cells "
                          "(a TeX error shows in red in Jupyter), then run this again.")
    return merge([(title, work / f"{stem}.pdf") for title, stem, _, _ in jobs], out)


def build_pdf_latex(folder: Path, manifest: dict, notebooks: dict, cover: str, work: Path,
                    out: Path) -> int:
    """Fallback without a browser: nbconvert's xelatex route. `cover` is markdown; the
    listings are code cells (highlighted, not numbered)."""
    import nbformat
    from nbconvert import PDFExporter
    from traitlets.config import Config
    parts = []
    for name, nb in notebooks.items():
        parts.append((name, nb))
    for module in manifest["student_modules"]:
        path = folder / module
        if path.exists():
            parts.append((module, nbformat.v4.new_notebook(cells=[
                nbformat.v4.new_markdown_cell(f"# `{module}`"),
                nbformat.v4.new_code_cell(path.read_text(encoding="utf-8"))])))
    parts.insert(0, ("Cover", nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(cover)])))
    exporter = PDFExporter(config=Config(EXPORT_CONFIG))
    written = []
    for index, (title, nb) in enumerate(parts):
        try:
            data, _ = exporter.from_notebook_node(nb, resources={"metadata": {"path": str(folder),
                                                                              "name": title}})
        except Exception as error:   # nbconvert raises LatexFailed, PandocMissing, ...
            tail = "\n".join(str(error).strip().splitlines()[-8:])
            raise SubmitError(f"the LaTeX route failed on {title}:\n{tail}\n"
                              "Installing Chrome, Chromium or Edge gives the more robust route.")
        pdf = work / f"part{index}.pdf"
        pdf.write_bytes(data)
        written.append((title, pdf))
    return merge(written, out)


# ---------------------------------------------------------------- zip

def code_files(folder: Path, manifest: dict) -> list[str]:
    """Relative paths that go into the code zip: notebooks, then student modules."""
    return [p for p in list(manifest["notebooks"]) + list(manifest["student_modules"])
            if (folder / p).exists()]


def write_zip(folder: Path, manifest: dict, out: Path) -> list[str]:
    files = code_files(folder, manifest)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative in files:
            archive.write(folder / relative, relative)
    return files


# ---------------------------------------------------------------- command

NO_MATHJAX = ("no local MathJax copy found: update the course environment "
              "(conda env update -f environment.yml installs jupyter-server-mathjax)")


def install_hint() -> str:
    return ("No way to print the PDF was found. Install one of:\n"
            "  - Google Chrome, Chromium or Microsoft Edge (any recent version), then run this again;\n"
            "    if it is installed somewhere unusual: --browser /path/to/chrome\n"
            "    (Debian/Ubuntu: sudo apt-get install chromium)\n"
            "  - or a TeX distribution with xelatex (TeX Live, MacTeX, MiKTeX) and pandoc\n"
            "    (conda install -c conda-forge pandoc)")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m nndl.submit", description=__doc__.split("\n")[0])
    parser.add_argument("--name", help="your full name (remembered in " + STUDENT_FILE + ")")
    parser.add_argument("--student-id", help="your student ID (remembered too)")
    parser.add_argument("--folder", type=Path, default=None,
                        help="the assignment folder (default: the one holding this nndl/)")
    parser.add_argument("--browser", help="Chrome/Chromium/Edge executable (default: searched; "
                                          "or $NNDL_BROWSER)")
    parser.add_argument("--route", choices=("auto", "browser", "latex"), default="auto",
                        help="how to print the PDF (default: a browser, else xelatex)")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 when a check or a visible test fails")
    parser.add_argument("--check", action="store_true",
                        help="only check: run every notebook afresh (your files are not changed), "
                             "list failing tests and errors, write nothing; exit 1 on a failure")
    parser.add_argument("--timeout", type=float, default=CHECK_TIMEOUT_S,
                        help=f"with --check: seconds a cell may run (default {CHECK_TIMEOUT_S})")
    return parser.parse_args(argv)


def print_report(report: CheckReport) -> None:
    for test in report.tests:
        print(f"  {test.status:7}  {test.notebook} / {test.grade_id} ({test.points:g} pt)"
              + (f"  {test.detail}" if test.detail else ""))
    print(f"Visible tests: {report.passed_tests} of {len(report.tests)} passed")
    if report.problems:
        print("Fix before you submit:")
        for problem in report.problems:
            print(f"  - {problem}")


def check_only(folder: Path, timeout: float) -> int:
    """--check: run every notebook afresh and report; 0 when all passes, 1 otherwise."""
    manifest = read_manifest(folder)
    print(f"{manifest['id']}: checking {folder} (your files are not changed)")
    report, _ = check_assignment(folder, manifest, execute=timeout)
    print_report(report)
    failing = report.problems or report.passed_tests < len(report.tests)
    print("Some checks fail: fix them, then run this again." if failing else
          "Every visible test passes. Hidden tests run again when grading.")
    return 1 if failing else 0


def main(argv=None) -> int:
    # nbformat imports jsonschema, whose optional rfc3987_syntax dependency builds a grammar
    # at import (0.7-2 s) for a format check nbformat never runs: mark it absent.
    sys.modules.setdefault("rfc3987_syntax", None)
    args = parse_args(argv)
    folder = (args.folder or assignment_folder()).resolve()
    try:
        if args.check:
            return check_only(folder, args.timeout)
        manifest = read_manifest(folder)
        who = student_identity(folder, args.name, args.student_id, sys.stdin.isatty())
        report, notebooks = check_assignment(folder, manifest)
        print(f"{manifest['id']}: checking {folder}")
        print_report(report)
        browser = None if args.route == "latex" else find_browser(args.browser)
        mathjax = find_mathjax()
        xelatex = shutil.which("xelatex") and shutil.which("pandoc")
        if args.route == "browser" and not (browser and mathjax):
            raise SubmitError(install_hint() if not browser else NO_MATHJAX)
        parts = (list(notebooks) + [m for m in manifest["student_modules"] if (folder / m).exists()])
        now = datetime.datetime.now().astimezone()
        pdf_out = folder / f"{manifest['id']}_submission.pdf"
        zip_out = folder / f"{manifest['id']}_code.zip"
        files = write_zip(folder, manifest, zip_out)
        print(f"Wrote {zip_out.name} ({len(files)} files): upload it to the code assignment on Gradescope.")
        pdf_out.unlink(missing_ok=True)   # never leave an outdated PDF behind when this one fails
        with tempfile.TemporaryDirectory(prefix="nndl-submit-") as tmp:
            work, pdf_tmp = Path(tmp), Path(tmp) / "submission.pdf"
            if browser and mathjax:
                cover = cover_html(manifest, who, report, now, parts)
                pages = build_pdf_browser(browser, mathjax, folder, manifest, notebooks, cover, work, pdf_tmp)
            elif xelatex and args.route != "browser":
                cover = cover_markdown(manifest, who, report, now, parts)
                pages = build_pdf_latex(folder, manifest, notebooks, cover, work, pdf_tmp)
            elif browser:
                raise SubmitError(NO_MATHJAX)
            else:
                raise SubmitError(install_hint())
            shutil.move(pdf_tmp, pdf_out)
    except SubmitError as error:
        print(f"submit: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {pdf_out.name} ({pages} pages): upload it to the PDF assignment on Gradescope.")
    failing = report.problems or report.passed_tests < len(report.tests)
    return 1 if args.strict and failing else 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m nndl.submit`: checks, the PDF (math, listings, bookmarks, figures) and the code zip.

The PDF tests print with a real headless browser. They are skipped only when no browser is
installed and CI is not set; in CI (CI=true) a missing browser fails them
(.ci/install-browser.sh installs Chromium).
"""
from pathlib import Path
import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
import pytest

ROOT = Path(__file__).resolve().parent.parent
SUBMIT_PY = ROOT / "common" / "nndl" / "submit.py"
PYTHON = sys.executable


def load_submit():
    spec = importlib.util.spec_from_file_location("nndl_submit_under_test", SUBMIT_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


submit = load_submit()
BROWSER = submit.find_browser()
IN_CI = os.environ.get("CI", "").lower() == "true"
needs_browser = pytest.mark.skipif(
    BROWSER is None and not IN_CI,
    reason="no Chrome/Chromium/Edge installed (run .ci/install-browser.sh); CI=true never skips")

MODULE_SOURCE = '''"""Tiny statistics. Shapes: N examples."""
import numpy as np


def sum_of_squares(x):
    """x: (N,) array. Returns the sum of x_i squared."""
    return float(np.sum(x ** 2))


def mean(x):
    """x: (N,). Returns the mean."""
    return float(np.mean(x))  # a long comment that goes on and on so that the listing must wrap it onto the next line WRAPTAIL
'''


def graded(source, grade_id, points):
    return new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "grade_id": grade_id, "locked": True, "points": points,
        "schema_version": 3, "solution": False, "task": False}})


def tiny_notebook():
    return new_notebook(cells=[
        new_markdown_cell("# Sums of squares\n$$S = \\sum_{i=1}^{N} x_i^2, \\qquad "
                          "\\bar x = \\frac{1}{N}\\sum_{i=1}^N x_i.$$\nInline: $\\mathbf{w}^\\top x$."),
        new_code_cell("%load_ext autoreload\n%autoreload 2\nimport numpy as np\n"
                      "import matplotlib.pyplot as plt\nfrom nndl.stats import sum_of_squares, mean"),
        new_markdown_cell("\\begin{align}\nL &= \\frac{1}{2}\\lVert y - Xw \\rVert^2\n\\end{align}"),
        new_markdown_cell("An indicator that starts a line: $G_{ic} = \\mathbb{1}[M_{ic}\n> 0]$ each."),
        graded("assert sum_of_squares(np.arange(4.0)) == 14.0, 'wrong sum'", "test_sum", 2),
        graded("assert mean(np.arange(3.0)) == 5.0, 'fails on purpose'", "test_mean", 1),
        new_code_cell("print('LONGOUT' + 'ab' * 120 + 'ENDOUT')  # " + "long code line " * 12 + "CODETAIL"),
        new_code_cell("fig, ax = plt.subplots(figsize=(4, 3))\nax.plot(np.arange(10) ** 2)\n"
                      "ax.set_title('squares')\nplt.show()"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def execute_in_place(folder: Path, names) -> None:
    """Run each notebook top to bottom like Restart & Run All (errors kept as outputs)."""
    import nbclient
    for name in names:
        nb = nbformat.read(folder / name, as_version=4)
        nbclient.NotebookClient(nb, allow_errors=True, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(folder)}}).execute()
        nbformat.write(nb, folder / name)


def place_submit(folder: Path) -> None:
    shutil.copyfile(SUBMIT_PY, folder / "nndl" / "submit.py")


@pytest.fixture(scope="module")
def tiny_assignment(tmp_path_factory) -> Path:
    """An executed one-notebook assignment 'hwx' with one passing and one failing test."""
    folder = tmp_path_factory.mktemp("submit") / "hwx"
    (folder / "nndl").mkdir(parents=True)
    (folder / "nndl" / "__init__.py").write_text("")
    (folder / "nndl" / "stats.py").write_text(MODULE_SOURCE)
    (folder / "nndl" / "manifest.toml").write_text(
        'id = "hwx"\ntitle = "Tiny"\ndue = 2027-02-12T23:59:00-08:00\n'
        'notebooks = ["squares.ipynb"]\nstudent_modules = ["nndl/stats.py"]\n'
        'helpers = ["submit.py"]\n[points]\n"squares.ipynb" = 3\n')
    place_submit(folder)
    nbformat.write(tiny_notebook(), folder / "squares.ipynb")
    execute_in_place(folder, ["squares.ipynb"])
    return folder


def run_submit(folder: Path, *extra) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(folder))
    return subprocess.run([PYTHON, "-m", "nndl.submit", "--name", "Ada Lovelace",
                           "--student-id", "12345678", *extra],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=900)


def outline(pdf: Path) -> list[tuple[str, int]]:
    from pypdf import PdfReader
    reader = PdfReader(pdf)
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def page_is_blank(pdf: Path, page: int, tmp_path: Path) -> bool:
    """Render one page with pdftoppm and look for any non-white pixel."""
    assert shutil.which("pdftoppm"), "pdftoppm missing: apt-get install poppler-utils"
    prefix = tmp_path / f"page{page}"
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(page), "-l", str(page),
                    "-singlefile", "-png", str(pdf), str(prefix)], check=True)
    from matplotlib.image import imread
    pixels = imread(str(prefix) + ".png")
    return bool((pixels > 0.95).all())


# ------------------------------------------------------------------ checks (no browser)

def test_does_an_unrun_or_out_of_order_notebook_get_listed():
    first, second, third = new_code_cell("a = 1"), new_code_cell("b = 2"), new_code_cell("c = 3")
    first.execution_count, second.execution_count = 3, 2
    report = submit.CheckReport()
    submit.check_notebook("x.ipynb", new_notebook(cells=[first, second, third]), report)
    assert report.problems == [
        "x.ipynb: code cell 3 not run (Kernel -> Restart & Run All)",
        "x.ipynb: code cell 2 ran out of order (Kernel -> Restart & Run All)"], report.problems


def test_is_a_graded_cell_with_an_error_or_stderr_a_failure():
    ok = graded("assert True", "t_ok", 1)
    bad = graded("assert False", "t_bad", 2)
    noisy = graded("warn()", "t_noisy", 1)
    partial = graded("0.5", "t_partial", 1)
    for count, cell in enumerate([ok, bad, noisy, partial], 1):
        cell.execution_count = count
    bad.outputs = [new_output("error", ename="AssertionError", evalue="dx is off\nmore", traceback=[])]
    noisy.outputs = [new_output("stream", name="stderr", text="RuntimeWarning: overflow")]
    partial.outputs = [new_output("execute_result", data={"text/plain": "0.5"}, execution_count=4)]
    report = submit.CheckReport()
    submit.check_notebook("x.ipynb", new_notebook(cells=[ok, bad, noisy, partial]), report)
    status = {t.grade_id: (t.status, t.detail) for t in report.tests}
    assert status["t_ok"] == ("pass", "")
    assert status["t_bad"] == ("fail", "AssertionError: dx is off")
    assert status["t_noisy"][0] == "fail"
    assert status["t_partial"] == ("fail", "partial credit 0.5/1")
    assert report.problems == []   # graded-cell errors are test results, not problems


def test_are_missing_and_renamed_files_named(tmp_path):
    (tmp_path / "nndl").mkdir()
    (tmp_path / "squares (1).ipynb").write_text("{}")
    (tmp_path / "nndl" / "stats.py").write_text("def f():\n    raise NotImplementedError()\n")
    manifest = {"notebooks": ["squares.ipynb"], "student_modules": ["nndl/stats.py", "nndl/more.py"]}
    report, notebooks = submit.check_assignment(tmp_path, manifest)
    assert notebooks == {}
    assert "squares.ipynb is missing (found squares (1).ipynb: rename it to squares.ipynb)" in report.problems
    assert "nndl/more.py is missing" in report.problems
    assert "nndl/stats.py: still raises NotImplementedError in f" in report.problems


def test_is_a_module_edited_after_the_notebook_flagged(tmp_path):
    """Saved outputs no longer describe a module changed since: the student must re-run."""
    (tmp_path / "nndl").mkdir()
    nbformat.write(new_notebook(cells=[new_code_cell("from nndl.stats import mean")]), tmp_path / "a.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), tmp_path / "b.ipynb")
    module = tmp_path / "nndl" / "stats.py"
    module.write_text("def mean(x):\n    return 0\n")
    later = (tmp_path / "a.ipynb").stat().st_mtime + 60
    os.utime(module, (later, later))
    manifest = {"notebooks": ["a.ipynb", "b.ipynb"], "student_modules": ["nndl/stats.py"]}
    report, _ = submit.check_assignment(tmp_path, manifest)
    stale = [p for p in report.problems if "changed after" in p]
    assert stale == ["nndl/stats.py changed after a.ipynb was last saved: Restart & Run All, "
                     "save, then run this again"], report.problems


def test_does_math_survive_a_line_that_looks_like_markdown():
    assert submit.join_math_lines("$G = \\mathbb{1}[M\n> 0]$ and\n$$a\n- b_1$$") == \
        "$G = \\mathbb{1}[M > 0]$ and\n$$a - b_1$$"
    kept = "costs $5 a\nday, or $6\n\nwith `$x\n` and\n```\n$a_1\nb$\n```"
    assert submit.join_math_lines(kept) == kept


def test_does_raw_tex_count_only_outside_code():
    allowed = "title = r'$\\frac{a}{b}$'"
    assert submit.raw_tex_leaks("x = 1 \\frac{a}{b}", allowed) == []
    assert submit.raw_tex_leaks("\\frac{a}{b} and $$ \\frac{1}{2} $$", allowed) == ["$$", "\\frac"]
    assert submit.raw_tex_leaks("the top of \\topology", "") == []


def test_is_the_student_asked_once_and_remembered(tmp_path):
    with pytest.raises(submit.SubmitError, match="--student-id"):
        submit.student_identity(tmp_path, None, None, interactive=False)
    submit.student_identity(tmp_path, "Ada Lovelace", "42", interactive=False)
    assert submit.student_identity(tmp_path, None, None, interactive=False) == {
        "name": "Ada Lovelace", "student_id": "42"}


def test_does_it_say_what_to_install_without_a_route(tiny_assignment, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "hwx"
    shutil.copytree(tiny_assignment, folder)
    (folder / "hwx_submission.pdf").write_bytes(b"%PDF- an outdated one")
    monkeypatch.setattr(submit, "find_browser", lambda explicit=None: None)
    monkeypatch.setattr(submit.shutil, "which", lambda name: None)
    status = submit.main(["--folder", str(folder), "--name", "A", "--student-id", "1"])
    assert status == 2
    message = capsys.readouterr().err
    assert "Chromium" in message and "xelatex" in message
    assert not (folder / "hwx_submission.pdf").exists()    # the old one is gone too
    assert (folder / "hwx_code.zip").exists()              # the code can still be handed in


# ------------------------------------------------------------------ the real PDF

@needs_browser
def test_does_the_tiny_assignment_give_a_complete_pdf_and_zip(tiny_assignment, tmp_path):
    done = run_submit(tiny_assignment)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fail     squares.ipynb / test_mean" in done.stdout
    assert "Visible tests: 1 of 2 passed" in done.stdout
    pdf = tiny_assignment / "hwx_submission.pdf"
    marks = outline(pdf)
    assert [title for title, _ in marks] == ["Cover", "squares.ipynb", "nndl/stats.py"]
    pages = [page for _, page in marks]
    assert pages[0] == 0 and pages == sorted(pages) and len(set(pages)) == 3
    from pypdf import PdfReader
    reader = PdfReader(pdf)
    assert len(reader.pages) in (3, 4, 5)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Ada Lovelace" in text and "12345678" in text
    assert "∑" in text and "⊤" in text                       # typeset by MathJax
    for raw in ("\\frac", "\\sum", "$$", "\\begin{align}", "\\lVert", "\\mathbb"):
        assert raw not in text, f"raw TeX {raw} in the PDF"
    assert "ENDOUT" in text and "CODETAIL" in text          # long lines wrapped, not clipped
    assert "WRAPTAIL" in text and "def sum_of_squares(x):" in text
    figures = sum(len(reader.pages[i].images) for i in range(pages[1], pages[2]))
    assert figures >= 1, "the matplotlib figure is missing"
    notebook_page = pages[1] + 1
    assert not page_is_blank(pdf, notebook_page, tmp_path)
    with zipfile.ZipFile(tiny_assignment / "hwx_code.zip") as archive:
        assert sorted(archive.namelist()) == ["nndl/stats.py", "squares.ipynb"]


@needs_browser
def test_does_it_refuse_a_pdf_with_raw_tex(tiny_assignment, tmp_path, monkeypatch, capsys):
    """MathJax that never loads leaves the TeX as text: the command must fail."""
    folder = tmp_path / "hwx"
    shutil.copytree(tiny_assignment, folder)
    monkeypatch.setattr(submit, "find_mathjax",
                        lambda: ((tmp_path / "nowhere" / "MathJax.js").as_uri(), ""))
    status = submit.main(["--folder", str(folder), "--name", "A", "--student-id", "1"])
    assert status == 2
    assert "raw TeX" in capsys.readouterr().err
    assert not (folder / "hwx_submission.pdf").exists()


# ------------------------------------------------------------------ layout: nothing cut, nothing blank

WIDE_TERMS = [f"T{i:02d}" for i in range(36)]      # one display, far wider than the page
MATRIX_TERMS = [f"M{i:02d}" for i in range(24)]    # a matrix row: no place to break it
LONG_WORD, LONG_WORD_COUNT = "incomprehensibilities", 40
ANSWER_WORDS = ("ANSWERONE", "ANSWERTWO", "ANSWERTHREE")
# Letter, 12 mm side margins (submit.PAGE_MARGINS), in PDF points.
PAGE_WIDTH_PT, SIDE_MARGIN_PT = 612.0, 12 / 25.4 * 72


def answer(source, grade_id, points=2):
    """A written-answer cell as nbgrader releases it (manually graded markdown)."""
    return new_markdown_cell(source, metadata={"nbgrader": {
        "grade": True, "grade_id": grade_id, "locked": False, "points": points,
        "schema_version": 3, "solution": True, "task": False}})


def layout_notebook():
    wide = " + ".join(f"\\text{{{term}}}\\,x_{{{i}}}" for i, term in enumerate(WIDE_TERMS))
    matrix = " & ".join(f"\\text{{{term}}}" for term in MATRIX_TERMS)
    return new_notebook(cells=[
        new_markdown_cell(f"A wide display:\n$$L = {wide}.$$"),
        new_markdown_cell("The no-loop identity of knn:\n$$\\|a - b\\|^2 = \\|a\\|^2 + \\|b\\|^2 - 2\\, a \\cdot b,"
                          "\n\\qquad\\text{so}\\qquad\nD^{\\circ 2} = \\mathbf{s}_{\\text{test}} \\mathbf{1}^\\top + "
                          "\\mathbf{1}\\, \\mathbf{s}_{\\text{train}}^\\top - 2\\, X_{\\text{test}} "
                          "X_{\\text{train}}^\\top,\\quad\\text{IDENTITYEND}$$"),
        new_markdown_cell(f"One matrix row:\n$$\\begin{{pmatrix}} {matrix} \\end{{pmatrix}}$$"),
        answer(f"**{ANSWER_WORDS[0]}**: L1 adds the differences, L2 squares them, so $d_2$ "
               f"weighs one large difference more.\n\n- {ANSWER_WORDS[1]} in a list", "answer_norms"),
        answer(f"{ANSWER_WORDS[2]}: the cost grows as $O(N D)$ per test image.", "answer_cost"),
        new_code_cell(f"word = '{LONG_WORD[:8]}' + '{LONG_WORD[8:]}'   # the source shows it split\n"
                      f"print(' '.join([word] * {LONG_WORD_COUNT}))\n"
                      "print('TOKEN' + 'ab' * 150 + 'TOKENEND')"),
        new_code_cell("from nndl.progress import progress\n"
                      "for step in progress(range(5), desc='PROGRESS' + 'BAR', mininterval=0, disable=False):\n"
                      "    pass"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


@pytest.fixture(scope="module")
def layout_pdf(tmp_path_factory) -> Path:
    """An executed notebook made to be hard to print, through `python -m nndl.submit`."""
    folder = tmp_path_factory.mktemp("layout") / "hwy"
    (folder / "nndl").mkdir(parents=True)
    (folder / "nndl" / "__init__.py").write_text("")
    shutil.copyfile(ROOT / "common" / "nndl" / "progress.py", folder / "nndl" / "progress.py")
    (folder / "nndl" / "manifest.toml").write_text(
        'id = "hwy"\ntitle = "Layout"\ndue = 2027-02-12T23:59:00-08:00\n'
        'notebooks = ["layout.ipynb"]\nstudent_modules = []\nhelpers = ["submit.py"]\n'
        '[points]\n"layout.ipynb" = 4\n')
    place_submit(folder)
    nbformat.write(layout_notebook(), folder / "layout.ipynb")
    execute_in_place(folder, ["layout.ipynb"])
    done = run_submit(folder)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder / "hwy_submission.pdf"


def pdf_words(pdf: Path) -> list[tuple[str, float, float]]:
    """(word, xMin, xMax) of every word poppler finds on the pages, in points."""
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install poppler-utils"
    import html
    import re
    page = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [(html.unescape(word), float(x0), float(x1)) for x0, x1, word in
            re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', page)]


def layout_text(pdf: Path) -> str:
    from pypdf import PdfReader
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@needs_browser
def test_do_wide_equations_fit_the_page(layout_pdf):
    """Every term of a display far wider than the column is printed (a clipped one is not),
    and no word reaches into the side margins or past the page."""
    words = pdf_words(layout_pdf)
    text = " ".join(word for word, _, _ in words)
    missing = [term for term in WIDE_TERMS + MATRIX_TERMS + ["IDENTITYEND"] if term not in text]
    assert not missing, f"cut from the PDF: {missing}"
    right = PAGE_WIDTH_PT - SIDE_MARGIN_PT + 1.0
    outside = [(word, x0, x1) for word, x0, x1 in words if x0 < SIDE_MARGIN_PT - 1.0 or x1 > right]
    assert not outside, f"past the printed column ({SIDE_MARGIN_PT:.0f}..{right:.0f} pt): {outside[:5]}"


@needs_browser
def test_is_printed_output_broken_only_between_words(layout_pdf):
    text = layout_text(layout_pdf)
    assert text.count(LONG_WORD) == LONG_WORD_COUNT, "a word of the output was split across lines"
    assert "TOKEN" + "ab" * 150 + "TOKENEND" in text.replace("\n", "")   # too long: it wraps, whole


@needs_browser
def test_does_a_progress_bar_print_only_its_last_state(layout_pdf):
    saved = nbformat.read(layout_pdf.parent / "layout.ipynb", as_version=4).cells[-1]
    streamed = "".join(output.get("text", "") for output in saved.outputs)
    assert streamed.count("\r") >= 5 and "0/5" in streamed, "the bar wrote no updates to rewrite"
    text = layout_text(layout_pdf)
    assert text.count("PROGRESSBAR") == 1 and "5/5" in text
    assert not any(f"{n}/5" in text for n in range(5)), "an overwritten state of the bar is printed"


@needs_browser
def test_are_the_written_answers_in_the_pdf(layout_pdf):
    text = layout_text(layout_pdf)
    for word in ANSWER_WORDS:
        assert word in text, f"written answer {word} missing"
    assert "𝑑2" in text and "YOUR ANSWER HERE" not in text


@needs_browser
def test_has_the_pdf_no_blank_page(layout_pdf):
    from pypdf import PdfReader
    reader = PdfReader(layout_pdf)
    blank = [number for number, page in enumerate(reader.pages, 1)
             if not page.extract_text().strip() and not page.images]
    assert not blank, f"blank pages {blank}"


@needs_browser
def test_does_merge_drop_only_pages_that_show_nothing(tmp_path):
    """A browser's empty trailing page goes; a page holding only a drawing (no text) stays."""
    page = tmp_path / "parts.html"
    page.write_text('<!DOCTYPE html><html><head><style>@page { size: letter; margin: 14mm 12mm; }'
                    '</style></head><body><p>FIRSTPAGE</p>'
                    '<div style="break-before: page"><svg width="200" height="100">'
                    '<rect width="200" height="100" fill="#333"/></svg></div>'
                    '<div style="break-before: page"></div></body></html>')
    printed = tmp_path / "parts.pdf"
    submit.print_pdf(BROWSER, page, printed, budget_ms=1000)
    from pypdf import PdfReader
    assert len(PdfReader(printed).pages) == 3                    # what the browser left
    assert submit.merge([("Part", printed)], tmp_path / "merged.pdf") == 2
    merged = PdfReader(tmp_path / "merged.pdf")
    assert "FIRSTPAGE" in merged.pages[0].extract_text()
    assert not submit.paints_nothing(merged.pages[1]) and merged.pages[1].extract_text().strip() == ""


def release_assignments():
    return sorted(p.parent.parent.name for p in (ROOT / "release").glob("*/nndl/manifest.toml"))


@needs_browser
@pytest.mark.parametrize("assignment", release_assignments() or [
    pytest.param("none", marks=pytest.mark.skip(reason="no release/<id> built yet (./run release)"))])
def test_does_an_executed_release_give_a_clean_pdf(assignment, tmp_path, monkeypatch):
    """The blank release, run top to bottom: every part bookmarked, math typeset (submit's own
    raw-TeX guard passes), listings present, the first notebook page not blank."""
    import tomllib
    folder = tmp_path / assignment
    shutil.copytree(ROOT / "release" / assignment, folder)
    place_submit(folder)
    manifest = tomllib.loads((folder / "nndl" / "manifest.toml").read_text())
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    execute_in_place(folder, manifest["notebooks"])
    done = run_submit(folder)
    assert done.returncode == 0, done.stdout + done.stderr
    pdf = folder / f"{assignment}_submission.pdf"
    marks = outline(pdf)
    expected = ["Cover", *manifest["notebooks"], *manifest["student_modules"]]
    assert [title for title, _ in marks] == expected
    from pypdf import PdfReader
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "$$" not in text
    for module in manifest["student_modules"]:
        lines = [line.strip() for line in (folder / module).read_text().splitlines() if line.strip()]
        first = next((line for line in lines if line.startswith("def ")), lines[0] if lines else "")
        assert first[:40] in text, f"{module} listing missing"
    assert not page_is_blank(pdf, marks[1][1] + 1, tmp_path)
    reader = PdfReader(pdf)
    blank = [number for number, page in enumerate(reader.pages, 1)
             if not page.extract_text().strip() and not page.images]
    assert not blank, f"blank pages {blank}"
    with zipfile.ZipFile(folder / f"{assignment}_code.zip") as archive:
        assert sorted(archive.namelist()) == sorted([*manifest["notebooks"], *manifest["student_modules"]])


@pytest.mark.skipif(not (shutil.which("xelatex") and shutil.which("pandoc")),
                    reason="the LaTeX fallback needs xelatex and pandoc (optional, also in CI)")
def test_does_the_latex_fallback_give_a_bookmarked_pdf(tiny_assignment, tmp_path):
    folder = tmp_path / "hwx"
    shutil.copytree(tiny_assignment, folder)
    done = run_submit(folder, "--route", "latex")
    assert done.returncode == 0, done.stdout + done.stderr
    pdf = folder / "hwx_submission.pdf"
    assert [title for title, _ in outline(pdf)] == ["Cover", "squares.ipynb", "nndl/stats.py"]
    from pypdf import PdfReader
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "∑" in text and "\\frac" not in text and "WRAPTAIL" in text and "ENDOUT" in text


@pytest.mark.parametrize("assignment", ["hw1", "hw2", "hw3", "hw4"])
def test_only_the_functions_students_write_count_as_unfinished(assignment):
    """The release names exactly the functions with a solution region (the given abstract
    `LinearClassifier.loss` is not one); the solved modules name none."""
    from autograder.manifest import load_manifest
    from autograder.settings import COURSE_ROOT
    from autograder.strip import keep_solutions, solution_functions
    manifest = load_manifest(assignment)
    for module in manifest.student_modules:
        source = (COURSE_ROOT / "source" / assignment / module).read_text()
        written = set(solution_functions(source, module))
        released = (COURSE_ROOT / "release" / assignment / module).read_text()
        assert set(submit.unfinished_functions(released)) == written, module
        assert submit.unfinished_functions(keep_solutions(source, module)) == [], module


def test_a_given_abstract_method_is_not_unfinished_work():
    source = textwrap.dedent('''
        class Base:
            def loss(self):
                raise NotImplementedError("a subclass defines its loss")
            def train(self):
                raise NotImplementedError("implement Base.train in nndl/base.py")
        def helper():
            raise NotImplementedError
        ''')
    assert submit.unfinished_functions(source) == ["Base.train", "helper"]


def test_empty_written_answers_are_named_and_answered_ones_are_not():
    def answer(grade_id, text):
        cell = new_markdown_cell(text)
        cell.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": grade_id,
                                     "points": 1, "locked": False, "schema_version": 3}
        return cell
    cells = [answer("written_1a", "YOUR ANSWER HERE"), answer("written_1b", "   "),
             answer("written_1c", "Because $X^\\top r = 0$.")]
    report = submit.CheckReport()
    submit.check_notebook("x.ipynb", new_notebook(cells=cells), report)
    assert report.problems == [
        "x.ipynb: 2 written answers still empty ('YOUR ANSWER HERE'): written_1a, written_1b"]
    assert report.tests == []   # answers are a TA's to grade, not tests


# ------------------------------------------------------------------ --check (nbgrader validate's job)

def check_run(folder: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(folder))
    return subprocess.run([PYTHON, "-m", "nndl.submit", "--check"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=900)


def test_does_check_run_the_notebook_afresh_and_name_failing_tests(tiny_assignment, tmp_path):
    """--check ignores saved outputs (here: none), runs the notebook, names the failing test
    with its error, writes nothing and leaves the notebook file as it was."""
    folder = tmp_path / "hwx"
    shutil.copytree(tiny_assignment, folder)
    notebook = folder / "squares.ipynb"
    nbformat.write(tiny_notebook(), notebook)   # never run: a check of saved outputs would fail both
    before = notebook.read_bytes()
    files = sorted(p.relative_to(folder) for p in folder.rglob("*") if "__pycache__" not in p.parts)
    done = check_run(folder)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "pass     squares.ipynb / test_sum (2 pt)" in done.stdout, done.stdout
    assert "fail     squares.ipynb / test_mean (1 pt)  AssertionError: fails on purpose" in done.stdout
    assert "Visible tests: 1 of 2 passed" in done.stdout
    assert notebook.read_bytes() == before
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")
                  if "__pycache__" not in p.parts) == files   # no PDF, zip or name file written
    assert "Kernel is running over TCP" not in done.stderr


def _hw1_folder(dest: Path, solved: bool) -> Path:
    """release/hw1 as a student has it: blank, or with the reference modules (source/hw1)."""
    from autograder.manifest import load_manifest
    shutil.copytree(ROOT / "release" / "hw1", dest, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(SUBMIT_PY, dest / "nndl" / "submit.py")   # the one under test
    if solved:
        manifest = load_manifest("hw1")
        for module in manifest.student_modules:
            shutil.copyfile(ROOT / "source" / "hw1" / module, dest / module)
        for name in manifest.notebooks:   # and every written answer given
            path = dest / name
            path.write_text(path.read_text().replace("YOUR ANSWER HERE", "An answer."))
    return dest


def test_does_check_fail_the_blank_release_and_pass_the_reference(tmp_path):
    """hw1 for real: every visible test of the blank release fails, naming the stub; with the
    reference modules every one passes and the exit status is 0."""
    from autograder.manifest import load_manifest
    from autograder.scores import autograded, graded_cells
    tests = len(autograded(graded_cells(load_manifest("hw1"), ROOT / "source" / "hw1")))
    blank = check_run(_hw1_folder(tmp_path / "blank", solved=False))
    assert blank.returncode == 1
    failing = [line for line in blank.stdout.splitlines() if line.startswith("  fail ")]
    assert len(failing) == tests and all("NotImplementedError: implement " in l for l in failing), blank.stdout
    solved = check_run(_hw1_folder(tmp_path / "solved", solved=True))
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert f"Visible tests: {tests} of {tests} passed" in solved.stdout and "Fix before" not in solved.stdout

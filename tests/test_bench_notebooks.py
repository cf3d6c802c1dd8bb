"""./run bench notebooks: the pieces that are not timing (timings are read, never asserted)."""
import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder import bench, bench_notebooks


def test_every_part_is_registered_and_runnable():
    assert set(bench.PARTS) == {"grade", "knn", "linear", "net", "start", "notebooks"}
    assert all(callable(part) for part in bench.PARTS.values())


def test_execute_runs_in_the_notebook_folder_and_names_the_first_error(tmp_path):
    (tmp_path / "here.txt").write_text("found")
    path = tmp_path / "broken.ipynb"
    nbformat.write(new_notebook(cells=[
        new_code_cell("import os\nassert open('here.txt').read() == 'found'\n"
                      "assert os.environ['NNDL_DATA_DIR'].endswith('somewhere')\n"
                      "assert 'NBGRADER_EXECUTION' not in os.environ"),
        new_code_cell("1 / 0"),
        new_code_cell("undefined_name")]), path)
    seconds, error = bench_notebooks.execute(path, tmp_path / "somewhere")
    assert seconds > 0
    assert error == "cell 1: ZeroDivisionError"


def test_data_label_says_which_data(tmp_path):
    assert "digits" in bench_notebooks.data_label(tmp_path)
    (tmp_path / "cifar-10-batches-py").mkdir()
    (tmp_path / "cifar-10-batches-py" / "test_batch").write_bytes(b"")
    assert bench_notebooks.data_label(tmp_path).startswith("CIFAR-10")

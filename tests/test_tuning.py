"""Tuning cells: trained in a sandbox that cannot read the test batch, scored on it outside."""
from pathlib import Path
import textwrap

import numpy as np
import pytest

from autograder.grade import host_data_dir
from autograder.grading_data import GradingData, partial_credit, probe_files, trusted_data_module
from autograder.probes import ProbeRun, run_probes
from autograder.sandbox import choose_kind

SHARED = host_data_dir()     # $NNDL_DATA_DIR: ./run points it at the shared subset beside the checkout
needs_cifar = pytest.mark.skipif(not (SHARED / "cifar-10-batches-py" / "test_batch").is_file(),
                                 reason="no CIFAR-10 in the data dir (the shared subset is not beside the checkout)")


@needs_cifar
def test_probes_may_read_the_training_batches_only(tmp_path):
    """A student's training code that reaches for the test labels finds no test batch."""
    checks = tmp_path / "hidden_checks.py"
    checks.write_text(textwrap.dedent(f"""
        import os
        FOLDER = {str(SHARED / "cifar-10-batches-py")!r}

        def probe_test_peek(rng):
            return {{name: os.path.exists(os.path.join(FOLDER, name))
                     for name in ("data_batch_1", "data_batch_5", "batches.meta", "test_batch")}}

        def probe_test_load(rng):
            from nndl.data import load_dataset
            with_test = load_dataset({str(SHARED)!r}, verbose=False)
            return {{"name": with_test.name, "test images": len(with_test.X_test)}}
        """))
    student = tmp_path / "student"
    (student / "nndl").mkdir(parents=True)
    (student / "nndl" / "data.py").write_text(Path(trusted_data_module().__file__).read_text())
    run = ProbeRun(input_dir=student, checks_file=checks, scratch=tmp_path / "scratch", name="hw",
                   kind=choose_kind("auto-user"), readable=probe_files(SHARED))
    results = run_probes(run, [("test_peek", 1), ("test_load", 2)])
    seen = {key: bool(value) for key, value in results["test_peek"].data.items()}
    assert seen == {"data_batch_1": True, "data_batch_5": True, "batches.meta": True, "test_batch": False}
    # without the test batch, the notebooks' loader falls back to the digits: no CIFAR test labels
    assert str(results["test_load"].data["name"]) != "CIFAR-10"


@needs_cifar
def test_the_judges_training_statistics_are_the_notebooks():
    data = trusted_data_module()
    dataset = data.load_dataset(SHARED, verbose=False)
    split = data.get_splits(dataset, num_train=len(dataset.X_train) - 1000, num_val=1000, num_test=0,
                            verbose=False)
    centred, mean = data.subtract_mean(split)
    got_mean, got_std = GradingData(SHARED).training_statistics()
    assert np.allclose(got_mean, mean, rtol=0, atol=1e-9)
    assert got_std == pytest.approx(centred["X_train"].std(), rel=1e-12)


@needs_cifar
def test_the_held_out_split_is_every_test_image_with_its_labels():
    grading = GradingData(SHARED)
    X, y = grading.test_images()
    assert grading.kind == "subset" and grading.labels_withheld
    assert X.shape == (len(y), 3072) and len(y) == len(grading.dataset.y_test) > 1000
    assert grading.describe() == f"{len(y):,} CIFAR-10 (subset) test images"


def test_without_cifar_the_digits_are_used_and_said(tmp_path):
    grading = GradingData(tmp_path)
    assert grading.kind == "digits" and not grading.labels_withheld
    assert probe_files(tmp_path) == []
    assert "digits" in grading.describe()


@pytest.mark.parametrize("accuracy, fraction", [(0.10, 0.0), (0.20, 0.0), (0.30, 0.5), (0.40, 1.0), (0.9, 1.0)])
def test_partial_credit_is_linear_between_low_and_high(tmp_path, accuracy, fraction):
    grading = GradingData(tmp_path)     # the digits
    got, message = partial_credit(accuracy, {"full": (0, 1), "subset": (0, 1), "digits": (0.20, 0.40)}, grading)
    assert got == pytest.approx(fraction)
    assert f"{accuracy:.3f}" in message and "full credit from 0.40" in message

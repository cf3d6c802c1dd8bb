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


def test_the_best_model_judge_scores_a_layernorm_net_as_its_layers_compute_it(tmp_path, monkeypatch):
    """Does the judge's own forward pass normalise each test example by its own statistics when
    the tuned net uses layernorm (no running statistics to read), as hw4's layernorm_forward does?"""
    import importlib.util
    import sys
    import types

    from autograder.settings import COURSE_ROOT

    def load(path, name):
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    package = types.ModuleType("nndl")
    package.__path__ = []
    monkeypatch.setitem(sys.modules, "nndl", package)
    monkeypatch.setitem(sys.modules, "nndl.backprop_layers",
                        load(COURSE_ROOT / "source" / "hw3" / "nndl" / "layers.py", "nndl.backprop_layers"))
    layers = load(COURSE_ROOT / "source" / "hw4" / "nndl" / "layers.py", "hw4_layers_for_the_judge")
    checks = load(COURSE_ROOT / "source" / "hw4" / "hidden_checks.py", "hw4_checks_for_the_judge")
    grading = GradingData(tmp_path)          # the digits: no CIFAR-10 needed
    mean, scale = grading.training_statistics()
    X, y = grading.test_images()
    rng = np.random.default_rng(0)
    D, H, C = X.shape[1], 64, grading.dataset.num_classes
    f32 = lambda a: np.asarray(a, dtype=np.float32).astype(np.float64)   # what the probe hands back
    W1, b1 = f32(rng.normal(size=(D, H)) / 4), f32(rng.normal(size=H))
    gamma, beta = f32(1 + 0.5 * rng.normal(size=H)), f32(rng.normal(size=H))
    # the net by its own layers: affine -> layernorm (eps 1e-3) -> ReLU -> affine
    hidden = np.maximum(layers.layernorm_forward((X - mean) / scale @ W1 + b1, gamma, beta, {"eps": 1e-3})[0], 0)
    W2 = f32(np.linalg.lstsq(hidden, np.eye(C)[y], rcond=None)[0])    # a readout that works
    accuracy = np.mean(np.argmax(hidden @ W2, axis=1) == y)
    got = {"param W1": W1, "param b1": b1, "param W2": W2, "param b2": np.zeros(C), "param gamma1": gamma,
           "param beta1": beta, "eps1": 1e-3}
    got = {key: np.asarray(value, dtype=np.float32) for key, value in got.items()}
    got["normalization"] = np.array("layernorm")
    fraction, message = checks.judge_test_best_model(got, {}, grading)
    assert accuracy > 0.5, "the net should be far from chance, so that a wrong forward pass shows"
    assert f"held-out accuracy {accuracy:.3f}" in message

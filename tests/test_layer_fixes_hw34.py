"""Issue 12 fixes in the reference layers: hw3's graph_forward computes its sigmoid the stable
way, and hw4's dropout_backward follows the mode of its own forward pass."""
import importlib.util
import sys
import warnings

import numpy as np
import pytest
from scipy.special import expit

from autograder.settings import COURSE_ROOT


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def hw3_layers():
    return load_module(COURSE_ROOT / "source" / "hw3" / "nndl" / "layers.py", "hw3_layers_under_test")


@pytest.fixture
def hw4_layers(monkeypatch):
    # hw4's layers import hw3's as nndl.backprop_layers: give them the hw3 reference
    import types
    package = types.ModuleType("nndl")
    package.__path__ = []
    monkeypatch.setitem(sys.modules, "nndl", package)
    monkeypatch.setitem(sys.modules, "nndl.backprop_layers",
                        load_module(COURSE_ROOT / "source" / "hw3" / "nndl" / "layers.py",
                                    "nndl.backprop_layers"))
    return load_module(COURSE_ROOT / "source" / "hw4" / "nndl" / "layers.py", "hw4_layers_under_test")


def test_graph_forward_has_no_overflow_at_very_negative_y(hw3_layers):
    x, y, z = np.array([2.0, -1.5, 0.5]), np.array([-800.0, -40.0, 800.0]), np.array([1.0, 2.0, -3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # an overflow warning fails the test
        with np.errstate(all="raise", under="ignore"):
            f, cache = hw3_layers.graph_forward(x, y, z)
            dx, dy, dz = hw3_layers.graph_backward(np.ones(3), cache)
    s = expit(y)                                   # scipy's sigmoid: the independent reference
    assert np.allclose(f, (x * y + z) * s, rtol=1e-12, atol=0)
    assert np.allclose(dz, s, rtol=1e-12, atol=0) and np.allclose(dx, y * s, rtol=1e-12, atol=0)
    assert np.allclose(dy, x * s + (x * y + z) * s * (1 - s), rtol=1e-12, atol=1e-300)


def test_dropout_backward_uses_the_mode_of_its_forward_pass(hw4_layers):
    rng = np.random.default_rng(0)
    x, dout = rng.normal(size=(6, 5)), rng.normal(size=(6, 5))
    param = {"mode": "train", "p": 0.5, "seed": 3}
    out, cache = hw4_layers.dropout_forward(x, param)
    mask = (np.random.default_rng(3).random(x.shape) < 0.5) / 0.5   # the documented mask
    assert np.array_equal(out, x * mask)
    param["mode"] = "test"                         # the caller switches modes before backward
    assert np.array_equal(hw4_layers.dropout_backward(dout, cache), dout * mask)

    param = {"mode": "test", "p": 0.5}
    _, cache = hw4_layers.dropout_forward(x, param)
    param["mode"] = "train"
    assert np.array_equal(hw4_layers.dropout_backward(dout, cache), dout)

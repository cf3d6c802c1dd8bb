"""hw2's LinearClassifier seeds its generator once: a second train() call draws new batches.

Run in a subprocess inside a placed copy of source/hw2 (its own `nndl` package). The expected
batches come from numpy's Generator itself, drawn in the order the docstring states (the initial
W first, then one rng.choice per step), never from the code under test.
"""
from pathlib import Path
import subprocess
import sys
import textwrap

from autograder.course import copy_assignment
from autograder.manifest import load_manifest
from autograder.place import place
from autograder.settings import COURSE_ROOT

PROGRAM = textwrap.dedent("""
    import numpy as np
    from nndl.linear_classifier import LinearClassifier

    class Recorder(LinearClassifier):
        def loss(self, X_batch, y_batch, reg):
            self.batches.append(X_batch[:, 0].astype(int))
            return 0.0, np.zeros_like(self.W)

    X = np.repeat(np.arange(50.0)[:, None], 3, axis=1)   # row i holds i: batches are readable
    y = np.arange(50) % 2

    def batches(seed, calls):
        model = Recorder(seed=seed)
        model.batches = []
        for _ in range(calls):
            model.train(X, y, learning_rate=0.1, reg=0.0, num_iters=3, batch_size=4)
        return np.array(model.batches)

    rng = np.random.default_rng(5)
    rng.standard_normal((2, 3))                               # the initial W
    expected = np.array([rng.choice(50, size=4, replace=True) for _ in range(6)])
    got = batches(5, calls=2)
    assert got.shape == (6, 4), got.shape
    assert np.array_equal(got, expected), (got, expected)
    assert not np.array_equal(got[:3], got[3:]), "the second train() repeated the first one's batches"
    assert np.array_equal(batches(5, calls=2), got), "the same seed must give the same batches"
    assert not np.array_equal(batches(6, calls=1), got[:3]), "another seed should give other batches"
    print("ok")
""")


def test_second_train_call_continues_the_stream(tmp_path):
    root = tmp_path / "course"
    copy_assignment("hw2", root, COURSE_ROOT, with_release=False)
    folder = root / "source" / "hw2"
    place(load_manifest("hw2", root), folder, root)
    result = subprocess.run([sys.executable, "-c", PROGRAM], cwd=folder, capture_output=True,
                            text=True, timeout=120, env={"NNDL_PROGRESS": "0", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]

"""The dataset as the judge sees it: with the test labels the sandbox never gets.

Tuning cells are graded by training the student's model in a sandbox that can read the
training batches only (`probe_files`), then scoring the parameters it hands back here, with the
judge's own forward pass, on the test images and their labels (`GradingData`). Without
CIFAR-10 on the grading machine both sides use scikit-learn's digits, whose test part the
sandbox could read: `labels_withheld` says which case a verdict comes from.

The loading code is the course's own `common/nndl/data.py`, imported here from the trusted
checkout (never the student's copy) under a private module name.
"""
from __future__ import annotations

from functools import cached_property
import importlib.util
from pathlib import Path

import numpy as np

from autograder.settings import COMMON_DIR

_MODULE = None


def trusted_data_module():
    """common/nndl/data.py, loaded once per process (not as `nndl.data`: student modules are
    never imported here, and this name cannot collide with them)."""
    global _MODULE
    if _MODULE is None:
        spec = importlib.util.spec_from_file_location("nndl_trusted_data", COMMON_DIR / "data.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _MODULE = module
    return _MODULE


def probe_files(data_dir: Path) -> list[Path]:
    """What a probe's sandbox may read of the data dir: CIFAR-10's training batches (and its
    class names), never the test batch; nothing when CIFAR-10 is not complete there."""
    data = trusted_data_module()
    folder = Path(data_dir) / data.CIFAR10_FOLDER
    if not data.cifar10_complete(folder):
        return []
    return [folder / name for name in data.CIFAR10_FILES if name != "test_batch"]


class GradingData:
    """The host's dataset, for judges that declare a parameter named `data`.

    `.nndl` is the trusted nndl.data module; `.dataset` the whole dataset (loaded on first
    use, then kept for the process); `.kind` "full", "subset" or "digits".
    """

    _loaded: dict[str, object] = {}

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.nndl = trusted_data_module()

    @cached_property
    def dataset(self):
        key = str(self.data_dir.resolve())
        if key not in self._loaded:
            self._loaded[key] = self.nndl.load_dataset(self.data_dir, verbose=False)
        return self._loaded[key]

    @property
    def labels_withheld(self) -> bool:
        """Whether the sandboxes were denied the test labels (true with CIFAR-10 only)."""
        return bool(probe_files(self.data_dir))

    @property
    def kind(self) -> str:
        if self.dataset.name != "CIFAR-10":
            return "digits"
        return "full" if self.dataset.full else "subset"

    # ------------------------------------------------------------ what tuning judges need

    def training_statistics(self) -> tuple:
        """(mean (D,), std) of the training split the notebooks and the graded runs use: every
        training image but the validation ones (nndl.data.validation_size, get_splits seed 0). std
        is that of every entry after centring (hw4 scales by it). Computed in chunks, so that
        the full CIFAR-10 needs no float copy."""
        key = (str(self.data_dir.resolve()), "statistics")
        if key not in self._loaded:
            dataset = self.dataset
            num_val = self.nndl.validation_size(dataset)
            train, _, _ = self.nndl.split_indices(dataset, len(dataset.X_train) - num_val, num_val, 0)
            flat = dataset.X_train.reshape(len(dataset.X_train), -1)
            total = np.zeros(flat.shape[1])
            squares = np.zeros(flat.shape[1])
            for start in range(0, len(train), 4096):
                chunk = flat[np.sort(train[start:start + 4096])].astype(np.float64)
                total += chunk.sum(axis=0)
                squares += (chunk ** 2).sum(axis=0)
            mean = total / len(train)
            variance = float(np.mean(squares / len(train) - mean ** 2))
            self._loaded[key] = (mean, float(np.sqrt(max(variance, 0.0))))
        return self._loaded[key]

    def test_images(self) -> tuple:
        """(X (N_test, D) float64 in 0 … 255, y (N_test,)): every test image, the held-out split."""
        dataset = self.dataset
        return (dataset.X_test.reshape(len(dataset.X_test), -1).astype(np.float64), dataset.y_test)

    def describe(self) -> str:
        names = {"full": "CIFAR-10", "subset": "CIFAR-10 (subset)", "digits": "digits (no CIFAR-10 here)"}
        return f"{len(self.dataset.X_test):,} {names[self.kind]} test images"


def partial_credit(accuracy: float, table: dict, data: GradingData) -> tuple[float, str]:
    """Points as a fraction, linear between the table's (low, high) for this data's kind:
    0 at or below low, 1 from high on. table: {"full"|"subset"|"digits": (low, high)}."""
    low, high = table[data.kind]
    fraction = float(np.clip((accuracy - low) / (high - low), 0.0, 1.0))
    return fraction, (f"held-out accuracy {accuracy:.3f} on {data.describe()}: "
                      f"full credit from {high:.2f}, none below {low:.2f}")

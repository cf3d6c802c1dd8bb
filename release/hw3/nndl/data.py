"""Datasets for the assignments: find, download, load and preprocess CIFAR-10.

Shapes: N images, H×W pixels, K channels (3 for CIFAR-10), D = H·W·K features.

Where the data lives
    One setting, the environment variable NNDL_DATA_DIR: the folder that CONTAINS
    `cifar-10-batches-py/`. When it is not set, the default is
      * the repository's `datasets/` folder when this file sits inside the course repository
        (any parent folder holding `datasets/get_cifar10.py`);
      * otherwise `~/.nndl/datasets`, shared by hw2, hw3 and hw4, so CIFAR-10 is downloaded once.
    `python -m nndl.data where` prints the folder in use and whether CIFAR-10 is there.

Getting CIFAR-10 (a 170 MB download, about 180 MB unpacked), from an assignment folder:
    python -m nndl.data download                  # into the data dir above
    python -m nndl.data download --data-dir DIR   # somewhere else (then set NNDL_DATA_DIR=DIR)
The download is pooch's (tqdm progress bar on stderr, MD5 check, a valid archive is never
fetched twice; an interrupted download leaves nothing and starts over). Unpacking is atomic: the
archive is unpacked into a temporary folder beside the target and renamed into place, so an
interrupted run never leaves a half-extracted `cifar-10-batches-py/`. Offline, it stops at once
with a message saying what to do. pooch, requests and tarfile are imported only to download.

In a notebook
    from nndl.data import load_dataset, get_splits, subtract_mean, append_bias
    dataset = load_dataset()          # CIFAR-10, or scikit-learn's 8×8 digits if it is missing
    data = get_splits(dataset, num_train=4000, num_val=500, num_test=500)
    data, mean_image = subtract_mean(data)
    X_train = append_bias(data["X_train"])    # bias trick: a column of ones

`load_dataset` prints one line saying which dataset it loaded, how many images, and whether it
is the full CIFAR-10 (50,000 train / 10,000 test) or a subset. Images come channel-last,
(N, H, W, K) uint8, as `Dataset.X_train` / `X_test`; `get_splits` flattens them to (N, D)
float64 in that order, so `X.reshape(N, -1)` and `row.reshape(dataset.image_shape)` invert
each other.
"""
from dataclasses import dataclass
import argparse
import os
from pathlib import Path
import pickle
import sys

import numpy as np

DATA_DIR_VARIABLE = "NNDL_DATA_DIR"
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"
CIFAR10_FOLDER = "cifar-10-batches-py"
CIFAR10_ARCHIVE = "cifar-10-python.tar.gz"
CIFAR10_TRAIN_FILES = tuple(f"data_batch_{i}" for i in range(1, 6))
CIFAR10_FILES = ("batches.meta",) + CIFAR10_TRAIN_FILES + ("test_batch",)
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer",
                   "dog", "frog", "horse", "ship", "truck")
CIFAR10_FULL_SIZE = (50_000, 10_000)


class DownloadError(RuntimeError):
    """The dataset could not be downloaded or unpacked; the message says what to do."""


# --- where the data lives --------------------------------------------------------------------

def default_data_dir(module_file=None, home=None) -> Path:
    """The data dir used when NNDL_DATA_DIR is not set (see the module docstring).

    module_file: where this module sits (default: this file);  home: the home folder.
    """
    here = Path(module_file or __file__).resolve()
    for parent in here.parents:
        if (parent / "datasets" / "get_cifar10.py").is_file():
            return parent / "datasets"
    return Path(home or Path.home()) / ".nndl" / "datasets"


def get_data_dir() -> Path:
    """$NNDL_DATA_DIR if set, else default_data_dir(): the folder that holds cifar-10-batches-py/."""
    value = os.environ.get(DATA_DIR_VARIABLE, "").strip()
    return Path(value).expanduser() if value else default_data_dir()


def cifar10_complete(folder, *, test=True) -> bool:
    """Whether `folder` (a cifar-10-batches-py/) holds every file of the python version
    (with test=False: every file but the test batch)."""
    folder = Path(folder)
    return all((folder / name).is_file() for name in CIFAR10_FILES if test or name != "test_batch")


# --- download ---------------------------------------------------------------------------------

def file_md5(path) -> str:
    """Hex MD5 of a file (pooch's file_hash, read in chunks)."""
    import pooch
    return pooch.file_hash(str(path), alg="md5")


def _offline_message(url, reason, root):
    return (f"Could not download {url}: {reason}.\n"
            f"Run the download again once the network works (an interrupted download keeps "
            f"nothing and starts over). If you are offline: download the file on a machine with internet access and unpack "
            f"it into {root} (so that {Path(root) / CIFAR10_FOLDER} exists), or point "
            f"{DATA_DIR_VARIABLE} at a folder that already holds {CIFAR10_FOLDER}/.")


def download_archive(url, archive, md5, *, progress=False, timeout=30.0) -> Path:
    """Download url to `archive` with pooch, checking its MD5; returns archive.

    A valid archive already present is kept without contacting the server. pooch streams into
    a temporary file beside `archive` and moves it into place only when the checksum matches,
    so an interrupted or corrupt download leaves nothing behind (and starts over next time).
    progress: draw a tqdm bar on stderr.  Raises DownloadError saying what to do.
    """
    import pooch
    import requests

    archive = Path(archive)
    pooch.get_logger().setLevel("WARNING")      # our log lines say what happens
    downloader = pooch.HTTPDownloader(progressbar=bool(progress), timeout=timeout,
                                      headers={"User-Agent": "nndl-course-downloader"})
    try:
        pooch.retrieve(url, known_hash=f"md5:{md5}", fname=archive.name, path=archive.parent,
                       downloader=downloader)
    except ValueError as error:
        if "hash" not in str(error):            # e.g. an unsupported URL scheme
            raise DownloadError(f"Cannot download {url}: {error}") from error
        raise DownloadError(f"The file downloaded from {url} has the wrong MD5 checksum (expected "
                            f"{md5}); it was deleted. Run the download again.") from error
    except (requests.exceptions.RequestException, OSError) as error:
        raise DownloadError(_offline_message(url, error, archive.parent)) from error
    return archive


def extract_atomically(archive, root, folder_name=CIFAR10_FOLDER, is_complete=cifar10_complete):
    """Unpack `archive` into a temporary folder inside root, then rename root/folder_name into place.

    Not pooch.Untar: that unpacks in place (an interrupted run leaves a half-extracted folder)
    and applies tarfile's "data" filter only on Python >= 3.12. Raises DownloadError (and
    leaves root as it was) when the archive lacks folder_name.
    """
    import shutil
    import tarfile
    import tempfile

    root = Path(root)
    target = root / folder_name
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder_name}-", dir=root))
    try:
        try:
            with tarfile.open(archive, "r:*") as tar:
                if hasattr(tarfile, "data_filter"):     # Python >= 3.11.4: refuse unsafe paths
                    tar.extractall(scratch, filter="data")
                else:
                    tar.extractall(scratch)
        except (tarfile.TarError, OSError, EOFError) as error:
            raise DownloadError(f"Could not unpack {archive}: {error}. Delete it and run the "
                                f"download again.") from error
        if not is_complete(scratch / folder_name):
            raise DownloadError(f"{archive} does not hold a complete {folder_name}/; delete it "
                                f"and run the download again.")
        if target.exists():                     # an incomplete copy: move it out of the way
            os.replace(target, scratch / "previous")
        os.replace(scratch / folder_name, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def download_cifar10(data_dir=None, *, url=CIFAR10_URL, md5=CIFAR10_MD5, progress=False,
                     keep_archive=False, timeout=30.0, log=print) -> Path:
    """Make sure data_dir/cifar-10-batches-py is complete; returns its path.

    data_dir: default get_data_dir();  progress: draw a tqdm bar on stderr (the command line
    does);  keep_archive: keep the .tar.gz after unpacking;  log: callable for the few status
    lines.  Raises DownloadError with advice on failure.
    """
    root = Path(data_dir) if data_dir is not None else get_data_dir()
    target = root / CIFAR10_FOLDER
    if cifar10_complete(target):
        log(f"CIFAR-10 is already in {target}; nothing to do.")
        return target
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DownloadError(f"Cannot create the data dir {root}: {error}") from error
    archive = root / CIFAR10_ARCHIVE
    log(f"Downloading {url} into {root} ...")
    download_archive(url, archive, md5, progress=progress, timeout=timeout)
    log(f"Checksum OK. Unpacking into {target} ...")
    extract_atomically(archive, root)
    if not keep_archive:
        archive.unlink()
    log(f"Done: {target}")
    return target


# --- loading ----------------------------------------------------------------------------------

@dataclass
class Dataset:
    """Images with integer labels, split into the dataset's own train and test parts.

    X_train: (N_train, H, W, K) or (N_train, H, W) uint8;  y_train: (N_train,) int64;
    X_test, y_test likewise;  class_names: one name per label;  full: whether it is the whole
    official dataset;  source: where it came from.
    """
    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple
    full: bool
    source: str

    @property
    def image_shape(self):
        return self.X_train.shape[1:]

    @property
    def num_classes(self):
        return len(self.class_names)

    def summary(self) -> str:
        """One line: which dataset, how many images, full or subset."""
        sizes = f"{len(self.X_train):,} train / {len(self.X_test):,} test images"
        shape = "×".join(str(n) for n in self.image_shape)
        if self.name == "CIFAR-10":
            scope = ("the full set" if self.full else
                     f"a SUBSET (the full set has {CIFAR10_FULL_SIZE[0]:,} / "
                     f"{CIFAR10_FULL_SIZE[1]:,})")
        else:
            scope = "a small stand-in dataset, NOT CIFAR-10: accuracies are not comparable"
        return f"Loaded {self.name}: {sizes} of {shape}, {scope}. Source: {self.source}"


def _read_batch(path):
    with open(path, "rb") as stream:
        batch = pickle.load(stream, encoding="bytes")
    images = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
    return images.transpose(0, 2, 3, 1), np.asarray(batch[b"labels"], dtype=np.int64)


def load_cifar10(data_dir=None, *, test=True) -> Dataset:
    """Every image in data_dir/cifar-10-batches-py (default get_data_dir()), channel-last.

    test=False reads the training batches only (X_test, y_test empty): the hidden checks train
    this way while graded, where the test batch is held out. Raises FileNotFoundError when a
    file is missing.
    """
    folder = Path(data_dir if data_dir is not None else get_data_dir()) / CIFAR10_FOLDER
    missing = [name for name in CIFAR10_FILES if not (folder / name).is_file()
               and (test or name != "test_batch")]
    if missing:
        raise FileNotFoundError(f"CIFAR-10 is not complete in {folder} (missing {', '.join(missing)})")
    parts = [_read_batch(folder / name) for name in CIFAR10_TRAIN_FILES]
    X_train = np.concatenate([images for images, _ in parts])
    y_train = np.concatenate([labels for _, labels in parts])
    if test:
        X_test, y_test = _read_batch(folder / "test_batch")
    else:
        X_test, y_test = np.zeros((0,) + X_train.shape[1:], np.uint8), np.zeros(0, np.int64)
    full = len(X_train) == CIFAR10_FULL_SIZE[0] and (not test or len(X_test) == CIFAR10_FULL_SIZE[1])
    return Dataset("CIFAR-10", X_train, y_train, X_test, y_test, CIFAR10_CLASSES, full, str(folder))


def load_digits(test_fraction=0.2, seed=0) -> Dataset:
    """scikit-learn's 8×8 handwritten digits (1,797 images, 10 classes), as a stand-in.

    Pixels (0 … 16 in scikit-learn) are rescaled to uint8 0 … 255 like CIFAR-10's; the split
    into train and test is seeded and keeps every class's share.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    images = np.round(digits.images * (255 / 16)).astype(np.uint8)
    labels = digits.target.astype(np.int64)
    rng = np.random.default_rng(seed)
    test = np.zeros(len(labels), dtype=bool)
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        test[members[:int(round(test_fraction * len(members)))]] = True
    return Dataset("scikit-learn digits", images[~test], labels[~test], images[test],
                   labels[test], tuple(str(c) for c in range(10)), True,
                   "sklearn.datasets.load_digits")


def load_dataset(data_dir=None, *, download=False, verbose=True, test=True) -> Dataset:
    """CIFAR-10 from the data dir; else (download=True) try to download it; else the digits.

    Prints which dataset it loaded (Dataset.summary()) unless verbose=False. Notebooks pass
    download=False while graded, so grading never waits on the network. test=False: the
    training part only (see load_cifar10; the digits then come without their test part too).
    """
    say = print if verbose else (lambda *args: None)
    root = Path(data_dir) if data_dir is not None else get_data_dir()
    reason = None
    if not cifar10_complete(root / CIFAR10_FOLDER) and download:
        say(f"CIFAR-10 is not in {root}; trying to download it (170 MB, a few minutes; "
            f"`python -m nndl.data download` shows progress) ...")
        try:
            download_cifar10(root, log=lambda *args: None, timeout=10.0)
        except DownloadError as error:
            reason = str(error).splitlines()[0]
    if cifar10_complete(root / CIFAR10_FOLDER, test=test):
        dataset = load_cifar10(root, test=test)
    else:
        reason = reason or (f"{root / CIFAR10_FOLDER} is missing (get it with "
                            f"`python -m nndl.data download`)")
        say(f"CIFAR-10 unavailable: {reason}")
        say("FALLBACK: using scikit-learn's 8×8 digits instead of CIFAR-10.")
        dataset = load_digits()
        if not test:
            dataset = Dataset(dataset.name, dataset.X_train, dataset.y_train, dataset.X_test[:0],
                              dataset.y_test[:0], dataset.class_names, dataset.full, dataset.source)
    say(dataset.summary())
    return dataset


# --- preprocessing ----------------------------------------------------------------------------

def get_splits(dataset, num_train, num_val, num_test, *, seed=0, verbose=True) -> dict:
    """Seeded, disjoint subsets as flat float64 arrays: a dict with X_train, y_train, X_val,
    y_val, X_test, y_test.

    Train and validation images are drawn from the dataset's training part, test images from
    its test part. X_*: (n, D) float64 in 0 … 255, D = prod(dataset.image_shape);  y_*: (n,).
    Requests larger than the data are cut down (and reported when verbose).
    """
    train, val, test = split_indices(dataset, num_train, num_val, num_test, seed=seed)
    num_train, num_val, num_test = len(train), len(val), len(test)

    def flat(images):
        return images.reshape(len(images), int(np.prod(dataset.image_shape))).astype(np.float64)

    data = {
        "X_train": flat(dataset.X_train[train]), "y_train": dataset.y_train[train],
        "X_val": flat(dataset.X_train[val]), "y_val": dataset.y_train[val],
        "X_test": flat(dataset.X_test[test]), "y_test": dataset.y_test[test],
    }
    if verbose:
        print(f"Splits of {dataset.name}: {num_train:,} train / {num_val:,} validation / "
              f"{num_test:,} test images, {data['X_train'].shape[1]:,} features each.")
    return data


def validation_size(dataset, preferred=1000) -> int:
    """How many training images to hold out for validation: `preferred`, or a fifth of the
    training part when that is fewer (the digits: 287 of 1,437), so that training keeps most."""
    return min(preferred, len(dataset.X_train) // 5)


def split_indices(dataset, num_train, num_val, num_test, *, seed=0):
    """The indices get_splits takes: (train, val) into dataset.X_train, test into X_test."""
    rng = np.random.default_rng(seed)
    available = len(dataset.X_train)
    if num_train + num_val > available:
        num_val = min(num_val, available // 5)
        num_train = available - num_val
    num_test = min(num_test, len(dataset.X_test))
    order = rng.permutation(available)
    return order[:num_train], order[num_train:num_train + num_val], rng.permutation(len(dataset.X_test))[:num_test]


def subtract_mean(data):
    """Centre every X_* in `data` on the training mean; returns (new dict, mean of shape (D,))."""
    mean = data["X_train"].mean(axis=0)
    centred = {key: value - mean if key.startswith("X_") else value for key, value in data.items()}
    return centred, mean


def append_bias(X):
    """The bias trick: X (N, D) -> (N, D + 1) with a last column of ones, so that W absorbs b."""
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])


# --- command line -----------------------------------------------------------------------------

def main(argv=None):
    """python -m nndl.data {download,where} [--data-dir DIR]"""
    top = argparse.ArgumentParser(prog="python -m nndl.data",
                                  description="Get CIFAR-10 for the nndl assignments.")
    verbs = top.add_subparsers(dest="verb", required=True)
    get = verbs.add_parser("download", help="download and unpack CIFAR-10 into the data dir")
    where = verbs.add_parser("where", help="print the data dir and whether CIFAR-10 is there")
    for verb in (get, where):
        verb.add_argument("--data-dir", type=Path, default=None,
                          help=f"folder to hold {CIFAR10_FOLDER}/ (default: ${DATA_DIR_VARIABLE}, "
                               f"else {default_data_dir()})")
    get.add_argument("--keep-archive", action="store_true", help="keep the .tar.gz after unpacking")
    get.add_argument("--url", default=CIFAR10_URL, help="where to download from (a mirror)")
    get.add_argument("--md5", default=CIFAR10_MD5, help="the archive's expected MD5")
    get.add_argument("--timeout", type=float, default=30.0, help="network timeout in seconds")
    args = top.parse_args(argv)
    root = args.data_dir if args.data_dir is not None else get_data_dir()
    if args.verb == "where":
        state = "complete" if cifar10_complete(root / CIFAR10_FOLDER) else "not there"
        print(f"data dir: {root}\nCIFAR-10: {state}")
        return 0
    try:
        download_cifar10(root, url=args.url, md5=args.md5, progress=True,
                         keep_archive=args.keep_archive, timeout=args.timeout)
    except DownloadError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

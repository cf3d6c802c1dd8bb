"""Download CIFAR-10 (python version) into the data dir: python datasets/get_cifar10.py [--data-dir DIR]

A thin wrapper: the code is nndl.data's, the same that `python -m nndl.data download` runs from
an assignment folder. The default target is $NNDL_DATA_DIR, else this datasets/ folder.
"""
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "common"))

from nndl.data import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["download"] + sys.argv[1:]))

"""nndl.data's CIFAR-10 download (pooch): checksum, re-runs, interruptions, atomic unpacking,
offline.

Everything is served by an http.server on 127.0.0.1 from a tiny tarball in the official
layout; no test touches the internet.
"""
from pathlib import Path
import hashlib
import http.server
import importlib.util
import pickle
import socket
import tarfile
import threading
import time

import numpy as np
import pytest

DATA_PY = Path(__file__).resolve().parent.parent / "common" / "nndl" / "data.py"


def load_data_module():
    spec = importlib.util.spec_from_file_location("nndl_data_under_test", DATA_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


data = load_data_module()


def write_fake_cifar(folder, per_batch=3, files=None):
    """A cifar-10-batches-py/ with `per_batch` images per batch, official pickle format."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for name in files or data.CIFAR10_FILES:
        if name == "batches.meta":
            content = {b"label_names": [c.encode() for c in data.CIFAR10_CLASSES]}
        else:
            content = {b"data": rng.integers(0, 256, size=(per_batch, 3072), dtype=np.uint8),
                       b"labels": [int(v) for v in rng.integers(0, 10, size=per_batch)],
                       b"batch_label": name.encode(), b"filenames": [b"x.png"] * per_batch}
        (folder / name).write_bytes(pickle.dumps(content, protocol=2))
    return folder


def make_archive(tmp_path, files=None):
    """Build a .tar.gz like the official one; returns (path, md5)."""
    staging = tmp_path / "staging"
    write_fake_cifar(staging / data.CIFAR10_FOLDER, files=files)
    archive = tmp_path / "served" / data.CIFAR10_ARCHIVE
    archive.parent.mkdir(exist_ok=True)
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(staging / data.CIFAR10_FOLDER, arcname=data.CIFAR10_FOLDER)
    return archive, hashlib.md5(archive.read_bytes()).hexdigest()


@pytest.fixture
def archive(tmp_path):
    return make_archive(tmp_path)


@pytest.fixture
def serve():
    """serve(payload, truncate=False) -> (url, requests): an HTTP server on 127.0.0.1 that
    sends `payload` (with truncate, only its first half, then hangs up); `requests` records
    each GET's User-Agent."""
    servers = []

    def start(payload, truncate=False):
        requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.headers.get("User-Agent"))
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload[:len(payload) // 2] if truncate else payload)

            def log_message(self, *args):
                pass

        httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/{data.CIFAR10_ARCHIVE}", requests

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def server(archive, serve):
    """The fake archive, served whole: (url, md5, requests)."""
    url, requests = serve(archive[0].read_bytes())
    return url, archive[1], requests


def closed_port_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/{data.CIFAR10_ARCHIVE}"


def quiet(*args):
    pass


def test_fresh_download_unpacks_and_cleans_up(tmp_path, server):
    """Does a download from scratch leave exactly a complete cifar-10-batches-py/?"""
    url, md5, requests = server
    root = tmp_path / "data"
    target = data.download_cifar10(root, url=url, md5=md5, log=quiet)
    assert target == root / data.CIFAR10_FOLDER
    assert data.cifar10_complete(target)
    assert sorted(p.name for p in root.iterdir()) == [data.CIFAR10_FOLDER]
    assert requests == ["nndl-course-downloader"]


def test_keep_archive(tmp_path, server):
    """Does --keep-archive keep the verified tarball beside the folder?"""
    url, md5, _ = server
    root = tmp_path / "data"
    data.download_cifar10(root, url=url, md5=md5, keep_archive=True, log=quiet)
    assert hashlib.md5((root / data.CIFAR10_ARCHIVE).read_bytes()).hexdigest() == md5
    assert data.file_md5(root / data.CIFAR10_ARCHIVE) == md5


def test_rerun_skips_without_network(tmp_path, server):
    """Is a second run a no-op that never contacts the server?"""
    url, md5, _ = server
    root = tmp_path / "data"
    data.download_cifar10(root, url=url, md5=md5, log=quiet)
    messages = []
    data.download_cifar10(root, url=closed_port_url(), md5=md5, log=messages.append)
    assert "already" in messages[0]


def test_valid_archive_is_not_downloaded_again(tmp_path, archive):
    """Is an archive already present and valid unpacked without a download?"""
    path, md5 = archive
    root = tmp_path / "data"
    root.mkdir()
    (root / data.CIFAR10_ARCHIVE).write_bytes(path.read_bytes())
    data.download_cifar10(root, url=closed_port_url(), md5=md5, log=quiet)
    assert data.cifar10_complete(root / data.CIFAR10_FOLDER)


def test_corrupt_archive_present_is_fetched_again(tmp_path, server):
    """Is an archive on disk that fails the checksum replaced by a fresh download?"""
    url, md5, requests = server
    root = tmp_path / "data"
    root.mkdir()
    (root / data.CIFAR10_ARCHIVE).write_bytes(b"garbage" * 100)
    data.download_cifar10(root, url=url, md5=md5, log=quiet)
    assert len(requests) == 1
    assert sorted(p.name for p in root.iterdir()) == [data.CIFAR10_FOLDER]


def test_checksum_mismatch_leaves_nothing(tmp_path, server):
    """Does a wrong MD5 raise, and leave no folder, archive or temporary file behind?"""
    url, _, requests = server
    root = tmp_path / "data"
    with pytest.raises(data.DownloadError, match="checksum"):
        data.download_cifar10(root, url=url, md5="0" * 32, log=quiet)
    assert len(requests) == 1
    assert list(root.iterdir()) == []


def test_interrupted_download_leaves_nothing_and_reruns(tmp_path, archive, serve):
    """Does a connection lost half-way raise with advice, leave no archive, temporary file or
    dataset, and does the next run then download it whole?"""
    path, md5 = archive
    cut_url, _ = serve(path.read_bytes(), truncate=True)
    root = tmp_path / "data"
    with pytest.raises(data.DownloadError, match="offline"):
        data.download_cifar10(root, url=cut_url, md5=md5, log=quiet)
    assert list(root.iterdir()) == []
    assert not data.cifar10_complete(root / data.CIFAR10_FOLDER)
    whole_url, _ = serve(path.read_bytes())
    data.download_cifar10(root, url=whole_url, md5=md5, log=quiet)
    assert sorted(p.name for p in root.iterdir()) == [data.CIFAR10_FOLDER]


def test_incomplete_archive_is_not_moved_into_place(tmp_path, serve):
    """Atomicity: an archive missing files leaves no folder and no temporary folder."""
    path, md5 = make_archive(tmp_path, files=data.CIFAR10_FILES[:3])
    url, _ = serve(path.read_bytes())
    root = tmp_path / "data"
    with pytest.raises(data.DownloadError, match="complete"):
        data.download_cifar10(root, url=url, md5=md5, log=quiet)
    assert sorted(p.name for p in root.iterdir()) == [data.CIFAR10_ARCHIVE]


def test_interrupted_extraction_leaves_old_state(tmp_path, server, monkeypatch):
    """Atomicity: if unpacking dies halfway, an existing (incomplete) folder is left untouched."""
    url, md5, _ = server
    root = tmp_path / "data"
    old = root / data.CIFAR10_FOLDER
    old.mkdir(parents=True)
    (old / "data_batch_1").write_bytes(b"old")

    def dies_halfway(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tarfile.TarFile, "extractall", dies_halfway)
    with pytest.raises(data.DownloadError, match="disk full"):
        data.download_cifar10(root, url=url, md5=md5, log=quiet)
    assert sorted(p.name for p in root.iterdir()) == sorted([data.CIFAR10_ARCHIVE, data.CIFAR10_FOLDER])
    assert [p.name for p in old.iterdir()] == ["data_batch_1"]


def test_unsafe_archive_member_is_refused(tmp_path, serve):
    """Does an archive with a member outside its folder ('../evil') fail to unpack, writing
    nothing outside the data dir?"""
    staging = tmp_path / "staging"
    write_fake_cifar(staging / data.CIFAR10_FOLDER)
    served = tmp_path / "served.tar.gz"
    with tarfile.open(served, "w:gz") as tar:
        tar.add(staging / data.CIFAR10_FOLDER, arcname=data.CIFAR10_FOLDER)
        tar.add(staging / data.CIFAR10_FOLDER / "batches.meta", arcname="../evil")
    url, _ = serve(served.read_bytes())
    root = tmp_path / "data"
    with pytest.raises(data.DownloadError, match="unpack"):
        data.download_cifar10(root, url=url, md5=hashlib.md5(served.read_bytes()).hexdigest(),
                              log=quiet)
    assert not (tmp_path / "evil").exists() and not (root.parent / "evil").exists()
    assert not (root / data.CIFAR10_FOLDER).exists()


def test_incomplete_folder_is_replaced(tmp_path, server):
    """Is an incomplete cifar-10-batches-py/ replaced by a complete one?"""
    url, md5, _ = server
    root = tmp_path / "data"
    (root / data.CIFAR10_FOLDER).mkdir(parents=True)
    data.download_cifar10(root, url=url, md5=md5, log=quiet)
    assert data.cifar10_complete(root / data.CIFAR10_FOLDER)
    assert sorted(p.name for p in root.iterdir()) == [data.CIFAR10_FOLDER]


def test_offline_fails_fast_with_advice(tmp_path):
    """Does an unreachable server give a DownloadError at once, saying what to do?"""
    root = tmp_path / "data"
    start = time.monotonic()
    with pytest.raises(data.DownloadError, match="offline") as raised:
        data.download_cifar10(root, url=closed_port_url(), log=quiet, timeout=5)
    assert time.monotonic() - start < 5
    assert data.DATA_DIR_VARIABLE in str(raised.value)
    assert not (root / data.CIFAR10_FOLDER).exists()


def test_command_line_shows_progress_on_stderr(tmp_path, server, capsys):
    """Does `python -m nndl.data download` draw its (tqdm) progress bar on stderr and return 0?"""
    url, md5, _ = server
    root = tmp_path / "data"
    assert data.main(["download", "--data-dir", str(root), "--url", url, "--md5", md5]) == 0
    captured = capsys.readouterr()
    assert "100%" in captured.err and "100%" not in captured.out
    assert "Done" in captured.out
    assert data.cifar10_complete(root / data.CIFAR10_FOLDER)


def test_command_line_offline_returns_1(tmp_path, capsys):
    """Does the command line report an offline failure on stderr with exit status 1?"""
    assert data.main(["download", "--data-dir", str(tmp_path), "--url", closed_port_url()]) == 1
    assert "offline" in capsys.readouterr().err


def test_import_is_lazy():
    """Is `import nndl.data` free of the download stack (pooch, requests, tarfile)?"""
    import subprocess
    import sys
    code = (f"import importlib.util, sys; spec = importlib.util.spec_from_file_location('d', "
            f"{str(DATA_PY)!r}); spec.loader.exec_module(importlib.util.module_from_spec(spec)); "
            f"print(sorted(m for m in ('pooch', 'requests', 'tarfile', 'urllib.request') "
            f"if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

"""nndl.data's CIFAR-10 download: checksum, re-runs, resuming, atomic unpacking, offline.

Everything is served locally (a file:// URL or an http.server on 127.0.0.1) from a tiny
tarball in the official layout; no test touches the internet.
"""
from pathlib import Path
import hashlib
import http.server
import importlib.util
import io
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
def server(archive):
    """An HTTP server on 127.0.0.1 that serves the archive and honours 'Range: bytes=N-'."""
    payload = archive[0].read_bytes()
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.headers.get("Range"))
            wanted = self.headers.get("Range")
            if wanted and wanted.startswith("bytes="):
                start = int(wanted[len("bytes="):].rstrip("-"))
                body = payload[start:]
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(payload) - 1}/{len(payload)}")
            else:
                body = payload
                self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/{data.CIFAR10_ARCHIVE}", requests
    httpd.shutdown()
    httpd.server_close()


def closed_port_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/{data.CIFAR10_ARCHIVE}"


def quiet(*args):
    pass


def test_fresh_download_unpacks_and_cleans_up(tmp_path, archive):
    """Does a download from scratch leave exactly a complete cifar-10-batches-py/?"""
    path, md5 = archive
    root = tmp_path / "data"
    target = data.download_cifar10(root, url=path.as_uri(), md5=md5, log=quiet)
    assert target == root / data.CIFAR10_FOLDER
    assert data.cifar10_complete(target)
    assert sorted(p.name for p in root.iterdir()) == [data.CIFAR10_FOLDER]


def test_keep_archive(tmp_path, archive):
    """Does --keep-archive keep the verified tarball beside the folder?"""
    path, md5 = archive
    root = tmp_path / "data"
    data.download_cifar10(root, url=path.as_uri(), md5=md5, keep_archive=True, log=quiet)
    assert data.file_md5(root / data.CIFAR10_ARCHIVE) == md5


def test_rerun_skips_without_network(tmp_path, archive):
    """Is a second run a no-op that never contacts the server?"""
    path, md5 = archive
    root = tmp_path / "data"
    data.download_cifar10(root, url=path.as_uri(), md5=md5, log=quiet)
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


def test_checksum_mismatch_leaves_nothing(tmp_path, archive):
    """Does a wrong MD5 raise, and leave no folder, archive or .part behind?"""
    path, _ = archive
    root = tmp_path / "data"
    with pytest.raises(data.DownloadError, match="checksum"):
        data.download_cifar10(root, url=path.as_uri(), md5="0" * 32, log=quiet)
    assert list(root.iterdir()) == []


def test_partial_download_is_resumed(tmp_path, archive, server):
    """Does a run after an interruption fetch only the missing bytes (HTTP Range)?"""
    path, md5 = archive
    url, requests = server
    root = tmp_path / "data"
    root.mkdir()
    payload = path.read_bytes()
    (root / (data.CIFAR10_ARCHIVE + ".part")).write_bytes(payload[:len(payload) // 2])
    data.download_cifar10(root, url=url, md5=md5, log=quiet)
    assert requests == [f"bytes={len(payload) // 2}-"]
    assert data.cifar10_complete(root / data.CIFAR10_FOLDER)
    assert not (root / (data.CIFAR10_ARCHIVE + ".part")).exists()


def test_corrupt_partial_download_restarts(tmp_path, archive, server):
    """Is a .part that fails the checksum after resuming fetched again from scratch?"""
    path, md5 = archive
    url, requests = server
    root = tmp_path / "data"
    root.mkdir()
    (root / (data.CIFAR10_ARCHIVE + ".part")).write_bytes(b"garbage" * 100)
    data.download_cifar10(root, url=url, md5=md5, log=quiet)
    assert requests == ["bytes=700-", None]
    assert data.cifar10_complete(root / data.CIFAR10_FOLDER)


def test_partial_download_restarts_without_range_support(tmp_path, archive):
    """Does a server that ignores Range (here file://) simply restart the download?"""
    path, md5 = archive
    root = tmp_path / "data"
    root.mkdir()
    (root / (data.CIFAR10_ARCHIVE + ".part")).write_bytes(b"old bytes")
    data.download_cifar10(root, url=path.as_uri(), md5=md5, log=quiet)
    assert data.cifar10_complete(root / data.CIFAR10_FOLDER)


def test_incomplete_archive_is_not_moved_into_place(tmp_path):
    """Atomicity: an archive missing files leaves no folder and no temporary folder."""
    path, md5 = make_archive(tmp_path, files=data.CIFAR10_FILES[:3])
    root = tmp_path / "data"
    with pytest.raises(data.DownloadError, match="complete"):
        data.download_cifar10(root, url=path.as_uri(), md5=md5, log=quiet)
    assert sorted(p.name for p in root.iterdir()) == [data.CIFAR10_ARCHIVE]


def test_interrupted_extraction_leaves_old_state(tmp_path, archive, monkeypatch):
    """Atomicity: if unpacking dies halfway, an existing (incomplete) folder is left untouched."""
    path, md5 = archive
    root = tmp_path / "data"
    old = root / data.CIFAR10_FOLDER
    old.mkdir(parents=True)
    (old / "data_batch_1").write_bytes(b"old")

    def dies_halfway(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tarfile.TarFile, "extractall", dies_halfway)
    with pytest.raises(data.DownloadError, match="disk full"):
        data.download_cifar10(root, url=path.as_uri(), md5=md5, log=quiet)
    assert sorted(p.name for p in root.iterdir()) == sorted([data.CIFAR10_ARCHIVE, data.CIFAR10_FOLDER])
    assert [p.name for p in old.iterdir()] == ["data_batch_1"]


def test_incomplete_folder_is_replaced(tmp_path, archive):
    """Is an incomplete cifar-10-batches-py/ replaced by a complete one?"""
    path, md5 = archive
    root = tmp_path / "data"
    (root / data.CIFAR10_FOLDER).mkdir(parents=True)
    data.download_cifar10(root, url=path.as_uri(), md5=md5, log=quiet)
    assert data.cifar10_complete(root / data.CIFAR10_FOLDER)
    assert sorted(p.name for p in root.iterdir()) == [data.CIFAR10_FOLDER]


def test_offline_fails_fast_with_advice(tmp_path):
    """Does an unreachable server give a DownloadError at once, saying what to do?"""
    root = tmp_path / "data"
    start = time.monotonic()
    with pytest.raises(data.DownloadError, match="offline"):
        data.download_cifar10(root, url=closed_port_url(), log=quiet, timeout=5)
    assert time.monotonic() - start < 5
    assert not (root / data.CIFAR10_FOLDER).exists()


def test_command_line_shows_progress_on_stderr(tmp_path, archive, capsys):
    """Does `python -m nndl.data download` draw its progress bar on stderr and return 0?"""
    path, md5 = archive
    root = tmp_path / "data"
    assert data.main(["download", "--data-dir", str(root), "--url", path.as_uri(),
                      "--md5", md5]) == 0
    captured = capsys.readouterr()
    assert "100.0%" in captured.err and "100.0%" not in captured.out
    assert data.cifar10_complete(root / data.CIFAR10_FOLDER)


def test_command_line_offline_returns_1(tmp_path, capsys):
    """Does the command line report an offline failure on stderr with exit status 1?"""
    assert data.main(["download", "--data-dir", str(tmp_path), "--url", closed_port_url()]) == 1
    assert "offline" in capsys.readouterr().err


def test_progress_bar_draws_one_line():
    """Does the progress bar redraw in place and end with a newline?"""
    stream = io.StringIO()
    bar = data.ProgressBar(stream=stream, min_interval=0)
    bar(50, 100)
    bar(100, 100)
    assert stream.getvalue().count("\r") == 2 and stream.getvalue().endswith("\n")
    assert "50.0%" in stream.getvalue()

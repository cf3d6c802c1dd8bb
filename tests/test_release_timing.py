"""hw4 hands out hw3's solved modules: the manifest says when that is safe, and release warns."""
import datetime

import pytest

from autograder.manifest import (early_release_warning, load_manifest, parse_manifest,
                                 release_timing_problems)
from autograder.settings import COURSE_ROOT

BASE = """id = "hwX"
title = "t"
due = 2027-03-26T23:59:00-07:00
notebooks = ["a.ipynb"]
student_modules = ["nndl/m.py"]
[points]
"a.ipynb" = 1
"""


def test_hw4_is_released_only_after_hw3s_late_deadline():
    hw3, hw4 = load_manifest("hw3"), load_manifest("hw4")
    assert hw4.borrow and set(value.partition(":")[0] for value in hw4.borrow.values()) == {"hw3"}
    assert hw3.late_due and hw3.late_due > hw3.due
    assert hw4.release_after >= hw3.last_hand_in
    assert hw4.release_after < hw4.due
    assert release_timing_problems(hw4, COURSE_ROOT) == []


def test_release_before_the_safe_date_warns_after_it_does_not():
    hw4 = load_manifest("hw4")
    before = hw4.release_after - datetime.timedelta(minutes=1)
    warning = early_release_warning(hw4, now=before)
    assert warning and "hw3" in warning and "nndl/backprop_layers.py" in warning
    assert hw4.release_after.isoformat() in warning
    assert early_release_warning(hw4, now=hw4.release_after) is None
    assert early_release_warning(load_manifest("hw3"), now=before) is None


def test_a_release_date_before_the_borrowed_late_deadline_is_refused():
    hw4 = load_manifest("hw4")
    unsafe = hw4.__class__(**{**hw4.__dict__,
                              "release_after": load_manifest("hw3").due})
    problems = release_timing_problems(unsafe, COURSE_ROOT)
    assert len(problems) == 1 and "hw3" in problems[0] and "last hand-in" in problems[0]


def test_borrowing_without_a_release_date_is_a_manifest_error():
    text = BASE + '[borrow]\n"nndl/b.py" = "hw3:nndl/layers.py"\n'
    with pytest.raises(ValueError, match="release_after"):
        parse_manifest(text, "manifest.toml")


def test_dates_need_their_utc_offset():
    with pytest.raises(ValueError, match="UTC offset"):
        parse_manifest(BASE.replace("-07:00", ""), "manifest.toml")
    with pytest.raises(ValueError, match="late_due"):
        parse_manifest(BASE.replace('notebooks', 'late_due = 2027-03-01T00:00:00-08:00\nnotebooks'),
                       "manifest.toml")


def test_release_warns_on_stderr_and_gradescope_calls_it(capsys, monkeypatch):
    from autograder import release
    hw4 = load_manifest("hw4")
    monkeypatch.setattr(release, "early_release_warning", lambda manifest: "warning: too early")
    release.warn_about_timing(hw4)
    assert "too early" in capsys.readouterr().err
    import inspect
    from autograder import gradescope
    assert "warn_about_timing(manifest, root)" in inspect.getsource(gradescope.main)

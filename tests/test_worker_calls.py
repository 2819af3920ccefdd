"""Which calls reach the worker: a plain call repeated is answered from the judge's side, a call
that looks for hidden state always reaches the submission."""

from __future__ import annotations

import contextlib
import time

import numpy as np

from rnnspec import sandbox, source
from rnnspec.submission import Submission

COUNTING = '''
import numpy as np
calls = [0]


def counted(x):
    calls[0] += 1
    return np.asarray(x) * 0 + calls[0]
'''


@contextlib.contextmanager
def loaded(tmp_path, name: str, text: str, functions: tuple):
    """The Submission of ``text`` (saved as ``name``.py), closed afterwards."""
    path = tmp_path / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    submission = Submission(source.read(str(path)), functions)
    try:
        yield submission
    finally:
        submission.close()


def said(replies) -> list:
    """What ``counted`` answered, call by call."""
    return [int(r["ok"][0]) for r in replies]


def test_a_repeated_plain_call_is_answered_again_and_state_seeking_calls_reach_the_worker(
        tmp_path):
    with loaded(tmp_path, "counting", COUNTING, ("counted",)) as submission:
        worker = submission.worker()
        assert said(worker.call("counted", [[1.0]])) == [1]
        assert said(worker.call("counted", [[1.0]])) == [1]  # the same bytes: the same answer
        assert said(worker.call("counted", [[2.0]])) == [2]  # other arguments: a real call
        assert said(worker.call("counted", [[1.0]], keep="first")) == [3]  # kept: real
        assert said(worker.call("counted", [[1.0]], keep="first")) == [4]  # every time
        # Called again, back to back: every call real, none kept for later plain calls.
        assert said(worker.call("counted", [[1.0]], again=1)) == [5, 6]
        assert said(worker.call("counted", [[1.0]], again=2)) == [7, 8, 9]
        assert said(worker.call("counted", [[3.0]], again=1)) == [10, 11]
        assert said(worker.call("counted", [[3.0]])) == [12]
        first, again = worker.call("counted", [[2.0]]), worker.call("counted", [[2.0]])
        assert first[0]["ok"] is not again[0]["ok"]  # decoded afresh: no shared arrays


def test_the_replies_kept_for_repeated_calls_are_bounded(tmp_path, monkeypatch):
    """A campaign's calls rarely repeat: past the limit the earlier replies are forgotten, and a
    repeated call reaches the worker again."""
    with loaded(tmp_path, "counting", COUNTING, ("counted",)) as submission:
        worker = submission.worker()
        assert said(worker.call("counted", [[1.0]])) == [1]
        monkeypatch.setattr(sandbox, "ANSWERED_LIMIT", worker.answered_bytes + 1)
        assert said(worker.call("counted", [[2.0]])) == [2]  # over the limit: the first forgotten
        assert said(worker.call("counted", [[1.0]])) == [3]
        assert said(worker.call("counted", [[1.0]])) == [3]
        assert worker.answered_bytes <= sandbox.ANSWERED_LIMIT
        monkeypatch.setattr(sandbox, "ANSWERED_LIMIT", 10)  # less than any one reply
        assert said(worker.call("counted", [[4.0]])) == [4]
        assert said(worker.call("counted", [[4.0]])) == [5]  # not kept: asked again


MUTATING = '''
import numpy as np


def doubles(x, p):
    x *= 2
    return x.sum()


def widens(x, p):
    p["w"] = p["w"].astype(np.float32)  # the same values, another dtype
    return 0.0


def restores(x, p):
    x += 1.0
    x -= 1.0  # exact for these values: the bytes are as they came
    return x.copy()
'''


def test_the_arguments_come_back_exactly_when_a_call_changed_their_bytes(tmp_path):
    x, p = np.array([1.0, 2.0]), {"w": np.array([0.5])}
    with loaded(tmp_path, "mutating", MUTATING, ("doubles", "widens", "restores")) as submission:
        worker = submission.worker()
        reply = worker.call("doubles", [x, p])[0]
        assert "untouched" not in reply and reply["handed"][0].tolist() == [2.0, 4.0]
        reply = worker.call("widens", [x, p])[0]
        assert reply["handed"][1]["w"].dtype == np.float32
        reply = worker.call("restores", [x, p])[0]
        assert reply["untouched"] is True and "handed" not in reply


IGNORES_ITS_END = '''
import time

import wire  # the worker's own module, beside it in the sandbox

_receive = wire.receive


def receive(fd, wait=None):
    try:
        return _receive(fd, wait)
    except EOFError:  # told to end: stays instead
        time.sleep(60)


wire.receive = receive


def counted(x):
    return x
'''


def test_a_closed_worker_ends_by_itself_and_one_that_will_not_is_killed(tmp_path):
    """Ending on its own (and reaped with all it ran) keeps its CPU time accounted to the judge;
    a submission that keeps the worker alive past its end costs the grace period, no more."""
    for name, text, status in (("plain", COUNTING, 0), ("stays", IGNORES_ITS_END, None)):
        with loaded(tmp_path, name, text, ("counted",)) as submission:
            worker = submission.worker()
            worker.call("counted", [[1.0]])
            process, began = worker.process, time.monotonic()
            submission.close()
            assert time.monotonic() - began < sandbox.CLOSE_GRACE + 5
            if status is None:
                assert process.returncode != 0  # killed
            else:
                assert process.returncode == status

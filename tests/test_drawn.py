"""Replaying a check's derandomized cases gives the verdict Hypothesis itself would give.

``rnnspec.drawn`` draws each check's cases once per process and the engine replays them, handing
a check to Hypothesis only when a case fails. That is sound only if Hypothesis feeds a passing test
the same cases whatever the test does with them, and if the hand-over finds the same failure: both
are compared here against the engine without the replay, on implementations that pass, fail on an
explicit example, fail only on a generated one, exit mid-call, and hang.
"""

from __future__ import annotations

import argparse

import pytest

from rnnspec import drawn, judge
from rnnspec.run import Session

IMPLEMENTATIONS = (
    "impl/reference.py",
    "impl/lstm/reference.py",
    "impl/mutants/clip_gradients.py",  # fails on explicit examples: searched again, shrunk
    "impl/mutants/softmax_global_max.py",  # some checks fail only on a generated case
    "impl/mutants/padding_keeps_state.py",
    "impl/mutants/exits_on_large_gradient.py",  # the worker dies: restarted, generated cases
    "impl/mutants/hangs_on_odd_batch.py",
)


def _verdict(path: str) -> dict:
    parser = argparse.ArgumentParser()
    judge.add_options(parser)
    result, _ = judge.verdict(path, parser.parse_args([]))
    for outcome in result["checks"]:
        del outcome["seconds"]
    return result


def _without_replay(self, check, impl):
    return self._hypothesis(check, impl, check.examples)


@pytest.mark.parametrize("path", IMPLEMENTATIONS)
def test_a_replayed_verdict_is_the_verdict_of_hypothesis_alone(path, monkeypatch):
    replayed = _verdict(path)
    monkeypatch.setattr(Session, "_search", _without_replay)
    assert _verdict(path) == replayed


@pytest.mark.parametrize("path", ["impl/reference.py", "impl/lstm/reference.py"])
def test_hypothesis_feeds_a_passing_check_exactly_the_replayed_cases(path, monkeypatch):
    """The replayed cases, in their order, are what Hypothesis feeds the real check body."""
    fed: dict = {}
    tried = Session._try

    def recording(self, check, impl, case, state):
        fed.setdefault(check.id, []).append(repr(case))
        return tried(self, check, impl, case, state)

    _verdict(path)  # replayed: every check's cases drawn
    monkeypatch.setattr(Session, "_search", _without_replay)
    monkeypatch.setattr(Session, "_try", recording)
    _verdict(path)
    assert fed
    for check_id, cases in fed.items():
        assert cases == [repr(c) for c in drawn._CASES[(check_id, "ci")]], check_id


def test_failures_past_the_explicit_examples_are_among_those_compared():
    session = Session.open("impl/mutants/softmax_global_max.py")
    try:
        late = [o for o in session.all() if o.status == "fail"
                and o.detected_at > len(session.checks[o.check].examples)]
    finally:
        session.close()
    assert late, "no failure on a generated case: the comparison above would not cover one"


STATEFUL = '''
from reference import *
from reference import softmax as _softmax

_calls = [0]


def softmax(x):
    """Right, but for its eighth call ever (a drawn case of softmax.oracle, past its four
    explicit ones): a failure that a second run of the same calls misses."""
    _calls[0] += 1
    y = _softmax(x)
    return y * 2 if _calls[0] == 8 else y
'''


def test_a_failure_that_does_not_repeat_is_still_a_failure(tmp_path):
    (tmp_path / "reference.py").write_text(open("impl/reference.py", encoding="utf-8").read())
    (tmp_path / "eighth_call.py").write_text(STATEFUL)
    session = Session.open(str(tmp_path / "eighth_call.py"))
    try:
        outcome = session.outcome("softmax.oracle")
    finally:
        session.close()
    assert outcome.status == "fail"
    assert "did not repeat" in outcome.message

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


def _without_replay(self, check, impl, shrink=True):
    return self._hypothesis(check, impl, check.examples)


@pytest.mark.parametrize("path", IMPLEMENTATIONS)
def test_a_replayed_verdict_is_the_verdict_of_hypothesis_alone(path, monkeypatch):
    """The same verdict, function by function and check by check, each failure first seen at
    the same example; a failure Hypothesis shrank is the same failure on the same case. (A
    function's later failing checks are not shrunk under replay: they keep their first case.)"""
    replayed = _verdict(path)
    monkeypatch.setattr(Session, "_search", _without_replay)
    alone = _verdict(path)
    assert {k: v for k, v in alone.items() if k != "checks"} == {
        k: v for k, v in replayed.items() if k != "checks"}
    assert [(o["check"], o["status"], o["detected_at"]) for o in alone["checks"]] == [
        (o["check"], o["status"], o["detected_at"]) for o in replayed["checks"]]
    for mine, theirs in zip(replayed["checks"], alone["checks"]):
        if mine["shrunk"] or mine["status"] != "fail":
            assert mine == theirs


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
    """Right, but for its 30th call ever: a failure that a second run of the same calls misses."""
    _calls[0] += 1
    y = _softmax(x)
    return y * 2 if _calls[0] == 30 else y
'''


def test_a_failure_that_does_not_repeat_is_still_a_failure(tmp_path):
    """softmax.contracts calls twice per case (every call reaches the worker): the 30th call
    falls on a drawn case, past its seven explicit ones, so Hypothesis searches again, and the
    same cases pass the second time."""
    (tmp_path / "reference.py").write_text(open("impl/reference.py", encoding="utf-8").read())
    (tmp_path / "thirtieth_call.py").write_text(STATEFUL)
    session = Session.open(str(tmp_path / "thirtieth_call.py"))
    try:
        outcome = session.outcome("softmax.contracts")
    finally:
        session.close()
    assert outcome.status == "fail"
    assert outcome.detected_at > len(session.checks["softmax.contracts"].examples)
    assert "did not repeat" in outcome.message


def test_one_failure_per_function_is_shrunk_and_the_report_leads_with_it():
    """Shrinking costs dozens of calls a check; the report shows one failure per function, so
    only a function's first failing check is shrunk, and that is the one shown."""
    parser = argparse.ArgumentParser()
    judge.add_options(parser)
    result, text = judge.verdict("impl/mutants/clip_gradients.py", parser.parse_args([]))
    failing = [o for o in result["checks"] if o["status"] == "fail"]
    assert len(failing) >= 3 and {o["check"].split(".")[0] for o in failing} == {"rnn_backward"}
    assert [o["shrunk"] for o in failing] == [True] + [False] * (len(failing) - 1)
    assert failing[0]["reproduce"] in text


def test_under_the_searching_profile_every_failure_is_shrunk():
    session = Session.open("impl/mutants/clip_gradients.py", profile="thorough")
    try:
        outcomes = [session.outcome(c) for c in ("rnn_backward.oracle",
                                                  "rnn_backward.complex_step")]
    finally:
        session.close()
    assert [(o.status, o.shrunk) for o in outcomes] == [("fail", True), ("fail", True)]

"""Cells described by their equations get diagnoses too: an LSTM bug of a known class is named."""

from __future__ import annotations

import pytest

from rnnspec.run import Session

CAUSES = [
    ("no_activation_derivatives", "the activation derivatives are left out"),
    ("tanh_of_a_next", "dot uses tanh(a_next)"),
    ("old_equation_8", "dcct follows the v3 notebook's printed equation (8)"),
    ("no_through_time_carry", "no through-time carry"),
    ("only_dc_carried", "only dc is carried back through time, not da"),
]


@pytest.mark.parametrize("mutant, words", CAUSES, ids=[c[0] for c in CAUSES])
def test_a_known_lstm_bug_is_named_as_the_likely_cause(mutant, words):
    session = Session.open(f"impl/lstm/mutants/{mutant}.py")
    try:
        failing = [o for o in session.all() if o.status == "fail"]
    finally:
        session.close()
    assert any(f"likely cause: {words}" in o.message for o in failing), [
        o.message for o in failing]


def test_the_lstm_reference_gets_no_likely_cause_because_it_passes():
    session = Session.open("impl/lstm/reference.py")
    try:
        assert all(o.ok for o in session.all())
    finally:
        session.close()

"""Cells described by their equations get diagnoses too: a bug of a known class is named."""

from __future__ import annotations

import pytest

from rnnspec.run import Session

CAUSES = [
    ("lstm/mutants/no_activation_derivatives", "the activation derivatives are left out"),
    ("lstm/mutants/tanh_of_a_next", "dot uses tanh(a_next)"),
    ("lstm/mutants/old_equation_8", "dcct follows the v3 notebook's printed equation (8)"),
    ("lstm/mutants/no_through_time_carry", "no through-time carry"),
    ("lstm/mutants/only_dc_carried", "only dc is carried back through time, not da"),
    ("gru/mutants/no_sigmoid_derivative", "σ'(z) = z(1 − z) is left out"),
    ("gru/mutants/da_prev_without_reset_path", "da_prev misses the reset path"),
    ("gru/mutants/no_through_time_carry", "no through-time carry"),
]


@pytest.mark.parametrize("mutant, words", CAUSES, ids=[c[0].replace("/mutants/", ":")
                                                        for c in CAUSES])
def test_a_known_bug_of_a_cell_is_named_as_the_likely_cause(mutant, words):
    session = Session.open(f"impl/{mutant}.py")
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

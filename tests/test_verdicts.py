"""The suite's power, as a specification: what it must pass, what it must catch, and how it says so.

Every verdict here uses the default (ci) profile, the one graders and CI use.
"""

from __future__ import annotations

import pytest
from rnnspec.properties.cases import Spec

from rnnspec.run import Session
from tests.corpus import (
    MUTANTS,
    VARIANTS,
    broken_function,
    bug_class,
    caught_here,
    constant,
    relative,
)


def failures(session: Session) -> list:
    return [o for o in session.all() if o.status == "fail"]


def describe(outcomes) -> str:
    return "\n".join(f"{o.check}: {o.message}" for o in outcomes)


def test_the_reference_passes_every_check():
    session = Session.open("impl/reference.py")
    assert not failures(session), describe(failures(session))
    assert all(o.status == "pass" for o in session.all())


@pytest.mark.parametrize("path", VARIANTS, ids=[relative(p) for p in VARIANTS])
def test_every_correct_variant_passes(path):
    session = Session.open(relative(path))
    bad = [o for o in session.all() if o.status != "pass"]
    assert not bad, describe(bad)


@pytest.mark.parametrize("path", MUTANTS, ids=[relative(p) for p in MUTANTS])
def test_every_mutant_is_caught_by_a_check_of_the_broken_function(path):
    session = Session.open(relative(path))
    if not caught_here(path):
        pytest.skip(f"{path.stem} is correct on this NumPy ({bug_class(path)})")
    broken = broken_function(path)
    caught = [o for o in session.all(stop_at_first_failure=True) if o.status == "fail"]
    assert caught, f"{path.stem} ({bug_class(path)}) was not caught by any check"
    first = caught[0]
    assert first.function == broken, (
        f"{path.stem} breaks {broken}, but the first failure is {first.check}:\n{first.message}")


def test_the_seed_notebook_fails_with_both_defects_named():
    session = Session.open("impl/notebook.py")
    text = describe(failures(session))
    assert any(o.function == "softmax" for o in failures(session))
    assert "one maximum over the whole array is subtracted instead of one per column" in text
    assert any(o.function == "rnn_cell_backward" for o in failures(session))
    assert "uses Wax without taking it from parameters" in text


# What a mutant's FINGERPRINT says, as the words the verdict uses for that cause.
CAUSE_WORDS = {
    "transpose": "transpose",
    "divided by m": "divided by m",
    "missing (1 - a^2)": "(1 − a_next²) is missing",
    "(1 - a_prev^2) instead of (1 - a_next^2)": "(1 − a_prev²) is used where (1 − a_next²) belongs",
    "no through-time carry": "no through-time carry",
    "carry without da[:, :, t]": "da[:, :, t] is not added",
    "overwrite instead of accumulate": "overwritten (=) at each step instead of accumulated",
}
FINGERPRINTED = [p for p in MUTANTS if "\nFINGERPRINT = " in p.read_text("utf-8")]


@pytest.mark.parametrize("path", FINGERPRINTED, ids=[p.stem for p in FINGERPRINTED])
def test_a_wrong_gradient_is_matched_to_its_likely_cause(path):
    session = Session.open(relative(path))
    first = [o for o in session.all(stop_at_first_failure=True) if o.status == "fail"][0]
    words = CAUSE_WORDS[constant(path, "FINGERPRINT")]
    assert "likely cause: " in first.message and words in first.message, first.message


def test_an_oracle_bug_cannot_hide_an_implementation_bug(monkeypatch):
    """Corrupt the symbolic oracle the way the mutant is wrong: the second opinions still object."""
    import numpy as np
    from rnnspec.symbolic import oracle
    right = oracle.cell_backward

    def forgets_the_tanh_derivative(da_next, xt, a_prev, a_next, parameters):
        return right(da_next, xt, a_prev, np.zeros_like(a_next), parameters)

    monkeypatch.setattr(oracle, "cell_backward", forgets_the_tanh_derivative)
    # What a case derives is kept for the process (its oracle values too): derive afresh here.
    monkeypatch.setattr(Spec, "derived", lambda case, key, make: make())
    session = Session.open("impl/mutants/no_tanh_derivative.py")
    outcomes = {o.check: o for o in session.all()}
    assert outcomes["rnn_cell_backward.oracle"].status == "pass"  # the corrupted oracle agrees
    assert outcomes["rnn_cell_backward.finite_differences"].status == "fail"
    assert session.status("rnn_cell_backward") == "fail"

"""The suite's power, as a specification: what it must pass, what it must catch, and how it says so.

Every verdict here uses the default (ci) profile, the one graders and CI use.
"""

from __future__ import annotations

import pytest

from harness.run import Session
from tests.corpus import MUTANTS, VARIANTS, bug_class, relative


def failures(session: Session) -> list:
    return [o for o in session.all() if o.status == "fail"]


def describe(outcomes) -> str:
    return "\n".join(f"{o.check}: {o.message}" for o in outcomes)


def test_the_reference_passes_every_check():
    session = Session.open("impl/reference.py")
    assert not failures(session), describe(failures(session))
    assert all(o.status == "pass" for o in session.all())


@pytest.mark.parametrize("path", VARIANTS, ids=[p.stem for p in VARIANTS])
def test_every_correct_variant_passes(path):
    session = Session.open(relative(path))
    bad = [o for o in session.all() if o.status != "pass"]
    assert not bad, describe(bad)


@pytest.mark.parametrize("path", MUTANTS, ids=[p.stem for p in MUTANTS])
def test_every_mutant_is_caught_by_a_check_of_the_broken_function(path):
    session = Session.open(relative(path))
    if not getattr(session.module, "CAUGHT_ONLY_IF", True):
        pytest.skip(f"{path.stem} is correct on this NumPy ({bug_class(path)})")
    broken = session.module.BROKEN
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

"""The inputs the suite tries, as a specification: every input that can hide a bug is tried.

Sizes past 8, exact zeros and other dtypes are each given to every run by an informative case,
and drawn now and then; a case with them prints and replays from one line.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import find, given, settings
from rnnspec.properties.cases import (
    DTYPES,
    INFORMATIVE,
    INFORMATIVE_LOGITS,
    ZERO_TOKENS,
    Case,
    Logits,
    cases,
    logits,
)


def test_informative_cases_go_past_the_drawn_sizes():
    assert max(c.T_x for c in INFORMATIVE) >= 24
    assert max(c.n_y for c in INFORMATIVE) >= 32 and max(c.n for c in INFORMATIVE_LOGITS) >= 32
    assert max(c.m for c in INFORMATIVE) >= 16 and max(c.n_a for c in INFORMATIVE) >= 16


def test_informative_cases_hold_exact_zeros_and_every_dtype():
    tokens = {t for c in INFORMATIVE for t in c.tokens}
    assert {"Wax", "Waa", "ba", "by", "a0", "sparse", "pad", "da"} <= tokens
    assert {c.dtype for c in INFORMATIVE} == set(DTYPES)
    assert "float32" in {c.dtype for c in INFORMATIVE_LOGITS}


def test_zeros_are_exact_and_where_they_are_asked_for():
    case = Case(n_x=3, n_a=4, m=5, T_x=6, zeros="Waa+pad+a0+da+sparse", seed=3)
    assert not case.parameters["Waa"].any() and not case.a0.any()
    assert not case.da[:, :, :-1].any() and case.da[:, :, -1].all()
    for j, length in enumerate(case.lengths):
        assert not case.x[:, j, length:].any() and case.x[:, j, :length].all()
    assert case.lengths[-1] < case.T_x  # some example is padded
    sparse = np.concatenate([v.ravel() for k, v in case.parameters.items() if k != "Waa"])
    assert 0 < np.count_nonzero(sparse == 0) < sparse.size


def test_dtypes_are_the_ones_asked_for():
    assert Case(dtype="float32").x.dtype == Case(dtype="float32").parameters["Wax"].dtype \
        == np.float32
    mixed = Case(dtype="mixed")
    assert (mixed.x.dtype, mixed.a0.dtype, mixed.da.dtype) == (np.float32,) * 3
    assert mixed.parameters["Wax"].dtype == np.float64 and mixed.precision("dx") == np.float32
    assert mixed.precision("dWax") == mixed.precision("a") == np.float64
    onehot = Case(dtype="onehot", zeros="pad")
    assert onehot.x.dtype == np.int64 and set(np.unique(onehot.x)) <= {0, 1}
    assert np.all(onehot.x.sum(axis=0) == (np.arange(onehot.T_x) < onehot.lengths[:, None]))
    assert onehot.precision("dx") == np.float64


def test_a_case_with_zeros_and_a_dtype_replays_from_its_line():
    for case in INFORMATIVE + (Case(zeros="Waa+ba", dtype="mixed"),):
        assert Case.from_spec(case.spec()) == case
    for u in INFORMATIVE_LOGITS:
        assert Logits.from_spec(u.spec()) == u
    assert "dtype" not in Case().spec() and "zeros" not in str(Case())


@settings(max_examples=300, derandomize=True, database=None)
@given(cases())
def test_draws_stay_valid(case):
    assert set(case.tokens) <= set(ZERO_TOKENS) and case.dtype in DTYPES
    assert max(case.n_x, case.n_a, case.n_y, case.m, case.T_x) <= 32
    assert sum(size > 8 for size in (case.n_x, case.n_a, case.n_y, case.m, case.T_x)) <= 1
    assert 0.01 <= case.weights <= 316 and 0.1 <= case.inputs <= 10
    assert 0.1 <= case.logits <= 1000 and 0.001 <= case.upstream <= 1000


def simplest(strategy, condition=lambda drawn: True):
    """What Hypothesis shrinks a draw of ``strategy`` satisfying ``condition`` to."""
    return find(strategy, condition, settings=settings(database=None, derandomize=True,
                                                       max_examples=10_000))


SIMPLEST = Case(n_x=1, n_a=1, n_y=1, m=1, T_x=1, seed=0, weights=1.0, inputs=1.0, logits=1.0,
                upstream=1.0)


def test_draws_shrink_to_the_simplest_case():
    """Sizes 1, seed 0, every magnitude 1, no zeros, float64: what a person would simplify to."""
    assert simplest(cases()) == SIMPLEST
    assert simplest(cases(saturating=False)) == SIMPLEST
    assert simplest(logits()) == Logits(n=1, m=1, seed=0, scale=1.0, spread=0.0)


def test_a_shrunk_case_keeps_only_what_the_failure_needs():
    """A failure that needs one unusual thing shrinks to the simplest case with just that."""
    assert simplest(cases(), lambda c: c.T_x > 8) == SIMPLEST.but(T_x=9)
    assert simplest(cases(), lambda c: c.m > 8) == SIMPLEST.but(m=9)
    assert simplest(cases(), lambda c: "da" in c.tokens) == SIMPLEST.but(zeros="da")
    assert simplest(cases(), lambda c: {"pad", "a0"} <= set(c.tokens)) == SIMPLEST.but(
        zeros="a0+pad")
    assert simplest(cases(), lambda c: c.dtype != "float64") == SIMPLEST.but(dtype="float32")
    # A magnitude shrinks to the one nearest 1 that still fails (in steps of 2.3%).
    assert simplest(cases(), lambda c: c.weights > 100) == SIMPLEST.but(weights=102.0)
    assert simplest(cases(), lambda c: c.upstream < 0.01) == SIMPLEST.but(upstream=0.00977)
    assert simplest(logits(), lambda u: u.n > 8) == Logits(n=9, m=1, seed=0, scale=1.0)
    assert simplest(logits(), lambda u: u.spread > 0) == Logits(n=1, m=1, seed=0, spread=1.0)
    assert simplest(logits(), lambda u: u.scale > 500) == Logits(n=1, m=1, seed=0, scale=501.0)
    assert simplest(logits(), lambda u: u.dtype != "float64") == Logits(n=1, m=1, seed=0,
                                                                        dtype="float32")


def test_a_cases_arrays_are_read_only_for_they_are_shared_by_every_verdict():
    case = INFORMATIVE[-1]
    arrays = [case.x, case.a0, case.da, INFORMATIVE_LOGITS[0].u, *case.parameters.values()]
    for array in arrays:
        with pytest.raises(ValueError):
            array[(0,) * array.ndim] = 1.0

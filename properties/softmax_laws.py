"""softmax: equal to the oracle, invariant to a constant per column, stable for huge logits."""

from __future__ import annotations

import numpy as np
from rnnspec.properties import fingerprints
from rnnspec.properties.cases import INFORMATIVE_LOGITS, Logits, logits
from rnnspec.properties.compare import assert_close, likely_cause
from rnnspec.properties.registry import check
from rnnspec.properties.tolerance import softmax_bound, tolerance
from rnnspec.spec.contract import ContractViolation
from rnnspec.symbolic import oracle, precise


def _expect_softmax(impl, u: np.ndarray, what: str, dtype=np.float64) -> None:
    y = oracle.softmax(u)
    allowed = tolerance(softmax_bound(u, y), dtype)
    try:
        actual = impl.softmax(u)
    except ContractViolation as violation:  # e.g. NaN: name the bug that gives exactly that NaN
        violation.likely_cause = likely_cause(violation.outputs.get("y"),
                                              fingerprints.softmax(u), allowed)
        raise
    assert_close(what, actual, y, softmax_bound(u, y), settle=lambda: precise.softmax(u),
                 fingerprints=lambda: fingerprints.softmax(u), dtype=dtype)


@check("softmax.oracle", "softmax equals the column-wise softmax of EQUATIONS.md on moderate "
       "logits",
       logits(max_scale_exponent=1.5, max_spread_exponent=1.0),
       examples=INFORMATIVE_LOGITS[:2] + INFORMATIVE_LOGITS[5:])
def softmax_matches_oracle(impl, case: Logits) -> None:
    _expect_softmax(impl, case.u, f"softmax(x) on {case}", case.precision())


@check("softmax.shift_invariance", "adding a constant to a column does not change its softmax",
       logits(max_scale_exponent=2.0, max_spread_exponent=2.0), examples=INFORMATIVE_LOGITS[:2])
def softmax_is_shift_invariant(impl, case: Logits) -> None:
    shift = np.round(50.0 * case.random_like(0, (1, case.m))).astype(case.u.dtype)
    shifted = case.u + shift
    y = oracle.softmax(case.u)
    # Both calls must land within the bound of the same exact value: the bound of the shifted
    # logits covers the rounding of the shift itself.
    assert_close(f"softmax(x + c) with c = {shift.ravel().tolist()} per column, on {case}",
                 impl.softmax(shifted), y, softmax_bound(shifted, y), dtype=case.precision())


@check("softmax.stability", "softmax stays finite and correct for logits of ±1e3 and columns "
       "far apart", logits(max_scale_exponent=3.0, max_spread_exponent=3.5),
       examples=INFORMATIVE_LOGITS[2:4])
def softmax_is_stable(impl, case: Logits) -> None:
    _expect_softmax(impl, case.u, f"softmax(x) on {case}", case.precision())

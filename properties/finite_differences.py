"""Central differences whose tolerance calibrates itself: the second opinion no oracle can corrupt.

D(h) and D(2h) differ by about three times D(h)'s truncation error, so their disagreement measures
how far a difference quotient is from the derivative at this point, on this function; Richardson's
(4·D(h) − D(2h)) / 3 removes that error to leading order. The allowed error is that disagreement
plus the rounding of the function values divided by the step. Nothing here is a fixed tolerance:
near saturation the disagreement grows and the check widens itself; where the function is smooth
it narrows to a few digits short of machine precision.
"""

from __future__ import annotations

from typing import Callable

from properties.tolerance import EPS, C

STEP = 2.0**-17  # ≈ 7.6e-6 on inputs of unit scale: truncation and rounding both ≈ 1e-10 there


def directional_derivative(f: Callable[[float], float], M_f: float,
                           step: float = STEP) -> tuple[float, float]:
    """(estimate, allowed error) of d/dε f(ε) at ε = 0, from four calls of f.

    ``M_f`` bounds f's own rounding in units of C·eps (f's absolute-value recomputation).
    """
    d1 = (f(step) - f(-step)) / (2.0 * step)
    d2 = (f(2.0 * step) - f(-2.0 * step)) / (4.0 * step)
    estimate = (4.0 * d1 - d2) / 3.0
    # Each f value is off by at most C·eps·M_f: d1 by that / step, d2 by half as much, and the
    # Richardson combination by (4·1 + 1/2) / 3 = 1.5 times that / step.
    rounding = 1.5 * C * EPS * M_f / step
    return estimate, abs(d1 - d2) + rounding

"""Central differences whose tolerance calibrates itself: the second opinion no oracle can corrupt.

Where f is smooth on the scale of the step, a central difference D(h) has error c·h², so
D(h) − D(2h) ≈ −3c·h² and D(2h) − D(4h) ≈ −12c·h²: their ratio is 4. That ratio is tested, not
assumed. When it holds, D(h)'s error is known (a third of the first disagreement), Richardson's
D(h) + (D(h) − D(2h))/3 removes it, and the allowed error is the whole disagreement plus the
rounding of f divided by the step. When it does not hold, at this step and at twice it (near
saturation the function bends on a scale finer than the step), the step is halved and the test
repeated; when the disagreement
drowns in rounding, D(h) is as good as differences get and the rounding bound is the tolerance.
If no step qualifies, the differences abstain: a second opinion that cannot be formed must not
call correct code wrong. Nothing here is a fixed tolerance.
"""

from __future__ import annotations

from typing import Callable, Optional

from rnnspec.properties.tolerance import EPS, C

STEP = 2.0**-17  # ≈ 7.6e-6 on inputs of unit scale: truncation and rounding both ≈ 1e-10 there
HALVINGS = 12  # down to STEP / 4096 ≈ 1.9e-9 before abstaining
ASYMPTOTIC = (3.0, 5.0)  # accepted range of (D(2h) − D(4h)) / (D(h) − D(2h)), ideally 4


def directional_derivative(f: Callable[[float], float], M_f: float,
                           step: float = STEP) -> Optional[tuple[float, float]]:
    """(estimate, allowed error) of d/dε f(ε) at ε = 0, or None when no step gives a trustworthy
    estimate. ``M_f`` bounds f's own rounding in units of C·eps (f's absolute-value recomputation).

    A step is trusted when the ratio of disagreements is near 4 there *and* at twice that step:
    one ratio near 4 happens by coincidence far from the asymptotic range (seen at tanh
    saturation with weights of 18: a ratio of 3.2 with D(h) off by a factor of 18).
    """
    values: dict = {}

    def difference(h: float) -> float:
        for e in (h, -h):
            if e not in values:
                values[e] = f(e)
        return (values[h] - values[-h]) / (2.0 * h)

    h, coarser_in_range = step, False
    for _ in range(HALVINGS + 1):
        rounding = C * EPS * M_f / h  # bound on D(h)'s rounding error; D(2h)'s is half of it
        d1, d2, d4 = difference(h), difference(2.0 * h), difference(4.0 * h)
        near, far = d1 - d2, d2 - d4
        if abs(near) <= 3.0 * rounding:  # truncation is below rounding: D(h) is the best estimate
            return d1, 4.0 * rounding
        in_range = ASYMPTOTIC[0] <= far / near <= ASYMPTOTIC[1]
        if in_range and coarser_in_range:
            return d1 + near / 3.0, abs(near) + 2.0 * rounding
        coarser_in_range = in_range
        h /= 2.0
    return None

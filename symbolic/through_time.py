"""The through-time rule of EQUATIONS.md, written once for any kind of matrix.

Going from the last step down to step 0, the cell receives ``da[t] + da_prev`` (the gradient
carried back from step t+1, zero at the last step); dWax, dWaa, dba are summed over the steps; dx⟨t⟩
is kept per step; da0 is the da_prev left after step 0.

The same function runs on SymPy explicit matrices (the element-wise proof), on NumPy arrays (the
oracle) and on mpmath matrices (the precise evaluator): only ``+`` is needed. So the oracle's
rnn_backward is, line for line, the rule that was proven.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Callable

SUMMED = ("dWax", "dWaa", "dba")


def backward_through_time(
    cell_backward: Callable[[int, Any], Mapping[str, Any]],
    da: Sequence[Any],
    zero_carry: Any,
) -> dict[str, Any]:
    """Apply ``cell_backward(t, da_next)`` from the last step to the first.

    ``cell_backward`` returns the keys dxt, da_prev, dWax, dWaa, dba for step ``t``. The result has
    dx (a list, one entry per step), da0, dWax, dWaa and dba.
    """
    carry = zero_carry
    dx: list[Any] = [None] * len(da)
    sums: dict[str, Any] = {}
    for t in reversed(range(len(da))):
        step = cell_backward(t, da[t] + carry)
        dx[t] = step["dxt"]
        for name in SUMMED:
            sums[name] = step[name] if name not in sums else sums[name] + step[name]
        carry = step["da_prev"]
    return {"dx": dx, "da0": carry, **sums}

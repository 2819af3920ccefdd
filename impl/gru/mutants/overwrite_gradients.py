"""The parameter gradients are assigned with `=` instead of accumulated with `+=`.

Bug class: `=` for `+=` in the sums over the steps.
Visible when: T_x >= 2.
"""

# ruff: noqa: F821, F841

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "gru_backward"


def gru_backward(da, caches):
    (caches, x) = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T_x))
    sums = {k: np.zeros((n_a, n_a + n_x)) for k in ("dWz", "dWr", "dWh")}
    sums.update({k: np.zeros((n_a, 1)) for k in ("dbz", "dbr", "dbh")})
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = gru_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        for k in sums:
            sums[k] = gradients[k]
        da_prevt = gradients["da_prev"]
    return {"dx": dx, "da0": gradients["da_prev"], **sums}

"""A correct LSTM written the way the course's template is filled in (np.dot, caches[0] for the
sizes, both carries), as a student who got everything right would.

Differs from the reference in: style only (no validation).
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def lstm_backward(da, caches):
    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = np.zeros((n_x, m, T_x))
    grads = {k: np.zeros((n_a, n_a + n_x)) for k in ("dWf", "dWi", "dWc", "dWo")}
    grads.update({k: np.zeros((n_a, 1)) for k in ("dbf", "dbi", "dbc", "dbo")})
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])
        da_prevt = gradients["da_prev"]
        dc_prevt = gradients["dc_prev"]
        dx[:, :, t] = gradients["dxt"]
        for k in grads:
            grads[k] += gradients[k]
    da0 = da_prevt
    return {"dx": dx, "da0": da0, **grads}

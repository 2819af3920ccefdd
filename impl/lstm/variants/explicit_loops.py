"""A correct LSTM backward written with explicit Python loops over units and examples.

Differs from the reference in: scalar loops instead of vectorized products (the sums run in another
order: rounding-level differences).
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a, m = a_prev.shape
    concat = np.concatenate([a_prev, xt], axis=0)
    rows = concat.shape[0]
    gates = {g: np.zeros((n_a, m)) for g in "fico"}
    dc_prev = np.zeros((n_a, m))
    for i in range(n_a):
        for j in range(m):
            tau = np.tanh(c_next[i, j])
            dc = dc_next[i, j] + da_next[i, j] * ot[i, j] * (1 - tau * tau)
            gates["o"][i, j] = da_next[i, j] * tau * ot[i, j] * (1 - ot[i, j])
            gates["c"][i, j] = dc * it[i, j] * (1 - cct[i, j] ** 2)
            gates["i"][i, j] = dc * cct[i, j] * it[i, j] * (1 - it[i, j])
            gates["f"][i, j] = dc * c_prev[i, j] * ft[i, j] * (1 - ft[i, j])
            dc_prev[i, j] = dc * ft[i, j]
    out = {"dc_prev": dc_prev}
    dconcat = np.zeros((rows, m))
    for g, dg in gates.items():
        W = parameters["W" + g]
        dW = np.zeros((n_a, rows))
        db = np.zeros((n_a, 1))
        for i in range(n_a):
            for j in range(m):
                db[i, 0] += dg[i, j]
                for k in range(rows):
                    dW[i, k] += dg[i, j] * concat[k, j]
                    dconcat[k, j] += W[i, k] * dg[i, j]
        out["dW" + g], out["db" + g] = dW, db
    out["da_prev"], out["dxt"] = dconcat[:n_a], dconcat[n_a:]
    return out

"""A correct rnn_backward that carries each step's upstream gradient da[:, :, t] back on its own,
all the way to step 0, and sums the results (the untruncated form of tutorial "bptt_truncate" code).

The cell gradients are linear in da_next, so the sum over origins equals the usual single backward
sweep; it costs T_x²/2 cell calls instead of T_x, and sums in a different order.
Differs from the reference in: one backward sweep per origin step (O(T_x²)), summed afterwards.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def rnn_backward(da, caches):
    cell_caches, x = caches
    n_x, m, T_x = np.shape(x)
    n_a = np.shape(da)[0]
    dx = np.zeros((n_x, m, T_x))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da0 = np.zeros((n_a, m))
    for origin in reversed(range(T_x)):
        carried = np.asarray(da[:, :, origin], dtype=np.float64)
        for t in range(origin, -1, -1):
            step = rnn_cell_backward(carried, cell_caches[t])
            dx[:, :, t] += step["dxt"]
            dWax += step["dWax"]
            dWaa += step["dWaa"]
            dba += step["dba"]
            carried = step["da_prev"]
        da0 += carried
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

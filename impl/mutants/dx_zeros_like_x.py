"""rnn_backward allocates dx with np.zeros_like(x), which takes x's dtype.

For float inputs this is harmless. For the one-hot integer x of a character model, dx is an integer
array and every dx[:, :, t] = dxt assignment truncates the gradient towards zero (0.73 becomes 0).
Bug class: zeros_like(x) with integer x (integer gradient).
Visible when: x has an integer dtype.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"


def rnn_backward(da, caches):
    cell_caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros_like(x)
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = rnn_cell_backward(da[:, :, t] + da_prev, cell_caches[t])  # noqa: F821
        dx[:, :, t] = step["dxt"]
        dWax += step["dWax"]
        dWaa += step["dWaa"]
        dba += step["dba"]
        da_prev = step["da_prev"]
    return {"dx": dx, "da0": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

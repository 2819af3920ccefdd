"""rnn_backward adds the carried gradient into the caller's da: ``da[:, :, t] += da_prevt``.

The gradients are right, but da comes back holding the total gradient per step instead of the
upstream one, so calling rnn_backward twice with the same da gives different results.
Bug class: input modified in place (accumulating into an argument).
Visible when: T_x ≥ 2 (at T_x = 1 only zero is added).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"


def rnn_backward(da, caches):
    caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        da[:, :, t] += da_prevt
        gradients = rnn_cell_backward(da[:, :, t], caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}

"""Backward writes dWaa = ... instead of dWaa += ..., so only the last step processed (t = 0) counts.

dWax and dba are summed over the steps correctly; dWaa keeps just step 0's contribution.
Bug class: overwrite instead of accumulate (= instead of += for dWaa).
Visible when: T_x ≥ 2; invisible at T_x = 1, where one step is the whole sum.
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"
FINGERPRINT = "overwrite instead of accumulate"


def rnn_backward(da, caches):
    (caches, x) = caches
    (a0, a1, x1, parameters) = caches[0]
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dxt, da_prevt, dWaxt, dWaat, dbat = (gradients["dxt"], gradients["da_prev"],
                                             gradients["dWax"], gradients["dWaa"], gradients["dba"])
        dx[:, :, t] = dxt
        dWax += dWaxt
        dWaa = dWaat
        dba += dbat
    da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

"""Backward through time loops over range(1, T_x) reversed, so step 0 is never back-propagated.

dx[:, :, 0] stays zero, step 0's share of dWax, dWaa, dba is missing, and da0 is the gradient
arriving at a⟨0⟩ instead of the one leaving step 0 towards a0.
Bug class: loop from 1 (skips step 0) in backward.
Visible when: always (at T_x = 1 every gradient is zero).
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"


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
    for t in reversed(range(1, T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dxt, da_prevt, dWaxt, dWaat, dbat = (gradients["dxt"], gradients["da_prev"],
                                             gradients["dWax"], gradients["dWaa"], gradients["dba"])
        dx[:, :, t] = dxt
        dWax += dWaxt
        dWaa += dWaat
        dba += dbat
    da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

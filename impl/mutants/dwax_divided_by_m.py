"""Backward divides dWax by the batch size m, as if the loss were averaged over the examples.

The documented loss sums over the batch, so dWax = dz xtᵀ with no 1/m (dWaa and dba are right,
which makes the inconsistency easy to miss).
Bug class: divided by m (in dWax).
Visible when: m ≥ 2; invisible at m = 1.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"
FINGERPRINT = "divided by m"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    m = xt.shape[1]
    dz = da_next * (1 - a_next ** 2)
    dxt = np.dot(Wax.T, dz)
    da_prev = np.dot(Waa.T, dz)
    dWax = np.dot(dz, xt.T) / m
    dWaa = np.dot(dz, a_prev.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

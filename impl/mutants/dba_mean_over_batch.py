"""Backward averages dba over the batch (np.mean) instead of summing it.

The loss here is a sum over the examples, so each example's gradient is added, not averaged.
Bug class: divided by m (mean instead of sum over the batch, in dba).
Visible when: m ≥ 2; invisible at m = 1, where the mean of one column is the column.
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
    dz = da_next * (1 - a_next ** 2)
    dxt = np.dot(Wax.T, dz)
    da_prev = np.dot(Waa.T, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.mean(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

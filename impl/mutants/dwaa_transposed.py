"""Backward computes dWaa the wrong way round: a_prev dzᵀ (that is dWaaᵀ) instead of dz a_prevᵀ.

Both are (n_a, n_a), so the shape is right and nothing raises.
Bug class: transpose (dWaa transposed; only shape-correct because Waa is square).
Visible when: n_a ≥ 2 (dz a_prevᵀ is not symmetric for random inputs); invisible at n_a = 1.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"
FINGERPRINT = "transpose"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    dz = da_next * (1 - a_next ** 2)
    dxt = np.dot(Wax.T, dz)
    da_prev = np.dot(Waa.T, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(a_prev, dz.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

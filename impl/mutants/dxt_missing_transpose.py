"""Backward forgets to transpose Wax for the input gradient: dxt = Wax dz instead of Waxᵀ dz.

Wax is (n_a, n_x): Wax dz is a shape error unless n_a = n_x, and then it silently gives wrong values,
so it slips through every test written at square sizes.
Bug class: transpose (missing ᵀ on Wax in dxt).
Visible when: always — a ValueError when n_a ≠ n_x, wrong values when n_a = n_x ≥ 2 (random Wax is
not symmetric); invisible only at n_a = n_x = 1.
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
    dxt = np.dot(Wax, dz)
    da_prev = np.dot(Waa.T, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

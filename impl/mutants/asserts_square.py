"""Backward step asserts that dxt and da_prev have the same shape, which holds only when n_a = n_x.

A shape sanity check written against the wrong expectation: dxt is (n_x, m), da_prev is (n_a, m).
Bug class: raises on some inputs (AssertionError when n_a ≠ n_x).
Visible when: n_a ≠ n_x; invisible when n_a = n_x, where it is correct.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    dz = da_next * (1 - a_next ** 2)
    dxt = np.dot(Wax.T, dz)
    da_prev = np.dot(Waa.T, dz)
    assert dxt.shape == da_prev.shape, "dxt and da_prev shapes differ"
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

"""Backward step scales dWaa by (1 + 1e-6), a perturbation left over from a finite-difference check.

A relative error of 1e-6 in one gradient: far above float64 rounding (~1e-16) but below the
tolerance of most gradient checkers (torch's rtol is 1e-3).
Bug class: precision (1e-6 relative error in dWaa).
Visible when: dWaa ≠ 0 (any random input) with a float64-rounding tolerance; invisible to loose
fixed tolerances.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"

eps = 1e-6  # gradient-check step


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    dz = da_next * (1 - a_next ** 2)
    dxt = np.dot(Wax.T, dz)
    da_prev = np.dot(Waa.T, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T) * (1 + eps)
    dba = np.sum(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

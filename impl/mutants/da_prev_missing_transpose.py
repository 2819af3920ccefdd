"""Backward forgets to transpose Waa when sending the gradient back: da_prev = Waa dz, not Waaᵀ dz.

Waa is square, so the shapes still fit and nothing raises: the values are silently wrong.
Bug class: transpose (missing ᵀ on Waa in da_prev).
Visible when: Waa is not symmetric, i.e. any random Waa with n_a ≥ 2; invisible at n_a = 1 or for a
symmetric Waa.
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
    da_prev = np.dot(Waa, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

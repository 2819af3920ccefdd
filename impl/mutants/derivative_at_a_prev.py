"""Backward uses the previous state in the tanh derivative: dz = da_next * (1 - a_prev²).

The derivative of a⟨t⟩ = tanh(z⟨t⟩) is 1 - a⟨t⟩², i.e. 1 - a_next², not 1 - a_prev².
Bug class: (1 − a_prev²) instead of (1 − a_next²).
Visible when: a_prev ≠ ±a_next anywhere (any random input); invisible only if the state does not
change from one step to the next.
"""

# ruff: noqa: RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"
FINGERPRINT = "(1 - a_prev^2) instead of (1 - a_next^2)"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    dtanh = 1 - a_prev ** 2
    dz = da_next * dtanh
    dxt = np.dot(Wax.T, dz)
    da_prev = np.dot(Waa.T, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

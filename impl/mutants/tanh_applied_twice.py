"""Backward applies tanh again to the cached activation: dz = da_next * (1 - tanh(a_next)²).

a_next is already tanh(z), so tanh(a_next) = tanh(tanh(z)) is not a⟨t⟩ and the derivative is wrong.
Bug class: tanh derivative taken at the wrong point (tanh applied twice).
Visible when: pre-activations are away from 0 (the error grows like a⁴); invisible only where
a ≈ 0 (tiny weights and inputs), since there tanh(a) ≈ a.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    dtanh = 1 - np.tanh(a_next) ** 2
    dz = da_next * dtanh
    dxt = np.dot(Wax.T, dz)
    da_prev = np.dot(Waa.T, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

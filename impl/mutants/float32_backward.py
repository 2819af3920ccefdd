"""Backward step casts everything to float32 "to save memory" and casts the gradients back to float64.

The gradients have the right dtype and shape, but only float32 accuracy (relative errors around
1e-7), which the documented float64 contract forbids.
Bug class: precision (float32 inside the backward step).
Visible when: always at float64 tolerances; invisible to checks with rtol ≥ 1e-6.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax = parameters["Wax"].astype(np.float32)
    Waa = parameters["Waa"].astype(np.float32)
    a_prev = a_prev.astype(np.float32)
    a_next = a_next.astype(np.float32)
    xt = xt.astype(np.float32)
    dz = da_next.astype(np.float32) * (1 - a_next ** 2)
    dxt = np.dot(Wax.T, dz)
    da_prev = np.dot(Waa.T, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    gradients = {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    return {name: g.astype(np.float64) for name, g in gradients.items()}

"""Backward forgets the tanh derivative: dz = da_next instead of da_next * (1 - a_next²).

Bug class: missing (1 − a²). Invisible only where tanh is linear (a ≈ 0), so small weights hide it
from fixed-tolerance gradient checks.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    dz = np.asarray(da_next, dtype=float)
    return {"dxt": parameters["Wax"].T @ dz, "da_prev": parameters["Waa"].T @ dz,
            "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T, "dba": np.sum(dz, axis=1, keepdims=True)}

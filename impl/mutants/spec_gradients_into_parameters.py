"""rnn_cell_backward stores its gradients in the cache's parameters dict "for the optimiser".

The returned gradients are right, but the caller's parameters dict (shared by every cache of the
sequence) gains the keys dxt, da_prev, dWax, dWaa, dba.
Bug class: input modified in place (a dict argument mutated).
Visible when: always.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    dz = da_next * (1 - a_next ** 2)
    gradients = {"dxt": parameters["Wax"].T @ dz, "da_prev": parameters["Waa"].T @ dz,
                 "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T,
                 "dba": np.sum(dz, axis=1, keepdims=True)}
    parameters.update(gradients)
    return gradients

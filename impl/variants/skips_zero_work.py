"""A correct rnn_cell_backward that skips the work a zero makes unnecessary: nothing flows when
da_next is all zeros, Waaᵀ dz is 0 when Waa is all zeros, Waxᵀ dz is 0 when Wax is all zeros.

Unlike the skips_gradient_of_zero_waa mutant, it only skips products that are exactly zero: the
weight gradients dz xtᵀ and dz a_prevᵀ do not depend on the weights' values and are always formed.
Differs from the reference in: early exits and skipped products on exact zeros.
"""

import numpy as np
from variant import reference_in

reference_in(globals())


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax, Waa = np.asarray(parameters["Wax"], float), np.asarray(parameters["Waa"], float)
    da_next, a_next = np.asarray(da_next, float), np.asarray(a_next, float)
    xt, a_prev = np.asarray(xt, float), np.asarray(a_prev, float)
    if not np.any(da_next):
        return {"dxt": np.zeros(xt.shape), "da_prev": np.zeros(a_prev.shape),
                "dWax": np.zeros(Wax.shape), "dWaa": np.zeros(Waa.shape),
                "dba": np.zeros((Waa.shape[0], 1))}
    dz = da_next * (1.0 - a_next**2)
    return {"dxt": Wax.T @ dz if np.any(Wax) else np.zeros(xt.shape),
            "da_prev": Waa.T @ dz if np.any(Waa) else np.zeros(a_prev.shape),
            "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T, "dba": np.sum(dz, axis=1, keepdims=True)}

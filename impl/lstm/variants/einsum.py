"""A correct LSTM whose products are all np.einsum contractions.

The summation order differs from BLAS: results agree with the reference to rounding.
Differs from the reference in: einsum instead of @.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_prev.shape[0]
    concat = np.concatenate([a_prev, xt], axis=0)
    tau = np.tanh(c_next)
    dot = np.einsum("ij,ij,ij,ij->ij", da_next, tau, ot, 1 - ot)
    dc = dc_next + np.einsum("ij,ij,ij->ij", da_next, ot, 1 - tau * tau)
    grads = {"o": dot, "c": dc * it * (1 - cct * cct), "i": dc * cct * it * (1 - it),
             "f": dc * c_prev * ft * (1 - ft)}
    out = {"dc_prev": dc * ft}
    dconcat = 0
    for g, dg in grads.items():
        out["dW" + g] = np.einsum("im,jm->ij", dg, concat)
        out["db" + g] = np.einsum("im->i", dg)[:, None]
        dconcat = dconcat + np.einsum("ki,km->im", parameters["W" + g], dg)
    out["da_prev"], out["dxt"] = dconcat[:n_a], dconcat[n_a:]
    return out

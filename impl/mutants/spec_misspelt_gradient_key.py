"""rnn_backward returns the recurrent-weight gradient under the key "dWa" instead of "dWaa".

The numbers are right; a caller (or an optimiser loop) that reads gradients["dWaa"] gets a KeyError,
and one that iterates over the dict updates a parameter that does not exist.
Bug class: misspelt gradient key.
Visible when: always.
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"


def rnn_backward(da, caches):
    caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWa": dWaa, "dba": dba}

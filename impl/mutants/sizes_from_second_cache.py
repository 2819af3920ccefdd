"""Backward reads the sizes from caches[1], the second step's cache, which does not exist when T_x = 1.

Any step's cache would do for n_a and n_x, but only caches[0] is always there.
Bug class: caches[1] used to read sizes (IndexError at T_x = 1).
Visible when: T_x = 1 (IndexError); invisible at T_x ≥ 2, where it is correct.
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"


def rnn_backward(da, caches):
    (caches, x) = caches
    (a1, a2, x2, parameters) = caches[1]
    n_a, m = a1.shape
    n_x = x2.shape[0]
    T_x = x.shape[2]
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dxt, da_prevt, dWaxt, dWaat, dbat = (gradients["dxt"], gradients["da_prev"],
                                             gradients["dWax"], gradients["dWaa"], gradients["dba"])
        dx[:, :, t] = dxt
        dWax += dWaxt
        dWaa += dWaat
        dba += dbat
    da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

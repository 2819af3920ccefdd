"""Backward allocates its buffers with the course's sizes typed in: np.zeros((5, 10)), np.zeros((5, 1)).

It passes the course's test (n_a = 5, m = 10) and breaks at any other size, with a broadcasting
error or, where broadcasting happens to succeed (n_a = 1 or m = 1), with wrong shapes.
Bug class: shapes hard-coded to the course sizes.
Visible when: n_a ≠ 5 or m ≠ 10; invisible at n_a = 5, m = 10.
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"


def rnn_backward(da, caches):
    (caches, x) = caches
    n_x, m, T_x = x.shape
    dx = np.zeros((n_x, 10, T_x))
    dWax = np.zeros((5, n_x))
    dWaa = np.zeros((5, 5))
    dba = np.zeros((5, 1))
    da_prevt = np.zeros((5, 10))
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

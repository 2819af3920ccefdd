"""Backward through time rescales the weight gradients by their norm, which divides 0 by 0 when da = 0.

``g / norm * min(norm, 5)`` is gradient clipping by norm written so that a zero gradient becomes
NaN (0/0) instead of staying zero; when the norm exceeds 5 it also shrinks the gradients, which
should not happen inside rnn_backward at all.
Bug class: returns NaN for some inputs (zero upstream gradient); rescaling.
Visible when: da is all zeros (dWax, dWaa, dba are NaN), or the norm of (dWax, dWaa, dba) exceeds 5
(scaled down); invisible otherwise.
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"

max_norm = 5.0


def rnn_backward(da, caches):
    (caches, x) = caches
    (a0, a1, x1, parameters) = caches[0]
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
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
    norm = np.sqrt(np.sum(dWax ** 2) + np.sum(dWaa ** 2) + np.sum(dba ** 2))
    dWax = dWax / norm * min(norm, max_norm)
    dWaa = dWaa / norm * min(norm, max_norm)
    dba = dba / norm * min(norm, max_norm)
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

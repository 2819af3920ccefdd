"""Backward step returns its gradients as a tuple (dxt, da_prev, dWax, dWaa, dba) instead of the dict.

The student's own rnn_backward unpacks the tuple, so the sequence gradients are right; anything
that follows the documented interface (gradients["dxt"]) breaks.
Bug class: wrong return type (a tuple instead of a dict).
Visible when: always, in rnn_cell_backward (rnn_backward is correct).
"""

# ruff: noqa: RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    dz = da_next * (1 - a_next ** 2)
    dxt = np.dot(Wax.T, dz)
    da_prev = np.dot(Waa.T, dz)
    dWax = np.dot(dz, xt.T)
    dWaa = np.dot(dz, a_prev.T)
    dba = np.sum(dz, axis=1, keepdims=True)
    return dxt, da_prev, dWax, dWaa, dba


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
        dxt, da_prevt, dWaxt, dWaat, dbat = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = dxt
        dWax += dWaxt
        dWaa += dWaat
        dba += dbat
    da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

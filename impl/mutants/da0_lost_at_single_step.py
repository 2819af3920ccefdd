"""Backward handles the last step before the loop and sets da0 only inside the loop, so da0 = 0 when T_x = 1.

The peeled-off last step is right, and for T_x ≥ 2 the loop overwrites da0 correctly; with one step
the loop never runs and da0 keeps its zero initialisation.
Bug class: wrong only when T_x = 1 (da0 never assigned from the step's da_prev).
Visible when: T_x = 1 (da0 all zeros; the other gradients are right); invisible at T_x ≥ 2.
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"


def rnn_backward(da, caches):
    (caches, x) = caches
    (a0, a1, x1, parameters) = caches[0]
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    dx = np.zeros((n_x, m, T_x))
    da0 = np.zeros((n_a, m))
    # the last step has no carry: do it first
    gradients = rnn_cell_backward(da[:, :, T_x - 1], caches[T_x - 1])
    dx[:, :, T_x - 1] = gradients["dxt"]
    dWax = gradients["dWax"]
    dWaa = gradients["dWaa"]
    dba = gradients["dba"]
    da_prevt = gradients["da_prev"]
    for t in reversed(range(T_x - 1)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t] = gradients["dxt"]
        dWax = dWax + gradients["dWax"]
        dWaa = dWaa + gradients["dWaa"]
        dba = dba + gradients["dba"]
        da_prevt = gradients["da_prev"]
        da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

"""Backward unpacks each step's gradients into the accumulators' own names, then adds them to themselves.

``dWax, dWaa, dba = gradients[...]`` rebinds the totals to the step's values, and ``dWax += dWax``
doubles them: what comes back is twice the gradient of step 0 alone.
Bug class: dW += dW self-add.
Visible when: always for dWax, dWaa, dba (a factor 2 even at T_x = 1; the other steps are lost when
T_x ≥ 2); dx and da0 are right.
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
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dxt, da_prevt, dWax, dWaa, dba = (gradients["dxt"], gradients["da_prev"], gradients["dWax"],
                                          gradients["dWaa"], gradients["dba"])
        dx[:, :, t] = dxt
        dWax += dWax
        dWaa += dWaa
        dba += dba
    da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

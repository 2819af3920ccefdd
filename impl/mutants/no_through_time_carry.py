"""Backward through time gives each step only its own da[:, :, t] and drops the gradient carried back.

Step t must receive da[:, :, t] + da_prev from step t+1; without the carry, the influence of
a⟨t⟩ on the later states (through Waa) is lost.
Bug class: no through-time carry.
Visible when: T_x ≥ 2; invisible at T_x = 1, where there is nothing to carry.
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"
FINGERPRINT = "no through-time carry"


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
        gradients = rnn_cell_backward(da[:, :, t], caches[t])
        dxt, da_prevt = gradients["dxt"], gradients["da_prev"]
        dx[:, :, t] = dxt
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

"""Backward uses the notebook's global Wax and Waa instead of the ones in the cache's parameters.

As in the seed notebook, rnn_cell_backward never reads Wax and Waa from ``parameters``; here the
notebook's test cell has defined them at module level (random matrices of the course sizes), so
there is no NameError: dxt and da_prev are silently computed with the wrong matrices.
Bug class: notebook-global weights used inside a function.
Visible when: always — a shape error unless n_a = 5 and n_x = 3 (the course test sizes), wrong
dxt and da_prev at those sizes; dWax, dWaa and dba are right.
"""

# ruff: noqa: RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_backward"

# the notebook's test cell (a private RandomState so loading this file leaves np.random alone)
_rng = np.random.RandomState(1)
xt_tmp = _rng.randn(3, 10)
a_prev_tmp = _rng.randn(5, 10)
Wax = _rng.randn(5, 3)
Waa = _rng.randn(5, 5)


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    dtemp = 1 - (a_next * a_next)
    dWaa = np.matmul(da_next * dtemp, a_prev.T)
    dWax = np.matmul(da_next * dtemp, xt.T)
    dxt = np.matmul(Wax.T, da_next * dtemp)
    da_prev = np.matmul(Waa.T, da_next * dtemp)
    dba = np.sum(da_next * dtemp, axis=1, keepdims=True)
    gradients = {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    return gradients

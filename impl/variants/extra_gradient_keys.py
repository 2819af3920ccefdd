"""A correct RNN whose backward functions also return the intermediate dz (cell) and the gradient
each step received (sequence, "da_next"): handy for debugging, and allowed (EQUATIONS.md: an extra
key is a note, not a failure).

Differs from the reference in: the gradient dicts hold extra keys besides the documented ones.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
_cell = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    gradients = _cell(da_next, cache)
    gradients["dz"] = np.asarray(da_next, float) * (1.0 - np.asarray(cache[1], float) ** 2)
    return gradients


def rnn_backward(da, caches):
    cell_caches, x = caches
    n_x, m, T_x = np.shape(x)
    n_a = np.shape(da)[0]
    g = {"dx": np.zeros((n_x, m, T_x)), "da0": np.zeros((n_a, m)), "dWax": np.zeros((n_a, n_x)),
         "dWaa": np.zeros((n_a, n_a)), "dba": np.zeros((n_a, 1)),
         "da_next": np.zeros((n_a, m, T_x))}
    for t in reversed(range(T_x)):
        g["da_next"][:, :, t] = da[:, :, t] + g["da0"]
        step = rnn_cell_backward(g["da_next"][:, :, t], cell_caches[t])
        g["dx"][:, :, t] = step["dxt"]
        for key in ("dWax", "dWaa", "dba"):
            g[key] += step[key]
        g["da0"] = step["da_prev"]
    return g

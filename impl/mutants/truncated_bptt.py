"""Truncated backpropagation through time: each step's gradient is carried back at most 10 steps.

The classic "bptt_truncate" of RNN tutorials: for every step t, the gradient da[:, :, t] travels back
through steps t, t−1, …, t−9 and is then dropped. On sequences of 10 steps or fewer this is exact
backpropagation; on a real sentence (T_x of 20–100) the influence of early states on late losses is
lost, which the documented rnn_backward (the exact gradient of L) forbids.
Bug class: truncated BPTT (stops after 10 steps).
Visible when: T_x ≥ 11 and the gradient carried over 10 steps is above rounding (Waa not tiny).
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"
BPTT_TRUNCATE = 10


def rnn_backward(da, caches):
    cell_caches, x = caches
    n_x, m, T_x = x.shape
    n_a = da.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax, dWaa, dba = np.zeros((n_a, n_x)), np.zeros((n_a, n_a)), np.zeros((n_a, 1))
    da0 = np.zeros((n_a, m))
    for origin in reversed(range(T_x)):
        carried = da[:, :, origin]
        for t in range(origin, max(-1, origin - BPTT_TRUNCATE), -1):
            step = rnn_cell_backward(carried, cell_caches[t])
            dx[:, :, t] += step["dxt"]
            dWax += step["dWax"]
            dWaa += step["dWaa"]
            dba += step["dba"]
            carried = step["da_prev"]
        if origin < BPTT_TRUNCATE:  # reached step 0: what is left flows into a0
            da0 += carried
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}
